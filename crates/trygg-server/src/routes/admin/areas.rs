//! The municipality's areas (kommundelar) and their population figures:
//! `/api/v1/admin/areas…`.
//!
//! - `GET /areas` (ReadResults): the areas as a GeoJSON FeatureCollection, with each
//!   area's counted population.
//! - `POST /areas` (ManageAreas): upload a GeoJSON FeatureCollection (WGS84); parsed
//!   by the same domain parser as `trygg areas import`, so an error names the feature.
//!   An area whose code exists gets the new name and outline; others are added.
//! - `PATCH /areas/{id}` (ManageAreas): rename.
//! - `GET /areas/population` (ReadResults): the figures per area × gender × age band.
//! - `PUT /areas/population` (ManageAreas): replace them with a CSV file
//!   (`area,gender,age_band,population`); an error names the line and the column.
//!
//! Bodies are read here rather than by the JSON extractor, since real district
//! outlines are larger than the intake's body limit.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use trygg_domain::ErrorCode;
use trygg_domain::{Area, Permission, plain_json};
use trygg_lagesbild::areas;
use trygg_store::Store;
use utoipa::ToSchema;

use crate::api_doc::{Csrf, Refused};
use crate::auth::Staff;
use crate::error::ApiError;
use crate::routes::{Answer, Db, Id, resource};

/// The largest upload: a municipality's detailed district outlines fit easily.
const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// Registers the area routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/areas/population")
            .get(population)
            .put(replace_population),
    )
    .service(resource("/areas").get(list).post(upload))
    .service(resource("/areas/{id}").patch(rename));
}

/// One area, for the list beside the map.
#[derive(Serialize, ToSchema)]
pub struct AreaDto {
    id: String,
    code: String,
    name: String,
    /// Residents counted in the population figures, if any.
    population: Option<u64>,
}

/// The areas, as a list and as a map layer.
#[derive(Serialize, ToSchema)]
pub struct AreasDto {
    areas: Vec<AreaDto>,
    /// A GeoJSON FeatureCollection with `id`, `code` and `name` properties.
    #[schema(value_type = Object)]
    geojson: serde_json::Value,
    /// All residents counted in the population figures.
    population_total: u64,
}

async fn areas_dto(store: &Store, staff: &Staff) -> Result<AreasDto, ApiError> {
    let areas = store.areas(staff.municipality_id()).await?;
    let mut by_area: BTreeMap<String, u64> = BTreeMap::new();
    for figure in store.population(staff.municipality_id()).await? {
        *by_area.entry(figure.area.to_string()).or_default() += u64::from(figure.population);
    }
    let features: Vec<geojson::Feature> = areas.iter().map(feature).collect();
    Ok(AreasDto {
        areas: areas
            .iter()
            .map(|a| AreaDto {
                id: a.id.as_uuid().to_string(),
                code: a.code.to_string(),
                name: a.name.clone(),
                population: by_area.get(a.code.as_str()).copied(),
            })
            .collect(),
        geojson: serde_json::to_value(geojson::FeatureCollection {
            bbox: None,
            features,
            foreign_members: None,
        })
        .map_err(|e| ApiError::Unexpected(e.into()))?,
        population_total: by_area.values().sum(),
    })
}

fn feature(area: &Area) -> geojson::Feature {
    let mut properties = serde_json::Map::new();
    properties.insert("id".to_owned(), area.id.as_uuid().to_string().into());
    properties.insert("code".to_owned(), area.code.to_string().into());
    properties.insert("name".to_owned(), area.name.clone().into());
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::from(&area.boundary)),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// The municipality's areas.
#[utoipa::path(get, path = "/api/v1/admin/areas", tag = "staff",
    responses(
        (status = 200, description = "The areas with a GeoJSON layer", body = AreasDto), Refused,
    )
)]
pub async fn list(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(areas_dto(&store, &staff).await?))
}

/// Reads a whole body as UTF-8 text, up to [`MAX_UPLOAD_BYTES`].
async fn body_text(payload: web::Payload) -> Result<String, ApiError> {
    let bytes = payload
        .to_bytes_limited(MAX_UPLOAD_BYTES)
        .await
        .map_err(|_| {
            ApiError::client(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                format!("the file must be at most {MAX_UPLOAD_BYTES} bytes"),
            )
        })?
        .map_err(|e| {
            ApiError::client(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidBody,
                e.to_string(),
            )
        })?;
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        ApiError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidEncoding,
            "the file must be UTF-8 text",
        )
    })
}

