//! Staff sign-in, sessions and accounts over HTTP: cookies, sign-out,
//! timeouts, CSRF, guessing limits, one-time passwords, TOTP and the audit log.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use trygg_domain::Role;
use trygg_e2e::{
    STAFF_PASSWORD, TestApp, expect_error, expect_json, header, next_totp_code, spawn_app,
    spawn_app_with, spawn_seeded_app, spawn_seeded_app_as, spawn_seeded_app_with,
};

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_with_a_new_session_id_every_time() {
    let app = spawn_seeded_app().await;
    let (body, first) = app.sign_in_new(Role::Analyst).await;
    assert_eq!(first.status(), 200);
    let cookie = header(&first, "set-cookie").to_owned();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert_eq!(first.headers()["cache-control"], "no-store");
    let session: Value = first.json().await.unwrap();
    assert_eq!(session["user"]["role"], "analyst");
    assert_eq!(session["municipality"]["slug"], "testkommun");
    assert!(
        session["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("export_pins"))
    );
    assert_eq!(session["csrf_token"].as_str().unwrap().len(), 64);

    // Signing in again, even from the same browser, gives another id and ends the first.
    let again = app
        .post_session(&body, Some(cookie.split(';').next().unwrap()))
        .await;
    let second = header(&again, "set-cookie").to_owned();
    assert_ne!(cookie.split(';').next(), second.split(';').next());
    let old = app
        .get_with_cookie("/api/v1/admin/session", cookie.split(';').next().unwrap())
        .await;
    assert_eq!(old.status(), 401);
    app.finish().await;
}

#[tokio::test]
async fn the_cookie_is_secure_when_configured() {
    let app = spawn_seeded_app_with(|s| s.auth.secure_cookie = true).await;
    let (_, response) = app.sign_in_new(Role::Viewer).await;
    let cookie = header(&response, "set-cookie");
    assert!(cookie.contains("Secure"), "{cookie}");
    app.finish().await;
}

#[tokio::test]
async fn the_database_keeps_only_a_hash_of_the_session_id() {
    let (app, staff) = spawn_seeded_app_as(Role::Viewer).await;
    let id = staff.cookie.trim_start_matches("trygg_session=");
    let rows = app
        .store
        .connection()
        .query_all_raw(Statement::from_string(
            app.store.connection().get_database_backend(),
            "SELECT token_hash FROM staff_session",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let stored: String = rows[0].try_get("", "token_hash").unwrap();
    assert_ne!(stored, id);
    assert_eq!(stored, trygg_server::auth::token_hash(id));
    app.finish().await;
}

#[tokio::test]
async fn a_session_is_invalid_after_signing_out() {
    let (app, staff) = spawn_seeded_app_as(Role::Admin).await;
    assert_eq!(staff.get("/api/v1/admin/users").await.status(), 200);
    let out = staff.delete("/api/v1/admin/session").await;
    assert_eq!(out.status(), 204);
    let removal = header(&out, "set-cookie");
    assert!(removal.starts_with("trygg_session=;"), "{removal}");
    // The old cookie, replayed, is worth nothing: the server forgot the session.
    for path in ["/api/v1/admin/users", "/api/v1/admin/session"] {
        let response = staff.get(path).await;
        assert_eq!(response.status(), 401, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "unauthenticated");
    }
    app.finish().await;
}

async fn age_sessions(app: &TestApp, column: &str) {
    let past = time::OffsetDateTime::now_utc() - Duration::from_secs(13 * 3600);
    app.store
        .connection()
        .execute_raw(Statement::from_sql_and_values(
            app.store.connection().get_database_backend(),
            match app.store.backend() {
                trygg_store::Backend::Postgres => format!("UPDATE staff_session SET {column} = $1"),
                trygg_store::Backend::Sqlite => format!("UPDATE staff_session SET {column} = ?"),
            },
            [past.into()],
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_session_idle_past_the_idle_timeout_is_refused() {
    let (app, staff) = spawn_seeded_app_as(Role::Viewer).await;
    age_sessions(&app, "last_seen_at").await;
    let response = staff.get("/api/v1/admin/session").await;
    assert_eq!(response.status(), 401);
    app.finish().await;
}

#[tokio::test]
async fn a_session_past_its_absolute_timeout_is_refused_however_active() {
    let (app, staff) = spawn_seeded_app_as(Role::Viewer).await;
    assert_eq!(staff.get("/api/v1/admin/session").await.status(), 200);
    age_sessions(&app, "expires_at").await;
    let response = staff.get("/api/v1/admin/session").await;
    expect_error(response, 401, "unauthenticated").await;
    app.finish().await;
}

#[tokio::test]
async fn a_post_without_the_csrf_token_or_from_another_origin_is_rejected() {
    let (app, admin) = spawn_seeded_app_as(Role::Admin).await;
    let url = format!("{}/api/v1/admin/users", app.address);
    let body = json!({"email": "ny@test.example.se", "role": "viewer"});
    let cases = [
        ("no token", None, None),
        ("a wrong token", Some("0".repeat(64)), None),
        (
            "another site's origin",
            Some(admin.csrf_token.clone()),
            Some("https://angripare.example"),
        ),
    ];
    for (what, token, origin) in cases {
        let mut request = app
            .client
            .post(&url)
            .header("Cookie", &admin.cookie)
            .json(&body);
        if let Some(token) = token {
            request = request.header("X-CSRF-Token", token);
        }
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{what}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"], "csrf", "{what}");
    }
    // Nothing was written; the same request with the token and our own origin works.
    assert_eq!(
        app.store
            .staff_users(app.first_municipality().await)
            .await
            .unwrap()
            .len(),
        1
    );
    let ok = admin
        .request(reqwest::Method::POST, "/api/v1/admin/users")
        .header("Origin", &app.address)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 201);
    // Signing in from another site's page is refused as well.
    let login = app
        .client
        .post(format!("{}/api/v1/admin/session", app.address))
        .header("Origin", "https://angripare.example")
        .json(&json!({"email": admin.email, "password": STAFF_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 403);
    app.finish().await;
}

#[tokio::test]
async fn a_wrong_password_an_unknown_address_and_a_disabled_account_get_the_same_answer() {
    let app = spawn_seeded_app().await;
    let m = app.first_municipality().await;
    let known = app.add_staff(m, Role::Analyst).await;
    let disabled = app.add_staff(m, Role::Analyst).await;
    app.store
        .set_staff_disabled(m, disabled.id, true)
        .await
        .unwrap();
    let mut answers = Vec::new();
    for (email, password) in [
        (known.email.as_str(), "fel lösenord helt klart"),
        ("finns.inte@test.example.se", "fel lösenord helt klart"),
        (disabled.email.as_str(), STAFF_PASSWORD),
    ] {
        let response = app
            .post_session(&json!({"email": email, "password": password}), None)
            .await;
        assert_eq!(response.status(), 401, "{email}");
        answers.push(response.json::<Value>().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[1], answers[2]);
    assert_eq!(answers[0]["error"], "invalid_credentials");
    app.finish().await;
}

#[tokio::test]
async fn guessing_a_password_is_slowed_and_then_refused_with_the_same_message_for_unknown_accounts()
{
    let delay = Duration::from_millis(400);
    let app = spawn_seeded_app_with(|s| {
        s.auth.slow_after = 3;
        s.auth.account_burst = 6;
        s.auth.account_period_secs = 600;
        s.auth.slow_delay_ms = 400;
    })
    .await;
    let known = app
        .add_staff(app.first_municipality().await, Role::Admin)
        .await;
    let mut lockouts = Vec::new();
    for email in [known.email.as_str(), "finns.inte@test.example.se"] {
        let guess = json!({"email": email, "password": "gissning nummer ett"});
        for attempt in 1..=6 {
            let started = Instant::now();
            let response = app.post_session(&guess, None).await;
            assert_eq!(response.status(), 401, "{email} attempt {attempt}");
            if attempt > 3 {
                // A deliberate wait, so a lower bound is safe to check.
                assert!(
                    started.elapsed() >= delay,
                    "{email} attempt {attempt} was not slowed"
                );
            }
        }
        let refused = app.post_session(&guess, None).await;
        assert_eq!(refused.status(), 429, "{email}");
        assert!(refused.headers().contains_key("retry-after"));
        lockouts.push(refused.json::<Value>().await.unwrap());
    }
    assert_eq!(lockouts[0], lockouts[1]);
    assert_eq!(lockouts[0]["error"], "too_many_attempts");
    // Even the right password waits out the lock-out.
    let right = app
        .post_session(
            &json!({"email": known.email.as_str(), "password": STAFF_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(right.status(), 429);
    app.finish().await;
}

#[tokio::test]
async fn one_client_address_is_refused_after_its_burst_of_sign_in_attempts() {
    let app = spawn_app_with(|s| {
        s.auth.address_burst = 4;
        s.auth.address_period_secs = 600;
    })
    .await;
    for n in 0..4 {
        let response = app.post_session(
            &json!({"email": format!("gissning{n}@test.example.se"), "password": "vad som helst här"}),
            None,
        )
        .await;
        assert_eq!(response.status(), 401);
    }
    let refused = app
        .post_session(
            &json!({"email": "gissning9@test.example.se", "password": "vad som helst här"}),
            None,
        )
        .await;
    assert_eq!(refused.status(), 429);
    app.finish().await;
}

#[tokio::test]
async fn a_new_account_must_replace_its_one_time_password_before_anything_else() {
    let (app, admin) = spawn_seeded_app_as(Role::Admin).await;
    let added = admin
        .post_json(
            "/api/v1/admin/users",
            &json!({"email": " Ny.Analytiker@Test.Example.se ", "role": "analyst"}),
        )
        .await;
    let added = expect_json(added, 201).await;
    assert_eq!(added["user"]["email"], "ny.analytiker@test.example.se");
    assert_eq!(added["user"]["must_change_password"], true);
    let one_time = added["one_time_password"].as_str().unwrap().to_owned();

    let newcomer = app
        .sign_in("ny.analytiker@test.example.se", &one_time)
        .await
        .unwrap();
    let session = newcomer.get_json("/api/v1/admin/session").await;
    assert_eq!(session["user"]["must_change_password"], true);
    let blocked = newcomer.get("/api/v1/admin/session/totp").await;
    expect_error(blocked, 403, "password_change_required").await;

    let weak = newcomer
        .post_json(
            "/api/v1/admin/session/password",
            &json!({"current_password": one_time, "new_password": "kort"}),
        )
        .await;
    let weak = expect_json(weak, 422).await;
    assert_eq!(weak["field"], "new_password");
    let changed = newcomer
        .post_json(
            "/api/v1/admin/session/password",
            &json!({"current_password": one_time, "new_password": "ett eget långt lösenord"}),
        )
        .await;
    assert_eq!(changed.status(), 204);
    assert_eq!(
        newcomer.get("/api/v1/admin/session/totp").await.status(),
        200
    );
    assert!(
        app.sign_in("ny.analytiker@test.example.se", &one_time)
            .await
            .is_err()
    );
    assert!(
        app.sign_in("ny.analytiker@test.example.se", "ett eget långt lösenord")
            .await
            .is_ok()
    );
    app.finish().await;
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_stops_its_sign_in() {
    let (app, admin) = spawn_seeded_app_as(Role::Admin).await;
    let analyst = app.staff(Role::Analyst).await;
    assert_eq!(analyst.get("/api/v1/admin/session").await.status(), 200);
    let response = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", analyst.user_id),
            &json!({"disabled": true}),
        )
        .await;
    let body = expect_json(response, 200).await;
    assert_eq!(body["disabled"], true);
    assert_eq!(analyst.get("/api/v1/admin/session").await.status(), 401);
    assert!(app.sign_in(&analyst.email, STAFF_PASSWORD).await.is_err());
    // An admin cannot lock themselves out.
    let own = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", admin.user_id),
            &json!({"disabled": true}),
        )
        .await;
    assert_eq!(own.status(), 422);
    app.finish().await;
}

#[tokio::test]
async fn bad_account_input_answers_in_the_one_error_shape() {
    let (app, admin) = spawn_seeded_app_as(Role::Admin).await;
    let cases = [
        (
            "not an address",
            json!({"email": "anna", "role": "viewer"}),
            422,
            "invalid_email",
        ),
        (
            "not a role",
            json!({"email": "a@b.se", "role": "root"}),
            422,
            "unknown_role",
        ),
        (
            "an unknown field",
            json!({"email": "a@b.se", "role": "viewer", "x": 1}),
            400,
            "invalid_json",
        ),
        (
            "a taken address",
            json!({"email": admin.email, "role": "viewer"}),
            409,
            "conflict",
        ),
    ];
    for (what, body, status, code) in cases {
        let response = admin.post_json("/api/v1/admin/users", &body).await;
        assert_eq!(response.status(), status, "{what}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"], code, "{what}");
        assert!(error["message"].is_string(), "{what}");
    }
    let not_json = admin
        .request(reqwest::Method::POST, "/api/v1/admin/users")
        .header("Content-Type", "text/plain")
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 415);
    let unknown = admin.get("/api/v1/admin/users/inte-ett-id").await;
    assert_eq!(unknown.status(), 404);
    let wrong_method = admin.put_json("/api/v1/admin/audit", &json!({})).await;
    assert_eq!(wrong_method.status(), 405);
    app.finish().await;
}

#[tokio::test]
async fn an_account_with_totp_signs_in_only_with_the_current_code() {
    let (app, staff) = spawn_seeded_app_as(Role::Analyst).await;
    let setup = staff.totp_setup().await;
    let secret = setup["secret"].as_str().unwrap();
    assert!(
        setup["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    let wrong = staff
        .turn_on_totp(Some(STAFF_PASSWORD), secret, "000000x")
        .await;
    assert_eq!(wrong.status(), 422);
    let code = trygg_server::auth::totp::current_code(secret).unwrap();
    let enabled = staff
        .turn_on_totp(Some(STAFF_PASSWORD), secret, &code)
        .await;
    assert_eq!(enabled.status(), 204);

    let password_only = app
        .post_session(
            &json!({"email": staff.email, "password": STAFF_PASSWORD}),
            None,
        )
        .await;
    let body = expect_error(password_only, 401, "totp_required").await;
    assert_eq!(body["field"], "totp");
    // The enrolment used the current step's code; the next step's is fresh.
    let code = next_totp_code(secret);
    let with_code = app
        .post_session(
            &json!({"email": staff.email, "password": STAFF_PASSWORD, "totp": code}),
            None,
        )
        .await;
    assert_eq!(with_code.status(), 200);
    app.finish().await;
}

#[tokio::test]
async fn admins_read_the_audit_log_of_sign_ins_and_account_changes_and_others_may_not() {
    let (app, admin) = spawn_seeded_app_as(Role::Admin).await;
    let analyst = app.staff(Role::Analyst).await;
    admin
        .post_json(
            "/api/v1/admin/users",
            &json!({"email": "granskare@test.example.se", "role": "moderator"}),
        )
        .await;
    admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", analyst.user_id),
            &json!({"disabled": true}),
        )
        .await;
    let log = admin.get_json("/api/v1/admin/audit").await;
    let events = log["events"].as_array().unwrap();
    let actions: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["target"].as_str().unwrap()))
        .collect();
    assert!(
        actions.contains(&("login", admin.email.as_str())),
        "{actions:?}"
    );
    assert!(actions.contains(&("user_added", "granskare@test.example.se (moderator)")));
    assert!(actions.contains(&("user_disabled", analyst.email.as_str())));
    // Newest first, and every event names who acted.
    assert_eq!(events[0]["action"], "user_disabled");
    assert_eq!(events[0]["actor"], admin.email.as_str());
    assert_eq!(analyst.get("/api/v1/admin/audit").await.status(), 401);
    let viewer = app.staff(Role::Viewer).await;
    assert_eq!(viewer.get("/api/v1/admin/audit").await.status(), 403);
    app.finish().await;
}

#[tokio::test]
async fn the_staff_pages_are_served_under_admin_with_the_strict_policy() {
    let app = spawn_app().await;
    for path in ["/admin", "/admin/users", "/admin/audit"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let csp = header(&response, "content-security-policy").to_owned();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        let html = response.text().await.unwrap();
        assert!(html.contains("/js/admin/shell.js"), "{path}");
    }
    app.finish().await;
}

#[tokio::test]
async fn one_address_in_two_municipalities_signs_in_where_the_password_matches_or_names_the_municipality()
 {
    let app = spawn_seeded_app().await;
    let home = app.first_municipality().await;
    let other = app.add_municipality("grannkommun", "Grannkommun").await;
    let user = app.add_staff(home, Role::Analyst).await;
    let twin = trygg_domain::StaffUser {
        id: trygg_domain::StaffUserId::new(),
        municipality_id: other.id,
        ..user.clone()
    };
    let hash = trygg_server::auth::password::hash(STAFF_PASSWORD).unwrap();
    app.store.insert_staff_user(&twin, &hash).await.unwrap();

    let ambiguous = app
        .post_session(
            &json!({"email": user.email.as_str(), "password": STAFF_PASSWORD}),
            None,
        )
        .await;
    let body = expect_error(ambiguous, 422, "municipality_required").await;
    assert_eq!(body["field"], "municipality");

    let chosen = app.post_session(
        &json!({"email": user.email.as_str(), "password": STAFF_PASSWORD, "municipality": "grannkommun"}),
        None,
    )
    .await;
    let session = expect_json(chosen, 200).await;
    assert_eq!(session["municipality"]["slug"], "grannkommun");

    // With different passwords, the one that matches decides.
    let other_hash = trygg_server::auth::password::hash("ett helt annat lösenord").unwrap();
    app.store
        .set_staff_password(twin.id, &other_hash, None)
        .await
        .unwrap();
    let matched = app
        .sign_in(user.email.as_str(), STAFF_PASSWORD)
        .await
        .unwrap();
    let session = matched.get_json("/api/v1/admin/session").await;
    assert_eq!(session["municipality"]["slug"], "testkommun");
    app.finish().await;
}
