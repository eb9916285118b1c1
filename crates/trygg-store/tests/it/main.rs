//! The store against a real database: SQLite by default, PostgreSQL when
//! `TRYGG_TEST_DATABASE_URL` points at one. Every test gets its own database.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod authoring;
mod batch;
mod published;
mod staff;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;
use trygg_domain::{
    Area, Boundary, Decision, DecisionInput, Municipality, Response, ResponseInput, Survey,
    SurveyInput,
};
use trygg_migrations::{Migrator, MigratorTrait};
use trygg_store::testing::TestDatabase;
use trygg_store::{Store, StoreError};

mod promises;
mod resident_ids;
mod retention_wal;

/// Closes `store` and drops its database.
async fn finish(store: Store, db: TestDatabase) {
    store.close().await.unwrap();
    db.drop_database().await.unwrap();
}

/// Asserts that `error` is a conflict over `field`.
#[track_caller]
fn assert_conflict(error: &StoreError, field: &str) {
    assert!(
        matches!(error, StoreError::Conflict { field: f, .. } if f == field),
        "{error}"
    );
}

fn municipality() -> Municipality {
    Municipality::parse("testkommun", "Testkommun", false).unwrap()
}

fn area(m: &Municipality) -> Area {
    let geometry: geojson::Geometry = serde_json::from_value(json!({
        "type": "Polygon",
        "coordinates": [[[17.6, 59.5], [17.7, 59.5], [17.7, 59.55], [17.6, 59.55], [17.6, 59.5]]]
    }))
    .unwrap();
    Area::parse(m.id, "bro", "Bro", &geometry, "").unwrap()
}

fn survey(m: &Municipality, slug: &str) -> Survey {
    let input: SurveyInput = serde_json::from_value(json!({
        "slug": slug, "round": "2023",
        "title": {"sv": "Trygghetsmätning", "en": "Safety survey"},
        "opens_on": "2023-10-01", "closes_on": "2023-11-30",
        "questions": [
            {"key": "gender", "kind": "single_choice", "background": "gender", "required": true, "text": {"sv": "Kön"},
             "options": [{"key": "kvinna", "label": {"sv": "Kvinna"}}, {"key": "man", "label": {"sv": "Man"}}]},
            {"key": "priorities", "kind": "multiple_choice", "text": {"sv": "Prioritera"},
             "options": [{"key": "belysning", "label": {"sv": "Belysning"}}, {"key": "polis", "label": {"sv": "Polis"}}, {"key": "unga", "label": {"sv": "Unga"}}]},
            {"key": "years", "kind": "number", "min": 0, "max": 100, "text": {"sv": "År"}},
            {"key": "comment", "kind": "free_text", "text": {"sv": "Något mer?"}},
            {"key": "places", "kind": "map", "text": {"sv": "Platser"},
             "categories": [{"key": "belysning", "label": {"sv": "Belysning"}}, {"key": "grupper", "label": {"sv": "Grupper som stör"}}]}
        ]
    }))
    .unwrap();
    Survey::parse(input, m.id).unwrap()
}

fn boundary(a: &Area) -> Boundary {
    Boundary::new([(a.code.clone(), a.boundary.clone())])
}

/// Stores the test municipality with its area Bro and the survey `trygghet-2023`.
async fn seed(store: &Store) -> (Municipality, Area, Survey) {
    let m = municipality();
    let a = area(&m);
    let s = survey(&m, "trygghet-2023");
    store.insert_municipality(&m).await.unwrap();
    store.insert_areas(std::slice::from_ref(&a)).await.unwrap();
    store.insert_survey(&s).await.unwrap();
    (m, a, s)
}

/// A migrated store holding what [`seed`] stores.
async fn seeded(db: &TestDatabase) -> (Store, Municipality, Area, Survey) {
    let store = db.migrated().await.unwrap();
    let (m, a, s) = seed(&store).await;
    (store, m, a, s)
}

/// Accepts `input` as a response to `s` submitted `at`, and stores it.
async fn submit(
    store: &Store,
    s: &Survey,
    a: &Area,
    input: serde_json::Value,
    at: OffsetDateTime,
) -> Response {
    let input: ResponseInput = serde_json::from_value(input).unwrap();
    let response = s.accept(input, &boundary(a), at).unwrap();
    store
        .insert_responses(std::slice::from_ref(&response), &boundary(a))
        .await
        .unwrap();
    response
}

