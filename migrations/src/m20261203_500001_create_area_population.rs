//! Population figures per area × gender × age band, which the lägesbild rakes
//! respondents to. Gender and age band are the option keys of the surveys'
//! background questions, so the same figures serve every round.

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
}

#[derive(DeriveIden)]
enum AreaPopulation {
    Table,
    Id,
    MunicipalityId,
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
                Table::create()
                    .table(AreaPopulation::Table)
                    .col(uuid(AreaPopulation::Id).primary_key())
                    .col(uuid(AreaPopulation::MunicipalityId))
                    .col(uuid(AreaPopulation::AreaId))
                    .col(string(AreaPopulation::Gender))
                    .col(string(AreaPopulation::AgeBand))
                    .col(big_integer(AreaPopulation::Population))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_area_population_municipality")
                            .from(AreaPopulation::Table, AreaPopulation::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_area_population_area")
                            .from(AreaPopulation::Table, AreaPopulation::AreaId)
                            .to(Area::Table, Area::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_area_population_cell")
                    .table(AreaPopulation::Table)
                    .col(AreaPopulation::AreaId)
                    .col(AreaPopulation::Gender)
                    .col(AreaPopulation::AgeBand)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AreaPopulation::Table).to_owned())
            .await
    }
}
