//! Places a respondent described in words instead of pinning, kept apart from
//! pins because they have no coordinates until an analyst locates them.

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
}

#[derive(DeriveIden)]
enum DescribedPlace {
    Table,
    Id,
    MunicipalityId,
    SurveyId,
    ResponseId,
    Description,
    Category,
    TimeOfDay,
    Comment,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DescribedPlace::Table)
                    .col(uuid(DescribedPlace::Id).primary_key())
                    .col(uuid(DescribedPlace::MunicipalityId))
                    .col(uuid(DescribedPlace::SurveyId))
                    .col(uuid(DescribedPlace::ResponseId))
                    .col(text(DescribedPlace::Description))
                    .col(string(DescribedPlace::Category))
                    .col(string(DescribedPlace::TimeOfDay))
                    .col(text_null(DescribedPlace::Comment))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_described_place_municipality")
                            .from(DescribedPlace::Table, DescribedPlace::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_described_place_survey")
                            .from(DescribedPlace::Table, DescribedPlace::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_described_place_response")
                            .from(DescribedPlace::Table, DescribedPlace::ResponseId)
                            .to(Response::Table, Response::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_described_place_survey")
                    .table(DescribedPlace::Table)
                    .col(DescribedPlace::SurveyId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DescribedPlace::Table).to_owned())
            .await
    }
}
