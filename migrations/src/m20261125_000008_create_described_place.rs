//! Places a respondent described in words instead of pinning, kept apart from
//! pins because they have no coordinates until an analyst locates them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_index, drop_tables, survey_table};

migration! {
    up(manager) {
        survey_table("described_place")
            .references(uuid("response_id"), "response")
            .col(text("description"))
            .columns(string, ["category", "time_of_day"])
            .col(text_null("comment"))
            .create(manager)
            .await?;
        create_index(manager, "described_place", &["survey_id"]).await
    }
    down(manager) {
        drop_tables(manager, ["described_place"]).await
    }
}
