//! EST work as staff do it: the municipality's partner organisations, which
//! organisation a rapportör reports for, the händelser they report, and the
//! coordinator's review (correct, mark as read, merge two reports of one event).
//!
//! Who sees what is a [`Reach`]: a rapportör reaches their own organisation's
//! reports only (another organisation's report is "not found"); the coordinator
//! reaches all of the municipality's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use trygg_domain::ErrorCode;
use trygg_domain::{
    AuditAction, EventDetails, EventReport, EventReportId, EventReportInput, FlagKind, IsoWeek,
    Organisation, OrganisationId, OrganisationInput, ReportStatus, StaffUserId,
    personal_data_flags,
};
use trygg_store::Store;
use utoipa::ToSchema;

use crate::promises::ActivityView;
use crate::workflow::{Actor, WorkflowError, find_own, parse_body};

/// Whose reports an actor may see and correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The reports of the organisation the actor's account reports for.
    OwnOrganisation,
    /// Every report of the municipality (the EST coordinator).
    All,
}

/// A partner organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    id: String,
    name: String,
}

impl From<&Organisation> for OrganisationView {
    fn from(o: &Organisation) -> Self {
        Self {
            id: o.id().to_string(),
            name: o.name().to_owned(),
        }
    }
}

/// One reported händelse as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    id: String,
    organisation_id: String,
    /// The account that reported it, while it exists.
    reported_by: Option<String>,
    category: String,
    /// RFC 3339.
    occurred_at: String,
    occurred_until: Option<String>,
    /// The ISO week it happened in, e.g. `2026-W49`.
    week: String,
    lon: Option<f64>,
    lat: Option<f64>,
    place: Option<String>,
    description: Option<String>,
    /// What in the description looks like personal data (EST is about places,
    /// not people): the coordinator edits it out.
    #[schema(value_type = Vec<String>)]
    description_flags: Vec<FlagKind>,
    people: Option<u32>,
    police_called: bool,
    /// `new`, `reviewed` or `merged`.
    status: &'static str,
    /// The report it was merged into.
    merged_into: Option<String>,
    /// The promise activity it was turned into.
    activity_id: Option<String>,
}

fn rfc3339(at: OffsetDateTime) -> Result<String, WorkflowError> {
    at.format(&Rfc3339)
        .map_err(|e| WorkflowError::Internal(format!("formatting a time: {e}")))
}

impl ReportView {
    fn new(r: &EventReport) -> Result<Self, WorkflowError> {
        let d = r.details();
        let description = d.description().map(str::to_owned);
        let mut flags: Vec<FlagKind> = description
            .as_deref()
            .map(personal_data_flags)
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.kind)
            .collect();
        flags.dedup();
        Ok(Self {
            id: r.id().to_string(),
            organisation_id: r.organisation().to_string(),
            reported_by: r.reported_by().map(|u| u.to_string()),
            category: d.category().as_str().to_owned(),
            occurred_at: rfc3339(d.occurred_at())?,
            occurred_until: d.occurred_until().map(rfc3339).transpose()?,
            week: IsoWeek::of(d.occurred_at().date()).to_string(),
            lon: d.location().map(|l| l.lon()),
            lat: d.location().map(|l| l.lat()),
            place: d.place().map(str::to_owned),
            description,
            description_flags: flags,
            people: d.people(),
            police_called: d.police_called(),
            status: r.status().as_str(),
            merged_into: match r.status() {
                ReportStatus::Merged(into) => Some(into.to_string()),
                ReportStatus::New | ReportStatus::Reviewed => None,
            },
            activity_id: r.activity().map(|a| a.to_string()),
        })
    }
}

/// The municipality's partner organisations, by name.
///
/// # Errors
/// The store's.
pub async fn organisations(
    store: &Store,
    actor: &Actor,
) -> Result<Vec<OrganisationView>, WorkflowError> {
    Ok(store
        .organisations(actor.municipality())
        .await?
        .iter()
        .map(OrganisationView::from)
        .collect())
}

/// Adds a partner organisation: `{name}`.
///
/// # Errors
/// A broken rule; a name the municipality already has (`Conflict` on `name`).
pub async fn add_organisation(
    store: &Store,
    actor: &Actor,
    body: &serde_json::Value,
) -> Result<OrganisationView, WorkflowError> {
    let input: OrganisationInput = parse_body(body)?;
    let organisation = Organisation::parse(&input)?;
    store
        .insert_organisation(actor.municipality(), &organisation)
        .await
        .map_err(conflict)?;
    actor
        .audit(store, AuditAction::OrganisationAdded, organisation.name())
        .await?;
    Ok(OrganisationView::from(&organisation))
}

