//! The resident intake API: the survey definition, and responses that are
//! checked, stored once per idempotency key, and refused in one error shape.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use trygg_e2e::{
    TestApp, expect_error, expect_json, good_response, header, seed_surveys, spawn_app,
    spawn_app_with,
};

/// Rows in the tables a response writes to, to see that nothing changed.
async fn rows(app: &TestApp) -> (i64, i64, i64) {
    let db = app.store.connection();
    let mut counts = Vec::new();
    for table in ["response", "answer", "pin"] {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        counts.push(row.try_get::<i64>("", "n").unwrap());
    }
    (counts[0], counts[1], counts[2])
}

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn with(path: &str, value: Value) -> Value {
    let mut body = good_response();
    let mut target = &mut body;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        target = match part.parse::<usize>() {
            Ok(index) => &mut target[index],
            Err(_) if last => {
                target[*part] = value;
                return body;
            }
            Err(_) => &mut target[*part],
        };
        if last {
            *target = value;
            return body;
        }
    }
    body
}

fn without(path: &[&str]) -> Value {
    let mut body = good_response();
    if let [object, field] = path {
        body[object].as_object_mut().unwrap().remove(*field);
    }
    body
}

#[tokio::test]
async fn the_definition_of_an_open_survey_has_its_questions_areas_and_languages() {
    let app = spawn_app().await;
    seed_surveys(&app.store).await;
    let response = app.get("/api/v1/surveys/trygghet-oppen").await;
    assert_eq!(response.status(), 200);
    assert!(header(&response, "cache-control").contains("max-age"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["title"]["en"], "Safety survey");
    assert_eq!(body["languages"], json!(["sv", "en"]));
    assert_eq!(body["questions"].as_array().unwrap().len(), 6);
    assert_eq!(body["questions"][5]["kind"], "map");
    assert_eq!(body["questions"][5]["max_pins"], 3);
    assert_eq!(body["areas"]["type"], "FeatureCollection");
    assert_eq!(body["areas"]["features"][0]["properties"]["name"], "Bro");
    assert_eq!(
        body["places"],
        json!([{"name": "Bro centrum", "kind": "centre", "area": "bro", "lon": 17.6335, "lat": 59.512}])
    );
    app.finish().await;
}

#[tokio::test]
async fn a_closed_survey_answers_410_with_its_close_date_and_an_unknown_one_404() {
    let app = spawn_app().await;
    seed_surveys(&app.store).await;
    let closed = app.get("/api/v1/surveys/trygghet-2020").await;
    let body = expect_error(closed, 410, "survey_closed").await;
    assert_eq!(body["closes_on"], "2020-11-30");
    let unknown = app.get("/api/v1/surveys/finns-inte").await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"], "not_found");
    app.finish().await;
}

#[tokio::test]
async fn a_valid_response_is_stored_with_its_answers_and_pins() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let response = app.submit("trygghet-oppen", &key(), &good_response()).await;
    let body = expect_json(response, 201).await;
    assert_eq!(body["status"], "stored");
    let stored = app.store.responses(&survey).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id.to_string(), body["response_id"]);
    assert_eq!(stored[0].pins.len(), 2);
    assert_eq!(stored[0].answers.len(), 5);
    assert_eq!(rows(&app).await, (1, 6, 2));
    app.finish().await;
}

#[tokio::test]
async fn a_place_described_in_words_is_stored_for_an_analyst_to_locate() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let body = json!({
        "answers": {"gender": "man"},
        "pins": [
            {"description": "Gångtunneln under järnvägen vid skolan", "category": "belysning", "time_of_day": "kväll"},
            {"location": [17.6335, 59.512], "category": "grupper", "time_of_day": "natt"}
        ]
    });
    assert_eq!(
        app.submit("trygghet-oppen", &key(), &body).await.status(),
        201
    );
    let stored = app.store.responses(&survey).await.unwrap();
    assert_eq!(stored[0].pins.len(), 1);
    assert_eq!(stored[0].described_places.len(), 1);
    assert_eq!(
        stored[0].described_places[0].description,
        "Gångtunneln under järnvägen vid skolan"
    );
    assert_eq!(
        stored[0].described_places[0].time_of_day,
        trygg_domain::TimeOfDay::Evening
    );
    app.finish().await;
}

