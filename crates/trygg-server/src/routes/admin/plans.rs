//! The åtgärdsplan of a samverkansöverenskommelse under `/api/v1/admin`:
//! samverkansområden with their insatser and owners, the quarterly check dates,
//! the mid-term review and the follow-up meetings (chefssamråd) with their
//! decisions. Reading needs `read_results`; changing needs `edit_promises`.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use trygg_domain::AuditAction;
use trygg_domain::{
    ActionPlan, ActionPlanId, ActionPlanInput, Meeting, MeetingInput, MidtermReview,
    MidtermReviewInput, Permission,
};
use trygg_store::Store;
use utoipa::ToSchema;

use super::allow;
use super::promises::parse;
use crate::auth::Staff;
use crate::error::ApiError;

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/action-plans")
            .route(web::get().to(plans))
            .route(web::post().to(add_plan))
            .default_service(allow("GET, POST")),
    )
    .service(
        web::resource("/action-plans/{id}")
            .route(web::get().to(plan))
            .route(web::put().to(replace_plan))
            .default_service(allow("GET, PUT")),
    )
    .service(
        web::resource("/action-plans/{id}/meetings")
            .route(web::post().to(add_meeting))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/action-plans/{id}/midterm-review")
            .route(web::put().to(record_review))
            .default_service(allow("PUT")),
    );
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// A plan with what staff need to follow it up today.
#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    plan: ActionPlan,
    /// The next check date on or after today, if any is left.
    next_check: Option<String>,
    /// The day the mid-term review is due: half the agreement's period.
    midpoint: String,
}

impl PlanDto {
    fn new(p: &ActionPlan) -> Self {
        Self {
            plan: p.clone(),
            next_check: p.next_check(today()).map(|d| d.to_string()),
            midpoint: p.period.midpoint().to_string(),
        }
    }
}

/// The municipality's action plans.
#[derive(Serialize, ToSchema)]
pub struct PlansDto {
    /// Newest first.
    action_plans: Vec<PlanDto>,
}

async fn own_plan(staff: &Staff, store: &Store, raw: &str) -> Result<ActionPlan, ApiError> {
    let not_found = || ApiError::not_found(format!("there is no action plan `{raw}`"));
    let id = uuid::Uuid::parse_str(raw).map_err(|_| not_found())?;
    store
        .action_plan(staff.municipality_id(), ActionPlanId::from_uuid(id))
        .await?
        .ok_or_else(not_found)
}

/// The municipality's action plans, newest first.
#[utoipa::path(get, path = "/api/v1/admin/action-plans", tag = "follow-up",
    responses((status = 200, description = "Action plans with their next check date", body = PlansDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn plans(staff: Staff, store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let list: Vec<PlanDto> = store
        .action_plans(staff.municipality_id())
        .await?
        .iter()
        .map(PlanDto::new)
        .collect();
    Ok(HttpResponse::Ok().json(PlansDto { action_plans: list }))
}

/// One action plan.
#[utoipa::path(get, path = "/api/v1/admin/action-plans/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan", body = PlanDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn plan(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let p = own_plan(&staff, &store, &path).await?;
    Ok(HttpResponse::Ok().json(PlanDto::new(&p)))
}

/// Add an action plan: title, period, samverkansområden with activities and
/// owners; check dates default to the quarter ends within the period.
#[utoipa::path(post, path = "/api/v1/admin/action-plans", tag = "follow-up",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = Object, content_type = "application/json",
        description = "`{title, starts_on, ends_on, areas: [{name, activities: [{title, owner, follow_up?, activity_id?}]}], check_dates?, midterm_review?, meetings?}`"),
    responses((status = 201, description = "Added", body = PlanDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 422, description = "A broken rule, naming its field", body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn add_plan(
    staff: Staff,
    store: web::Data<Store>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditPromises)?;
    let input: ActionPlanInput = parse(&body)?;
    let p = ActionPlan::parse(input, staff.municipality_id())?;
    store.save_action_plan(&p).await?;
    staff
        .audit(&store, AuditAction::ActionPlanAdded, &p.title)
        .await?;
    Ok(HttpResponse::Created().json(PlanDto::new(&p)))
}

/// Replace an action plan as a whole (the same body as adding one).
#[utoipa::path(put, path = "/api/v1/admin/action-plans/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The plan's id"),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = Object, content_type = "application/json"),
    responses((status = 200, description = "Replaced", body = PlanDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, body = crate::api_doc::Error), (status = 422, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn replace_plan(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditPromises)?;
    let old = own_plan(&staff, &store, &path).await?;
    let input: ActionPlanInput = parse(&body)?;
    let mut p = ActionPlan::parse(input, staff.municipality_id())?;
    p.id = old.id;
    store.save_action_plan(&p).await?;
    staff
        .audit(&store, AuditAction::ActionPlanChanged, &p.title)
        .await?;
    Ok(HttpResponse::Ok().json(PlanDto::new(&p)))
}

/// Record a follow-up meeting (chefssamråd) and its decisions.
#[utoipa::path(post, path = "/api/v1/admin/action-plans/{id}/meetings", tag = "follow-up",
    params(("id" = String, Path, description = "The plan's id"),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = Object, content_type = "application/json",
        description = "`{held_on, kind, decisions: [text, …]}`"),
    responses((status = 201, description = "Recorded; the plan", body = PlanDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, body = crate::api_doc::Error), (status = 422, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn add_meeting(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditPromises)?;
    let mut p = own_plan(&staff, &store, &path).await?;
    let raw: MeetingInput = parse(&body)?;
    let meeting = Meeting::parse(raw, "")?;
    let kind = meeting.kind().to_owned();
    p.add_meeting(meeting);
    store.save_action_plan(&p).await?;
    staff
        .audit(&store, AuditAction::PlanMeetingRecorded, &kind)
        .await?;
    Ok(HttpResponse::Created().json(PlanDto::new(&p)))
}

/// Record the mid-term review (halvtidsuppföljning), replacing an earlier one.
#[utoipa::path(put, path = "/api/v1/admin/action-plans/{id}/midterm-review", tag = "follow-up",
    params(("id" = String, Path, description = "The plan's id"),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = Object, content_type = "application/json",
        description = "`{held_on, cooperation, implementation, results}`"),
    responses((status = 200, description = "Recorded; the plan", body = PlanDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, body = crate::api_doc::Error), (status = 422, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn record_review(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditPromises)?;
    let mut p = own_plan(&staff, &store, &path).await?;
    let raw: MidtermReviewInput = parse(&body)?;
    p.record_review(MidtermReview::parse(raw, "")?)?;
    store.save_action_plan(&p).await?;
    staff
        .audit(&store, AuditAction::PlanMidtermReviewRecorded, &p.title)
        .await?;
    Ok(HttpResponse::Ok().json(PlanDto::new(&p)))
}
