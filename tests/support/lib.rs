//! Support for end-to-end tests: [`spawn_app`] runs Trygg in-process on a random
//! port over a fresh, migrated database of the configured backend.

#![expect(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test support fails loudly"
)]

use std::sync::OnceLock;

pub mod generated;

use trygg_domain::{Email, MunicipalityId, Role, StaffUser, StaffUserId};
use trygg_server::config::{
    AuthSettings, DatabaseSettings, IntakeSettings, LogSettings, MapSettings, ServerSettings,
};
use trygg_server::{Application, Settings};
use trygg_store::Store;
use trygg_store::testing::TestDatabase;

/// A running Trygg and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The store the app runs on, for arranging and checking data.
    pub store: Store,
    /// An HTTP client.
    pub client: reqwest::Client,
    db: TestDatabase,
}

impl TestApp {
    /// `GET` a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("the request failed")
    }

    /// `POST` a JSON body with an idempotency key.
    pub async fn submit(
        &self,
        slug: &str,
        key: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.submit_with(slug, key, body, None).await
    }

    /// Creates an account of `role` in the app's first municipality, signs it
    /// in and returns a client that sends its cookie and CSRF token.
    pub async fn staff(&self, role: Role) -> StaffClient {
        let first = self
            .store
            .municipalities()
            .await
            .expect("municipalities")
            .into_iter()
            .next()
            .expect("add a municipality (e.g. with seed_surveys) before staff");
        self.staff_in(first.id, role).await
    }

    /// Like [`TestApp::staff`], in the municipality `municipality`.
    pub async fn staff_in(&self, municipality: MunicipalityId, role: Role) -> StaffClient {
        let user = self.add_staff(municipality, role).await;
        self.sign_in(user.email.as_str(), STAFF_PASSWORD)
            .await
            .expect("a new account signs in")
    }

    /// Stores an account of `role` whose password is [`STAFF_PASSWORD`].
    pub async fn add_staff(&self, municipality: MunicipalityId, role: Role) -> StaffUser {
        let email = format!("{role}-{}@test.example.se", uuid::Uuid::now_v7().simple());
        let user = StaffUser {
            id: StaffUserId::new(),
            municipality_id: municipality,
            email: Email::parse(&email, "email").expect("email"),
            role,
            disabled: false,
            must_change_password: false,
            totp_enabled: false,
        };
        self.store
            .insert_staff_user(&user, staff_password_hash())
            .await
            .expect("insert staff user");
        user
    }

    /// Stores an account of `role` in the first municipality and signs it in
    /// with its password: the body it signed in with, and the answer as it
    /// comes (e.g. to read the cookies it sets).
    pub async fn sign_in_new(&self, role: Role) -> (serde_json::Value, reqwest::Response) {
        let user = self.add_staff(self.first_municipality().await, role).await;
        let body = serde_json::json!({"email": user.email.as_str(), "password": STAFF_PASSWORD});
        let response = self.post_session(&body, None).await;
        (body, response)
    }

    /// `POST /api/v1/admin/session`: a signed-in client, or the refusal.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> Result<StaffClient, reqwest::Response> {
        let response = self
            .post_session(
                &serde_json::json!({"email": email, "password": password}),
                None,
            )
            .await;
        if response.status() != reqwest::StatusCode::OK {
            return Err(response);
        }
        let cookie = set_cookie(&response, "trygg_session").expect("a session cookie");
        let body: serde_json::Value = response.json().await.expect("a JSON session");
        Ok(StaffClient {
            address: self.address.clone(),
            client: self.client.clone(),
            cookie,
            csrf_token: body["csrf_token"].as_str().expect("csrf_token").to_owned(),
            user_id: body["user"]["id"].as_str().expect("user.id").to_owned(),
            municipality_id: body["municipality"]["id"]
                .as_str()
                .expect("municipality.id")
                .to_owned(),
            email: email.to_owned(),
        })
    }

    /// `POST /api/v1/admin/session` with `body`, and the cookie `cookie` (e.g. a
    /// device cookie) when given: the answer as it comes, for tests of signing in.
    pub async fn post_session(
        &self,
        body: &serde_json::Value,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/v1/admin/session", self.address))
            .json(body);
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send().await.expect("the request failed")
    }

    /// `GET` a path sending the cookie `cookie` (`name=value`) and nothing else.
    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.get_with_header(path, "Cookie", cookie).await
    }

    /// `GET` a path with the header `name: value`.
    pub async fn get_with_header(&self, path: &str, name: &str, value: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .header(name, value)
            .send()
            .await
            .expect("the request failed")
    }

    /// `GET` a path and read the answer as JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        self.get(path).await.json().await.expect("a JSON answer")
    }

    /// `POST` a response like [`TestApp::submit`], with one more header (e.g.
    /// `Invitation-Code`) when given.
    pub async fn submit_with(
        &self,
        slug: &str,
        key: &str,
        body: &serde_json::Value,
        header: Option<(&str, &str)>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/v1/surveys/{slug}/responses", self.address))
            .header("Idempotency-Key", key)
            .json(body);
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        request.send().await.expect("the request failed")
    }

    /// The first municipality stored (the one [`seed_surveys`] adds).
    pub async fn first_municipality(&self) -> MunicipalityId {
        self.store
            .municipalities()
            .await
            .expect("municipalities")
            .first()
            .expect("a municipality")
            .id
    }

    /// Stores a municipality with `slug` and `name`.
    pub async fn add_municipality(&self, slug: &str, name: &str) -> trygg_domain::Municipality {
        let m = trygg_domain::Municipality::parse(slug, name, false).expect("municipality");
        self.store
            .insert_municipality(&m)
            .await
            .expect("insert municipality");
        m
    }

    /// The stored survey `slug`.
    pub async fn survey(&self, slug: &str) -> trygg_domain::Survey {
        self.store
            .survey_by_slug(slug)
            .await
            .expect("survey_by_slug")
            .unwrap_or_else(|| panic!("no survey {slug}"))
    }

    /// The database's URL, e.g. for a `trygg.toml` a command runs with.
    pub fn database_url(&self) -> &str {
        self.db.url_text()
    }

    /// Drops the test database.
    pub async fn finish(self) {
        self.store.close().await.expect("closing the pool failed");
        self.db
            .drop_database()
            .await
            .expect("dropping the test database failed");
    }
}

