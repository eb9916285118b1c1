//! EST händelser through the staff API: rapportörer of partner organisations
//! report, each sees only their own organisation's reports, and the
//! coordinator reviews and merges. Runs on SQLite and PostgreSQL.

use reqwest::Method;
use serde_json::{Value, json};
use trygg_domain::{MunicipalityId, Organisation, OrganisationInput, Permission, Role};
use trygg_e2e::{
    STAFF_PASSWORD, StaffClient, TestApp, expect_error, expect_json, seed_surveys, spawn_app,
};

use crate::roles::{Case, get, send};

/// The EST routes in the role table: each body is refused or finds nothing
/// after the permission check, so every role that may gets the same answer.
pub fn routes(user: &trygg_domain::StaffUserId, role: Role) -> Vec<Case> {
    let nil = uuid::Uuid::nil();
    vec![
        get(
            "/api/v1/admin/organisations".to_owned(),
            Some(Permission::ReviewEvents),
        ),
        send(
            Method::POST,
            "/api/v1/admin/organisations".to_owned(),
            json!({"name": format!("Bolaget {role}")}),
            Permission::ManageUsers,
            201,
        ),
        send(
            Method::PUT,
            format!("/api/v1/admin/users/{user}/organisation"),
            json!({"organisation_id": null}),
            Permission::ManageUsers,
            204,
        ),
        get(
            "/api/v1/admin/events".to_owned(),
            Some(Permission::ReportEvents),
        ),
        // No place: refused after the permission check.
        send(
            Method::POST,
            "/api/v1/admin/events".to_owned(),
            json!({"category": "klotter", "occurred_at": "2026-12-01T21:00:00+01:00"}),
            Permission::ReportEvents,
            422,
        ),
        send(
            Method::PUT,
            format!("/api/v1/admin/events/{nil}"),
            report_body("klotter"),
            Permission::ReportEvents,
            404,
        ),
        // The report it names as kept does not exist: 422 on `into`.
        send(
            Method::POST,
            format!("/api/v1/admin/events/{nil}/merge"),
            json!({"into": nil.to_string()}),
            Permission::ReviewEvents,
            422,
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/events/{nil}/activity"),
            json!({"promise_id": nil.to_string(), "activity": {}}),
            Permission::ReviewEvents,
            404,
        ),
        Case {
            method: Method::POST,
            path: format!("/api/v1/admin/events/{nil}/review"),
            body: None,
            needs: Some(Permission::ReviewEvents),
            ok: 404,
            reads: false,
        },
    ]
}

fn report_body(category: &str) -> Value {
    json!({
        "category": category,
        "occurred_at": "2026-12-01T21:40:00+01:00",
        "lon": 17.6335,
        "lat": 59.512,
        "description": "Klotter på gångtunnelns norra vägg.",
        "police_called": false,
    })
}

/// An organisation `name` of the municipality `m`.
async fn organisation(app: &TestApp, m: MunicipalityId, name: &str) -> Organisation {
    let o = Organisation::parse(&OrganisationInput {
        name: name.to_owned(),
    })
    .unwrap();
    app.store.insert_organisation(m, &o).await.unwrap();
    o
}

/// A signed-in rapportör who reports for `o`.
async fn reporter(app: &TestApp, m: MunicipalityId, o: &Organisation) -> StaffClient {
    let user = app.add_staff(m, Role::Reporter).await;
    assert!(
        app.store
            .set_staff_organisation(m, user.id, Some(o.id()))
            .await
            .unwrap()
    );
    app.sign_in(user.email.as_str(), STAFF_PASSWORD)
        .await
        .unwrap()
}

struct Est {
    app: TestApp,
    bostadsbolaget: StaffClient,
    vaktbolaget: StaffClient,
    coordinator: StaffClient,
}

