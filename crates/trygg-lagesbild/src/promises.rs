//! Focus areas, medborgarlöften with their activities and progress, and
//! safety walks with their findings, as staff work with them: each input is
//! parsed by the domain's input types (so every broken rule names its field),
//! checked against the actor's municipality, stored and audited; each answer
//! says where its public texts stand in moderation.

use std::collections::HashMap;
use trygg_domain::ErrorCode;

use serde::Serialize;
use time::{Date, OffsetDateTime};
use trygg_domain::AuditAction;
use trygg_domain::{
    Activity, ActivityId, ActivityInput, Finding, FindingId, FindingInput, FlagKind, FocusArea,
    FocusAreaInput, IndicatorLink, LocalizedText, ModerationStatus, MunicipalityId, ProgressEntry,
    ProgressInput, Promise, PromiseId, PromiseInput, SafetyWalk, StatusInput, WalkId, WalkInput,
    personal_data_flags, staff_text_status,
};
use trygg_store::Store;

use crate::intake::area_collection;
use crate::workflow::{Actor, WorkflowError, find_own, parse_body};

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn id(raw: &str, what: &str) -> Result<uuid::Uuid, WorkflowError> {
    uuid::Uuid::parse_str(raw)
        .map_err(|_| WorkflowError::NotFound(format!("there is no {what} `{raw}`")))
}

/// The moderators' decisions on the municipality's public texts, by id.
type Reviews = HashMap<uuid::Uuid, ModerationStatus>;

/// Where a public text stands, and what in it looks like personal data.
fn review(reviews: &Reviews, id: uuid::Uuid, text: &str) -> (ModerationStatus, Vec<FlagKind>) {
    let mut flags: Vec<FlagKind> = personal_data_flags(text).iter().map(|f| f.kind).collect();
    flags.sort();
    flags.dedup();
    (staff_text_status(text, reviews.get(&id).copied()), flags)
}

/// A promise with its status and each activity's progress, as staff see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PromiseView {
    id: String,
    focus_area_id: String,
    title: LocalizedText,
    starts_on: String,
    ends_on: String,
    parties: Vec<String>,
    expected_effect: LocalizedText,
    /// `{"indicator", "baseline_survey", "area_code"}`, or null.
    #[schema(value_type = Option<Object>)]
    indicator: Option<IndicatorLink>,
    /// `on_track`, `behind` or `done`, judged today.
    status: String,
    activities: Vec<ActivityView>,
}

/// An activity with progress against its target.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityView {
    #[schema(value_type = String)]
    id: ActivityId,
    title: LocalizedText,
    owner: String,
    target: u32,
    unit: String,
    starts_on: String,
    due_on: String,
    achieved: u64,
    status: String,
    progress: Vec<ProgressView>,
}

/// A progress entry, with its internal note (staff only).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProgressView {
    id: String,
    on: String,
    amount: u32,
    text: String,
    note: Option<String>,
    /// Where the public text stands: `approved` (shown), `pending` (looks like
    /// personal data, hidden until a moderator decides), `redacted` or `rejected`.
    #[schema(value_type = String)]
    review: ModerationStatus,
    /// What in the text looks like personal data.
    #[schema(value_type = Vec<String>)]
    flags: Vec<FlagKind>,
}

/// A finding as staff see it: as written, with where its note stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FindingView {
    /// The finding's fields: id, walk_id, location, category, note,
    /// responsible, status (with fixed_on or reason) and due_on.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    finding: Finding,
    /// Past its due day and not dealt with.
    overdue: bool,
    /// Where the note stands in moderation.
    review: &'static str,
    /// What in the note looks like personal data.
    #[schema(value_type = Vec<String>)]
    flags: Vec<FlagKind>,
}

/// A walk with its findings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WalkView {
    /// The walk's fields: id, municipality_id, title, area_code, walked_on,
    /// route, stops and participants.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    walk: SafetyWalk,
    findings: Vec<FindingView>,
}

/// One walk with its findings, and what a walk leader needs to place a new
/// finding: the municipality's areas and named places.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WalkPage {
    #[schema(value_type = Object)]
    walk: SafetyWalk,
    findings: Vec<FindingView>,
    places: Vec<WalkPlace>,
    /// A GeoJSON FeatureCollection of the areas, with `code` and `name` properties.
    #[schema(value_type = Object)]
    areas: ::geojson::FeatureCollection,
}

/// A named place on the walk leader's map.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WalkPlace {
    name: String,
    kind: String,
    lon: f64,
    lat: f64,
}

