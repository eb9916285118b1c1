//! Survey authoring for staff: `/api/v1/admin/surveys…` and the question bank.
//!
//! Reading needs `ReadResults`, changing needs `EditSurveys`. The workflows
//! (parsing a definition exactly as intake does, `check_revision` for a
//! published survey, publishing, new rounds, the audit) are
//! [`trygg_lagesbild::authoring`]'s; the handlers here parse, call and answer.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use trygg_domain::{BankEntry, Permission, RetentionDays, SurveyId, SurveyStatus};
use trygg_lagesbild::authoring::{self, DefinitionBody, PublishBody, RoundBody};
use trygg_lagesbild::intake::SurveyView;
use trygg_store::{AuthoredSurvey, Store};
use utoipa::ToSchema;

use crate::api_doc::Refused;
use crate::auth::Staff;
use crate::config::MapSettings;
use crate::error::ApiError;
use crate::routes::{Answer, Db, Id, resource};

/// Registers the authoring routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/question-bank").get(bank))
        .service(resource("/surveys").get(list).post(create))
        .service(
            resource("/surveys/{id}")
                .get(show)
                .put(replace)
                .delete(delete),
        )
        .service(resource("/surveys/{id}/preview").get(preview))
        .service(resource("/surveys/{id}/publish").post(publish))
        .service(resource("/surveys/{id}/rounds").post(copy_round));
}

/// A survey in the editor: its definition in the import format and its settings.
#[derive(Serialize, ToSchema)]
pub struct SurveyDto {
    id: String,
    /// `draft` or `published`.
    #[schema(value_type = String)]
    status: SurveyStatus,
    /// The survey it is a new round of.
    copied_from: Option<String>,
    retention_days: Option<u16>,
    /// The day its free text and exact places were deleted, if they have been.
    retained_on: Option<String>,
    responses: u64,
    /// The survey in the import format.
    #[schema(value_type = Object)]
    definition: serde_json::Value,
}

impl SurveyDto {
    fn new(authored: &AuthoredSurvey) -> Result<Self, ApiError> {
        Ok(Self {
            id: authored.survey.id.to_string(),
            status: authored.status,
            copied_from: authored.copied_from.map(|id| id.to_string()),
            retention_days: authored.retention.map(RetentionDays::days),
            retained_on: authored.retained_on.map(|d| d.to_string()),
            responses: authored.responses,
            definition: serde_json::to_value(&authored.survey)
                .map_err(|e| ApiError::Unexpected(e.into()))?,
        })
    }
}

/// One line of the survey list.
#[derive(Serialize, ToSchema)]
pub struct SurveyLineDto {
    id: String,
    slug: String,
    round: String,
    title: trygg_domain::LocalizedText,
    #[schema(value_type = String)]
    status: SurveyStatus,
    opens_on: String,
    closes_on: Option<String>,
    copied_from: Option<String>,
    responses: u64,
}

impl From<AuthoredSurvey> for SurveyLineDto {
    fn from(a: AuthoredSurvey) -> Self {
        Self {
            id: a.survey.id.to_string(),
            slug: a.survey.slug.to_string(),
            round: a.survey.round,
            title: a.survey.title,
            status: a.status,
            opens_on: a.survey.opens_on.to_string(),
            closes_on: a.survey.closes_on.map(|d| d.to_string()),
            copied_from: a.copied_from.map(|id| id.to_string()),
            responses: a.responses,
        }
    }
}

/// The municipality's drafts and surveys.
#[derive(Serialize, ToSchema)]
pub struct SurveysDto {
    surveys: Vec<SurveyLineDto>,
}

/// The question bank: `{"topic", "question"}` entries.
#[derive(Serialize, ToSchema)]
pub struct BankDto {
    #[schema(value_type = Vec<Object>)]
    questions: Vec<BankEntry>,
}

/// The survey as residents get it, marked as a preview.
#[derive(Serialize, ToSchema)]
pub struct PreviewDto {
    #[serde(flatten)]
    view: SurveyView,
    #[schema(value_type = Object)]
    map: MapSettings,
    /// Always true.
    preview: bool,
}

