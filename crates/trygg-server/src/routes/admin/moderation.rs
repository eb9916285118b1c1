//! The moderation queue: `/api/v1/admin/moderation…`, for `Moderate` only.
//!
//! Every comment comes with its text cut into segments, the ones that look
//! like personal data flagged, so the page highlights them without counting
//! characters; and with a suggested redaction that blanks every flag.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use trygg_domain::ErrorCode;
use trygg_domain::{
    CommentSource, DecisionInput, ModerationStatus, Permission, StaffTextSource, SurveyId,
    personal_data_flags,
};
use trygg_lagesbild::moderation::{self, Moderated, Review};
use trygg_store::{Comment, CommentFilter, StaffText};
use utoipa::ToSchema;

use crate::api_doc::Refused;
use crate::auth::Staff;
use crate::error::ApiError;
use crate::routes::{Answer, Db, Id, resource};

/// Registers the moderation routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/moderation").get(queue))
        // Before `/moderation/{id}`, which would otherwise take `staff-texts` for an id.
        .service(resource("/moderation/staff-texts").get(staff_texts))
        .service(resource("/moderation/staff-texts/{id}").post(decide_staff_text))
        .service(resource("/moderation/{id}").get(show).post(decide));
}

/// A page of the queue.
#[derive(Serialize, ToSchema)]
pub struct CommentsDto<'a> {
    /// How many comments match, of which the first page is listed.
    total: usize,
    comments: Vec<CommentDto<'a>>,
}

/// A page of staff texts.
#[derive(Serialize, ToSchema)]
pub struct StaffTextsDto<'a> {
    /// How many texts match, of which the first page is listed.
    total: usize,
    texts: Vec<StaffTextDto<'a>>,
}

/// The status a list asks for: `pending` by default, any with `all`.
fn status_filter(raw: Option<&str>) -> Result<Option<ModerationStatus>, ApiError> {
    Ok(match raw {
        None => Some(ModerationStatus::Pending),
        Some("all") => None,
        Some(raw) => Some(ModerationStatus::parse(raw, "status")?),
    })
}

/// The survey a list is limited to.
fn survey_filter(raw: &str) -> Result<SurveyId, ApiError> {
    uuid::Uuid::parse_str(raw)
        .map(SurveyId::from_uuid)
        .map_err(|_| ApiError::Client {
            status: StatusCode::BAD_REQUEST,
            code: ErrorCode::InvalidQuery,
            field: Some("survey".to_owned()),
            message: format!("`{raw}` is not a survey id"),
        })
}

/// The most comments one page of the queue lists.
const PAGE: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QueueQuery {
    /// `pending` (the default), `approved`, `redacted`, `rejected` or `all`.
    #[serde(default)]
    status: Option<String>,
    /// Only this survey's comments.
    #[serde(default)]
    survey: Option<String>,
    /// Only comments with an automatic personal-data flag, so a moderator can
    /// deal with those first however long the queue is.
    #[serde(default)]
    flagged: bool,
}

/// A comment with its segments, flags and decision.
#[derive(Serialize, ToSchema)]
pub struct CommentDto<'a> {
    id: String,
    survey_id: String,
    #[schema(value_type = String)]
    source: CommentSource,
    context: &'a str,
    area_code: Option<&'a str>,
    #[serde(flatten)]
    review: Review<'a>,
}

impl<'a> CommentDto<'a> {
    fn new(c: &'a Comment) -> Self {
        Self {
            id: c.id.to_string(),
            survey_id: c.survey_id.to_string(),
            source: c.source,
            context: &c.context,
            area_code: c.area_code.as_deref(),
            review: c.review(),
        }
    }
}

