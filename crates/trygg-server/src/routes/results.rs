//! Published results: the public page `/r/{slug}` and its data, no login.
//!
//! `GET /api/v1/results/{slug}` answers the public subset of the round's lägesbild
//! ([`trygg_lagesbild::public::redact`]): suppressed tables, hexagons with enough pins,
//! no pins, no heat surface, no free text. `GET /api/v1/results/{slug}/tables.csv`
//! downloads the same tables (`?dialect=semicolon` for Swedish Excel). A round that is
//! not published answers 404, exactly like one that does not exist.
//!
//! [`Reports`] builds lägesbilder for these routes and the staff dashboard: the store is
//! read on the async threads into compact [`Sources`] kept in memory per round, the
//! computation runs on actix's blocking pool so a large round never stalls other
//! requests, and each filter combination is built once; a round is read again only
//! when the store's stamp of it has changed (checked at most once a minute).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use trygg_domain::{Survey, SurveyId};
use trygg_lagesbild::csv::Dialect;
use trygg_lagesbild::{Lagesbild, LagesbildError, Options, Sources};
use trygg_store::Store;

use crate::error::ApiError;

/// How long read sources are trusted without asking the store whether they changed.
const FRESH_FOR: Duration = Duration::from_secs(60);
/// How many rounds' sources are kept at most.
const ROUNDS: usize = 8;
/// How many built lägesbilder (filter combinations) are kept per round at most.
const KEEP: usize = 64;

/// One round's sources as read, with the lägesbilder built from them.
struct Round {
    stamp: String,
    checked: Instant,
    sources: Arc<Sources>,
    built: HashMap<String, Arc<Lagesbild>>,
}

/// Keeps each round's sources in memory (a few megabytes even at 100,000
/// responses) and the lägesbilder built from them, so the dashboard's first load
/// and every filter after it compute from memory instead of reading the round
/// again. Sources older than [`FRESH_FOR`] are checked against the store's stamp
/// and read again only when it changed.
#[derive(Default)]
pub struct Reports {
    rounds: Mutex<HashMap<SurveyId, Round>>,
    /// Held while a round is read, so that the dashboard's parallel requests
    /// read it once instead of each on its own.
    reading: tokio::sync::Mutex<()>,
}

impl Reports {
    /// The sources of `survey`, read again only when the store has changed.
    ///
    /// # Errors
    /// 503 when the store fails.
    pub async fn sources(&self, store: &Store, survey: &Survey) -> Result<Arc<Sources>, ApiError> {
        if let Some(sources) = self.fresh(survey) {
            return Ok(sources);
        }
        let _reading = self.reading.lock().await;
        // Another request may have read it while this one waited.
        if let Some(sources) = self.fresh(survey) {
            return Ok(sources);
        }
        let stamp = Sources::stamp(store, survey)
            .await
            .map_err(lagesbild_error)?;
        if let Ok(mut rounds) = self.rounds.lock()
            && let Some(round) = rounds.get_mut(&survey.id)
            && round.stamp == stamp
            && round.sources.survey() == survey
        {
            round.checked = Instant::now();
            return Ok(round.sources.clone());
        }
        let sources = Arc::new(
            Sources::read(store, survey)
                .await
                .map_err(lagesbild_error)?,
        );
        if let Ok(mut rounds) = self.rounds.lock() {
            if rounds.len() >= ROUNDS && !rounds.contains_key(&survey.id) {
                let oldest = rounds
                    .iter()
                    .min_by_key(|(_, round)| round.checked)
                    .map(|(id, _)| *id);
                if let Some(oldest) = oldest {
                    rounds.remove(&oldest);
                }
            }
            rounds.insert(
                survey.id,
                Round {
                    stamp,
                    checked: Instant::now(),
                    sources: sources.clone(),
                    built: HashMap::new(),
                },
            );
        }
        Ok(sources)
    }

    /// The kept sources of `survey` if they were checked within [`FRESH_FOR`] and
    /// were read for the survey as it is now: a corrected question text or a new
    /// closing date shows at once.
    fn fresh(&self, survey: &Survey) -> Option<Arc<Sources>> {
        let rounds = self.rounds.lock().ok()?;
        let round = rounds.get(&survey.id)?;
        (round.checked.elapsed() < FRESH_FOR && round.sources.survey() == survey)
            .then(|| round.sources.clone())
    }

    /// The lägesbild of `survey` with `options`, built once per filter combination
    /// from the round's current sources.
    ///
    /// # Errors
    /// 422 for a filter naming no option; 503 when the store fails.
    pub async fn get(
        &self,
        store: &Store,
        survey: &Survey,
        options: Options,
    ) -> Result<Arc<Lagesbild>, ApiError> {
        let sources = self.sources(store, survey).await?;
        let key = format!("{options:?}");
        let built = |rounds: &HashMap<SurveyId, Round>| {
            rounds
                .get(&survey.id)
                .filter(|round| Arc::ptr_eq(&round.sources, &sources))
                .and_then(|round| round.built.get(&key).cloned())
        };
        if let Ok(rounds) = self.rounds.lock()
            && let Some(report) = built(&rounds)
        {
            return Ok(report);
        }
        let from = sources.clone();
        let report = Arc::new(blocking(move || from.build(&options)).await?);
        if let Ok(mut rounds) = self.rounds.lock()
            && let Some(round) = rounds.get_mut(&survey.id)
            && Arc::ptr_eq(&round.sources, &sources)
        {
            if round.built.len() >= KEEP {
                round.built.clear();
            }
            round.built.insert(key, report.clone());
        }
        Ok(report)
    }
}

