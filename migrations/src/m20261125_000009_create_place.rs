//! Named places of a municipality (centres, stations, squares) that residents
//! can choose from a list instead of using the map.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Place {
    Table,
    MunicipalityId,
    Name,
    Kind,
    Lon,
    Lat,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(Place::Table)
                    .col(string(Place::Name))
                    .col(string(Place::Kind))
                    .col(double(Place::Lon))
                    .col(double(Place::Lat))
                    .to_owned(),
            )
            .await?;
        create_unique_index(
            manager,
            "ux_place_municipality_name",
            Place::Table,
            [Place::MunicipalityId, Place::Name],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Place::Table]).await
    }
}