#[tokio::test]
async fn the_same_request_sent_five_times_with_one_key_is_stored_once_and_another_body_with_that_key_is_422()
 {
    let app = spawn_app().await;
    seed_surveys(&app.store).await;
    let key = key();
    let mut ids = Vec::new();
    for attempt in 0..5 {
        let response = app.submit("trygghet-oppen", &key, &good_response()).await;
        assert_eq!(response.status(), 201, "attempt {attempt}");
        if attempt > 0 {
            assert_eq!(response.headers()["idempotent-replayed"], "true");
        }
        ids.push(response.json::<Value>().await.unwrap()["response_id"].clone());
    }
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    assert_eq!(rows(&app).await.0, 1);

    let other = with("answers.gender", json!("man"));
    let reused = app.submit("trygghet-oppen", &key, &other).await;
    let body = expect_error(reused, 422, "idempotency_key_reused").await;
    assert_eq!(body["field"], "Idempotency-Key");
    assert_eq!(rows(&app).await.0, 1);
    app.finish().await;
}

#[tokio::test]
async fn concurrent_retries_with_one_key_store_one_response() {
    let app = spawn_app().await;
    seed_surveys(&app.store).await;
    let key = key();
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let request = app
            .client
            .post(format!(
                "{}/api/v1/surveys/trygghet-oppen/responses",
                app.address
            ))
            .header("Idempotency-Key", key.clone())
            .json(&good_response());
        sends.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = sends.join_all().await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(rows(&app).await.0, 1);
    app.finish().await;
}

/// One bad request: what it is, how it is sent, and what must come back.
struct Bad {
    description: &'static str,
    method: &'static str,
    path: &'static str,
    content_type: Option<&'static str>,
    key: Option<&'static str>,
    body: String,
    status: u16,
    error: &'static str,
    field: Option<&'static str>,
}

fn post(
    description: &'static str,
    body: Value,
    status: u16,
    error: &'static str,
    field: Option<&'static str>,
) -> Bad {
    Bad {
        description,
        method: "POST",
        path: "/api/v1/surveys/trygghet-oppen/responses",
        content_type: Some("application/json"),
        key: Some("fresh"),
        body: body.to_string(),
        status,
        error,
        field,
    }
}

fn pin_with(field: &str, value: Value) -> Value {
    let mut body = good_response();
    body["pins"][0][field] = value;
    body
}

