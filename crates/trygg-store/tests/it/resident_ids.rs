//! Residents' ids carry no time: every id a resident's submission makes is a
//! random UUIDv4, old databases are re-keyed, and lists sort by the submitted
//! hour, then id, never by arrival.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, ExprTrait, Value};
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;
use trygg_domain::AuditAction;
use trygg_domain::{Answer, Boundary, CommentSource, Response, ResponseId, ResponseInput, Survey};
use trygg_migrations::{Migrator, MigratorTrait};
use trygg_store::testing::{TestDatabase, stored_ids};
use trygg_store::{CommentFilter, Incoming, Store, Stored};
use uuid::Uuid;

use super::{boundary, decision, seed, seeded, sorted};

/// A response with every kind of answer, two pins with and without a comment,
/// and a place described in words with a comment.
fn full_response(s: &Survey, b: &Boundary, at: OffsetDateTime, text: &str) -> Response {
    let input: ResponseInput = serde_json::from_value(json!({
        "answers": {"gender": "kvinna", "priorities": ["unga", "belysning"], "years": 7.0, "comment": format!("Mörkt {text}")},
        "pins": [
            {"location": [17.65, 59.52], "category": "grupper", "time_of_day": "evening", "comment": format!("Stökigt {text}")},
            {"location": [17.61, 59.51], "category": "belysning", "time_of_day": "night"},
            {"location": [17.62, 59.53], "category": "belysning", "time_of_day": "day"}
        ]
    }))
    .unwrap();
    let mut response = s.accept(input, b, at).unwrap();
    let described: ResponseInput = serde_json::from_value(json!({
        "answers": {"gender": "man"},
        "pins": [{"description": format!("Tunneln vid skolan {text}"), "category": "belysning", "time_of_day": "evening", "comment": format!("Ingen lampa {text}")}]
    }))
    .unwrap();
    response.described_places = s.accept(described, b, at).unwrap().described_places;
    assert_eq!(response.described_places.len(), 1);
    response
}

fn is_random(id: Uuid) -> bool {
    id.get_version_num() == 4 && id.get_timestamp().is_none()
}

