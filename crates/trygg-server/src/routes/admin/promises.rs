//! Focus areas, medborgarlöften, activities and progress, and safety walks with
//! their findings, under `/api/v1/admin`. Reading needs `read_results`; changing
//! needs `manage_focus_areas`, `edit_promises`, `add_progress` or `manage_walks`
//! (a police partner may add progress, a viewer may not). The workflows are
//! [`trygg_lagesbild::promises`]'s: bodies are parsed there by the domain's input
//! types, so every broken rule names its field.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use trygg_domain::{
    ActivityInput, FindingInput, FocusArea, FocusAreaInput, Permission, ProgressInput,
    PromiseInput, StatusInput, WalkInput,
};
use trygg_lagesbild::promises::{
    self as workflow, ActivityView, FindingView, PromiseView, WalkPage, WalkView,
};
use utoipa::ToSchema;

use crate::api_doc::{Csrf, Invalid, NotFound, Refused};
use crate::auth::Staff;
use crate::config::MapSettings;
use crate::error::ApiError;
use crate::routes::{Answer, Body, Db, Id, created, ok, resource};

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/focus-areas")
            .get(focus_areas)
            .post(add_focus_area),
    )
    .service(resource("/promises").get(promises).post(add_promise))
    .service(resource("/promises/{id}").get(promise))
    .service(resource("/promises/{id}/activities").post(add_activity))
    .service(resource("/activities/{id}/progress").post(add_progress))
    .service(resource("/walks").get(walks).post(add_walk))
    .service(resource("/walks/{id}").get(walk))
    .service(resource("/walks/{id}/findings").post(add_finding))
    .service(resource("/findings/{id}").patch(change_finding));
}

/// Parses a JSON body into a domain input, naming the field at fault.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(
    body: &serde_json::Value,
) -> Result<T, ApiError> {
    Ok(trygg_lagesbild::workflow::parse_body(body)?)
}

/// The municipality's focus areas.
#[derive(Serialize, ToSchema)]
pub struct FocusAreasDto {
    /// Newest first.
    #[schema(value_type = Vec<Object>)]
    focus_areas: Vec<FocusArea>,
}

/// The municipality's promises.
#[derive(Serialize, ToSchema)]
pub struct PromisesDto {
    promises: Vec<PromiseView>,
}

/// The municipality's walks.
#[derive(Serialize, ToSchema)]
pub struct WalksDto {
    /// Newest first, each with its findings.
    walks: Vec<WalkView>,
}

/// A walk with what a walk leader needs to place a new finding.
#[derive(Serialize, ToSchema)]
pub struct WalkPageDto {
    #[serde(flatten)]
    page: WalkPage,
    /// The map's tiles, centre and zoom.
    #[schema(value_type = Object)]
    map: MapSettings,
}

/// The municipality's focus areas.
#[utoipa::path(get, path = "/api/v1/admin/focus-areas", tag = "follow-up",
    responses((status = 200, description = "Focus areas, newest first", body = FocusAreasDto), Refused))]
pub async fn focus_areas(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    let focus_areas = store.focus_areas(staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(FocusAreasDto { focus_areas }))
}

/// Choose a focus area.
#[utoipa::path(post, path = "/api/v1/admin/focus-areas", tag = "follow-up",
    params(Csrf),
    request_body(content = FocusAreaInput, content_type = "application/json"),
    responses((status = 201, description = "Chosen", body = serde_json::Value), Refused,
              Invalid))]
pub async fn add_focus_area(staff: Staff, store: Db, body: Body) -> Answer {
    staff.require(Permission::ManageFocusAreas)?;
    created(workflow::add_focus_area(&store, &staff.actor(), &body).await?)
}

/// The municipality's promises with progress and status.
#[utoipa::path(get, path = "/api/v1/admin/promises", tag = "follow-up",
    responses((status = 200, description = "Promises with activities, progress and status", body = PromisesDto), Refused))]
pub async fn promises(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    let promises = workflow::promises(&store, staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(PromisesDto { promises }))
}

/// One promise.
#[utoipa::path(get, path = "/api/v1/admin/promises/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The promise's id")),
    responses((status = 200, description = "The promise", body = PromiseView), Refused,
              (status = 404, description = "No such promise in this municipality", body = crate::api_doc::Error)))]
pub async fn promise(staff: Staff, store: Db, path: Id) -> Answer {
    staff.require(Permission::ReadResults)?;
    ok(workflow::promise(&store, staff.municipality_id(), &path).await?)
}

