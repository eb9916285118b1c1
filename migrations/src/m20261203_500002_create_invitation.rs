//! Invitation codes for a postal sample: single-use, per survey, with the area the
//! letter went to so response rates can be counted per area. A code is only
//! marked used; nothing links it to the response it opened, since the print shop's
//! address list links codes to people.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_unique_index, drop_tables, survey_table};

migration! {
    up(manager) {
        survey_table("invitation")
            .col(string("code"))
            .col(string_null("area_code"))
            .col(boolean("used").default(false))
            .create(manager)
            .await?;
        create_unique_index(manager, "invitation", &["survey_id", "code"]).await
    }
    down(manager) {
        drop_tables(manager, ["invitation"]).await
    }
}
