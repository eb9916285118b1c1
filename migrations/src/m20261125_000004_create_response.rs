//! Responses: who answered, as little as possible: the hour it came in and,
//! for answers sent over HTTP, the idempotency key that makes retries safe.

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
enum Response {
    Table,
    Id,
    MunicipalityId,
    SurveyId,
    SubmittedHour,
    IdempotencyKey,
    Fingerprint,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Response::Table)
                    .col(uuid(Response::Id).primary_key())
                    .col(uuid(Response::MunicipalityId))
                    .col(uuid(Response::SurveyId))
                    .col(timestamp_with_time_zone(Response::SubmittedHour))
                    .col(string_null(Response::IdempotencyKey))
                    .col(string_null(Response::Fingerprint))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_response_municipality")
                            .from(Response::Table, Response::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_response_survey")
                            .from(Response::Table, Response::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A retried submission finds its first copy through this index; it is
        // unique so two racing retries cannot both be stored.
        manager
            .create_index(
                Index::create()
                    .name("ux_response_survey_idempotency_key")
                    .table(Response::Table)
                    .col(Response::SurveyId)
                    .col(Response::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Response::Table).to_owned())
            .await
    }
}
