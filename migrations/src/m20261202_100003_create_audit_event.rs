//! The audit log of staff actions: who (a staff account, or none for the CLI),
//! what and when, in one municipality. It never holds resident data.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("audit_event")
            // No foreign key to the account: the log outlives any account.
            .col(uuid_null("user_id"))
            .columns(string, ["actor", "action"])
            .col(text("target"))
            .col(timestamp_with_time_zone("at"))
            .create(manager)
            .await?;
        create_index(manager, "audit_event", &["municipality_id", "at"]).await
    }
    down(manager) {
        drop_tables(manager, ["audit_event"]).await
    }
}
