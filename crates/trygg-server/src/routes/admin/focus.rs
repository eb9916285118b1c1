//! Focus-area candidates and police-reported crime counts, under `/api/v1/admin`.
//!
//! `GET /focus-candidates` puts the evidence per area and per hotspot side by
//! side: the survey's share indicators with 95 % intervals and the trend since
//! the previous round (from the lägesbild, the same value the dashboard shows),
//! hotspot significance and pins by category, safety-walk findings, and the
//! imported crime counts; then ranks the areas by [`rank_areas`], whose rule the
//! answer states in words. Staff choose a focus area with the existing
//! `POST /focus-areas`. Reading needs `read_results`; importing crime counts
//! needs `manage_focus_areas`.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::StatusCode;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use trygg_analysis::stats::Measure;
use trygg_domain::{
    AreaEvidence, CrimeCount, CrimeCountInput, MunicipalityId, Permission, Signal, SurveyStatus,
    join_path, parse_crime_counts, rank_areas,
};
use trygg_lagesbild::{Lagesbild, Options};
use trygg_store::Store;
use utoipa::ToSchema;

use super::allow;
use crate::auth::Staff;
use crate::error::ApiError;
use crate::routes::results::Reports;

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/focus-candidates")
            .route(web::get().to(candidates))
            .default_service(allow("GET")),
    )
    .service(
        web::resource("/crime-counts")
            .route(web::get().to(crime_counts))
            .route(web::post().to(import_crime_counts))
            .default_service(allow("GET, POST")),
    );
}

/// How far from a hotspot's centre a walk finding counts as lying in it.
const NEAR_HOTSPOT_M: f64 = 300.0;

/// The ranking rule in words, shown on the page beside the ranking.
const METHOD_SV: &str = "Områdena rangordnas efter hur många av fem signaler som pekar på dem: \
(1) hela 95-procentsintervallet för den valda indikatorn ligger över kommunens andel, \
(2) en hotspot (Gi* med minst 95 % säkerhet) ligger i området, \
(3) fler markerade platser än mediankommundelen, \
(4) öppna fynd från trygghetsvandringar, \
(5) fler polisanmälda brott än mediankommundelen under den senaste importerade perioden (bara när brottsstatistik har importerats). \
Vid lika antal signaler kommer högre andel på indikatorn först, sedan fler markerade platser. \
Rangordningen är ett underlag för samtalet mellan kommun och polis, inte ett beslut; \
små skillnader mellan områden kan bero på slumpen.";
const METHOD_EN: &str = "Areas are ranked by how many of five signals point at them: \
(1) the whole 95 % interval of the chosen indicator lies above the municipality's share, \
(2) a hotspot (Gi* at 95 % or more) lies in the area, \
(3) more pinned places than the median area, \
(4) open findings from safety walks, \
(5) more police-reported crimes than the median area in the latest imported period (only when crime counts have been imported). \
With equal signals, a higher share on the indicator comes first, then more pinned places. \
The ranking is evidence for kommun and polis to discuss, not a decision; \
small differences between areas may be chance.";

#[derive(Deserialize)]
pub struct CandidateQuery {
    /// The round, by slug; the newest round with responses when left out.
    survey: Option<String>,
    /// The main indicator's key; the survey's first share indicator when left out.
    indicator: Option<String>,
}

#[derive(Serialize)]
struct Estimate {
    share: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    n: Option<u64>,
    suppressed: bool,
    uncertain: bool,
}

#[derive(Serialize)]
struct TrendDto {
    from_round: String,
    difference: f64,
    low: f64,
    high: f64,
    flag: String,
}

#[derive(Serialize)]
struct AreaCandidate {
    code: String,
    name: String,
    rank: usize,
    signals: Vec<Signal>,
    indicators: BTreeMap<String, Estimate>,
    trend: Option<TrendDto>,
    pins: usize,
    pins_by_category: Vec<(String, usize)>,
    hotspots: usize,
    findings: usize,
    open_findings: usize,
    fixed_findings: usize,
    crimes: Option<u64>,
    crimes_by_category: Vec<(String, u64)>,
    focus_areas: Vec<String>,
}

#[derive(Serialize)]
struct HotspotCandidate {
    name: String,
    area: Option<String>,
    area_code: Option<String>,
    class: String,
    z: Option<f64>,
    pins: usize,
    respondents: usize,
    previous_pins: Option<usize>,
    categories: Vec<(String, usize, f64)>,
    findings_nearby: usize,
    sentence: String,
}

