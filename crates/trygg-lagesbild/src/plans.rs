//! The åtgärdsplan of a samverkansöverenskommelse as staff work with it:
//! samverkansområden with their insatser and owners, the quarterly check
//! dates, the mid-term review and the follow-up meetings (chefssamråd). Every
//! change reads the plan of the actor's municipality, changes it through the
//! domain's rules, stores it whole and is audited.

use serde::Serialize;
use time::{Date, OffsetDateTime};
use trygg_domain::{
    ActionPlan, ActionPlanId, ActionPlanInput, AuditAction, Meeting, MeetingInput, MidtermReview,
    MidtermReviewInput, MunicipalityId,
};
use trygg_store::Store;

use crate::workflow::{Actor, WorkflowError, find_own, parse_body};

/// A plan with what staff need to follow it up today.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    plan: ActionPlan,
    /// The next check date on or after today, if any is left.
    next_check: Option<String>,
    /// The day the mid-term review is due: half the agreement's period.
    midpoint: String,
}

impl PlanView {
    fn new(plan: ActionPlan, today: Date) -> Self {
        Self {
            next_check: plan.next_check(today).map(|d| d.to_string()),
            midpoint: plan.period.midpoint().to_string(),
            plan,
        }
    }
}

fn view(plan: ActionPlan) -> PlanView {
    PlanView::new(plan, OffsetDateTime::now_utc().date())
}

/// The municipality's action plans, newest first.
///
/// # Errors
/// The store's.
pub async fn plans(store: &Store, m: MunicipalityId) -> Result<Vec<PlanView>, WorkflowError> {
    Ok(store.action_plans(m).await?.into_iter().map(view).collect())
}

async fn own_plan(
    store: &Store,
    m: MunicipalityId,
    raw: &str,
) -> Result<ActionPlan, WorkflowError> {
    find_own(raw, "action plan", |id| {
        store.action_plan(m, ActionPlanId::from_uuid(id))
    })
    .await
}

/// Action plan `raw` of the municipality.
///
/// # Errors
/// No such plan; the store's.
pub async fn plan(store: &Store, m: MunicipalityId, raw: &str) -> Result<PlanView, WorkflowError> {
    Ok(view(own_plan(store, m, raw).await?))
}

/// Adds the action plan `body` describes (`{title, starts_on, ends_on, areas,
/// check_dates?, midterm_review?, meetings?}`); check dates default to the
/// quarter ends within the period.
///
/// # Errors
/// A broken rule, naming its field; the store's.
pub async fn add_plan(
    store: &Store,
    actor: &Actor,
    body: &serde_json::Value,
) -> Result<PlanView, WorkflowError> {
    let input: ActionPlanInput = parse_body(body)?;
    let plan = ActionPlan::parse(input, actor.municipality())?;
    save(store, actor, plan, AuditAction::ActionPlanAdded, None).await
}

/// Replaces plan `raw` as a whole with the one `body` describes (the same body
/// as [`add_plan`]'s), keeping its id.
///
/// # Errors
/// No such plan; a broken rule; the store's.
pub async fn replace_plan(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<PlanView, WorkflowError> {
    let old = own_plan(store, actor.municipality(), raw).await?;
    let input: ActionPlanInput = parse_body(body)?;
    let mut plan = ActionPlan::parse(input, actor.municipality())?;
    plan.id = old.id;
    save(store, actor, plan, AuditAction::ActionPlanChanged, None).await
}

/// Records a follow-up meeting (`{held_on, kind, decisions}`) on plan `raw`.
///
/// # Errors
/// No such plan; a broken rule; the store's.
pub async fn add_meeting(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<PlanView, WorkflowError> {
    let mut plan = own_plan(store, actor.municipality(), raw).await?;
    let meeting = Meeting::parse(parse_body::<MeetingInput>(body)?, "")?;
    let kind = meeting.kind().to_owned();
    plan.add_meeting(meeting);
    save(
        store,
        actor,
        plan,
        AuditAction::PlanMeetingRecorded,
        Some(kind),
    )
    .await
}

/// Records the mid-term review (`{held_on, cooperation, implementation,
/// results}`) of plan `raw`, replacing an earlier one.
///
/// # Errors
/// No such plan; a broken rule (e.g. a review before the midpoint); the store's.
pub async fn record_review(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: &serde_json::Value,
) -> Result<PlanView, WorkflowError> {
    let mut plan = own_plan(store, actor.municipality(), raw).await?;
    plan.record_review(MidtermReview::parse(
        parse_body::<MidtermReviewInput>(body)?,
        "",
    )?)?;
    save(
        store,
        actor,
        plan,
        AuditAction::PlanMidtermReviewRecorded,
        None,
    )
    .await
}

/// Stores `plan` whole and audits `action` on `target` (the plan's title when none).
async fn save(
    store: &Store,
    actor: &Actor,
    plan: ActionPlan,
    action: AuditAction,
    target: Option<String>,
) -> Result<PlanView, WorkflowError> {
    store.save_action_plan(&plan).await?;
    let target = target.unwrap_or_else(|| plan.title.clone());
    actor.audit(store, action, &target).await?;
    Ok(view(plan))
}
