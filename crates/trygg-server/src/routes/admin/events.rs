//! EST under `/api/v1/admin`: partner organisations, which one an account
//! reports for, and the händelser rapportörer report. A rapportör
//! (`report_events`) sees and corrects only their own organisation's reports;
//! the coordinator (`review_events`) sees all, marks them read and merges two
//! reports of one event.

use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use trygg_domain::Permission;
use trygg_lagesbild::est::{self, OrganisationView, Reach, ReportView};
use trygg_lagesbild::est_week::{self, WeekPicture};
use trygg_lagesbild::promises::ActivityView;
use utoipa::ToSchema;

use crate::api_doc::{Csrf, Invalid, NotFound, Refused};
use crate::auth::Staff;
use crate::routes::{Answer, Body, Db, Id, created, ok, resource};

/// Registers the routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(
        resource("/organisations")
            .get(organisations)
            .post(add_organisation),
    )
    .service(resource("/users/{id}/organisation").put(set_organisation))
    .service(resource("/events").get(reports).post(report))
    .service(resource("/events/{id}").get(report_one).put(correct))
    .service(resource("/events/{id}/review").post(review))
    .service(resource("/events/{id}/merge").post(merge))
    .service(resource("/events/{id}/activity").post(to_activity))
    .service(resource("/event-weeks/{week}").get(week));
}

/// The municipality's partner organisations.
#[derive(Serialize, ToSchema)]
pub struct OrganisationsDto {
    /// By name.
    organisations: Vec<OrganisationView>,
}

/// The reports the account reaches.
#[derive(Serialize, ToSchema)]
pub struct ReportsDto {
    /// Latest first.
    events: Vec<ReportView>,
}

fn reach(staff: &Staff) -> Reach {
    if staff.may(Permission::ReviewEvents) {
        Reach::All
    } else {
        Reach::OwnOrganisation
    }
}

/// The partner organisations of the municipality's EST work.
#[utoipa::path(get, path = "/api/v1/admin/organisations", tag = "est",
    responses((status = 200, description = "The organisations, by name", body = OrganisationsDto), Refused))]
pub async fn organisations(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReviewEvents)?;
    let organisations = est::organisations(&store, &staff.actor()).await?;
    ok(OrganisationsDto { organisations })
}

/// Add a partner organisation: `{name}`.
#[utoipa::path(post, path = "/api/v1/admin/organisations", tag = "est", params(Csrf),
    request_body(content = Object, content_type = "application/json", description = "`{name}`"),
    responses((status = 201, description = "Added", body = OrganisationView), Refused, Invalid))]
pub async fn add_organisation(staff: Staff, store: Db, body: Body) -> Answer {
    staff.require(Permission::ManageUsers)?;
    created(est::add_organisation(&store, &staff.actor(), &body).await?)
}

/// Set the organisation an account reports for: `{organisation_id}` (`null` for none).
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/organisation", tag = "est",
    params(("id" = String, Path, description = "The account's id"), Csrf),
    request_body(content = est::ReporterOrganisationInput, content_type = "application/json"),
    responses((status = 204, description = "Set"), Refused, NotFound, Invalid))]
pub async fn set_organisation(staff: Staff, store: Db, id: Id, body: Body) -> Answer {
    staff.require(Permission::ManageUsers)?;
    est::set_reporter_organisation(&store, &staff.actor(), &id, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The reports the account reaches: a rapportör's own organisation's, or all.
#[utoipa::path(get, path = "/api/v1/admin/events", tag = "est",
    responses((status = 200, description = "The reports, latest first", body = ReportsDto), Refused))]
pub async fn reports(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReportEvents)?;
    let events = est::reports(&store, &staff.actor(), reach(&staff)).await?;
    ok(ReportsDto { events })
}

/// Report a händelse for the account's organisation. A phone that was offline
/// sends it with the `Idempotency-Key` it made when the report was written, so
/// sending it again stores it once.
#[utoipa::path(post, path = "/api/v1/admin/events", tag = "est",
    params(Csrf, ("Idempotency-Key" = Option<String>, Header, description = "Made once per report; a retry reuses it")),
    request_body(content = Object, content_type = "application/json",
        description = "`{category, occurred_at, occurred_until?, lon?, lat?, place?, description?, people?, police_called?}`: a position, a place in words, or both"),
    responses((status = 201, description = "Stored (or stored before, under the same key)", body = ReportView), Refused, Invalid))]
