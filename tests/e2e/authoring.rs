//! Survey authoring and moderation over HTTP: drafts from the question bank,
//! publishing, new rounds, the comparability rules, and the moderation queue.

use reqwest::Method;
use serde_json::{Value, json};
use trygg_domain::Role;
use trygg_e2e::{StaffClient, expect_json, seed_surveys, spawn_app, spawn_seeded_app_as, strings};

/// A definition made from the question bank, as the editor builds it.
async fn from_bank(analyst: &StaffClient, slug: &str, keys: &[&str]) -> Value {
    let bank = analyst.get_json("/api/v1/admin/question-bank").await;
    let questions: Vec<Value> = keys
        .iter()
        .map(|key| {
            bank["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["question"]["key"] == *key)
                .unwrap_or_else(|| panic!("the bank has no `{key}`"))["question"]
                .clone()
        })
        .collect();
    json!({
        "slug": slug, "round": "2026",
        "title": {"sv": "Trygghetsmätning 2026", "en": "Safety survey 2026"},
        "opens_on": "2026-01-01",
        "questions": questions,
    })
}

async fn create(analyst: &StaffClient, definition: &Value) -> Value {
    let response = analyst
        .post_json("/api/v1/admin/surveys", &json!({"definition": definition}))
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// A draft made from the bank's questions `keys` under `slug`: its definition and id.
async fn draft_from_bank(analyst: &StaffClient, slug: &str, keys: &[&str]) -> (Value, String) {
    let definition = from_bank(analyst, slug, keys).await;
    let id = create(analyst, &definition).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (definition, id)
}

/// `POST …/surveys/{id}/publish` with `dates` (`opens_on`, maybe `closes_on`).
async fn publish(analyst: &StaffClient, id: &str, dates: Value) -> reqwest::Response {
    analyst
        .post_json(&format!("/api/v1/admin/surveys/{id}/publish"), &dates)
        .await
}

#[tokio::test]
async fn the_question_bank_offers_the_standard_questions_and_the_municipalitys_areas() {
    let (app, analyst) = spawn_seeded_app_as(Role::Analyst).await;
    let bank = analyst.get_json("/api/v1/admin/question-bank").await;
    let entries = bank["questions"].as_array().unwrap();
    for key in [
        "area",
        "evening_safety",
        "worry_crime",
        "victim",
        "trust_police",
        "priorities",
        "places",
    ] {
        assert!(entries.iter().any(|e| e["question"]["key"] == key), "{key}");
    }
    let area = entries
        .iter()
        .find(|e| e["question"]["key"] == "area")
        .unwrap();
    assert_eq!(area["question"]["options"][0]["key"], "bro");
    assert!(
        entries
            .iter()
            .all(|e| e["question"]["text"]["en"].is_string())
    );
    app.finish().await;
}

#[tokio::test]
async fn a_draft_from_the_bank_is_published_answered_and_copied_into_a_new_round_with_the_same_keys()
 {
    let (app, analyst) = spawn_seeded_app_as(Role::Analyst).await;
    let mut definition = from_bank(
        &analyst,
        "trygghet-2026",
        &["gender", "evening_safety", "places", "comment"],
    )
    .await;
    let draft = create(&analyst, &definition).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["status"], "draft");
    assert_eq!(
        app.get("/api/v1/surveys/trygghet-2026").await.status(),
        404,
        "a draft is not public"
    );

    // A map category is added in the editor, then the draft is previewed.
    definition["questions"][2]["categories"]
        .as_array_mut()
        .unwrap()
        .push(
            json!({"key": "cykelvag", "label": {"sv": "Mörk cykelväg", "en": "Dark cycle path"}}),
        );
    let saved = analyst
        .put_json(
            &format!("/api/v1/admin/surveys/{id}"),
            &json!({"definition": definition, "retention_days": 365}),
        )
        .await;
    assert_eq!(saved.status(), 200);
    let preview = analyst
        .get_json(&format!("/api/v1/admin/surveys/{id}/preview"))
        .await;
    assert_eq!(
        preview["questions"][2]["categories"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
    assert_eq!(preview["areas"]["features"][0]["properties"]["code"], "bro");

    let published = publish(&analyst, &id, json!({"opens_on": "2024-01-01"})).await;
    let published = expect_json(published, 200).await;
    assert_eq!(
        (
            published["status"].as_str(),
            published["retention_days"].as_u64()
        ),
        (Some("published"), Some(365))
    );
    assert_eq!(app.get("/api/v1/surveys/trygghet-2026").await.status(), 200);
    let answered = app
        .submit(
            "trygghet-2026",
            "0190a0b0-0000-7000-8000-000000000001",
            &json!({"answers": {"gender": "kvinna", "evening_safety": "ganska_otrygg"},
                    "pins": [{"location": [17.63, 59.51], "category": "cykelvag", "time_of_day": "evening"}]}),
        )
        .await;
    assert_eq!(answered.status(), 201);

    let round = analyst
        .post_json(
            &format!("/api/v1/admin/surveys/{id}/rounds"),
            &json!({"slug": "trygghet-2027", "round": "2027"}),
        )
        .await;
    let round = expect_json(round, 201).await;
    assert_eq!(
        (round["status"].as_str(), round["copied_from"].as_str()),
        (Some("draft"), Some(id.as_str()))
    );
    let keys = |v: &Value| -> Vec<Value> {
        v["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["key"].clone())
            .collect()
    };
    assert_eq!(keys(&round["definition"]), keys(&published["definition"]));
    let list = analyst.get_json("/api/v1/admin/surveys").await;
    let slugs = strings(&list["surveys"], "slug");
    assert!(
        slugs.contains(&"trygghet-2026") && slugs.contains(&"trygghet-2027"),
        "{slugs:?}"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_published_survey_takes_corrections_but_refuses_changes_that_break_comparability() {
    let (app, analyst) = spawn_seeded_app_as(Role::Analyst).await;
    let (definition, id) = draft_from_bank(
        &analyst,
        "trygghet-2026",
        &["gender", "evening_safety", "places", "comment"],
    )
    .await;
    let published = publish(
        &analyst,
        &id,
        json!({"opens_on": "2024-01-01", "closes_on": "2099-12-31"}),
    )
    .await;
    assert_eq!(published.status(), 200);
    let put = |definition: Value| {
        let analyst = analyst.clone();
        let path = format!("/api/v1/admin/surveys/{id}");
        async move {
            analyst
                .put_json(&path, &json!({"definition": definition}))
                .await
        }
    };

    let mut corrected = definition.clone();
    corrected["questions"][1]["text"]["sv"] = "Hur trygg känner du dig ute sent en kväll?".into();
    corrected["closes_on"] = "2099-12-31".into();
    let response = put(corrected).await;
    let body = expect_json(response, 200).await;
    assert_eq!(
        body["definition"]["questions"][1]["text"]["sv"],
        "Hur trygg känner du dig ute sent en kväll?"
    );

    type Change = fn(&mut Value);
    let refusals: &[(&str, Change, &str)] = &[
        (
            "an option removed",
            |v| {
                v["questions"][1]["options"]
                    .as_array_mut()
                    .unwrap()
                    .remove(0);
            },
            "definition.questions[1].options",
        ),
        (
            "a map category removed",
            |v| {
                v["questions"][2]["categories"]
                    .as_array_mut()
                    .unwrap()
                    .remove(0);
            },
            "definition.questions[2].categories",
        ),
        (
            "a kind changed",
            |v| {
                v["questions"][3] =
                    json!({"key": "comment", "kind": "number", "text": {"sv": "Antal"}});
            },
            "definition.questions[3].kind",
        ),
        (
            "a key changed",
            |v| v["questions"][1]["key"] = "kvall".into(),
            "definition.questions[1]",
        ),
        (
            "a question added",
            |v| {
                v["questions"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"key": "x", "kind": "free_text", "text": {"sv": "X"}}));
            },
            "definition.questions[4]",
        ),
        (
            "the slug changed",
            |v| v["slug"] = "annan-adress".into(),
            "definition.slug",
        ),
    ];
    for (description, change, field) in refusals {
        let mut changed = definition.clone();
        change(&mut changed);
        let response = put(changed).await;
        assert_eq!(response.status(), 422, "{description}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["field"], *field, "{description}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{description}"
        );
    }
    let deleted = analyst.delete(&format!("/api/v1/admin/surveys/{id}")).await;
    assert_eq!(deleted.status(), 422);
    let again = publish(&analyst, &id, json!({"opens_on": "2024-01-01"})).await;
    assert_eq!(again.status(), 409);
    app.finish().await;
}

/// What a case shows, the request (method, path, body, content type), and the
/// status and field expected.
type BadRequest = (
    &'static str,
    reqwest::Method,
    String,
    Option<String>,
    &'static str,
    u16,
    Value,
);

#[tokio::test]
async fn bad_authoring_requests_answer_4xx_in_the_one_error_shape_and_write_nothing() {
    let (app, analyst) = spawn_seeded_app_as(Role::Analyst).await;
    let (good, draft) = draft_from_bank(&analyst, "utkast", &["evening_safety"]).await;
    let cases: Vec<BadRequest> = vec![
        ("malformed JSON", reqwest::Method::POST, "/api/v1/admin/surveys".into(), Some("{\"definition\":".into()), "application/json", 400, Value::Null),
        ("a text body", reqwest::Method::POST, "/api/v1/admin/surveys".into(), Some("hej".into()), "text/plain", 415, Value::Null),
        ("an unknown field", reqwest::Method::POST, "/api/v1/admin/surveys".into(), Some(json!({"definition": good, "extra": 1}).to_string()), "application/json", 400, Value::Null),
        ("a definition without questions", reqwest::Method::POST, "/api/v1/admin/surveys".into(),
            Some(json!({"definition": {"slug": "tom", "round": "1", "title": {"sv": "T"}, "opens_on": "2026-01-01", "questions": []}}).to_string()), "application/json", 422, json!("definition.questions")),
        ("a bad slug", reqwest::Method::POST, "/api/v1/admin/surveys".into(),
            Some(json!({"definition": {"slug": "Med Mellanslag", "round": "1", "title": {"sv": "T"}, "opens_on": "2026-01-01", "questions": good["questions"]}}).to_string()), "application/json", 422, json!("definition.slug")),
        ("a missing title", reqwest::Method::POST, "/api/v1/admin/surveys".into(),
            Some(json!({"definition": {"slug": "x", "round": "1", "opens_on": "2026-01-01", "questions": good["questions"]}}).to_string()), "application/json", 422, json!("definition")),
        ("a taken slug", reqwest::Method::POST, "/api/v1/admin/surveys".into(),
            Some(json!({"definition": {"slug": "trygghet-oppen", "round": "1", "title": {"sv": "T"}, "opens_on": "2026-01-01", "questions": good["questions"]}}).to_string()), "application/json", 409, json!("definition.slug")),
        ("a draft renamed to a taken slug", reqwest::Method::PUT, format!("/api/v1/admin/surveys/{draft}"),
            Some(json!({"definition": {"slug": "trygghet-oppen", "round": "1", "title": {"sv": "T"}, "opens_on": "2026-01-01", "questions": good["questions"]}}).to_string()), "application/json", 409, json!("definition.slug")),
        ("a retention period of zero days", reqwest::Method::PUT, format!("/api/v1/admin/surveys/{draft}"),
            Some(json!({"definition": good, "retention_days": 0}).to_string()), "application/json", 422, json!("retention_days")),
        ("a closing day before the opening day", reqwest::Method::POST, format!("/api/v1/admin/surveys/{draft}/publish"),
            Some(json!({"opens_on": "2026-05-01", "closes_on": "2026-04-01"}).to_string()), "application/json", 422, json!("closes_on")),
        ("a date that is not a date", reqwest::Method::POST, format!("/api/v1/admin/surveys/{draft}/publish"),
            Some(json!({"opens_on": "1 maj"}).to_string()), "application/json", 422, json!("opens_on")),
        ("a new round with a taken slug", reqwest::Method::POST, format!("/api/v1/admin/surveys/{draft}/rounds"),
            Some(json!({"slug": "utkast", "round": "2"}).to_string()), "application/json", 409, json!("slug")),
        ("an unknown survey", reqwest::Method::GET, "/api/v1/admin/surveys/0190a0b0-0000-7000-8000-000000000009".into(), None, "application/json", 404, Value::Null),
        ("an id that is not an id", reqwest::Method::GET, "/api/v1/admin/surveys/abc".into(), None, "application/json", 404, Value::Null),
        ("a method the resource does not take", reqwest::Method::PATCH, format!("/api/v1/admin/surveys/{draft}"), None, "application/json", 405, Value::Null),
    ];
    for (description, method, path, body, content_type, status, field) in cases {
        let mut request = analyst
            .request(method, &path)
            .header("Content-Type", content_type);
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{description}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"].is_string() && body["message"].is_string(),
            "{description}: {body}"
        );
        if !field.is_null() {
            assert_eq!(body["field"], field, "{description}: {body}");
        }
    }
    let list = analyst.get_json("/api/v1/admin/surveys").await;
    assert_eq!(
        list["surveys"].as_array().unwrap().len(),
        4,
        "three seeded surveys and the one draft"
    );
    app.finish().await;
}

#[tokio::test]
async fn another_municipalitys_survey_answers_404_to_every_authoring_route() {
    let (app, analyst) = spawn_seeded_app_as(Role::Analyst).await;
    let (definition, id) = draft_from_bank(&analyst, "utkast", &["evening_safety"]).await;
    let other = app.add_municipality("grannkommun", "Grannkommun").await;
    let neighbour = app.staff_in(other.id, Role::Admin).await;
    let survey = format!("/api/v1/admin/surveys/{id}");
    for (method, path, body) in [
        (Method::GET, survey.clone(), None),
        (Method::GET, format!("{survey}/preview"), None),
        (
            Method::PUT,
            survey.clone(),
            Some(json!({"definition": definition})),
        ),
        (Method::DELETE, survey.clone(), None),
        (
            Method::POST,
            format!("{survey}/rounds"),
            Some(json!({"slug": "kopia", "round": "2"})),
        ),
    ] {
        let response = neighbour.call(method.clone(), &path, body.as_ref()).await;
        assert_eq!(response.status(), 404, "{method} {path}");
    }
    let theirs = neighbour.get_json("/api/v1/admin/surveys").await;
    assert_eq!(theirs["surveys"], json!([]));
    assert_eq!(
        analyst
            .get(&format!("/api/v1/admin/surveys/{id}"))
            .await
            .status(),
        200
    );
    app.finish().await;
}

#[tokio::test]
async fn a_comment_is_held_until_a_moderator_redacts_the_phone_number_in_it() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let mut body = trygg_e2e::good_response();
    body["answers"]["comment"] = "Ring mig på 070-123 45 67".into();
    let stored = app
        .submit(
            "trygghet-oppen",
            "0190a0b0-0000-7000-8000-000000000002",
            &body,
        )
        .await;
    assert_eq!(stored.status(), 201);
    assert!(app.store.public_comments(&survey).await.unwrap().is_empty());

    let moderator = app.staff(Role::Moderator).await;
    let queue = moderator.get_json("/api/v1/admin/moderation").await;
    assert_eq!(
        queue["total"], 2,
        "the free-text answer and the pin comment"
    );
    let phone = queue["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == "free_text")
        .unwrap()
        .clone();
    assert_eq!(phone["flags"], json!(["phone"]));
    assert_eq!(
        phone["segments"][1],
        json!({"text": "070-123 45 67", "flag": "phone"})
    );
    assert_eq!(phone["suggestion"], "Ring mig på [borttaget]");
    let path = format!("/api/v1/admin/moderation/{}", phone["id"].as_str().unwrap());

    let refused = moderator
        .post_json(
            &path,
            &json!({"decision": "redact", "text": "Ring mig på [borttaget]"}),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "reason");
    let decided = moderator
        .post_json(&path, &json!({"decision": "redact", "text": "Ring mig på [borttaget]", "reason": "Telefonnummer"}))
        .await;
    let decided = expect_json(decided, 200).await;
    assert_eq!(
        (decided["status"].as_str(), decided["reason"].as_str()),
        (Some("redacted"), Some("Telefonnummer"))
    );

    let public: Vec<String> = app
        .store
        .public_comments(&survey)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(public, ["Ring mig på [borttaget]"]);
    let pending = moderator.get_json("/api/v1/admin/moderation").await;
    assert_eq!(pending["total"], 1, "the pin comment still waits");
    let redacted = moderator
        .get_json("/api/v1/admin/moderation?status=redacted")
        .await;
    assert_eq!(redacted["total"], 1);
    let flagged = moderator
        .get_json("/api/v1/admin/moderation?status=all&flagged=true")
        .await;
    assert_eq!(
        (
            flagged["total"].as_u64(),
            flagged["comments"][0]["flags"].clone()
        ),
        (Some(1), json!(["phone"])),
        "only the comment with the phone number is flagged"
    );
    let bad = moderator
        .get("/api/v1/admin/moderation?status=hidden")
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["field"], "status");
    let bad_flag = moderator
        .get("/api/v1/admin/moderation?flagged=perhaps")
        .await;
    assert_eq!(bad_flag.status(), 400);

    let audit = app.staff(Role::Admin).await;
    let log = audit.get_json("/api/v1/admin/audit").await;
    let text = log.to_string();
    assert!(text.contains("comment.moderate"), "{text}");
    assert!(
        !text.contains("070-123"),
        "the audit log never holds the comment"
    );
    app.finish().await;
}