impl PromiseView {
    fn new(p: &Promise, reviews: &Reviews, today: Date) -> Self {
        Self {
            id: p.id.to_string(),
            focus_area_id: p.focus_area_id.to_string(),
            title: p.title.clone(),
            starts_on: p.period.starts_on().to_string(),
            ends_on: p.period.ends_on().to_string(),
            parties: p.parties.clone(),
            expected_effect: p.expected_effect.clone(),
            indicator: p.indicator.clone(),
            status: p.status(today).as_str().to_owned(),
            activities: p
                .activities
                .iter()
                .map(|a| ActivityView::new(a, reviews, today))
                .collect(),
        }
    }
}

impl ActivityView {
    /// The activity's id.
    pub const fn id(&self) -> ActivityId {
        self.id
    }

    fn new(a: &Activity, reviews: &Reviews, today: Date) -> Self {
        Self {
            id: a.id,
            title: a.title.clone(),
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
                .map(|e| ProgressView::new(e, reviews))
                .collect(),
        }
    }
}

impl ProgressView {
    fn new(e: &ProgressEntry, reviews: &Reviews) -> Self {
        let (review, flags) = review(reviews, e.id.as_uuid(), &e.text);
        Self {
            id: e.id.to_string(),
            on: e.on.to_string(),
            amount: e.amount,
            text: e.text.clone(),
            note: e.note.clone(),
            review,
            flags,
        }
    }
}

impl FindingView {
    fn new(f: Finding, reviews: &Reviews, today: Date) -> Self {
        let (status, flags) = review(reviews, f.id.as_uuid(), &f.note);
        Self {
            overdue: f.is_overdue(today),
            review: status.as_str(),
            flags,
            finding: f,
        }
    }
}

/// Chooses a focus area.
///
/// # Errors
/// A broken rule, naming its field.
pub async fn add_focus_area(
    store: &Store,
    actor: &Actor,
    body: &serde_json::Value,
) -> Result<FocusArea, WorkflowError> {
    let input: FocusAreaInput = parse_body(body)?;
    let f = FocusArea::parse(input, actor.municipality())?;
    store.insert_focus_area(&f).await?;
    actor
        .audit(store, AuditAction::FocusAreaAdded, &f.name)
        .await?;
    Ok(f)
}

/// The municipality's promises with progress and status, judged today.
///
/// # Errors
/// The store's.
pub async fn promises(store: &Store, m: MunicipalityId) -> Result<Vec<PromiseView>, WorkflowError> {
    let today = today();
    let reviews = store.staff_text_decided(m).await?;
    let promises = store.promises_as_written(m).await?;
    Ok(promises
        .iter()
        .map(|p| PromiseView::new(p, &reviews, today))
        .collect())
}

async fn own_promise(
    store: &Store,
    m: MunicipalityId,
    raw: &str,
) -> Result<Promise, WorkflowError> {
    find_own(raw, "promise", |id| {
        store.promise(m, PromiseId::from_uuid(id))
    })
    .await
}

/// Promise `raw` of the municipality.
///
/// # Errors
/// No such promise.
pub async fn promise(
    store: &Store,
    m: MunicipalityId,
    raw: &str,
) -> Result<PromiseView, WorkflowError> {
    let p = own_promise(store, m, raw).await?;
    let reviews = store.staff_text_decided(m).await?;
    Ok(PromiseView::new(&p, &reviews, today()))
}

/// Publishes a promise under one of the municipality's focus areas.
///
/// # Errors
/// A broken rule, or a focus area of no such id here (`unknown_focus_area`).
pub async fn add_promise(
    store: &Store,
    actor: &Actor,
    body: &serde_json::Value,
) -> Result<PromiseView, WorkflowError> {
    let input: PromiseInput = parse_body(body)?;
    let p = Promise::parse(input, actor.municipality())?;
    if store
        .focus_area(actor.municipality(), p.focus_area_id)
        .await?
        .is_none()
    {
        return Err(WorkflowError::invalid(
            ErrorCode::UnknownFocusArea,
            "focus_area_id",
            "there is no such focus area in this municipality",
        ));
    }
    store.insert_promise(&p).await?;
    actor
        .audit(store, AuditAction::PromiseAdded, &p.title.sv)
        .await?;
    Ok(PromiseView::new(&p, &Reviews::new(), today()))
}