fn bad_requests() -> Vec<Bad> {
    let long = "å".repeat(1001);
    let raw = |description, content_type, key, body: &str, status, error, field| Bad {
        description,
        method: "POST",
        path: "/api/v1/surveys/trygghet-oppen/responses",
        content_type,
        key,
        body: body.to_owned(),
        status,
        error,
        field,
    };
    let not_json = |description, body| {
        raw(
            description,
            Some("application/json"),
            Some("fresh"),
            body,
            400,
            "invalid_json",
            None,
        )
    };
    let unsupported = |description, content_type, body| {
        raw(
            description,
            content_type,
            Some("fresh"),
            body,
            415,
            "unsupported_media_type",
            None,
        )
    };
    let other = |description, method, path, status, error| Bad {
        description,
        method,
        path,
        content_type: Some("application/json"),
        key: Some("fresh"),
        body: good_response().to_string(),
        status,
        error,
        field: None,
    };
    vec![
        raw(
            "no idempotency key",
            Some("application/json"),
            None,
            &good_response().to_string(),
            400,
            "missing_idempotency_key",
            Some("Idempotency-Key"),
        ),
        raw(
            "idempotency key that is not a UUID",
            Some("application/json"),
            Some("abc"),
            &good_response().to_string(),
            400,
            "invalid_idempotency_key",
            Some("Idempotency-Key"),
        ),
        unsupported(
            "plain text content type",
            Some("text/plain"),
            &good_response().to_string(),
        ),
        unsupported(
            "form content type",
            Some("application/x-www-form-urlencoded"),
            "answers=1",
        ),
        unsupported("no content type", None, &good_response().to_string()),
        not_json("truncated JSON", r#"{"answers": {"gender": "man""#),
        not_json("not JSON at all", "svar: ja"),
        not_json("empty body", ""),
        raw(
            "a body over 64 KiB",
            Some("application/json"),
            Some("fresh"),
            &format!(r#"{{"answers": {{"comment": "{}"}}}}"#, "x".repeat(70_000)),
            413,
            "payload_too_large",
            None,
        ),
        post(
            "a JSON array instead of an object",
            json!([1, 2]),
            422,
            "invalid_body",
            None,
        ),
        post(
            "answers that are not an object",
            json!({"answers": "kvinna"}),
            422,
            "invalid_body",
            Some("answers"),
        ),
        post(
            "an unknown top-level field",
            json!({"answers": {"gender": "man"}, "ip": "1.2.3.4"}),
            422,
            "invalid_body",
            Some("ip"),
        ),
        post(
            "a missing required answer",
            without(&["answers", "gender"]),
            422,
            "required",
            Some("answers.gender"),
        ),
        post(
            "an option the question does not have",
            with("answers.gender", json!("annat")),
            422,
            "unknown_option",
            Some("answers.gender"),
        ),
        post(
            "a question the survey does not have",
            with("answers.q99", json!("ja")),
            422,
            "unknown_question",
            Some("answers.q99"),
        ),
        post(
            "a number for a single-choice question",
            with("answers.gender", json!(3)),
            422,
            "wrong_type",
            Some("answers.gender"),
        ),
        post(
            "a number above the maximum",
            with("answers.years", json!(101)),
            422,
            "out_of_range",
            Some("answers.years"),
        ),
        post(
            "a fraction for a whole number",
            with("answers.years", json!(2.5)),
            422,
            "wrong_type",
            Some("answers.years"),
        ),
        post(
            "a word for a number",
            with("answers.years", json!("tolv")),
            422,
            "wrong_type",
            Some("answers.years"),
        ),
        post(
            "the same option twice",
            with("answers.priorities", json!(["unga", "unga"])),
            422,
            "duplicate_option",
            Some("answers.priorities"),
        ),
        post(
            "more options than allowed",
            with("answers.priorities", json!(["unga", "polis", "belysning"])),
            422,
            "too_many_choices",
            Some("answers.priorities"),
        ),
        post(
            "an unknown option in a multiple choice",
            with("answers.priorities", json!(["unga", "ufo"])),
            422,
            "unknown_option",
            Some("answers.priorities"),
        ),
        post(
            "free text over its limit",
            with("answers.comment", json!("x".repeat(201))),
            422,
            "too_long",
            Some("answers.comment"),
        ),
        post(
            "a map question answered in answers",
            with("answers.places", json!("bro")),
            422,
            "wrong_type",
            Some("answers.places"),
        ),
        post(
            "a pin outside the municipality",
            pin_with("location", json!([18.0686, 59.3293])),
            422,
            "outside_municipality",
            Some("pins[0].location"),
        ),
        post(
            "a pin with latitude off the globe",
            pin_with("location", json!([17.6, 91.0])),
            422,
            "out_of_range",
            Some("pins[0].location"),
        ),
        post(
            "a pin with an unknown category",
            pin_with("category", json!("ufo")),
            422,
            "unknown_option",
            Some("pins[0].category"),
        ),
        post(
            "a pin with an unknown time of day",
            pin_with("time_of_day", json!("lunch")),
            422,
            "unknown_option",
            Some("pins[0].time_of_day"),
        ),
        post(
            "a pin comment over 1,000 characters",
            pin_with("comment", json!(long)),
            422,
            "too_long",
            Some("pins[0].comment"),
        ),
        post(
            "a pin location that is text",
            pin_with("location", json!("Bro centrum")),
            422,
            "invalid_body",
            Some("pins[0].location"),
        ),
        post(
            "a pin without a category",
            {
                let mut b = good_response();
                b["pins"][0].as_object_mut().unwrap().remove("category");
                b
            },
            422,
            "invalid_body",
            Some("pins[0]"),
        ),
        post(
            "more pins than the map question allows",
            with(
                "pins",
                json!([
                    good_response()["pins"][0],
                    good_response()["pins"][0],
                    good_response()["pins"][0],
                    good_response()["pins"][0]
                ]),
            ),
            422,
            "too_many_pins",
            Some("pins"),
        ),
        post(
            "a language Trygg does not offer",
            with("language", json!("de")),
            422,
            "unknown_language",
            Some("language"),
        ),
        other(
            "a survey that does not exist",
            "POST",
            "/api/v1/surveys/finns-inte/responses",
            404,
            "not_found",
        ),
        other(
            "a survey that has closed",
            "POST",
            "/api/v1/surveys/trygghet-2020/responses",
            410,
            "survey_closed",
        ),
        other(
            "a survey that has not opened",
            "POST",
            "/api/v1/surveys/trygghet-2099/responses",
            403,
            "survey_not_open",
        ),
        other(
            "GET on the responses collection",
            "GET",
            "/api/v1/surveys/trygghet-oppen/responses",
            405,
            "method_not_allowed",
        ),
        other(
            "PUT on a survey",
            "PUT",
            "/api/v1/surveys/trygghet-oppen",
            405,
            "method_not_allowed",
        ),
        other(
            "an API path that does not exist",
            "GET",
            "/api/v1/enkater",
            404,
            "not_found",
        ),
    ]
}

#[tokio::test]
async fn every_bad_request_gets_its_4xx_in_the_one_error_shape_and_changes_nothing() {
    let app = spawn_app().await;
    seed_surveys(&app.store).await;
    let before = rows(&app).await;
    let cases = bad_requests();
    assert!(cases.len() >= 30);
    for case in cases {
        let method = reqwest::Method::from_bytes(case.method.as_bytes()).unwrap();
        let mut request = app
            .client
            .request(method, format!("{}{}", app.address, case.path))
            .body(case.body.clone());
        if let Some(content_type) = case.content_type {
            request = request.header("Content-Type", content_type);
        }
        if let Some(k) = case.key {
            request = request.header(
                "Idempotency-Key",
                if k == "fresh" { key() } else { k.to_owned() },
            );
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, case.status, "{}: {body}", case.description);
        assert_eq!(body["error"], case.error, "{}: {body}", case.description);
        assert_eq!(
            body["field"],
            case.field.map_or(Value::Null, Value::from),
            "{}: {body}",
            case.description
        );
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}: {body}",
            case.description
        );
        if status == 405 {
            assert!(
                headers.contains_key("allow"),
                "{}: 405 without Allow",
                case.description
            );
        }
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        let allowed = ["error", "field", "message", "closes_on"];
        assert!(
            keys.iter().all(|k| allowed.contains(&k.as_str())),
            "{}: {body}",
            case.description
        );
    }
    assert_eq!(
        rows(&app).await,
        before,
        "a bad request changed the database"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_client_over_its_rate_limit_gets_429_with_retry_after() {
    let app = spawn_app_with(|settings| {
        settings.intake.rate_limit_per_minute = 2;
        settings.intake.rate_limit_burst = 2;
    })
    .await;
    seed_surveys(&app.store).await;
    for _ in 0..2 {
        assert_eq!(
            app.submit("trygghet-oppen", &key(), &good_response())
                .await
                .status(),
            201
        );
    }
    let limited = app.submit("trygghet-oppen", &key(), &good_response()).await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = header(&limited, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert_eq!(
        limited.json::<Value>().await.unwrap()["error"],
        "too_many_requests"
    );
    assert_eq!(rows(&app).await.0, 2);
    app.finish().await;
}

#[tokio::test]
async fn every_id_a_response_sent_over_http_makes_is_random_and_carries_no_time() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let before: std::collections::BTreeSet<uuid::Uuid> =
        trygg_store::testing::stored_ids(&app.store)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, id)| id)
            .collect();
    let mut body = good_response();
    body["pins"].as_array_mut().unwrap().push(json!(
        {"description": "Gångtunneln vid skolan", "category": "belysning", "time_of_day": "kväll", "comment": "Ingen lampa"}
    ));
    let sent = app.submit("trygghet-oppen", &key(), &body).await;
    let answer = expect_json(sent, 201).await;
    let id = uuid::Uuid::parse_str(answer["response_id"].as_str().unwrap()).unwrap();
    assert_eq!(
        id.get_version_num(),
        4,
        "the id the resident is given: {id}"
    );

    let made: Vec<(String, uuid::Uuid)> = trygg_store::testing::stored_ids(&app.store)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, id)| !before.contains(id))
        .collect();
    let tables: std::collections::BTreeSet<&str> = made
        .iter()
        .map(|(column, _)| column.split('.').next().unwrap())
        .collect();
    assert_eq!(
        tables,
        ["answer", "described_place", "pin", "response"].into(),
        "{made:?}"
    );
    // One response, six answer rows, two pins and one described place.
    let distinct: std::collections::BTreeSet<uuid::Uuid> = made.iter().map(|(_, id)| *id).collect();
    assert_eq!(distinct.len(), 1 + 6 + 2 + 1, "{made:?}");
    for (column, id) in &made {
        assert!(
            id.get_version_num() == 4 && id.get_timestamp().is_none(),
            "{column} = {id} carries a time"
        );
    }
    assert_eq!(
        app.store.responses(&survey).await.unwrap()[0].id.as_uuid(),
        id
    );
    app.finish().await;
}
