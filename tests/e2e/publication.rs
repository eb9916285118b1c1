//! Publishing results: only a closed round is published, what is published is a
//! frozen snapshot that late imports do not change, republishing is explicit and
//! audited, and the public follow-up page shows published rounds only.

use serde_json::{Value, json};
use trygg_domain::{ResponseInput, Role, Survey};
use trygg_e2e::{TestApp, expect_error, expect_json, indicator_cell, spawn_demo_app};

const PUBLISHED: &str = "trygghetsmatning-2023";
const CLOSED_UNPUBLISHED: &str = "trygghetsmatning-2021";
const OPEN: &str = "trygghetsmatning-2026";
const FOLLOW_UP: &str = "/api/v1/public/upplands-bro-demo/follow-up";
const FEED: &str = "/lofte/upplands-bro-demo/feed.atom";

/// Stores `count` responses from Bro to `survey`, as a late import would: all
/// feeling `evening_safety`, each with a pin in Bro centrum.
async fn import(app: &TestApp, survey: &Survey, count: usize, evening_safety: &str) {
    let boundary = app.store.boundary(survey.municipality_id).await.unwrap();
    let responses: Vec<_> = (0..count)
        .map(|_| {
            let input: ResponseInput = serde_json::from_value(json!({
                "answers": {"area": "bro", "gender": "kvinna", "age_band": "a25_44",
                            "evening_safety": evening_safety},
                "pins": [{"location": [17.6335, 59.512], "category": "belysning", "time_of_day": "evening"}],
            }))
            .unwrap();
            survey
                .accept(input, &boundary, time::OffsetDateTime::now_utc())
                .unwrap()
        })
        .collect();
    app.store
        .insert_responses(&responses, &boundary)
        .await
        .unwrap();
}