/// Adds a countable activity to promise `raw`.
///
/// # Errors
/// No such promise, or a broken rule.
pub async fn add_activity(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<ActivityView, WorkflowError> {
    let p = own_promise(store, actor.municipality(), raw).await?;
    let input: ActivityInput = parse_body(body)?;
    let a = Activity::parse(input, &p)?;
    store.insert_activity(actor.municipality(), &a).await?;
    Ok(ActivityView::new(&a, &Reviews::new(), today()))
}

/// Records progress on activity `raw`; the activity with its new status.
///
/// # Errors
/// No such activity, or a broken rule.
pub async fn add_progress(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<ActivityView, WorkflowError> {
    let m = actor.municipality();
    let missing = || WorkflowError::NotFound(format!("there is no activity `{raw}`"));
    let activity_id = ActivityId::from_uuid(id(raw, "activity")?);
    let p = store
        .promise_of_activity(m, activity_id)
        .await?
        .ok_or_else(missing)?;
    let mut a = p
        .activities
        .into_iter()
        .find(|a| a.id == activity_id)
        .ok_or_else(missing)?;
    let input: ProgressInput = parse_body(body)?;
    let today = today();
    let entry = ProgressEntry::parse(input, &a, today)?;
    store.insert_progress(m, &entry).await?;
    a.progress.push(entry);
    let reviews = store.staff_text_decided(m).await?;
    Ok(ActivityView::new(&a, &reviews, today))
}

/// The municipality's walks, newest first, each with its findings.
///
/// # Errors
/// The store's.
pub async fn walks(store: &Store, m: MunicipalityId) -> Result<Vec<WalkView>, WorkflowError> {
    let findings = store.findings_as_written(m, None).await?;
    let reviews = store.staff_text_decided(m).await?;
    let today = today();
    Ok(store
        .walks(m)
        .await?
        .into_iter()
        .map(|walk| WalkView {
            findings: findings
                .iter()
                .filter(|f| f.walk_id == walk.id)
                .map(|f| FindingView::new(f.clone(), &reviews, today))
                .collect(),
            walk,
        })
        .collect())
}

async fn own_walk(
    store: &Store,
    m: MunicipalityId,
    raw: &str,
) -> Result<SafetyWalk, WorkflowError> {
    find_own(raw, "walk", |id| store.walk(m, WalkId::from_uuid(id))).await
}

/// Walk `raw` with its findings, the areas and the named places.
///
/// # Errors
/// No such walk.
pub async fn walk_page(
    store: &Store,
    m: MunicipalityId,
    raw: &str,
) -> Result<WalkPage, WorkflowError> {
    let walk = own_walk(store, m, raw).await?;
    let today = today();
    let reviews = store.staff_text_decided(m).await?;
    let findings = store
        .findings_as_written(m, Some(walk.id))
        .await?
        .into_iter()
        .map(|f| FindingView::new(f, &reviews, today))
        .collect();
    let places = store
        .places(m)
        .await?
        .into_iter()
        .map(|p| WalkPlace {
            kind: p.kind.as_str().to_owned(),
            lon: p.location.lon(),
            lat: p.location.lat(),
            name: p.name,
        })
        .collect();
    let areas = area_collection(store, m).await?;
    Ok(WalkPage {
        walk,
        findings,
        places,
        areas,
    })
}

/// Plans a walk.
///
/// # Errors
/// A broken rule, naming its field.
pub async fn add_walk(
    store: &Store,
    actor: &Actor,
    body: &serde_json::Value,
) -> Result<SafetyWalk, WorkflowError> {
    let input: WalkInput = parse_body(body)?;
    let w = SafetyWalk::parse(input, actor.municipality())?;
    store.insert_walk(&w).await?;
    Ok(w)
}

/// Records a finding of walk `raw`, as reported.
///
/// # Errors
/// No such walk, or a broken rule.
pub async fn add_finding(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<FindingView, WorkflowError> {
    let m = actor.municipality();
    let w = own_walk(store, m, raw).await?;
    let input: FindingInput = parse_body(body)?;
    let f = Finding::parse(input, &w)?;
    store.save_finding(m, &f).await?;
    let reviews = store.staff_text_decided(m).await?;
    Ok(FindingView::new(f, &reviews, today()))
}

/// Moves finding `raw` to another status.
///
/// # Errors
/// No such finding, or a change its status does not allow.
pub async fn change_finding(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<FindingView, WorkflowError> {
    let m = actor.municipality();
    let mut f = find_own(raw, "finding", |id| {
        store.finding(m, FindingId::from_uuid(id))
    })
    .await?;
    let input: StatusInput = parse_body(body)?;
    f.update(&input, today())?;
    store.save_finding(m, &f).await?;
    let reviews = store.staff_text_decided(m).await?;
    Ok(FindingView::new(f, &reviews, today()))
}
