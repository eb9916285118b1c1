//! Support for end-to-end tests: [`spawn_app`] runs Trygg in-process on a random
//! port over a fresh, migrated database of the configured backend.

#![expect(clippy::expect_used, reason = "test support fails loudly")]

use trygg_server::config::{DatabaseSettings, LogSettings, ServerSettings};
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
    let db = TestDatabase::create()
        .await
        .expect("cannot create a test database");
    let store = db
        .migrated()
        .await
        .expect("cannot migrate the test database");
    let settings = Settings {
        database: DatabaseSettings {
            url: db.url().clone(),
        },
        server: ServerSettings {
            bind: "127.0.0.1:0".to_owned(),
            web_dir: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web"),
        },
        log: LogSettings {
            filter: "warn".to_owned(),
            json: false,
        },
    };
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