pub async fn report(staff: Staff, store: Db, req: HttpRequest, body: Body) -> Answer {
    staff.require(Permission::ReportEvents)?;
    let key = req
        .headers()
        .get("Idempotency-Key")
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    created(est::report(&store, &staff.actor(), &body, key).await?)
}

/// One report the account reaches.
#[utoipa::path(get, path = "/api/v1/admin/events/{id}", tag = "est",
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 200, description = "The report", body = ReportView), Refused, NotFound))]
pub async fn report_one(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::ReportEvents)?;
    ok(est::report_one(&store, &staff.actor(), reach(&staff), &id).await?)
}

/// Correct a report as a whole (the same body as reporting it).
#[utoipa::path(put, path = "/api/v1/admin/events/{id}", tag = "est",
    params(("id" = String, Path, description = "The report's id"), Csrf),
    request_body(content = Object, content_type = "application/json"),
    responses((status = 200, description = "Corrected", body = ReportView), Refused, NotFound, Invalid))]
pub async fn correct(staff: Staff, store: Db, id: Id, body: Body) -> Answer {
    staff.require(Permission::ReportEvents)?;
    ok(est::correct(&store, &staff.actor(), reach(&staff), &id, &body).await?)
}

/// Mark a report as read by the coordinator.
#[utoipa::path(post, path = "/api/v1/admin/events/{id}/review", tag = "est",
    params(("id" = String, Path, description = "The report's id"), Csrf),
    responses((status = 200, description = "Reviewed", body = ReportView), Refused, NotFound, Invalid))]
pub async fn review(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::ReviewEvents)?;
    ok(est::review(&store, &staff.actor(), &id).await?)
}

/// Merge a report into another report of the same event: `{into}`.
#[utoipa::path(post, path = "/api/v1/admin/events/{id}/merge", tag = "est",
    params(("id" = String, Path, description = "The report that is merged"), Csrf),
    request_body(content = est::MergeInput, content_type = "application/json"),
    responses((status = 200, description = "Merged; the merged report", body = ReportView), Refused, NotFound, Invalid))]
pub async fn merge(staff: Staff, store: Db, id: Id, body: Body) -> Answer {
    staff.require(Permission::ReviewEvents)?;
    ok(est::merge(&store, &staff.actor(), &id, &body).await?)
}

/// A report turned into an activity.
#[derive(Serialize, ToSchema)]
pub struct ActedOnDto {
    /// The report, reviewed, naming the activity.
    event: ReportView,
    /// The new activity of the promise.
    activity: ActivityView,
}

/// Turn a report into a countable activity of a promise, as the EST meeting
/// decides to act on it: `{promise_id, activity: {title, owner, target, unit, due_on}}`.
#[utoipa::path(post, path = "/api/v1/admin/events/{id}/activity", tag = "est",
    params(("id" = String, Path, description = "The report's id"), Csrf),
    request_body(content = est::ToActivityInput, content_type = "application/json"),
    responses((status = 201, description = "The activity was added and the report names it", body = ActedOnDto), Refused, NotFound, Invalid))]
pub async fn to_activity(staff: Staff, store: Db, id: Id, body: Body) -> Answer {
    staff.require(Permission::ReviewEvents)?;
    staff.require(Permission::EditPromises)?;
    let (event, activity) = est::to_activity(&store, &staff.actor(), &id, &body).await?;
    created(ActedOnDto { event, activity })
}

/// The weekly lägesbild of händelser: the week's reports by area and category,
/// each against the four weeks before and the same weeks a year earlier
/// (exact conditional Poisson test), as the EST meeting reads it.
#[utoipa::path(get, path = "/api/v1/admin/event-weeks/{week}", tag = "est",
    params(("week" = String, Path, description = "An ISO week, e.g. `2026-W49`")),
    responses((status = 200, description = "The week's picture", body = WeekPicture), Refused, Invalid))]
pub async fn week(staff: Staff, store: Db, week: Id) -> Answer {
    staff.require(Permission::ReviewEvents)?;
    ok(est_week::week(&store, staff.municipality_id(), &week).await?)
}
