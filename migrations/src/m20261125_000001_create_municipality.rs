//! The tenant table: one row per municipality on this server.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, id_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                id_table("municipality")
                    .col(string_uniq("slug"))
                    .col(string("name"))
                    .col(boolean("synthetic").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, ["municipality"]).await
    }
}
