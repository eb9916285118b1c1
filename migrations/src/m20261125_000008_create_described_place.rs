//! Places a respondent described in words instead of pinning, kept apart from
//! pins because they have no coordinates until an analyst locates them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DescribedPlace {
    Table,
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
                tenant_table(DescribedPlace::Table)
                    .col(uuid(DescribedPlace::SurveyId))
                    .col(uuid(DescribedPlace::ResponseId))
                    .col(text(DescribedPlace::Description))
                    .col(string(DescribedPlace::Category))
                    .col(string(DescribedPlace::TimeOfDay))
                    .col(text_null(DescribedPlace::Comment))
                    .foreign_key(&mut cascade(
                        "fk_described_place_survey",
                        (DescribedPlace::Table, DescribedPlace::SurveyId),
                        "survey",
                    ))
                    .foreign_key(&mut cascade(
                        "fk_described_place_response",
                        (DescribedPlace::Table, DescribedPlace::ResponseId),
                        "response",
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_described_place_survey",
            DescribedPlace::Table,
            [DescribedPlace::SurveyId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [DescribedPlace::Table]).await
    }
}
