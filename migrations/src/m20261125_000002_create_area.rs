//! Areas (kommundelar): named polygons, stored as GeoJSON text so both databases
//! hold them without a spatial extension.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table("area")
                    .columns(string, ["code", "name"])
                    .col(text("geometry"))
                    .to_owned(),
            )
            .await?;
        create_unique_index(manager, "area", &["municipality_id", "code"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, ["area"]).await
    }
}
