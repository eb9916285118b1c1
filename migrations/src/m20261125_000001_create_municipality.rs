//! The tenant table: one row per municipality on this server.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::drop_tables;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
    Slug,
    Name,
    Synthetic,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Municipality::Table)
                    .col(uuid(Municipality::Id).primary_key())
                    .col(string_uniq(Municipality::Slug))
                    .col(string(Municipality::Name))
                    .col(boolean(Municipality::Synthetic).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Municipality::Table]).await
    }
}
