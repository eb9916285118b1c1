//! Medborgarlöften and safety walks over HTTP: who may record progress, how bad
//! input is answered, and that the public follow-up and its feed show the change.

use reqwest::Method;
use serde_json::{Value, json};
use trygg_domain::{
    Activity, Finding, FocusArea, Municipality, MunicipalityId, Permission, Promise, Role,
    SafetyWalk,
};
use trygg_e2e::{
    TestApp, expect_error, expect_json, header, indicator_cell, spawn_app, spawn_demo_app_as,
};
use trygg_store::Store;

use crate::roles::{Case, gets, send};

/// The follow-up rows one municipality holds for the route table.
pub struct Seeded {
    pub promise: Promise,
    pub activity: Activity,
    pub walk: SafetyWalk,
    pub finding: Finding,
    /// The category of the municipality's one imported crime count.
    pub crime_category: String,
    /// An action plan.
    pub plan: trygg_domain::ActionPlan,
}

impl Seeded {
    /// Text only this municipality's follow-up contains.
    pub fn markers(&self) -> Vec<String> {
        vec![
            self.promise.id.to_string(),
            self.walk.id.to_string(),
            self.crime_category.clone(),
            self.plan.title.clone(),
        ]
    }
}

/// A focus area, a promise running through this year and the next with one
/// activity, and a walk with one finding, in municipality `m`.
pub async fn seed(store: &Store, m: MunicipalityId, slug: &str) -> Seeded {
    let year = time::OffsetDateTime::now_utc().year();
    let focus = FocusArea::parse(
        serde_json::from_value(json!({
            "name": format!("Centrum i {slug}"), "kind": "place", "area_code": "centrum",
            "starts_on": format!("{year}-01-01"), "ends_on": format!("{}-12-31", year + 1),
            "rationale": "Flest otrygga platser"
        }))
        .unwrap(),
        m,
    )
    .unwrap();
    store.insert_focus_area(&focus).await.unwrap();
    let mut promise = Promise::parse(
        serde_json::from_value(json!({
            "focus_area_id": focus.id.as_uuid(), "title": {"sv": format!("Tryggare centrum i {slug}")},
            "starts_on": format!("{year}-01-01"), "ends_on": format!("{}-12-31", year + 1),
            "parties": ["Polisen", "Kommunen"], "expected_effect": {"sv": "Färre otrygga"}
        }))
        .unwrap(),
        m,
    )
    .unwrap();
    let activity = Activity::parse(
        serde_json::from_value(json!({
            "title": {"sv": "Gemensamma insatser"}, "owner": "Polisen", "target": 8,
            "unit": "insatser", "due_on": format!("{}-12-31", year + 1)
        }))
        .unwrap(),
        &promise,
    )
    .unwrap();
    promise.activities.push(activity.clone());
    store.insert_promise(&promise).await.unwrap();
    let walk = SafetyWalk::parse(
        serde_json::from_value(json!({
            "title": format!("Trygghetsvandring i {slug}"), "area_code": "centrum",
            "walked_on": format!("{year}-01-10")
        }))
        .unwrap(),
        m,
    )
    .unwrap();
    store.insert_walk(&walk).await.unwrap();
    let finding = Finding::parse(
        serde_json::from_value(json!({
            "location": [17.63, 59.51], "category": "belysning", "note": "Trasig lampa",
            "responsible": "Tekniska förvaltningen"
        }))
        .unwrap(),
        &walk,
    )
    .unwrap();
    store.save_finding(m, &finding).await.unwrap();
    let square: geojson::Geometry =
        serde_json::from_value(json!({"type": "Polygon", "coordinates": [[
        [17.62, 59.50], [17.64, 59.50], [17.64, 59.52], [17.62, 59.52], [17.62, 59.50]]]}))
        .unwrap();
    let area = trygg_domain::Area::parse(m, "centrum", "Centrum", &square, "area").unwrap();
    store.insert_areas(&[area]).await.unwrap();
    let crime_category = format!("brott-{slug}");
    let counts = trygg_domain::parse_crime_counts(
        vec![trygg_domain::CrimeCountInput {
            area_code: "centrum".to_owned(),
            period: "2025".to_owned(),
            category: crime_category.clone(),
            count: 12,
        }],
        &std::iter::once("centrum".to_owned()).collect(),
    )
    .unwrap();
    store.replace_crime_counts(m, &counts).await.unwrap();
    let plan = trygg_domain::ActionPlan::parse(
        serde_json::from_value(json!({
            "title": format!("Åtgärdsplan för {slug}"),
            "starts_on": format!("{year}-01-01"), "ends_on": format!("{}-12-31", year + 1),
            "areas": [{"name": "Trygghet på offentlig plats", "activities": [
                {"title": "Gemensamma insatser", "owner": "Polisen"}]}]
        }))
        .unwrap(),
        m,
    )
    .unwrap();
    store.save_action_plan(&plan).await.unwrap();
    Seeded {
        promise,
        activity,
        walk,
        finding,
        crime_category,
        plan,
    }
}