/// The question bank for the picker; the area question uses the municipality's areas.
#[utoipa::path(get, path = "/api/v1/admin/question-bank", tag = "staff",
    responses(
        (status = 200, description = "The standard questions, with the area question", body = BankDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn bank(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    let questions = authoring::bank(&store, staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(BankDto { questions }))
}

/// The municipality's drafts and surveys.
#[utoipa::path(get, path = "/api/v1/admin/surveys", tag = "staff",
    responses(
        (status = 200, description = "Drafts and surveys", body = SurveysDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn list(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    let authored = store.authored_surveys(staff.municipality_id()).await?;
    let surveys = authored.into_iter().map(SurveyLineDto::from).collect();
    Ok(HttpResponse::Ok().json(SurveysDto { surveys }))
}

/// Creates a draft from a full definition.
#[utoipa::path(post, path = "/api/v1/admin/surveys", tag = "staff",
    request_body(content = DefinitionBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The draft", body = SurveyDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn create(staff: Staff, store: Db, body: web::Json<DefinitionBody>) -> Answer {
    staff.require(Permission::EditSurveys)?;
    let id = authoring::create(&store, &staff.actor(), body.into_inner()).await?;
    stored(&store, &staff, id).await
}

/// One survey, draft or published.
#[utoipa::path(get, path = "/api/v1/admin/surveys/{id}", tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 200, description = "The survey", body = SurveyDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn show(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::ReadResults)?;
    let authored = authoring::own_survey(&store, &staff.actor(), &id).await?;
    Ok(HttpResponse::Ok().json(SurveyDto::new(&authored)?))
}

/// Replaces a survey's definition: freely for a draft, only comparably for a published survey.
#[utoipa::path(put, path = "/api/v1/admin/surveys/{id}", tag = "staff",
    params(("id" = String, Path, description = "The id")),
    request_body(content = DefinitionBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The survey as stored", body = SurveyDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn replace(
    staff: Staff,
    store: Db,
    id: Id,
    body: web::Json<DefinitionBody>,
) -> Answer {
    staff.require(Permission::EditSurveys)?;
    let authored = authoring::replace(&store, &staff.actor(), &id, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SurveyDto::new(&authored)?))
}

/// Deletes a draft; a published survey holds answers and cannot be deleted here.
#[utoipa::path(delete, path = "/api/v1/admin/surveys/{id}", tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 204, description = "Deleted"), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn delete(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::EditSurveys)?;
    authoring::delete(&store, &staff.actor(), &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publishes a draft with its opening and closing days.
#[utoipa::path(post, path = "/api/v1/admin/surveys/{id}/publish", tag = "staff",
    params(("id" = String, Path, description = "The id")),
    request_body(content = PublishBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The published survey", body = SurveyDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn publish(
    staff: Staff,
    store: Db,
    id: Id,
    body: web::Json<PublishBody>,
) -> Answer {
    staff.require(Permission::EditSurveys)?;
    let authored = authoring::publish(&store, &staff.actor(), &id, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SurveyDto::new(&authored)?))
}

/// Copies a survey into a new round: a draft with the same questions and keys.
#[utoipa::path(post, path = "/api/v1/admin/surveys/{id}/rounds", tag = "staff",
    params(("id" = String, Path, description = "The id")),
    request_body(content = RoundBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The new round, a draft", body = SurveyDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn copy_round(
    staff: Staff,
    store: Db,
    id: Id,
    body: web::Json<RoundBody>,
) -> Answer {
    staff.require(Permission::EditSurveys)?;
    let copy = authoring::copy_round(&store, &staff.actor(), &id, body.into_inner()).await?;
    stored(&store, &staff, copy).await
}

/// The survey as a resident would get it from `GET /api/v1/surveys/{slug}`, for
/// the editor's preview, whether it is a draft or published.
#[utoipa::path(get, path = "/api/v1/admin/surveys/{id}/preview", tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 200, description = "The survey as residents get it", body = PreviewDto), Refused,
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
pub(crate) async fn preview(
    staff: Staff,
    store: Db,
    map: web::Data<MapSettings>,
    id: Id,
) -> Answer {
    staff.require(Permission::ReadResults)?;
    let authored = authoring::own_survey(&store, &staff.actor(), &id).await?;
    let boundary = store.boundary(staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(PreviewDto {
        view: SurveyView::read(&store, &authored.survey, &boundary).await?,
        map: map.get_ref().clone(),
        preview: true,
    }))
}

/// 201 with the survey just stored and its `Location`.
async fn stored(store: &Store, staff: &Staff, id: SurveyId) -> Answer {
    let authored = store
        .authored_survey(staff.municipality_id(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("the survey just stored is gone"))?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/admin/surveys/{id}")))
        .json(SurveyDto::new(&authored)?))
}
