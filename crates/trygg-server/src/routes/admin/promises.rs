//! Focus areas, medborgarlöften, activities and progress, and safety walks with
//! their findings, under `/api/v1/admin`. Reading needs `read_results`; changing
//! needs `manage_focus_areas`, `edit_promises`, `add_progress` or `manage_walks`
//! (a police partner may add progress, a viewer may not). Bodies are parsed by the
//! domain's input types, so every broken rule names its field.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use trygg_domain::{
    Activity, ActivityId, ActivityInput, Finding, FindingId, FindingInput, FocusArea,
    FocusAreaInput, Permission, ProgressEntry, ProgressInput, Promise, PromiseId, PromiseInput,
    SafetyWalk, StatusInput, WalkId, WalkInput,
};
use trygg_store::Store;
use utoipa::ToSchema;

use super::allow;
use crate::auth::Staff;
use crate::config::MapSettings;
use crate::error::ApiError;

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/focus-areas")
            .route(web::get().to(focus_areas))
            .route(web::post().to(add_focus_area))
            .default_service(allow("GET, POST")),
    )
    .service(
        web::resource("/promises")
            .route(web::get().to(promises))
            .route(web::post().to(add_promise))
            .default_service(allow("GET, POST")),
    )
    .service(
        web::resource("/promises/{id}")
            .route(web::get().to(promise))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/promises/{id}/activities")
            .route(web::post().to(add_activity))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/activities/{id}/progress")
            .route(web::post().to(add_progress))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/walks")
            .route(web::get().to(walks))
            .route(web::post().to(add_walk))
            .default_service(allow("GET, POST")),
    )
    .service(
        web::resource("/walks/{id}")
            .route(web::get().to(walk))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/walks/{id}/findings")
            .route(web::post().to(add_finding))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/findings/{id}")
            .route(web::patch().to(change_finding))
            .default_service(allow("PATCH")),
    );
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Parses a JSON body into a domain input, naming the field at fault.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(
    body: &serde_json::Value,
) -> Result<T, ApiError> {
    if !body.is_object() {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_body",
            field: None,
            message: "the body must be a JSON object".to_owned(),
        });
    }
    serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_body",
            field: (path != ".").then_some(path),
            message: e.into_inner().to_string(),
        }
    })
}

fn id(raw: &str, what: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(raw)
        .map_err(|_| ApiError::not_found(format!("there is no {what} `{raw}`")))
}

/// A promise with its status and each activity's progress, as staff see it.
#[derive(Serialize, ToSchema)]
pub struct PromiseDto {
    id: String,
    focus_area_id: String,
    title: serde_json::Value,
    starts_on: String,
    ends_on: String,
    parties: Vec<String>,
    expected_effect: serde_json::Value,
    indicator: serde_json::Value,
    /// `on_track`, `behind` or `done`, judged today.
    status: String,
    activities: Vec<ActivityDto>,
}

/// An activity with progress against its target.
#[derive(Serialize, ToSchema)]
pub struct ActivityDto {
    id: String,
    title: serde_json::Value,
    owner: String,
    target: u32,
    unit: String,
    starts_on: String,
    due_on: String,
    achieved: u64,
    status: String,
    progress: Vec<ProgressDto>,
}

/// A progress entry, with its internal note (staff only).
#[derive(Serialize, ToSchema)]
pub struct ProgressDto {
    id: String,
    on: String,
    amount: u32,
    text: String,
    note: Option<String>,
}

impl PromiseDto {
    fn new(p: &Promise, today: time::Date) -> Self {
        Self {
            id: p.id.to_string(),
            focus_area_id: p.focus_area_id.to_string(),
            title: serde_json::json!(p.title),
            starts_on: p.period.starts_on.to_string(),
            ends_on: p.period.ends_on.to_string(),
            parties: p.parties.clone(),
            expected_effect: serde_json::json!(p.expected_effect),
            indicator: serde_json::json!(p.indicator),
            status: p.status(today).as_str().to_owned(),
            activities: p
                .activities
                .iter()
                .map(|a| ActivityDto::new(a, today))
                .collect(),
        }
    }
}