impl Seeded {
    /// The promise as the store now holds it, e.g. to see what progress was written.
    pub async fn stored_promise(&self, store: &Store, m: MunicipalityId) -> Promise {
        store.promise(m, self.promise.id).await.unwrap().unwrap()
    }
}

/// The municipality `kommunen` with [`seed`]'s follow-up rows.
pub async fn kommunen(app: &TestApp) -> (Municipality, Seeded) {
    let m = app.add_municipality("kommunen", "Kommunen").await;
    let seeded = seed(&app.store, m.id, "kommunen").await;
    (m, seeded)
}

/// Today, as the API writes a day.
pub fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// The follow-up routes of the role table, pointed at `s`'s rows.
pub fn routes(s: &Seeded) -> Vec<Case> {
    let (p, a, w, f) = (s.promise.id, s.activity.id, s.walk.id, s.finding.id);
    let plan = s.plan.id;
    let year = time::OffsetDateTime::now_utc().year();
    gets(
        Permission::ReadResults,
        [
            "/api/v1/admin/focus-areas".to_owned(),
            "/api/v1/admin/promises".to_owned(),
            format!("/api/v1/admin/promises/{p}"),
            "/api/v1/admin/walks".to_owned(),
            format!("/api/v1/admin/walks/{w}"),
            "/api/v1/admin/focus-candidates".to_owned(),
            "/api/v1/admin/crime-counts".to_owned(),
            "/api/v1/admin/action-plans".to_owned(),
            format!("/api/v1/admin/action-plans/{plan}"),
        ],
    )
    .chain([
        send(
            Method::POST,
            "/api/v1/admin/action-plans".to_owned(),
            json!({"title": "Ny åtgärdsplan", "starts_on": format!("{year}-01-01"),
                   "ends_on": format!("{year}-12-31"), "areas": []}),
            Permission::EditPromises,
            201,
        ),
        send(
            Method::PUT,
            format!("/api/v1/admin/action-plans/{plan}"),
            json!({"title": "Åtgärdsplan, reviderad", "starts_on": format!("{year}-01-01"),
                   "ends_on": format!("{}-12-31", year + 1),
                   "areas": [{"name": "Inbrott i bostad", "activities": [{"title": "Grannsamverkan", "owner": "Polisen"}]}]}),
            Permission::EditPromises,
            200,
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/action-plans/{plan}/meetings"),
            json!({"held_on": format!("{year}-02-10"), "kind": "Chefssamråd", "decisions": ["Fokus på centrum"]}),
            Permission::EditPromises,
            201,
        ),
        send(
            Method::PUT,
            format!("/api/v1/admin/action-plans/{plan}/midterm-review"),
            json!({"held_on": format!("{year}-06-30"), "cooperation": "Fungerar", "implementation": "Hälften klart",
                   "results": "För tidigt att säga"}),
            Permission::EditPromises,
            200,
        ),
        send(
            Method::POST,
            "/api/v1/admin/crime-counts".to_owned(),
            json!({"rows": [{"area_code": "centrum", "period": "2024", "category": "rån", "count": 3}]}),
            Permission::ManageFocusAreas,
            201,
        ),
        send(
            Method::POST,
            "/api/v1/admin/focus-areas".to_owned(),
            json!({"name": "Unga", "kind": "group", "starts_on": format!("{year}-01-01"),
                   "ends_on": format!("{year}-12-31"), "rationale": "Ungdomsfrågorna prioriterades i dialogerna"}),
            Permission::ManageFocusAreas,
            201,
        ),
        send(
            Method::POST,
            "/api/v1/admin/promises".to_owned(),
            json!({"focus_area_id": s.promise.focus_area_id, "title": {"sv": "Fler nattvandringar"},
                   "starts_on": format!("{year}-01-01"), "ends_on": format!("{year}-12-31"),
                   "parties": ["Kommunen"], "expected_effect": {"sv": "Tryggare kvällar"}}),
            Permission::EditPromises,
            201,
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/promises/{p}/activities"),
            json!({"title": {"sv": "Narkotikainsatser"}, "owner": "Polisen", "target": 4,
                   "unit": "insatser", "due_on": format!("{}-06-30", year + 1)}),
            Permission::EditPromises,
            201,
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/activities/{a}/progress"),
            json!({"on": today(), "amount": 1, "text": "Insats i centrum"}),
            Permission::AddProgress,
            201,
        ),
        send(
            Method::POST,
            "/api/v1/admin/walks".to_owned(),
            json!({"title": "Trygghetsvandring", "area_code": "centrum", "walked_on": today()}),
            Permission::ManageWalks,
            201,
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/walks/{w}/findings"),
            json!({"location": [17.63, 59.51], "category": "klotter", "note": "Klotter på busskuren",
                   "responsible": "Bostadsbolaget"}),
            Permission::ManageWalks,
            201,
        ),
        send(
            Method::PATCH,
            format!("/api/v1/admin/findings/{f}"),
            json!({"status": "planned"}),
            Permission::ManageWalks,
            200,
        ),
    ])
    .collect()
}

