//! Focus-area candidates: the evidence per area and per hotspot side by side.
//!
//! [`candidates`] puts the survey's share indicators with 95 % intervals and the
//! trend since the previous round (from the lägesbild, the same value the
//! dashboard shows), hotspot significance and pins by category, safety-walk
//! findings and the imported crime counts next to each other, then ranks the areas
//! by [`rank_areas`], whose rule the answer states in words ([`METHOD_SV`],
//! [`METHOD_EN`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use trygg_analysis::stats::Measure;
use trygg_domain::{
    Area, AreaEvidence, CrimeCount, FocusArea, MunicipalityId, SafetyWalk, Signal, SurveyStatus,
    rank_areas,
};
use trygg_store::{AuthoredSurvey, Store, StoreError, StoredPin};
use utoipa::ToSchema;

use crate::{Lagesbild, LagesbildError, Options, Reports};

/// How far from a hotspot's centre a walk finding counts as lying in it.
const NEAR_HOTSPOT_M: f64 = 300.0;

/// The ranking rule in Swedish, shown on the page beside the ranking.
pub const METHOD_SV: &str = "Områdena rangordnas efter hur många av sex signaler som pekar på dem: \
(1) hela 95-procentsintervallet för den valda indikatorn ligger över kommunens andel, \
(2) en hotspot (Gi* med minst 95 % säkerhet) ligger i området, \
(3) fler markerade platser än mediankommundelen, \
(4) öppna fynd från trygghetsvandringar, \
(5) fler polisanmälda brott än mediankommundelen under den senaste importerade perioden (bara när brottsstatistik har importerats), \
(6) fler rapporterade händelser (EST) än mediankommundelen de senaste 52 veckorna (bara när händelser har rapporterats). \
Vid lika antal signaler kommer högre andel på indikatorn först, sedan fler markerade platser. \
Rangordningen är ett underlag för samtalet mellan kommun och polis, inte ett beslut; \
små skillnader mellan områden kan bero på slumpen.";
/// The ranking rule in English.
pub const METHOD_EN: &str = "Areas are ranked by how many of six signals point at them: \
(1) the whole 95 % interval of the chosen indicator lies above the municipality's share, \
(2) a hotspot (Gi* at 95 % or more) lies in the area, \
(3) more pinned places than the median area, \
(4) open findings from safety walks, \
(5) more police-reported crimes than the median area in the latest imported period (only when crime counts have been imported), \
(6) more reported events (EST) than the median area in the last 52 weeks (only when events have been reported). \
With equal signals, a higher share on the indicator comes first, then more pinned places. \
The ranking is evidence for kommun and polis to discuss, not a decision; \
small differences between areas may be chance.";

/// Why the candidates cannot be listed.
#[derive(Debug, thiserror::Error)]
pub enum FocusError {
    /// No published round of the municipality has this slug.
    #[error("there is no round `{0}`")]
    UnknownRound(String),
    /// The indicator is no share indicator of the round.
    #[error("`{0}` is not a share indicator of this round")]
    UnknownIndicator(String),
    /// The lägesbild cannot be built.
    #[error(transparent)]
    Lagesbild(#[from] LagesbildError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the candidates are asked for.
#[derive(Debug, Clone, Default)]
pub struct CandidateRequest {
    /// The round, by slug; the newest published round with responses when `None`.
    pub survey: Option<String>,
    /// The main indicator's key; the round's first share indicator when `None`.
    pub indicator: Option<String>,
}

/// The evidence per area and per hotspot with the ranking and its rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct FocusCandidates {
    /// The round the evidence is from, if any has responses.
    survey: Option<RoundRef>,
    /// Every published round, newest first, to choose from.
    rounds: Vec<RoundChoice>,
    /// The round the trends compare with.
    compared_with: Option<String>,
    /// The main indicator's key.
    indicator: Option<String>,
    /// The round's share indicators.
    indicators: Vec<IndicatorChoice>,
    /// The municipality's share on the main indicator.
    overall: Option<f64>,
    /// The latest imported crime period, if crime counts have been imported.
    crime_period: Option<String>,
    /// The areas, best-ranked first.
    areas: Vec<AreaCandidate>,
    /// The hotspots, most significant first.
    hotspots: Vec<HotspotCandidate>,
    /// The ranking rule in words.
    method: Method,
}

/// The round chosen.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundRef {
    id: String,
    slug: String,
    round: String,
}

/// A published round to choose.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundChoice {
    slug: String,
    round: String,
    responses: u64,
}

/// A share indicator to choose.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorChoice {
    key: String,
    label: String,
}

