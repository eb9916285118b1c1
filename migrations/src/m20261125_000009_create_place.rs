//! Named places of a municipality (centres, stations, squares) that residents
//! can choose from a list instead of using the map.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_unique_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("place")
            .columns(string, ["name", "kind"])
            .point()
            .create(manager)
            .await?;
        create_unique_index(manager, "place", &["municipality_id", "name"]).await
    }
    down(manager) {
        drop_tables(manager, ["place"]).await
    }
}
