//! After retention, the deleted text is gone from the disk, not only from the
//! tables: on SQLite neither the database file nor its write-ahead log holds it.

use sea_orm::ConnectionTrait;
use serde_json::json;
use time::macros::{date, datetime};
use trygg_domain::RetentionDays;
use trygg_store::Backend;
use trygg_store::testing::TestDatabase;

use super::{seeded, submit};

/// Whether `needle` occurs anywhere in the bytes of the file at `path` (an
/// absent file holds nothing).
fn file_holds(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn retention_leaves_no_deleted_text_in_the_database_file_or_its_wal() {
    let db = TestDatabase::create().await.unwrap();
    let (store, _, a, s) = seeded(&db).await;
    let marker = format!("MARKÖR-{}", uuid::Uuid::now_v7().simple());
    let input = json!({
        "answers": {"gender": "kvinna", "comment": format!("{marker} i fritext")},
        "pins": [
            {"location": [17.65, 59.52], "category": "belysning", "time_of_day": "night",
             "comment": format!("{marker} på kartan")},
            {"description": format!("{marker} i ord"), "category": "grupper",
             "time_of_day": "evening", "comment": format!("{marker} om platsen")}
        ]
    });
    submit(&store, &s, &a, input, datetime!(2023-10-12 12:00 UTC)).await;
    store
        .set_retention(
            &s,
            Some(RetentionDays::parse(30, "retention_days").unwrap()),
        )
        .await
        .unwrap();

    let files = match store.backend() {
        Backend::Sqlite => {
            let url = db.url_text();
            let path = url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap()
                .to_owned();
            // Into the main file too, so the test shows that the purge wipes
            // the text there, not only that it never left the log.
            store
                .connection()
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .unwrap();
            let files = [
                std::path::PathBuf::from(&path),
                std::path::PathBuf::from(format!("{path}-wal")),
            ];
            assert!(
                file_holds(&files[0], &marker),
                "the comment is on disk before retention"
            );
            files.to_vec()
        }
        Backend::Postgres => Vec::new(),
    };

    let retained = store
        .apply_retention(s.id, date!(2024 - 01 - 15), Some)
        .await
        .unwrap();
    assert_eq!(retained.text_answers, 1);
    assert_eq!(retained.pins, 1);
    assert_eq!(retained.described_places, 1);
    let comments = store
        .comments(s.municipality_id, Default::default())
        .await
        .unwrap();
    assert!(comments.is_empty(), "{comments:?}");
    for file in &files {
        assert!(
            !file_holds(file, &marker),
            "{} still holds the deleted text",
            file.display()
        );
    }
    super::finish(store, db).await;
}
