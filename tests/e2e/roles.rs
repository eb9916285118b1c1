//! The role table over every staff route, and tenant isolation over every
//! staff read route.
//!
//! To add a route: seed what it needs in [`Fixture::seed`] (and any text only
//! that municipality has in [`Fixture::markers`]), then add a [`Case`] to
//! [`routes`]. Make the body differ per role (see `POST /users`) when several
//! roles may call it, because every role that may calls it in turn, and mark
//! GET routes that read a municipality's rows with `reads: true` so the
//! tenant-isolation test covers them.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};
use trygg_domain::AuditAction;
use trygg_domain::{Municipality, MunicipalityId, Permission, Role, StaffUser, Survey, SurveyId};
use trygg_e2e::{StaffClient, TestApp, spawn_app, survey_definition};
use trygg_store::SurveySettings;

/// What one municipality holds for the tests to point at.
pub struct Fixture {
    /// The municipality.
    pub municipality: MunicipalityId,
    /// An account (a viewer) the user routes act on.
    pub user: StaffUser,
    /// A promise, one of its activities, a walk and one of its findings.
    pub follow_up: crate::promises::Seeded,
    /// The municipality's slug, which its surveys' slugs start with.
    pub slug: String,
    /// A published survey with one response.
    pub survey: SurveyId,
    /// Per role, a draft to edit and publish and a draft to delete.
    pub drafts: BTreeMap<String, (SurveyId, SurveyId)>,
    /// The response's free-text comment, pending moderation.
    pub comment: String,
    /// An area.
    pub areas: crate::areas::Seeded,
}

/// A survey definition of the test kind under `slug`.
fn definition(slug: &str) -> Value {
    let mut definition = survey_definition();
    definition["slug"] = slug.into();
    definition
}

impl Fixture {
    /// A municipality `slug` with something behind every staff route.
    pub async fn seed(app: &TestApp, slug: &str) -> Self {
        let m = Municipality::parse(slug, &format!("Kommun {slug}"), false).unwrap();
        app.store.insert_municipality(&m).await.unwrap();
        let user = app.add_staff(m.id, Role::Viewer).await;
        app.store
            .audit(m.id, Some(user.id), AuditAction::Login, user.email.as_str())
            .await
            .unwrap();
        let follow_up = crate::promises::seed(&app.store, m.id, slug).await;
        let areas = crate::areas::seed(&app.store, m.id, slug).await;
        let parse = |slug: &str| {
            Survey::parse(serde_json::from_value(definition(slug)).unwrap(), m.id).unwrap()
        };
        let survey = parse(&format!("trygghet-{slug}"));
        app.store.insert_survey(&survey).await.unwrap();
        let answered = app
            .submit(
                survey.slug.as_str(),
                &uuid::Uuid::now_v7().to_string(),
                &json!({"answers": {"gender": "kvinna", "comment": format!("Kommentar från {slug}")}}),
            )
            .await;
        assert_eq!(answered.status(), 201);
        let comment = app
            .store
            .comments(m.id, trygg_store::CommentFilter::default())
            .await
            .unwrap();
        let mut drafts = BTreeMap::new();
        for role in Role::ALL {
            let edit = parse(&format!("utkast-{slug}-{role}"));
            let delete = parse(&format!("radera-{slug}-{role}"));
            for draft in [&edit, &delete] {
                app.store
                    .insert_draft(draft, SurveySettings::default())
                    .await
                    .unwrap();
            }
            drafts.insert(role.to_string(), (edit.id, delete.id));
        }
        Self {
            municipality: m.id,
            user,
            follow_up,
            slug: slug.to_owned(),
            survey: survey.id,
            drafts,
            comment: comment[0].id.to_string(),
            areas,
        }
    }

    /// Text that only this municipality's answers may contain.
    pub fn markers(&self) -> Vec<String> {
        let mut markers = vec![
            self.user.email.to_string(),
            self.user.id.to_string(),
            format!("trygghet-{}", self.slug),
            format!("utkast-{}", self.slug),
            format!("Kommentar från {}", self.slug),
        ];
        markers.extend(self.follow_up.markers());
        markers.extend(self.areas.markers());
        markers
    }
}

