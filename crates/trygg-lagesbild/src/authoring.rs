//! Survey authoring: drafts made from a full definition, revised, deleted,
//! published with their dates, and copied into new rounds. Every definition is
//! parsed by the domain's `Survey::parse`, exactly as `trygg survey import`
//! parses it, so a survey made here is what resident intake accepts; a
//! published survey is revised only through `check_revision`, which names the
//! field of any change that would break comparability. Each change is audited.

use serde::Deserialize;
use time::{Date, OffsetDateTime};
use trygg_domain::AuditAction;
use trygg_domain::ErrorCode;
use trygg_domain::{
    BankEntry, MunicipalityId, RetentionDays, Survey, SurveyId, SurveyInput, SurveyStatus, Topic,
    area_question, check_revision, join_path, new_round, plain_json, question_bank, to_input,
};
use trygg_store::{AuthoredSurvey, Store, StoreError, SurveySettings};

use crate::workflow::{Actor, WorkflowError, find_own};

/// A new draft or a replaced definition.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefinitionBody {
    /// The survey in the import format.
    #[schema(value_type = Object)]
    definition: serde_json::Value,
    /// Days after closing that free text and exact places are kept.
    #[serde(default)]
    retention_days: Option<i64>,
}

/// Publishing a draft: its dates, YYYY-MM-DD.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    opens_on: String,
    #[serde(default)]
    closes_on: Option<String>,
}

/// A new round of a survey: its slug and round name, and its dates (YYYY-MM-DD;
/// it opens today when `opens_on` is left out).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundBody {
    slug: String,
    round: String,
    #[serde(default)]
    opens_on: Option<String>,
    #[serde(default)]
    closes_on: Option<String>,
}

/// The question bank for the picker: the area question with the
/// municipality's own areas (once it has some), then the standard questions.
///
/// # Errors
/// The store's, or a broken bank.
pub async fn bank(
    store: &Store,
    municipality: MunicipalityId,
) -> Result<Vec<BankEntry>, WorkflowError> {
    let areas = store.areas(municipality).await?;
    let mut entries: Vec<BankEntry> = area_question(&areas)
        .into_iter()
        .map(|question| BankEntry {
            topic: Topic::Background,
            question,
        })
        .collect();
    entries.extend(question_bank()?);
    Ok(entries)
}

/// The actor's municipality's survey `raw` (an id); any other is not found.
///
/// # Errors
/// [`WorkflowError::NotFound`] for an id that is not one of its surveys.
pub async fn own_survey(
    store: &Store,
    actor: &Actor,
    raw: &str,
) -> Result<AuthoredSurvey, WorkflowError> {
    find_own(raw, "survey", |id| {
        store.authored_survey(actor.municipality(), SurveyId::from_uuid(id))
    })
    .await
}

/// Stores a new draft; its id.
///
/// # Errors
/// A rule of the definition broken (named under `definition`), a taken slug.
pub async fn create(
    store: &Store,
    actor: &Actor,
    body: DefinitionBody,
) -> Result<SurveyId, WorkflowError> {
    let survey = parse_definition(body.definition, actor.municipality())?;
    let settings = SurveySettings {
        copied_from: None,
        retention: parse_retention(body.retention_days)?,
    };
    store
        .insert_draft(&survey, settings)
        .await
        .map_err(in_definition)?;
    actor
        .audit(store, AuditAction::SurveyCreate, survey.slug.as_str())
        .await?;
    Ok(survey.id)
}

/// Replaces the definition of survey `raw`: freely for a draft, only
/// comparably for a published survey; the survey as stored.
///
/// # Errors
/// No such survey, a broken rule, an incomparable change, a taken slug.
pub async fn replace(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: DefinitionBody,
) -> Result<AuthoredSurvey, WorkflowError> {
    let current = own_survey(store, actor, raw).await?;
    let revised = Survey {
        id: current.survey.id,
        ..parse_definition(body.definition, actor.municipality())?
    };
    let retention = parse_retention(body.retention_days)?;
    match current.status {
        SurveyStatus::Draft => store.update_draft(&revised, retention).await,
        SurveyStatus::Published => {
            check_revision(&current.survey, &revised).map_err(|e| e.under("definition"))?;
            store.update_published(&revised, retention).await
        }
    }
    .map_err(in_definition)?;
    actor
        .audit(store, AuditAction::SurveyUpdate, revised.slug.as_str())
        .await?;
    own_survey(store, actor, raw).await
}

