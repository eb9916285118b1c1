//! The frozen public release of a published round: the public page's JSON, its CSV
//! in both dialects and the figures the public follow-up page shows, stored when the
//! round is published and served as stored, so late imports, corrections and
//! retention never change a public figure. Publishing again replaces the row and
//! counts up `version`; `taken_at` and `taken_by` say when and by whom.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, drop_tables, per_survey_table};

migration! {
    up(manager) {
        per_survey_table("published_snapshot")
            .col(integer("version"))
            .col(timestamp_with_time_zone("taken_at"))
            .col(string("taken_by"))
            .columns(
                text,
                [
                    "results_json",
                    "tables_csv",
                    "tables_csv_semicolon",
                    "follow_up_json",
                ],
            )
            .create(manager)
            .await
    }
    down(manager) {
        drop_tables(manager, ["published_snapshot"]).await
    }
}
