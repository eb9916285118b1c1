//! The intake API run as the real binary: acknowledged answers survive `kill -9`,
//! and no client address or user agent reaches the logs or the database.

use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::sync::Mutex;

use crate::{Env, fixture, printed_url};

/// A running `trygg serve` and its address; killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn serve(env: &Env, log: Option<&std::path::Path>) -> Server {
    let mut command = env.command(&["serve", "--bind", "127.0.0.1:0"]);
    // Every test client shares one address; the rate limit has its own test.
    command
        .stdout(Stdio::piped())
        .env("TRYGG__INTAKE__RATE_LIMIT_PER_MINUTE", "1000000")
        .env("TRYGG__INTAKE__RATE_LIMIT_BURST", "1000000");
    match log {
        Some(path) => {
            command
                .stderr(std::fs::File::create(path).unwrap())
                .env("RUST_LOG", "debug");
        }
        None => {
            command.stderr(Stdio::null());
        }
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let url = printed_url(stdout).trim_end_matches('/').to_owned();
    Server { child, url }
}

/// Asserts that the database holds one response for each acknowledged key in
/// `keys` and no other; their number.
async fn stored_once_each(env: &Env, keys: &[String]) -> i64 {
    let stored = env.count("response").await;
    assert_eq!(
        stored as usize,
        keys.len(),
        "stored responses differ from acknowledged ones"
    );
    let distinct = env
        .scalar("SELECT COUNT(DISTINCT idempotency_key) AS n FROM response")
        .await;
    assert_eq!(distinct, stored, "a key was stored twice");
    stored
}

fn with_open_survey(env: &Env) {
    env.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
    env.ok(&["areas", "import", crate::demo_areas().to_str().unwrap()]);
    env.ok(&[
        "survey",
        "import",
        fixture("open-survey.json").to_str().unwrap(),
    ]);
}

fn answer(n: usize) -> serde_json::Value {
    json!({
        "answers": {"area": if n.is_multiple_of(2) { "bro" } else { "kungsangen" }, "evening_safety": "otrygg", "years": n % 90},
        "pins": [{"location": [17.6335, 59.512], "category": "grupper", "time_of_day": "evening"}]
    })
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    body: &serde_json::Value,
) -> Option<u16> {
    client
        .post(format!("{url}/api/v1/surveys/kvallsenkat-oppen/responses"))
        .header("Idempotency-Key", key)
        .json(body)
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

#[tokio::test]
async fn every_acknowledged_response_survives_kill_9_and_is_stored_exactly_once() {
    let env = Env::new().await;
    with_open_survey(&env);
    let server = serve(&env, None);
    let client = reqwest::Client::new();
    // Keys that got a 2xx, and keys that were sent but not acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let pending = Arc::new(Mutex::new(Vec::<(String, usize)>::new()));
    let mut clients = tokio::task::JoinSet::new();
    for c in 0..4 {
        let (client, url) = (client.clone(), server.url.clone());
        let (acknowledged, pending) = (acknowledged.clone(), pending.clone());
        clients.spawn(async move {
            for i in 0..400 {
                let n = c * 1000 + i;
                let key = uuid::Uuid::now_v7().to_string();
                match post(&client, &url, &key, &answer(n)).await {
                    Some(201) => acknowledged.lock().await.push(key),
                    _ => {
                        pending.lock().await.push((key, n));
                        break;
                    }
                }
            }
        });
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(server); // SIGKILL: no graceful shutdown, no flushing.
    clients.join_all().await;
    let before_restart = acknowledged.lock().await.len();
    assert!(
        before_restart > 20,
        "only {before_restart} responses were acknowledged before the kill"
    );

    // The clients retry what was not acknowledged, with the same keys, once the server is back.
    let server = serve(&env, None);
    for (key, n) in pending.lock().await.iter() {
        assert_eq!(
            post(&client, &server.url, key, &answer(*n)).await,
            Some(201)
        );
        acknowledged.lock().await.push(key.clone());
    }
    drop(server);

    let keys = acknowledged.lock().await.clone();
    let stored = stored_once_each(&env, &keys).await;
    for key in keys.iter().step_by(7) {
        let found = env
            .scalar(&format!(
                "SELECT COUNT(*) AS n FROM response WHERE idempotency_key = '{key}'"
            ))
            .await;
        assert_eq!(found, 1, "acknowledged key {key}");
    }
    assert_eq!(env.count("pin").await, stored, "one pin per response");
    env.finish().await;
}

#[tokio::test]
async fn no_client_address_or_user_agent_reaches_the_logs_or_the_database() {
    let env = Env::new().await;
    with_open_survey(&env);
    let log = env.dir.path().join("trygg.log");
    let server = serve(&env, Some(&log));
    let client = reqwest::Client::builder()
        .user_agent("TryggSpion/9.9 (spårbar)")
        .build()
        .unwrap();
    for path in [
        "/",
        "/health/ready",
        "/api/v1/surveys/kvallsenkat-oppen",
        "/api/v1/finns-inte",
    ] {
        client
            .get(format!("{}{path}", server.url))
            .header("X-Forwarded-For", "203.0.113.77")
            .header("Forwarded", "for=203.0.113.77")
            .send()
            .await
            .unwrap();
    }
    let response = client
        .post(format!(
            "{}/api/v1/surveys/kvallsenkat-oppen/responses",
            server.url
        ))
        .header("X-Forwarded-For", "203.0.113.77")
        .header("X-Real-IP", "203.0.113.77")
        .header("Idempotency-Key", uuid::Uuid::now_v7().to_string())
        .json(&answer(1))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    drop(server);

    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("http_request"),
        "the request spans were not logged at all: {logged}"
    );
    for secret in ["203.0.113.77", "TryggSpion"] {
        assert!(!logged.contains(secret), "`{secret}` appears in the log");
    }
    match env.db.backend() {
        trygg_store::Backend::Postgres => {
            for table in [
                "municipality",
                "area",
                "survey",
                "response",
                "answer",
                "pin",
                "described_place",
                "place",
            ] {
                let sql = format!(
                    "SELECT COUNT(*) AS n FROM {table} t WHERE t::text LIKE '%203.0.113.77%' OR t::text LIKE '%TryggSpion%'"
                );
                assert_eq!(
                    env.scalar(&sql).await,
                    0,
                    "a client detail is stored in {table}"
                );
            }
        }
        trygg_store::Backend::Sqlite => {
            // The whole database file and its write-ahead log, byte for byte.
            let url = env.db.url_text().trim_start_matches("sqlite://");
            let file = std::path::Path::new(url.split('?').next().unwrap());
            for entry in std::fs::read_dir(file.parent().unwrap()).unwrap() {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.contains("203.0.113.77") && !text.contains("TryggSpion"),
                    "a client detail is stored"
                );
            }
        }
    }
    env.finish().await;
}