fn conflict(e: trygg_store::StoreError) -> WorkflowError {
    match e {
        trygg_store::StoreError::Conflict { field, message } => {
            WorkflowError::invalid(ErrorCode::Duplicate, field, message)
        }
        e => e.into(),
    }
}

/// The body that sets which organisation an account reports for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReporterOrganisationInput {
    /// The organisation's id, or `null` for none.
    organisation_id: Option<String>,
}

/// Sets the organisation the account `raw_user` reports for: `{organisation_id}`.
///
/// # Errors
/// No such account; no such organisation (422 on `organisation_id`).
pub async fn set_reporter_organisation(
    store: &Store,
    actor: &Actor,
    raw_user: &str,
    body: &serde_json::Value,
) -> Result<(), WorkflowError> {
    let input: ReporterOrganisationInput = parse_body(body)?;
    let m = actor.municipality();
    let organisation = match input.organisation_id.as_deref() {
        None => None,
        Some(raw) => Some(
            find_own(raw, "organisation", |id| {
                store.organisation(m, OrganisationId::from_uuid(id))
            })
            .await
            .map_err(named_by("organisation_id"))?,
        ),
    };
    let user = find_own(raw_user, "account", |id| {
        store.staff_user(m, StaffUserId::from_uuid(id))
    })
    .await?;
    store
        .set_staff_organisation(m, user.id, organisation.as_ref().map(Organisation::id))
        .await?;
    let target = match &organisation {
        Some(o) => format!("{} → {}", user.email, o.name()),
        None => format!("{} → –", user.email),
    };
    actor
        .audit(store, AuditAction::ReporterOrganisationSet, &target)
        .await?;
    Ok(())
}

/// A row that a field of the body names but that does not exist is a broken
/// rule at that field (422), not a missing resource (404).
fn named_by(field: &'static str) -> impl Fn(WorkflowError) -> WorkflowError {
    move |e| match e {
        WorkflowError::NotFound(message) => {
            WorkflowError::invalid(ErrorCode::Invalid, field, message)
        }
        e => e,
    }
}

/// Stores the changed `report`, audits `action` on `target`, and answers it.
async fn changed(
    store: &Store,
    actor: &Actor,
    report: &EventReport,
    action: AuditAction,
    target: &str,
) -> Result<ReportView, WorkflowError> {
    store
        .update_event_report(actor.municipality(), report)
        .await?;
    actor.audit(store, action, target).await?;
    ReportView::new(report)
}

/// Whose reports an actor sees, once their account's organisation is known.
enum Seen {
    /// Every organisation's.
    All,
    /// One organisation's.
    Of(OrganisationId),
    /// None: the account reports for no organisation.
    Nothing,
}

impl Seen {
    async fn of(store: &Store, actor: &Actor, reach: Reach) -> Result<Self, WorkflowError> {
        Ok(match reach {
            Reach::All => Self::All,
            Reach::OwnOrganisation => store
                .staff_organisation(actor.municipality(), actor.user())
                .await?
                .map_or(Self::Nothing, Self::Of),
        })
    }

    fn includes(&self, report: &EventReport) -> bool {
        match self {
            Self::All => true,
            Self::Of(own) => *own == report.organisation(),
            Self::Nothing => false,
        }
    }
}

/// Checks an `Idempotency-Key` an offline phone sends with a report.
fn idempotency_key(raw: Option<&str>) -> Result<Option<&str>, WorkflowError> {
    match raw {
        None => Ok(None),
        Some(key)
            if (1..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(Some(key))
        }
        Some(_) => Err(WorkflowError::invalid(
            ErrorCode::InvalidIdempotencyKey,
            "Idempotency-Key",
            "the Idempotency-Key must be 1 to 128 visible ASCII characters, such as a UUID",
        )),
    }
}