/// One staff route as a role calls it.
pub struct Case {
    /// The method.
    pub method: Method,
    /// The path, with the fixture's ids filled in.
    pub path: String,
    /// The JSON body, if any.
    pub body: Option<Value>,
    /// What the role needs; `None` for routes every signed-in account may use.
    pub needs: Option<Permission>,
    /// The status a role that may call it gets.
    pub ok: u16,
    /// A GET that reads the municipality's rows (checked for tenant isolation).
    pub reads: bool,
}

pub fn get(path: String, needs: Option<Permission>) -> Case {
    Case {
        method: Method::GET,
        path,
        body: None,
        needs,
        ok: 200,
        reads: true,
    }
}

/// GETs of `paths`, each needing `needs`.
pub fn gets<const N: usize>(needs: Permission, paths: [String; N]) -> impl Iterator<Item = Case> {
    paths.into_iter().map(move |path| get(path, Some(needs)))
}

pub fn send(method: Method, path: String, body: Value, needs: Permission, ok: u16) -> Case {
    Case {
        method,
        path,
        body: Some(body),
        needs: Some(needs),
        ok,
        reads: false,
    }
}

/// Every staff route, as `role` calls it on `f`'s rows.
pub fn routes(f: &Fixture, role: Role) -> Vec<Case> {
    let user = &f.user.id;
    let survey = &f.survey;
    let (edit, delete) = f.drafts[&role.to_string()];
    vec![
        get("/api/v1/admin/session".to_owned(), None),
        Case {
            reads: false,
            ..get("/api/v1/admin/session/totp".to_owned(), None)
        },
        Case {
            reads: false,
            ..get("/api/v1/admin/session/sessions".to_owned(), None)
        },
        // A session id the account does not have: 404 for every role.
        Case {
            method: Method::DELETE,
            path: format!("/api/v1/admin/session/sessions/{}", uuid::Uuid::nil()),
            body: Some(json!({"current_password": trygg_e2e::STAFF_PASSWORD})),
            needs: None,
            ok: 404,
            reads: false,
        },
        get(
            "/api/v1/admin/users".to_owned(),
            Some(Permission::ManageUsers),
        ),
        get(
            format!("/api/v1/admin/users/{user}"),
            Some(Permission::ManageUsers),
        ),
        send(
            Method::POST,
            "/api/v1/admin/users".to_owned(),
            json!({"email": format!("ny-{role}@test.example.se"), "role": "viewer"}),
            Permission::ManageUsers,
            201,
        ),
        send(
            Method::PATCH,
            format!("/api/v1/admin/users/{user}"),
            json!({"role": "moderator"}),
            Permission::ManageUsers,
            200,
        ),
        get(
            "/api/v1/admin/audit".to_owned(),
            Some(Permission::ReadAudit),
        ),
        get(
            "/api/v1/admin/question-bank".to_owned(),
            Some(Permission::ReadResults),
        ),
        get(
            "/api/v1/admin/surveys".to_owned(),
            Some(Permission::ReadResults),
        ),
        get(
            format!("/api/v1/admin/surveys/{survey}"),
            Some(Permission::ReadResults),
        ),
        get(
            format!("/api/v1/admin/surveys/{survey}/preview"),
            Some(Permission::ReadResults),
        ),
        send(
            Method::POST,
            "/api/v1/admin/surveys".to_owned(),
            json!({"definition": definition(&format!("ny-{}-{role}", f.slug))}),
            Permission::EditSurveys,
            201,
        ),
        send(
            Method::PUT,
            format!("/api/v1/admin/surveys/{edit}"),
            json!({"definition": definition(&format!("utkast-{}-{role}", f.slug)), "retention_days": 365}),
            Permission::EditSurveys,
            200,
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/surveys/{edit}/publish"),
            json!({"opens_on": "2026-01-01"}),
            Permission::EditSurveys,
            200,
        ),
        Case {
            method: Method::DELETE,
            path: format!("/api/v1/admin/surveys/{delete}"),
            body: None,
            needs: Some(Permission::EditSurveys),
            ok: 204,
            reads: false,
        },
        send(
            Method::POST,
            format!("/api/v1/admin/surveys/{survey}/rounds"),
            json!({"slug": format!("runda-{}-{role}", f.slug), "round": "2027"}),
            Permission::EditSurveys,
            201,
        ),
        get(
            "/api/v1/admin/moderation".to_owned(),
            Some(Permission::Moderate),
        ),
        get(
            format!("/api/v1/admin/moderation/{}", f.comment),
            Some(Permission::Moderate),
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/moderation/{}", f.comment),
            json!({"decision": "approve"}),
            Permission::Moderate,
            200,
        ),
        get(
            "/api/v1/admin/moderation/staff-texts".to_owned(),
            Some(Permission::Moderate),
        ),
        send(
            Method::POST,
            format!("/api/v1/admin/moderation/staff-texts/{}", f.follow_up.finding.id),
            json!({"decision": "approve"}),
            Permission::Moderate,
            200,
        ),
        get(
            format!("/api/v1/admin/surveys/{survey}/lagesbild"),
            Some(Permission::ReadResults),
        ),
        get(
            format!("/api/v1/admin/surveys/{survey}/lagesbild/pins"),
            Some(Permission::ReadResults),
        ),
        // The fixture's response has no pin, so there is no heat surface to draw.
        Case {
            ok: 404,
            ..get(
                format!("/api/v1/admin/surveys/{survey}/lagesbild/heat.png"),
                Some(Permission::ReadResults),
            )
        },
        get(
            format!("/api/v1/admin/surveys/{survey}/lagesbild/export?format=csv"),
            Some(Permission::ExportResults),
        ),
        get(
            format!("/api/v1/admin/surveys/{survey}/lagesbild/pins.geojson"),
            Some(Permission::ExportPins),
        ),
        // The fixture's round is open, so a role that may publish is refused
        // with 422 (`round_open`), and republishing an unpublished round with 409.
        Case {
            method: Method::PUT,
            path: format!("/api/v1/admin/surveys/{survey}/publication"),
            body: None,
            needs: Some(Permission::PublishResults),
            ok: 422,
            reads: false,
        },
        Case {
            method: Method::POST,
            path: format!("/api/v1/admin/surveys/{survey}/publication/republish"),
            body: None,
            needs: Some(Permission::PublishResults),
            ok: 409,
            reads: false,
        },
        Case {
            method: Method::DELETE,
            path: format!("/api/v1/admin/surveys/{survey}/publication"),
            body: None,
            needs: Some(Permission::PublishResults),
            ok: 200,
            reads: false,
        },
    ]
    .into_iter()
    .chain(crate::promises::routes(&f.follow_up))
    .chain(crate::areas::routes(&f.areas, role))
    .chain(crate::invitations::routes(&f.survey))
    .chain(crate::est::routes(&f.user.id, role))
    .collect()
}

