//! `trygg user …` and staff sign-in as the real binary: a one-time password
//! that must be replaced, and no password in the logs, the answers or the
//! database.

use serde_json::{Value, json};

use crate::intake::serve;
use crate::{Env, stderr};

const EMAIL: &str = "anna.admin@kommun.example.se";

fn one_time_password(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("One-time password: "))
        .expect("no one-time password printed")
        .trim()
        .to_owned()
}

#[tokio::test]
async fn user_add_list_and_disable_manage_a_municipalitys_accounts() {
    let env = Env::new().await;
    env.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
    let out = env.ok(&[
        "user",
        "add",
        "--email",
        " Anna.Admin@Kommun.example.se",
        "--role",
        "admin",
    ]);
    assert!(
        out.contains(&format!("Added {EMAIL} as admin in testkommun")),
        "{out}"
    );
    assert_eq!(one_time_password(&out).len(), 23);
    let list = env.ok(&["user", "list"]);
    assert!(
        list.contains(EMAIL) && list.contains("one-time password not yet replaced"),
        "{list}"
    );

    let taken = env.run(&["user", "add", "--email", EMAIL, "--role", "viewer"]);
    assert!(!taken.status.success());
    assert!(
        stderr(&taken).contains("already an account"),
        "{}",
        stderr(&taken)
    );
    for (args, says) in [
        (["--email", "anna", "--role", "viewer"], "--email"),
        (["--email", "b@kommun.example.se", "--role", "root"], "root"),
    ] {
        let out = env.run(&[&["user", "add"][..], &args[..]].concat());
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }

    let reset = env.ok(&["user", "reset", "--email", EMAIL]);
    assert!(reset.contains("signed out everywhere"), "{reset}");
    assert_ne!(one_time_password(&reset), one_time_password(&out));
    env.ok(&["user", "disable", "--email", EMAIL]);
    assert!(env.ok(&["user", "list"]).contains("disabled"));
    let unknown = env.run(&["user", "disable", "--email", "ingen@kommun.example.se"]);
    assert!(!unknown.status.success());
    env.finish().await;
}

#[tokio::test]
async fn no_password_reaches_the_logs_the_answers_or_the_database() {
    let env = Env::new().await;
    env.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
    let one_time =
        one_time_password(&env.ok(&["user", "add", "--email", EMAIL, "--role", "admin"]));
    let wrong = "Fel-Lösenord-Spårbart-1";
    let chosen = "Mitt-Eget-Spårbara-Lösenord-42";
    let log = env.dir.path().join("trygg.log");
    let server = serve(&env, Some(&log));
    let client = reqwest::Client::new();
    let session = format!("{}/api/v1/admin/session", server.url);
    let mut answers = String::new();
    let sign_in = |password: &str| {
        client
            .post(&session)
            .json(&json!({"email": EMAIL, "password": password}))
            .send()
    };

    let refused = sign_in(wrong).await.unwrap();
    assert_eq!(refused.status(), 401);
    answers.push_str(&refused.text().await.unwrap());

    let signed_in = sign_in(&one_time).await.unwrap();
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: Value = signed_in.json().await.unwrap();
    answers.push_str(&body.to_string());
    assert_eq!(body["user"]["must_change_password"], true);
    let csrf = body["csrf_token"].as_str().unwrap();

    let changed = client
        .post(format!("{session}/password"))
        .header("Cookie", &cookie)
        .header("X-CSRF-Token", csrf)
        .json(&json!({"current_password": one_time, "new_password": chosen}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    let again = sign_in(chosen).await.unwrap();
    assert_eq!(again.status(), 200);
    answers.push_str(&again.text().await.unwrap());
    drop(server);

    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("http_request"),
        "nothing was logged: {logged}"
    );
    for secret in [one_time.as_str(), wrong, chosen] {
        assert!(!logged.contains(secret), "a password appears in the log");
        assert!(!answers.contains(secret), "a password appears in an answer");
    }
    let clear = format!(
        "SELECT COUNT(*) AS n FROM staff_user WHERE password_hash LIKE '%{chosen}%' OR password_hash LIKE '%{one_time}%' OR password_hash NOT LIKE '$argon2id$%'"
    );
    assert_eq!(env.scalar(&clear).await, 0, "a password is stored in clear");
    env.finish().await;
}