/// Decides every comment of the survey: redacts the free text, approves the
/// pin comment and rejects the described place's, each with an audit entry as
/// the moderation route writes it.
async fn moderate_all(store: &Store, m: trygg_domain::MunicipalityId) {
    for comment in store.comments(m, CommentFilter::default()).await.unwrap() {
        let decided = match comment.source {
            CommentSource::FreeText => decision(
                "redact",
                Some("Mörkt [borttaget]"),
                Some("namn"),
                &comment.text,
            ),
            CommentSource::PinComment => decision("approve", None, None, &comment.text),
            CommentSource::PlaceComment => decision("reject", None, Some("adress"), &comment.text),
        };
        store
            .decide_comment(m, &comment, &decided, None)
            .await
            .unwrap();
        store
            .audit(
                m,
                None,
                AuditAction::CommentModerate,
                &format!("{} {}", comment.id, decided.status().as_str()),
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn every_id_a_stored_response_makes_is_random_and_carries_no_time() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, a, s) = seeded(&db).await;
    let b = boundary(&a);
    let before: BTreeSet<Uuid> = stored_ids(&store)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, id)| id)
        .collect();

    let response = full_response(&s, &b, datetime!(2023-10-12 21:47 UTC), "ett");
    assert!(is_random(response.id.as_uuid()), "{}", response.id);
    let stored = store
        .insert_response_once(&response, &b, "a-client-key", "body")
        .await
        .unwrap();
    assert_eq!(stored, Stored::Created(response.id));
    let batched = full_response(&s, &b, datetime!(2023-10-12 22:05 UTC), "två");
    let answered = store
        .insert_responses_once(&[Incoming {
            response: &batched,
            boundary: &b,
            key: "another-key",
            fingerprint: "body-2",
        }])
        .await;
    assert_eq!(answered.len(), 1);
    assert!(matches!(answered[0], Ok(Stored::Created(id)) if id == batched.id));
    store
        .insert_responses(
            &[full_response(
                &s,
                &b,
                datetime!(2023-10-13 08:10 UTC),
                "tre",
            )],
            &b,
        )
        .await
        .unwrap();
    moderate_all(&store, m.id).await;
    // The idempotency record answers a retry with the same random id.
    assert_eq!(
        store
            .insert_response_once(&response, &b, "a-client-key", "body")
            .await
            .unwrap(),
        Stored::Replayed(response.id)
    );

    let made: BTreeMap<Uuid, BTreeSet<String>> = stored_ids(&store)
        .await
        .unwrap()
        .into_iter()
        // The audit log records the moderator's act, at its own exact time.
        .filter(|(column, id)| !before.contains(id) && !column.starts_with("audit_event."))
        .fold(BTreeMap::new(), |mut made, (column, id)| {
            made.entry(id).or_default().insert(column);
            made
        });
    // Per response: one response, 5 answer rows, 3 pins, 1 described place.
    assert_eq!(made.len(), 3 * (1 + 5 + 3 + 1), "{made:#?}");
    let tables: BTreeSet<&str> = made
        .values()
        .flatten()
        .map(|column| column.split('.').next().unwrap())
        .collect();
    for table in [
        "response",
        "answer",
        "pin",
        "described_place",
        "comment_moderation",
    ] {
        assert!(tables.contains(table), "no new id in {table}: {tables:?}");
    }
    for (id, columns) in &made {
        assert!(is_random(*id), "{id} in {columns:?} is not a random id");
    }
    // Moderation decisions are keyed by the comment's own random id.
    let decided: Vec<_> = made
        .iter()
        .filter(|(_, columns)| columns.contains("comment_moderation.id"))
        .collect();
    assert_eq!(decided.len(), 9, "three comments per response are decided");
    // Each response's pins and places read back in the order they were given.
    let read = store.responses(&s).await.unwrap();
    assert_eq!(read.iter().find(|r| r.id == response.id), Some(&response));
    assert_eq!(read.iter().find(|r| r.id == batched.id), Some(&batched));
    super::finish(store, db).await;
}

#[tokio::test]
async fn responses_pins_and_comments_are_listed_by_hour_then_id_never_by_arrival() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, a, s) = seeded(&db).await;
    let b = boundary(&a);
    // Arrivals: late in the evening first, then six in the same morning hour.
    let mut arrivals = vec![full_response(
        &s,
        &b,
        datetime!(2023-10-12 21:05 UTC),
        "kväll",
    )];
    for minute in 0..6 {
        arrivals.push(full_response(
            &s,
            &b,
            datetime!(2023-10-12 09:00 UTC) + time::Duration::minutes(minute * 9),
            &format!("morgon {minute}"),
        ));
    }
    for r in &arrivals {
        store
            .insert_responses(std::slice::from_ref(r), &b)
            .await
            .unwrap();
    }
    let hour_of: BTreeMap<ResponseId, OffsetDateTime> = arrivals
        .iter()
        .map(|r| (r.id, r.submitted_hour.time()))
        .collect();
    let mut expected: Vec<(OffsetDateTime, ResponseId)> =
        arrivals.iter().map(|r| (hour_of[&r.id], r.id)).collect();
    expected.sort();

    let listed: Vec<(OffsetDateTime, ResponseId)> = store
        .responses(&s)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.submitted_hour.time(), r.id))
        .collect();
    assert_eq!(listed, expected, "responses: by hour, then id");
    assert_eq!(
        listed.last().map(|(_, id)| *id),
        Some(arrivals[0].id),
        "the evening's response comes after the morning's, though it came first"
    );
    let ids: Vec<ResponseId> = store.response_ids(&s).await.unwrap();
    assert_eq!(ids, expected.iter().map(|(_, id)| *id).collect::<Vec<_>>());

    // Pins: by their response's hour, then by their own id.
    let pins = store.pins(&s).await.unwrap();
    assert_eq!(pins.len(), 7 * 3);
    let hours: Vec<OffsetDateTime> = pins
        .iter()
        .map(|p| hour_of[&p.response_id.unwrap()])
        .collect();
    assert!(hours.is_sorted(), "pins by hour");
    assert_eq!(hours.last(), Some(&hour_of[&arrivals[0].id]));

    // The moderation queue: by the response's hour, then the comment's id.
    let comments = store
        .comments(m.id, CommentFilter::default())
        .await
        .unwrap();
    assert_eq!(comments.len(), 7 * 3);
    let texts_last: Vec<&str> = comments[18..].iter().map(|c| c.text.as_str()).collect();
    assert!(
        texts_last.iter().all(|t| t.ends_with("kväll")),
        "the evening's comments come last: {texts_last:?}"
    );
    let morning: Vec<Uuid> = comments[..18].iter().map(|c| c.id).collect();
    assert!(morning.is_sorted(), "within the hour by id");
    super::finish(store, db).await;
}