impl ActivityDto {
    fn new(a: &Activity, today: time::Date) -> Self {
        Self {
            id: a.id.to_string(),
            title: serde_json::json!(a.title),
            owner: a.owner.clone(),
            target: a.target,
            unit: a.unit.clone(),
            starts_on: a.starts_on.to_string(),
            due_on: a.due_on.to_string(),
            achieved: a.achieved_by(today),
            status: a.status(today).as_str().to_owned(),
            progress: a
                .progress
                .iter()
                .map(|e| ProgressDto {
                    id: e.id.to_string(),
                    on: e.on.to_string(),
                    amount: e.amount,
                    text: e.text.clone(),
                    note: e.note.clone(),
                })
                .collect(),
        }
    }
}

/// A new focus area.
#[derive(Deserialize, ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct FocusAreaBody {
    name: String,
    /// `place`, `problem` or `group`.
    kind: String,
    area_code: Option<String>,
    starts_on: String,
    ends_on: String,
    rationale: String,
}

/// The municipality's focus areas.
#[utoipa::path(get, path = "/api/v1/admin/focus-areas", tag = "follow-up",
    responses((status = 200, description = "Focus areas, newest first"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn focus_areas(staff: Staff, store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let list = store.focus_areas(staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "focus_areas": list })))
}

/// Choose a focus area.
#[utoipa::path(post, path = "/api/v1/admin/focus-areas", tag = "follow-up",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = FocusAreaBody, content_type = "application/json"),
    responses((status = 201, description = "Chosen"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 422, description = "A broken rule, naming its field", body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn add_focus_area(
    staff: Staff,
    store: web::Data<Store>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageFocusAreas)?;
    let input: FocusAreaInput = parse(&body)?;
    let f = FocusArea::parse(input, staff.municipality_id())?;
    store.insert_focus_area(&f).await?;
    staff.audit(&store, "focus_area_added", &f.name).await?;
    Ok(HttpResponse::Created().json(f))
}

/// The municipality's promises with progress and status.
#[utoipa::path(get, path = "/api/v1/admin/promises", tag = "follow-up",
    responses((status = 200, description = "Promises with activities, progress and status"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn promises(staff: Staff, store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let today = today();
    let list: Vec<PromiseDto> = store
        .promises(staff.municipality_id())
        .await?
        .iter()
        .map(|p| PromiseDto::new(p, today))
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "promises": list })))
}

async fn own_promise(staff: &Staff, store: &Store, raw: &str) -> Result<Promise, ApiError> {
    store
        .promise(
            staff.municipality_id(),
            PromiseId::from_uuid(id(raw, "promise")?),
        )
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no promise `{raw}`")))
}

/// One promise.
#[utoipa::path(get, path = "/api/v1/admin/promises/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The promise's id")),
    responses((status = 200, description = "The promise", body = PromiseDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, description = "No such promise in this municipality", body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn promise(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let p = own_promise(&staff, &store, &path).await?;
    Ok(HttpResponse::Ok().json(PromiseDto::new(&p, today())))
}

/// A new promise.
#[derive(Deserialize, ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct PromiseBody {
    focus_area_id: String,
    /// `{"sv": …, "en": …}`.
    title: serde_json::Value,
    starts_on: String,
    ends_on: String,
    parties: Vec<String>,
    /// `{"sv": …, "en": …}`.
    expected_effect: serde_json::Value,
    /// `{"indicator", "baseline_survey", "area_code"}`.
    indicator: Option<serde_json::Value>,
}

/// Publish a promise.
#[utoipa::path(post, path = "/api/v1/admin/promises", tag = "follow-up",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = PromiseBody, content_type = "application/json"),
    responses((status = 201, description = "Added", body = PromiseDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 422, description = "A broken rule, or an unknown focus area", body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn add_promise(
    staff: Staff,
    store: web::Data<Store>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditPromises)?;
    let input: PromiseInput = parse(&body)?;
    let p = Promise::parse(input, staff.municipality_id())?;
    if store
        .focus_area(staff.municipality_id(), p.focus_area_id)
        .await?
        .is_none()
    {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "unknown_focus_area",
            field: Some("focus_area_id".to_owned()),
            message: "there is no such focus area in this municipality".to_owned(),
        });
    }
    store.insert_promise(&p).await?;
    staff.audit(&store, "promise_added", &p.title.sv).await?;
    Ok(HttpResponse::Created().json(PromiseDto::new(&p, today())))
}