/// Every public answer about the published round and the follow-up page, as bytes.
async fn public_bytes(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for path in [
        format!("/api/v1/results/{PUBLISHED}"),
        format!("/api/v1/results/{PUBLISHED}/tables.csv"),
        format!("/api/v1/results/{PUBLISHED}/tables.csv?dialect=semicolon"),
        FOLLOW_UP.to_owned(),
        FEED.to_owned(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        out.push((path, response.bytes().await.unwrap().to_vec()));
    }
    out
}

/// The demo's promise for Bro on the follow-up page.
fn bro_promise(follow_up: &Value) -> &Value {
    follow_up["promises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["indicator"]["area_code"] == "bro")
        .unwrap()
}

/// The Bro series of the demo's first promise on the follow-up page: (round, n).
fn bro_series(follow_up: &Value) -> Vec<(String, Option<u64>)> {
    bro_promise(follow_up)["indicator"]["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["round"].as_str().unwrap().to_owned(), r["n"].as_u64()))
        .collect()
}

#[tokio::test]
async fn publishing_an_open_round_is_refused_with_422_naming_its_closing_day() {
    let app = spawn_demo_app().await;
    let open = app.survey(OPEN).await;
    let analyst = app.staff(Role::Analyst).await;
    let refused = analyst
        .put(&format!("/api/v1/admin/surveys/{}/publication", open.id))
        .await;
    let body = expect_json(refused, 422).await;
    assert_eq!(body["error"], "round_open", "{body}");
    assert_eq!(body["field"], "closes_on", "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("closed")),
        "{body}"
    );
    assert_eq!(
        app.get(&format!("/api/v1/results/{OPEN}")).await.status(),
        404
    );
    let dashboard = analyst
        .get_json(&format!("/api/v1/admin/surveys/{}/lagesbild", open.id))
        .await;
    assert_eq!(dashboard["closed"], false);
    assert!(dashboard["publication"].is_null());
    // Nothing was recorded as published.
    let events = app
        .store
        .audit_events(open.municipality_id, 50)
        .await
        .unwrap();
    assert!(!events.iter().any(|e| e.target == OPEN), "{events:?}");
    app.finish().await;
}

#[tokio::test]
async fn after_publishing_a_closed_round_late_imports_change_no_public_figure_until_it_is_republished()
 {
    let app = spawn_demo_app().await;
    let published = app.survey(PUBLISHED).await;
    let before = public_bytes(&app).await;

    import(&app, &published, 40, "mycket_otrygg").await;
    let after = public_bytes(&app).await;
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{path} changed after a late import");
    }
    // The dashboard does see the new answers: they are stored, just not published.
    let analyst = app.staff(Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{}", published.id);
    let dashboard = analyst.get_json(&format!("{base}/lagesbild")).await;
    let public: Value = serde_json::from_slice(&before[0].1).unwrap();
    let total = |l: &Value| l["key_figures"]["respondents_total"].as_u64().unwrap();
    assert_eq!(total(&dashboard), total(&public) + 40);
    assert_eq!(public["publication"]["version"], 1);

    // Publishing again the ordinary way changes nothing.
    let again = analyst.put(&format!("{base}/publication")).await;
    assert_eq!(again.status(), 200);
    let unchanged = public_bytes(&app).await;
    assert!(unchanged.first() == before.first());

    // Republishing is explicit, replaces the figures and is audited.
    let republished = analyst.post(&format!("{base}/publication/republish")).await;
    let answer = expect_json(republished, 200).await;
    assert_eq!(answer["publication"]["version"], 2, "{answer}");
    assert_eq!(
        answer["publication"]["updated_by"], analyst.email,
        "{answer}"
    );
    assert_eq!(
        answer["published_on"], public["publication"]["published_on"],
        "the first publication day stays"
    );
    let now = public_bytes(&app).await;
    for ((path, a), (_, b)) in before.iter().zip(&now).take(4) {
        assert!(a != b, "{path} is the same after republishing");
    }
    let public: Value = serde_json::from_slice(&now[0].1).unwrap();
    assert_eq!(total(&public), total(&dashboard));
    assert_eq!(public["publication"]["version"], 2);
    let follow_up: Value = serde_json::from_slice(&now[3].1).unwrap();
    let old_follow_up: Value = serde_json::from_slice(&before[3].1).unwrap();
    let n = |f: &Value| bro_series(f)[0].1.unwrap();
    assert_eq!(n(&follow_up), n(&old_follow_up) + 40);
    let events = app
        .store
        .audit_events(published.municipality_id, 20)
        .await
        .unwrap();
    let event = events
        .iter()
        .find(|e| e.action == "republish_results")
        .unwrap();
    assert_eq!(
        (event.actor.as_str(), event.target.as_str()),
        (analyst.email.as_str(), PUBLISHED)
    );
    // An unpublished round cannot be republished.
    let closed = app.survey(CLOSED_UNPUBLISHED).await;
    let refused = analyst
        .post(&format!(
            "/api/v1/admin/surveys/{}/publication/republish",
            closed.id
        ))
        .await;
    expect_error(refused, 409, "not_published").await;
    app.finish().await;
}

#[tokio::test]
async fn the_follow_up_shows_published_rounds_only_and_an_open_rounds_next_answer_moves_nothing() {
    let app = spawn_demo_app().await;
    let open = app.survey(OPEN).await;
    // The review's case: 49 residents of Bro who feel safe in the open round, then
    // one who does not. Live, the page showed n 49, 0.0 % and then n 50, 2.0 %,
    // which told that one resident's answer.
    import(&app, &open, 49, "mycket_trygg").await;
    let before = app.get(FOLLOW_UP).await.bytes().await.unwrap();
    let feed_before = app.get(FEED).await.bytes().await.unwrap();
    import(&app, &open, 1, "mycket_otrygg").await;
    let after = app.get(FOLLOW_UP).await.bytes().await.unwrap();
    assert!(before == after, "the follow-up changed with one answer");
    assert!(feed_before == app.get(FEED).await.bytes().await.unwrap());

    // Only the published 2023 round: not the closed, unpublished 2020 and 2021,
    // nor the open 2026 round.
    let follow_up: Value = serde_json::from_slice(&after).unwrap();
    let series = bro_series(&follow_up);
    assert_eq!(
        series.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(),
        ["2023"]
    );
    // Its figure is the published page's Bro cell.
    let public = app.get_json(&format!("/api/v1/results/{PUBLISHED}")).await;
    let cell = indicator_cell(&public, "evening_unsafe", &["area"], &["bro"]);
    assert_eq!(series[0].1, cell["estimate"]["n"].as_u64());
    assert_eq!(
        bro_promise(&follow_up)["indicator"]["rounds"][0]["share"],
        cell["estimate"]["value"]
    );

    // Once published, the 2021 round joins the page; the open one never can.
    let analyst = app.staff(Role::Analyst).await;
    let closed = app.survey(CLOSED_UNPUBLISHED).await;
    for (id, status) in [(closed.id, 200), (open.id, 422)] {
        let response = analyst
            .put(&format!("/api/v1/admin/surveys/{id}/publication"))
            .await;
        assert_eq!(response.status(), status);
    }
    let follow_up = app.get_json(FOLLOW_UP).await;
    assert_eq!(
        bro_series(&follow_up)
            .iter()
            .map(|(r, _)| r.as_str())
            .collect::<Vec<_>>(),
        ["2021", "2023"]
    );
    // Withdrawing a round takes it off the follow-up page as well.
    let withdrawn = analyst
        .delete(&format!("/api/v1/admin/surveys/{}/publication", closed.id))
        .await;
    assert_eq!(withdrawn.status(), 200);
    assert!(app.get(FOLLOW_UP).await.bytes().await.unwrap() == after);
    app.finish().await;
}