#[tokio::test]
async fn a_police_partner_records_progress_and_a_viewer_is_refused_without_a_write() {
    let app = spawn_app().await;
    let (m, seeded) = kommunen(&app).await;
    let path = format!("/api/v1/admin/activities/{}/progress", seeded.activity.id);
    let body = json!({"on": today(), "amount": 2, "text": "Två insatser vid stationen", "note": "Internt"});

    let viewer = app.staff_in(m.id, Role::Viewer).await;
    let refused = viewer.post_json(&path, &body).await;
    expect_error(refused, 403, "forbidden").await;

    let partner = app.staff_in(m.id, Role::Partner).await;
    let recorded = partner.post_json(&path, &body).await;
    let activity = expect_json(recorded, 201).await;
    assert_eq!(activity["achieved"], 2);
    let stored = seeded.stored_promise(&app.store, m.id).await;
    assert_eq!(
        stored.activities[0].achieved(),
        2,
        "only the partner's entry is stored"
    );
    app.finish().await;
}

#[tokio::test]
async fn bad_progress_is_a_4xx_naming_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let (m, seeded) = kommunen(&app).await;
    let partner = app.staff_in(m.id, Role::Partner).await;
    let path = format!("/api/v1/admin/activities/{}/progress", seeded.activity.id);
    let cases = [
        (
            "a day in the future",
            json!({"on": "2999-01-01", "amount": 1, "text": "x"}),
            422,
            "on",
        ),
        (
            "an empty text",
            json!({"on": today(), "amount": 1, "text": " "}),
            422,
            "text",
        ),
        (
            "a negative amount",
            json!({"on": today(), "amount": -1, "text": "x"}),
            422,
            "amount",
        ),
        (
            "a date that is no date",
            json!({"on": "igår", "amount": 1, "text": "x"}),
            422,
            "on",
        ),
        (
            "an unknown field",
            json!({"on": today(), "amount": 1, "text": "x", "photo": "a.jpg"}),
            422,
            "",
        ),
    ];
    for (what, body, status, field) in cases {
        let response = partner.post_json(&path, &body).await;
        assert_eq!(response.status().as_u16(), status, "{what}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"].is_string() && body["message"].is_string(),
            "{what}: {body}"
        );
        if !field.is_empty() {
            assert_eq!(body["field"], field, "{what}: {body}");
        }
    }
    let malformed = partner
        .request(Method::POST, &path)
        .header("Content-Type", "application/json")
        .body("{\"on\": ")
        .send()
        .await
        .unwrap();
    let malformed = expect_json(malformed, 400).await;
    assert!(malformed["error"].is_string());
    let unknown = partner
        .post_json(
            &format!("/api/v1/admin/activities/{}/progress", uuid::Uuid::now_v7()),
            &json!({"on": today(), "amount": 1, "text": "x"}),
        )
        .await;
    assert_eq!(unknown.status(), 404);
    let stored = seeded.stored_promise(&app.store, m.id).await;
    assert_eq!(stored.activities[0].achieved(), 0);
    app.finish().await;
}

