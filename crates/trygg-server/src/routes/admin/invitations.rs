//! Invitation codes for a postal sample: `/api/v1/admin/surveys/{id}/invitations`.
//!
//! - `POST` (EditSurveys): make `count` single-use codes for letters to `area`
//!   (optional) and answer the print shop's CSV (`kod,lank,omrade`), shown this once.
//!   From then on the survey is answered only with a code.
//! - `GET` (ReadResults): codes issued and used, and the response rate, per area.
//!
//! Making the codes and the CSV is [`trygg_lagesbild::invitations`]'s, shared
//! with `trygg invitations create`.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use trygg_domain::{Permission, Survey, SurveyId};
use trygg_lagesbild::invitations::{self, Batch};
use trygg_store::{InvitationCount, Store};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api_doc::{Csrf, Refused};
use crate::auth::Staff;
use crate::config::PublicUrl;
use crate::error::ApiError;
use crate::routes::{Answer, Db, Id, resource};

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/surveys/{id}/invitations")
            .get(counts)
            .post(create),
    );
}

async fn survey(store: &Store, staff: &Staff, id: &str) -> Result<Survey, ApiError> {
    let not_found = || ApiError::not_found(format!("no published survey `{id}`"));
    let uuid = Uuid::parse_str(id).map_err(|_| not_found())?;
    store
        .survey_in(staff.municipality_id(), SurveyId::from_uuid(uuid))
        .await?
        .ok_or_else(not_found)
}

/// Codes for a batch of letters.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// How many codes, 1 to 50,000.
    count: usize,
    /// The area (code) the letters go to, for response rates per area.
    #[serde(default)]
    area: Option<String>,
}

/// Make single-use codes and answer the print shop's CSV.
#[utoipa::path(post, path = "/api/v1/admin/surveys/{id}/invitations", tag = "staff",
    params(("id" = String, Path, description = "The published survey's id"), Csrf),
    request_body(content = CreateBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The codes as CSV: kod,lank,omrade", content_type = "text/csv", body = String), Refused,
        (status = 404, description = "No such published survey in this municipality", body = crate::api_doc::Error),
        (status = 422, description = "A count out of range or an unknown area", body = crate::api_doc::Error),
    )
)]
pub async fn create(
    staff: Staff,
    store: Db,
    public_url: web::Data<PublicUrl>,
    id: Id,
    body: web::Json<CreateBody>,
) -> Answer {
    staff.require(Permission::EditSurveys)?;
    let survey = survey(&store, &staff, &id).await?;
    let batch = Batch {
        count: body.count,
        area: body.area.as_deref(),
        base_url: public_url.as_str(),
    };
    let letters = invitations::create(&store, &survey, batch, Some(&staff.actor())).await?;
    Ok(HttpResponse::Created()
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"inbjudningar-{}.csv\"", survey.slug),
        ))
        .body(letters.into_csv()))
}

/// Codes issued and used in one area.
#[derive(Serialize, ToSchema)]
pub struct AreaRateDto {
    /// The area's code, or null for letters without one.
    area: Option<String>,
    issued: u64,
    used: u64,
    /// used / issued.
    response_rate: f64,
}

/// Response rates from used codes.
#[derive(Serialize, ToSchema)]
pub struct RatesDto {
    issued: u64,
    used: u64,
    /// used / issued, or null without codes.
    response_rate: Option<f64>,
    areas: Vec<AreaRateDto>,
}

fn rate(used: u64, issued: u64) -> f64 {
    used as f64 / issued.max(1) as f64
}

/// Codes issued and used and the response rate, per area.
#[utoipa::path(get, path = "/api/v1/admin/surveys/{id}/invitations", tag = "staff",
    params(("id" = String, Path, description = "The published survey's id")),
    responses(
        (status = 200, description = "Issued, used and the rate, overall and per area", body = RatesDto), Refused,
        (status = 404, description = "No such published survey in this municipality", body = crate::api_doc::Error),
    )
)]
pub async fn counts(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::ReadResults)?;
    let survey = survey(&store, &staff, &id).await?;
    let counts: Vec<InvitationCount> = store.invitation_counts(survey.id).await?;
    let issued = counts.iter().map(|c| c.issued).sum();
    let used = counts.iter().map(|c| c.used).sum();
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(RatesDto {
            issued,
            used,
            response_rate: (issued > 0).then(|| rate(used, issued)),
            areas: counts
                .into_iter()
                .map(|c| AreaRateDto {
                    response_rate: rate(c.used, c.issued),
                    area: c.area,
                    issued: c.issued,
                    used: c.used,
                })
                .collect(),
        }))
}
