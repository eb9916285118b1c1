//! Published results: the public page `/r/{slug}` and its data, no login.
//!
//! `GET /api/v1/results/{slug}` answers the public subset of the round's lägesbild
//! ([`trygg_lagesbild::public::redact`]): suppressed tables, hexagons with enough pins,
//! no pins, no heat surface, no free text. `GET /api/v1/results/{slug}/tables.csv`
//! downloads the same tables (`?dialect=semicolon` for Swedish Excel). Both serve the
//! snapshot stored when the round was published
//! ([`trygg_lagesbild::publish`]), never a recomputation, so later data changes no
//! public figure. A round that is not published answers 404, exactly like one that
//! does not exist.
//!
//! The staff routes build their lägesbilder through [`trygg_lagesbild::Reports`],
//! which keeps each round's sources and built lägesbilder in memory.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use trygg_domain::{ErrorCode, Survey};
use trygg_lagesbild::csv::Dialect;
use trygg_lagesbild::{Export, LagesbildError};
use trygg_store::Store;

use crate::error::ApiError;
use crate::routes::{Answer, Db, Id, resource};

impl From<LagesbildError> for ApiError {
    fn from(e: LagesbildError) -> Self {
        lagesbild_error(e)
    }
}

/// A lägesbild error as HTTP: a bad filter is the client's, the rest is ours.
pub fn lagesbild_error(e: LagesbildError) -> ApiError {
    match e {
        LagesbildError::Filter { field, message } => ApiError::Client {
            status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::InvalidFilter,
            field: Some(field.to_owned()),
            message,
        },
        LagesbildError::Store(e) => e.into(),
        other => ApiError::Unexpected(other.into()),
    }
}

/// An export as a file download.
pub fn download_export(export: Export) -> HttpResponse {
    download(export.bytes, export.content_type, &export.file_name)
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
    cfg.service(resource("/results/{slug}").get(public_results))
        .service(resource("/results/{slug}/tables.csv").get(public_tables_csv));
}

async fn published(store: &Store, slug: &str) -> Result<(Survey, trygg_store::Snapshot), ApiError> {
    store
        .published_release(slug)
        .await?
        .map(|(survey, _, snapshot)| (survey, snapshot))
        .ok_or_else(|| ApiError::not_found(format!("no published results `{slug}`")))
}

/// `GET /api/v1/results/{slug}`: the public lägesbild as published.
#[utoipa::path(get, path = "/api/v1/results/{slug}", tag = "results",
    params(("slug" = String, Path, description = "The round's slug")),
    responses(
        (status = 200, description = "The published lägesbild as it was published (`publication`: first published on, updated on, version): suppressed tables, hexagons of at least 5 pins, no pins, no free text"),
        (status = 404, description = "No published results under this slug", body = crate::api_doc::Error),
    )
)]
pub async fn public_results(store: Db, slug: Id) -> Answer {
    let (_, snapshot) = published(&store, &slug).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "public, max-age=60"))
        .content_type("application/json")
        .body(snapshot.results_json))
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
                code: ErrorCode::InvalidQuery,
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
#[utoipa::path(get, path = "/api/v1/results/{slug}/tables.csv", tag = "results",
    params(
        ("slug" = String, Path, description = "The round's slug"),
        ("dialect" = inline(Option<CsvDialect>), Query, description = "`comma` (default) or `semicolon` with decimal commas for Swedish Excel"),
    ),
    responses(
        (status = 200, description = "The public tables as published, as CSV, UTF-8 with a BOM"),
        (status = 400, description = "An unknown dialect", body = crate::api_doc::Error),
        (status = 404, description = "No published results under this slug", body = crate::api_doc::Error),
    )
)]
pub async fn public_tables_csv(store: Db, slug: Id, query: web::Query<CsvQuery>) -> Answer {
    let dialect = CsvDialect::parse(query.dialect.as_deref())?.dialect();
    let (survey, snapshot) = published(&store, &slug).await?;
    let bytes = match dialect {
        Dialect::Comma => snapshot.tables_csv,
        Dialect::Semicolon => snapshot.tables_csv_semicolon,
    }
    .into_bytes();
    Ok(download(
        bytes,
        "text/csv; charset=utf-8",
        &format!("lagesbild-{}.csv", survey.slug),
    ))
}