/// The ranking rule in Swedish and English.
#[derive(Debug, Serialize, ToSchema)]
pub struct Method {
    sv: &'static str,
    en: &'static str,
}

/// A share with its 95 % interval, as the lägesbild shows it.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Estimate {
    share: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    n: Option<u64>,
    suppressed: bool,
    uncertain: bool,
}

/// The change of the main indicator in an area since the round compared with.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrendDto {
    from_round: String,
    difference: f64,
    low: f64,
    high: f64,
    flag: String,
}

/// One area with its evidence and rank.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaCandidate {
    code: String,
    name: String,
    rank: usize,
    /// `indicator_above`, `hotspot`, `pins_above_median`, `open_findings`,
    /// `crime_above_median`, `events_above_median`.
    #[schema(value_type = Vec<String>)]
    signals: Vec<Signal>,
    /// Each share indicator in the area.
    indicators: BTreeMap<String, Estimate>,
    trend: Option<TrendDto>,
    pins: usize,
    /// (category, pins), most pins first.
    pins_by_category: Vec<(String, usize)>,
    hotspots: usize,
    findings: usize,
    open_findings: usize,
    fixed_findings: usize,
    /// Crimes in the latest imported period; absent without imported counts.
    crimes: Option<u64>,
    /// (category, crimes) in the latest imported period.
    crimes_by_category: Vec<(String, u64)>,
    /// EST händelser in the last 52 weeks (merged reports not counted);
    /// absent when none were reported.
    events: Option<u64>,
    /// The names of the focus areas chosen in this area.
    focus_areas: Vec<String>,
}

/// One hotspot with its evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct HotspotCandidate {
    name: String,
    area: Option<String>,
    area_code: Option<String>,
    /// The Gi* class of its strongest cell, e.g. `hot_99`.
    class: String,
    z: Option<f64>,
    pins: usize,
    respondents: usize,
    previous_pins: Option<usize>,
    /// (category, pins, share).
    categories: Vec<(String, usize, f64)>,
    /// Walk findings within 300 m of its centre.
    findings_nearby: usize,
    sentence: String,
}

/// Everything the municipality has that the candidates draw on.
struct Evidence {
    report: Option<std::sync::Arc<Lagesbild>>,
    pins: Vec<StoredPin>,
    areas: Vec<Area>,
    findings: Vec<trygg_domain::Finding>,
    walks: Vec<SafetyWalk>,
    crimes: Vec<CrimeCount>,
    /// The area codes of the EST händelser of the last 52 weeks, one per report.
    events: Vec<Option<String>>,
    focus_areas: Vec<FocusArea>,
}

/// The focus-area candidates of municipality `m`.
///
/// # Errors
/// [`FocusError::UnknownRound`] for a slug that names no published round,
/// [`FocusError::UnknownIndicator`] for a key that is no share indicator of the
/// round; the store's or the statistics' failure.
pub async fn candidates(
    reports: &Reports,
    store: &Store,
    m: MunicipalityId,
    request: &CandidateRequest,
) -> Result<FocusCandidates, FocusError> {
    let surveys: Vec<AuthoredSurvey> = store
        .authored_surveys(m)
        .await?
        .into_iter()
        .filter(|s| s.status == SurveyStatus::Published)
        .collect();
    let chosen = choose_round(&surveys, request.survey.as_deref())?;
    let evidence = Evidence::read(reports, store, m, chosen).await?;
    let report = evidence.report.as_deref();
    let share_keys: Vec<(String, String)> = report.map_or_else(Vec::new, |r| {
        r.share_indicators()
            .into_iter()
            .map(|t| (t.key.clone(), t.label.clone()))
            .collect()
    });
    let main = main_indicator(&share_keys, request.indicator.as_deref(), report.is_some())?;
    let overall = report
        .zip(main.as_ref())
        .and_then(|(r, key)| r.overall_indicator(key))
        .and_then(|t| t.cells.first())
        .and_then(|c| c.estimate.as_ref())
        .map(|e| e.value);
    let crime_period = evidence.crimes.iter().map(|c| c.period.clone()).max();
    let rows: Vec<AreaCandidate> = evidence
        .areas
        .iter()
        .map(|a| evidence.area(a, &share_keys, main.as_deref(), crime_period.as_deref()))
        .collect();
    Ok(FocusCandidates {
        survey: chosen.map(|s| RoundRef {
            id: s.survey.id.to_string(),
            slug: s.survey.slug.to_string(),
            round: s.survey.round.clone(),
        }),
        rounds: surveys
            .iter()
            .map(|s| RoundChoice {
                slug: s.survey.slug.to_string(),
                round: s.survey.round.clone(),
                responses: s.responses,
            })
            .collect(),
        compared_with: report.and_then(|r| r.compared_with.clone()),
        indicator: main.clone(),
        indicators: share_keys
            .into_iter()
            .map(|(key, label)| IndicatorChoice { key, label })
            .collect(),
        overall,
        crime_period,
        areas: ranked(rows, main.as_deref(), overall),
        hotspots: report
            .map(|r| hotspot_candidates(r, &evidence.areas, &evidence.findings))
            .unwrap_or_default(),
        method: Method {
            sv: METHOD_SV,
            en: METHOD_EN,
        },
    })
}

