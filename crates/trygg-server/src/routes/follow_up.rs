//! The public follow-up of medborgarlöften ("Följ med i hur det går"), with no sign-in:
//! `GET /api/v1/public/{municipality}/follow-up` (JSON for the page),
//! `GET /lofte/{municipality}` (the page) and `GET /lofte/{municipality}/feed.atom`.
//!
//! Only what kommun and polis wrote for the public leaves here: promises,
//! activities, progress against targets, public progress texts (never the
//! internal notes), fixed or declined walk findings, and the linked indicator per
//! round with its interval, hidden below the lägesbild's minimum base.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use trygg_analysis::stats::{
    IntervalMethod, SuppressionRules, area_groups_of, proportion_interval,
};
use trygg_domain::{FindingStatus, Municipality, Promise, Status};
use trygg_store::Store;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::routes::results::{Reports, lagesbild_error};

/// The whole public follow-up of one municipality.
#[derive(Serialize, ToSchema)]
pub struct FollowUpDto {
    municipality: String,
    name: String,
    /// True for generated demo data.
    synthetic: bool,
    /// The day statuses are judged on.
    today: String,
    promises: Vec<PublicPromiseDto>,
    /// Closed walk findings: what residents pointed out and what was done.
    findings: Vec<PublicFindingDto>,
}

/// A promise as the public sees it.
#[derive(Serialize, ToSchema)]
pub struct PublicPromiseDto {
    id: String,
    title_sv: String,
    title_en: Option<String>,
    focus_area: String,
    starts_on: String,
    ends_on: String,
    parties: Vec<String>,
    expected_effect_sv: String,
    expected_effect_en: Option<String>,
    /// `on_track`, `behind` or `done`.
    status: String,
    activities: Vec<PublicActivityDto>,
    /// The latest public updates, newest first.
    updates: Vec<UpdateDto>,
    indicator: Option<IndicatorSeriesDto>,
}

/// An activity with its progress.
#[derive(Serialize, ToSchema)]
pub struct PublicActivityDto {
    id: String,
    title_sv: String,
    title_en: Option<String>,
    owner: String,
    target: u32,
    achieved: u64,
    unit: String,
    due_on: String,
    status: String,
}

/// A public progress text.
#[derive(Serialize, ToSchema)]
pub struct UpdateDto {
    id: String,
    on: String,
    amount: u32,
    unit: String,
    activity_sv: String,
    text: String,
}

/// The linked indicator in the focus area, round by round.
#[derive(Serialize, ToSchema)]
pub struct IndicatorSeriesDto {
    key: String,
    label_sv: String,
    label_en: Option<String>,
    area_code: String,
    baseline_round: Option<String>,
    rounds: Vec<IndicatorPointDto>,
}

/// One round's share in the focus area, or why it is hidden.
#[derive(Serialize, ToSchema)]
pub struct IndicatorPointDto {
    round: String,
    /// Share in [0, 1]; absent when suppressed.
    share: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    /// Respondents in the base, absent when suppressed.
    n: Option<u64>,
    suppressed: bool,
}

