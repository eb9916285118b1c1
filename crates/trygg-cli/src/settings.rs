//! The CLI's settings: what its commands need of `trygg.toml` and the
//! `TRYGG__SECTION__KEY` variables, read from the same places with the same
//! defaults as the server's, so one file configures both. Keys the CLI does not
//! use (the server's listening address, intake limits) are left to the server.

use std::path::Path;

use secrecy::SecretString;
use serde::Deserialize;
use tracing_subscriber::EnvFilter;

/// The settings the commands read.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// The database.
    pub database: DatabaseSettings,
    /// Where people reach the server, for links the CLI writes.
    #[serde(default)]
    pub server: ServerSettings,
    /// Logging.
    pub log: LogSettings,
}

/// Database settings.
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://trygg.db?mode=rwc` (default) or `postgres://user:password@host/db`.
    pub url: SecretString,
}

/// What the CLI needs of the server's settings.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServerSettings {
    /// The address residents reach Trygg at, e.g. `https://trygg.kommun.se`.
    #[serde(default)]
    pub public_url: Option<String>,
}

/// Log settings.
#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    /// `RUST_LOG`-style filter used when `RUST_LOG` is not set.
    pub filter: String,
    /// Write JSON lines instead of text.
    pub json: bool,
}

impl Settings {
    /// Loads settings from defaults, the optional file (default `trygg.toml` in the
    /// current folder, if there) and the environment.
    ///
    /// # Errors
    /// When the file is missing (if named) or a value has the wrong type.
    pub fn load(file: Option<&Path>) -> Result<Self, config::ConfigError> {
        let file_source = match file {
            Some(path) => config::File::from(path).required(true),
            None => config::File::with_name("trygg").required(false),
        };
        config::Config::builder()
            .set_default("database.url", "sqlite://trygg.db?mode=rwc")?
            .set_default("log.filter", "info,sqlx=warn,sea_orm=warn")?
            .set_default("log.json", false)?
            .add_source(file_source)
            .add_source(
                config::Environment::with_prefix("TRYGG")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()
    }
}

/// Installs the global log subscriber (to standard error) once; later calls are no-ops.
pub fn init_logging(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(settings.filter.clone()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _already_set = if settings.json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
