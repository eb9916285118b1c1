//! Trygghetsvandringar and their findings. A finding is an action item: its
//! status, the day it was fixed or the reason it will not be, and its due date.
//! Points are lon/lat doubles like pins, so neither database needs a spatial extension.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("safety_walk")
            .columns(string, ["title", "area_code"])
            .col(date("walked_on"))
            .columns(text, ["route", "stops", "participants"])
            .create(manager)
            .await?;
        tenant_table("walk_finding")
            .references(uuid("walk_id"), "safety_walk")
            .point()
            .col(string("category"))
            .col(text("note"))
            .columns(string, ["responsible", "status"])
            .col(date_null("fixed_on"))
            .col(text_null("reason"))
            .col(date_null("due_on"))
            .create(manager)
            .await?;
        create_index(manager, "walk_finding", &["walk_id"]).await
    }
    down(manager) {
        drop_tables(manager, ["walk_finding", "safety_walk"]).await
    }
}
