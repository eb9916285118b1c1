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
mod events;
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

    /// Runs `trygg ARGS` and insists that it fails; its standard error.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "trygg {args:?} succeeded");
        stderr(&out)
    }

    /// Runs `trygg KIND import --survey SURVEY FILE` (KIND `responses` or `pins`).
    fn import(&self, kind: &str, survey: &str, file: &Path) -> Output {
        self.run(&[kind, "import", "--survey", survey, file.to_str().unwrap()])
    }

    /// [`Env::import`], insisting that it fails; its standard error.
    fn import_fails(&self, kind: &str, survey: &str, file: &Path) -> String {
        self.fails(&[kind, "import", "--survey", survey, file.to_str().unwrap()])
    }

    /// [`Env::import`], insisting that it succeeds; its output.
    fn import_ok(&self, kind: &str, survey: &str, file: &Path) -> String {
        self.ok(&[kind, "import", "--survey", survey, file.to_str().unwrap()])
    }

    /// Runs `trygg export KIND --survey SURVEY --format FORMAT`, insisting that it
    /// succeeds; what it printed.
    fn export(&self, kind: &str, survey: &str, format: &str) -> String {
        self.ok(&["export", kind, "--survey", survey, "--format", format])
    }

    /// Writes `survey` to the file `name` and imports it.
    fn import_survey(&self, name: &str, survey: &serde_json::Value) {
        let file = self.file(name, &survey.to_string());
        self.ok(&["survey", "import", file.to_str().unwrap()]);
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

    /// The rows `sql` answers on the test's database.
    async fn query(&self, sql: &str) -> Vec<sea_orm::QueryResult> {
        use sea_orm::{ConnectionTrait, Statement};
        let store = self.db.connect().await.unwrap();
        let db = store.connection();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .unwrap();
        store.close().await.unwrap();
        rows
    }

    /// Runs a query answering one integer column `n` on the test's database.
    async fn scalar(&self, sql: &str) -> i64 {
        let rows = self.query(sql).await;
        let row = rows.first().expect("a row");
        row.try_get::<i64>("", "n").unwrap()
    }

    /// The number of rows in `table`.
    async fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .await
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

/// The fixture survey `kvallsenkat-2024`, to change before importing it.
fn fixture_survey() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("survey.json")).unwrap()).unwrap()
}

fn demo_areas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../trygg-cli/src/demo/areas.geojson")
}

/// The first URL a `trygg serve` prints on `stdout`, as printed.
fn printed_url(stdout: std::process::ChildStdout) -> String {
    use std::io::{BufRead, BufReader};
    BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split_whitespace()
                .find(|w| w.starts_with("http://"))
                .map(ToOwned::to_owned)
        })
        .expect("serve printed no URL")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
