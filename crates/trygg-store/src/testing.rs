//! Fresh databases for tests, on the backend `TRYGG_TEST_DATABASE_URL` names:
//! a temporary SQLite file by default, or a new, uniquely named PostgreSQL
//! database per test, so tests never see each other's rows.

use sea_orm::{ConnectionTrait, Database};
use secrecy::{ExposeSecret, SecretString};

use crate::{Backend, Store, StoreError};

/// The variable that chooses the test backend.
pub const TEST_DATABASE_URL: &str = "TRYGG_TEST_DATABASE_URL";
/// Prefix of every PostgreSQL database the tests create, so leftovers can be found.
pub const TEST_DATABASE_PREFIX: &str = "trygg_test_";

/// One test's own database.
#[derive(Debug)]
pub struct TestDatabase {
    url: SecretString,
    backend: Backend,
    /// Keeps the SQLite file's folder alive for the test's lifetime.
    _dir: Option<tempfile::TempDir>,
    admin_url: Option<String>,
    name: String,
}

impl TestDatabase {
    /// Creates an empty database on the configured backend.
    pub async fn create() -> Result<Self, StoreError> {
        let configured = std::env::var(TEST_DATABASE_URL).unwrap_or_default();
        let name = format!("{TEST_DATABASE_PREFIX}{}", uuid::Uuid::now_v7().simple());
        match Backend::of_url(&configured) {
            Some(Backend::Postgres) => {
                let admin = Database::connect(configured.as_str()).await?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await?;
                admin.close().await?;
                let (base, _) = configured
                    .rsplit_once('/')
                    .unwrap_or((configured.as_str(), ""));
                Ok(Self {
                    url: SecretString::from(format!("{base}/{name}")),
                    backend: Backend::Postgres,
                    _dir: None,
                    admin_url: Some(configured),
                    name,
                })
            }
            _ => {
                let dir = tempfile::tempdir().map_err(StoreError::corrupt)?;
                let path = dir.path().join("trygg.db");
                Ok(Self {
                    url: SecretString::from(format!("sqlite://{}?mode=rwc", path.display())),
                    backend: Backend::Sqlite,
                    _dir: Some(dir),
                    admin_url: None,
                    name,
                })
            }
        }
    }

    /// The database's URL.
    pub fn url(&self) -> &SecretString {
        &self.url
    }

    /// The database's URL as text, e.g. to hand to a child process.
    pub fn url_text(&self) -> &str {
        self.url.expose_secret()
    }

    /// Which backend this is.
    pub const fn backend(&self) -> Backend {
        self.backend
    }

    /// A store on this database, with nothing migrated.
    pub async fn connect(&self) -> Result<Store, StoreError> {
        Store::connect(&self.url).await
    }

    /// A store on this database with every migration applied.
    pub async fn migrated(&self) -> Result<Store, StoreError> {
        let store = self.connect().await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Drops a PostgreSQL test database (SQLite files go with their folder).
    pub async fn drop_database(self) -> Result<(), StoreError> {
        if let Some(admin_url) = &self.admin_url {
            let admin = Database::connect(admin_url.as_str()).await?;
            admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.name
                ))
                .await?;
            admin.close().await?;
        }
        Ok(())
    }
}

/// Every UUID held in any UUID column of `store`'s tables, as
/// `("table.column", id)`, so a test can see every id a write made.
pub async fn stored_ids(
    store: &Store,
) -> Result<std::collections::BTreeSet<(String, uuid::Uuid)>, StoreError> {
    let db = store.connection();
    let backend = db.get_database_backend();
    let columns_sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND lower(p.type) LIKE '%uuid%'"
        }
        Backend::Postgres => {
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns
             WHERE table_schema = 'public' AND data_type = 'uuid'"
        }
    };
    let mut ids = std::collections::BTreeSet::new();
    for row in db
        .query_all_raw(sea_orm::Statement::from_string(backend, columns_sql))
        .await?
    {
        let table: String = row.try_get("", "t")?;
        let column: String = row.try_get("", "c")?;
        let values = db
            .query_all_raw(sea_orm::Statement::from_string(
                backend,
                format!("SELECT \"{column}\" AS v FROM \"{table}\" WHERE \"{column}\" IS NOT NULL"),
            ))
            .await?;
        for value in values {
            ids.insert((format!("{table}.{column}"), value.try_get("", "v")?));
        }
    }
    Ok(ids)
}
