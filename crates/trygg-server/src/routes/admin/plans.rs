//! The åtgärdsplan of a samverkansöverenskommelse under `/api/v1/admin`:
//! samverkansområden with their insatser and owners, the quarterly check dates,
//! the mid-term review and the follow-up meetings (chefssamråd) with their
//! decisions. Reading needs `read_results`; changing needs `edit_promises`.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use trygg_domain::Permission;
use trygg_lagesbild::plans::{self, PlanView};
use utoipa::ToSchema;

use crate::api_doc::{Csrf, Invalid, NotFound, Refused};
use crate::auth::Staff;
use crate::routes::{Answer, Body, Db, Id, created, ok, resource};

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/action-plans").get(plans).post(add_plan))
        .service(resource("/action-plans/{id}").get(plan).put(replace_plan))
        .service(resource("/action-plans/{id}/meetings").post(add_meeting))
        .service(resource("/action-plans/{id}/midterm-review").put(record_review));
}

/// The municipality's action plans.
#[derive(Serialize, ToSchema)]
pub struct PlansDto {
    /// Newest first.
    action_plans: Vec<PlanView>,
}

/// The municipality's action plans, newest first.
#[utoipa::path(get, path = "/api/v1/admin/action-plans", tag = "follow-up",
    responses((status = 200, description = "Action plans with their next check date", body = PlansDto), Refused))]
pub async fn plans(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    let action_plans = plans::plans(&store, staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(PlansDto { action_plans }))
}

/// One action plan.
#[utoipa::path(get, path = "/api/v1/admin/action-plans/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan", body = PlanView), Refused, NotFound))]
pub async fn plan(staff: Staff, store: Db, path: Id) -> Answer {
    staff.require(Permission::ReadResults)?;
    ok(plans::plan(&store, staff.municipality_id(), &path).await?)
}

/// Add an action plan: title, period, samverkansområden with activities and
/// owners; check dates default to the quarter ends within the period.
#[utoipa::path(post, path = "/api/v1/admin/action-plans", tag = "follow-up",
    params(Csrf),
    request_body(content = Object, content_type = "application/json",
        description = "`{title, starts_on, ends_on, areas: [{name, activities: [{title, owner, follow_up?, activity_id?}]}], check_dates?, midterm_review?, meetings?}`"),
    responses((status = 201, description = "Added", body = PlanView), Refused,
              Invalid))]
pub async fn add_plan(staff: Staff, store: Db, body: Body) -> Answer {
    staff.require(Permission::EditPromises)?;
    created(plans::add_plan(&store, &staff.actor(), &body).await?)
}

/// Replace an action plan as a whole (the same body as adding one).
#[utoipa::path(put, path = "/api/v1/admin/action-plans/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The plan's id"), Csrf),
    request_body(content = Object, content_type = "application/json"),
    responses((status = 200, description = "Replaced", body = PlanView), Refused, NotFound, Invalid))]
pub async fn replace_plan(staff: Staff, store: Db, path: Id, body: Body) -> Answer {
    staff.require(Permission::EditPromises)?;
    ok(plans::replace_plan(&store, &staff.actor(), &path, &body).await?)
}

/// Record a follow-up meeting (chefssamråd) and its decisions.
#[utoipa::path(post, path = "/api/v1/admin/action-plans/{id}/meetings", tag = "follow-up",
    params(("id" = String, Path, description = "The plan's id"), Csrf),
    request_body(content = Object, content_type = "application/json",
        description = "`{held_on, kind, decisions: [text, …]}`"),
    responses((status = 201, description = "Recorded; the plan", body = PlanView), Refused, NotFound, Invalid))]
pub async fn add_meeting(staff: Staff, store: Db, path: Id, body: Body) -> Answer {
    staff.require(Permission::EditPromises)?;
    created(plans::add_meeting(&store, &staff.actor(), &path, &body).await?)
}

/// Record the mid-term review (halvtidsuppföljning), replacing an earlier one.
#[utoipa::path(put, path = "/api/v1/admin/action-plans/{id}/midterm-review", tag = "follow-up",
    params(("id" = String, Path, description = "The plan's id"), Csrf),
    request_body(content = Object, content_type = "application/json",
        description = "`{held_on, cooperation, implementation, results}`"),
    responses((status = 200, description = "Recorded; the plan", body = PlanView), Refused, NotFound, Invalid))]
pub async fn record_review(staff: Staff, store: Db, path: Id, body: Body) -> Answer {
    staff.require(Permission::EditPromises)?;
    ok(plans::record_review(&store, &staff.actor(), &path, &body).await?)
}
