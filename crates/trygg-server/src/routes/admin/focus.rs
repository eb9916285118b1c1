//! Focus-area candidates and police-reported crime counts, under `/api/v1/admin`.
//!
//! `GET /focus-candidates` answers [`trygg_lagesbild::focus::candidates`]: the
//! evidence per area and per hotspot side by side, ranked, with the rule in
//! words. Staff choose a focus area with the existing
//! `POST /focus-areas`. Reading needs `read_results`; importing crime counts
//! needs `manage_focus_areas`.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use trygg_domain::{
    AuditAction, CrimeCount, CrimeCountInput, ErrorCode, MunicipalityId, Permission,
    parse_crime_counts,
};
use trygg_lagesbild::Reports;
use trygg_lagesbild::focus::{self, CandidateRequest, FocusCandidates, FocusError};
use trygg_store::Store;
use utoipa::ToSchema;

use crate::api_doc::{Csrf, Refused};
use crate::auth::Staff;
use crate::error::ApiError;
use crate::routes::results::lagesbild_error;
use crate::routes::{Answer, Body, Db, resource};

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/focus-candidates").get(candidates))
        .service(
            resource("/crime-counts")
                .get(crime_counts)
                .post(import_crime_counts),
        );
}

#[derive(Deserialize)]
pub struct CandidateQuery {
    /// The round, by slug; the newest round with responses when left out.
    survey: Option<String>,
    /// The main indicator's key; the survey's first share indicator when left out.
    indicator: Option<String>,
}

impl From<FocusError> for ApiError {
    fn from(e: FocusError) -> Self {
        match e {
            FocusError::UnknownRound(_) => Self::not_found(e.to_string()),
            FocusError::UnknownIndicator(_) => Self::Client {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: ErrorCode::UnknownIndicator,
                field: Some("indicator".to_owned()),
                message: e.to_string(),
            },
            FocusError::Lagesbild(e) => lagesbild_error(e),
            FocusError::Store(e) => e.into(),
        }
    }
}

/// The evidence per area and per hotspot with the ranking and its rule.
#[utoipa::path(get, path = "/api/v1/admin/focus-candidates", tag = "follow-up",
    params(("survey" = Option<String>, Query, description = "The round's slug; the newest with responses when left out"),
           ("indicator" = Option<String>, Query, description = "The main share indicator's key")),
    responses((status = 200, description = "Areas ranked with their evidence, hotspots, and the ranking rule in Swedish and English", body = FocusCandidates), Refused,
              (status = 404, description = "No such round in this municipality", body = crate::api_doc::Error),
              (status = 422, description = "No such indicator", body = crate::api_doc::Error)))]
pub async fn candidates(
    staff: Staff,
    store: Db,
    reports: web::Data<Reports>,
    query: web::Query<CandidateQuery>,
) -> Answer {
    staff.require(Permission::ReadResults)?;
    let query = query.into_inner();
    let request = CandidateRequest {
        survey: query.survey,
        indicator: query.indicator,
    };
    let answer = focus::candidates(&reports, &store, staff.municipality_id(), &request).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(answer))
}

/// The imported crime counts.
#[derive(Serialize, ToSchema)]
pub struct CrimeCounts {
    /// Every imported row.
    #[schema(value_type = Vec<Object>)]
    crime_counts: Vec<CrimeCount>,
}

/// How many rows were imported.
#[derive(Serialize, ToSchema)]
pub struct Imported {
    imported: usize,
}

/// The municipality's area codes, which crime counts must name.
pub async fn area_codes(store: &Store, m: MunicipalityId) -> Result<BTreeSet<String>, ApiError> {
    Ok(store
        .areas(m)
        .await?
        .into_iter()
        .map(|a| a.code.as_str().to_owned())
        .collect())
}

/// The imported crime counts.
#[utoipa::path(get, path = "/api/v1/admin/crime-counts", tag = "follow-up",
    responses((status = 200, description = "Crime counts by period, area and category", body = CrimeCounts), Refused))]
pub async fn crime_counts(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    let crime_counts = store.crime_counts(staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(CrimeCounts { crime_counts }))
}

/// Crime counts to import.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrimeCountsBody {
    /// `{"area_code", "period", "category", "count"}` each; the rows of every period named replace that period's.
    #[schema(value_type = Vec<Object>)]
    rows: Vec<CrimeCountInput>,
}

/// Import police-reported crime counts per area (all rows or none).
#[utoipa::path(post, path = "/api/v1/admin/crime-counts", tag = "follow-up",
    params(Csrf),
    request_body(content = CrimeCountsBody, content_type = "application/json"),
    responses((status = 201, description = "Imported; the number of rows", body = Imported), Refused,
              (status = 422, description = "A broken rule, naming the row and field", body = crate::api_doc::Error)))]
pub async fn import_crime_counts(staff: Staff, store: Db, body: Body) -> Answer {
    staff.require(Permission::ManageFocusAreas)?;
    let body: CrimeCountsBody = super::promises::parse(&body)?;
    let m = staff.municipality_id();
    let areas = area_codes(&store, m).await?;
    let rows = parse_crime_counts(body.rows, &areas).map_err(|e| {
        let field = e.path();
        ApiError::from(trygg_domain::DomainError { field, ..e.error })
    })?;
    store.replace_crime_counts(m, &rows).await?;
    staff
        .audit(
            &store,
            AuditAction::CrimeCountsImported,
            &format!("{} rows", rows.len()),
        )
        .await?;
    Ok(HttpResponse::Created().json(Imported {
        imported: rows.len(),
    }))
}