/// A new activity.
#[derive(Deserialize, ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct ActivityBody {
    title: serde_json::Value,
    owner: String,
    target: u32,
    unit: String,
    starts_on: Option<String>,
    due_on: String,
}

/// Add a countable activity to a promise.
#[utoipa::path(post, path = "/api/v1/admin/promises/{id}/activities", tag = "follow-up",
    params(("id" = String, Path, description = "The promise's id"),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = ActivityBody, content_type = "application/json"),
    responses((status = 201, description = "Added", body = ActivityDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, body = crate::api_doc::Error), (status = 422, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn add_activity(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditPromises)?;
    let p = own_promise(&staff, &store, &path).await?;
    let input: ActivityInput = parse(&body)?;
    let a = Activity::parse(input, &p)?;
    store.insert_activity(staff.municipality_id(), &a).await?;
    Ok(HttpResponse::Created().json(ActivityDto::new(&a, today())))
}

/// A progress entry.
#[derive(Deserialize, ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct ProgressBody {
    /// The day the work was done, not in the future.
    on: String,
    /// Units it adds.
    amount: u32,
    /// A short public text, at most 280 characters.
    text: String,
    /// An internal note, never published.
    note: Option<String>,
}

/// Record progress on an activity (a police partner may; a viewer may not).
#[utoipa::path(post, path = "/api/v1/admin/activities/{id}/progress", tag = "follow-up",
    params(("id" = String, Path, description = "The activity's id"),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = ProgressBody, content_type = "application/json"),
    responses((status = 201, description = "Recorded; the activity with its new status", body = ActivityDto),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, body = crate::api_doc::Error), (status = 422, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn add_progress(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::AddProgress)?;
    let activity_id = ActivityId::from_uuid(id(&path, "activity")?);
    let p = store
        .promise_of_activity(staff.municipality_id(), activity_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no activity `{path}`")))?;
    let mut a = p
        .activities
        .into_iter()
        .find(|a| a.id == activity_id)
        .ok_or_else(|| ApiError::not_found(format!("there is no activity `{path}`")))?;
    let input: ProgressInput = parse(&body)?;
    let today = today();
    let entry = ProgressEntry::parse(input, &a, today)?;
    store
        .insert_progress(staff.municipality_id(), &entry)
        .await?;
    a.progress.push(entry);
    Ok(HttpResponse::Created().json(ActivityDto::new(&a, today)))
}

/// A new walk.
#[derive(Deserialize, ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct WalkBody {
    title: String,
    area_code: String,
    walked_on: String,
    /// `[[lon, lat], …]`.
    route: Option<Vec<[f64; 2]>>,
    stops: Option<Vec<String>>,
    participants: Option<Vec<String>>,
}

/// The municipality's walks with their findings.
#[utoipa::path(get, path = "/api/v1/admin/walks", tag = "follow-up",
    responses((status = 200, description = "Walks, newest first, each with its findings"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn walks(staff: Staff, store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let m = staff.municipality_id();
    let findings = store.findings(m, None).await?;
    let today = today();
    let walks: Vec<serde_json::Value> = store
        .walks(m)
        .await?
        .into_iter()
        .map(|w| {
            let own: Vec<serde_json::Value> = findings
                .iter()
                .filter(|f| f.walk_id == w.id)
                .map(|f| {
                    let mut v = serde_json::json!(f);
                    if let Some(object) = v.as_object_mut() {
                        object.insert("overdue".into(), f.is_overdue(today).into());
                    }
                    v
                })
                .collect();
            let mut v = serde_json::json!(w);
            if let Some(object) = v.as_object_mut() {
                object.insert("findings".into(), own.into());
            }
            v
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "walks": walks })))
}