/// Stores a report by the actor for the organisation their account reports
/// for. Sent again with the same `Idempotency-Key` (a phone that was offline),
/// it is stored once and the stored report is answered.
///
/// # Errors
/// A broken rule; an account that reports for no organisation (422 on
/// `organisation_id`); a malformed key.
pub async fn report(
    store: &Store,
    actor: &Actor,
    body: &serde_json::Value,
    key: Option<&str>,
) -> Result<ReportView, WorkflowError> {
    let key = idempotency_key(key)?;
    let input: EventReportInput = parse_body(body)?;
    let details = EventDetails::parse(&input, OffsetDateTime::now_utc(), "")?;
    let organisation = store
        .staff_organisation(actor.municipality(), actor.user())
        .await?
        .ok_or_else(|| {
            WorkflowError::invalid(
                ErrorCode::Required,
                "organisation_id",
                "your account reports for no organisation yet; an administrator sets it on the Users page",
            )
        })?;
    let report = EventReport::new(organisation, actor.user(), details);
    let stored = store
        .insert_event_report(actor.municipality(), &report, key)
        .await?;
    if stored.id() == report.id() {
        actor
            .audit(store, AuditAction::EventReported, &report.id().to_string())
            .await?;
    }
    ReportView::new(&stored)
}

/// The reports the actor reaches, latest first.
///
/// # Errors
/// The store's.
pub async fn reports(
    store: &Store,
    actor: &Actor,
    reach: Reach,
) -> Result<Vec<ReportView>, WorkflowError> {
    let reports = match Seen::of(store, actor, reach).await? {
        Seen::All => store.event_reports(actor.municipality(), None).await?,
        Seen::Of(own) => store.event_reports(actor.municipality(), Some(own)).await?,
        Seen::Nothing => Vec::new(),
    };
    reports.iter().map(ReportView::new).collect()
}

/// The report `raw`, when the actor reaches it.
async fn reached(
    store: &Store,
    actor: &Actor,
    reach: Reach,
    raw: &str,
) -> Result<EventReport, WorkflowError> {
    let m = actor.municipality();
    let report = find_own(raw, "report", |id| {
        store.event_report(m, EventReportId::from_uuid(id))
    })
    .await?;
    if Seen::of(store, actor, reach).await?.includes(&report) {
        Ok(report)
    } else {
        Err(WorkflowError::NotFound(format!(
            "there is no report `{raw}`"
        )))
    }
}

/// One report the actor reaches.
///
/// # Errors
/// No such report, or one of another organisation for a rapportör.
pub async fn report_one(
    store: &Store,
    actor: &Actor,
    reach: Reach,
    raw: &str,
) -> Result<ReportView, WorkflowError> {
    ReportView::new(&reached(store, actor, reach, raw).await?)
}

/// Corrects report `raw` as a whole (the same body as reporting it).
///
/// # Errors
/// No such report within reach; a broken rule.
pub async fn correct(
    store: &Store,
    actor: &Actor,
    reach: Reach,
    raw: &str,
    body: &serde_json::Value,
) -> Result<ReportView, WorkflowError> {
    // The body first: a broken one is a 422 whatever the id.
    let input: EventReportInput = parse_body(body)?;
    let details = EventDetails::parse(&input, OffsetDateTime::now_utc(), "")?;
    let report = reached(store, actor, reach, raw).await?.corrected(details);
    let target = report.id().to_string();
    changed(store, actor, &report, AuditAction::EventCorrected, &target).await
}

/// Marks report `raw` as read by the coordinator.
///
/// # Errors
/// No such report; a merged report.
pub async fn review(store: &Store, actor: &Actor, raw: &str) -> Result<ReportView, WorkflowError> {
    let report = reached(store, actor, Reach::All, raw).await?.reviewed()?;
    let target = report.id().to_string();
    changed(store, actor, &report, AuditAction::EventReviewed, &target).await
}

/// The body of a merge: the report that is kept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    /// The id of the report of the same event that is kept.
    into: String,
}

/// Merges report `raw` into another report of the same event (`{into}`), as
/// when two organisations report one fire: the merged one stays, marked, and
/// no longer counts.
///
/// # Errors
/// No such report; `into` names no report, itself, or a merged one (422 on `into`).
pub async fn merge(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<ReportView, WorkflowError> {
    let input: MergeInput = parse_body(body)?;
    let into = reached(store, actor, Reach::All, &input.into)
        .await
        .map_err(named_by("into"))?;
    let report = reached(store, actor, Reach::All, raw).await?;
    let merged = report.merged_into(&into)?;
    let target = format!("{} → {}", merged.id(), into.id());
    changed(store, actor, &merged, AuditAction::EventMerged, &target).await
}

/// The body that turns a report into an activity: the promise it serves and
/// the activity, as `POST /promises/{id}/activities` takes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ToActivityInput {
    /// The promise (medborgarlöfte) the activity belongs to.
    promise_id: String,
    /// `{title, owner, target, unit, starts_on?, due_on}`.
    #[schema(value_type = Object)]
    activity: serde_json::Value,
}