async fn est() -> Est {
    let app = spawn_app().await;
    seed_surveys(&app.store).await;
    let m = app.first_municipality().await;
    let housing = organisation(&app, m, "Bostadsbolaget").await;
    let guards = organisation(&app, m, "Väktarbolaget").await;
    Est {
        bostadsbolaget: reporter(&app, m, &housing).await,
        vaktbolaget: reporter(&app, m, &guards).await,
        coordinator: app.staff(Role::Analyst).await,
        app,
    }
}

fn ids(list: &Value) -> Vec<&str> {
    list["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_reporter_sees_and_corrects_only_their_own_organisations_reports() {
    let est = est().await;
    let sent = est
        .bostadsbolaget
        .post_json("/api/v1/admin/events", &report_body("klotter"))
        .await;
    let report = expect_json(sent, 201).await;
    let id = report["id"].as_str().unwrap();
    assert_eq!(report["status"], "new");
    assert_eq!(report["week"], "2026-W49");
    assert_eq!(report["occurred_at"], "2026-12-01T21:40:00+01:00");
    let path = format!("/api/v1/admin/events/{id}");

    let own = est.bostadsbolaget.get_json("/api/v1/admin/events").await;
    assert_eq!(ids(&own), [id]);
    // Read back in the offset it was reported in, on PostgreSQL too.
    assert_eq!(own["events"][0]["occurred_at"], "2026-12-01T21:40:00+01:00");
    let other = est.vaktbolaget.get_json("/api/v1/admin/events").await;
    assert!(ids(&other).is_empty(), "{other}");
    expect_error(est.vaktbolaget.get(&path).await, 404, "not_found").await;
    let corrected = est.vaktbolaget.put_json(&path, &report_body("brand")).await;
    expect_error(corrected, 404, "not_found").await;

    let corrected = est
        .bostadsbolaget
        .put_json(&path, &report_body("skadegorelse"))
        .await;
    assert_eq!(
        expect_json(corrected, 200).await["category"],
        "skadegorelse"
    );
    let all = est.coordinator.get_json("/api/v1/admin/events").await;
    assert_eq!(ids(&all), [id]);
    assert_eq!(all["events"][0]["category"], "skadegorelse");
    est.app.finish().await;
}

#[tokio::test]
async fn a_report_sent_again_with_its_idempotency_key_is_stored_once() {
    let est = est().await;
    let send = || {
        est.bostadsbolaget
            .request(Method::POST, "/api/v1/admin/events")
            .header("Idempotency-Key", "telefon-1-rapport-7")
            .json(&report_body("nedskrapning"))
            .send()
    };
    let first = expect_json(send().await.unwrap(), 201).await;
    let again = expect_json(send().await.unwrap(), 201).await;
    assert_eq!(first["id"], again["id"]);
    let all = est.coordinator.get_json("/api/v1/admin/events").await;
    assert_eq!(ids(&all).len(), 1, "{all}");
    est.app.finish().await;
}

#[tokio::test]
async fn the_coordinator_merges_two_reports_of_one_event_and_a_merged_report_stays_merged() {
    let est = est().await;
    let fire = report_body("brand");
    let kept = expect_json(
        est.bostadsbolaget
            .post_json("/api/v1/admin/events", &fire)
            .await,
        201,
    )
    .await;
    let same = expect_json(
        est.vaktbolaget
            .post_json("/api/v1/admin/events", &fire)
            .await,
        201,
    )
    .await;
    let (kept, same) = (kept["id"].as_str().unwrap(), same["id"].as_str().unwrap());
    let coordinator = &est.coordinator;
    let merge = |id: &str, into: &str| {
        let body = json!({"into": into});
        let path = format!("/api/v1/admin/events/{id}/merge");
        async move { coordinator.post_json(&path, &body).await }
    };

    let refused = est
        .vaktbolaget
        .post_json(
            &format!("/api/v1/admin/events/{same}/merge"),
            &json!({"into": kept}),
        )
        .await;
    expect_error(refused, 403, "forbidden").await;
    let itself = expect_error(merge(kept, kept).await, 422, "invalid").await;
    assert_eq!(itself["field"], "into");

    let merged = expect_json(merge(same, kept).await, 200).await;
    assert_eq!(
        (merged["status"].as_str(), merged["merged_into"].as_str()),
        (Some("merged"), Some(kept))
    );
    let twice = expect_error(merge(same, kept).await, 422, "invalid_status").await;
    assert_eq!(twice["field"], "status");
    let into_merged = expect_error(merge(kept, same).await, 422, "invalid_status").await;
    assert_eq!(into_merged["field"], "into");

    let reviewed = est
        .coordinator
        .post(&format!("/api/v1/admin/events/{kept}/review"))
        .await;
    assert_eq!(expect_json(reviewed, 200).await["status"], "reviewed");
    let audit = est
        .app
        .staff(Role::Admin)
        .await
        .get_json("/api/v1/admin/audit")
        .await
        .to_string();
    for action in ["event_reported", "event_merged", "event_reviewed"] {
        assert!(audit.contains(action), "{action} is not in the audit log");
    }
    est.app.finish().await;
}

#[tokio::test]
async fn a_report_without_a_place_or_an_organisation_is_refused_and_nothing_is_stored() {
    let est = est().await;
    let nowhere = json!({"category": "klotter", "occurred_at": "2026-12-01T21:40:00+01:00"});
    let refused = est
        .bostadsbolaget
        .post_json("/api/v1/admin/events", &nowhere)
        .await;
    let error = expect_error(refused, 422, "required").await;
    assert_eq!(error["field"], "place");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("where it happened"),
        "{error}"
    );

    let loner = est.app.staff(Role::Reporter).await;
    let refused = loner
        .post_json("/api/v1/admin/events", &report_body("klotter"))
        .await;
    assert_eq!(
        expect_error(refused, 422, "required").await["field"],
        "organisation_id"
    );

    let all = est.coordinator.get_json("/api/v1/admin/events").await;
    assert!(ids(&all).is_empty(), "{all}");
    est.app.finish().await;
}

