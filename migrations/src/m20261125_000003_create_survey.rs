//! Surveys: one row per round; the checked definition is kept as JSON text
//! because its questions are always read and written as a whole.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Survey {
    Table,
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
                tenant_table(Survey::Table)
                    .col(string_uniq(Survey::Slug))
                    .col(string(Survey::Round))
                    .col(string(Survey::Title))
                    .col(date(Survey::OpensOn))
                    .col(date_null(Survey::ClosesOn))
                    .col(text(Survey::Definition))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Survey::Table]).await
    }
}