/// The round asked for by `slug`, or the newest published round with responses.
fn choose_round<'a>(
    surveys: &'a [AuthoredSurvey],
    slug: Option<&str>,
) -> Result<Option<&'a AuthoredSurvey>, FocusError> {
    match slug.filter(|s| !s.is_empty()) {
        Some(slug) => surveys
            .iter()
            .find(|s| s.survey.slug.as_str() == slug)
            .map(Some)
            .ok_or_else(|| FocusError::UnknownRound(slug.to_owned())),
        None => Ok(surveys.iter().find(|s| s.responses > 0)),
    }
}

/// The main indicator: the one asked for if it is a share indicator of the round,
/// else the round's first.
fn main_indicator(
    share_keys: &[(String, String)],
    asked: Option<&str>,
    has_round: bool,
) -> Result<Option<String>, FocusError> {
    match asked.filter(|s| !s.is_empty()) {
        Some(key) if share_keys.iter().any(|(k, _)| k == key) => Ok(Some(key.to_owned())),
        Some(key) if has_round => Err(FocusError::UnknownIndicator(key.to_owned())),
        _ => Ok(share_keys.first().map(|(k, _)| k.clone())),
    }
}

/// The areas ranked by [`rank_areas`], each with its rank and signals.
fn ranked(
    rows: Vec<AreaCandidate>,
    main: Option<&str>,
    overall: Option<f64>,
) -> Vec<AreaCandidate> {
    let evidence: Vec<AreaEvidence> = rows
        .iter()
        .map(|row| {
            let estimate = main.and_then(|k| row.indicators.get(k));
            AreaEvidence {
                code: row.code.clone(),
                share: estimate.and_then(|e| e.share),
                share_low: estimate.and_then(|e| e.low),
                hotspots: row.hotspots,
                pins: row.pins,
                open_findings: row.open_findings,
                crimes: row.crimes,
                events: row.events,
            }
        })
        .collect();
    let mut rows: BTreeMap<String, AreaCandidate> = rows
        .into_iter()
        .map(|row| (row.code.clone(), row))
        .collect();
    rank_areas(&evidence, overall)
        .into_iter()
        .filter_map(|r| {
            let mut row = rows.remove(&r.code)?;
            row.rank = r.rank;
            row.signals = r.signals;
            Some(row)
        })
        .collect()
}

/// The areas (among `areas`) of the municipality's EST händelser of the last
/// 52 weeks.
async fn recent_events(
    store: &Store,
    m: MunicipalityId,
    areas: &[Area],
) -> Result<Vec<Option<String>>, FocusError> {
    let boundary = trygg_domain::Boundary::of(areas);
    let since = trygg_domain::IsoWeek::of(time::OffsetDateTime::now_utc().date()).minus(52);
    Ok(store
        .event_reports(m, None)
        .await?
        .iter()
        .filter_map(|r| crate::est_week::counted(r, &boundary))
        .filter(|c| c.week >= since)
        .map(|c| c.area)
        .collect())
}

impl Evidence {
    async fn read(
        reports: &Reports,
        store: &Store,
        m: MunicipalityId,
        chosen: Option<&AuthoredSurvey>,
    ) -> Result<Self, FocusError> {
        let (report, pins) = match chosen {
            Some(s) => (
                Some(reports.get(store, &s.survey, Options::default()).await?),
                store.pins(&s.survey).await?,
            ),
            None => (None, Vec::new()),
        };
        let areas = store.areas(m).await?;
        Ok(Self {
            report,
            pins,
            events: recent_events(store, m, &areas).await?,
            areas,
            findings: store.findings_as_written(m, None).await?,
            walks: store.walks(m).await?,
            crimes: store.crime_counts(m).await?,
            focus_areas: store.focus_areas(m).await?,
        })
    }

