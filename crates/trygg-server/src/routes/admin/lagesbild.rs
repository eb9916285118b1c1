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
//!   the public results page `/r/{slug}`. Only a closed round is published (422
//!   `round_open` otherwise), as a frozen snapshot ([`trygg_lagesbild::publish`]);
//!   publishing a published round again changes nothing.
//! - `POST …/publication/republish` (PublishResults): replace the snapshot with the
//!   data as it is now, audited as `republish_results`.
//!
//! Another municipality's survey answers 404.

use actix_web::http::StatusCode;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use time::OffsetDateTime;
use trygg_domain::{AuditAction, ErrorCode, Permission, Survey, SurveyId};
use trygg_lagesbild::dashboard::{self, Dashboard, MapPins, PublicationAnswer};
use trygg_lagesbild::publish::PublishError;
use trygg_lagesbild::{Filters, Format, Options, Reports, UnknownFormat};
use trygg_store::Store;
use uuid::Uuid;

use crate::api_doc::{Csrf, Refused};
use crate::auth::Staff;
use crate::error::ApiError;
use crate::routes::results::{download, download_export, lagesbild_error};
use crate::routes::{Answer, Db, Id, resource};

/// Registers the routes in the `/admin` scope.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/surveys/{id}/lagesbild").get(lagesbild))
        .service(resource("/surveys/{id}/lagesbild/pins").get(pins))
        .service(resource("/surveys/{id}/lagesbild/heat.png").get(heat))
        .service(resource("/surveys/{id}/lagesbild/export").get(export))
        .service(resource("/surveys/{id}/lagesbild/pins.geojson").get(pins_geojson))
        .service(
            resource("/surveys/{id}/publication")
                .put(publish)
                .delete(unpublish),
        )
        .service(resource("/surveys/{id}/publication/republish").post(republish));
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
    fn filters(&self) -> Filters {
        self.options().filters
    }

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

