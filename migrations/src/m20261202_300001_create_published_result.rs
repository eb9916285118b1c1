//! Survey rounds whose results an analyst has published on the public results page
//! `/r/{slug}`. A row means "published"; deleting it withdraws the page.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PublishedResult {
    Table,
    SurveyId,
    MunicipalityId,
    PublishedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublishedResult::Table)
                    .col(uuid(PublishedResult::SurveyId).primary_key())
                    .col(uuid(PublishedResult::MunicipalityId))
                    .col(date(PublishedResult::PublishedOn))
                    .foreign_key(&mut cascade(
                        "fk_published_result_municipality",
                        (PublishedResult::Table, PublishedResult::MunicipalityId),
                        "municipality",
                    ))
                    .foreign_key(&mut cascade(
                        "fk_published_result_survey",
                        (PublishedResult::Table, PublishedResult::SurveyId),
                        "survey",
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [PublishedResult::Table]).await
    }
}
