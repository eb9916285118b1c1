//! Population figures per area × gender × age band, which the lägesbild rakes
//! respondents to. Gender and age band are the option keys of the surveys'
//! background questions, so the same figures serve every round.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_named_unique_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("area_population")
            .references(uuid("area_id"), "area")
            .columns(string, ["gender", "age_band"])
            .col(big_integer("population"))
            .create(manager)
            .await?;
        create_named_unique_index(
            manager,
            "ux_area_population_cell",
            "area_population",
            ["area_id", "gender", "age_band"],
        )
        .await
    }
    down(manager) {
        drop_tables(manager, ["area_population"]).await
    }
}
