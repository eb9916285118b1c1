//! Moderation of residents' free text. A comment without a row here is
//! pending, so a comment is held from every public output from the moment it
//! is stored, with no step at intake. The row's id is the id of the pin,
//! answer or described place the text belongs to.

use sea_orm_migration::prelude::*;

use crate::common::{TableExt, create_index, drop_tables, survey_table};

migration! {
    up(manager) {
        survey_table("comment_moderation")
            .moderation_decision()
            .create(manager)
            .await?;
        create_index(manager, "comment_moderation", &["survey_id"]).await
    }
    down(manager) {
        drop_tables(manager, ["comment_moderation"]).await
    }
}
