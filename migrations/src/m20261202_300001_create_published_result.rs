//! Survey rounds whose results an analyst has published on the public results page
//! `/r/{slug}`. A row means "published"; deleting it withdraws the page.

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
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_published_result_municipality")
                            .from(PublishedResult::Table, PublishedResult::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_published_result_survey")
                            .from(PublishedResult::Table, PublishedResult::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublishedResult::Table).to_owned())
            .await
    }
}