/// Runs `work` on the blocking pool and maps its error.
///
/// # Errors
/// The work's [`LagesbildError`] as an [`ApiError`], or 500 if the pool fails.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, LagesbildError> + Send + 'static,
) -> Result<T, ApiError> {
    web::block(work)
        .await
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("blocking pool: {e}")))?
        .map_err(lagesbild_error)
}

/// Runs an export renderer on the blocking pool.
///
/// # Errors
/// 500 if rendering fails.
pub async fn render<E: std::fmt::Display + Send + 'static>(
    work: impl FnOnce() -> Result<Vec<u8>, E> + Send + 'static,
) -> Result<Vec<u8>, ApiError> {
    web::block(work)
        .await
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("blocking pool: {e}")))?
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("export failed: {e}")))
}

/// A lägesbild error as HTTP: a bad filter is the client's, the rest is ours.
pub fn lagesbild_error(e: LagesbildError) -> ApiError {
    match e {
        LagesbildError::Filter { field, message } => ApiError::Client {
            status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_filter",
            field: Some(field.to_owned()),
            message,
        },
        LagesbildError::Store(e) => e.into(),
        other => ApiError::Unexpected(other.into()),
    }
}

/// A file download.
pub fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type.to_owned()))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(bytes)
}

/// Registers the public results routes (under `/api/v1`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/results/{slug}")
            .route(web::get().to(public_results))
            .default_service(web::to(super::surveys::only_get)),
    )
    .service(
        web::resource("/results/{slug}/tables.csv")
            .route(web::get().to(public_tables_csv))
            .default_service(web::to(super::surveys::only_get)),
    );
}

async fn published(store: &Store, slug: &str) -> Result<Survey, ApiError> {
    store
        .published_survey(slug)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no published results `{slug}`")))
}

/// `GET /api/v1/results/{slug}`: the public lägesbild.
#[utoipa::path(
    get,
    path = "/api/v1/results/{slug}",
    tag = "results",
    params(("slug" = String, Path, description = "The round's slug")),
    responses(
        (status = 200, description = "The published lägesbild: suppressed tables, hexagons of at least 5 pins, no pins, no free text"),
        (status = 404, description = "No published results under this slug", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn public_results(
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let survey = published(&store, &slug).await?;
    let report = reports.get(&store, &survey, Options::default()).await?;
    let public = trygg_lagesbild::public::redact((*report).clone());
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "public, max-age=60"))
        .json(public))
}

/// Query of the public CSV.
#[derive(Deserialize)]
pub struct CsvQuery {
    /// `semicolon` for Swedish Excel; comma otherwise.
    dialect: Option<String>,
}

// The query is read as text and parsed here, so that any other value gets the
// one JSON error shape; this type only names the dialects.
/// The CSV dialect: `comma`, or `semicolon` with decimal commas for Swedish Excel.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
enum CsvDialect {
    Comma,
    Semicolon,
}

impl CsvDialect {
    fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        match raw {
            // Empty is "not chosen", as a form with the field left blank sends it.
            None | Some("" | "comma") => Ok(Self::Comma),
            Some("semicolon") => Ok(Self::Semicolon),
            Some(other) => Err(ApiError::Client {
                status: actix_web::http::StatusCode::BAD_REQUEST,
                code: "invalid_query",
                field: Some("dialect".to_owned()),
                message: format!("dialect must be `comma` or `semicolon`, not `{other}`"),
            }),
        }
    }

    const fn dialect(self) -> Dialect {
        match self {
            Self::Comma => Dialect::Comma,
            Self::Semicolon => Dialect::Semicolon,
        }
    }
}

/// `GET /api/v1/results/{slug}/tables.csv`: the public tables.
#[utoipa::path(
    get,
    path = "/api/v1/results/{slug}/tables.csv",
    tag = "results",
    params(
        ("slug" = String, Path, description = "The round's slug"),
        ("dialect" = inline(Option<CsvDialect>), Query, description = "`comma` (default) or `semicolon` with decimal commas for Swedish Excel"),
    ),
    responses(
        (status = 200, description = "The public tables as CSV, UTF-8 with a BOM"),
        (status = 400, description = "An unknown dialect", body = crate::api_doc::Error),
        (status = 404, description = "No published results under this slug", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn public_tables_csv(
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    slug: web::Path<String>,
    query: web::Query<CsvQuery>,
) -> Result<HttpResponse, ApiError> {
    let dialect = CsvDialect::parse(query.dialect.as_deref())?.dialect();
    let survey = published(&store, &slug).await?;
    let report = reports.get(&store, &survey, Options::default()).await?;
    let public = trygg_lagesbild::public::redact((*report).clone());
    let bytes = render(move || trygg_lagesbild::csv::tables(&public, dialect)).await?;
    Ok(download(
        bytes,
        "text/csv; charset=utf-8",
        &format!("lagesbild-{}.csv", survey.slug),
    ))
}