/// Runs `pg_ctlcluster` on the local PostgreSQL cluster.
fn cluster(action: &str) {
    let version = std::fs::read_dir("/etc/postgresql")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .next()
        .unwrap();
    let mut command = std::process::Command::new("pg_ctlcluster");
    command.args(["--skip-systemctl-redirect", &version, "main", action]);
    if action == "stop" {
        // Like a crash: no checkpoint, clients cut off at once.
        command.args(["-m", "immediate"]);
    }
    assert!(
        command.status().unwrap().success(),
        "pg_ctlcluster {action} failed"
    );
}

/// Restarts the shared PostgreSQL server, so `scripts/test` runs it alone,
/// after the PostgreSQL suite, with `TRYGG_TEST_RESTART_POSTGRES=1`.
// Several threads, so the clients' clocks keep running while pg_ctlcluster blocks.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgresql_restart_under_load_gives_503_not_hangs_and_loses_nothing() {
    if std::env::var("TRYGG_TEST_RESTART_POSTGRES").as_deref() != Ok("1") {
        eprintln!(
            "not run: restarting PostgreSQL needs TRYGG_TEST_RESTART_POSTGRES=1 (scripts/test sets it)"
        );
        return;
    }
    let env = Env::new().await;
    assert_eq!(
        env.db.backend(),
        trygg_store::Backend::Postgres,
        "this test restarts PostgreSQL"
    );
    with_open_survey(&env);
    let server = serve(&env, None);
    // A fresh connection per request, so an idle keep-alive connection closed by
    // the server is never mistaken for a failure of the server.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let statuses = Arc::new(Mutex::new(Vec::<(Option<u16>, Duration)>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = tokio::task::JoinSet::new();
    for c in 0..4 {
        let (client, url) = (client.clone(), server.url.clone());
        let (acknowledged, statuses, stop) = (acknowledged.clone(), statuses.clone(), stop.clone());
        clients.spawn(async move {
            let mut n = c * 10_000;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let key = uuid::Uuid::now_v7().to_string();
                // A phone retries the same key until the answer is acknowledged.
                loop {
                    let sent = std::time::Instant::now();
                    let status = post(&client, &url, &key, &answer(n)).await;
                    statuses.lock().await.push((status, sent.elapsed()));
                    if status == Some(201) {
                        acknowledged.lock().await.push(key);
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    tokio::task::spawn_blocking(|| cluster("stop"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let ready = client
        .get(format!("{}/health/ready", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503, "ready while the database is down");
    tokio::time::sleep(Duration::from_secs(2)).await;
    tokio::task::spawn_blocking(|| cluster("start"))
        .await
        .unwrap();
    let back = std::time::Instant::now();
    loop {
        let ready = client
            .get(format!("{}/health/ready", server.url))
            .send()
            .await
            .unwrap();
        if ready.status() == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(10),
            "not ready 10 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    clients.join_all().await;
    drop(server);

    let statuses = statuses.lock().await.clone();
    assert!(
        statuses.iter().any(|(s, _)| *s == Some(503)),
        "no request saw the outage"
    );
    for (status, took) in &statuses {
        assert!(
            matches!(status, Some(201 | 503)),
            "unexpected answer {status:?} after {took:?}"
        );
        assert!(
            *took < Duration::from_secs(5),
            "a request hung for {took:?}"
        );
    }
    let keys = acknowledged.lock().await.clone();
    stored_once_each(&env, &keys).await;
    env.finish().await;
}
