//! The frozen public release of a published round: the public page's JSON, its CSV
//! in both dialects and the figures the public follow-up page shows, stored when the
//! round is published and served as stored, so late imports, corrections and
//! retention never change a public figure. Publishing again replaces the row and
//! counts up `version`; `taken_at` and `taken_by` say when and by whom.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PublishedSnapshot {
    Table,
    SurveyId,
    MunicipalityId,
    Version,
    TakenAt,
    TakenBy,
    ResultsJson,
    TablesCsv,
    TablesCsvSemicolon,
    FollowUpJson,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublishedSnapshot::Table)
                    .col(uuid(PublishedSnapshot::SurveyId).primary_key())
                    .col(uuid(PublishedSnapshot::MunicipalityId))
                    .col(integer(PublishedSnapshot::Version))
                    .col(timestamp_with_time_zone(PublishedSnapshot::TakenAt))
                    .col(string(PublishedSnapshot::TakenBy))
                    .col(text(PublishedSnapshot::ResultsJson))
                    .col(text(PublishedSnapshot::TablesCsv))
                    .col(text(PublishedSnapshot::TablesCsvSemicolon))
                    .col(text(PublishedSnapshot::FollowUpJson))
                    .foreign_key(&mut cascade(
                        "fk_published_snapshot_municipality",
                        (PublishedSnapshot::Table, PublishedSnapshot::MunicipalityId),
                        "municipality",
                    ))
                    .foreign_key(&mut cascade(
                        "fk_published_snapshot_survey",
                        (PublishedSnapshot::Table, PublishedSnapshot::SurveyId),
                        "survey",
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [PublishedSnapshot::Table]).await
    }
}
