//! The analysts' lägesbild under `/api/v1/admin/surveys/{id}/lagesbild`.
//!
//! - `GET …/lagesbild` (ReadResults): the [`Lagesbild`](trygg_lagesbild::Lagesbild) as
//!   JSON with the publication state; query `area`, `gender`, `age_band`, `category`,
//!   `time_of_day`, `weighted`, `compare`.
//! - `GET …/lagesbild/pins` (ReadResults): positions, categories and times of the pins
//!   for the dashboard's clustered map, no comments; above 5,000 pins their counts per
//!   H3 cell instead.
//! - `GET …/lagesbild/heat.png` (ReadResults): the heat surface as a picture.
//! - `GET …/lagesbild/export?format=xlsx|csv|csv_semicolon|pdf|cells|hotspots`
//!   (ExportResults): the exports, made on the blocking pool.
//! - `GET …/lagesbild/pins.geojson` (ExportPins): the pins as a GIS file; a partner
//!   (police) may read results but is refused this file.
//! - `PUT …/publication` / `DELETE …/publication` (PublishResults): publish or withdraw
//!   the public results page `/r/{slug}`.
//!
//! Another municipality's survey answers 404.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use trygg_domain::{CommentSource, Permission, Survey, SurveyId};
use trygg_lagesbild::csv::Dialect;
use trygg_lagesbild::{Filters, Lagesbild, Options};
use trygg_store::Store;
use uuid::Uuid;

use crate::auth::Staff;
use crate::error::ApiError;
use crate::routes::results::{Reports, blocking, download, lagesbild_error, render};
use crate::routes::surveys::only_get;

/// Registers the routes in the `/admin` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/surveys/{id}/lagesbild")
            .route(web::get().to(lagesbild))
            .default_service(web::to(only_get)),
    )
    .service(
        web::resource("/surveys/{id}/lagesbild/pins")
            .route(web::get().to(pins))
            .default_service(web::to(only_get)),
    )
    .service(
        web::resource("/surveys/{id}/lagesbild/heat.png")
            .route(web::get().to(heat))
            .default_service(web::to(only_get)),
    )
    .service(
        web::resource("/surveys/{id}/lagesbild/export")
            .route(web::get().to(export))
            .default_service(web::to(only_get)),
    )
    .service(
        web::resource("/surveys/{id}/lagesbild/pins.geojson")
            .route(web::get().to(pins_geojson))
            .default_service(web::to(only_get)),
    )
    .service(
        web::resource("/surveys/{id}/publication")
            .route(web::put().to(publish))
            .route(web::delete().to(unpublish)),
    );
}

/// The dashboard's filters and options.
#[derive(Debug, Default, Deserialize)]
pub struct Query {
    area: Option<String>,
    gender: Option<String>,
    age_band: Option<String>,
    category: Option<String>,
    time_of_day: Option<String>,
    #[serde(default)]
    weighted: bool,
    compare: Option<String>,
    format: Option<String>,
}

impl Query {
    fn options(&self) -> Options {
        let keep = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        Options {
            filters: Filters {
                area: keep(&self.area),
                gender: keep(&self.gender),
                age_band: keep(&self.age_band),
                category: keep(&self.category),
                time_of_day: keep(&self.time_of_day),
            },
            weighted: self.weighted,
            compare_with: keep(&self.compare),
            ..Options::default()
        }
    }
}

async fn survey(store: &Store, staff: &Staff, id: &str) -> Result<Survey, ApiError> {
    let not_found = || ApiError::not_found(format!("no survey `{id}`"));
    let uuid = Uuid::parse_str(id).map_err(|_| not_found())?;
    store
        .survey_in(staff.municipality_id(), SurveyId::from_uuid(uuid))
        .await?
        .ok_or_else(not_found)
}

