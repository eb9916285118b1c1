//! Responses: who answered, as little as possible: the hour it came in and,
//! for answers sent over HTTP, the idempotency key that makes retries safe.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Response {
    Table,
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
                tenant_table(Response::Table)
                    .col(uuid(Response::SurveyId))
                    .col(timestamp_with_time_zone(Response::SubmittedHour))
                    .col(string_null(Response::IdempotencyKey))
                    .col(string_null(Response::Fingerprint))
                    .foreign_key(&mut cascade(
                        "fk_response_survey",
                        (Response::Table, Response::SurveyId),
                        "survey",
                    ))
                    .to_owned(),
            )
            .await?;
        // A retried submission finds its first copy through this index; it is
        // unique so two racing retries cannot both be stored.
        create_unique_index(
            manager,
            "ux_response_survey_idempotency_key",
            Response::Table,
            [Response::SurveyId, Response::IdempotencyKey],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Response::Table]).await
    }
}