#[tokio::test]
async fn the_public_follow_up_and_its_feed_show_new_progress_and_fixed_findings_but_no_notes() {
    let app = spawn_app().await;
    let (m, seeded) = kommunen(&app).await;
    let before = app.get_json("/api/v1/public/kommunen/follow-up").await;
    assert_eq!(before["promises"][0]["activities"][0]["achieved"], 0);
    assert_eq!(before["findings"].as_array().unwrap().len(), 0);

    let partner = app.staff_in(m.id, Role::Partner).await;
    let path = format!("/api/v1/admin/activities/{}/progress", seeded.activity.id);
    let body = json!({"on": today(), "amount": 3, "text": "Tre insatser i centrum", "note": "Hemlig anteckning"});
    assert_eq!(partner.post_json(&path, &body).await.status(), 201);
    let fixed = partner
        .patch_json(
            &format!("/api/v1/admin/findings/{}", seeded.finding.id),
            &json!({"status": "fixed"}),
        )
        .await;
    assert_eq!(fixed.status(), 200);

    let after = app.get("/api/v1/public/kommunen/follow-up").await;
    assert_eq!(after.status(), 200);
    let text = after.text().await.unwrap();
    assert!(
        !text.contains("Hemlig anteckning"),
        "internal notes stay internal"
    );
    let after: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(after["promises"][0]["activities"][0]["achieved"], 3);
    assert_eq!(
        after["promises"][0]["updates"][0]["text"],
        "Tre insatser i centrum"
    );
    assert_eq!(after["findings"][0]["status"], "fixed");
    assert_eq!(after["findings"][0]["fixed_on"], today());

    let feed = app.get("/lofte/kommunen/feed.atom").await;
    assert_eq!(feed.status(), 200);
    assert!(header(&feed, "content-type").starts_with("application/atom+xml"));
    let feed = feed.text().await.unwrap();
    assert!(feed.contains("Tre insatser i centrum"), "{feed}");
    assert!(feed.contains("Åtgärdat: Trasig lampa"), "{feed}");
    assert!(!feed.contains("Hemlig"));

    let page = app.get("/lofte/kommunen").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("/js/lofte/main.js"));
    assert_eq!(
        app.get("/api/v1/public/ingen-sadan/follow-up")
            .await
            .status(),
        404
    );
    app.finish().await;
}