    /// Area `a`'s evidence, unranked.
    fn area(
        &self,
        a: &Area,
        share_keys: &[(String, String)],
        main: Option<&str>,
        crime_period: Option<&str>,
    ) -> AreaCandidate {
        let code = a.code.as_str();
        let report = self.report.as_deref();
        let area_question = report.and_then(|r| {
            r.questions
                .iter()
                .find(|q| q.background.as_deref() == Some("area"))
                .map(|q| q.key.as_str())
        });
        let indicators = share_keys
            .iter()
            .map(|(key, _)| {
                let estimate = report
                    .zip(area_question)
                    .map(|(r, q)| area_estimate(r, key, q, code))
                    .unwrap_or_default();
                (key.clone(), estimate)
            })
            .collect();
        let trend = report
            .zip(area_question)
            .zip(main)
            .and_then(|((r, q), key)| area_trend(r, key, q, code));
        let (pins, pins_by_category) = self.pins_in(code);
        let walk_ids: BTreeSet<_> = self
            .walks
            .iter()
            .filter(|w| w.area_code.as_str() == code)
            .map(|w| w.id)
            .collect();
        let findings: Vec<_> = self
            .findings
            .iter()
            .filter(|f| walk_ids.contains(&f.walk_id))
            .collect();
        let latest_crimes: Vec<&CrimeCount> = self
            .crimes
            .iter()
            .filter(|c| Some(c.period.as_str()) == crime_period && c.area_code.as_str() == code)
            .collect();
        AreaCandidate {
            code: code.to_owned(),
            name: a.name.clone(),
            rank: 0,
            signals: Vec::new(),
            indicators,
            trend,
            pins,
            pins_by_category,
            hotspots: report.map_or(0, |r| {
                r.map
                    .hotspots
                    .iter()
                    .filter(|h| h.area.as_deref().is_some_and(|n| n == a.name || n == code))
                    .count()
            }),
            findings: findings.len(),
            open_findings: findings.iter().filter(|f| !f.status.is_closed()).count(),
            fixed_findings: findings
                .iter()
                .filter(|f| f.status.as_str() == "fixed")
                .count(),
            crimes: crime_period.map(|_| latest_crimes.iter().map(|c| u64::from(c.count)).sum()),
            crimes_by_category: latest_crimes
                .iter()
                .map(|c| (c.category.clone(), u64::from(c.count)))
                .collect(),
            events: (!self.events.is_empty()).then(|| {
                self.events
                    .iter()
                    .filter(|e| e.as_deref() == Some(code))
                    .count() as u64
            }),
            focus_areas: self
                .focus_areas
                .iter()
                .filter(|f| f.area_code.as_ref().is_some_and(|k| k.as_str() == code))
                .map(|f| f.name.clone())
                .collect(),
        }
    }

    /// The round's pins in area `code`, and their count by category, most first.
    fn pins_in(&self, code: &str) -> (usize, Vec<(String, usize)>) {
        let mut pins = 0;
        let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
        for p in self
            .pins
            .iter()
            .filter(|p| p.area_code.as_deref() == Some(code))
        {
            pins += 1;
            *by_category.entry(p.pin.category.to_string()).or_default() += 1;
        }
        let mut by_category: Vec<(String, usize)> = by_category.into_iter().collect();
        by_category.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        (pins, by_category)
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
    cell.map_or_else(Estimate::default, |c| Estimate {
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
    areas: &[Area],
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_300_m_away_is_near_and_one_400_m_away_is_not() {
        // A degree of latitude is about 111.2 km, so 0.0027° is about 300 m.
        let centre = (17.6, 59.5);
        assert!(distance_m(centre, (17.6, 59.5 + 0.0026)) <= NEAR_HOTSPOT_M);
        assert!(distance_m(centre, (17.6, 59.5 + 0.0036)) > NEAR_HOTSPOT_M);
    }

    #[test]
    fn an_indicator_that_is_no_share_indicator_of_the_round_is_refused_and_none_asked_takes_the_first()
     {
        let keys = vec![
            ("evening_unsafe".to_owned(), "Otrygg på kvällen".to_owned()),
            ("worried".to_owned(), "Orolig".to_owned()),
        ];
        assert_eq!(
            main_indicator(&keys, None, true).ok(),
            Some(Some("evening_unsafe".to_owned()))
        );
        assert_eq!(
            main_indicator(&keys, Some("worried"), true).ok(),
            Some(Some("worried".to_owned()))
        );
        assert!(matches!(
            main_indicator(&keys, Some("mean_years"), true),
            Err(FocusError::UnknownIndicator(key)) if key == "mean_years"
        ));
    }
}
