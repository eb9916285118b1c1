//! Residents' ids carried the time they were made: responses, answers, pins
//! and described places had UUIDv7 ids, each giving a submission time to the
//! millisecond beside a response that keeps only its hour. This gives every one
//! of them a fresh random UUIDv4 and moves every reference along: answers, pins
//! and described places to their response, moderation decisions (keyed by the
//! id of the pin, answer or described place whose text they decide) and the
//! audit log's `comment.moderate` entries, which name the comment. The
//! idempotency key and fingerprint live on the response row, so a retry after
//! the migration still finds its response, under the new id.
//!
//! The rows of one response (its answers, pins, described places) get their
//! new ids in the order of the old ones, so a response's pins read back in the
//! order they were given; across responses the new ids are random.
//!
//! It is one transaction on both databases: all rows or none are re-keyed.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, DbBackend},
};

use crate::common::{TableExt, cascade, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables re-keyed, each with the group within which its rows keep their
/// order: a response alone (so responses keep no order at all), the rows of one
/// response, and pins without a response by survey.
const TABLES: [(&str, &str); 4] = [
    ("response", "id"),
    ("answer", "response_id"),
    ("pin", "COALESCE(response_id, survey_id)"),
    ("described_place", "response_id"),
];

/// The foreign keys to `response.id`, which PostgreSQL checks at the end of
/// each statement, so they are dropped while ids change and made again after.
const TO_RESPONSE: [(&str, &str); 3] = [
    ("answer", "fk_answer_response"),
    ("pin", "fk_pin_response"),
    ("described_place", "fk_described_place_response"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // SQLite runs migrations outside a transaction unless asked.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let postgres = backend == DbBackend::Postgres;
        let db = manager.get_connection();
        // Every old id with the group whose order it keeps and a random draw.
        Table::create()
            .table("rekey_draw")
            .col(string("kind"))
            .col(uuid("grp"))
            .col(uuid("old").primary_key())
            .col(string_null("draw"))
            .col(uuid_null("fresh"))
            .create(manager)
            .await?;
        // The old id and its new one.
        Table::create()
            .table("rekey_id")
            .col(uuid("old").primary_key())
            .col(uuid("fresh"))
            .create(manager)
            .await?;

        // A random UUIDv4 for every row: PostgreSQL makes them; on SQLite, where
        // ids are 16-byte blobs, 16 random bytes are drawn first and stored, so
        // the version and variant are set on the same bytes afterwards.
        let random = if postgres {
            "NULL, gen_random_uuid()"
        } else {
            "hex(randomblob(16)), NULL"
        };
        for (table, group) in TABLES {
            db.execute_unprepared(&format!(
                "INSERT INTO rekey_draw (kind, grp, old, draw, fresh) \
                 SELECT '{table}', {group}, id, {random} FROM {table}"
            ))
            .await?;
        }
        if !postgres {
            db.execute_unprepared(
                "UPDATE rekey_draw SET fresh = unhex(substr(draw, 1, 12) || '4' || substr(draw, 14, 3) \
                 || substr('89AB', (instr('0123456789ABCDEF', substr(draw, 17, 1)) - 1) % 4 + 1, 1) \
                 || substr(draw, 18, 15))",
            )
            .await?;
        }
        // Within a group the new ids go to the old ones in the same order.
        db.execute_unprepared(
            "INSERT INTO rekey_id (old, fresh) SELECT o.old, f.fresh FROM \
             (SELECT kind, grp, old, ROW_NUMBER() OVER (PARTITION BY kind, grp ORDER BY old) AS n FROM rekey_draw) o \
             JOIN (SELECT kind, grp, fresh, ROW_NUMBER() OVER (PARTITION BY kind, grp ORDER BY fresh) AS n FROM rekey_draw) f \
             ON f.kind = o.kind AND f.grp = o.grp AND f.n = o.n",
        )
        .await?;

        if postgres {
            for (table, name) in TO_RESPONSE {
                manager
                    .drop_foreign_key(
                        ForeignKey::drop()
                            .name(name)
                            .table(Alias::new(table))
                            .to_owned(),
                    )
                    .await?;
            }
        } else {
            // Checked at commit instead; switched off again by the commit.
            db.execute_unprepared("PRAGMA defer_foreign_keys = ON")
                .await?;
        }
        let new = |column: &str, table: &str| {
            format!("(SELECT fresh FROM rekey_id WHERE old = {table}.{column})")
        };
        db.execute_unprepared(&format!(
            "UPDATE response SET id = {}",
            new("id", "response")
        ))
        .await?;
        for (table, _) in TO_RESPONSE {
            db.execute_unprepared(&format!(
                "UPDATE {table} SET id = {}, response_id = {}",
                new("id", table),
                new("response_id", table)
            ))
            .await?;
        }
        db.execute_unprepared(&format!(
            "UPDATE comment_moderation SET id = {} WHERE id IN (SELECT old FROM rekey_id)",
            new("id", "comment_moderation")
        ))
        .await?;
        // `comment.moderate` entries name the comment as `<id> <decision>`.
        let named = parse_uuid(postgres, "substr(audit_event.target, 1, 36)");
        db.execute_unprepared(&format!(
            "UPDATE audit_event SET target = \
             (SELECT {} || substr(audit_event.target, 37) FROM rekey_id WHERE old = {named}) \
             WHERE action = 'comment.moderate' AND {named} IN (SELECT old FROM rekey_id)",
            uuid_text(postgres, "rekey_id.fresh"),
        ))
        .await?;
        if postgres {
            for (table, name) in TO_RESPONSE {
                manager
                    .create_foreign_key(cascade(name, (table, "response_id"), "response"))
                    .await?;
            }
        }
        drop_tables(manager, ["rekey_id", "rekey_draw"]).await
    }

    /// Nothing to undo: the old ids held the submission times this migration
    /// removes, and they are gone on purpose; the schema did not change, and
    /// random ids work under every earlier migration as well.
    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

/// The SQL for the UUID written in the text `expression`, or NULL when it is
/// not one, as the backend stores UUIDs.
fn parse_uuid(postgres: bool, expression: &str) -> String {
    if postgres {
        format!(
            "(CASE WHEN {expression} ~ '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$' \
             THEN CAST({expression} AS uuid) END)"
        )
    } else {
        // unhex gives NULL for anything that is not hexadecimal.
        format!("unhex(replace({expression}, '-', ''))")
    }
}

/// The SQL for the UUID `column` as lower-case hyphenated text, as Rust prints it.
fn uuid_text(postgres: bool, column: &str) -> String {
    if postgres {
        format!("CAST({column} AS text)")
    } else {
        let hex = format!("lower(hex({column}))");
        format!(
            "substr({hex}, 1, 8) || '-' || substr({hex}, 9, 4) || '-' || substr({hex}, 13, 4) \
             || '-' || substr({hex}, 17, 4) || '-' || substr({hex}, 21, 12)"
        )
    }
}
