//! Published results and their frozen snapshots against a real database.

use time::OffsetDateTime;
use time::macros::{date, datetime};
use trygg_store::testing::TestDatabase;
use trygg_store::{Publication, Snapshot};

use super::seeded;

fn snapshot(text: &str) -> Snapshot {
    Snapshot {
        results_json: format!("{{\"figures\":\"{text}\"}}"),
        tables_csv: format!("\u{feff}a,b\n{text},1\n"),
        tables_csv_semicolon: format!("\u{feff}a;b\n{text};1\n"),
        follow_up_json: format!("{{\"round\":\"{text}\"}}"),
    }
}

/// A release of the results first published on 2023-12-01.
fn release(version: u32, taken_at: OffsetDateTime, taken_by: &str) -> Publication {
    Publication {
        published_on: date!(2023 - 12 - 01),
        version,
        taken_at,
        taken_by: taken_by.to_owned(),
    }
}

#[tokio::test]
async fn a_snapshot_is_served_as_stored_replaced_only_by_saving_again_and_gone_when_withdrawn() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, _, s) = seeded(&db).await;
    assert_eq!(store.publication(&s).await.unwrap(), None);
    assert!(
        store
            .published_release(s.slug.as_str())
            .await
            .unwrap()
            .is_none()
    );

    let first = release(1, datetime!(2023-12-01 09:30 UTC), "analytiker@kommun.se");
    store
        .save_release(&s, &first, &snapshot("första"))
        .await
        .unwrap();
    assert_eq!(store.publication(&s).await.unwrap(), Some(first.clone()));
    let (survey, publication, stored) = store
        .published_release(s.slug.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (survey.id, publication, stored),
        (s.id, first, snapshot("första"))
    );

    let second = release(2, datetime!(2024-02-01 14:00 UTC), "trygg (CLI)");
    store
        .save_release(&s, &second, &snapshot("andra"))
        .await
        .unwrap();
    let rounds = store.published_follow_up(m.id).await.unwrap();
    assert_eq!(rounds.len(), 1);
    assert_eq!(rounds[0].publication, second);
    assert_eq!(rounds[0].follow_up_json, snapshot("andra").follow_up_json);

    store.unpublish_results(&s).await.unwrap();
    assert_eq!(store.publication(&s).await.unwrap(), None);
    assert!(store.published_follow_up(m.id).await.unwrap().is_empty());
    db.drop_database().await.unwrap();
}