/// Publish a promise.
#[utoipa::path(post, path = "/api/v1/admin/promises", tag = "follow-up",
    params(Csrf),
    request_body(content = PromiseInput, content_type = "application/json"),
    responses((status = 201, description = "Added", body = PromiseView), Refused,
              (status = 422, description = "A broken rule, or an unknown focus area", body = crate::api_doc::Error)))]
pub async fn add_promise(staff: Staff, store: Db, body: Body) -> Answer {
    staff.require(Permission::EditPromises)?;
    created(workflow::add_promise(&store, &staff.actor(), &body).await?)
}

/// Add a countable activity to a promise.
#[utoipa::path(post, path = "/api/v1/admin/promises/{id}/activities", tag = "follow-up",
    params(("id" = String, Path, description = "The promise's id"), Csrf),
    request_body(content = ActivityInput, content_type = "application/json"),
    responses((status = 201, description = "Added", body = ActivityView), Refused, NotFound, Invalid))]
pub async fn add_activity(staff: Staff, store: Db, path: Id, body: Body) -> Answer {
    staff.require(Permission::EditPromises)?;
    created(workflow::add_activity(&store, &staff.actor(), &path, &body).await?)
}

/// Record progress on an activity (a police partner may; a viewer may not).
#[utoipa::path(post, path = "/api/v1/admin/activities/{id}/progress", tag = "follow-up",
    params(("id" = String, Path, description = "The activity's id"), Csrf),
    request_body(content = ProgressInput, content_type = "application/json"),
    responses((status = 201, description = "Recorded; the activity with its new status", body = ActivityView), Refused, NotFound, Invalid))]
pub async fn add_progress(staff: Staff, store: Db, path: Id, body: Body) -> Answer {
    staff.require(Permission::AddProgress)?;
    created(workflow::add_progress(&store, &staff.actor(), &path, &body).await?)
}

/// The municipality's walks with their findings.
#[utoipa::path(get, path = "/api/v1/admin/walks", tag = "follow-up",
    responses((status = 200, description = "Walks, newest first, each with its findings", body = WalksDto), Refused))]
pub async fn walks(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    let walks = workflow::walks(&store, staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(WalksDto { walks }))
}

/// One walk with its findings, and what a walk leader needs to place a new
/// finding: the municipality's areas and named places, and the map settings.
#[utoipa::path(get, path = "/api/v1/admin/walks/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The walk's id")),
    responses((status = 200, description = "The walk, its findings, the areas as GeoJSON and the named places", body = WalkPageDto), Refused,
              (status = 404, description = "No such walk in this municipality", body = crate::api_doc::Error)))]
pub async fn walk(staff: Staff, store: Db, map: web::Data<MapSettings>, path: Id) -> Answer {
    staff.require(Permission::ReadResults)?;
    let page = workflow::walk_page(&store, staff.municipality_id(), &path).await?;
    Ok(HttpResponse::Ok().json(WalkPageDto {
        page,
        map: map.get_ref().clone(),
    }))
}

/// Plan a walk.
#[utoipa::path(post, path = "/api/v1/admin/walks", tag = "follow-up",
    params(Csrf),
    request_body(content = WalkInput, content_type = "application/json"),
    responses((status = 201, description = "Planned", body = serde_json::Value), Refused, Invalid))]
pub async fn add_walk(staff: Staff, store: Db, body: Body) -> Answer {
    staff.require(Permission::ManageWalks)?;
    created(workflow::add_walk(&store, &staff.actor(), &body).await?)
}

/// Record a finding of a walk.
#[utoipa::path(post, path = "/api/v1/admin/walks/{id}/findings", tag = "follow-up",
    params(("id" = String, Path, description = "The walk's id"), Csrf),
    request_body(content = FindingInput, content_type = "application/json"),
    responses((status = 201, description = "Recorded as reported", body = FindingView), Refused, NotFound, Invalid))]
pub async fn add_finding(staff: Staff, store: Db, path: Id, body: Body) -> Answer {
    staff.require(Permission::ManageWalks)?;
    created(workflow::add_finding(&store, &staff.actor(), &path, &body).await?)
}

/// Move a finding to another status.
#[utoipa::path(patch, path = "/api/v1/admin/findings/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The finding's id"), Csrf),
    request_body(content = StatusInput, content_type = "application/json"),
    responses((status = 200, description = "The finding with its new status", body = FindingView), Refused, NotFound, Invalid))]
pub async fn change_finding(staff: Staff, store: Db, path: Id, body: Body) -> Answer {
    staff.require(Permission::ManageWalks)?;
    ok(workflow::change_finding(&store, &staff.actor(), &path, &body).await?)
}
