//! Police-reported crime counts per area, period and category, imported as
//! evidence for choosing focus areas. One row per area, period and category
//! (a unique index), so an import that repeats a row replaces it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CrimeCount {
    Table,
    Id,
    MunicipalityId,
    AreaCode,
    Period,
    Category,
    Count,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CrimeCount::Table)
                    .col(uuid(CrimeCount::Id).primary_key())
                    .col(uuid(CrimeCount::MunicipalityId))
                    .col(string(CrimeCount::AreaCode))
                    .col(string(CrimeCount::Period))
                    .col(string(CrimeCount::Category))
                    .col(big_integer(CrimeCount::Count))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_crime_count_municipality")
                            .from(CrimeCount::Table, CrimeCount::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_crime_count_area_period_category")
                    .table(CrimeCount::Table)
                    .col(CrimeCount::MunicipalityId)
                    .col(CrimeCount::AreaCode)
                    .col(CrimeCount::Period)
                    .col(CrimeCount::Category)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CrimeCount::Table).to_owned())
            .await
    }
}
