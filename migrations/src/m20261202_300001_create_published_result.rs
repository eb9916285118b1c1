//! Survey rounds whose results an analyst has published on the public results page
//! `/r/{slug}`. A row means "published"; deleting it withdraws the page.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, drop_tables, per_survey_table};

migration! {
    up(manager) {
        per_survey_table("published_result")
            .col(date("published_on"))
            .create(manager)
            .await
    }
    down(manager) {
        drop_tables(manager, ["published_result"]).await
    }
}
