//! Control characters in anything a client sends are refused with 422 naming
//! the field, and one bad response never fails the others stored with it.

use serde_json::{Value, json};
use trygg_domain::Role;
use trygg_e2e::{
    DEMO_ROUND, expect_json, good_response, seed_surveys, spawn_app, spawn_demo_app,
    spawn_seeded_app_as,
};

use crate::roles::{Fixture, routes};

/// The JSON pointer of every string in `value`, keys of objects left out.
fn string_pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(at.to_owned()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_pointers(item, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                string_pointers(item, &format!("{at}/{name}"), out);
            }
        }
        _ => {}
    }
}

/// `/definition/questions/0/text/sv` as the API names it: `definition.questions[0].text.sv`.
fn field_path(pointer: &str) -> String {
    let mut path = String::new();
    for segment in pointer.split('/').skip(1) {
        if segment.parse::<usize>().is_ok() {
            path.push_str(&format!("[{segment}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(segment);
        }
    }
    path
}

/// A fresh idempotency key.
fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `value` with `text` appended to the string at `pointer`.
fn appended(value: &Value, pointer: &str, text: &str) -> Value {
    let mut value = value.clone();
    let slot = value.pointer_mut(pointer).unwrap();
    *slot = Value::String(format!("{}{text}", slot.as_str().unwrap()));
    value
}

#[tokio::test]
async fn every_string_of_every_staff_route_refuses_a_nul_with_422_naming_the_field() {
    let app = spawn_app().await;
    let home = Fixture::seed(&app, "hemkommun").await;
    let admin = app.staff_in(home.municipality, Role::Admin).await;
    let mut wrong = Vec::new();
    let mut checked = 0;
    for case in routes(&home, Role::Admin) {
        let Some(body) = &case.body else { continue };
        let mut pointers = Vec::new();
        string_pointers(body, "", &mut pointers);
        for pointer in pointers {
            checked += 1;
            let response = admin
                .request(case.method.clone(), &case.path)
                .json(&appended(body, &pointer, "\u{0}"))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let answer: Value = response.json().await.unwrap_or(Value::Null);
            let field = answer["field"].as_str().unwrap_or_default();
            // The field the API names is the string's path (or, for a tag
            // that chooses a kind, the object it tags), or for a file sent as
            // one string the column within it.
            let path = field_path(&pointer);
            let named = pointer.is_empty() || path.ends_with(field) || path.starts_with(field);
            if status != 422 || field.is_empty() || !named {
                wrong.push(format!(
                    "{} {} {pointer}: {status} {answer}",
                    case.method, case.path
                ));
            }
        }
    }
    assert!(checked > 40, "only {checked} strings were tried");
    assert!(
        wrong.is_empty(),
        "not refused as 422 naming the field:\n{}",
        wrong.join("\n")
    );
    app.finish().await;
}

#[tokio::test]
async fn signing_in_and_the_account_forms_refuse_control_characters_naming_the_field() {
    let (app, staff) = spawn_seeded_app_as(Role::Viewer).await;
    let sign_in = json!({"email": staff.email, "password": trygg_e2e::STAFF_PASSWORD,
                         "municipality": "testkommun", "totp": "123456"});
    for field in ["email", "password", "municipality", "totp"] {
        let response = app
            .post_session(&appended(&sign_in, &format!("/{field}"), "\u{0}"), None)
            .await;
        assert_eq!(response.status(), 422, "{field}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["field"], field);
    }
    let forms = [
        (
            "/api/v1/admin/session/password",
            json!({"current_password": trygg_e2e::STAFF_PASSWORD, "new_password": "ett nytt långt lösenord"}),
            &["current_password", "new_password"][..],
        ),
        (
            "/api/v1/admin/session/totp",
            json!({"secret": "JBSWY3DPEHPK3PXP", "code": "123456",
                   "current_password": trygg_e2e::STAFF_PASSWORD}),
            &["secret", "code", "current_password"][..],
        ),
    ];
    for (path, body, fields) in forms {
        for &field in fields {
            let response = staff
                .post_json(path, &appended(&body, &format!("/{field}"), "\u{1b}[2J"))
                .await;
            assert_eq!(response.status(), 422, "{path} {field}");
            let answer: Value = response.json().await.unwrap();
            assert_eq!(answer["field"], field, "{path}");
            assert_eq!(answer["error"], "control_character", "{path}");
        }
    }
    app.finish().await;
}

#[tokio::test]
async fn a_response_with_a_control_character_is_refused_naming_the_field_and_not_stored() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let cases = [
        ("/answers/comment", "answers.comment"),
        ("/pins/0/comment", "pins[0].comment"),
        ("/pins/0/category", "pins[0].category"),
        ("/pins/0/time_of_day", "pins[0].time_of_day"),
        ("/answers/gender", "answers.gender"),
    ];
    for (pointer, field) in cases {
        for bad in ["\u{0}", "\u{1b}[2J", "\u{202e}"] {
            let body = appended(&good_response(), pointer, bad);
            let response = app.submit(survey.slug.as_str(), &key(), &body).await;
            assert_eq!(response.status(), 422, "{pointer} {bad:?}");
            let answer: Value = response.json().await.unwrap();
            assert_eq!(answer["field"], field, "{pointer} {bad:?}");
        }
    }
    let described = json!({"answers": {"gender": "kvinna"},
        "pins": [{"description": "Under\u{0}bron", "category": "belysning", "time_of_day": "night"}]});
    let response = app.submit(survey.slug.as_str(), &key(), &described).await;
    let answer = expect_json(response, 422).await;
    assert_eq!(answer["field"], "pins[0].description");
    assert_eq!(app.store.count_responses(&survey).await.unwrap(), 0);
    app.finish().await;
}

#[tokio::test]
async fn a_comment_sent_with_cr_lf_is_stored_with_line_feeds() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let mut body = good_response();
    body["answers"]["comment"] = json!("Mörkt\r\nvid stationen");
    let response = app.submit(survey.slug.as_str(), &key(), &body).await;
    assert_eq!(response.status(), 201);
    let stored = app.store.responses(&survey).await.unwrap();
    let comment = stored[0]
        .answers
        .iter()
        .find(|(key, _)| key.as_str() == "comment")
        .map(|(_, answer)| answer.clone());
    assert_eq!(
        comment,
        Some(trygg_domain::Answer::Text(
            "Mörkt\nvid stationen".to_owned()
        ))
    );
    app.finish().await;
}

#[tokio::test]
async fn sixty_concurrent_responses_six_with_a_nul_store_the_other_fifty_four() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..60 {
        let mut body = good_response();
        if i % 10 == 3 {
            body["pins"][0]["comment"] = json!(format!("nul\u{0}{i}"));
        } else {
            body["answers"]["comment"] = json!(format!("svar {i}"));
        }
        let request = app
            .client
            .post(format!(
                "{}/api/v1/surveys/{}/responses",
                app.address, survey.slug
            ))
            .header("Idempotency-Key", key())
            .json(&body);
        sends.spawn(async move { (i, request.send().await.unwrap().status().as_u16()) });
    }
    let mut answered = 0;
    while let Some(answer) = sends.join_next().await {
        let (i, status) = answer.unwrap();
        let expected = if i % 10 == 3 { 422 } else { 201 };
        assert_eq!(status, expected, "response {i}");
        answered += 1;
    }
    assert_eq!(answered, 60);
    assert_eq!(app.store.count_responses(&survey).await.unwrap(), 54);
    app.finish().await;
}

#[tokio::test]
async fn the_dashboards_csv_writes_a_formula_in_a_question_or_option_as_text() {
    let app = spawn_demo_app().await;
    let survey = app.survey(DEMO_ROUND).await;
    let analyst = app.staff(Role::Analyst).await;
    let path = format!("/api/v1/admin/surveys/{}", survey.id);
    analyst
        .edit_question(&survey.id.to_string(), "evening_safety", |evening| {
            evening["text"]["sv"] = "=HYPERLINK(\"http://x\")".into();
            evening["options"][0]["label"]["sv"] = "@SUM(1)".into();
        })
        .await;

    let csv = analyst
        .get(&format!("{path}/lagesbild/export?format=csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "the question"
    );
    assert!(csv.contains(",'@SUM(1),"), "the option");
    for line in csv.lines() {
        for formula in [",=", ",\"=", ",@", ",\"@"] {
            assert!(!line.contains(formula), "{line}");
        }
    }
    app.finish().await;
}
