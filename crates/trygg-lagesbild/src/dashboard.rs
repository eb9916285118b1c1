//! The analysts' dashboard of one round: the lägesbild with its publication state,
//! the moderated comments and walk findings the filters keep, the map's pins, the
//! heat picture and the staff pin file. Each function here is one request's whole
//! workflow; an HTTP handler only parses, calls and answers.

use std::sync::Arc;

use serde::Serialize;
use time::Date;
use trygg_domain::{CommentSource, Permission, Role, Survey};
use trygg_store::{PublicComment, Publication, Store};
use utoipa::ToSchema;

use crate::format::RenderError;
use crate::{Filters, Lagesbild, LagesbildError, Options, Reports, blocking};

/// The exports and actions the dashboard offers, when the role allows them.
const OFFERED: [Permission; 3] = [
    Permission::ExportResults,
    Permission::ExportPins,
    Permission::PublishResults,
];

/// The dashboard's data: the lägesbild, then what only staff see.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    /// The lägesbild with the filters and options asked for.
    #[serde(flatten)]
    #[schema(value_type = Lagesbild)]
    lagesbild: Arc<Lagesbild>,
    /// The day the round was first published, if it is.
    published_on: Option<String>,
    /// The publication served on the public page, if the round is published.
    publication: Option<PublicationDto>,
    /// Whether the round has closed, so it may be published.
    closed: bool,
    /// Of `export_results`, `export_pins` and `publish_results`, those the role has.
    permissions: Vec<&'static str>,
    /// Residents' comments a moderator has approved (as written) or redacted (as
    /// edited), of the respondents (and pin category) the filters keep; pending
    /// and rejected ones never reach the dashboard.
    comments: Vec<CommentDto>,
    /// Safety-walk findings for the map's walk layer, of walks in the area filtered
    /// by. Staff only: they are not part of the lägesbild value, so neither the
    /// exports nor the public page carry them.
    findings: Vec<FindingDto>,
}

/// A moderated comment on the dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentDto {
    /// `pin_comment`, `free_text` or `place_comment`.
    source: &'static str,
    /// The approved or redacted text.
    text: String,
    /// The pin's category or the free-text question's key.
    context: String,
    /// The area a pin lies in, if known.
    area: Option<String>,
}

/// A safety-walk finding on the dashboard's map.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingDto {
    lon: f64,
    lat: f64,
    /// `lighting`, `vegetation`, …
    category: &'static str,
    /// `reported`, `planned`, `fixed` or `wont_fix`.
    status: &'static str,
    note: String,
    responsible: String,
    walk: String,
    walked_on: String,
    area: String,
}

/// A round's publication as staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicationDto {
    /// The day the round was first published.
    published_on: String,
    /// When the snapshot the public page serves was taken (RFC 3339).
    updated_at: String,
    /// Who took it.
    updated_by: String,
    /// 1, then one more for each republication.
    version: u32,
}

impl From<Publication> for PublicationDto {
    fn from(p: Publication) -> Self {
        Self {
            published_on: p.published_on.to_string(),
            updated_at: p
                .taken_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            updated_by: p.taken_by,
            version: p.version,
        }
    }
}

/// The answer to publishing or withdrawing a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationAnswer {
    /// The day the round was first published; absent once withdrawn.
    published_on: Option<String>,
    /// The publication now served; absent once withdrawn.
    publication: Option<PublicationDto>,
    /// The public page, `/r/{slug}`.
    url: String,
}

impl PublicationAnswer {
    /// The answer for `survey` with `publication` (`None`: withdrawn).
    pub fn new(survey: &Survey, publication: Option<Publication>) -> Self {
        let publication = publication.map(PublicationDto::from);
        Self {
            published_on: publication.as_ref().map(|p| p.published_on.clone()),
            publication,
            url: format!("/r/{}", survey.slug),
        }
    }
}

/// The dashboard of `survey` with `options` as a member of staff with `role` sees
/// it on `today`.
///
/// # Errors
/// [`LagesbildError::Filter`] for a filter naming no option; the store's or the
/// statistics' failure.
pub async fn dashboard(
    reports: &Reports,
    store: &Store,
    survey: &Survey,
    options: Options,
    role: Role,
    today: Date,
) -> Result<Dashboard, LagesbildError> {
    let filters = options.filters.clone();
    let lagesbild = reports.get(store, survey, options).await?;
    let publication = store.publication(survey).await?.map(PublicationDto::from);
    let comments = comments(reports, store, survey, &filters).await?;
    let findings = findings(store, survey, filters.area.as_deref()).await?;
    Ok(Dashboard {
        lagesbild,
        published_on: publication.as_ref().map(|p| p.published_on.clone()),
        publication,
        closed: survey.is_closed_on(today),
        permissions: OFFERED
            .into_iter()
            .filter(|p| role.allows(*p))
            .map(Permission::as_str)
            .collect(),
        comments,
        findings,
    })
}

/// The moderated comments that follow the filters like the rest of the page: only
/// those of the respondents kept, and of pins only those of the category chosen.
async fn comments(
    reports: &Reports,
    store: &Store,
    survey: &Survey,
    filters: &Filters,
) -> Result<Vec<CommentDto>, LagesbildError> {
    let kept = reports
        .sources(store, survey)
        .await?
        .kept_responses(filters)?;
    let kept_respondent = |c: &PublicComment| {
        kept.as_ref()
            .is_none_or(|kept| c.response_id.is_some_and(|id| kept.contains(&id)))
    };
    let kept_category = |c: &PublicComment| {
        c.source != CommentSource::PinComment
            || filters.category.as_ref().is_none_or(|k| &c.context == k)
    };
    // Only through `public_comments`, so an unmoderated comment cannot leak here.
    Ok(store
        .public_comments(survey)
        .await?
        .into_iter()
        .filter(|c| kept_respondent(c) && kept_category(c))
        .map(|c| CommentDto {
            source: c.source.as_str(),
            text: c.text,
            context: c.context,
            area: c.area_code,
        })
        .collect())
}

