//! A moderator's decision on a resident's comment; the row's `id` is the id of
//! the pin, answer or described place the comment belongs to.

use sea_orm::entity::prelude::*;

decision_entity! {
    #[sea_orm(table_name = "comment_moderation")]
    pub struct Model {
        pub survey_id: Uuid,
    }
}
