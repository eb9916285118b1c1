//! Typed settings: built-in defaults, then an optional `trygg.toml`, then
//! `TRYGG__SECTION__KEY` environment variables.

use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

/// Everything Trygg can be configured with.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Where the data lives.
    pub database: DatabaseSettings,
    /// How the HTTP server listens.
    pub server: ServerSettings,
    /// How logs are written.
    pub log: LogSettings,
    /// How residents' responses are taken in.
    pub intake: IntakeSettings,
    /// The background map, if any.
    #[serde(default)]
    pub map: MapSettings,
    /// Staff sign-in and sessions.
    #[serde(default)]
    pub auth: AuthSettings,
}

/// Staff sign-in: session timeouts, the cookie and the limits on guessing.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AuthSettings {
    /// A session unused this long ends.
    pub idle_timeout_minutes: u32,
    /// A session ends this long after sign-in, however active.
    pub absolute_timeout_hours: u32,
    /// Mark the session cookie `Secure` and name it with the `__Host-` prefix
    /// (so no subdomain can set or shadow it), even on plain HTTP: set this
    /// in production, behind a TLS-terminating proxy too. Without it, requests
    /// that arrive over HTTPS still get `Secure`.
    pub secure_cookie: bool,
    /// Sign-in attempts for one address at once before it is locked out.
    pub account_burst: u32,
    /// After the burst, one more attempt per account each this many seconds.
    pub account_period_secs: u64,
    /// Attempts for one account before each further one is slowed down.
    pub slow_after: u32,
    /// How long a slowed attempt waits before it is answered.
    pub slow_delay_ms: u64,
    /// Sign-in attempts from one client address at once before it is refused.
    pub address_burst: u32,
    /// After the burst, one more attempt per client address each this many seconds.
    pub address_period_secs: u64,
    /// Key that signs device cookies (a browser that signed in to an account
    /// before keeps trying past a stranger's lock-out of that account).
    /// Without one, each start of Trygg makes its own, so after a restart
    /// every browser counts as new until it signs in again.
    pub device_cookie_secret: Option<SecretString>,
    /// How long a device cookie is kept by the browser.
    pub device_cookie_days: u32,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            idle_timeout_minutes: 30,
            absolute_timeout_hours: 12,
            secure_cookie: false,
            account_burst: 10,
            account_period_secs: 60,
            slow_after: 3,
            slow_delay_ms: 1000,
            address_burst: 30,
            address_period_secs: 10,
            device_cookie_secret: None,
            device_cookie_days: 90,
        }
    }
}

/// An optional background tile layer for maps. Without one, maps show the
/// municipality's areas and named places only, which works offline.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct MapSettings {
    /// Tile URL template, e.g. `https://tiles.example.org/{z}/{x}/{y}.png`; its
    /// host is added to the Content-Security-Policy's `img-src`.
    pub tile_url: Option<String>,
    /// Attribution the tile provider requires, shown on the map.
    pub attribution: Option<String>,
}

impl MapSettings {
    /// The scheme and host of the tile URL, for the Content-Security-Policy.
    pub fn tile_origin(&self) -> Option<String> {
        let url = self.tile_url.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        let host = rest.split('/').next()?;
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '{' | '}'));
        (matches!(scheme, "https" | "http") && host_ok)
            .then(|| format!("{scheme}://{}", host.replace("{s}", "*")))
    }
}

/// Limits on the resident intake API.
#[derive(Debug, Clone, Deserialize)]
pub struct IntakeSettings {
    /// Largest request body in bytes (larger answers 413).
    pub max_body_bytes: usize,
    /// Responses one client address may send per minute, on average.
    pub rate_limit_per_minute: u32,
    /// Responses one client address may send at once before the rate applies.
    pub rate_limit_burst: u32,
    /// PBKDF2 iterations per attempt of the proof of work that a survey may ask
    /// for; at the default a phone needs about a second to find a solution.
    pub proof_of_work_cost: u32,
    /// Key that signs proof-of-work challenges. Without one, each start of
    /// Trygg makes its own, so challenges handed out before a restart are
    /// refused after it; servers that share one database need the same key.
    #[serde(default)]
    pub proof_of_work_secret: Option<SecretString>,
}

/// Database settings.
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://trygg.db?mode=rwc` (default) or `postgres://user:password@host/db`.
    /// A secret, so `Debug` output and logs never show a password.
    pub url: SecretString,
}

/// HTTP server settings.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    /// Address to listen on; port 0 picks a free port.
    pub bind: String,
    /// Folder holding the web frontend (`web/`).
    pub web_dir: PathBuf,
    /// The address residents and staff reach Trygg at, e.g.
    /// `https://trygg.kommun.se`: the only source of absolute links
    /// (invitation letters, the Atom feed), never a request's `Host` header.
    /// Without it, links point at the address Trygg listens on.
    #[serde(default)]
    pub public_url: Option<String>,
    /// Send `Strict-Transport-Security: max-age=31536000` with every answer,
    /// so browsers use HTTPS only. Set it only when Trygg is served over HTTPS.
    #[serde(default)]
    pub hsts: bool,
}

pub use trygg_lagesbild::PublicUrl;

/// Log settings.
#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    /// `RUST_LOG`-style filter used when `RUST_LOG` is not set.
    pub filter: String,
    /// Write JSON lines (for production log collectors) instead of text.
    pub json: bool,
}

/// The repository's `web/` folder, found from this crate's source location so a
/// fresh clone runs without configuration. Installed builds set `server.web_dir`.
fn default_web_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web")
}

impl Settings {
    /// Loads settings from defaults, the optional file and the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, config::ConfigError> {
        let file_source = match file {
            Some(path) => config::File::from(path).required(true),
            None => config::File::with_name("trygg").required(false),
        };
        config::Config::builder()
            .set_default("database.url", "sqlite://trygg.db?mode=rwc")?
            .set_default("server.bind", "127.0.0.1:8080")?
            .set_default(
                "server.web_dir",
                default_web_dir().to_string_lossy().as_ref(),
            )?
            .set_default("log.filter", "info,sqlx=warn,sea_orm=warn")?
            .set_default("log.json", false)?
            .set_default("intake.max_body_bytes", 64 * 1024)?
            .set_default("intake.rate_limit_per_minute", 30)?
            .set_default("intake.rate_limit_burst", 20)?
            .set_default("intake.proof_of_work_cost", 5000)?
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