/// Writes `r` as the code before random ids did: UUIDv7 ids for the response
/// and each of its rows, made in order, with its idempotency key.
async fn insert_old_shaped(
    store: &Store,
    r: &Response,
    b: &Boundary,
    key: &str,
    fingerprint: &str,
) -> Response {
    let db = store.connection();
    let id = Uuid::now_v7();
    let common = |table: &str, columns: Vec<(&str, Value)>| {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(table));
        insert.columns(columns.iter().map(|(c, _)| Alias::new(*c)));
        insert.values_panic(columns.into_iter().map(|(_, v)| SimpleExpr::Value(v)));
        insert
    };
    // A row that belongs to the response, under an old id of its own.
    let insert_row = async |table: &str, extra: Vec<(&str, Value)>| {
        let mut columns = vec![
            ("id", Value::from(Uuid::now_v7())),
            ("municipality_id", r.municipality_id.as_uuid().into()),
            ("survey_id", r.survey_id.as_uuid().into()),
            ("response_id", id.into()),
        ];
        columns.extend(extra);
        db.execute(&common(table, columns)).await.unwrap();
    };
    db.execute(&common(
        "response",
        vec![
            ("id", id.into()),
            ("municipality_id", r.municipality_id.as_uuid().into()),
            ("survey_id", r.survey_id.as_uuid().into()),
            ("submitted_hour", r.submitted_hour.time().into()),
            ("idempotency_key", key.into()),
            ("fingerprint", fingerprint.into()),
            ("language", r.language.as_str().into()),
        ],
    ))
    .await
    .unwrap();
    for (question, answer) in &r.answers {
        let values: Vec<(Option<String>, Option<f64>, Option<String>)> = match answer {
            Answer::Choice(o) => vec![(Some(o.to_string()), None, None)],
            Answer::Choices(os) => os
                .iter()
                .map(|o| (Some(o.to_string()), None, None))
                .collect(),
            Answer::Number(n) => vec![(None, Some(*n), None)],
            Answer::Text(t) => vec![(None, None, Some(t.clone()))],
        };
        for (option, number, text) in values {
            let answer = vec![
                ("question_key", question.as_str().into()),
                ("option_key", option.into()),
                ("number_value", number.into()),
                ("text_value", text.into()),
            ];
            insert_row("answer", answer).await;
        }
    }
    for p in &r.pins {
        let area_code = b.area_of(p.location).map(|c| c.to_string());
        let pin = vec![
            ("area_code", area_code.into()),
            ("lon", p.location.lon().into()),
            ("lat", p.location.lat().into()),
            ("category", p.category.to_string().into()),
            ("time_of_day", p.time_of_day.as_str().into()),
            ("comment", p.comment.clone().into()),
        ];
        insert_row("pin", pin).await;
    }
    for d in &r.described_places {
        let place = vec![
            ("description", d.description.clone().into()),
            ("category", d.category.to_string().into()),
            ("time_of_day", d.time_of_day.as_str().into()),
            ("comment", d.comment.clone().into()),
        ];
        insert_row("described_place", place).await;
    }
    Response {
        id: ResponseId::from_uuid(id),
        ..r.clone()
    }
}