/// The municipality's walk findings, only those of walks in `area` when given.
async fn findings(
    store: &Store,
    survey: &Survey,
    area: Option<&str>,
) -> Result<Vec<FindingDto>, LagesbildError> {
    let m = survey.municipality_id;
    let walks = store.walks(m).await?;
    Ok(store
        .findings_as_written(m, None)
        .await?
        .into_iter()
        .filter_map(|f| {
            let walk = walks.iter().find(|w| w.id == f.walk_id)?;
            if area.is_some_and(|a| a != walk.area_code.as_str()) {
                return None;
            }
            Some(FindingDto {
                lon: f.location.lon(),
                lat: f.location.lat(),
                category: f.category.as_str(),
                status: f.status.as_str(),
                note: f.note,
                responsible: f.responsible,
                walk: walk.title.clone(),
                walked_on: walk.walked_on.to_string(),
                area: walk.area_code.to_string(),
            })
        })
        .collect())
}

/// Above this many pins the map gets them grouped by H3 cell: a browser draws
/// five thousand markers smoothly, not three hundred thousand.
pub const PINS_SHOWN: usize = 5_000;

/// The pins of the dashboard's map.
#[derive(Debug, Serialize, ToSchema)]
pub struct MapPins {
    /// How many pins the filters keep.
    total: usize,
    /// Each pin, when there are at most [`PINS_SHOWN`]; otherwise empty.
    pins: Vec<PinDto>,
    /// Otherwise the pins grouped by H3 cell (resolution 9), at the cell's centre.
    groups: Vec<PinGroup>,
}

/// A pin on the map: no comment, no respondent.
#[derive(Debug, Serialize, ToSchema)]
pub struct PinDto {
    lon: f64,
    lat: f64,
    category: String,
    /// `day`, `evening`, `night` or `always`.
    time: &'static str,
}

/// The pins of one H3 cell, at its centre.
#[derive(Debug, Serialize, ToSchema)]
pub struct PinGroup {
    lon: f64,
    lat: f64,
    count: usize,
}

/// The pins of `survey` that `filters` keep, one by one or grouped by cell when
/// there are more than [`PINS_SHOWN`].
///
/// # Errors
/// [`LagesbildError::Filter`] for a filter naming no option; the store's failure.
pub async fn map_pins(
    reports: &Reports,
    store: &Store,
    survey: &Survey,
    filters: Filters,
) -> Result<MapPins, LagesbildError> {
    let sources = reports.sources(store, survey).await?;
    blocking(move || {
        let pins = sources.pins(&filters)?;
        if pins.len() <= PINS_SHOWN {
            return Ok(MapPins {
                total: pins.len(),
                pins: pins.iter().map(|p| pin_dto(&p.pin)).collect(),
                groups: Vec::new(),
            });
        }
        let groups = crate::cell_groups(&pins)
            .into_iter()
            .map(|(centre, count)| PinGroup {
                lon: centre.lon(),
                lat: centre.lat(),
                count,
            })
            .collect();
        Ok(MapPins {
            total: pins.len(),
            pins: Vec::new(),
            groups,
        })
    })
    .await
}

fn pin_dto(pin: &trygg_store::PinValue) -> PinDto {
    PinDto {
        lon: pin.location.lon(),
        lat: pin.location.lat(),
        category: pin.category.to_string(),
        time: pin.time_of_day.as_str(),
    }
}

/// The heat surface of the lägesbild with `options` as a PNG, or `None` when
/// there are no pins and so no surface.
///
/// # Errors
/// As [`Reports::get`]; [`LagesbildError::Render`] when the picture cannot be drawn.
pub async fn heat_png(
    reports: &Reports,
    store: &Store,
    survey: &Survey,
    options: Options,
) -> Result<Option<Vec<u8>>, LagesbildError> {
    let lagesbild = reports.get(store, survey, options).await?;
    let Some(surface) = lagesbild.map.heat.clone() else {
        return Ok(None);
    };
    let png = blocking(move || {
        crate::heat::png(&surface).map_err(|e| render_error("heat.png")(e.to_string()))
    })
    .await?;
    Ok(Some(png))
}

/// The stored pins of `survey` that `filters` keep, with their comments, as
/// GeoJSON: the staff pin file.
///
/// # Errors
/// [`LagesbildError::Filter`] for a filter naming no option; the store's failure.
pub async fn pins_geojson(
    reports: &Reports,
    store: &Store,
    survey: &Survey,
    filters: &Filters,
) -> Result<Vec<u8>, LagesbildError> {
    let sources = reports.sources(store, survey).await?;
    let pins = sources.select_stored_pins(filters, store.pins(survey).await?)?;
    blocking(move || {
        serde_json::to_vec(&crate::geojson::pins(&pins))
            .map_err(|e| render_error("pins.geojson")(e.to_string()))
    })
    .await
}

fn render_error(format: &'static str) -> impl Fn(String) -> LagesbildError {
    move |message| LagesbildError::Render(RenderError { format, message })
}
