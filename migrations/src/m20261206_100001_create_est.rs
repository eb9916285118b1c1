//! EST: the municipality's partner organisations, the organisation a rapportör's
//! account reports for, and the händelser they report. A report keeps its exact
//! time (rapportörer are staff acting in their role) in the offset it was
//! reported in, and its place as a point,
//! in words, or both. `idempotency_key` lets an offline phone send a report
//! again without storing it twice.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{
    TableExt, add_column, create_index, create_unique_index, drop_column, drop_tables, tenant_table,
};

migration! {
    up(manager) {
        tenant_table("organisation")
            .col(string("name"))
            .create(manager)
            .await?;
        create_unique_index(manager, "organisation", &["municipality_id", "name"]).await?;
        // No foreign key: SQLite cannot add one to an existing table. An
        // organisation is never deleted while accounts report for it.
        add_column(manager, "staff_user", uuid_null("organisation_id")).await?;
        tenant_table("event_report")
            .references(uuid("organisation_id"), "organisation")
            // No foreign key: a report outlives the account that sent it.
            .col(uuid_null("reported_by"))
            .col(string("category"))
            .col(timestamp_with_time_zone("occurred_at"))
            .col(timestamp_with_time_zone_null("occurred_until"))
            // PostgreSQL keeps the instant, not the offset it was written in;
            // this keeps the rapportör's local time (and so its week) on both.
            .col(integer("utc_offset_seconds"))
            .col(double_null("lon"))
            .col(double_null("lat"))
            .col(text_null("place"))
            .col(text_null("description"))
            .col(integer_null("people"))
            .col(boolean("police_called").default(false))
            .col(string("status"))
            .col(uuid_null("merged_into"))
            // The action-plan or promise activity the coordinator turned it into.
            .col(uuid_null("activity_id"))
            .col(string_null("idempotency_key"))
            .create(manager)
            .await?;
        create_index(manager, "event_report", &["municipality_id", "occurred_at"]).await?;
        create_unique_index(manager, "event_report", &["municipality_id", "idempotency_key"]).await
    }
    down(manager) {
        drop_tables(manager, ["event_report"]).await?;
        drop_column(manager, "staff_user", "organisation_id").await?;
        drop_tables(manager, ["organisation"]).await
    }
}