const REKEY: &str = "m20261204_100001_rekey_resident_ids";
const RESIDENT_TABLES: [&str; 5] = [
    "response",
    "answer",
    "pin",
    "described_place",
    "comment_moderation",
];

/// How many rows each resident table holds, and then the audit log.
async fn counts(store: &Store) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in RESIDENT_TABLES.iter().chain(&["audit_event"]) {
        let row = store
            .connection()
            .query_one_raw(sea_orm::Statement::from_string(
                store.connection().get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        counts.push(row.try_get("", "n").unwrap());
    }
    counts
}

#[tokio::test]
async fn the_rekeying_migration_keeps_every_row_and_reference_and_leaves_only_random_ids() {
    let db = TestDatabase::create().await.unwrap();
    let store = db.connect().await.unwrap();
    let before_rekey = Migrator::migrations()
        .iter()
        .position(|m| m.name() == REKEY)
        .unwrap();
    Migrator::up(
        store.connection(),
        Some(u32::try_from(before_rekey).unwrap()),
    )
    .await
    .unwrap();
    let (m, a, s) = seed(&store).await;
    let b = boundary(&a);

    // Three old responses, two in the same hour, and a pin with no response.
    let mut old = Vec::new();
    for (i, at) in [
        datetime!(2023-10-12 14:51:59 UTC),
        datetime!(2023-10-12 14:07 UTC),
        datetime!(2023-10-12 09:30 UTC),
    ]
    .into_iter()
    .enumerate()
    {
        let r = full_response(&s, &b, at, &format!("nr {i}"));
        let key = format!("key-{i}");
        let written = insert_old_shaped(&store, &r, &b, &key, &format!("body-{i}")).await;
        old.push((key, written));
    }
    let loose: trygg_domain::PinInput = serde_json::from_value(json!(
        {"location": [17.63, 59.52], "category": "grupper", "time_of_day": "night", "comment": "Importerad"}
    ))
    .unwrap();
    store
        .insert_loose_pins(&s, &s.accept_pins(vec![loose], &b).unwrap(), &b)
        .await
        .unwrap();
    // Stored by today's code; given an old id like the rest.
    store
        .connection()
        .execute(
            Query::update()
                .table(Alias::new("pin"))
                .value(Alias::new("id"), Uuid::now_v7())
                .and_where(sea_orm::sea_query::Expr::col(Alias::new("response_id")).is_null()),
        )
        .await
        .unwrap();
    moderate_all(&store, m.id).await;

    // What the old database holds, as the store reads it.
    let mut read = store.responses(&s).await.unwrap();
    read.sort_by_key(|r| r.id);
    let mut written: Vec<Response> = old.iter().map(|(_, r)| r.clone()).collect();
    written.sort_by_key(|r| r.id);
    assert_eq!(read, written, "the old-shaped rows read as the responses");
    let counts_before = counts(&store).await;
    assert_eq!(counts_before, [3, 15, 10, 3, 10, 10]);
    let old_ids: BTreeSet<Uuid> = stored_ids(&store)
        .await
        .unwrap()
        .into_iter()
        .filter(|(column, _)| RESIDENT_TABLES.iter().any(|t| column == &format!("{t}.id")))
        .map(|(_, id)| id)
        .collect();
    assert_eq!(old_ids.len(), 3 + 15 + 10 + 3);
    assert!(old_ids.iter().all(|id| id.get_version_num() == 7));
    let comments_before = store
        .comments(m.id, CommentFilter::default())
        .await
        .unwrap();
    let public_before = store.public_comments(&s).await.unwrap();
    let audit_before = store.audit_events(m.id, 100).await.unwrap();
    let pins_before = store.pins(&s).await.unwrap();

    store.migrate().await.unwrap();
    assert!(store.pending_migrations().await.unwrap().is_empty());

    // The same rows, no old id left anywhere, and every resident id random.
    assert_eq!(counts(&store).await, counts_before);
    let after = stored_ids(&store).await.unwrap();
    for (column, id) in &after {
        assert!(!old_ids.contains(id), "{column} still holds old id {id}");
        let table = column.split('.').next().unwrap();
        if RESIDENT_TABLES.contains(&table)
            && (column.ends_with(".id") || column.ends_with(".response_id"))
        {
            assert!(is_random(*id), "{column} = {id} is not random");
        }
    }

    // Each idempotency key still finds its response, under a new random id,
    // which reads back as before apart from the id.
    let mut renamed: BTreeMap<ResponseId, ResponseId> = BTreeMap::new();
    let after_responses = store.responses(&s).await.unwrap();
    for (key, was) in &old {
        let i = key.trim_start_matches("key-");
        let stored = store
            .insert_response_once(was, &b, key, &format!("body-{i}"))
            .await
            .unwrap();
        let Stored::Replayed(now) = stored else {
            panic!("{key} answered {stored:?}");
        };
        assert_ne!(now, was.id);
        assert!(is_random(now.as_uuid()));
        let expected = Response {
            id: now,
            ..was.clone()
        };
        assert_eq!(
            after_responses.iter().find(|r| r.id == now),
            Some(&expected),
            "{key}: answers, pins in order and described places are kept"
        );
        renamed.insert(was.id, now);
    }
    assert_eq!(after_responses.len(), 3);

    // Pins: the same, each with its response's new id; the loose pin stays loose.
    let pins_after = store.pins(&s).await.unwrap();
    let shape = |p: &trygg_store::StoredPin| {
        format!(
            "{:?} {:?} {}",
            p.response_id.map(|r| renamed.get(&r).copied().unwrap_or(r)),
            p.area_code,
            serde_json::to_string(&p.pin).unwrap()
        )
    };
    assert_eq!(
        sorted(pins_after.iter().map(shape)),
        sorted(pins_before.iter().map(shape))
    );

    // Moderation: each decision is still on the same text.
    let decisions = |comments: &[trygg_store::Comment]| {
        sorted(comments.iter().map(|c| {
            format!(
                "{:?} {} {} {:?} {:?} {:?} {:?}",
                c.source, c.text, c.context, c.area_code, c.status, c.edited_text, c.reason
            )
        }))
    };
    let comments_after = store
        .comments(m.id, CommentFilter::default())
        .await
        .unwrap();
    assert_eq!(decisions(&comments_after), decisions(&comments_before));
    assert_eq!(comments_after.len(), 10);
    assert!(comments_after.iter().all(|c| is_random(c.id)));
    let public = |comments: &[trygg_store::PublicComment]| {
        sorted(comments.iter().map(|c| {
            format!(
                "{:?} {} {:?}",
                c.source,
                c.text,
                c.response_id.map(|r| renamed.get(&r).copied().unwrap_or(r))
            )
        }))
    };
    let public_after = store.public_comments(&s).await.unwrap();
    assert_eq!(public(&public_after), public(&public_before));
    assert_eq!(public_after.len(), 7, "three redacted and four approved");

    // The audit log names each decided comment by its new id.
    let text_of_old: BTreeMap<Uuid, &str> = comments_before
        .iter()
        .map(|c| (c.id, c.text.as_str()))
        .collect();
    let audit_after = store.audit_events(m.id, 100).await.unwrap();
    assert_eq!(audit_after.len(), audit_before.len());
    for (was, now) in audit_before.iter().zip(&audit_after) {
        assert_eq!((was.id, &was.action, was.at), (now.id, &now.action, now.at));
        let (old_id, status) = was.target.split_once(' ').unwrap();
        let (new_id, new_status) = now.target.split_once(' ').unwrap();
        assert_eq!(status, new_status);
        let new_id = Uuid::parse_str(new_id).unwrap();
        assert!(is_random(new_id), "{}", now.target);
        let comment = store.comment(m.id, new_id).await.unwrap().unwrap();
        assert_eq!(comment.text, text_of_old[&Uuid::parse_str(old_id).unwrap()]);
    }
    super::finish(store, db).await;
}
