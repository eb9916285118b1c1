//! Invitation codes over HTTP: a survey with codes takes a response only with an
//! unused one; a code works once, a used or unknown code is refused in the one
//! error shape, a retry with the same Idempotency-Key still succeeds, and the
//! response rate per area counts the codes used. A survey without codes stays open.

use reqwest::Method;
use serde_json::{Value, json};
use trygg_domain::{Permission, Role, SurveyId};
use trygg_e2e::{TestApp, expect_json, good_response, header, seed_surveys, spawn_app};

use crate::roles::{Case, get, send};

/// The invitation routes on the survey `survey`.
pub fn routes(survey: &SurveyId) -> Vec<Case> {
    vec![
        get(
            format!("/api/v1/admin/surveys/{survey}/invitations"),
            Some(Permission::ReadResults),
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/surveys/{survey}/invitations"),
            json!({"count": 2}),
            Permission::EditSurveys,
            201,
        ),
    ]
}

async fn submit(app: &TestApp, key: &str, code: Option<&str>) -> reqwest::Response {
    let header = code.map(|code| ("Invitation-Code", code));
    app.submit_with("trygghet-oppen", key, &good_response(), header)
        .await
}

async fn refused(response: reqwest::Response, status: u16, error: &str) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["field"], "Invitation-Code");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn a_code_works_once_a_used_or_unknown_code_is_refused_and_a_retry_still_succeeds() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let open = submit(&app, &uuid::Uuid::now_v7().to_string(), None).await;
    assert_eq!(open.status(), 201, "a survey without codes needs none");

    let analyst = app.staff(Role::Analyst).await;
    let path = format!("/api/v1/admin/surveys/{}/invitations", survey.id);
    let response = analyst
        .post_json(&path, &json!({"count": 3, "area": "bro"}))
        .await;
    assert_eq!(response.status(), 201);
    assert!(header(&response, "content-type").starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "kod,lank,omrade");
    assert_eq!(lines.len(), 4);
    let fields: Vec<&str> = lines[1].split(',').collect();
    let code = fields[0];
    assert_eq!(code.len(), 11, "two groups of five: {code}");
    assert!(
        fields[1].ends_with(&format!("/s/trygghet-oppen?kod={code}")),
        "{}",
        fields[1]
    );
    assert_eq!(fields[2], "bro");
    let definition = app.get_json("/api/v1/surveys/trygghet-oppen").await;
    assert_eq!(definition["invitation_required"], true);

    refused(
        submit(&app, &uuid::Uuid::now_v7().to_string(), None).await,
        403,
        "invitation_required",
    )
    .await;
    refused(
        submit(&app, &uuid::Uuid::now_v7().to_string(), Some("AAAAA-AAAAA")).await,
        403,
        "invitation_unknown",
    )
    .await;
    refused(
        submit(&app, &uuid::Uuid::now_v7().to_string(), Some("inte en kod")).await,
        403,
        "invitation_unknown",
    )
    .await;

    // Typed in lower case without the dash, the code still works, once.
    let key = uuid::Uuid::now_v7().to_string();
    let typed = code.replace('-', "").to_lowercase();
    let first = submit(&app, &key, Some(&typed)).await;
    let first = expect_json(first, 201).await;
    let replay = submit(&app, &key, Some(code)).await;
    assert_eq!(replay.status(), 201, "a retry of the same response");
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(replay["response_id"], first["response_id"]);
    refused(
        submit(&app, &uuid::Uuid::now_v7().to_string(), Some(code)).await,
        403,
        "invitation_used",
    )
    .await;

    // A response refused for its answers does not use up its code.
    let second = lines[2].split(',').next().unwrap();
    let bad = app
        .submit_with(
            "trygghet-oppen",
            &uuid::Uuid::now_v7().to_string(),
            &json!({"answers": {"evening_safety": "kanske"}}),
            Some(("Invitation-Code", second)),
        )
        .await;
    assert_eq!(bad.status(), 422);

    let rates = analyst.get_json(&path).await;
    assert_eq!(rates["issued"], 3);
    assert_eq!(rates["used"], 1);
    assert_eq!(
        rates["areas"],
        json!([{"area": "bro", "issued": 3, "used": 1, "response_rate": 1.0 / 3.0}])
    );
    let stored = app.store.responses(&survey).await.unwrap();
    assert_eq!(stored.len(), 2, "the open response and the invited one");
    app.finish().await;
}

#[tokio::test]
async fn codes_are_refused_for_an_unknown_area_or_a_count_out_of_range() {
    let app = spawn_app().await;
    let survey = seed_surveys(&app.store).await;
    let analyst = app.staff(Role::Analyst).await;
    let path = format!("/api/v1/admin/surveys/{}/invitations", survey.id);
    for (body, field) in [
        (json!({"count": 0}), "count"),
        (json!({"count": 50_001}), "count"),
        (json!({"count": 2, "area": "atlantis"}), "area"),
    ] {
        let response = analyst.post_json(&path, &body).await;
        assert_eq!(response.status(), 422, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], field, "{error}");
    }
    let rates = analyst.get_json(&path).await;
    assert_eq!(rates["issued"], 0);
    assert!(rates["response_rate"].is_null());
    app.finish().await;
}
