//! Areas (kommundelar): named polygons, stored as GeoJSON text so both databases
//! hold them without a spatial extension.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Area {
    Table,
    Id,
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
                Table::create()
                    .table(Area::Table)
                    .col(uuid(Area::Id).primary_key())
                    .col(uuid(Area::MunicipalityId))
                    .col(string(Area::Code))
                    .col(string(Area::Name))
                    .col(text(Area::Geometry))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_area_municipality")
                            .from(Area::Table, Area::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_area_municipality_code")
                    .table(Area::Table)
                    .col(Area::MunicipalityId)
                    .col(Area::Code)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Area::Table).to_owned())
            .await
    }
}
