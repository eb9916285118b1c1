//! Focus areas, medborgarlöften, their activities and progress entries, and
//! åtgärdsplaner. Localised texts and lists are JSON text because they are always
//! read and written whole; the action plan is one JSON document for the same reason.
//! Every row carries `municipality_id`, so every query can be tenant-scoped.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("focus_area")
            .columns(string, ["name", "kind"])
            .col(string_null("area_code"))
            .period()
            .col(text("rationale"))
            .create(manager)
            .await?;
        tenant_table("promise")
            .references(uuid("focus_area_id"), "focus_area")
            .col(text("title"))
            .period()
            .columns(text, ["parties", "expected_effect"])
            .columns(
                string_null,
                ["indicator_key", "baseline_survey", "indicator_area"],
            )
            .create(manager)
            .await?;
        tenant_table("activity")
            .references(uuid("promise_id"), "promise")
            .col(text("title"))
            .col(string("owner"))
            .col(integer("target"))
            .col(string("unit"))
            .columns(date, ["starts_on", "due_on"])
            .create(manager)
            .await?;
        tenant_table("progress_entry")
            .references(uuid("activity_id"), "activity")
            .col(date("done_on"))
            .col(integer("amount"))
            .col(text("text"))
            .col(text_null("note"))
            .create(manager)
            .await?;
        create_index(manager, "progress_entry", &["activity_id"]).await?;
        tenant_table("action_plan")
            .col(string("title"))
            .period()
            .col(text("document"))
            .create(manager)
            .await
    }
    down(manager) {
        drop_tables(
            manager,
            [
                "action_plan",
                "progress_entry",
                "activity",
                "promise",
                "focus_area",
            ],
        )
        .await
    }
}