/// A walk finding that is closed.
#[derive(Serialize, ToSchema)]
pub struct PublicFindingDto {
    id: String,
    walk: String,
    walked_on: String,
    category: String,
    note: String,
    responsible: String,
    /// `fixed` or `wont_fix`.
    status: String,
    fixed_on: Option<String>,
    reason: Option<String>,
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

async fn municipality(store: &Store, slug: &str) -> Result<Municipality, ApiError> {
    store
        .municipality_by_slug(slug)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no municipality `{slug}`")))
}

/// The follow-up of `m` as the public may see it.
pub async fn follow_up(
    store: &Store,
    reports: &Reports,
    m: &Municipality,
) -> Result<FollowUpDto, ApiError> {
    let today = today();
    let focus_areas = store.focus_areas(m.id).await?;
    let promises = store.promises(m.id).await?;
    let mut out = Vec::with_capacity(promises.len());
    for p in &promises {
        let focus = focus_areas
            .iter()
            .find(|f| f.id == p.focus_area_id)
            .map_or_else(String::new, |f| f.name.clone());
        let indicator = indicator_series(store, reports, m, p).await?;
        out.push(public_promise(p, focus, today, indicator));
    }
    let walks = store.walks(m.id).await?;
    let findings = store
        .findings(m.id, None)
        .await?
        .into_iter()
        .filter(|f| f.status.is_closed())
        .filter_map(|f| {
            let w = walks.iter().find(|w| w.id == f.walk_id)?;
            let (fixed_on, reason) = match &f.status {
                FindingStatus::Fixed { fixed_on } => (Some(fixed_on.to_string()), None),
                FindingStatus::WontFix { reason } => (None, Some(reason.clone())),
                _ => (None, None),
            };
            Some(PublicFindingDto {
                id: f.id.to_string(),
                walk: w.title.clone(),
                walked_on: w.walked_on.to_string(),
                category: f.category.as_str().to_owned(),
                note: f.note,
                responsible: f.responsible,
                status: f.status.as_str().to_owned(),
                fixed_on,
                reason,
            })
        })
        .collect();
    Ok(FollowUpDto {
        municipality: m.slug.to_string(),
        name: m.name.clone(),
        synthetic: m.synthetic,
        today: today.to_string(),
        promises: out,
        findings,
    })
}

fn public_promise(
    p: &Promise,
    focus_area: String,
    today: time::Date,
    indicator: Option<IndicatorSeriesDto>,
) -> PublicPromiseDto {
    let mut updates: Vec<UpdateDto> = p
        .activities
        .iter()
        .flat_map(|a| {
            a.progress.iter().map(|e| UpdateDto {
                id: e.id.to_string(),
                on: e.on.to_string(),
                amount: e.amount,
                unit: a.unit.clone(),
                activity_sv: a.title.sv.clone(),
                text: e.text.clone(),
            })
        })
        .collect();
    updates.sort_by(|a, b| b.on.cmp(&a.on).then(b.id.cmp(&a.id)));
    updates.truncate(5);
    PublicPromiseDto {
        id: p.id.to_string(),
        title_sv: p.title.sv.clone(),
        title_en: p.title.en.clone(),
        focus_area,
        starts_on: p.period.starts_on.to_string(),
        ends_on: p.period.ends_on.to_string(),
        parties: p.parties.clone(),
        expected_effect_sv: p.expected_effect.sv.clone(),
        expected_effect_en: p.expected_effect.en.clone(),
        status: p.status(today).as_str().to_owned(),
        activities: p
            .activities
            .iter()
            .map(|a| PublicActivityDto {
                id: a.id.to_string(),
                title_sv: a.title.sv.clone(),
                title_en: a.title.en.clone(),
                owner: a.owner.clone(),
                target: a.target,
                achieved: a.achieved_by(today),
                unit: a.unit.clone(),
                due_on: a.due_on.to_string(),
                status: status_key(a.status(today)),
            })
            .collect(),
        updates,
        indicator,
    }
}

fn status_key(s: Status) -> String {
    s.as_str().to_owned()
}

/// The linked indicator's share in the focus area for every round of the
/// municipality's surveys that has it, with a Wilson interval; rounds whose base is
/// below the lägesbild's minimum are suppressed.
async fn indicator_series(
    store: &Store,
    reports: &Reports,
    m: &Municipality,
    p: &Promise,
) -> Result<Option<IndicatorSeriesDto>, ApiError> {
    let Some(link) = &p.indicator else {
        return Ok(None);
    };
    let rules = SuppressionRules::default();
    let mut rounds = Vec::new();
    let mut label = None;
    let mut baseline_round = None;
    let summaries = store.surveys().await?;
    let mut surveys = Vec::new();
    for s in summaries
        .iter()
        .filter(|s| s.municipality == m.slug.as_str())
    {
        if let Some(survey) = store.survey_by_slug(&s.slug).await? {
            surveys.push(survey);
        }
    }
    surveys.sort_by_key(|s| s.opens_on);
    for survey in surveys {
        let Some(indicator) = survey.indicators.iter().find(|i| i.key == link.indicator) else {
            continue;
        };
        if survey.slug == link.baseline_survey {
            baseline_round = Some(survey.round.clone());
        }
        label.get_or_insert_with(|| indicator.label.clone());
        // The round as the lägesbild holds it in memory, so a public page does
        // not read every answer of every round on each request.
        let sources = reports.sources(store, &survey).await?;
        if sources.responses() == 0 {
            continue;
        }
        let respondents = sources.respondents().map_err(lagesbild_error)?;
        let Ok((focus, _)) = area_groups_of(
            &survey,
            &respondents,
            link.indicator.as_str(),
            link.area_code.as_str(),
        ) else {
            continue;
        };
        let n = focus.n.round() as u64;
        if n < rules.min_base {
            rounds.push(IndicatorPointDto {
                round: survey.round.clone(),
                share: None,
                low: None,
                high: None,
                n: None,
                suppressed: true,
            });
            continue;
        }
        let interval =
            proportion_interval(focus.mean * focus.n, focus.n, IntervalMethod::Wilson, 0.95).ok();
        rounds.push(IndicatorPointDto {
            round: survey.round.clone(),
            share: Some(focus.mean),
            low: interval.map(|i| i.low),
            high: interval.map(|i| i.high),
            n: Some(n),
            suppressed: false,
        });
    }
    let Some(label) = label else {
        return Ok(None);
    };
    Ok(Some(IndicatorSeriesDto {
        key: link.indicator.to_string(),
        label_sv: label.sv.clone(),
        label_en: label.en.clone(),
        area_code: link.area_code.to_string(),
        baseline_round,
        rounds,
    }))
}

/// The public follow-up as JSON.
#[utoipa::path(
    get,
    path = "/api/v1/public/{municipality}/follow-up",
    tag = "public",
    params(("municipality" = String, Path, description = "The municipality's slug")),
    responses(
        (status = 200, description = "Promises, progress, the linked indicator and closed walk findings", body = FollowUpDto),
        (status = 404, description = "No such municipality", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn public(
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let m = municipality(&store, &slug).await?;
    Ok(HttpResponse::Ok().json(follow_up(&store, &reports, &m).await?))
}

/// The follow-up's updates as an Atom feed: one entry per progress entry and closed finding.
#[tracing::instrument(skip_all)]
pub async fn feed(
    store: web::Data<Store>,
    reports: web::Data<Reports>,
    slug: web::Path<String>,
    request: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let m = municipality(&store, &slug).await?;
    let data = follow_up(&store, &reports, &m).await?;
    let info = request.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    let page = format!("{base}/lofte/{}", m.slug);
    let mut entries: Vec<(String, String, String, String)> = Vec::new();
    for p in &data.promises {
        for u in &p.updates {
            entries.push((
                u.on.clone(),
                format!("urn:uuid:{}", u.id),
                format!("{}: +{} {}", p.title_sv, u.amount, u.unit),
                format!("{} ({})", u.text, u.activity_sv),
            ));
        }
    }
    for f in &data.findings {
        if let Some(on) = &f.fixed_on {
            entries.push((
                on.clone(),
                format!("urn:uuid:{}", f.id),
                format!("Åtgärdat: {}", f.note),
                format!("{} ({})", f.walk, f.responsible),
            ));
        }
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    let updated = entries
        .first()
        .map_or_else(|| data.today.clone(), |e| e.0.clone());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"sv\">\n");
    xml.push_str(&format!(
        "<title>{}</title>\n<subtitle>Medborgarlöften: följ med i hur det går</subtitle>\n<id>{}</id>\n<link rel=\"alternate\" href=\"{}\"/>\n<link rel=\"self\" href=\"{}/feed.atom\"/>\n<updated>{updated}T00:00:00Z</updated>\n<author><name>{}</name></author>\n",
        escape(&format!("{} – medborgarlöften", m.name)),
        escape(&page),
        escape(&page),
        escape(&page),
        escape(&m.name)
    ));
    for (on, id, title, summary) in entries {
        xml.push_str(&format!(
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<updated>{on}T00:00:00Z</updated>\n<link rel=\"alternate\" href=\"{}\"/>\n<summary>{}</summary>\n</entry>\n",
            escape(&id),
            escape(&title),
            escape(&page),
            escape(&summary)
        ));
    }
    xml.push_str("</feed>\n");
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(xml))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