/// Starts Trygg on `127.0.0.1:0` over a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts Trygg over a database with [`seed_surveys`]' municipality and surveys.
pub async fn spawn_seeded_app() -> TestApp {
    spawn_seeded_app_with(|_| {}).await
}

/// [`spawn_seeded_app`] with settings changed by `tweak`.
pub async fn spawn_seeded_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let app = spawn_app_with(tweak).await;
    seed_surveys(&app.store).await;
    app
}

/// [`spawn_seeded_app`] with a signed-in account of `role` (see [`TestApp::staff`]).
pub async fn spawn_seeded_app_as(role: Role) -> (TestApp, StaffClient) {
    let app = spawn_seeded_app().await;
    let staff = app.staff(role).await;
    (app, staff)
}

/// The demo's published round, which the lägesbild tests read.
pub const DEMO_ROUND: &str = "trygghetsmatning-2023";

/// Starts Trygg over the demo data (`trygg demo`): Upplands-Bro with its rounds,
/// follow-up and accounts.
pub async fn spawn_demo_app() -> TestApp {
    let app = spawn_app().await;
    trygg_cli::demo::load(&app.store)
        .await
        .expect("the demo loads");
    app
}

/// [`spawn_demo_app`] with a signed-in account of `role` (see [`TestApp::staff`]).
pub async fn spawn_demo_app_as(role: Role) -> (TestApp, StaffClient) {
    let app = spawn_demo_app().await;
    let staff = app.staff(role).await;
    (app, staff)
}

