//! Load generator for the intake API, and the same writes straight into the
//! store as the ceiling to compare with.
//!
//! ```text
//! load http URL SURVEY SECONDS CONCURRENCY RATE   # RATE responses/s in total, 0 = as fast as possible
//! load raw DATABASE_URL SURVEY SECONDS CONCURRENCY BATCH  # BATCH responses per transaction
//! load fill DATABASE_URL SURVEY COUNT                     # COUNT responses into the store, for the lägesbild benchmark
//! load dashboard URL SURVEY REQUESTS                      # the lägesbild dashboard's first load, as the demo analyst
//! ```
//!
//! Every response has 18 answered questions (20 answer rows, with the multiple
//! choice) and 3 pins, and a unique idempotency key. Prints one JSON line:
//! accepted responses, errors, responses per second and latency percentiles
//! (`dashboard`: the latency of the page's two API calls, made together as the
//! page makes them, after as many warm-up loads).

#![expect(
    clippy::print_stdout,
    clippy::expect_used,
    reason = "a command-line benchmark tool"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Mutex;
use trygg_domain::ResponseInput;

/// A tiny deterministic generator, so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options
            .get(self.next(options.len()))
            .copied()
            .unwrap_or_default()
    }
}

fn body(rng: &mut Lcg) -> Value {
    let problem = [
        "mycket_stort",
        "ganska_stort",
        "ganska_litet",
        "inget_problem",
        "vet_ej",
    ];
    let mut answers = serde_json::Map::new();
    answers.insert(
        "area".into(),
        rng.pick(&["bro", "kungsangen", "brunna", "lassa"]).into(),
    );
    answers.insert("gender".into(), rng.pick(&["kvinna", "man"]).into());
    answers.insert(
        "age_band".into(),
        rng.pick(&["a16_24", "a25_44", "a45_64", "a65_84"]).into(),
    );
    answers.insert("years_in_area".into(), json!(rng.next(60)));
    answers.insert(
        "evening_safety".into(),
        rng.pick(&[
            "mycket_trygg",
            "ganska_trygg",
            "ganska_otrygg",
            "mycket_otrygg",
            "gar_inte_ut",
        ])
        .into(),
    );
    answers.insert(
        "worry_crime".into(),
        rng.pick(&["mycket_ofta", "ganska_ofta", "ganska_sallan", "aldrig"])
            .into(),
    );
    answers.insert("victim".into(), rng.pick(&["ja", "nej"]).into());
    for p in [
        "klotter",
        "nedskrapning",
        "belysning",
        "buskage",
        "narkotikahandel",
        "grupper",
        "trafik",
    ] {
        answers.insert(format!("problem_{p}"), rng.pick(&problem).into());
    }
    let trust = [
        "mycket_stort",
        "ganska_stort",
        "ganska_litet",
        "mycket_litet",
    ];
    answers.insert("trust_police".into(), rng.pick(&trust).into());
    answers.insert("trust_municipality".into(), rng.pick(&trust).into());
    answers.insert(
        "priorities".into(),
        json!(["synlig_polis", "belysning", "unga"]),
    );
    answers.insert("comment".into(), "Mer belysning vid stationen".into());
    // Pins gather around the demo's named places (centres, stations, a bridge,
    // a tunnel) and thin out over about half a kilometre, as residents' marks do,
    // so the map has thousands of cells to class rather than a handful.
    let places = [
        (17.751, 59.4785),
        (17.747, 59.4795),
        (17.778, 59.5135),
        (17.6335, 59.512),
        (17.642, 59.5075),
        (17.583, 59.563),
        (17.626, 59.5165),
        (17.7465, 59.4792),
    ];
    let pin = |rng: &mut Lcg| {
        let (lon, lat) = places
            .get(rng.next(places.len()))
            .copied()
            .unwrap_or((17.6335, 59.512));
        let spread = |rng: &mut Lcg| (rng.next(400) as f64 + rng.next(400) as f64 - 400.0) * 2e-5;
        json!({
            "location": [lon + spread(rng), lat + spread(rng) / 2.0],
            "category": rng.pick(&["grupper", "belysning", "narkotikahandel", "klotter"]),
            "time_of_day": rng.pick(&["evening", "night", "always"]),
        })
    };
    json!({
        "answers": answers,
        "pins": [pin(rng), pin(rng), pin(rng)],
        "language": "sv",
    })
}

struct Totals {
    latencies: Vec<Duration>,
    errors: usize,
}

