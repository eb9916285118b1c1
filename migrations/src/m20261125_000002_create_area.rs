//! Areas (kommundelar): named polygons, stored as GeoJSON text so both databases
//! hold them without a spatial extension.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Area {
    Table,
    MunicipalityId,
    Code,
    Name,
    Geometry,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(Area::Table)
                    .col(string(Area::Code))
                    .col(string(Area::Name))
                    .col(text(Area::Geometry))
                    .to_owned(),
            )
            .await?;
        create_unique_index(
            manager,
            "ux_area_municipality_code",
            Area::Table,
            [Area::MunicipalityId, Area::Code],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Area::Table]).await
    }
}