#[tokio::test]
async fn an_administrator_adds_organisations_and_links_a_reporter_to_one() {
    let app = spawn_app().await;
    seed_surveys(&app.store).await;
    let m = app.first_municipality().await;
    let admin = app.staff(Role::Admin).await;
    let added = admin
        .post_json(
            "/api/v1/admin/organisations",
            &json!({"name": "Fältassistenterna"}),
        )
        .await;
    let organisation = expect_json(added, 201).await;
    let again = admin
        .post_json(
            "/api/v1/admin/organisations",
            &json!({"name": "Fältassistenterna"}),
        )
        .await;
    assert_eq!(expect_error(again, 422, "duplicate").await["field"], "name");

    let user = app.add_staff(m, Role::Reporter).await;
    let path = format!("/api/v1/admin/users/{}/organisation", user.id);
    let unknown = admin
        .put_json(&path, &json!({"organisation_id": uuid::Uuid::nil()}))
        .await;
    assert_eq!(
        expect_error(unknown, 422, "invalid").await["field"],
        "organisation_id"
    );
    let linked = admin
        .put_json(&path, &json!({"organisation_id": organisation["id"]}))
        .await;
    assert_eq!(linked.status(), 204);
    let reporter = app
        .sign_in(user.email.as_str(), STAFF_PASSWORD)
        .await
        .unwrap();
    let sent = reporter
        .post_json("/api/v1/admin/events", &report_body("klotter"))
        .await;
    assert_eq!(
        expect_json(sent, 201).await["organisation_id"],
        organisation["id"]
    );
    app.finish().await;
}