/// Comments waiting for a decision (or with another status), oldest first, with flags.
#[utoipa::path(get, path = "/api/v1/admin/moderation", tag = "staff",
    responses(
        (status = 200, description = "Comments with flags", body = CommentsDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn queue(staff: Staff, store: Db, query: web::Query<QueueQuery>) -> Answer {
    staff.require(Permission::Moderate)?;
    let QueueQuery {
        status,
        survey,
        flagged,
    } = query.into_inner();
    let status = status_filter(status.as_deref())?;
    let survey_id = survey.as_deref().map(survey_filter).transpose()?;
    let mut comments = store
        .comments(staff.municipality_id(), CommentFilter { survey_id, status })
        .await?;
    if flagged {
        comments.retain(|c| !personal_data_flags(&c.text).is_empty());
    }
    let total = comments.len();
    let comments = comments.iter().take(PAGE).map(CommentDto::new).collect();
    Ok(HttpResponse::Ok().json(CommentsDto { total, comments }))
}

/// One comment with its flags and decision.
#[utoipa::path(get, path = "/api/v1/admin/moderation/{id}", tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 200, description = "The comment", body = CommentDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn show(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::Moderate)?;
    let comment: Comment = moderation::find(&store, &staff.actor(), &id).await?;
    Ok(HttpResponse::Ok().json(CommentDto::new(&comment)))
}

/// Approves, redacts or rejects a comment, with a reason kept.
#[utoipa::path(post, path = "/api/v1/admin/moderation/{id}", tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 200, description = "The comment with its decision", body = CommentDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn decide(
    staff: Staff,
    store: Db,
    id: Id,
    body: web::Json<DecisionInput>,
) -> Answer {
    staff.require(Permission::Moderate)?;
    let comment: Comment =
        moderation::decide(&store, &staff.actor(), &id, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(CommentDto::new(&comment)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StaffTextQuery {
    /// `pending` (the default), `approved`, `redacted`, `rejected` or `all`.
    #[serde(default)]
    status: Option<String>,
}

/// A staff text with its segments, flags and decision.
#[derive(Serialize, ToSchema)]
pub struct StaffTextDto<'a> {
    id: String,
    #[schema(value_type = String)]
    source: StaffTextSource,
    context: &'a str,
    #[serde(flatten)]
    review: Review<'a>,
}

impl<'a> StaffTextDto<'a> {
    fn new(t: &'a StaffText) -> Self {
        Self {
            id: t.id.to_string(),
            source: t.source,
            context: &t.context,
            review: t.review(),
        }
    }
}

/// The texts staff wrote for the public (progress texts, walk findings' notes)
/// that wait for a moderator because they look like personal data, or those
/// with another status.
#[utoipa::path(get, path = "/api/v1/admin/moderation/staff-texts", tag = "staff",
    responses(
        (status = 200, description = "Staff texts with flags", body = StaffTextsDto), Refused,
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn staff_texts(
    staff: Staff,
    store: Db,
    query: web::Query<StaffTextQuery>,
) -> Answer {
    staff.require(Permission::Moderate)?;
    let status = status_filter(query.into_inner().status.as_deref())?;
    let texts = store.staff_texts(staff.municipality_id(), status).await?;
    let total = texts.len();
    let page: Vec<StaffTextDto<'_>> = texts.iter().take(PAGE).map(StaffTextDto::new).collect();
    Ok(HttpResponse::Ok().json(StaffTextsDto { total, texts: page }))
}

/// Approves, redacts or rejects a progress text or a finding's note, with a reason kept.
#[utoipa::path(post, path = "/api/v1/admin/moderation/staff-texts/{id}", tag = "staff",
    params(("id" = String, Path, description = "The progress entry's or finding's id")),
    responses(
        (status = 200, description = "The text with its decision", body = StaffTextDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn decide_staff_text(
    staff: Staff,
    store: Db,
    id: Id,
    body: web::Json<DecisionInput>,
) -> Answer {
    staff.require(Permission::Moderate)?;
    let text: StaffText =
        moderation::decide(&store, &staff.actor(), &id, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(StaffTextDto::new(&text)))
}
