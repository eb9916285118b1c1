//! Moderation of residents' free text. A comment without a row here is
//! pending, so a comment is held from every public output from the moment it
//! is stored, with no step at intake. The row's id is the id of the pin,
//! answer or described place the text belongs to.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CommentModeration {
    Table,
    Id,
    MunicipalityId,
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
                Table::create()
                    .table(CommentModeration::Table)
                    .col(uuid(CommentModeration::Id).primary_key())
                    .col(uuid(CommentModeration::MunicipalityId))
                    .col(uuid(CommentModeration::SurveyId))
                    .col(string(CommentModeration::Source))
                    .col(string(CommentModeration::Status))
                    .col(text_null(CommentModeration::EditedText))
                    .col(text_null(CommentModeration::Reason))
                    // No foreign key to the account: decisions outlive accounts.
                    .col(uuid_null(CommentModeration::DecidedBy))
                    .col(timestamp_with_time_zone(CommentModeration::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_comment_moderation_municipality")
                            .from(CommentModeration::Table, CommentModeration::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_comment_moderation_survey")
                            .from(CommentModeration::Table, CommentModeration::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_comment_moderation_survey")
                    .table(CommentModeration::Table)
                    .col(CommentModeration::SurveyId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CommentModeration::Table).to_owned())
            .await
    }
}