#[derive(Serialize)]
struct Dashboard<'a> {
    #[serde(flatten)]
    lagesbild: &'a Lagesbild,
    published_on: Option<String>,
    permissions: Vec<&'static str>,
    /// Residents' comments a moderator has approved (as written) or redacted (as
    /// edited), of the respondents (and pin category) the filters keep; pending
    /// and rejected ones never reach the dashboard.
    comments: Vec<CommentDto>,
    /// Safety-walk findings for the map's walk layer, of walks in the area filtered
    /// by. Staff only: they are not part of the lägesbild value, so neither the
    /// exports nor the public page carry them.
    findings: Vec<FindingDto>,
}

/// A safety-walk finding on the dashboard's map.
#[derive(Serialize)]
struct FindingDto {
    lon: f64,
    lat: f64,
    /// `lighting`, `vegetation`, …
    category: &'static str,
    /// `reported`, `planned`, `fixed` or `wont_fix`.
    status: &'static str,
    note: String,
    responsible: String,
    walk: String,
    walked_on: String,
    area: String,
}

/// The municipality's walk findings, only those of walks in `area` when given.
async fn findings(
    store: &Store,
    staff: &Staff,
    area: Option<&str>,
) -> Result<Vec<FindingDto>, ApiError> {
    let walks = store.walks(staff.municipality_id()).await?;
    Ok(store
        .findings(staff.municipality_id(), None)
        .await?
        .into_iter()
        .filter_map(|f| {
            let walk = walks.iter().find(|w| w.id == f.walk_id)?;
            if area.is_some_and(|a| a != walk.area_code.as_str()) {
                return None;
            }
            Some(FindingDto {
                lon: f.location.lon(),
                lat: f.location.lat(),
                category: f.category.as_str(),
                status: f.status.as_str(),
                note: f.note,
                responsible: f.responsible,
                walk: walk.title.clone(),
                walked_on: walk.walked_on.to_string(),
                area: walk.area_code.to_string(),
            })
        })
        .collect())
}

/// A moderated comment on the dashboard.
#[derive(Serialize)]
struct CommentDto {
    /// `pin_comment`, `free_text` or `place_comment`.
    source: &'static str,
    /// The approved or redacted text.
    text: String,
    /// The pin's category or the free-text question's key.
    context: String,
    /// The area a pin lies in, if known.
    area: Option<String>,
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{id}/lagesbild",
    tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),
    ),
    responses(
        (status = 200, description = "The lägesbild with its publication, the role's export permissions and the moderated comments"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A filter names no option", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn lagesbild(
    staff: Staff,
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    id: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let survey = survey(&store, &staff, &id).await?;
    let options = query.options();
    let filters = options.filters.clone();
    let report = reports.get(&store, &survey, options).await?;
    let published_on = store.published_on(&survey).await?.map(|d| d.to_string());
    // The comments follow the filters like the rest of the page: only those of
    // the respondents kept, and of pins only those of the category chosen.
    let kept = reports
        .sources(&store, &survey)
        .await?
        .kept_responses(&filters)
        .map_err(lagesbild_error)?;
    // Only through `public_comments`, so an unmoderated comment cannot leak here.
    let comments = store
        .public_comments(&survey)
        .await?
        .into_iter()
        .filter(|c| {
            kept.as_ref()
                .is_none_or(|kept| c.response_id.is_some_and(|id| kept.contains(&id)))
        })
        .filter(|c| {
            c.source != CommentSource::PinComment
                || filters.category.as_ref().is_none_or(|k| &c.context == k)
        })
        .map(|c| CommentDto {
            source: c.source.as_str(),
            text: c.text,
            context: c.context,
            area: c.area_code,
        })
        .collect();
    let findings = findings(&store, &staff, filters.area.as_deref()).await?;
    let permissions = [
        Permission::ExportResults,
        Permission::ExportPins,
        Permission::PublishResults,
    ]
    .into_iter()
    .filter(|p| staff.role().allows(*p))
    .map(Permission::as_str)
    .collect();
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(Dashboard {
            lagesbild: &report,
            published_on,
            permissions,
            comments,
            findings,
        }))
}

