//! One response the database refuses never fails the others of its batch.

use serde_json::json;
use time::macros::datetime;
use trygg_domain::{Answer, Boundary, Key, Response};
use trygg_store::testing::TestDatabase;
use trygg_store::{Backend, Incoming, StoreError, Stored};

use super::{boundary, seeded};

/// The responses sent as one batch, each with its key as its fingerprint.
fn batch<'a>(responses: &'a [(Response, String)], b: &'a Boundary) -> Vec<Incoming<'a>> {
    responses
        .iter()
        .map(|(response, key)| Incoming {
            response,
            boundary: b,
            key,
            fingerprint: key,
        })
        .collect()
}

/// Asserts that each response `stored` was created under its own id.
#[track_caller]
fn assert_created(
    answers: &[Result<Stored, StoreError>],
    responses: &[(Response, String)],
    stored: [usize; 4],
) {
    for i in stored {
        assert_eq!(
            answers[i].as_ref().unwrap(),
            &Stored::Created(responses[i].0.id),
            "response {i}"
        );
    }
}

/// Five valid responses and their idempotency keys.
fn five(survey: &trygg_domain::Survey, b: &Boundary) -> Vec<(Response, String)> {
    (0..5)
        .map(|i| {
            let response = survey
                .accept(
                    serde_json::from_value(
                        json!({"answers": {"gender": "kvinna", "comment": format!("svar {i}")}}),
                    )
                    .unwrap(),
                    b,
                    datetime!(2023-10-12 12:00 UTC),
                )
                .unwrap();
            (response, format!("key-{i}"))
        })
        .collect()
}

#[tokio::test]
async fn a_response_that_breaks_a_constraint_fails_alone_and_the_rest_of_its_batch_is_stored() {
    let db = TestDatabase::create().await.unwrap();
    let (store, _, a, s) = seeded(&db).await;
    let b = boundary(&a);
    let mut responses = five(&s, &b);
    // The fourth reuses the second's id: the batch breaks the primary key.
    responses[3].0.id = responses[1].0.id;
    let answers = store.insert_responses_once(&batch(&responses, &b)).await;
    assert_eq!(answers.len(), 5);
    assert_created(&answers, &responses, [0, 1, 2, 4]);
    assert!(answers[3].is_err(), "the duplicate id is refused");
    assert_eq!(store.count_responses(&s).await.unwrap(), 4);
    super::finish(store, db).await;
}

#[tokio::test]
async fn a_nul_that_reaches_the_database_fails_only_its_own_response() {
    let db = TestDatabase::create().await.unwrap();
    let (store, _, a, s) = seeded(&db).await;
    let b = boundary(&a);
    let mut responses = five(&s, &b);
    // Past the domain's checks, as a bug or another writer might send it.
    responses[2].0.answers.insert(
        Key::parse("comment", "").unwrap(),
        Answer::Text("mörkt\u{0}här".to_owned()),
    );
    let answers = store.insert_responses_once(&batch(&responses, &b)).await;
    assert_created(&answers, &responses, [0, 1, 3, 4]);
    match store.backend() {
        // PostgreSQL refuses U+0000 in text: that response alone fails.
        Backend::Postgres => {
            assert!(answers[2].is_err());
            assert_eq!(store.count_responses(&s).await.unwrap(), 4);
        }
        // SQLite stores it; the domain is what keeps it out.
        Backend::Sqlite => assert_eq!(store.count_responses(&s).await.unwrap(), 5),
    }
    super::finish(store, db).await;
}
