//! `GET /api/v1/overview`: the municipalities and surveys on this server, with
//! counts, for the start page. No answers, pins or free text.

use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;

use crate::routes::{Answer, Db};

#[derive(Serialize, ToSchema)]
pub struct Overview {
    municipalities: Vec<MunicipalityDto>,
}

#[derive(Serialize, ToSchema)]
pub struct MunicipalityDto {
    slug: String,
    name: String,
    synthetic: bool,
    areas: Vec<AreaDto>,
    surveys: Vec<SurveyDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AreaDto {
    code: String,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyDto {
    slug: String,
    round: String,
    title: String,
    opens_on: String,
    closes_on: Option<String>,
    responses: u64,
    pins: u64,
}

/// The start page's data.
#[utoipa::path(get, path = "/api/v1/overview", tag = "public",
    responses((status = 200, description = "The municipalities with their areas and surveys, with counts", body = Overview))
)]
#[get("/overview")]
pub async fn overview(store: Db) -> Answer {
    let surveys = store.surveys().await?;
    let mut municipalities = Vec::new();
    for m in store.municipalities().await? {
        let areas = store
            .areas(m.id)
            .await?
            .into_iter()
            .map(|a| AreaDto {
                code: a.code.to_string(),
                name: a.name,
            })
            .collect();
        let surveys = surveys
            .iter()
            .filter(|s| s.municipality == m.slug.as_str())
            .map(|s| SurveyDto {
                slug: s.slug.clone(),
                round: s.round.clone(),
                title: s.title.clone(),
                opens_on: s.opens_on.to_string(),
                closes_on: s.closes_on.map(|d| d.to_string()),
                responses: s.responses,
                pins: s.pins,
            })
            .collect();
        municipalities.push(MunicipalityDto {
            slug: m.slug.to_string(),
            name: m.name,
            synthetic: m.synthetic,
            areas,
            surveys,
        });
    }
    Ok(HttpResponse::Ok().json(Overview { municipalities }))
}
