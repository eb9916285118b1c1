//! The staff side's ASVS 5.0 Level 2 hardening over HTTP: TOTP codes used
//! once, re-authentication for TOTP changes, a user's own sessions, the
//! password list, device cookies against lock-outs, audited refusals,
//! `Cache-Control: no-store`, links from `server.public_url` only, `__Host-`
//! cookies and HSTS.

use reqwest::Method;
use serde_json::{Value, json};
use trygg_domain::{MunicipalityId, Role};
use trygg_e2e::{
    STAFF_PASSWORD, StaffClient, TestApp, expect_error, header, next_totp_code, seed_surveys,
    set_cookie, spawn_app, spawn_app_with, spawn_seeded_app, spawn_seeded_app_as,
    spawn_seeded_app_with,
};

/// Turns TOTP on for `staff` and returns the secret.
async fn enrol_totp(staff: &StaffClient) -> String {
    let setup = staff.totp_setup().await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let code = trygg_server::auth::totp::current_code(&secret).unwrap();
    let enabled = staff
        .turn_on_totp(Some(STAFF_PASSWORD), &secret, &code)
        .await;
    assert_eq!(enabled.status(), 204);
    secret
}

async fn actions(app: &TestApp, m: MunicipalityId) -> Vec<(String, String)> {
    app.store
        .audit_events(m, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.target))
        .collect()
}

#[tokio::test]
async fn a_totp_code_is_accepted_once_and_never_again_nor_an_earlier_one() {
    let (app, staff) = spawn_seeded_app_as(Role::Analyst).await;
    let secret = enrol_totp(&staff).await;
    // The enrolment used the current step; the next step's code is within the
    // accepted skew and has not been used.
    let next = next_totp_code(&secret);
    let body = json!({"email": staff.email, "password": STAFF_PASSWORD, "totp": next});
    assert_eq!(app.post_session(&body, None).await.status(), 200);
    let replayed = app.post_session(&body, None).await;
    let error = expect_error(replayed, 401, "invalid_totp").await;
    assert_eq!(error["field"], "totp");
    // The current step's code is still inside the time window, but earlier than one used.
    let earlier = trygg_server::auth::totp::current_code(&secret).unwrap();
    if earlier != next {
        let older = json!({"email": staff.email, "password": STAFF_PASSWORD, "totp": earlier});
        assert_eq!(app.post_session(&older, None).await.status(), 401);
    }
    app.finish().await;
}

#[tokio::test]
async fn turning_totp_on_or_off_needs_the_current_password_and_ends_the_other_sessions() {
    let app = spawn_seeded_app().await;
    let m = app.first_municipality().await;
    let staff = app.staff(Role::Viewer).await;
    let other = app.sign_in(&staff.email, STAFF_PASSWORD).await.unwrap();
    let setup = staff.totp_setup().await;
    let secret = setup["secret"].as_str().unwrap();
    let code = trygg_server::auth::totp::current_code(secret).unwrap();
    let without = staff.turn_on_totp(None, secret, &code).await;
    assert_eq!(without.status(), 400);
    let wrong = staff
        .turn_on_totp(Some("inte mitt lösenord alls"), secret, &code)
        .await;
    let error = expect_error(wrong, 422, "wrong_password").await;
    assert_eq!(error["field"], "current_password");
    assert_eq!(other.get("/api/v1/admin/session").await.status(), 200);
    let session = staff.get_json("/api/v1/admin/session").await;
    assert_eq!(session["user"]["totp_enabled"], false);

    let right = staff
        .turn_on_totp(Some(STAFF_PASSWORD), secret, &code)
        .await;
    assert_eq!(right.status(), 204);
    assert_eq!(other.get("/api/v1/admin/session").await.status(), 401);
    assert_eq!(staff.get("/api/v1/admin/session").await.status(), 200);

    // Removing it: the password again, and the other sessions end again.
    let next = next_totp_code(secret);
    let third = app
        .post_session(
            &json!({"email": staff.email, "password": STAFF_PASSWORD, "totp": next}),
            None,
        )
        .await;
    assert_eq!(third.status(), 200);
    let third_cookie = set_cookie(&third, "trygg_session").unwrap();
    let remove = |password: &str| {
        staff
            .request(Method::DELETE, "/api/v1/admin/session/totp")
            .json(&json!({"current_password": password}))
            .send()
    };
    assert_eq!(remove("fel fel fel fel fel").await.unwrap().status(), 422);
    assert_eq!(remove(STAFF_PASSWORD).await.unwrap().status(), 204);
    let ended = app
        .get_with_cookie("/api/v1/admin/session", &third_cookie)
        .await;
    assert_eq!(ended.status(), 401);
    let session = staff.get_json("/api/v1/admin/session").await;
    assert_eq!(session["user"]["totp_enabled"], false);
    let log = actions(&app, m).await;
    assert_eq!(
        log.iter()
            .filter(|(a, t)| a == "reauthentication_failed" && t.starts_with("totp_"))
            .count(),
        2,
        "{log:?}"
    );
    app.finish().await;
}

