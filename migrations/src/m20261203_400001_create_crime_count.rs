//! Police-reported crime counts per area, period and category, imported as
//! evidence for choosing focus areas. One row per area, period and category
//! (a unique index), so an import that repeats a row replaces it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CrimeCount {
    Table,
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
                tenant_table(CrimeCount::Table)
                    .col(string(CrimeCount::AreaCode))
                    .col(string(CrimeCount::Period))
                    .col(string(CrimeCount::Category))
                    .col(big_integer(CrimeCount::Count))
                    .to_owned(),
            )
            .await?;
        create_unique_index(
            manager,
            "ux_crime_count_area_period_category",
            CrimeCount::Table,
            [
                CrimeCount::MunicipalityId,
                CrimeCount::AreaCode,
                CrimeCount::Period,
                CrimeCount::Category,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [CrimeCount::Table]).await
    }
}