/// Starts Trygg with settings changed by `tweak` (e.g. a tight rate limit).
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let db = TestDatabase::create()
        .await
        .expect("cannot create a test database");
    let store = db
        .migrated()
        .await
        .expect("cannot migrate the test database");
    let mut settings = Settings {
        database: DatabaseSettings {
            url: db.url().clone(),
        },
        server: ServerSettings {
            bind: "127.0.0.1:0".to_owned(),
            web_dir: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web"),
            public_url: None,
            hsts: false,
        },
        log: LogSettings {
            filter: "warn".to_owned(),
            json: false,
        },
        intake: IntakeSettings {
            max_body_bytes: 64 * 1024,
            // Tests send many requests from one address; the limit has its own test.
            rate_limit_per_minute: 100_000,
            rate_limit_burst: 100_000,
            // A cheap proof of work keeps the tests fast; the checks are the same.
            proof_of_work_cost: 10,
            proof_of_work_secret: None,
        },
        map: MapSettings::default(),
        auth: AuthSettings {
            // Tests sign in many accounts from one address; the limit has its own test.
            address_burst: 100_000,
            ..AuthSettings::default()
        },
    };
    tweak(&mut settings);
    let app = Application::build(&settings, store.clone()).expect("cannot start the app");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        store,
        client: reqwest::Client::new(),
        db,
    }
}

/// The test municipality's one district, around Bro.
pub const BRO: &str = r#"{"type": "Polygon", "coordinates": [[[17.58, 59.49], [17.70, 59.49], [17.70, 59.54], [17.58, 59.54], [17.58, 59.49]]]}"#;

/// Adds a municipality with one area and three surveys: `trygghet-oppen` (open,
/// the definition below), `trygghet-2020` (closed on 2020-11-30) and
/// `trygghet-2099` (opens in 2099).
pub async fn seed_surveys(store: &Store) -> trygg_domain::Survey {
    use trygg_domain::{Area, Municipality, Survey, SurveyInput};
    let m = Municipality::parse("testkommun", "Testkommun", false).expect("municipality");
    store
        .insert_municipality(&m)
        .await
        .expect("insert municipality");
    let geometry: geojson::Geometry = BRO.parse().expect("geometry");
    let area = Area::parse(m.id, "bro", "Bro", &geometry, "").expect("area");
    store.insert_areas(&[area]).await.expect("insert area");
    let place = trygg_domain::NamedPlace::parse(m.id, "Bro centrum", "centre", 17.6335, 59.512, "")
        .expect("place");
    store.insert_places(&[place]).await.expect("insert place");
    let mut open = None;
    for (slug, opens, closes) in [
        ("trygghet-oppen", "2024-01-01", serde_json::Value::Null),
        ("trygghet-2020", "2020-10-01", "2020-11-30".into()),
        ("trygghet-2099", "2099-01-01", serde_json::Value::Null),
    ] {
        let mut definition = survey_definition();
        definition["slug"] = slug.into();
        definition["opens_on"] = opens.into();
        definition["closes_on"] = closes;
        let input: SurveyInput = serde_json::from_value(definition).expect("definition");
        let survey = Survey::parse(input, m.id).expect("survey");
        store.insert_survey(&survey).await.expect("insert survey");
        if slug == "trygghet-oppen" {
            open = Some(survey);
        }
    }
    open.expect("the open survey")
}

