//! Survey authoring for staff: `/api/v1/admin/surveys…` and the question bank.
//!
//! Reading needs `ReadResults`, changing needs `EditSurveys`. Every definition
//! is parsed by the domain's `Survey::parse`, so a survey made here is exactly
//! what resident intake accepts; a published survey is checked with
//! `check_revision`, which names the field of any change that would break
//! comparability with the answers already given or with earlier rounds.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::Date;
use trygg_domain::{
    Language, Permission, RetentionDays, Survey, SurveyId, SurveyInput, SurveyStatus,
    area_question, check_revision, join_path, new_round, question_bank, to_input,
};
use trygg_store::{AuthoredSurvey, Store, StoreError, SurveySettings};

use super::allow;
use crate::auth::Staff;
use crate::config::MapSettings;
use crate::error::ApiError;

/// Registers the authoring routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/question-bank")
            .route(web::get().to(bank))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/surveys")
            .route(web::get().to(list))
            .route(web::post().to(create))
            .default_service(allow("GET, POST")),
    )
    .service(
        web::resource("/surveys/{id}")
            .route(web::get().to(show))
            .route(web::put().to(replace))
            .route(web::delete().to(delete))
            .default_service(allow("GET, PUT, DELETE")),
    )
    .service(
        web::resource("/surveys/{id}/preview")
            .route(web::get().to(preview))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/surveys/{id}/publish")
            .route(web::post().to(publish))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/surveys/{id}/rounds")
            .route(web::post().to(copy_round))
            .default_service(allow("POST")),
    );
}

/// A survey in the editor: its definition in the import format and its settings.
#[derive(Serialize)]
struct SurveyDto {
    id: String,
    status: SurveyStatus,
    copied_from: Option<String>,
    retention_days: Option<u16>,
    retained_on: Option<String>,
    responses: u64,
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
#[derive(Serialize)]
struct SurveyLineDto {
    id: String,
    slug: String,
    round: String,
    title: trygg_domain::LocalizedText,
    status: SurveyStatus,
    opens_on: String,
    closes_on: Option<String>,
    copied_from: Option<String>,
    responses: u64,
}

/// A new draft or a replaced definition.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefinitionBody {
    /// The survey in the import format.
    definition: serde_json::Value,
    /// Days after closing that free text and exact places are kept.
    #[serde(default)]
    retention_days: Option<i64>,
}

/// Publishing a draft: its dates.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishBody {
    opens_on: String,
    #[serde(default)]
    closes_on: Option<String>,
}

/// A new round of a survey.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoundBody {
    slug: String,
    round: String,
    #[serde(default)]
    opens_on: Option<String>,
    #[serde(default)]
    closes_on: Option<String>,
}

/// The question bank for the picker; the area question uses the municipality's areas.
#[utoipa::path(
    get,
    path = "/api/v1/admin/question-bank",
    tag = "staff",
    responses(
        (status = 200, description = "The standard questions, with the area question"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn bank(staff: Staff, store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let mut entries: Vec<serde_json::Value> = Vec::new();
    let areas = store.areas(staff.municipality_id()).await?;
    if let Ok(area) = area_question(&areas) {
        entries.push(serde_json::json!({"topic": "background", "question": area}));
    }
    for entry in question_bank()? {
        entries.push(serde_json::to_value(&entry).map_err(|e| ApiError::Unexpected(e.into()))?);
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({ "questions": entries })))
}

/// The municipality's drafts and surveys.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys",
    tag = "staff",
    responses(
        (status = 200, description = "Drafts and surveys"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(staff: Staff, store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let surveys: Vec<SurveyLineDto> = store
        .authored_surveys(staff.municipality_id())
        .await?
        .into_iter()
        .map(|a| SurveyLineDto {
            id: a.survey.id.to_string(),
            slug: a.survey.slug.to_string(),
            round: a.survey.round.clone(),
            title: a.survey.title.clone(),
            status: a.status,
            opens_on: a.survey.opens_on.to_string(),
            closes_on: a.survey.closes_on.map(|d| d.to_string()),
            copied_from: a.copied_from.map(|id| id.to_string()),
            responses: a.responses,
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "surveys": surveys })))
}

/// Creates a draft from a full definition.
#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys",
    tag = "staff",
    responses(
        (status = 201, description = "The draft"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn create(
    staff: Staff,
    store: web::Data<Store>,
    body: web::Json<DefinitionBody>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditSurveys)?;
    let DefinitionBody {
        definition,
        retention_days,
    } = body.into_inner();
    let survey = parse_definition(definition, &staff)?;
    let retention = parse_retention(retention_days)?;
    store
        .insert_draft(
            &survey,
            SurveySettings {
                copied_from: None,
                retention,
            },
        )
        .await
        .map_err(in_definition)?;
    staff
        .audit(&store, "survey.create", survey.slug.as_str())
        .await?;
    created(&store, &staff, survey.id).await
}

/// One survey, draft or published.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 200, description = "The survey"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn show(
    staff: Staff,
    store: web::Data<Store>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let authored = own_survey(&staff, &store, &id).await?;
    Ok(HttpResponse::Ok().json(SurveyDto::new(&authored)?))
}

/// Replaces a survey's definition: freely for a draft, only comparably for a published survey.
#[utoipa::path(
    put,
    path = "/api/v1/admin/surveys/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 200, description = "The survey as stored"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn replace(
    staff: Staff,
    store: web::Data<Store>,
    id: web::Path<String>,
    body: web::Json<DefinitionBody>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditSurveys)?;
    let current = own_survey(&staff, &store, &id).await?;
    let DefinitionBody {
        definition,
        retention_days,
    } = body.into_inner();
    let revised = Survey {
        id: current.survey.id,
        ..parse_definition(definition, &staff)?
    };
    let retention = parse_retention(retention_days)?;
    match current.status {
        SurveyStatus::Draft => store
            .update_draft(&revised, retention)
            .await
            .map_err(in_definition)?,
        SurveyStatus::Published => {
            check_revision(&current.survey, &revised).map_err(|e| e.under("definition"))?;
            store
                .update_published(&revised, retention)
                .await
                .map_err(in_definition)?;
        }
    }
    staff
        .audit(&store, "survey.update", revised.slug.as_str())
        .await?;
    let authored = own_survey(&staff, &store, &id).await?;
    Ok(HttpResponse::Ok().json(SurveyDto::new(&authored)?))
}

