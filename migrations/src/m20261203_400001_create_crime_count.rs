//! Police-reported crime counts per area, period and category, imported as
//! evidence for choosing focus areas. One row per area, period and category
//! (a unique index), so an import that repeats a row replaces it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_named_unique_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("crime_count")
            .columns(string, ["area_code", "period", "category"])
            .col(big_integer("count"))
            .create(manager)
            .await?;
        create_named_unique_index(
            manager,
            "ux_crime_count_area_period_category",
            "crime_count",
            ["municipality_id", "area_code", "period", "category"],
        )
        .await
    }
    down(manager) {
        drop_tables(manager, ["crime_count"]).await
    }
}
