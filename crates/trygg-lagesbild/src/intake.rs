//! A survey as residents get it from `GET /api/v1/surveys/{slug}`, and as the
//! editor previews it: its texts and questions, the municipality's areas as
//! GeoJSON, and its named places with the area each lies in. One value, so the
//! preview shows exactly what residents will get.

use serde::Serialize;
use trygg_domain::{Area, Boundary, Language, MunicipalityId, Survey};
use trygg_store::{Store, StoreError};

/// The survey as residents get it, without the server's map settings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SurveyView {
    slug: String,
    round: String,
    /// `{"sv": …, "en": …}`.
    #[schema(value_type = Object)]
    title: serde_json::Value,
    /// `{"sv": …, "en": …}`, or null.
    #[schema(value_type = Option<Object>)]
    intro: serde_json::Value,
    /// YYYY-MM-DD.
    opens_on: String,
    /// YYYY-MM-DD, or null for a survey without a last day.
    closes_on: Option<String>,
    /// The languages a resident can answer in.
    languages: Vec<&'static str>,
    /// The questions, in the import format.
    #[schema(value_type = Vec<Object>)]
    questions: serde_json::Value,
    /// A GeoJSON FeatureCollection of the areas, with `code` and `name` properties.
    #[schema(value_type = Object)]
    areas: ::geojson::FeatureCollection,
    places: Vec<PlaceView>,
}

/// A named place residents may pick instead of a point.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlaceView {
    name: String,
    kind: String,
    /// The code of the area it lies in, if any.
    area: Option<String>,
    lon: f64,
    lat: f64,
}

impl SurveyView {
    /// Reads the areas and places of `survey`'s municipality; `boundary` is the
    /// union of its areas, which places the named places.
    ///
    /// # Errors
    /// The store's, or a survey that cannot be written as JSON.
    pub async fn read(
        store: &Store,
        survey: &Survey,
        boundary: &Boundary,
    ) -> Result<Self, StoreError> {
        let definition =
            serde_json::to_value(survey).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let field = |name: &str| definition.get(name).cloned().unwrap_or_default();
        let places = store
            .places(survey.municipality_id)
            .await?
            .into_iter()
            .map(|p| PlaceView {
                area: boundary.area_of(p.location).map(ToString::to_string),
                name: p.name,
                kind: p.kind.to_string(),
                lon: p.location.lon(),
                lat: p.location.lat(),
            })
            .collect();
        Ok(Self {
            slug: survey.slug.to_string(),
            round: survey.round.clone(),
            title: field("title"),
            intro: field("intro"),
            opens_on: survey.opens_on.to_string(),
            closes_on: survey.closes_on.map(|d| d.to_string()),
            languages: Language::ALL.iter().map(|l| l.as_str()).collect(),
            questions: field("questions"),
            areas: area_collection(store, survey.municipality_id).await?,
            places,
        })
    }
}

/// The municipality's areas as a GeoJSON FeatureCollection with `code` and
/// `name` properties.
///
/// # Errors
/// The store's.
pub async fn area_collection(
    store: &Store,
    municipality: MunicipalityId,
) -> Result<::geojson::FeatureCollection, StoreError> {
    let features = store
        .areas(municipality)
        .await?
        .into_iter()
        .map(area_feature)
        .collect();
    Ok(::geojson::FeatureCollection {
        features,
        ..::geojson::FeatureCollection::default()
    })
}

fn area_feature(a: Area) -> ::geojson::Feature {
    let mut properties = serde_json::Map::new();
    properties.insert("code".to_owned(), a.code.as_str().into());
    properties.insert("name".to_owned(), a.name.into());
    ::geojson::Feature {
        geometry: Some(::geojson::Geometry::from(&a.boundary)),
        properties: Some(properties),
        ..::geojson::Feature::default()
    }
}
