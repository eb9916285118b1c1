//! A survey that asks for proof of work takes a response only with a solved,
//! fresh, unused ALTCHA challenge; a retry of the same response may show the
//! same challenge again.

use altcha::{CreateChallengeOptions, Payload, SolveChallengeOptions};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use trygg_e2e::{TestApp, good_response, seed_surveys, spawn_app_with, survey_definition};

const SECRET: &str = "a-test-secret-for-challenges";

/// An app whose `trygghet-pow` survey asks for proof of work and whose
/// challenges are signed with [`SECRET`].
async fn app_with_a_pow_survey() -> (TestApp, trygg_domain::Survey) {
    let app = spawn_app_with(|settings| {
        settings.intake.proof_of_work_secret = Some(SECRET.to_owned().into());
    })
    .await;
    let open = seed_surveys(&app.store).await;
    let mut definition = survey_definition();
    definition["slug"] = "trygghet-pow".into();
    definition["proof_of_work"] = true.into();
    let survey = trygg_domain::Survey::parse(
        serde_json::from_value(definition).unwrap(),
        open.municipality_id,
    )
    .unwrap();
    app.store.insert_survey(&survey).await.unwrap();
    (app, survey)
}

/// The header value the widget would send for `challenge`, solved.
fn solved(challenge: &altcha::Challenge) -> String {
    let solution = altcha::solve_challenge(SolveChallengeOptions::new(challenge))
        .unwrap()
        .unwrap();
    let payload = Payload {
        challenge: challenge.clone(),
        solution,
    };
    STANDARD.encode(serde_json::to_vec(&payload).unwrap())
}

async fn fetch_solved(app: &TestApp) -> String {
    let response = app.get("/api/v1/surveys/trygghet-pow/challenge").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let challenge: altcha::Challenge = response.json().await.unwrap();
    solved(&challenge)
}

async fn send(app: &TestApp, key: &str, altcha: Option<&str>) -> (u16, Value) {
    let header = altcha.map(|altcha| ("Altcha", altcha));
    let response = app
        .submit_with("trygghet-pow", key, &good_response(), header)
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn responses(app: &TestApp, survey: &trygg_domain::Survey) -> usize {
    app.store.responses(survey).await.unwrap().len()
}

#[tokio::test]
async fn the_definition_says_which_surveys_ask_for_proof_of_work() {
    let (app, _) = app_with_a_pow_survey().await;
    let pow = app.get_json("/api/v1/surveys/trygghet-pow").await;
    let open = app.get_json("/api/v1/surveys/trygghet-oppen").await;
    assert_eq!(pow["proof_of_work"], true);
    assert_eq!(open["proof_of_work"], false);
    app.finish().await;
}

#[tokio::test]
async fn a_solved_challenge_is_accepted_once_and_again_only_for_a_retry_of_the_same_response() {
    let (app, survey) = app_with_a_pow_survey().await;
    let altcha = fetch_solved(&app).await;
    let key = uuid::Uuid::new_v4().to_string();

    let (status, first) = send(&app, &key, Some(&altcha)).await;
    assert_eq!(status, 201, "{first}");
    let (status, retry) = send(&app, &key, Some(&altcha)).await;
    assert_eq!(status, 201, "{retry}");
    assert_eq!(retry["response_id"], first["response_id"]);

    let other_key = uuid::Uuid::new_v4().to_string();
    let (status, reused) = send(&app, &other_key, Some(&altcha)).await;
    assert_eq!(status, 403, "{reused}");
    assert_eq!(
        reused,
        json!({"error": "proof_of_work_reused", "field": "Altcha", "message": reused["message"]})
    );
    assert_eq!(responses(&app, &survey).await, 1);

    let (status, _) = send(&app, &other_key, Some(&fetch_solved(&app).await)).await;
    assert_eq!(status, 201);
    assert_eq!(responses(&app, &survey).await, 2);
    app.finish().await;
}

#[tokio::test]
async fn a_missing_forged_expired_or_unsolved_challenge_is_refused_and_nothing_is_stored() {
    let (app, survey) = app_with_a_pow_survey().await;
    let foreign = altcha::create_challenge(CreateChallengeOptions {
        cost: 10,
        hmac_signature_secret: Some("another-server".to_owned()),
        ..CreateChallengeOptions::default()
    })
    .unwrap();
    let expired = altcha::create_challenge(CreateChallengeOptions {
        cost: 10,
        expires_at: Some(1_000_000),
        hmac_signature_secret: Some(SECRET.to_owned()),
        ..CreateChallengeOptions::default()
    })
    .unwrap();
    let mut unsolved: Payload =
        serde_json::from_slice(&STANDARD.decode(fetch_solved(&app).await).unwrap()).unwrap();
    unsolved.solution.derived_key = "00".repeat(32);
    let unsolved = STANDARD.encode(serde_json::to_vec(&unsolved).unwrap());
    let widget_test_mode =
        STANDARD.encode(r#"{"challenge": null, "solution": null, "test": true}"#);

    let cases: [(&str, Option<String>, u16, &str); 6] = [
        ("no header", None, 400, "missing_proof_of_work"),
        (
            "not base64",
            Some("%%%".to_owned()),
            400,
            "invalid_proof_of_work",
        ),
        (
            "the widget's test mode",
            Some(widget_test_mode),
            400,
            "invalid_proof_of_work",
        ),
        (
            "signed by another server",
            Some(solved(&foreign)),
            403,
            "proof_of_work_failed",
        ),
        (
            "expired",
            Some(solved(&expired)),
            403,
            "proof_of_work_expired",
        ),
        (
            "a wrong solution",
            Some(unsolved),
            403,
            "proof_of_work_failed",
        ),
    ];
    for (description, altcha, status, error) in cases {
        let key = uuid::Uuid::new_v4().to_string();
        let (got, body) = send(&app, &key, altcha.as_deref()).await;
        assert_eq!(got, status, "{description}: {body}");
        assert_eq!(body["error"], error, "{description}");
        assert_eq!(body["field"], "Altcha", "{description}");
    }
    assert_eq!(responses(&app, &survey).await, 0);
    app.finish().await;
}
