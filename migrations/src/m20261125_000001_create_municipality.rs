//! The tenant table: one row per municipality on this server.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, drop_tables, id_table};

migration! {
    up(manager) {
        id_table("municipality")
            .col(string_uniq("slug"))
            .col(string("name"))
            .col(boolean("synthetic").default(false))
            .create(manager)
            .await
    }
    down(manager) {
        drop_tables(manager, ["municipality"]).await
    }
}