/// A small survey with every question kind.
pub fn survey_definition() -> serde_json::Value {
    serde_json::json!({
        "slug": "x", "round": "2024",
        "title": {"sv": "Trygghetsmätning", "en": "Safety survey"},
        "opens_on": "2024-01-01",
        "questions": [
            {"key": "gender", "kind": "single_choice", "background": "gender", "required": true, "text": {"sv": "Kön", "en": "Gender"},
             "options": [{"key": "kvinna", "label": {"sv": "Kvinna"}}, {"key": "man", "label": {"sv": "Man"}}]},
            {"key": "evening_safety", "kind": "single_choice", "scale": true, "text": {"sv": "Hur trygg?"},
             "options": [{"key": "trygg", "label": {"sv": "Trygg"}}, {"key": "otrygg", "label": {"sv": "Otrygg"}},
                         {"key": "vet_ej", "label": {"sv": "Vet ej"}, "dont_know": true}]},
            {"key": "priorities", "kind": "multiple_choice", "max_choices": 2, "text": {"sv": "Prioritera"},
             "options": [{"key": "belysning", "label": {"sv": "Belysning"}}, {"key": "polis", "label": {"sv": "Polis"}}, {"key": "unga", "label": {"sv": "Unga"}}]},
            {"key": "years", "kind": "number", "min": 0, "max": 100, "integer": true, "text": {"sv": "År i området"}},
            {"key": "comment", "kind": "free_text", "max_length": 200, "text": {"sv": "Något mer?"}},
            {"key": "places", "kind": "map", "max_pins": 3, "text": {"sv": "Otrygga platser"},
             "categories": [{"key": "belysning", "label": {"sv": "Belysning"}}, {"key": "grupper", "label": {"sv": "Grupper som stör"}}]}
        ]
    })
}

/// A complete, valid response to [`survey_definition`].
pub fn good_response() -> serde_json::Value {
    serde_json::json!({
        "answers": {"gender": "kvinna", "evening_safety": "otrygg", "priorities": ["unga", "belysning"], "years": 12, "comment": "Mörkt vid stationen"},
        "pins": [
            {"location": [17.6335, 59.512], "category": "grupper", "time_of_day": "evening", "comment": "Stökigt på kvällarna"},
            {"location": {"lon": 17.642, "lat": 59.5075}, "category": "belysning", "time_of_day": "night"}
        ],
        "language": "sv"
    })
}

/// The password of every account [`TestApp::add_staff`] makes.
pub const STAFF_PASSWORD: &str = "rätt häst batteri häftklammer";

/// Hashing with argon2 takes a while, so the tests' accounts share one hash.
fn staff_password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| trygg_server::auth::password::hash(STAFF_PASSWORD).expect("hash"))
}

/// A signed-in staff member's HTTP client: every request carries the session
/// cookie and the CSRF token.
#[derive(Clone)]
pub struct StaffClient {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// `trygg_session=…`.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The account's id.
    pub user_id: String,
    /// Its municipality's id.
    pub municipality_id: String,
    /// Its address.
    pub email: String,
}

impl StaffClient {
    /// A request with the cookie and the CSRF token, to add to and send.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
            .header("Cookie", &self.cookie)
            .header("X-CSRF-Token", &self.csrf_token)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> reqwest::Response {
        request.send().await.expect("the request failed")
    }