/// Above this many pins the map gets them grouped by H3 cell: a browser draws
/// five thousand markers smoothly, not three hundred thousand.
const PINS_SHOWN: usize = 5_000;

/// The pins of the dashboard's map.
#[derive(Serialize)]
struct MapPins {
    /// How many pins the filters keep.
    total: usize,
    /// Each pin, when there are at most [`PINS_SHOWN`]; otherwise empty.
    pins: Vec<PinDto>,
    /// Otherwise the pins grouped by H3 cell (resolution 9), at the cell's centre.
    groups: Vec<PinGroup>,
}

#[derive(Serialize)]
struct PinDto {
    lon: f64,
    lat: f64,
    category: String,
    time: &'static str,
}

#[derive(Serialize)]
struct PinGroup {
    lon: f64,
    lat: f64,
    count: usize,
}

/// The pins, one by one or grouped by cell when there are many.
fn map_pins(pins: &[&trygg_lagesbild::RoundPin]) -> MapPins {
    if pins.len() <= PINS_SHOWN {
        return MapPins {
            total: pins.len(),
            pins: pins
                .iter()
                .map(|p| PinDto {
                    lon: p.pin.location.lon(),
                    lat: p.pin.location.lat(),
                    category: p.pin.category.to_string(),
                    time: p.pin.time_of_day.as_str(),
                })
                .collect(),
            groups: Vec::new(),
        };
    }
    MapPins {
        total: pins.len(),
        pins: Vec::new(),
        groups: trygg_lagesbild::cell_groups(pins)
            .into_iter()
            .map(|(centre, count)| PinGroup {
                lon: centre.lon(),
                lat: centre.lat(),
                count,
            })
            .collect(),
    }
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild/pins`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{id}/lagesbild/pins",
    tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),
    ),
    responses(
        (status = 200, description = "Positions, categories and times of the pins, no comments; above 5,000 pins, their counts per H3 cell instead"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A filter names no option", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn pins(
    staff: Staff,
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    id: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let survey = survey(&store, &staff, &id).await?;
    let sources = reports.sources(&store, &survey).await?;
    let filters = query.options().filters;
    let pins = blocking(move || Ok(map_pins(&sources.pins(&filters)?))).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(pins))
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild/heat.png`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{id}/lagesbild/heat.png",
    tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),
    ),
    responses(
        (status = 200, description = "The heat surface as a PNG"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn heat(
    staff: Staff,
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    id: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let survey = survey(&store, &staff, &id).await?;
    let report = reports.get(&store, &survey, query.options()).await?;
    let Some(surface) = report.map.heat.clone() else {
        return Err(ApiError::not_found("no pins, so no heat surface"));
    };
    let bytes = render(move || trygg_lagesbild::heat::png(&surface)).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((CACHE_CONTROL, "private, max-age=60"))
        .body(bytes))
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild/export?format=…`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{id}/lagesbild/export",
    tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),

        ("format" = String, Query, description = "xlsx, csv, csv_semicolon, pdf, cells or hotspots"),
    ),
    responses(
        (status = 200, description = "The file: xlsx, csv, csv_semicolon, pdf, cells or hotspots"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
        (status = 400, description = "`format` is missing or unknown", body = crate::api_doc::Error),
        (status = 422, description = "A filter names no option", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn export(
    staff: Staff,
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    id: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ExportResults)?;
    let format = query.format.clone().unwrap_or_default();
    let (content_type, extension) = match format.as_str() {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" | "csv_semicolon" => ("text/csv; charset=utf-8", "csv"),
        "pdf" => ("application/pdf", "pdf"),
        "cells" | "hotspots" => ("application/geo+json", "geojson"),
        _ => {
            return Err(ApiError::Client {
                status: actix_web::http::StatusCode::BAD_REQUEST,
                code: "invalid_query",
                field: Some("format".to_owned()),
                message: "format must be xlsx, csv, csv_semicolon, pdf, cells or hotspots"
                    .to_owned(),
            });
        }
    };
    let survey = survey(&store, &staff, &id).await?;
    let report = reports.get(&store, &survey, query.options()).await?;
    let chosen = format.clone();
    let bytes = render(move || -> Result<Vec<u8>, String> {
        match chosen.as_str() {
            "xlsx" => trygg_lagesbild::xlsx::workbook(&report).map_err(|e| e.to_string()),
            "csv" => {
                trygg_lagesbild::csv::tables(&report, Dialect::Comma).map_err(|e| e.to_string())
            }
            "csv_semicolon" => {
                trygg_lagesbild::csv::tables(&report, Dialect::Semicolon).map_err(|e| e.to_string())
            }
            "pdf" => trygg_lagesbild::pdf::report(&report).map_err(|e| e.to_string()),
            "cells" => serde_json::to_vec(&trygg_lagesbild::geojson::cells(&report))
                .map_err(|e| e.to_string()),
            _ => serde_json::to_vec(&trygg_lagesbild::geojson::hotspots(&report))
                .map_err(|e| e.to_string()),
        }
    })
    .await?;
    staff
        .audit(
            &store,
            "export_lagesbild",
            &format!("{} {format}", survey.slug),
        )
        .await?;
    Ok(download(
        bytes,
        content_type,
        &format!("lagesbild-{}-{format}.{extension}", survey.slug),
    ))
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild/pins.geojson`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{id}/lagesbild/pins.geojson",
    tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),
    ),
    responses(
        (status = 200, description = "The pins as GeoJSON (EPSG:4326); analysts and admins only"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn pins_geojson(
    staff: Staff,
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    id: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ExportPins)?;
    let survey = survey(&store, &staff, &id).await?;
    let sources = reports.sources(&store, &survey).await?;
    let stored = store.pins(&survey).await?;
    let filters = query.options().filters;
    let pins = sources
        .select_stored_pins(&filters, stored)
        .map_err(lagesbild_error)?;
    let bytes = render(move || serde_json::to_vec(&trygg_lagesbild::geojson::pins(&pins))).await?;
    staff
        .audit(&store, "export_pins", &survey.slug.to_string())
        .await?;
    Ok(download(
        bytes,
        "application/geo+json",
        &format!("pins-{}.geojson", survey.slug),
    ))
}

#[derive(Serialize)]
struct Publication {
    published_on: Option<String>,
    url: String,
}

/// `PUT /api/v1/admin/surveys/{id}/publication`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/surveys/{id}/publication",
    tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token"),
    ),
    responses(
        (status = 200, description = "Published at /r/{slug}"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn publish(
    staff: Staff,
    store: web::Data<Store>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::PublishResults)?;
    let survey = survey(&store, &staff, &id).await?;
    store
        .publish_results(&survey, time::OffsetDateTime::now_utc().date())
        .await?;
    staff
        .audit(&store, "publish_results", &survey.slug.to_string())
        .await?;
    Ok(HttpResponse::Ok().json(Publication {
        published_on: store.published_on(&survey).await?.map(|d| d.to_string()),
        url: format!("/r/{}", survey.slug),
    }))
}

/// `DELETE /api/v1/admin/surveys/{id}/publication`.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/surveys/{id}/publication",
    tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token"),
    ),
    responses(
        (status = 200, description = "Withdrawn"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn unpublish(
    staff: Staff,
    store: web::Data<Store>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::PublishResults)?;
    let survey = survey(&store, &staff, &id).await?;
    store.unpublish_results(&survey).await?;
    staff
        .audit(&store, "unpublish_results", &survey.slug.to_string())
        .await?;
    Ok(HttpResponse::Ok().json(Publication {
        published_on: None,
        url: format!("/r/{}", survey.slug),
    }))
}