async fn call(staff: &StaffClient, case: &Case) -> (u16, Value) {
    let response = staff
        .call(case.method.clone(), &case.path, case.body.as_ref())
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Sends every case in `cases` without the CSRF token (without a session, or
/// with only the session cookie `cookie`) and asserts that each is refused with
/// `status` and the error `error`.
async fn assert_refused_without_token(
    app: &TestApp,
    cases: impl IntoIterator<Item = Case>,
    cookie: Option<&str>,
    status: u16,
    error: &str,
) {
    for case in cases {
        let mut request = app
            .client
            .request(case.method.clone(), format!("{}{}", app.address, case.path));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        if let Some(body) = &case.body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let what = format!("{} {}", case.method, case.path);
        assert_eq!(response.status(), status, "{what}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], error, "{what}");
    }
}

#[tokio::test]
async fn each_role_can_do_exactly_what_the_role_table_says_and_gets_403_otherwise() {
    let app = spawn_app().await;
    let home = Fixture::seed(&app, "hemkommun").await;
    for role in Role::ALL {
        let staff = app.staff_in(home.municipality, role).await;
        for case in routes(&home, role) {
            let (status, body) = call(&staff, &case).await;
            let what = format!("{role} {} {}: {status} {body}", case.method, case.path);
            if case.needs.is_none_or(|p| role.allows(p)) {
                assert_eq!(status, case.ok, "{what}");
            } else {
                assert_eq!(status, 403, "{what}");
                assert_eq!(body["error"], "forbidden", "{what}");
                assert!(body["field"].is_null(), "{what}");
                assert!(
                    body["message"].as_str().is_some_and(|m| !m.is_empty()),
                    "{what}"
                );
            }
        }
    }
    app.finish().await;
}

#[tokio::test]
async fn every_staff_route_refuses_a_request_without_a_session() {
    let app = spawn_app().await;
    let home = Fixture::seed(&app, "hemkommun").await;
    let every = routes(&home, Role::Admin);
    assert_refused_without_token(&app, every, None, 401, "unauthenticated").await;
    app.finish().await;
}

#[tokio::test]
async fn every_state_changing_staff_route_refuses_a_request_without_the_csrf_token() {
    let app = spawn_app().await;
    let home = Fixture::seed(&app, "hemkommun").await;
    let admin = app.staff_in(home.municipality, Role::Admin).await;
    let writes = routes(&home, Role::Admin)
        .into_iter()
        .filter(|case| case.method != Method::GET);
    assert_refused_without_token(&app, writes, Some(&admin.cookie), 403, "csrf").await;
    app.finish().await;
}

#[tokio::test]
async fn staff_of_one_municipality_never_see_another_municipalitys_rows() {
    let app = spawn_app().await;
    let home = Fixture::seed(&app, "hemkommun").await;
    let other = Fixture::seed(&app, "grannkommun").await;
    let admin = app.staff_in(home.municipality, Role::Admin).await;
    let foreign = other.markers();
    // Every read route, pointed at the other municipality's rows: 404, or an
    // answer that names none of them.
    for case in routes(&other, Role::Admin) {
        if !case.reads {
            continue;
        }
        let (status, body) = call(&admin, &case).await;
        let what = format!("GET {}: {status} {body}", case.path);
        assert!(status == 200 || status == 404, "{what}");
        if status == 404 {
            continue;
        }
        let text = body.to_string();
        for marker in &foreign {
            assert!(!text.contains(marker.as_str()), "{what} shows {marker}");
        }
    }
    // The user routes that change rows cannot reach the other municipality either.
    let response = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", other.user.id),
            &json!({"disabled": true}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let still = app
        .store
        .staff_user(other.municipality, other.user.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!still.disabled);
    // And its own rows are there to see, so the test could have failed.
    let own = admin
        .get(&format!("/api/v1/admin/users/{}", home.user.id))
        .await;
    assert_eq!(own.status(), 200);
    app.finish().await;
}

/// Whether an OpenAPI path template such as `/api/v1/admin/users/{id}` matches `path`.
fn matches_template(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}')))
}

#[tokio::test]
async fn the_openapi_document_describes_every_staff_route() {
    let app = spawn_app().await;
    let home = Fixture::seed(&app, "hemkommun").await;
    let doc = app.get_json("/api/openapi.json").await;
    let paths = doc["paths"].as_object().unwrap();
    for case in routes(&home, Role::Admin) {
        let method = case.method.as_str().to_lowercase();
        let documented = paths
            .iter()
            .filter(|(template, _)| matches_template(template, &case.path))
            .any(|(_, item)| item[&method]["responses"][case.ok.to_string()].is_object());
        assert!(
            documented,
            "{} {} ({}) is not in the OpenAPI document",
            case.method, case.path, case.ok
        );
    }
    assert!(doc["components"]["schemas"]["SessionDto"].is_object());
    app.finish().await;
}

#[tokio::test]
async fn a_draft_slug_of_another_municipality_is_free_here_and_its_drafts_stay_unseen() {
    let app = spawn_app().await;
    let home = Fixture::seed(&app, "hemkommun").await;
    let other = Fixture::seed(&app, "grannkommun").await;
    let admin = app.staff_in(home.municipality, Role::Admin).await;
    // The neighbour's draft slugs: taking one here neither fails nor names it.
    for role in Role::ALL {
        let slug = format!("utkast-{}-{role}", other.slug);
        let created = admin
            .post_json(
                "/api/v1/admin/surveys",
                &json!({"definition": definition(&slug)}),
            )
            .await;
        let status = created.status().as_u16();
        let body: Value = created.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 201, "{slug}: {body}");
    }
    // A slug taken by a draft of this municipality is refused, naming only its own.
    let own = format!("utkast-{}-admin", home.slug);
    let taken = admin
        .post_json(
            "/api/v1/admin/surveys",
            &json!({"definition": definition(&own)}),
        )
        .await;
    assert_eq!(taken.status(), 409);
    // The neighbour's drafts are still its own and unchanged.
    let (edit, _) = other.drafts["admin"];
    let theirs = app
        .store
        .authored_survey(other.municipality, edit)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(theirs.survey.slug.as_str(), "utkast-grannkommun-admin");
    app.finish().await;
}
