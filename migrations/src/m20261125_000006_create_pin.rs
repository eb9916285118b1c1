//! Pins (otrygga platser). Longitude and latitude are plain doubles so both
//! databases hold them without a spatial extension; spatial work happens in Rust.
//! A pin imported from another tool may have no response.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_index, drop_tables, survey_table};

migration! {
    up(manager) {
        survey_table("pin")
            .references(uuid_null("response_id"), "response")
            .col(string_null("area_code"))
            .point()
            .columns(string, ["category", "time_of_day"])
            .col(text_null("comment"))
            .create(manager)
            .await?;
        create_index(manager, "pin", &["survey_id"]).await
    }
    down(manager) {
        drop_tables(manager, ["pin"]).await
    }
}
