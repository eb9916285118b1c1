//! Named places of a municipality (centres, stations, squares) that residents
//! can choose from a list instead of using the map.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Place {
    Table,
    Id,
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
                Table::create()
                    .table(Place::Table)
                    .col(uuid(Place::Id).primary_key())
                    .col(uuid(Place::MunicipalityId))
                    .col(string(Place::Name))
                    .col(string(Place::Kind))
                    .col(double(Place::Lon))
                    .col(double(Place::Lat))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_place_municipality")
                            .from(Place::Table, Place::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_place_municipality_name")
                    .table(Place::Table)
                    .col(Place::MunicipalityId)
                    .col(Place::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Place::Table).to_owned())
            .await
    }
}
