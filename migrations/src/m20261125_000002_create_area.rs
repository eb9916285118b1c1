//! Areas (kommundelar): named polygons, stored as GeoJSON text so both databases
//! hold them without a spatial extension.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_unique_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("area")
            .columns(string, ["code", "name"])
            .col(text("geometry"))
            .create(manager)
            .await?;
        create_unique_index(manager, "area", &["municipality_id", "code"]).await
    }
    down(manager) {
        drop_tables(manager, ["area"]).await
    }
}