#[tokio::test]
async fn focus_candidates_rank_the_demo_areas_with_the_lagesbild_numbers_and_state_the_rule() {
    let (app, partner) = spawn_demo_app_as(Role::Partner).await;
    let answer = partner.get("/api/v1/admin/focus-candidates").await;
    let c = expect_json(answer, 200).await;
    assert_eq!(c["indicator"], "evening_unsafe");
    assert!(c["method"]["sv"].as_str().unwrap().contains("sex signaler"));
    assert!(c["method"]["en"].as_str().unwrap().contains("six signals"));
    let areas = c["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 4);
    let bro = &areas[0];
    assert_eq!(
        (bro["code"].as_str(), bro["rank"].as_u64()),
        (Some("bro"), Some(1))
    );
    // The demo's walk in Bro: eight findings, some still open.
    assert_eq!(bro["findings"], 8);
    assert!(bro["open_findings"].as_u64().unwrap() > 0);
    assert!(
        bro["signals"]
            .as_array()
            .unwrap()
            .contains(&json!("open_findings"))
    );
    assert!(
        bro["focus_areas"]
            .as_array()
            .unwrap()
            .contains(&json!("Bro centrum"))
    );
    // The share is the lägesbild's own number for Bro in the same round.
    let survey = app.survey(c["survey"]["slug"].as_str().unwrap()).await;
    let dashboard = partner
        .get_json(&format!("/api/v1/admin/surveys/{}/lagesbild", survey.id))
        .await;
    let cell = indicator_cell(&dashboard, "evening_unsafe", &["area"], &["bro"]);
    assert_eq!(
        bro["indicators"]["evening_unsafe"]["share"],
        cell["estimate"]["value"]
    );
    assert_eq!(
        bro["indicators"]["evening_unsafe"]["low"],
        cell["estimate"]["interval"]["low"]
    );
    // Pins by category add up to the area's pins.
    let by_category: u64 = bro["pins_by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_u64().unwrap())
        .sum();
    assert_eq!(by_category, bro["pins"].as_u64().unwrap());
    assert!(bro["pins"].as_u64().unwrap() > 0);
    // Without imported crime counts, nothing says there are any.
    assert!(c["crime_period"].is_null());
    assert!(bro["crimes"].is_null());
    // An indicator that is no share indicator of the round names the field.
    let bad = partner
        .get("/api/v1/admin/focus-candidates?indicator=mean_years_in_area")
        .await;
    let bad = expect_json(bad, 422).await;
    assert_eq!(
        (bad["error"].as_str(), bad["field"].as_str()),
        (Some("unknown_indicator"), Some("indicator"))
    );
    app.finish().await;
}

#[tokio::test]
async fn crime_counts_are_imported_all_or_nothing_and_a_broken_row_is_named() {
    let (app, analyst) = spawn_demo_app_as(Role::Analyst).await;
    let row = |area: &str, category: &str, count: Value| json!({"area_code": area, "period": "2025", "category": category, "count": count});
    for (body, field) in [
        (
            json!({"rows": [row("bro", "rån", json!(3)), row("narnia", "rån", json!(1))]}),
            "rows[1].area_code",
        ),
        (
            json!({"rows": [row("bro", "rån", json!(-1))]}),
            "rows[0].count",
        ),
        (
            json!({"rows": [row("bro", "rån", json!(3)), row("bro", "Rån", json!(4))]}),
            "rows[1].category",
        ),
        (
            json!({"rows": [row("bro", "", json!(3))]}),
            "rows[0].category",
        ),
        (json!({"rows": []}), "rows"),
    ] {
        let answer = analyst.post_json("/api/v1/admin/crime-counts", &body).await;
        assert_eq!(answer.status(), 422, "{body}");
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["field"], field, "{body}: {error}");
    }
    let stored = analyst.get_json("/api/v1/admin/crime-counts").await;
    assert_eq!(stored["crime_counts"], json!([]));

    let good = json!({"rows": [row("bro", "skadegörelse", json!(41)), row("bro", "rån", json!(9)),
                               row("kungsangen", "skadegörelse", json!(17)), row("brunna", "rån", json!(2)),
                               row("lassa", "rån", json!(0))]});
    let answer = analyst.post_json("/api/v1/admin/crime-counts", &good).await;
    assert_eq!(answer.status(), 201);
    let c = analyst.get_json("/api/v1/admin/focus-candidates").await;
    assert_eq!(c["crime_period"], "2025");
    let bro = c["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "bro")
        .unwrap();
    assert_eq!(bro["crimes"], 50);
    assert!(
        bro["signals"]
            .as_array()
            .unwrap()
            .contains(&json!("crime_above_median"))
    );
    // A corrected file for the same period replaces it rather than adding to it.
    let again = json!({"rows": [row("bro", "skadegörelse", json!(40))]});
    assert_eq!(
        analyst
            .post_json("/api/v1/admin/crime-counts", &again)
            .await
            .status(),
        201
    );
    let stored = analyst.get_json("/api/v1/admin/crime-counts").await;
    assert_eq!(stored["crime_counts"].as_array().unwrap().len(), 1);
    app.finish().await;
}

#[tokio::test]
async fn one_walk_comes_with_its_findings_and_the_places_a_walk_leader_may_choose() {
    let (app, viewer) = spawn_demo_app_as(Role::Viewer).await;
    let walks = viewer.get_json("/api/v1/admin/walks").await;
    let id = walks["walks"][0]["id"].as_str().unwrap().to_owned();
    let walk = viewer.get_json(&format!("/api/v1/admin/walks/{id}")).await;
    assert_eq!(walk["walk"]["title"], "Trygghetsvandring i Bro centrum");
    assert_eq!(walk["findings"].as_array().unwrap().len(), 8);
    assert!(
        walk["places"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Bro station")
    );
    assert_eq!(walk["areas"]["type"], "FeatureCollection");
    let missing = viewer
        .get(&format!("/api/v1/admin/walks/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(missing.status(), 404);
    app.finish().await;
}

#[tokio::test]
async fn the_action_plan_records_meetings_and_the_midterm_review_and_refuses_bad_dates_by_field() {
    let (app, partner) = spawn_demo_app_as(Role::Partner).await;
    let list = partner.get_json("/api/v1/admin/action-plans").await;
    let plan = &list["action_plans"][0];
    assert_eq!(plan["title"], "Åtgärdsplan 2026");
    assert_eq!(plan["areas"].as_array().unwrap().len(), 4);
    assert_eq!(plan["midpoint"], "2026-07-02");
    assert_eq!(
        plan["check_dates"],
        json!(["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"])
    );
    let id = plan["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/admin/action-plans/{id}");

    // A viewer reads but may not record anything.
    let viewer = app.staff(Role::Viewer).await;
    assert_eq!(viewer.get(&path).await.status(), 200);
    let meeting = json!({"held_on": "2026-11-24", "kind": "Chefssamråd",
                         "decisions": ["Insatserna vid Bro station fortsätter under vintern."]});
    let refused = viewer
        .post_json(&format!("{path}/meetings"), &meeting)
        .await;
    assert_eq!(refused.status(), 403);

    let recorded = partner
        .post_json(&format!("{path}/meetings"), &meeting)
        .await;
    assert_eq!(recorded.status(), 201);
    let after = partner.get_json(&path).await;
    let meetings = after["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 3);
    assert_eq!(meetings[2]["held_on"], "2026-11-24");

    for (url, body, field) in [
        (
            format!("{path}/meetings"),
            json!({"held_on": "2026-13-01", "kind": "Chefssamråd"}),
            "held_on",
        ),
        (
            format!("{path}/meetings"),
            json!({"held_on": "2026-11-01", "kind": " "}),
            "kind",
        ),
        (
            format!("{path}/meetings"),
            json!({"held_on": "2026-11-01", "kind": "Chefssamråd", "decisions": [""]}),
            "decisions[0]",
        ),
        (
            format!("{path}/midterm-review"),
            json!({"held_on": "2027-02-01", "cooperation": "a", "implementation": "b", "results": "c"}),
            "held_on",
        ),
        (
            format!("{path}/midterm-review"),
            json!({"held_on": "2026-06-30", "cooperation": "a", "implementation": "", "results": "c"}),
            "implementation",
        ),
    ] {
        let answer = if url.ends_with("meetings") {
            partner.post_json(&url, &body).await
        } else {
            partner.put_json(&url, &body).await
        };
        assert_eq!(answer.status(), 422, "{body}");
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["field"], field, "{body}: {error}");
    }
    let bad_plan = json!({"title": "Plan", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
                          "areas": [], "check_dates": ["2027-03-31"]});
    let answer = partner
        .post_json("/api/v1/admin/action-plans", &bad_plan)
        .await;
    let error = expect_json(answer, 422).await;
    assert_eq!(error["field"], "check_dates[0]");
    // Nothing was written by the refused requests.
    let unchanged = partner.get_json(&path).await;
    assert_eq!(unchanged["meetings"].as_array().unwrap().len(), 3);
    assert_eq!(unchanged["midterm_review"]["held_on"], "2026-06-24");

    let review = json!({"held_on": "2026-07-01", "cooperation": "Samverkan fungerar.",
                        "implementation": "Sju av åtta insatser i Bro är gjorda.", "results": "För tidigt att se effekt."});
    assert_eq!(
        partner
            .put_json(&format!("{path}/midterm-review"), &review)
            .await
            .status(),
        200
    );
    let reviewed = partner.get_json(&path).await;
    assert_eq!(
        reviewed["midterm_review"]["implementation"],
        "Sju av åtta insatser i Bro är gjorda."
    );
    assert_eq!(reviewed["id"], id.as_str());
    app.finish().await;
}
