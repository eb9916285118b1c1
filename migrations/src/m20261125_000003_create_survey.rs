//! Surveys: one row per round; the checked definition is kept as JSON text
//! because its questions are always read and written as a whole.

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
    MunicipalityId,
    Slug,
    Round,
    Title,
    OpensOn,
    ClosesOn,
    Definition,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Survey::Table)
                    .col(uuid(Survey::Id).primary_key())
                    .col(uuid(Survey::MunicipalityId))
                    .col(string_uniq(Survey::Slug))
                    .col(string(Survey::Round))
                    .col(string(Survey::Title))
                    .col(date(Survey::OpensOn))
                    .col(date_null(Survey::ClosesOn))
                    .col(text(Survey::Definition))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_municipality")
                            .from(Survey::Table, Survey::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Survey::Table).to_owned())
            .await
    }
}