    /// `GET` a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    /// `POST` a JSON body.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.send(self.request(reqwest::Method::POST, path).json(body))
            .await
    }

    /// `PUT` a JSON body.
    pub async fn put_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.send(self.request(reqwest::Method::PUT, path).json(body))
            .await
    }

    /// `PATCH` a JSON body.
    pub async fn patch_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.send(self.request(reqwest::Method::PATCH, path).json(body))
            .await
    }

    /// `DELETE` a path.
    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.send(self.request(reqwest::Method::DELETE, path)).await
    }

    /// `method` on a path, with a JSON body when there is one.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(request).await
    }

    /// `PUT` a path without a body.
    pub async fn put(&self, path: &str) -> reqwest::Response {
        self.send(self.request(reqwest::Method::PUT, path)).await
    }

    /// `POST` a path without a body.
    pub async fn post(&self, path: &str) -> reqwest::Response {
        self.send(self.request(reqwest::Method::POST, path)).await
    }

    /// `GET` a path and read the answer as JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        self.get(path).await.json().await.expect("a JSON answer")
    }

    /// `GET /api/v1/admin/session/totp`: a new TOTP secret and its `otpauth://` URL.
    pub async fn totp_setup(&self) -> serde_json::Value {
        self.get_json("/api/v1/admin/session/totp").await
    }

    /// `POST /api/v1/admin/session/totp`: turns TOTP on with `secret` and
    /// `code`, re-authenticating with `current_password` when given.
    pub async fn turn_on_totp(
        &self,
        current_password: Option<&str>,
        secret: &str,
        code: &str,
    ) -> reqwest::Response {
        let mut body = serde_json::json!({"secret": secret, "code": code});
        if let Some(password) = current_password {
            body["current_password"] = password.into();
        }
        self.post_json("/api/v1/admin/session/totp", &body).await
    }

    /// Changes the question `key` of the survey `survey` (an id) with `change`
    /// and saves the definition, as the editor does; the save must succeed.
    pub async fn edit_question(
        &self,
        survey: &str,
        key: &str,
        change: impl FnOnce(&mut serde_json::Value),
    ) {
        let path = format!("/api/v1/admin/surveys/{survey}");
        let mut definition = self.get_json(&path).await["definition"].take();
        let question = definition["questions"]
            .as_array_mut()
            .expect("questions")
            .iter_mut()
            .find(|q| q["key"] == key)
            .unwrap_or_else(|| panic!("no question {key}"));
        change(question);
        let put = self
            .put_json(&path, &serde_json::json!({"definition": definition}))
            .await;
        let status = put.status();
        assert_eq!(status, 200, "{}", put.text().await.unwrap_or_default());
    }
}

/// The string `field` of every object in the JSON array `list`, in order.
pub fn strings<'a>(list: &'a serde_json::Value, field: &str) -> Vec<&'a str> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|item| {
            item[field]
                .as_str()
                .unwrap_or_else(|| panic!("no string {field} in {item}"))
        })
        .collect()
}

/// The JSON body of `response`, which must have the status `status` (else the
/// test fails showing the body).
pub async fn expect_json(response: reqwest::Response, status: u16) -> serde_json::Value {
    let actual = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(actual, status, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The JSON error of `response`, which must have the status `status` and the
/// error code `code`; the body, for checks of its field and message.
pub async fn expect_error(
    response: reqwest::Response,
    status: u16,
    code: &str,
) -> serde_json::Value {
    let body = expect_json(response, status).await;
    assert_eq!(body["error"], code, "{body}");
    body
}

/// The value of the header `name` of `response`, which must have it, as text.
pub fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response.headers()[name]
        .to_str()
        .unwrap_or_else(|e| panic!("the {name} header is not text: {e}"))
}

/// The `name=value` part of the cookie `name` that `response` sets, if it does.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// The TOTP code of the next 30-second step: within the accepted skew, and
/// unused even when the current step's code has just been.
pub fn next_totp_code(secret: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs();
    trygg_server::auth::totp::code_at(secret, now + 30).expect("a TOTP code")
}

/// The cell for `group` of the indicator `key` broken down by `group_by` in a
/// lägesbild as the API answers it (the dashboard's or the public page's).
pub fn indicator_cell(
    lagesbild: &serde_json::Value,
    key: &str,
    group_by: &[&str],
    group: &[&str],
) -> serde_json::Value {
    let table = lagesbild["report"]["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|t| t["key"] == key && t["group_by"] == serde_json::json!(group_by))
        .unwrap_or_else(|| panic!("no indicator {key} by {group_by:?}"));
    table["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["group"] == serde_json::json!(group))
        .unwrap_or_else(|| panic!("no cell {group:?} in {key} by {group_by:?}"))
        .clone()
}

/// The text of the PDF `pdf` as `pdftotext` extracts it with `options` (e.g.
/// `-layout`), so a test reads what a person reading the report would.
///
/// # Panics
/// When `pdftotext` cannot be run: a PDF check must fail rather than pass by
/// being skipped. It comes with poppler-utils, which scripts/test installs.
pub fn pdf_text(pdf: &[u8], options: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("the PDF is written");
    let out = std::process::Command::new("pdftotext")
        .args(options)
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext cannot run ({e}): install poppler-utils (scripts/test does)")
        });
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
