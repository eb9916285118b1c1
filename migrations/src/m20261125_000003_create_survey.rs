//! Surveys: one row per round; the checked definition is kept as JSON text
//! because its questions are always read and written as a whole.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("survey")
            .col(string_uniq("slug"))
            .columns(string, ["round", "title"])
            .col(date("opens_on"))
            .col(date_null("closes_on"))
            .col(text("definition"))
            .create(manager)
            .await
    }
    down(manager) {
        drop_tables(manager, ["survey"]).await
    }
}
