//! The `trygg` binary as a person runs it, on SQLite by default and on
//! PostgreSQL when `TRYGG_TEST_DATABASE_URL` points at one.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod areas;
mod bad_text;
mod crime;
mod demo;
mod hotspots;
mod import;
mod intake;
mod invitations;
mod lagesbild;
mod pipe;
mod plan;
mod report;
mod retention;
mod serve;
mod users;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use trygg_store::testing::TestDatabase;

/// A test's own database and working folder, with the binary pointed at them.
struct Env {
    db: TestDatabase,
    dir: tempfile::TempDir,
}

impl Env {
    async fn new() -> Self {
        Self {
            db: TestDatabase::create().await.unwrap(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trygg"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("TRYGG__DATABASE__URL", self.db.url_text())
            .env("RUST_LOG", "warn")
            .env_remove("TRYGG_MUNICIPALITY");
        command
    }

    /// Runs `trygg ARGS` to the end.
    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs `trygg ARGS` and insists that it succeeds.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "trygg {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Writes a file into the working folder and returns its path.
    fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// A municipality with the demo districts and the fixture survey.
    fn with_survey(&self) {
        self.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
        self.ok(&["areas", "import", demo_areas().to_str().unwrap()]);
        self.ok(&["survey", "import", fixture("survey.json").to_str().unwrap()]);
    }

    /// Runs a query answering one integer column `n` on the test's database.
    async fn scalar(&self, sql: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let store = self.db.connect().await.unwrap();
        let db = store.connection();
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .unwrap()
            .unwrap();
        let n = row.try_get::<i64>("", "n").unwrap();
        store.close().await.unwrap();
        n
    }

    async fn finish(self) {
        self.db.drop_database().await.unwrap();
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/fixtures")
        .join(name)
}

fn demo_areas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../trygg-cli/src/demo/areas.geojson")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
