//! Moderation of residents' free text. A comment without a row here is
//! pending, so a comment is held from every public output from the moment it
//! is stored, with no step at intake. The row's id is the id of the pin,
//! answer or described place the text belongs to.

use sea_orm_migration::prelude::*;

use crate::common::{TableExt, create_index, drop_tables, survey_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                survey_table("comment_moderation")
                    .moderation_decision()
                    .to_owned(),
            )
            .await?;
        create_index(manager, "comment_moderation", &["survey_id"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, ["comment_moderation"]).await
    }
}