/// Upload area outlines as a GeoJSON FeatureCollection.
#[utoipa::path(post, path = "/api/v1/admin/areas", tag = "staff",
    params(Csrf),
    request_body(content = Object, content_type = "application/geo+json", description = "A FeatureCollection of Polygons or MultiPolygons with `name` (and optionally `code`) properties"),
    responses(
        (status = 200, description = "Stored; the areas now", body = AreasDto),
        (status = 400, description = "Not JSON or not a FeatureCollection", body = crate::api_doc::Error), Refused,
        (status = 422, description = "A feature breaks a rule; `field` and the message name it", body = crate::api_doc::Error),
    )
)]
pub async fn upload(staff: Staff, store: Db, payload: web::Payload) -> Answer {
    staff.require(Permission::ManageAreas)?;
    let collection = feature_collection(&body_text(payload).await?)?;
    areas::upload(&store, &staff.actor(), &collection).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(areas_dto(&store, &staff).await?))
}

/// The uploaded text as a GeoJSON FeatureCollection, without control characters.
fn feature_collection(text: &str) -> Result<geojson::FeatureCollection, ApiError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ApiError::client(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidJson,
            format!("the file is not valid JSON: {e}"),
        )
    })?;
    plain_json(&value, "")?;
    serde_json::from_value(value).map_err(|e| {
        ApiError::client(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidGeojson,
            format!("the file is not a GeoJSON FeatureCollection: {e}"),
        )
    })
}

/// A new name for an area.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameBody {
    /// The name shown to people, e.g. "Kungsängen".
    name: String,
}

/// Rename an area of the municipality.
#[utoipa::path(patch, path = "/api/v1/admin/areas/{id}", tag = "staff",
    params(("id" = String, Path, description = "The area's id"), Csrf),
    request_body(content = RenameBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Renamed; the areas now", body = AreasDto), Refused,
        (status = 404, description = "No such area in this municipality", body = crate::api_doc::Error),
        (status = 422, description = "An empty or too long name", body = crate::api_doc::Error),
    )
)]
pub async fn rename(staff: Staff, store: Db, id: Id, body: web::Json<RenameBody>) -> Answer {
    staff.require(Permission::ManageAreas)?;
    areas::rename(&store, &staff.actor(), &id, &body.name).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(areas_dto(&store, &staff).await?))
}

/// One population figure.
#[derive(Serialize, ToSchema)]
pub struct FigureDto {
    area: String,
    gender: String,
    age_band: String,
    population: u32,
}

/// The municipality's population figures.
#[derive(Serialize, ToSchema)]
pub struct PopulationDto {
    figures: Vec<FigureDto>,
    total: u64,
}

async fn population_dto(store: &Store, staff: &Staff) -> Result<PopulationDto, ApiError> {
    let figures = store.population(staff.municipality_id()).await?;
    Ok(PopulationDto {
        total: figures.iter().map(|f| u64::from(f.population)).sum(),
        figures: figures
            .into_iter()
            .map(|f| FigureDto {
                area: f.area.to_string(),
                gender: f.gender.to_string(),
                age_band: f.age_band.to_string(),
                population: f.population,
            })
            .collect(),
    })
}

/// The population figures per area × gender × age band.
#[utoipa::path(get, path = "/api/v1/admin/areas/population", tag = "staff",
    responses(
        (status = 200, description = "The figures", body = PopulationDto), Refused,
    )
)]
pub async fn population(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ReadResults)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(population_dto(&store, &staff).await?))
}

/// Replace the population figures with a CSV file.
#[utoipa::path(put, path = "/api/v1/admin/areas/population", tag = "staff",
    params(Csrf),
    request_body(content = String, content_type = "text/csv", description = "`area,gender,age_band,population`, comma or semicolon separated (or the same text as one JSON string)"),
    responses(
        (status = 200, description = "Stored; the figures now", body = PopulationDto), Refused,
        (status = 422, description = "A line breaks a rule; `field` is `line[N].column`", body = crate::api_doc::Error),
    )
)]
pub async fn replace_population(
    staff: Staff,
    store: Db,
    request: HttpRequest,
    payload: web::Payload,
) -> Answer {
    staff.require(Permission::ManageAreas)?;
    let text = csv_text(&request, body_text(payload).await?)?;
    areas::replace_population(&store, &staff.actor(), &text).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(population_dto(&store, &staff).await?))
}

/// The CSV file's text: the body itself, or, from a client that only speaks
/// JSON, the one JSON string it sent.
fn csv_text(request: &HttpRequest, body: String) -> Result<String, ApiError> {
    let json = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Ok(body);
    }
    serde_json::from_str(&body).map_err(|e| {
        ApiError::client(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidJson,
            format!("send the CSV as text/csv or as one JSON string: {e}"),
        )
    })
}
