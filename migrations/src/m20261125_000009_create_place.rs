//! Named places of a municipality (centres, stations, squares) that residents
//! can choose from a list instead of using the map.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("place")
                    .columns(string, ["name", "kind"])
                    .point()
                    .to_owned(),
            )
            .await?;
        create_unique_index(manager, "place", &["municipality_id", "name"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, ["place"]).await
    }
}