/// Deletes a draft; a published survey holds answers and cannot be deleted here.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/surveys/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn delete(
    staff: Staff,
    store: web::Data<Store>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditSurveys)?;
    let current = own_survey(&staff, &store, &id).await?;
    if current.status == SurveyStatus::Published {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "published",
            field: Some("status".to_owned()),
            message: "a published survey cannot be deleted; its answers belong to the results"
                .to_owned(),
        });
    }
    store
        .delete_draft(staff.municipality_id(), current.survey.id)
        .await?;
    staff
        .audit(&store, "survey.delete", current.survey.slug.as_str())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publishes a draft with its opening and closing days.
#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys/{id}/publish",
    tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 200, description = "The published survey"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn publish(
    staff: Staff,
    store: web::Data<Store>,
    id: web::Path<String>,
    body: web::Json<PublishBody>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditSurveys)?;
    let current = own_survey(&staff, &store, &id).await?;
    if current.status == SurveyStatus::Published {
        return Err(ApiError::Client {
            status: StatusCode::CONFLICT,
            code: "conflict",
            field: Some("status".to_owned()),
            message: "the survey is already published".to_owned(),
        });
    }
    let PublishBody {
        opens_on,
        closes_on,
    } = body.into_inner();
    let mut input = to_input(&current.survey)?;
    input.opens_on = parse_date(&opens_on, "opens_on")?;
    input.closes_on = closes_on
        .as_deref()
        .map(|d| parse_date(d, "closes_on"))
        .transpose()?;
    let published = Survey {
        id: current.survey.id,
        ..Survey::parse(input, staff.municipality_id())?
    };
    store
        .publish_draft(
            &published,
            SurveySettings {
                copied_from: current.copied_from,
                retention: current.retention,
            },
        )
        .await?;
    staff
        .audit(&store, "survey.publish", published.slug.as_str())
        .await?;
    let authored = own_survey(&staff, &store, &id).await?;
    Ok(HttpResponse::Ok().json(SurveyDto::new(&authored)?))
}

/// Copies a survey into a new round: a draft with the same questions and keys.
#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys/{id}/rounds",
    tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 201, description = "The new round, a draft"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn copy_round(
    staff: Staff,
    store: web::Data<Store>,
    id: web::Path<String>,
    body: web::Json<RoundBody>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditSurveys)?;
    let source = own_survey(&staff, &store, &id).await?;
    let RoundBody {
        slug,
        round,
        opens_on,
        closes_on,
    } = body.into_inner();
    let opens_on = match opens_on {
        Some(d) => parse_date(&d, "opens_on")?,
        None => time::OffsetDateTime::now_utc().date(),
    };
    let closes_on = closes_on
        .as_deref()
        .map(|d| parse_date(d, "closes_on"))
        .transpose()?;
    let copy = new_round(
        &source.survey,
        &slug,
        &round,
        opens_on,
        closes_on,
        staff.municipality_id(),
    )?;
    store
        .insert_draft(
            &copy,
            SurveySettings {
                copied_from: Some(source.survey.id),
                retention: source.retention,
            },
        )
        .await?;
    staff
        .audit(
            &store,
            "survey.new_round",
            &format!("{} from {}", copy.slug, source.survey.slug),
        )
        .await?;
    created(&store, &staff, copy.id).await
}