/// `DELETE /api/v1/admin/session/sessions/{id}` with `password`.
async fn end(staff: &StaffClient, id: &str, password: &str) -> reqwest::Response {
    staff
        .request(
            Method::DELETE,
            &format!("/api/v1/admin/session/sessions/{id}"),
        )
        .json(&json!({"current_password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_user_sees_their_own_sessions_by_the_hour_and_ends_any_of_them() {
    let (app, staff) = spawn_seeded_app_as(Role::Moderator).await;
    let other = app.sign_in(&staff.email, STAFF_PASSWORD).await.unwrap();
    let stranger = app.staff(Role::Admin).await;

    let list = staff.get("/api/v1/admin/session/sessions").await;
    assert_eq!(list.status(), 200);
    assert_eq!(list.headers()["cache-control"], "no-store");
    let list: Value = list.json().await.unwrap();
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{list}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    for s in sessions {
        let keys: Vec<&String> = s.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["created_hour", "current", "id", "last_seen_hour"],
            "nothing about the device or its address: {s}"
        );
        for field in ["created_hour", "last_seen_hour"] {
            let at = s[field].as_str().unwrap();
            assert!(at.ends_with(":00:00Z"), "{field} {at}");
        }
    }
    let other_id = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let current_id = sessions.iter().find(|s| s["current"] == true).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Another account cannot end it, nor see it.
    let foreign = end(&stranger, &other_id, STAFF_PASSWORD).await;
    assert_eq!(foreign.status(), 404);
    let theirs = stranger.get_json("/api/v1/admin/session/sessions").await;
    assert!(!theirs.to_string().contains(&other_id));
    assert_eq!(other.get("/api/v1/admin/session").await.status(), 200);

    // Ending one needs the password again.
    let unproven = staff
        .delete(&format!("/api/v1/admin/session/sessions/{other_id}"))
        .await;
    assert!(unproven.status().is_client_error(), "{}", unproven.status());
    let wrong = end(&staff, &other_id, "inte lösenordet alls").await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(other.get("/api/v1/admin/session").await.status(), 200);
    let ended = end(&staff, &other_id, STAFF_PASSWORD).await;
    assert_eq!(ended.status(), 204);
    assert_eq!(other.get("/api/v1/admin/session").await.status(), 401);
    assert_eq!(staff.get("/api/v1/admin/session").await.status(), 200);
    let again = end(&staff, &other_id, STAFF_PASSWORD).await;
    assert_eq!(again.status(), 404);

    // Ending the current one signs out.
    let own = end(&staff, &current_id, STAFF_PASSWORD).await;
    assert_eq!(own.status(), 204);
    assert!(header(&own, "set-cookie").starts_with("trygg_session=;"));
    assert_eq!(staff.get("/api/v1/admin/session").await.status(), 401);
    app.finish().await;
}

#[tokio::test]
async fn a_new_password_needs_twelve_characters_and_must_not_be_common_or_breached() {
    let (app, staff) = spawn_seeded_app_as(Role::Viewer).await;
    for (new, code) in [
        ("kort", "password_too_short"),
        ("iloveyou1234", "password_common"),
        ("Qwertyuiopasdfgh", "password_common"),
    ] {
        let response = staff
            .post_json(
                "/api/v1/admin/session/password",
                &json!({"current_password": STAFF_PASSWORD, "new_password": new}),
            )
            .await;
        assert_eq!(response.status(), 422, "{new}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"], code, "{new}");
        assert_eq!(error["field"], "new_password", "{new}");
    }
    let fine = staff
        .post_json(
            "/api/v1/admin/session/password",
            &json!({"current_password": STAFF_PASSWORD, "new_password": "gurka cykel fönster moln"}),
        )
        .await;
    assert_eq!(fine.status(), 204);
    app.finish().await;
}

#[tokio::test]
async fn a_strangers_wrong_guesses_do_not_lock_out_a_browser_that_signed_in_before() {
    let app = spawn_seeded_app_with(|s| {
        s.auth.account_burst = 3;
        s.auth.slow_after = 100;
        s.auth.account_period_secs = 600;
    })
    .await;
    let (right, first) = app.sign_in_new(Role::Analyst).await;
    assert_eq!(first.status(), 200);
    let device = set_cookie(&first, "trygg_device").unwrap();
    let set = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("trygg_device="))
        .unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(set.contains(flag), "{set} lacks {flag}");
    }

    // A stranger, without the cookie, uses up the rest of the account's
    // budget (the owner's first sign-in, cookie-less, took one of the three).
    let guess = json!({"email": right["email"], "password": "en gissning av många"});
    for _ in 0..2 {
        assert_eq!(app.post_session(&guess, None).await.status(), 401);
    }
    assert_eq!(app.post_session(&guess, None).await.status(), 429);
    assert_eq!(app.post_session(&right, None).await.status(), 429);
    // A forged or another account's device cookie counts as none.
    let (id, _) = device.split_once('.').unwrap();
    let forged = format!("{id}.{}", "0".repeat(64));
    assert_eq!(app.post_session(&right, Some(&forged)).await.status(), 429);
    // The owner's browser still signs in.
    assert_eq!(app.post_session(&right, Some(&device)).await.status(), 200);
    // Its own budget is its own: guesses from it are refused after the burst too.
    for _ in 0..3 {
        app.post_session(&guess, Some(&device)).await;
    }
    assert_eq!(app.post_session(&guess, Some(&device)).await.status(), 429);
    app.finish().await;
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_and_audited() {
    let app = spawn_seeded_app_with(|s| {
        s.auth.account_burst = 3;
        s.auth.account_period_secs = 600;
    })
    .await;
    let m = app.first_municipality().await;
    let staff = app.staff(Role::Viewer).await;
    let change = |current: &str| {
        staff
            .request(Method::POST, "/api/v1/admin/session/password")
            .json(&json!({"current_password": current, "new_password": "gurka cykel fönster moln"}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(change("fel lösenord igen").await.unwrap().status(), 422);
    }
    let refused = change(STAFF_PASSWORD).await.unwrap();
    expect_error(refused, 429, "too_many_attempts").await;
    let log = actions(&app, m).await;
    assert_eq!(
        log.iter()
            .filter(|(a, t)| a == "reauthentication_failed" && t == "password_change")
            .count(),
        3,
        "{log:?}"
    );
    assert!(
        log.contains(&(
            "request_refused".to_owned(),
            "429 too_many_attempts: POST /api/v1/admin/session/password".to_owned()
        )),
        "{log:?}"
    );
    app.finish().await;
}

#[tokio::test]
async fn refusals_for_a_missing_permission_a_csrf_failure_and_too_many_attempts_are_audited() {
    let app = spawn_seeded_app_with(|s| {
        s.auth.account_burst = 2;
        s.auth.slow_after = 100;
        s.auth.account_period_secs = 600;
    })
    .await;
    let m = app.first_municipality().await;
    let viewer = app.staff(Role::Viewer).await;
    assert_eq!(viewer.get("/api/v1/admin/users").await.status(), 403);
    let no_token = app
        .client
        .post(format!("{}/api/v1/admin/session/password", app.address))
        .header("Cookie", &viewer.cookie)
        .json(&json!({"current_password": "x", "new_password": "y"}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 403);
    let foreign = app
        .client
        .post(format!("{}/api/v1/admin/session", app.address))
        .header("Origin", "https://angripare.example")
        .json(&json!({"email": viewer.email, "password": STAFF_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    let guess = json!({"email": viewer.email, "password": "gissning gissning"});
    for _ in 0..2 {
        app.post_session(&guess, None).await;
    }
    assert_eq!(app.post_session(&guess, None).await.status(), 429);

    let log = actions(&app, m).await;
    for expected in [
        ("request_refused", "403 forbidden: GET /api/v1/admin/users"),
        (
            "request_refused",
            "403 csrf: POST /api/v1/admin/session/password",
        ),
        ("login_refused", "csrf"),
        ("login_refused", "too_many_attempts"),
    ] {
        assert!(
            log.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} not in {log:?}"
        );
    }
    // The audit log names no client address or browser.
    let events = app.store.audit_events(m, 500).await.unwrap();
    assert!(
        events
            .iter()
            .all(|e| !e.target.contains("127.0.0.1") && !e.target.contains("reqwest"))
    );
    app.finish().await;
}

#[tokio::test]
async fn every_staff_answer_says_no_store() {
    let app = spawn_app().await;
    let home = crate::roles::Fixture::seed(&app, "hemkommun").await;
    let admin = app.staff_in(home.municipality, Role::Admin).await;
    for case in crate::roles::routes(&home, Role::Admin) {
        let response = admin
            .call(case.method.clone(), &case.path, case.body.as_ref())
            .await;
        let what = format!("{} {}: {}", case.method, case.path, response.status());
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{what}"
        );
    }
    // Refusals and unknown addresses too, and the sign-in before any session.
    for path in ["/api/v1/admin/users", "/api/v1/admin/no-such-thing"] {
        let response = app.get(path).await;
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let refused = app
        .post_session(
            &json!({"email": "ingen@test.example.se", "password": "vad som helst här"}),
            None,
        )
        .await;
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.headers()["cache-control"], "no-store");
    app.finish().await;
}

#[tokio::test]
async fn invitation_letters_and_the_feed_link_to_the_public_url_whatever_the_host_header_says() {
    let app = spawn_app_with(|s| {
        s.server.public_url = Some("https://trygg.kommun.example.se/".to_owned());
    })
    .await;
    let survey = seed_surveys(&app.store).await;
    let analyst = app.staff(Role::Analyst).await;
    let csv = analyst
        .request(
            Method::POST,
            &format!("/api/v1/admin/surveys/{}/invitations", survey.id),
        )
        .header("Host", "angripare.example")
        .json(&json!({"count": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 201);
    let csv = csv.text().await.unwrap();
    for line in csv.lines().skip(1) {
        let link = line.split(',').nth(1).unwrap();
        assert!(
            link.starts_with("https://trygg.kommun.example.se/s/trygghet-oppen?kod="),
            "{link}"
        );
    }
    let feed = app
        .get_with_header("/lofte/testkommun/feed.atom", "Host", "angripare.example")
        .await;
    assert_eq!(feed.status(), 200);
    let feed = feed.text().await.unwrap();
    assert!(
        feed.contains("https://trygg.kommun.example.se/lofte/testkommun"),
        "{feed}"
    );
    assert!(!feed.contains("angripare"), "{feed}");
    app.finish().await;
}

#[tokio::test]
async fn with_secure_cookies_the_session_cookie_has_the_host_prefix_and_works() {
    let app = spawn_seeded_app_with(|s| s.auth.secure_cookie = true).await;
    let (_, response) = app.sign_in_new(Role::Viewer).await;
    assert_eq!(response.status(), 200);
    let set: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = set
        .iter()
        .find(|c| c.starts_with("__Host-trygg_session="))
        .unwrap_or_else(|| panic!("{set:?}"));
    for flag in ["Secure", "Path=/", "HttpOnly"] {
        assert!(session.contains(flag), "{session} lacks {flag}");
    }
    assert!(!session.to_lowercase().contains("domain="), "{session}");
    assert!(set.iter().any(|c| c.starts_with("__Host-trygg_device=")));
    let pair = set_cookie(&response, "__Host-trygg_session").unwrap();
    let me = app.get_with_cookie("/api/v1/admin/session", &pair).await;
    assert_eq!(me.status(), 200);
    // The unprefixed name is not accepted in its place.
    let plain = pair.replacen("__Host-", "", 1);
    let refused = app.get_with_cookie("/api/v1/admin/session", &plain).await;
    assert_eq!(refused.status(), 401);
    app.finish().await;
}

#[tokio::test]
async fn hsts_is_sent_only_when_configured() {
    let with = spawn_app_with(|s| s.server.hsts = true).await;
    let response = with.get("/").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    with.finish().await;
    let without = spawn_app().await;
    let response = without.get("/").await;
    assert!(!response.headers().contains_key("strict-transport-security"));
    without.finish().await;
}
