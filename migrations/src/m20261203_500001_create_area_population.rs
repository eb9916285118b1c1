//! Population figures per area × gender × age band, which the lägesbild rakes
//! respondents to. Gender and age band are the option keys of the surveys'
//! background questions, so the same figures serve every round.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AreaPopulation {
    Table,
    AreaId,
    Gender,
    AgeBand,
    Population,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(AreaPopulation::Table)
                    .col(uuid(AreaPopulation::AreaId))
                    .col(string(AreaPopulation::Gender))
                    .col(string(AreaPopulation::AgeBand))
                    .col(big_integer(AreaPopulation::Population))
                    .foreign_key(&mut cascade(
                        "fk_area_population_area",
                        (AreaPopulation::Table, AreaPopulation::AreaId),
                        "area",
                    ))
                    .to_owned(),
            )
            .await?;
        create_unique_index(
            manager,
            "ux_area_population_cell",
            AreaPopulation::Table,
            [
                AreaPopulation::AreaId,
                AreaPopulation::Gender,
                AreaPopulation::AgeBand,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [AreaPopulation::Table]).await
    }
}