/// The evidence per area and per hotspot with the ranking and its rule.
#[utoipa::path(get, path = "/api/v1/admin/focus-candidates", tag = "follow-up",
    params(("survey" = Option<String>, Query, description = "The round's slug; the newest with responses when left out"),
           ("indicator" = Option<String>, Query, description = "The main share indicator's key")),
    responses((status = 200, description = "Areas ranked with their evidence, hotspots, and the ranking rule in Swedish and English"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 404, description = "No such round in this municipality", body = crate::api_doc::Error),
              (status = 422, description = "No such indicator", body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn candidates(
    staff: Staff,
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    query: web::Query<CandidateQuery>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let m = staff.municipality_id();
    let surveys: Vec<_> = store
        .authored_surveys(m)
        .await?
        .into_iter()
        .filter(|s| s.status == SurveyStatus::Published)
        .collect();
    let chosen = match query.survey.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => Some(
            surveys
                .iter()
                .find(|s| s.survey.slug.as_str() == slug)
                .ok_or_else(|| ApiError::not_found(format!("there is no round `{slug}`")))?,
        ),
        None => surveys.iter().find(|s| s.responses > 0),
    };
    let rounds: Vec<serde_json::Value> = surveys
        .iter()
        .map(|s| serde_json::json!({"slug": s.survey.slug.as_str(), "round": s.survey.round, "responses": s.responses}))
        .collect();
    let report = match chosen {
        Some(s) => Some(reports.get(&store, &s.survey, Options::default()).await?),
        None => None,
    };
    let pins = match chosen {
        Some(s) => store.pins(&s.survey).await?,
        None => Vec::new(),
    };
    let areas = store.areas(m).await?;
    let walk_findings = store.findings(m, None).await?;
    let walks = store.walks(m).await?;
    let crimes = store.crime_counts(m).await?;
    let focus_areas = store.focus_areas(m).await?;
    let crime_period = crimes.iter().map(|c| c.period.clone()).max();

    let share_keys: Vec<(String, String)> = report
        .as_ref()
        .map(|r| {
            r.share_indicators()
                .into_iter()
                .map(|t| (t.key.clone(), t.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    let main = match query.indicator.as_deref().filter(|s| !s.is_empty()) {
        Some(key) if share_keys.iter().any(|(k, _)| k == key) => Some(key.to_owned()),
        Some(key) if report.is_some() => {
            return Err(ApiError::Client {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "unknown_indicator",
                field: Some("indicator".to_owned()),
                message: format!("`{key}` is not a share indicator of this round"),
            });
        }
        _ => share_keys.first().map(|(k, _)| k.clone()),
    };
    let area_question = report.as_ref().and_then(|r| {
        r.questions
            .iter()
            .find(|q| q.background.as_deref() == Some("area"))
            .map(|q| q.key.clone())
    });
    let overall = report
        .as_ref()
        .zip(main.as_ref())
        .and_then(|(r, key)| r.overall_indicator(key))
        .and_then(|t| t.cells.first())
        .and_then(|c| c.estimate.as_ref())
        .map(|e| e.value);

    let mut evidence = Vec::with_capacity(areas.len());
    let mut rows = BTreeMap::new();
    for a in &areas {
        let code = a.code.as_str().to_owned();
        let indicators: BTreeMap<String, Estimate> = share_keys
            .iter()
            .map(|(key, _)| {
                let estimate = report
                    .as_ref()
                    .zip(area_question.as_ref())
                    .map_or_else(no_estimate, |(r, q)| area_estimate(r, key, q, &code));
                (key.clone(), estimate)
            })
            .collect();
        let trend = report
            .as_ref()
            .zip(area_question.as_ref())
            .zip(main.as_ref())
            .and_then(|((r, q), key)| area_trend(r, key, q, &code));
        let own_pins: Vec<_> = pins
            .iter()
            .filter(|p| p.area_code.as_deref() == Some(code.as_str()))
            .collect();
        let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
        for p in &own_pins {
            *by_category.entry(p.pin.category.to_string()).or_default() += 1;
        }
        let mut pins_by_category: Vec<(String, usize)> = by_category.into_iter().collect();
        pins_by_category.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let hotspots = report.as_ref().map_or(0, |r| {
            r.map
                .hotspots
                .iter()
                .filter(|h| {
                    h.area.as_deref() == Some(a.name.as_str())
                        || h.area.as_deref() == Some(code.as_str())
                })
                .count()
        });
        let walk_ids: BTreeSet<_> = walks
            .iter()
            .filter(|w| w.area_code.as_str() == code)
            .map(|w| w.id)
            .collect();
        let own_findings: Vec<_> = walk_findings
            .iter()
            .filter(|f| walk_ids.contains(&f.walk_id))
            .collect();
        let open_findings = own_findings
            .iter()
            .filter(|f| !f.status.is_closed())
            .count();
        let fixed_findings = own_findings
            .iter()
            .filter(|f| f.status.as_str() == "fixed")
            .count();
        let latest_crimes: Vec<&CrimeCount> = crimes
            .iter()
            .filter(|c| Some(&c.period) == crime_period.as_ref() && c.area_code.as_str() == code)
            .collect();
        let crime_total = crime_period
            .as_ref()
            .map(|_| latest_crimes.iter().map(|c| u64::from(c.count)).sum());
        let main_estimate = main.as_ref().and_then(|k| indicators.get(k));
        evidence.push(AreaEvidence {
            code: code.clone(),
            share: main_estimate.and_then(|e| e.share),
            share_low: main_estimate.and_then(|e| e.low),
            hotspots,
            pins: own_pins.len(),
            open_findings,
            crimes: crime_total,
        });
        rows.insert(
            code.clone(),
            AreaCandidate {
                name: a.name.clone(),
                rank: 0,
                signals: Vec::new(),
                trend,
                pins: own_pins.len(),
                pins_by_category,
                hotspots,
                findings: own_findings.len(),
                open_findings,
                fixed_findings,
                crimes: crime_total,
                crimes_by_category: latest_crimes
                    .iter()
                    .map(|c| (c.category.clone(), u64::from(c.count)))
                    .collect(),
                focus_areas: focus_areas
                    .iter()
                    .filter(|f| f.area_code.as_ref().is_some_and(|k| k.as_str() == code))
                    .map(|f| f.name.clone())
                    .collect(),
                indicators,
                code,
            },
        );
    }
    let ranked: Vec<AreaCandidate> = rank_areas(&evidence, overall)
        .into_iter()
        .filter_map(|r| {
            let mut row = rows.remove(&r.code)?;
            row.rank = r.rank;
            row.signals = r.signals;
            Some(row)
        })
        .collect();
    let hotspots = report
        .as_ref()
        .map(|r| hotspot_candidates(r, &areas, &walk_findings))
        .unwrap_or_default();
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({
            "survey": chosen.map(|s| serde_json::json!({"id": s.survey.id.to_string(), "slug": s.survey.slug.as_str(), "round": s.survey.round})),
            "rounds": rounds,
            "compared_with": report.as_ref().and_then(|r| r.compared_with.clone()),
            "indicator": main,
            "indicators": share_keys.iter().map(|(k, l)| serde_json::json!({"key": k, "label": l})).collect::<Vec<_>>(),
            "overall": overall,
            "crime_period": crime_period,
            "areas": ranked,
            "hotspots": hotspots,
            "method": {"sv": METHOD_SV, "en": METHOD_EN},
        })))
}

const fn no_estimate() -> Estimate {
    Estimate {
        share: None,
        low: None,
        high: None,
        n: None,
        suppressed: false,
        uncertain: false,
    }
}

/// The share of indicator `key` among respondents who gave `code` as their area.
fn area_estimate(r: &Lagesbild, key: &str, question: &str, code: &str) -> Estimate {
    let cell = r
        .report
        .indicators
        .iter()
        .find(|t| {
            t.key == key
                && t.measure == Measure::Share
                && t.group_by.len() == 1
                && t.group_by.first().map(String::as_str) == Some(question)
        })
        .and_then(|t| {
            t.cells
                .iter()
                .find(|c| c.group.first().map(String::as_str) == Some(code))
        });
    cell.map_or_else(no_estimate, |c| Estimate {
        share: c.estimate.as_ref().map(|e| e.value),
        low: c.estimate.as_ref().map(|e| e.interval.low),
        high: c.estimate.as_ref().map(|e| e.interval.high),
        n: c.estimate.as_ref().map(|e| e.n),
        suppressed: c.suppressed.is_some(),
        uncertain: c.uncertain,
    })
}

/// The change of indicator `key` in area `code` since the round compared with.
fn area_trend(r: &Lagesbild, key: &str, question: &str, code: &str) -> Option<TrendDto> {
    let t = r.report.trends.iter().find(|t| {
        t.key == key
            && t.option.is_none()
            && t.group_by.first().map(String::as_str) == Some(question)
            && t.group.first().map(String::as_str) == Some(code)
    })?;
    let change = t.change.as_ref()?;
    Some(TrendDto {
        from_round: t.from_round.clone(),
        difference: change.difference,
        low: change.interval.low,
        high: change.interval.high,
        flag: serde_json::to_value(change.flag)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    })
}

fn hotspot_candidates(
    r: &Lagesbild,
    areas: &[trygg_domain::Area],
    findings: &[trygg_domain::Finding],
) -> Vec<HotspotCandidate> {
    let mut out: Vec<HotspotCandidate> = r
        .map
        .hotspots
        .iter()
        .map(|h| {
            // The hotspot's significance is that of its strongest cell.
            let strongest = r
                .map
                .cells
                .iter()
                .filter(|c| h.cells.contains(&c.h3))
                .max_by(|a, b| a.z.total_cmp(&b.z));
            let area_code = areas
                .iter()
                .find(|a| {
                    h.area.as_deref() == Some(a.name.as_str())
                        || h.area.as_deref() == Some(a.code.as_str())
                })
                .map(|a| a.code.as_str().to_owned());
            HotspotCandidate {
                name: h.name.clone(),
                area: h.area.clone(),
                area_code,
                class: strongest.map_or_else(String::new, |c| c.class.clone()),
                z: strongest.map(|c| c.z),
                pins: h.pins,
                respondents: h.respondents,
                previous_pins: h.previous_pins,
                categories: h.categories.clone(),
                findings_nearby: findings
                    .iter()
                    .filter(|f| {
                        distance_m(h.centroid, (f.location.lon(), f.location.lat()))
                            <= NEAR_HOTSPOT_M
                    })
                    .count(),
                sentence: h.sentence.clone(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.z.unwrap_or(0.0)
            .total_cmp(&a.z.unwrap_or(0.0))
            .then(b.pins.cmp(&a.pins))
    });
    out
}

/// Great-circle distance in metres (haversine on a 6 371 km sphere), ample for "within 300 m".
fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lon1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lon2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

/// The municipality's area codes, which crime counts must name.
pub async fn area_codes(store: &Store, m: MunicipalityId) -> Result<BTreeSet<String>, ApiError> {
    Ok(store
        .areas(m)
        .await?
        .into_iter()
        .map(|a| a.code.as_str().to_owned())
        .collect())
}

/// The imported crime counts.
#[utoipa::path(get, path = "/api/v1/admin/crime-counts", tag = "follow-up",
    responses((status = 200, description = "Crime counts by period, area and category"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn crime_counts(staff: Staff, store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadResults)?;
    let rows = store.crime_counts(staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "crime_counts": rows })))
}

/// Crime counts to import.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrimeCountsBody {
    /// `{"area_code", "period", "category", "count"}` each; the rows of every period named replace that period's.
    #[schema(value_type = Vec<Object>)]
    rows: Vec<CrimeCountInput>,
}

/// Import police-reported crime counts per area (all rows or none).
#[utoipa::path(post, path = "/api/v1/admin/crime-counts", tag = "follow-up",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = CrimeCountsBody, content_type = "application/json"),
    responses((status = 201, description = "Imported; the number of rows"),
              (status = 401, body = crate::api_doc::Error), (status = 403, body = crate::api_doc::Error),
              (status = 422, description = "A broken rule, naming the row and field", body = crate::api_doc::Error)))]
#[tracing::instrument(skip_all)]
pub async fn import_crime_counts(
    staff: Staff,
    store: web::Data<Store>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageFocusAreas)?;
    let body: CrimeCountsBody = super::promises::parse(&body)?;
    let m = staff.municipality_id();
    let areas = area_codes(&store, m).await?;
    let rows = parse_crime_counts(body.rows, &areas).map_err(|e| {
        let prefix = e.row.map_or_else(String::new, |i| format!("rows[{i}]"));
        let mut error = e.error;
        error.field = join_path(&prefix, &error.field);
        ApiError::from(error)
    })?;
    store.replace_crime_counts(m, &rows).await?;
    staff
        .audit(
            &store,
            "crime_counts_imported",
            &format!("{} rows", rows.len()),
        )
        .await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "imported": rows.len() })))
}