/// Deletes draft `raw`; a published survey holds answers and is refused.
///
/// # Errors
/// No such survey, or a published one.
pub async fn delete(store: &Store, actor: &Actor, raw: &str) -> Result<(), WorkflowError> {
    let current = own_survey(store, actor, raw).await?;
    if current.status == SurveyStatus::Published {
        return Err(WorkflowError::invalid(
            ErrorCode::Published,
            "status",
            "a published survey cannot be deleted; its answers belong to the results",
        ));
    }
    store
        .delete_draft(actor.municipality(), current.survey.id)
        .await?;
    actor
        .audit(
            store,
            AuditAction::SurveyDelete,
            current.survey.slug.as_str(),
        )
        .await?;
    Ok(())
}

/// Publishes draft `raw` with its opening and closing days; the survey as stored.
///
/// # Errors
/// No such survey, one already published, a date that is not a date, a broken rule.
pub async fn publish(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: PublishBody,
) -> Result<AuthoredSurvey, WorkflowError> {
    let current = own_survey(store, actor, raw).await?;
    if current.status == SurveyStatus::Published {
        return Err(WorkflowError::Conflict {
            field: "status",
            message: "the survey is already published".to_owned(),
        });
    }
    let mut input = to_input(&current.survey)?;
    input.opens_on = parse_date(&body.opens_on, "opens_on")?;
    input.closes_on = parse_closes_on(body.closes_on.as_deref())?;
    let published = Survey {
        id: current.survey.id,
        ..Survey::parse(input, actor.municipality())?
    };
    let settings = SurveySettings {
        copied_from: current.copied_from,
        retention: current.retention,
    };
    store.publish_draft(&published, settings).await?;
    actor
        .audit(store, AuditAction::SurveyPublish, published.slug.as_str())
        .await?;
    own_survey(store, actor, raw).await
}

/// Copies survey `raw` into a new round, a draft with the same questions and
/// keys; the new draft's id.
///
/// # Errors
/// No such survey, a date that is not a date, a broken rule, a taken slug.
pub async fn copy_round(
    store: &Store,
    actor: &Actor,
    raw: &str,
    body: RoundBody,
) -> Result<SurveyId, WorkflowError> {
    let source = own_survey(store, actor, raw).await?;
    let opens_on = match body.opens_on.as_deref() {
        Some(d) => parse_date(d, "opens_on")?,
        None => OffsetDateTime::now_utc().date(),
    };
    let closes_on = parse_closes_on(body.closes_on.as_deref())?;
    let copy = new_round(
        &source.survey,
        &body.slug,
        &body.round,
        opens_on,
        closes_on,
        actor.municipality(),
    )?;
    let settings = SurveySettings {
        copied_from: Some(source.survey.id),
        retention: source.retention,
    };
    store.insert_draft(&copy, settings).await?;
    let target = format!("{} from {}", copy.slug, source.survey.slug);
    actor
        .audit(store, AuditAction::SurveyNewRound, &target)
        .await?;
    Ok(copy.id)
}

/// A definition in the import format, parsed exactly as `trygg survey import` parses it.
fn parse_definition(
    value: serde_json::Value,
    municipality: MunicipalityId,
) -> Result<Survey, WorkflowError> {
    plain_json(&value, "definition")?;
    let input: SurveyInput = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "definition".to_owned()
        } else {
            format!("definition.{path}")
        };
        WorkflowError::invalid(
            ErrorCode::InvalidDefinition,
            field,
            e.into_inner().to_string(),
        )
    })?;
    Ok(Survey::parse(input, municipality).map_err(|e| e.under("definition"))?)
}

/// A conflict over a field of the definition (a taken slug) named as the
/// request has it, `definition.slug`, so the editor finds the field.
fn in_definition(e: StoreError) -> StoreError {
    match e {
        StoreError::Conflict { field, message } => StoreError::Conflict {
            field: join_path("definition", &field),
            message,
        },
        other => other,
    }
}

fn parse_retention(days: Option<i64>) -> Result<Option<RetentionDays>, WorkflowError> {
    Ok(days
        .map(|d| RetentionDays::parse(d, "retention_days"))
        .transpose()?)
}

fn parse_closes_on(raw: Option<&str>) -> Result<Option<Date>, WorkflowError> {
    raw.map(|d| parse_date(d, "closes_on")).transpose()
}

fn parse_date(raw: &str, field: &str) -> Result<Date, WorkflowError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw, &format).map_err(|_| {
        WorkflowError::invalid(
            ErrorCode::InvalidDate,
            field,
            format!("`{raw}` is not a date written YYYY-MM-DD"),
        )
    })
}