#[tokio::test]
async fn the_coordinator_turns_a_report_into_an_activity_of_a_promise_once() {
    let est = est().await;
    let m = est.app.first_municipality().await;
    let promise = crate::promises::seed(&est.app.store, m, "est")
        .await
        .promise;
    let sent = est
        .bostadsbolaget
        .post_json("/api/v1/admin/events", &report_body("klotter"))
        .await;
    let report = expect_json(sent, 201).await;
    let path = format!(
        "/api/v1/admin/events/{}/activity",
        report["id"].as_str().unwrap()
    );
    let year = time::OffsetDateTime::now_utc().year() + 1;
    let body = |target: i64| {
        json!({"promise_id": promise.id.to_string(), "activity": {
            "title": {"sv": "Sanera klotter i gångtunneln inom ett dygn"}, "owner": "Bostadsbolaget",
            "target": target, "unit": "saneringar", "due_on": format!("{year}-06-30")}})
    };

    let refused = est.bostadsbolaget.post_json(&path, &body(4)).await;
    expect_error(refused, 403, "forbidden").await;
    let broken = est.coordinator.post_json(&path, &body(-1)).await;
    let error = expect_error(broken, 422, "invalid_body").await;
    assert!(
        error["field"].as_str().unwrap().starts_with("activity"),
        "{error}"
    );

    let acted = expect_json(est.coordinator.post_json(&path, &body(4)).await, 201).await;
    assert_eq!(acted["event"]["status"], "reviewed");
    assert_eq!(acted["event"]["activity_id"], acted["activity"]["id"]);
    assert_eq!(acted["activity"]["owner"], "Bostadsbolaget");
    let again = est.coordinator.post_json(&path, &body(4)).await;
    assert_eq!(
        expect_error(again, 422, "duplicate").await["field"],
        "activity"
    );

    let promise_page = est
        .coordinator
        .get_json(&format!("/api/v1/admin/promises/{}", promise.id))
        .await;
    let titles = promise_page.to_string();
    assert_eq!(
        titles.matches("Sanera klotter i gångtunneln").count(),
        1,
        "{titles}"
    );
    est.app.finish().await;
}

#[tokio::test]
async fn the_weekly_picture_calls_a_week_with_many_more_reports_than_before_more() {
    let est = est().await;
    let at = |when: &str, category: &str| {
        let mut body = report_body(category);
        body["occurred_at"] = when.into();
        body
    };
    for day in 1..=6 {
        let body = at(
            &format!("2026-11-{:02}T22:00:00+01:00", 22 + day),
            "klotter",
        );
        let sent = est
            .bostadsbolaget
            .post_json("/api/v1/admin/events", &body)
            .await;
        expect_json(sent, 201).await;
    }
    let before = at("2026-11-18T22:00:00+01:00", "klotter");
    let kept = expect_json(
        est.vaktbolaget
            .post_json("/api/v1/admin/events", &before)
            .await,
        201,
    )
    .await;
    // The same event from the other organisation, merged: it does not count.
    let twin = expect_json(
        est.bostadsbolaget
            .post_json("/api/v1/admin/events", &before)
            .await,
        201,
    )
    .await;
    let merge = format!(
        "/api/v1/admin/events/{}/merge",
        twin["id"].as_str().unwrap()
    );
    expect_json(
        est.coordinator
            .post_json(&merge, &json!({"into": kept["id"]}))
            .await,
        200,
    )
    .await;

    let picture = est
        .coordinator
        .get_json("/api/v1/admin/event-weeks/2026-W48")
        .await;
    assert_eq!(picture["week"], "2026-W48");
    assert_eq!(picture["previous_weeks"], "2026-W44 – 2026-W47");
    assert_eq!(picture["total"]["this_week"], 6, "{picture}");
    assert_eq!(picture["total"]["previous"]["count"], 1, "{picture}");
    assert_eq!(picture["total"]["previous"]["change"], "more", "{picture}");
    assert_eq!(picture["categories"][0]["category"], "klotter");

    let refused = est
        .bostadsbolaget
        .get("/api/v1/admin/event-weeks/2026-W48")
        .await;
    expect_error(refused, 403, "forbidden").await;
    let broken = est
        .coordinator
        .get("/api/v1/admin/event-weeks/vecka-48")
        .await;
    assert_eq!(
        expect_error(broken, 422, "invalid_date").await["field"],
        "week"
    );
    est.app.finish().await;
}
