//! Medborgarlöften and safety walks over HTTP: who may record progress, how bad
//! input is answered, and that the public follow-up and its feed show the change.

use reqwest::Method;
use serde_json::{Value, json};
use trygg_domain::{
    Activity, Finding, FocusArea, MunicipalityId, Permission, Promise, Role, SafetyWalk,
};
use trygg_e2e::spawn_app;
use trygg_store::Store;

use crate::roles::{Case, get, send};

/// The follow-up rows one municipality holds for the route table.
pub struct Seeded {
    pub promise: Promise,
    pub activity: Activity,
    pub walk: SafetyWalk,
    pub finding: Finding,
}

impl Seeded {
    /// Text only this municipality's follow-up contains.
    pub fn markers(&self) -> Vec<String> {
        vec![self.promise.id.to_string(), self.walk.id.to_string()]
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
    Seeded {
        promise,
        activity,
        walk,
        finding,
    }
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// The follow-up routes of the role table, pointed at `s`'s rows.
pub fn routes(s: &Seeded) -> Vec<Case> {
    let (p, a, w, f) = (s.promise.id, s.activity.id, s.walk.id, s.finding.id);
    let year = time::OffsetDateTime::now_utc().year();
    vec![
        get(
            "/api/v1/admin/focus-areas".to_owned(),
            Some(Permission::ReadResults),
        ),
        get(
            "/api/v1/admin/promises".to_owned(),
            Some(Permission::ReadResults),
        ),
        get(
            format!("/api/v1/admin/promises/{p}"),
            Some(Permission::ReadResults),
        ),
        get(
            "/api/v1/admin/walks".to_owned(),
            Some(Permission::ReadResults),
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
    ]
}

#[tokio::test]
async fn a_police_partner_records_progress_and_a_viewer_is_refused_without_a_write() {
    let app = spawn_app().await;
    let m = trygg_domain::Municipality::parse("kommunen", "Kommunen", false).unwrap();
    app.store.insert_municipality(&m).await.unwrap();
    let seeded = seed(&app.store, m.id, "kommunen").await;
    let path = format!("/api/v1/admin/activities/{}/progress", seeded.activity.id);
    let body = json!({"on": today(), "amount": 2, "text": "Två insatser vid stationen", "note": "Internt"});

    let viewer = app.staff_in(m.id, Role::Viewer).await;
    let refused = viewer.post_json(&path, &body).await;
    assert_eq!(refused.status(), 403);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["error"], "forbidden");

    let partner = app.staff_in(m.id, Role::Partner).await;
    let recorded = partner.post_json(&path, &body).await;
    assert_eq!(recorded.status(), 201);
    let activity: Value = recorded.json().await.unwrap();
    assert_eq!(activity["achieved"], 2);
    let stored = app
        .store
        .promise(m.id, seeded.promise.id)
        .await
        .unwrap()
        .unwrap();
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
    let m = trygg_domain::Municipality::parse("kommunen", "Kommunen", false).unwrap();
    app.store.insert_municipality(&m).await.unwrap();
    let seeded = seed(&app.store, m.id, "kommunen").await;
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
    assert_eq!(malformed.status(), 400);
    let malformed: Value = malformed.json().await.unwrap();
    assert!(malformed["error"].is_string());
    let unknown = partner
        .post_json(
            &format!("/api/v1/admin/activities/{}/progress", uuid::Uuid::now_v7()),
            &json!({"on": today(), "amount": 1, "text": "x"}),
        )
        .await;
    assert_eq!(unknown.status(), 404);
    let stored = app
        .store
        .promise(m.id, seeded.promise.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.activities[0].achieved(), 0);
    app.finish().await;
}

#[tokio::test]
async fn the_public_follow_up_and_its_feed_show_new_progress_and_fixed_findings_but_no_notes() {
    let app = spawn_app().await;
    let m = trygg_domain::Municipality::parse("kommunen", "Kommunen", false).unwrap();
    app.store.insert_municipality(&m).await.unwrap();
    let seeded = seed(&app.store, m.id, "kommunen").await;
    let before: Value = app
        .get("/api/v1/public/kommunen/follow-up")
        .await
        .json()
        .await
        .unwrap();
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
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
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
