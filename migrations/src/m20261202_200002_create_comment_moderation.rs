//! Moderation of residents' free text. A comment without a row here is
//! pending, so a comment is held from every public output from the moment it
//! is stored, with no step at intake. The row's id is the id of the pin,
//! answer or described place the text belongs to.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CommentModeration {
    Table,
    SurveyId,
    Source,
    Status,
    EditedText,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(CommentModeration::Table)
                    .col(uuid(CommentModeration::SurveyId))
                    .col(string(CommentModeration::Source))
                    .col(string(CommentModeration::Status))
                    .col(text_null(CommentModeration::EditedText))
                    .col(text_null(CommentModeration::Reason))
                    // No foreign key to the account: decisions outlive accounts.
                    .col(uuid_null(CommentModeration::DecidedBy))
                    .col(timestamp_with_time_zone(CommentModeration::DecidedAt))
                    .foreign_key(&mut cascade(
                        "fk_comment_moderation_survey",
                        (CommentModeration::Table, CommentModeration::SurveyId),
                        "survey",
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_comment_moderation_survey",
            CommentModeration::Table,
            [CommentModeration::SurveyId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [CommentModeration::Table]).await
    }
}