/// Turns report `raw` into a countable activity of a promise (`{promise_id,
/// activity}`), as the EST meeting decides to act on it; the report is then
/// reviewed and names the activity.
///
/// # Errors
/// No such report or promise; a merged report, or one that is already an
/// activity; a broken rule in the activity (fields under `activity`).
pub async fn to_activity(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<(ReportView, ActivityView), WorkflowError> {
    let input: ToActivityInput = parse_body(body)?;
    if uuid::Uuid::parse_str(&input.promise_id).is_err() {
        return Err(WorkflowError::invalid(
            ErrorCode::Invalid,
            "promise_id",
            format!("there is no promise `{}`", input.promise_id),
        ));
    }
    let report = reached(store, actor, Reach::All, raw).await?;
    // Checked before the activity is stored, so a refusal writes nothing.
    report
        .clone()
        .turned_into(trygg_domain::ActivityId::new())?;
    let activity = crate::promises::add_activity(store, actor, &input.promise_id, &input.activity)
        .await
        .map_err(|e| match e {
            WorkflowError::Invalid(mut e) => {
                e.field = trygg_domain::join_path("activity", &e.field);
                WorkflowError::Invalid(e)
            }
            e => named_by("promise_id")(e),
        })?;
    let acted = report.turned_into(activity.id())?;
    let target = format!("{} → {}", acted.id(), activity.id());
    let view = changed(
        store,
        actor,
        &acted,
        AuditAction::EventTurnedIntoActivity,
        &target,
    )
    .await?;
    Ok((view, activity))
}

/// One row of an import: the organisation's name and what it reports.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The organisation, by name; one the municipality lacks is added.
    pub organisation: String,
    /// The report.
    pub details: EventDetails,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Reports stored now.
    pub stored: u64,
    /// Reports stored by an earlier import of the same rows.
    pub already: u64,
    /// Organisations added, by name.
    pub organisations: Vec<String>,
}

/// The key that makes importing the same row twice store it once: a digest
/// of everything the row says.
fn import_key(row: &ImportRow) -> String {
    use sha2::{Digest, Sha256};
    let d = &row.details;
    let fields = [
        row.organisation.clone(),
        d.occurred_at().unix_timestamp().to_string(),
        d.occurred_until()
            .map(|t| t.unix_timestamp().to_string())
            .unwrap_or_default(),
        d.location()
            .map(|l| format!("{:.7} {:.7}", l.lon(), l.lat()))
            .unwrap_or_default(),
        d.place().unwrap_or_default().to_owned(),
        d.category().as_str().to_owned(),
        d.description().unwrap_or_default().to_owned(),
    ];
    let digest = Sha256::digest(fields.join("\u{1f}").as_bytes());
    format!("import:{}", crate::password::hex(&digest))
}

/// Imports reports of partners' own systems (a bevakningsföretag's log) into
/// municipality `m`, all or nothing; a row imported before is passed over.
///
/// # Errors
/// The store's.
pub async fn import(
    store: &Store,
    m: trygg_domain::MunicipalityId,
    rows: &[ImportRow],
) -> Result<Imported, WorkflowError> {
    let mut known: BTreeMap<String, OrganisationId> = store
        .organisations(m)
        .await?
        .iter()
        .map(|o| (o.name().to_owned(), o.id()))
        .collect();
    let mut added = Vec::new();
    let mut reports = Vec::with_capacity(rows.len());
    for row in rows {
        let organisation = match known.get(&row.organisation) {
            Some(id) => *id,
            None => {
                let o = Organisation::parse(&OrganisationInput {
                    name: row.organisation.clone(),
                })?;
                known.insert(o.name().to_owned(), o.id());
                let id = o.id();
                added.push(o);
                id
            }
        };
        reports.push((
            EventReport::imported(organisation, row.details.clone()),
            import_key(row),
        ));
    }
    let stored = store.import_event_reports(m, &added, &reports).await?;
    store
        .audit(
            m,
            None,
            AuditAction::EventsImported,
            &format!("{stored} of {}", rows.len()),
        )
        .await?;
    Ok(Imported {
        stored,
        already: rows.len() as u64 - stored,
        organisations: added.iter().map(|o| o.name().to_owned()).collect(),
    })
}
