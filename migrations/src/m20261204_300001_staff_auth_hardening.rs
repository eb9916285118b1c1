//! Staff-side hardening (ASVS 5.0 Level 2).
//!
//! The last TOTP time step an account used, so a code (or an earlier one)
//! cannot be used twice.
//!
//! A draft's slug is unique within its municipality only, so one municipality
//! cannot find out another's draft slugs by trying to take them. Published
//! surveys keep their own global unique index: their slugs are public
//! addresses (`/s/{slug}`).
//!
//! SQLite cannot drop a column's inline UNIQUE constraint, so there the table
//! is rebuilt without it.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{add_column, cascade, create_unique_index, drop_column, id_table};

const COLUMNS: &str =
    "id, municipality_id, slug, definition, copied_from, retention_days, updated_at";

migration! {
    up(manager) {
        add_column(manager, "staff_user", big_integer_null("totp_last_step")).await?;
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                let create = id_table("survey_draft_new")
                    .col(uuid("municipality_id"))
                    .col(string("slug"))
                    .col(text("definition"))
                    .col(uuid_null("copied_from"))
                    .col(integer_null("retention_days"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        "fk_survey_draft_municipality",
                        ("survey_draft_new", "municipality_id"),
                        "municipality",
                    ))
                    .to_owned();
                let create = db.get_database_backend().build(&create).sql;
                // One batch on one connection: a pooled connection still
                // reading the old schema must not see half of the rebuild.
                db.execute_unprepared(&format!(
                    "{create}; \
                     INSERT INTO survey_draft_new ({COLUMNS}) SELECT {COLUMNS} FROM survey_draft; \
                     DROP TABLE survey_draft; \
                     ALTER TABLE survey_draft_new RENAME TO survey_draft; \
                     CREATE UNIQUE INDEX ux_survey_draft_municipality_slug \
                     ON survey_draft (municipality_id, slug);"
                ))
                .await?;
                return Ok(());
            }
            _ => {
                db.execute_unprepared(
                    "ALTER TABLE survey_draft DROP CONSTRAINT IF EXISTS survey_draft_slug_key",
                )
                .await?;
                db.execute_unprepared("DROP INDEX IF EXISTS ux_survey_draft_slug")
                    .await?;
            }
        }
        create_unique_index(manager, "survey_draft", &["municipality_id", "slug"]).await
    }
    down(manager) {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_survey_draft_municipality_slug")
                    .table("survey_draft")
                    .to_owned(),
            )
            .await?;
        create_unique_index(manager, "survey_draft", &["slug"]).await?;
        drop_column(manager, "staff_user", "totp_last_step").await
    }
}
