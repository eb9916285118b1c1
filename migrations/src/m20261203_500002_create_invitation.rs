//! Invitation codes for a postal sample: single-use, per survey, with the area the
//! letter went to so response rates can be counted per area. A code is only
//! marked used; nothing links it to the response it opened, since the print shop's
//! address list links codes to people.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invitation {
    Table,
    SurveyId,
    Code,
    AreaCode,
    Used,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(Invitation::Table)
                    .col(uuid(Invitation::SurveyId))
                    .col(string(Invitation::Code))
                    .col(string_null(Invitation::AreaCode))
                    .col(boolean(Invitation::Used).default(false))
                    .foreign_key(&mut cascade(
                        "fk_invitation_survey",
                        (Invitation::Table, Invitation::SurveyId),
                        "survey",
                    ))
                    .to_owned(),
            )
            .await?;
        create_unique_index(
            manager,
            "ux_invitation_survey_code",
            Invitation::Table,
            [Invitation::SurveyId, Invitation::Code],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Invitation::Table]).await
    }
}
