//! Survey authoring: drafts apart from surveys, so nothing that reads surveys
//! (intake, exports, analysis) can see one before it is published; and, per
//! survey, the round it was copied from and how long its free text and exact
//! pin locations are kept.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("survey_draft")
            .col(string_uniq("slug"))
            .col(text("definition"))
            // No foreign key: the round it was copied from may be deleted later.
            .col(uuid_null("copied_from"))
            .col(integer_null("retention_days"))
            .col(timestamp_with_time_zone("updated_at"))
            .create(manager)
            .await?;
        Table::create()
            .table("survey_policy")
            .references(uuid("survey_id").primary_key(), "survey")
            .references(uuid("municipality_id"), "municipality")
            .col(uuid_null("copied_from"))
            .col(integer_null("retention_days"))
            .col(date_null("retained_on"))
            .create(manager)
            .await
    }
    down(manager) {
        drop_tables(manager, ["survey_policy", "survey_draft"]).await
    }
}