/// A moderator's decision of `kind` on the text `original`, with an edited
/// `text` (for a redaction) and a `reason`.
fn decision(kind: &str, text: Option<&str>, reason: Option<&str>, original: &str) -> Decision {
    Decision::parse(
        DecisionInput {
            decision: kind.to_owned(),
            text: text.map(str::to_owned),
            reason: reason.map(str::to_owned),
        },
        original,
    )
    .unwrap()
}

/// The items in order, for comparing what was with what is regardless of the
/// order they were read in.
fn sorted<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut all: Vec<T> = items.into_iter().collect();
    all.sort();
    all
}

/// Tables and columns of ours, as `table.column` names, to see what each migration changed.
async fn schema(store: &Store) -> Vec<String> {
    let sql = match store.backend() {
        trygg_store::Backend::Sqlite => {
            "SELECT m.name || '.' || p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> 'seaql_migrations' ORDER BY c"
        }
        trygg_store::Backend::Postgres => {
            "SELECT table_name || '.' || column_name AS c FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> 'seaql_migrations' ORDER BY c"
        }
    };
    let rows = store
        .connection()
        .query_all_raw(Statement::from_string(
            store.connection().get_database_backend(),
            sql,
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", "c").unwrap())
        .collect()
}

/// Runs the next migration up; the schema it leaves.
async fn one_up(store: &Store) -> Vec<String> {
    Migrator::up(store.connection(), Some(1)).await.unwrap();
    schema(store).await
}

/// Rolls the last migration back; the schema it leaves.
async fn one_down(store: &Store) -> Vec<String> {
    Migrator::down(store.connection(), Some(1)).await.unwrap();
    schema(store).await
}

/// Migrations that change rows, not the schema; their test is their own.
const DATA_ONLY: [&str; 1] = ["m20261204_100001_rekey_resident_ids"];

#[tokio::test]
async fn every_migration_runs_up_down_and_up_again() {
    let db = TestDatabase::create().await.unwrap();
    let store = db.connect().await.unwrap();
    for (step, migration) in Migrator::migrations().iter().enumerate() {
        let name = migration.name();
        let before = schema(&store).await;
        let after = one_up(&store).await;
        if DATA_ONLY.contains(&name) {
            assert_eq!(after, before, "data migration {name} changed the schema");
        } else {
            assert!(after.len() > before.len(), "migration {name} added nothing");
        }
        assert_eq!(
            one_down(&store).await,
            before,
            "migration {name} down did not undo up"
        );
        assert_eq!(
            one_up(&store).await,
            after,
            "migration {name} up again differs (step {step})"
        );
    }
    assert!(store.pending_migrations().await.unwrap().is_empty());
    let full = schema(&store).await;
    store.migrate_down().await.unwrap();
    assert!(schema(&store).await.is_empty());
    store.migrate().await.unwrap();
    assert_eq!(schema(&store).await, full);
    finish(store, db).await;
}

#[tokio::test]
async fn municipalities_areas_and_surveys_read_back_as_they_were_written() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, a, s) = seeded(&db).await;
    assert_eq!(
        store.municipality_by_slug("testkommun").await.unwrap(),
        Some(m.clone())
    );
    let areas = store.areas(m.id).await.unwrap();
    assert_eq!(areas, vec![a]);
    let read = store
        .survey_by_slug("trygghet-2023")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, s);
    let listed = store.surveys().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].responses, listed[0].pins), (0, 0));
    finish(store, db).await;
}

