//! Connecting to SQLite or PostgreSQL, chosen by the URL.

use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgSslMode};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use secrecy::{ExposeSecret, SecretString};

use crate::StoreError;

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default.
    Sqlite,
    /// The production database.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, if it is one Trygg supports.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// Opens a pool. SQLite gets WAL, `synchronous=FULL` (an acknowledged answer is on
/// disk, not only in the WAL's page cache), foreign keys, a busy timeout, so
/// concurrent writers wait instead of failing with "database is locked", and
/// `secure_delete`, so deleted rows leave no text behind in the file.
pub(crate) async fn open(url: &SecretString) -> Result<(DatabaseConnection, Backend), StoreError> {
    let raw = url.expose_secret();
    let backend = Backend::of_url(raw).ok_or_else(|| StoreError::Conflict {
        field: "database.url".to_owned(),
        message: "must start with sqlite: or postgres://".to_owned(),
    })?;
    let mut options = ConnectOptions::new(raw.to_owned());
    // A request waits at most 3 s for a connection, so while the database is
    // down clients get a quick 503 instead of a hang.
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(3));
    match backend {
        Backend::Sqlite => {
            options.max_connections(4).map_sqlx_sqlite_opts(|opts| {
                opts.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // Deleted text is overwritten with zeros rather than left
                    // in free space, so retention really deletes it.
                    .pragma("secure_delete", "ON")
            });
        }
        Backend::Postgres => {
            options.max_connections(10);
            if !names_ssl_mode(raw) {
                options.map_sqlx_postgres_opts(plain_on_loopback);
            }
        }
    }
    Ok((Database::connect(options).await?, backend))
}

/// Whether the URL or the environment chooses the TLS mode itself.
fn names_ssl_mode(url: &str) -> bool {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    std::env::var_os("PGSSLMODE").is_some()
        || query.split('&').any(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            name.eq_ignore_ascii_case("sslmode") || name.eq_ignore_ascii_case("ssl-mode")
        })
}

/// No TLS to a PostgreSQL on this machine, unless the URL asks for it.
///
/// TLS over loopback protects nothing (whoever can read it is root here), and
/// sqlx 0.9.0 leaves Nagle's algorithm on and sends each TLS record (at most
/// 16 KiB) in its own write: every statement longer than one record, such as
/// a batch of answers, then waits ~40 ms for PostgreSQL's delayed ACK. On the
/// intake benchmark that was most of a request's time: p50 at 200/s went from
/// 56 to 17 ms, and full speed from 613 to 1,166 accepted/s.
fn plain_on_loopback(options: PgConnectOptions) -> PgConnectOptions {
    let host = options.get_host().trim_matches(['[', ']']);
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        options.ssl_mode(PgSslMode::Disable)
    } else {
        options
    }
}
