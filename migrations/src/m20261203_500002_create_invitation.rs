//! Invitation codes for a postal sample: single-use, per survey, with the area the
//! letter went to so response rates can be counted per area. A code is only
//! marked used; nothing links it to the response it opened, since the print shop's
//! address list links codes to people.

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
enum Invitation {
    Table,
    Id,
    MunicipalityId,
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
                Table::create()
                    .table(Invitation::Table)
                    .col(uuid(Invitation::Id).primary_key())
                    .col(uuid(Invitation::MunicipalityId))
                    .col(uuid(Invitation::SurveyId))
                    .col(string(Invitation::Code))
                    .col(string_null(Invitation::AreaCode))
                    .col(boolean(Invitation::Used).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitation_municipality")
                            .from(Invitation::Table, Invitation::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitation_survey")
                            .from(Invitation::Table, Invitation::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_invitation_survey_code")
                    .table(Invitation::Table)
                    .col(Invitation::SurveyId)
                    .col(Invitation::Code)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Invitation::Table).to_owned())
            .await
    }
}