#[tokio::test]
async fn responses_with_every_answer_kind_and_pins_read_back_as_they_were_written() {
    let db = TestDatabase::create().await.unwrap();
    let (store, _, a, s) = seeded(&db).await;
    let input = json!({
        "answers": {"gender": "kvinna", "priorities": ["unga", "belysning"], "years": 7.0, "comment": "Mörkt vid stationen"},
        "pins": [
            {"location": [17.65, 59.52], "category": "grupper", "time_of_day": "evening", "comment": "Stökigt på fredagar"},
            {"location": [17.61, 59.51], "category": "belysning", "time_of_day": "night"}
        ]
    });
    let response = submit(&store, &s, &a, input, datetime!(2023-10-12 21:47 UTC)).await;

    let read = store.responses(&s).await.unwrap();
    assert_eq!(read, vec![response]);
    let pins = store.pins(&s).await.unwrap();
    assert!(pins.iter().all(|p| p.area_code.as_deref() == Some("bro")));
    assert_eq!(store.count_responses(&s).await.unwrap(), 1);
    finish(store, db).await;
}

#[tokio::test]
async fn a_taken_survey_slug_is_a_conflict_naming_the_slug() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, _, _) = seeded(&db).await;
    let again = survey(&m, "trygghet-2023");
    let error = store.insert_survey(&again).await.unwrap_err();
    assert_conflict(&error, "slug");
    finish(store, db).await;
}

#[tokio::test]
async fn a_batch_of_responses_lands_whole_or_not_at_all() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, a, s) = seeded(&db).await;
    let good = s
        .accept(
            serde_json::from_value(json!({"answers": {"gender": "man"}})).unwrap(),
            &boundary(&a),
            datetime!(2023-10-12 12:00 UTC),
        )
        .unwrap();
    // The second response points at a survey that does not exist, so the
    // database refuses it after the first row of the batch was sent.
    let other = survey(&m, "finns-inte");
    let mut orphan = good.clone();
    orphan.id = trygg_domain::ResponseId::new();
    orphan.survey_id = other.id;
    let result = store.insert_responses(&[good, orphan], &boundary(&a)).await;
    assert!(result.is_err());
    assert_eq!(store.count_responses(&s).await.unwrap(), 0);
    finish(store, db).await;
}

#[tokio::test]
async fn a_batch_sent_with_keys_stores_each_response_once_and_answers_each_in_order() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, a, s) = seeded(&db).await;
    let b = boundary(&a);
    let response = |gender: &str| {
        s.accept(
            serde_json::from_value(json!({"answers": {"gender": gender}})).unwrap(),
            &b,
            datetime!(2023-10-12 12:00 UTC),
        )
        .unwrap()
    };
    let (first, second, third, fourth) = (
        response("man"),
        response("kvinna"),
        response("man"),
        response("kvinna"),
    );
    let earlier = store
        .insert_response_once(&first, &b, "key-stored-before", "body-1")
        .await
        .unwrap();
    assert_eq!(earlier, trygg_store::Stored::Created(first.id));

    let incoming = |response, key, fingerprint| trygg_store::Incoming {
        response,
        boundary: &b,
        key,
        fingerprint,
    };
    let batch = [
        incoming(&second, "key-new", "body-2"),
        incoming(&first, "key-stored-before", "body-1"),
        incoming(&third, "key-stored-before", "another body"),
        incoming(&fourth, "key-new", "body-2"),
        incoming(&third, "key-new", "yet another body"),
    ];
    let answers: Vec<_> = store
        .insert_responses_once(&batch)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    use trygg_store::Stored::{Created, KeyReused, Replayed};
    assert_eq!(
        answers,
        vec![
            Created(second.id),
            Replayed(first.id),
            KeyReused,
            Replayed(second.id),
            KeyReused
        ]
    );
    let stored = sorted(store.responses(&s).await.unwrap().into_iter().map(|r| r.id));
    assert_eq!(stored, sorted([first.id, second.id]));

    // A batch that breaks a constraint is stored one response at a time, so
    // the response that points at a missing survey fails alone.
    let other = survey(&m, "finns-inte");
    let mut orphan = response("man");
    orphan.survey_id = other.id;
    let fifth = response("kvinna");
    let mixed = [
        incoming(&orphan, "key-orphan", "body-3"),
        incoming(&fifth, "key-fifth", "body-4"),
    ];
    let answers = store.insert_responses_once(&mixed).await;
    assert!(answers[0].is_err());
    assert_eq!(answers[1].as_ref().unwrap(), &Created(fifth.id));
    assert_eq!(store.count_responses(&s).await.unwrap(), 3);
    finish(store, db).await;
}