/// The survey as a resident would get it from `GET /api/v1/surveys/{slug}`, for
/// the editor's preview, whether it is a draft or published.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{id}/preview",
    tag = "staff",
    params(("id" = String, Path, description = "The id")),
    responses(
        (status = 200, description = "The survey as residents get it"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "The role may not do this", body = crate::api_doc::Error),
        (status = 404, description = "No such row in the municipality", body = crate::api_doc::Error),
        (status = 422, description = "A rule is broken; `field` names it", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn preview(
    staff: Staff,
    store: web::Data<Store>,
    map: web::Data<MapSettings>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let authored = own_survey(&staff, &store, &id).await?;
    let survey = &authored.survey;
    let definition = serde_json::to_value(survey).map_err(|e| ApiError::Unexpected(e.into()))?;
    let field = |name: &str| definition.get(name).cloned().unwrap_or_default();
    let boundary = store.boundary(staff.municipality_id()).await?;
    let areas: Vec<serde_json::Value> = store
        .areas(staff.municipality_id())
        .await?
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "type": "Feature",
                "geometry": geojson::Geometry::from(&a.boundary),
                "properties": {"code": a.code.as_str(), "name": a.name},
            })
        })
        .collect();
    let places: Vec<serde_json::Value> = store
        .places(staff.municipality_id())
        .await?
        .into_iter()
        .map(|p| {
            serde_json::json!({
                "name": p.name, "kind": p.kind.to_string(),
                "area": boundary.area_of(p.location).map(ToString::to_string),
                "lon": p.location.lon(), "lat": p.location.lat(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "slug": survey.slug.as_str(),
        "round": survey.round,
        "title": field("title"),
        "intro": field("intro"),
        "opens_on": survey.opens_on.to_string(),
        "closes_on": survey.closes_on.map(|d| d.to_string()),
        "languages": Language::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
        "questions": field("questions"),
        "areas": {"type": "FeatureCollection", "features": areas},
        "places": places,
        "map": map.get_ref(),
        "preview": true,
    })))
}

async fn created(store: &Store, staff: &Staff, id: SurveyId) -> Result<HttpResponse, ApiError> {
    let authored = store
        .authored_survey(staff.municipality_id(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("the survey just stored is gone"))?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/admin/surveys/{id}")))
        .json(SurveyDto::new(&authored)?))
}

/// The staff member's municipality's survey `raw`; any other answers 404.
async fn own_survey(staff: &Staff, store: &Store, raw: &str) -> Result<AuthoredSurvey, ApiError> {
    let missing = || ApiError::not_found(format!("there is no survey `{raw}`"));
    let id = uuid::Uuid::parse_str(raw)
        .map(SurveyId::from_uuid)
        .map_err(|_| missing())?;
    store
        .authored_survey(staff.municipality_id(), id)
        .await?
        .ok_or_else(missing)
}

/// A definition in the import format, parsed exactly as `trygg survey import` parses it.
fn parse_definition(value: serde_json::Value, staff: &Staff) -> Result<Survey, ApiError> {
    let input: SurveyInput = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_definition",
            field: Some(if path == "." {
                "definition".to_owned()
            } else {
                format!("definition.{path}")
            }),
            message: e.into_inner().to_string(),
        }
    })?;
    Survey::parse(input, staff.municipality_id()).map_err(|e| e.under("definition").into())
}

/// A conflict over a field of the definition (a taken slug) named as the
/// request has it, `definition.slug`, so the editor finds the field.
fn in_definition(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict { field, message } => StoreError::Conflict {
            field: join_path("definition", &field),
            message,
        }
        .into(),
        other => other.into(),
    }
}

fn parse_retention(days: Option<i64>) -> Result<Option<RetentionDays>, ApiError> {
    Ok(days
        .map(|d| RetentionDays::parse(d, "retention_days"))
        .transpose()?)
}

fn parse_date(raw: &str, field: &str) -> Result<Date, ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw, &format).map_err(|_| ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_date",
        field: Some(field.to_owned()),
        message: format!("`{raw}` is not a date written YYYY-MM-DD"),
    })
}
