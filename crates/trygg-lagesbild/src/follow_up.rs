//! The public follow-up of medborgarlöften ("Följ med i hur det går"), as the
//! public page `/lofte/{municipality}`, its JSON and its Atom feed show it.
//!
//! Only what kommun and polis wrote for the public leaves here: promises,
//! activities, progress against targets, public progress texts (never the
//! internal notes), fixed or declined walk findings, and the linked indicator per
//! published round with its interval, taken from the round's published snapshot
//! ([`FollowUpFigures`]) in one store read of the published rounds: the same
//! suppressed cells as the round's public results page, never recomputed, and
//! nothing of a round that is open or not published.

use serde::Serialize;
use time::Date;
use trygg_domain::{FindingStatus, Municipality, Promise, Status};
use trygg_store::{PublishedFollowUp, Store, StoreError};
use utoipa::ToSchema;

use crate::publish::FollowUpFigures;

/// Why the follow-up cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum FollowUpError {
    /// No municipality has this slug.
    #[error("there is no municipality `{0}`")]
    UnknownMunicipality(String),
    /// A published round's stored figures do not parse.
    #[error("the published follow-up figures of {round} do not parse: {message}")]
    Corrupt {
        /// The round's slug.
        round: String,
        /// What the parser said.
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

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

impl FollowUpDto {
    /// The municipality's slug.
    pub fn municipality(&self) -> &str {
        &self.municipality
    }
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

/// One published round's share in the focus area, or why it is hidden.
#[derive(Serialize, ToSchema)]
pub struct IndicatorPointDto {
    round: String,
    /// The day the figures shown were published.
    published_on: String,
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

/// The follow-up of the municipality `slug` as the public may see it on `today`.
///
/// # Errors
/// [`FollowUpError::UnknownMunicipality`] for a slug that names none; the store's
/// failure, or [`FollowUpError::Corrupt`] for stored figures that do not parse.
pub async fn public_follow_up(
    store: &Store,
    slug: &str,
    today: Date,
) -> Result<FollowUpDto, FollowUpError> {
    let m = store
        .municipality_by_slug(slug)
        .await?
        .ok_or_else(|| FollowUpError::UnknownMunicipality(slug.to_owned()))?;
    follow_up(store, &m, today).await
}

/// The follow-up of `m` as the public may see it on `today`.
///
/// # Errors
/// As [`public_follow_up`].
pub async fn follow_up(
    store: &Store,
    m: &Municipality,
    today: Date,
) -> Result<FollowUpDto, FollowUpError> {
    let focus_areas = store.focus_areas(m.id).await?;
    let promises = store.promises(m.id).await?;
    let published = published_rounds(store, m).await?;
    let mut out = Vec::with_capacity(promises.len());
    for p in &promises {
        let focus = focus_areas
            .iter()
            .find(|f| f.id == p.focus_area_id)
            .map_or_else(String::new, |f| f.name.clone());
        let indicator = indicator_series(&published, p);
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
    today: Date,
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
        starts_on: p.period.starts_on().to_string(),
        ends_on: p.period.ends_on().to_string(),
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

/// The municipality's published rounds with their follow-up figures, oldest first.
async fn published_rounds(
    store: &Store,
    m: &Municipality,
) -> Result<Vec<(PublishedFollowUp, FollowUpFigures)>, FollowUpError> {
    store
        .published_follow_up(m.id)
        .await?
        .into_iter()
        .map(|round| {
            let figures = serde_json::from_str(&round.follow_up_json).map_err(|e| {
                FollowUpError::Corrupt {
                    round: round.survey.slug.to_string(),
                    message: e.to_string(),
                }
            })?;
            Ok((round, figures))
        })
        .collect()
}

/// The linked indicator's share in the focus area for every published round that
/// has it, as the round's snapshot holds it: a cell hidden on the round's public
/// page is hidden here too.
fn indicator_series(
    published: &[(PublishedFollowUp, FollowUpFigures)],
    p: &Promise,
) -> Option<IndicatorSeriesDto> {
    let link = p.indicator.as_ref()?;
    let mut rounds = Vec::new();
    let mut label = None;
    let mut baseline_round = None;
    for (round, figures) in published {
        let Some(round_label) = figures.label(link.indicator.as_str()) else {
            continue;
        };
        if round.survey.slug == link.baseline_survey {
            baseline_round = Some(figures.round.clone());
        }
        label.get_or_insert(round_label);
        let estimate = figures
            .cell(link.indicator.as_str(), link.area_code.as_str())
            .filter(|cell| cell.suppressed.is_none())
            .and_then(|cell| cell.estimate);
        rounds.push(IndicatorPointDto {
            round: figures.round.clone(),
            published_on: round.publication.taken_at.date().to_string(),
            share: estimate.map(|e| e.value),
            low: estimate.map(|e| e.interval.low),
            high: estimate.map(|e| e.interval.high),
            n: estimate.map(|e| e.n),
            suppressed: estimate.is_none(),
        });
    }
    let (label_sv, label_en) = label?;
    Some(IndicatorSeriesDto {
        key: link.indicator.to_string(),
        label_sv: label_sv.to_owned(),
        label_en: label_en.map(str::to_owned),
        area_code: link.area_code.to_string(),
        baseline_round,
        rounds,
    })
}

/// The follow-up's updates as an Atom feed for the page at `page` (an absolute
/// URL): one entry per public progress text and fixed finding, newest first.
pub fn atom_feed(data: &FollowUpDto, page: &str) -> String {
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
        escape(&format!("{} – medborgarlöften", data.name)),
        escape(page),
        escape(page),
        escape(page),
        escape(&data.name)
    ));
    for (on, id, title, summary) in entries {
        xml.push_str(&format!(
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<updated>{on}T00:00:00Z</updated>\n<link rel=\"alternate\" href=\"{}\"/>\n<summary>{}</summary>\n</entry>\n",
            escape(&id),
            escape(&title),
            escape(page),
            escape(&summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