impl From<UnknownFormat> for ApiError {
    fn from(e: UnknownFormat) -> Self {
        Self::Client {
            status: StatusCode::BAD_REQUEST,
            code: ErrorCode::InvalidQuery,
            field: Some("format".to_owned()),
            message: e.to_string(),
        }
    }
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild`.
#[utoipa::path(get, path = "/api/v1/admin/surveys/{id}/lagesbild", tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),
    ),
    responses(
        (status = 200, description = "The lägesbild with its publication, the role's export permissions and the moderated comments", body = Dashboard), Refused,
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A filter names no option", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn lagesbild(
    staff: Staff,
    store: Db,
    reports: web::Data<Reports>,
    id: Id,
    query: web::Query<Query>,
) -> Answer {
    staff.require(Permission::ReadResults)?;
    let survey = survey(&store, &staff, &id).await?;
    let today = OffsetDateTime::now_utc().date();
    let page: Dashboard = dashboard::dashboard(
        &reports,
        &store,
        &survey,
        query.options(),
        staff.role(),
        today,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(page))
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild/pins`.
#[utoipa::path(get, path = "/api/v1/admin/surveys/{id}/lagesbild/pins", tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),
    ),
    responses(
        (status = 200, description = "Positions, categories and times of the pins, no comments; above 5,000 pins, their counts per H3 cell instead", body = MapPins), Refused,
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A filter names no option", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn pins(
    staff: Staff,
    store: Db,
    reports: web::Data<Reports>,
    id: Id,
    query: web::Query<Query>,
) -> Answer {
    staff.require(Permission::ReadResults)?;
    let survey = survey(&store, &staff, &id).await?;
    let pins: MapPins = dashboard::map_pins(&reports, &store, &survey, query.filters()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(pins))
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild/heat.png`.
#[utoipa::path(get, path = "/api/v1/admin/surveys/{id}/lagesbild/heat.png", tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),
    ),
    responses(
        (status = 200, description = "The heat surface as a PNG", content_type = "image/png"), Refused,
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn heat(
    staff: Staff,
    store: Db,
    reports: web::Data<Reports>,
    id: Id,
    query: web::Query<Query>,
) -> Answer {
    staff.require(Permission::ReadResults)?;
    let survey = survey(&store, &staff, &id).await?;
    let bytes = dashboard::heat_png(&reports, &store, &survey, query.options())
        .await?
        .ok_or_else(|| ApiError::not_found("no pins, so no heat surface"))?;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((CACHE_CONTROL, "private, max-age=60"))
        .body(bytes))
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild/export?format=…`.
#[utoipa::path(get, path = "/api/v1/admin/surveys/{id}/lagesbild/export", tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),

        ("format" = Format, Query, description = "xlsx, csv, csv_semicolon, pdf, cells or hotspots"),
    ),
    responses(
        (status = 200, description = "The file: xlsx, csv, csv_semicolon, pdf, cells or hotspots"), Refused,
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
        (status = 400, description = "`format` is missing or unknown", body = crate::api_doc::Error),
        (status = 422, description = "A filter names no option", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn export(
    staff: Staff,
    store: Db,
    reports: web::Data<Reports>,
    id: Id,
    query: web::Query<Query>,
) -> Answer {
    staff.require(Permission::ExportResults)?;
    let format = Format::parse(query.format.as_deref())?;
    let survey = survey(&store, &staff, &id).await?;
    let export =
        trygg_lagesbild::format::export(&reports, &store, &survey, query.options(), format).await?;
    let target = format!("{} {}", survey.slug, format.name());
    staff
        .audit(&store, AuditAction::ExportLagesbild, &target)
        .await?;
    Ok(download_export(export))
}

/// `GET /api/v1/admin/surveys/{id}/lagesbild/pins.geojson`.
#[utoipa::path(get, path = "/api/v1/admin/surveys/{id}/lagesbild/pins.geojson", tag = "staff",
    params(
        ("id" = String, Path, description = "The survey's id"),
        ("area" = Option<String>, Query, description = "Only respondents of this area option"),
        ("gender" = Option<String>, Query, description = "Only respondents of this gender option"),
        ("age_band" = Option<String>, Query, description = "Only respondents of this age band option"),
        ("category" = Option<String>, Query, description = "Only pins of this category"),
        ("time_of_day" = Option<String>, Query, description = "Only pins of this time of day"),
    ),
    responses(
        (status = 200, description = "The pins as GeoJSON (EPSG:4326); analysts and admins only"), Refused,
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn pins_geojson(
    staff: Staff,
    store: Db,
    reports: web::Data<Reports>,
    id: Id,
    query: web::Query<Query>,
) -> Answer {
    staff.require(Permission::ExportPins)?;
    let survey = survey(&store, &staff, &id).await?;
    let bytes = dashboard::pins_geojson(&reports, &store, &survey, &query.filters()).await?;
    staff
        .audit(&store, AuditAction::ExportPins, &survey.slug.to_string())
        .await?;
    Ok(download(
        bytes,
        "application/geo+json",
        &format!("pins-{}.geojson", survey.slug),
    ))
}

/// A refusal to publish as HTTP: 422 for an open round or a release that fails the
/// disclosure audit, 409 for republishing a
/// round that is not published; anything else is ours.
fn publish_error(e: PublishError) -> ApiError {
    match e {
        PublishError::Open { .. } | PublishError::Disclosure(_) => ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: e.code(),
            field: e.field().map(str::to_owned),
            message: e.to_string(),
        },
        PublishError::NotPublished => ApiError::Client {
            status: StatusCode::CONFLICT,
            code: e.code(),
            field: e.field().map(str::to_owned),
            message: e.to_string(),
        },
        PublishError::Lagesbild(e) => lagesbild_error(e),
        PublishError::Store(e) => e.into(),
        PublishError::Render(_) => ApiError::Unexpected(e.into()),
    }
}

/// Publishes `survey` (again, with `again`) as `staff`, building the release on the
/// blocking pool.
async fn publish_as(staff: &Staff, store: &Store, survey: &Survey, again: bool) -> Answer {
    let outcome = trygg_lagesbild::publish::publish_with(
        store,
        survey,
        again,
        Some(staff.user_id()),
        time::OffsetDateTime::now_utc(),
        |sources, today| async move {
            web::block(move || trygg_lagesbild::publish::prepare_release(&sources, today))
                .await
                .map_err(|e| PublishError::Render(format!("blocking pool: {e}")))?
        },
    )
    .await
    .map_err(publish_error)?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(PublicationAnswer::new(survey, Some(outcome.publication))))
}

/// `PUT /api/v1/admin/surveys/{id}/publication`.
#[utoipa::path(put, path = "/api/v1/admin/surveys/{id}/publication", tag = "staff",
    params(("id" = String, Path, description = "The survey's id"), Csrf),
    responses(
        (status = 200, description = "Published at /r/{slug} as a frozen snapshot; a round published before is left as it was", body = PublicationAnswer), Refused,
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "The round has not closed (`round_open`, field `closes_on`)", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn publish(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::PublishResults)?;
    let survey = survey(&store, &staff, &id).await?;
    publish_as(&staff, &store, &survey, false).await
}

/// `POST /api/v1/admin/surveys/{id}/publication/republish`.
#[utoipa::path(post, path = "/api/v1/admin/surveys/{id}/publication/republish", tag = "staff",
    params(("id" = String, Path, description = "The survey's id"), Csrf),
    responses(
        (status = 200, description = "The public page now shows the data as it is now; audited as `republish_results`", body = PublicationAnswer), Refused,
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
        (status = 409, description = "The round is not published (`not_published`)", body = crate::api_doc::Error),
        (status = 422, description = "The round has not closed (`round_open`, field `closes_on`)", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn republish(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::PublishResults)?;
    let survey = survey(&store, &staff, &id).await?;
    publish_as(&staff, &store, &survey, true).await
}

/// `DELETE /api/v1/admin/surveys/{id}/publication`.
#[utoipa::path(delete, path = "/api/v1/admin/surveys/{id}/publication", tag = "staff",
    params(("id" = String, Path, description = "The survey's id"), Csrf),
    responses(
        (status = 200, description = "Withdrawn", body = PublicationAnswer), Refused,
        (status = 404, description = "No such survey in the municipality", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn unpublish(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::PublishResults)?;
    let survey = survey(&store, &staff, &id).await?;
    store.unpublish_results(&survey).await?;
    staff
        .audit(
            &store,
            AuditAction::UnpublishResults,
            &survey.slug.to_string(),
        )
        .await?;
    Ok(HttpResponse::Ok().json(PublicationAnswer::new(&survey, None)))
}
