//! A moderator's decision on a text staff wrote for the public; the row's `id`
//! is the id of the progress entry or walk finding the text belongs to.

use sea_orm::entity::prelude::*;

decision_entity! {
    #[sea_orm(table_name = "staff_text_moderation")]
    pub struct Model {}
}