/// One walk with its findings, and what a walk leader needs to place a new
/// finding: the municipality's areas and named places, and the map settings.
#[utoipa::path(get, path = "/api/v1/admin/walks/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The walk's id")),
    responses((status = 200, description = "The walk, its findings, the areas as GeoJSON and the named places"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, description = "No such walk in this municipality", body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn walk(
    staff: Staff,
    store: web::Data<Store>,
    map: web::Data<MapSettings>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let m = staff.municipality_id();
    let w = store
        .walk(m, WalkId::from_uuid(id(&path, "walk")?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no walk `{path}`")))?;
    let today = today();
    let findings: Vec<serde_json::Value> = store
        .findings(m, Some(w.id))
        .await?
        .iter()
        .map(|f| {
            let mut v = serde_json::json!(f);
            if let Some(object) = v.as_object_mut() {
                object.insert("overdue".into(), f.is_overdue(today).into());
            }
            v
        })
        .collect();
    let places: Vec<serde_json::Value> = store
        .places(m)
        .await?
        .into_iter()
        .map(|p| {
            serde_json::json!({"name": p.name, "kind": p.kind.as_str(),
                               "lon": p.location.lon(), "lat": p.location.lat()})
        })
        .collect();
    let areas: Vec<geojson::Feature> = store
        .areas(m)
        .await?
        .into_iter()
        .map(|a| {
            let mut properties = serde_json::Map::new();
            properties.insert("code".to_owned(), a.code.as_str().into());
            properties.insert("name".to_owned(), a.name.into());
            geojson::Feature {
                geometry: Some(geojson::Geometry::from(&a.boundary)),
                properties: Some(properties),
                ..geojson::Feature::default()
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "walk": w,
        "findings": findings,
        "places": places,
        "areas": geojson::FeatureCollection { features: areas, ..geojson::FeatureCollection::default() },
        "map": map.get_ref(),
    })))
}

/// Plan a walk.
#[utoipa::path(post, path = "/api/v1/admin/walks", tag = "follow-up",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = WalkBody, content_type = "application/json"),
    responses((status = 201, description = "Planned"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 422, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn add_walk(
    staff: Staff,
    store: web::Data<Store>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageWalks)?;
    let input: WalkInput = parse(&body)?;
    let w = SafetyWalk::parse(input, staff.municipality_id())?;
    store.insert_walk(&w).await?;
    Ok(HttpResponse::Created().json(w))
}

/// A finding recorded on the walk.
#[derive(Deserialize, ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct FindingBody {
    /// `[lon, lat]`.
    location: [f64; 2],
    /// `lighting`, `vegetation`, `graffiti`, `vandalism`, `litter` or `other` (Swedish names too).
    category: String,
    note: String,
    responsible: String,
    due_on: Option<String>,
}

/// Record a finding of a walk.
#[utoipa::path(post, path = "/api/v1/admin/walks/{id}/findings", tag = "follow-up",
    params(("id" = String, Path, description = "The walk's id"),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = FindingBody, content_type = "application/json"),
    responses((status = 201, description = "Recorded as reported"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, body = crate::api_doc::Error), (status = 422, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn add_finding(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageWalks)?;
    let w = store
        .walk(
            staff.municipality_id(),
            WalkId::from_uuid(id(&path, "walk")?),
        )
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no walk `{path}`")))?;
    let input: FindingInput = parse(&body)?;
    let f = Finding::parse(input, &w)?;
    store.save_finding(staff.municipality_id(), &f).await?;
    Ok(HttpResponse::Created().json(f))
}

/// A status change of a finding.
#[derive(Deserialize, ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct FindingStatusBody {
    /// `reported`, `planned`, `fixed` or `wont_fix`.
    status: String,
    fixed_on: Option<String>,
    /// Required for `wont_fix`.
    reason: Option<String>,
    due_on: Option<String>,
}

/// Move a finding to another status.
#[utoipa::path(patch, path = "/api/v1/admin/findings/{id}", tag = "follow-up",
    params(("id" = String, Path, description = "The finding's id"),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = FindingStatusBody, content_type = "application/json"),
    responses((status = 200, description = "The finding with its new status"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, body = crate::api_doc::Error), (status = 422, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn change_finding(
    staff: Staff,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageWalks)?;
    let mut f = store
        .finding(
            staff.municipality_id(),
            FindingId::from_uuid(id(&path, "finding")?),
        )
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no finding `{path}`")))?;
    let input: StatusInput = parse(&body)?;
    f.update(&input, today())?;
    store.save_finding(staff.municipality_id(), &f).await?;
    Ok(HttpResponse::Ok().json(f))
}