fn report(mode: &str, totals: &Totals, elapsed: Duration) {
    let mut latencies = totals.latencies.clone();
    latencies.sort_unstable();
    let percentile = |q: f64| {
        let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies
            .get(index)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{}",
        json!({
            "mode": mode,
            "accepted": latencies.len(),
            "errors": totals.errors,
            "seconds": elapsed.as_secs_f64(),
            "per_second": latencies.len() as f64 / elapsed.as_secs_f64(),
            "p50_ms": percentile(0.50),
            "p95_ms": percentile(0.95),
            "p99_ms": percentile(0.99),
        })
    );
}

/// Writes `count` responses straight into the store, 64 a transaction from four tasks.
async fn fill(database: &str, survey: &str, count: usize) {
    let store = trygg_store::Store::connect(&database.to_owned().into())
        .await
        .expect("connect");
    let s = store
        .survey_by_slug(survey)
        .await
        .expect("survey")
        .expect("no such survey");
    let boundary = store.boundary(s.municipality_id).await.expect("boundary");
    let shared = Arc::new((store, s, boundary));
    let left = Arc::new(std::sync::atomic::AtomicUsize::new(count));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..4_u64 {
        let (shared, left) = (shared.clone(), left.clone());
        workers.spawn(async move {
            let (store, s, boundary) = shared.as_ref();
            let mut rng = Lcg(worker + 1);
            loop {
                let taken = left
                    .fetch_update(
                        std::sync::atomic::Ordering::SeqCst,
                        std::sync::atomic::Ordering::SeqCst,
                        |n| n.checked_sub(n.min(64)).filter(|_| n > 0),
                    )
                    .map_or(0, |n| n.min(64));
                if taken == 0 {
                    break;
                }
                let responses: Vec<trygg_domain::Response> = (0..taken)
                    .map(|_| {
                        let input: ResponseInput =
                            serde_json::from_value(body(&mut rng)).expect("body");
                        s.accept(input, boundary, time::OffsetDateTime::now_utc())
                            .expect("a valid response")
                    })
                    .collect();
                store
                    .insert_responses(&responses, boundary)
                    .await
                    .expect("insert");
            }
        });
    }
    workers.join_all().await;
    println!(
        "{}",
        json!({"mode": "fill", "responses": count, "seconds": started.elapsed().as_secs_f64()})
    );
}

/// Signs in as the demo analyst and times the dashboard's first load: the
/// lägesbild and its pins, fetched together as `web/js/results/dashboard.js` does.
async fn dashboard(url: &str, survey: &str, requests: usize) {
    let client = reqwest::Client::new();
    let (email, password) = ("analytiker@trygg.example", "demo-analytiker-trygg");
    let signed_in = client
        .post(format!("{url}/api/v1/admin/session"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("sign in");
    let cookie = trygg_e2e::set_cookie(&signed_in, "trygg_session").expect("a session cookie");
    let get = |path: String| {
        client
            .get(format!("{url}/api/v1/admin{path}"))
            .header("Cookie", cookie.clone())
            .send()
    };
    let surveys: Value = get("/surveys".into())
        .await
        .expect("surveys")
        .json()
        .await
        .expect("survey list");
    let id = surveys
        .as_array()
        .or_else(|| surveys.get("surveys").and_then(Value::as_array))
        .expect("a list of surveys")
        .iter()
        .find(|s| s.get("slug").and_then(Value::as_str) == Some(survey))
        .and_then(|s| s.get("id").and_then(Value::as_str))
        .expect("the survey in the list")
        .to_owned();
    let mut totals = Totals {
        latencies: Vec::new(),
        errors: 0,
    };
    // One load of the page: the lägesbild and its pins together; whether both arrived.
    let load = |query: &str| {
        let (report, pins) = (
            get(format!("/surveys/{id}/lagesbild{query}")),
            get(format!("/surveys/{id}/lagesbild/pins{query}")),
        );
        async move {
            let (report, pins) = tokio::join!(report, pins);
            let mut ok = true;
            for response in [report, pins] {
                match response {
                    Ok(r) if r.status().is_success() => ok &= r.bytes().await.is_ok(),
                    _ => ok = false,
                }
            }
            ok
        }
    };
    let started = Instant::now();
    for round in 0..2 * requests {
        let sent = Instant::now();
        let ok = load("").await;
        // The first half warms the server up and is not counted.
        if round >= requests {
            if ok {
                totals.latencies.push(sent.elapsed());
            } else {
                totals.errors += 1;
            }
        }
    }
    report("dashboard", &totals, started.elapsed());

    // Then an analyst's clicks: each area, and each area by gender, asked for the
    // first time, so every one is computed rather than answered from memory.
    let mut clicks = Totals {
        latencies: Vec::new(),
        errors: 0,
    };
    let started = Instant::now();
    for area in ["bro", "kungsangen", "brunna", "lassa"] {
        for gender in ["", "kvinna", "man"] {
            let sent = Instant::now();
            if load(&format!("?area={area}&gender={gender}")).await {
                clicks.latencies.push(sent.elapsed());
            } else {
                clicks.errors += 1;
            }
        }
    }
    report("filter", &clicks, started.elapsed());
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let given = |i: usize| args.get(i).cloned().unwrap_or_default();
    match given(0).as_str() {
        "fill" => {
            return fill(&given(1), &given(2), given(3).parse().expect("COUNT")).await;
        }
        "dashboard" => {
            return dashboard(&given(1), &given(2), given(3).parse().expect("REQUESTS")).await;
        }
        _ => {}
    }
    let arg = |i: usize| {
        args.get(i).cloned().expect("usage: load http URL SURVEY SECONDS CONCURRENCY RATE | load raw DATABASE_URL SURVEY SECONDS CONCURRENCY BATCH")
    };
    let (mode, target, survey) = (arg(0), arg(1), arg(2));
    let seconds: u64 = arg(3).parse().expect("SECONDS");
    let concurrency: usize = arg(4).parse().expect("CONCURRENCY");
    let (rate, batch): (f64, usize) = if mode == "http" {
        (arg(5).parse().expect("RATE"), 1)
    } else {
        (0.0, arg(5).parse().expect("BATCH"))
    };
    let totals = Arc::new(Mutex::new(Totals {
        latencies: Vec::new(),
        errors: 0,
    }));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();

    let store = if mode == "raw" {
        Some(
            trygg_store::Store::connect(&target.clone().into())
                .await
                .expect("connect"),
        )
    } else {
        None
    };
    let prepared = match &store {
        Some(store) => {
            let s = store
                .survey_by_slug(&survey)
                .await
                .expect("survey")
                .expect("no such survey");
            let boundary = store.boundary(s.municipality_id).await.expect("boundary");
            Some(Arc::new((s, boundary)))
        }
        None => None,
    };
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    for worker in 0..concurrency {
        let (totals, client, target, survey) = (
            totals.clone(),
            client.clone(),
            target.clone(),
            survey.clone(),
        );
        let (store, prepared) = (store.clone(), prepared.clone());
        workers.spawn(async move {
            let mut rng = Lcg(worker as u64 + 1);
            // Each worker sends its share of the rate, evenly spaced.
            let mut ticker = (rate > 0.0)
                .then(|| tokio::time::interval(Duration::from_secs_f64(concurrency as f64 / rate)));
            while Instant::now() < deadline {
                if let Some(ticker) = ticker.as_mut() {
                    ticker.tick().await;
                }
                let bodies: Vec<Value> = (0..batch).map(|_| body(&mut rng)).collect();
                let sent = Instant::now();
                let accepted = match (&store, &prepared) {
                    (Some(store), Some(prepared)) => {
                        let (s, boundary) = prepared.as_ref();
                        let keyed: Vec<(trygg_domain::Response, String)> = bodies
                            .into_iter()
                            .filter_map(|body| {
                                let input: ResponseInput =
                                    serde_json::from_value(body).expect("body");
                                let key = uuid::Uuid::now_v7().to_string();
                                s.accept(input, boundary, time::OffsetDateTime::now_utc())
                                    .ok()
                                    .map(|response| (response, key))
                            })
                            .collect();
                        let incoming: Vec<trygg_store::Incoming<'_>> = keyed
                            .iter()
                            .map(|(response, key)| trygg_store::Incoming {
                                response,
                                boundary,
                                key,
                                fingerprint: key,
                            })
                            .collect();
                        let results = store.insert_responses_once(&incoming).await;
                        results.iter().filter(|r| r.is_ok()).count()
                    }
                    _ => usize::from(
                        client
                            .post(format!("{target}/api/v1/surveys/{survey}/responses"))
                            .header("Idempotency-Key", uuid::Uuid::now_v7().to_string())
                            .json(bodies.first().expect("one body per request"))
                            .send()
                            .await
                            .is_ok_and(|r| r.status().as_u16() == 201),
                    ),
                };
                let latency = sent.elapsed();
                let mut totals = totals.lock().await;
                totals
                    .latencies
                    .extend(std::iter::repeat_n(latency, accepted));
                totals.errors += batch - accepted;
            }
        });
    }
    workers.join_all().await;
    let totals = totals.lock().await;
    report(&mode, &totals, started.elapsed());
}
