//! Store reads → domain → analysis: the one path that builds a [`Lagesbild`].

use std::collections::{BTreeMap, HashSet};

use geo::MultiPolygon;
use h3o::Resolution;
use trygg_analysis::hotspot::{self, GiOptions, HotspotPin, Kernel, MetricGrid};
use trygg_analysis::stats::{
    Dataset, DontKnow, EstimateOptions, IntervalMethod, Margin, RakingOptions, ReportSettings,
    SituationReport, StatsError, SuppressionRules, rake,
};
use trygg_domain::{
    Background, IndicatorKind, Location, PopulationFigure, QuestionKind, ResponseId, Survey,
    TimeOfDay,
};
use trygg_store::{InvitationCount, Store, StoreError, StoredPin};

use crate::parts::{named_areas, named_places};
use crate::population::margins_for;
use crate::round::{Round, RoundPin};

use crate::model::{
    AreaOutline, Filters, HeatSurface, HexCell, HotspotSummary, KeyFigures, Lagesbild, MapResults,
    MunicipalityInfo, OptionInfo, QuestionInfo, RoundIndicators, SurveyInfo, is_sensitive,
};
use crate::text::percent_sv;

/// H3 resolution of the map: about 170 m edges, a few blocks per cell.
pub const RESOLUTION: Resolution = Resolution::Nine;

/// How to build the report; also the key of the lägesbilder [`Reports`](crate::Reports) keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Options {
    /// Respondent and pin filters.
    pub filters: Filters,
    /// Weight respondents to the municipality's population figures (ignored without them).
    pub weighted: bool,
    /// The earlier round to compare with, by slug; default the previous round of the series.
    pub compare_with: Option<String>,
    /// Gi* permutations; 0 classes cells by the normal p-value (faster).
    pub permutations: Option<usize>,
    /// Suppress each question's and indicator's tables on their own, as before the
    /// release-wide suppression: leaves hidden cells that can be worked out across
    /// tables. Only for tests that show the audit catching that.
    pub unlinked: bool,
}

/// Why a lägesbild cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum LagesbildError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A filter names no option of its question.
    #[error("{field}: {message}")]
    Filter {
        /// The filter at fault, e.g. `area`.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The statistics cannot be computed.
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// The map cannot be computed.
    #[error(transparent)]
    Hotspot(#[from] hotspot::HotspotError),
    /// A stored answer does not fit the survey it belongs to.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The survey's municipality is missing.
    #[error("the survey's municipality is missing")]
    NoMunicipality,
    /// An export cannot be written.
    #[error(transparent)]
    Render(#[from] crate::format::RenderError),
    /// The blocking pool failed to run the computation.
    #[error("blocking pool: {0}")]
    Blocking(String),
}

impl Lagesbild {
    /// Builds the lägesbild of `survey` from the store: [`Sources::read`] then [`Sources::build`].
    ///
    /// # Errors
    /// [`LagesbildError`] for a filter that names no option, a store failure or
    /// statistics that cannot be computed.
    pub async fn load(
        store: &Store,
        survey: &Survey,
        options: &Options,
    ) -> Result<Self, LagesbildError> {
        Sources::read(store, survey).await?.build(options)
    }
}

/// Everything a lägesbild is computed from, read from the store once. Building from it
/// is pure computation, so a server can keep it and run [`Sources::build`] for every
/// filter off its async threads.
#[derive(Debug, Clone)]
pub struct Sources {
    pub(crate) municipality: MunicipalityInfo,
    pub(crate) round: Round,
    /// Earlier rounds of the series, oldest first.
    pub(crate) earlier: Vec<Round>,
    pub(crate) areas: Vec<hotspot::NamedArea>,
    pub(crate) places: Vec<hotspot::NamedPlace>,
    pub(crate) population: Vec<PopulationFigure>,
    pub(crate) invitations: Vec<InvitationCount>,
}

impl Sources {
    /// Reads the round, the earlier rounds of its series, the pins, areas, places
    /// and population figures.
    ///
    /// # Errors
    /// [`LagesbildError::Store`] when the store fails.
    pub async fn read(store: &Store, survey: &Survey) -> Result<Self, LagesbildError> {
        let municipality = store
            .municipality(survey.municipality_id)
            .await?
            .ok_or(LagesbildError::NoMunicipality)?;
        let areas = store.areas(survey.municipality_id).await?;
        let places = store.places(survey.municipality_id).await?;
        let population = store.population(survey.municipality_id).await?;
        let invitations = store.invitation_counts(survey.id).await?;
        let round = Round::read(store, survey).await?;
        let mut earlier = Vec::new();
        for other in earlier_rounds(store, survey).await? {
            earlier.push(Round::read(store, &other).await?);
        }
        Ok(Self {
            municipality: MunicipalityInfo {
                slug: municipality.slug.to_string(),
                name: municipality.name,
                synthetic: municipality.synthetic,
            },
            round,
            earlier,
            areas: named_areas(&areas),
            places: named_places(&places),
            population,
            invitations,
        })
    }

    /// A stamp of what [`read`](Self::read) would read for `survey`: equal stamps
    /// mean the sources read before still hold (see [`Store::results_stamp`]).
    ///
    /// # Errors
    /// [`LagesbildError::Store`] when the store fails.
    pub async fn stamp(store: &Store, survey: &Survey) -> Result<String, LagesbildError> {
        let mut rounds: Vec<_> = earlier_rounds(store, survey)
            .await?
            .iter()
            .map(|s| s.id)
            .collect();
        rounds.push(survey.id);
        Ok(store.results_stamp(survey.municipality_id, &rounds).await?)
    }

    /// The round's survey.
    pub const fn survey(&self) -> &Survey {
        &self.round.survey
    }

    /// How many responses the round has.
    pub fn responses(&self) -> usize {
        self.round.len()
    }

    /// Every respondent of the round, laid out by column.
    ///
    /// # Errors
    /// [`LagesbildError::Stats`] if the columns do not form a dataset.
    pub fn respondents(&self) -> Result<Dataset, LagesbildError> {
        let every: Vec<usize> = (0..self.round.len()).collect();
        Ok(self.round.dataset(&every)?)
    }

    /// The round's pins (without comments) that `filters` keep, as the map shows them.
    ///
    /// # Errors
    /// [`LagesbildError::Filter`] for a filter that names no option.
    pub fn pins(&self, filters: &Filters) -> Result<Vec<&RoundPin>, LagesbildError> {
        check_filters(self.survey(), filters)?;
        Ok(self.round.select(filters).pins)
    }

    /// The responses of the respondents `filters` keep, or `None` when they keep
    /// every respondent.
    ///
    /// # Errors
    /// [`LagesbildError::Filter`] for a filter that names no option.
    pub fn kept_responses(
        &self,
        filters: &Filters,
    ) -> Result<Option<HashSet<ResponseId>>, LagesbildError> {
        check_filters(self.survey(), filters)?;
        Ok(filters
            .filters_respondents()
            .then(|| self.round.kept_responses(filters)))
    }

    /// The stored pins (with comments, read by the caller) that `filters` keep, for
    /// the staff pin export.
    ///
    /// # Errors
    /// [`LagesbildError::Filter`] for a filter that names no option.
    pub fn select_stored_pins(
        &self,
        filters: &Filters,
        pins: Vec<StoredPin>,
    ) -> Result<Vec<StoredPin>, LagesbildError> {
        check_filters(self.survey(), filters)?;
        Ok(self.round.select_stored(filters, pins))
    }

    /// The respondents a lägesbild with `filters` covers, weighted as it is: the true
    /// values its release is audited against.
    ///
    /// # Errors
    /// [`LagesbildError`] for a filter that names no option or weights that cannot be computed.
    pub(crate) fn release_dataset(
        &self,
        filters: &Filters,
        weighted: bool,
    ) -> Result<Dataset, LagesbildError> {
        let survey = self.survey();
        check_filters(survey, filters)?;
        let dataset = self.round.dataset(&self.round.select(filters).rows)?;
        let margins = if self.population.is_empty() {
            None
        } else {
            margins_for(survey, &self.population, &dataset, filters)
        };
        Ok(weighted_dataset(dataset, margins.as_deref(), weighted)?.0)
    }

    /// Computes the lägesbild.
    ///
    /// # Errors
    /// [`LagesbildError`] for a filter that names no option or statistics that cannot be computed.
    pub fn build(&self, options: &Options) -> Result<Lagesbild, LagesbildError> {
        build(self, options)
    }
}

/// Earlier rounds of the same series: surveys of the municipality that opened before
/// this one and share at least one indicator with it, oldest first.
async fn earlier_rounds(store: &Store, survey: &Survey) -> Result<Vec<Survey>, StoreError> {
    Ok(store
        .surveys_of(survey.municipality_id)
        .await?
        .into_iter()
        .filter(|other| is_earlier(survey, other))
        .collect())
}

/// Whether `other` is an earlier round of `survey`'s series: opened before it and
/// shares at least one indicator with it.
pub(crate) fn is_earlier(survey: &Survey, other: &Survey) -> bool {
    other.opens_on < survey.opens_on
        && other.id != survey.id
        && other
            .indicators
            .iter()
            .any(|i| survey.indicators.iter().any(|s| s.key == i.key))
}

fn background_key(survey: &Survey, background: Background) -> Option<String> {
    survey
        .questions
        .iter()
        .find(|q| q.background == Some(background))
        .map(|q| q.key.to_string())
}

/// Checks that each respondent filter names an option of its background question.
fn check_filters(survey: &Survey, filters: &Filters) -> Result<(), LagesbildError> {
    let checks = [
        ("area", Background::Area, &filters.area),
        ("gender", Background::Gender, &filters.gender),
        ("age_band", Background::AgeBand, &filters.age_band),
    ];
    for (field, background, value) in checks {
        let Some(value) = value else { continue };
        let question = survey
            .questions
            .iter()
            .find(|q| q.background == Some(background));
        let known = question.is_some_and(|q| q.option(value).is_some());
        if !known {
            return Err(LagesbildError::Filter {
                field,
                message: format!("`{value}` is not an option of the survey's {field} question"),
            });
        }
    }
    if let Some(time) = &filters.time_of_day {
        TimeOfDay::parse(time, "time_of_day").map_err(|e| LagesbildError::Filter {
            field: "time_of_day",
            message: e.message,
        })?;
    }
    if let Some(category) = &filters.category {
        let known = survey.map_question().is_some_and(|q| match &q.kind {
            QuestionKind::Map { categories, .. } => {
                categories.iter().any(|c| c.key.as_str() == category)
            }
            _ => false,
        });
        if !known {
            return Err(LagesbildError::Filter {
                field: "category",
                message: format!("`{category}` is not a category of the survey's map question"),
            });
        }
    }
    Ok(())
}

fn settings(group_by: Vec<String>, linked: bool) -> ReportSettings {
    ReportSettings {
        group_by,
        estimates: EstimateOptions {
            method: IntervalMethod::Wilson,
            confidence: 0.95,
            dont_know: DontKnow::Exclude,
        },
        suppression: SuppressionRules::default(),
        linked,
    }
}

/// The breakdowns a lägesbild publishes: overall, and each background variable alone.
pub(crate) fn plans(backgrounds: &[String]) -> Vec<Vec<String>> {
    std::iter::once(Vec::new())
        .chain(backgrounds.iter().map(|b| vec![b.clone()]))
        .collect()
}

/// The background questions a lägesbild breaks down by: area, gender, age band.
pub(crate) fn backgrounds(survey: &Survey) -> Vec<String> {
    [Background::Area, Background::Gender, Background::AgeBand]
        .iter()
        .filter_map(|&b| background_key(survey, b))
        .collect()
}

/// The dataset a lägesbild is computed from: the kept respondents, raked when asked.
fn weighted_dataset(
    dataset: Dataset,
    margins: Option<&[Margin]>,
    weighted: bool,
) -> Result<(Dataset, Option<trygg_analysis::stats::RakingSummary>), LagesbildError> {
    Ok(match (margins, weighted) {
        (Some(margins), true) if !dataset.is_empty() => {
            let raking = rake(&dataset, margins, &RakingOptions::default())?;
            (dataset.with_weights(raking.weights)?, Some(raking.summary))
        }
        _ => (dataset, None),
    })
}

/// The round's report, overall and broken down one way at a time by area, gender and
/// age band, suppressed as one release (every table, indicator, base and "vet ej"
/// together; see [`SituationReport::build_for`]) unless `unlinked`.
fn round_report(
    survey: &Survey,
    dataset: Dataset,
    margins: Option<&[Margin]>,
    weighted: bool,
    unlinked: bool,
) -> Result<SituationReport, LagesbildError> {
    let (dataset, weighting) = weighted_dataset(dataset, margins, weighted)?;
    let backgrounds = backgrounds(survey);
    if !unlinked {
        return Ok(SituationReport::build_for(
            survey,
            &dataset,
            weighting,
            settings(backgrounds.clone(), true),
            &plans(&backgrounds),
        )?);
    }
    // Each one-way breakdown on its own, as before the release-wide suppression.
    let mut report = SituationReport::build(
        survey,
        &dataset,
        weighting,
        settings(backgrounds.first().cloned().into_iter().collect(), false),
    )?;
    for variable in backgrounds.iter().skip(1) {
        let other = SituationReport::build(
            survey,
            &dataset,
            weighting,
            settings(vec![variable.clone()], false),
        )?;
        // Each one-way report repeats the overall tables; keep only its breakdown.
        report.indicators.extend(
            other
                .indicators
                .into_iter()
                .filter(|t| !t.group_by.is_empty()),
        );
        report
            .tables
            .extend(other.tables.into_iter().filter(|t| !t.group_by.is_empty()));
    }
    report.settings.group_by = backgrounds;
    Ok(report)
}

fn build(sources: &Sources, options: &Options) -> Result<Lagesbild, LagesbildError> {
    let round = &sources.round;
    let survey = &round.survey;
    let filters = &options.filters;
    check_filters(survey, filters)?;
    let selection = round.select(filters);
    let dataset = round.dataset(&selection.rows)?;
    // The margins come from this round's respondents; earlier rounds are weighted
    // to the same population, so a trend compares like with like.
    let margins = if sources.population.is_empty() {
        None
    } else {
        margins_for(survey, &sources.population, &dataset, filters)
    };
    let mut report = round_report(
        survey,
        dataset,
        margins.as_deref(),
        options.weighted,
        options.unlinked,
    )?;

    let mut series = Vec::with_capacity(sources.earlier.len() + 1);
    let mut compared_with = None;
    let mut previous_pins: Option<Vec<Location>> = None;
    let chosen = options
        .compare_with
        .clone()
        .or_else(|| sources.earlier.last().map(|r| r.survey.slug.to_string()));
    let mut earlier_report = None;
    for earlier_round in &sources.earlier {
        let kept = earlier_round.select(filters);
        let earlier = round_report(
            &earlier_round.survey,
            earlier_round.dataset(&kept.rows)?,
            margins.as_deref(),
            options.weighted,
            options.unlinked,
        )?;
        if chosen.as_deref() == Some(earlier_round.survey.slug.as_str()) {
            previous_pins = Some(kept.pins.iter().map(|p| p.pin.location).collect());
            compared_with = Some(earlier_round.survey.round.clone());
            earlier_report = Some(earlier.clone());
        }
        series.push(indicators_of(&earlier_round.survey, &earlier));
    }
    if let Some(chosen) = &chosen
        && earlier_report.is_none()
    {
        return Err(LagesbildError::Filter {
            field: "compare",
            message: format!("`{chosen}` is not an earlier round of this survey's series"),
        });
    }
    if let Some(earlier) = &earlier_report {
        report = report.compare_with(earlier)?;
    }
    series.push(indicators_of(survey, &report));

    let pins = &selection.pins;
    let with_pins: HashSet<usize> = pins.iter().filter_map(|p| p.respondent).collect();
    let respondents = selection.rows.len();
    let (invitations, response_rate) = response_rate(&sources.invitations, filters);
    let key_figures = KeyFigures {
        respondents,
        respondents_total: round.len(),
        pins: pins.len(),
        respondents_with_pins: with_pins.len(),
        share_with_pins: (respondents > 0).then(|| with_pins.len() as f64 / respondents as f64),
        described_places: round.described(&selection.rows),
        invitations,
        response_rate,
    };
    let map = map_results(sources, pins, previous_pins.as_deref(), options)?;
    Ok(Lagesbild {
        municipality: sources.municipality.clone(),
        survey: SurveyInfo {
            id: survey.id.to_string(),
            slug: survey.slug.to_string(),
            round: survey.round.clone(),
            title_sv: survey.title.sv.clone(),
            title_en: survey.title.en.clone(),
            opens_on: survey.opens_on.to_string(),
            closes_on: survey.closes_on.map(|d| d.to_string()),
        },
        filters: filters.clone(),
        weighted: report.weighting.is_some(),
        weighting_available: margins.is_some(),
        key_figures,
        questions: questions(survey),
        indicator_labels: survey
            .indicators
            .iter()
            .map(|i| (i.key.to_string(), i.label.sv.clone(), i.label.en.clone()))
            .collect(),
        problem_indices: survey
            .indicators
            .iter()
            .filter(|i| matches!(i.kind, IndicatorKind::ProblemIndex { .. }))
            .map(|i| i.key.to_string())
            .collect(),
        report,
        compared_with,
        series,
        map,
    })
}

/// The letters sent and the share answered, when the round has invitation codes:
/// for the whole round, or for the area filtered by when letters were addressed
/// by area. Letters say nothing of gender or age, so a filter on those leaves
/// both unknown.
fn response_rate(invitations: &[InvitationCount], filters: &Filters) -> (Option<u64>, Option<f64>) {
    if filters.gender.is_some() || filters.age_band.is_some() {
        return (None, None);
    }
    let (issued, used) = invitations
        .iter()
        .filter(|c| filters.area.is_none() || c.area == filters.area)
        .fold((0, 0), |(i, u), c| (i + c.issued, u + c.used));
    if issued == 0 {
        return (None, None);
    }
    (Some(issued), Some(used as f64 / issued as f64))
}

/// A round's indicators overall and by area, for the trend lines.
fn indicators_of(survey: &Survey, report: &SituationReport) -> RoundIndicators {
    let area = background_key(survey, Background::Area);
    RoundIndicators {
        slug: survey.slug.to_string(),
        round: survey.round.clone(),
        respondents: report.respondents,
        indicators: report
            .indicators
            .iter()
            .filter(|t| {
                t.group_by.is_empty()
                    || (t.group_by.len() == 1 && t.group_by.first() == area.as_ref())
            })
            .cloned()
            .collect(),
    }
}

fn questions(survey: &Survey) -> Vec<QuestionInfo> {
    survey
        .questions
        .iter()
        .filter(|q| {
            matches!(
                q.kind,
                QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. }
            )
        })
        .map(|q| QuestionInfo {
            key: q.key.to_string(),
            sv: q.text.sv.clone(),
            en: q.text.en.clone(),
            background: q.background.map(|b| b.as_str().to_owned()),
            options: q
                .options()
                .iter()
                .map(|o| OptionInfo {
                    key: o.key.to_string(),
                    sv: o.label.sv.clone(),
                    en: o.label.en.clone(),
                    dont_know: o.dont_know,
                })
                .collect(),
        })
        .collect()
}

fn category_labels(survey: &Survey) -> BTreeMap<String, String> {
    match survey.map_question().map(|q| &q.kind) {
        Some(QuestionKind::Map { categories, .. }) => categories
            .iter()
            .map(|c| (c.key.to_string(), c.label.sv.clone()))
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn map_results(
    sources: &Sources,
    pins: &[&RoundPin],
    previous: Option<&[Location]>,
    options: &Options,
) -> Result<MapResults, LagesbildError> {
    let labels = category_labels(sources.survey());
    let locations: Vec<Location> = pins.iter().map(|p| p.pin.location).collect();
    let shapes: Vec<MultiPolygon<f64>> = sources.areas.iter().map(|a| a.shape.clone()).collect();
    let gi_options = GiOptions {
        permutations: options.permutations.unwrap_or(999),
        ..GiOptions::default()
    };
    let hex = hotspot::hex_gi_star(&locations, &shapes, RESOLUTION, 1, &gi_options)?;
    let mut sensitive: BTreeMap<h3o::CellIndex, u32> = BTreeMap::new();
    for pin in pins
        .iter()
        .filter(|p| is_sensitive(p.pin.category.as_str()))
    {
        let cell = match pin.cell {
            Some(cell) => cell,
            None => hotspot::cell_of(pin.pin.location, RESOLUTION)?,
        };
        *sensitive.entry(cell).or_insert(0) += 1;
    }
    let p_values = if gi_options.permutations == 0 {
        &hex.gi.p_norm
    } else {
        &hex.gi.p_sim
    };
    let cells = hex
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| HexCell {
            h3: cell.to_string(),
            count: hex.counts.get(i).copied().unwrap_or(0),
            sensitive: sensitive.get(cell).copied().unwrap_or(0),
            class: hex
                .gi
                .class
                .get(i)
                .map_or("not_significant", |c| c.as_str())
                .to_owned(),
            z: hex.gi.z.get(i).copied().unwrap_or(0.0),
            p: p_values.get(i).copied().unwrap_or(1.0),
            ring: Vec::new(),
        })
        .map(|mut cell: HexCell| {
            if cell.count > 0 || cell.class != "not_significant" {
                cell.ring = cell
                    .h3
                    .parse::<h3o::CellIndex>()
                    .map(|index| {
                        hotspot::hex_ring(index)
                            .into_iter()
                            .map(|(lon, lat)| (round7(lon), round7(lat)))
                            .collect()
                    })
                    .unwrap_or_default();
            }
            cell
        })
        .collect();
    let hotspot_pins: Vec<HotspotPin> = pins
        .iter()
        .map(|p| HotspotPin {
            location: p.pin.location,
            category: Some(p.pin.category.to_string()),
            time_of_day: Some(p.pin.time_of_day),
            respondent: p.respondent.map(|row| row.to_string()),
        })
        .collect();
    let groups = hotspot::hot_cell_groups(&hex, 95);
    let hotspots = hotspot::summarise(
        &groups,
        RESOLUTION,
        &hotspot_pins,
        previous,
        &sources.areas,
        &sources.places,
    )?
    .into_iter()
    // `summarise` leaves out groups of hot cells holding no pin of their own.
    .map(|h| {
        let categories: Vec<(String, usize, f64)> = h
            .top_categories
            .iter()
            .map(|c| (c.category.clone(), c.pins, c.share))
            .collect();
        let evening = h
            .time_of_day
            .iter()
            .find(|(t, _)| *t == TimeOfDay::Evening)
            .map_or(0, |(_, n)| *n);
        let mut sentence = format!("{}: {} markeringar", h.name, h.pins);
        if h.pins > 0 {
            sentence.push_str(&format!(
                ", {} kväll",
                percent_sv(evening as f64 / h.pins as f64)
            ));
        }
        let named: Vec<String> = categories
            .iter()
            .take(2)
            .map(|(c, _, _)| {
                labels
                    .get(c)
                    .cloned()
                    .unwrap_or_else(|| c.clone())
                    .to_lowercase()
            })
            .collect();
        if !named.is_empty() {
            sentence.push_str(&format!(", mest {}", named.join(" och ")));
        }
        if let Some(change) = h.change {
            let word = match change.difference {
                d if d > 0 => "fler",
                d if d < 0 => "färre",
                _ => "lika många",
            };
            sentence.push_str(&format!(
                ", {} {word} än förra omgången ({})",
                change.difference.unsigned_abs(),
                change.previous_pins
            ));
        }
        HotspotSummary {
            name: h.name,
            area: h.area,
            centroid: h.centroid,
            hull: h.hull.exterior().coords().map(|c| (c.x, c.y)).collect(),
            cells: h.cells.iter().map(ToString::to_string).collect(),
            pins: h.pins,
            respondents: h.respondents,
            categories,
            time_of_day: h
                .time_of_day
                .iter()
                .map(|(t, n)| (t.as_str().to_owned(), *n))
                .collect(),
            previous_pins: h.change.map(|c| c.previous_pins),
            sentence,
        }
    })
    .collect();
    let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
    for pin in pins {
        *by_category.entry(pin.pin.category.to_string()).or_insert(0) += 1;
    }
    let categories = labels
        .iter()
        .map(|(key, label)| {
            (
                key.clone(),
                label.clone(),
                by_category.get(key).copied().unwrap_or(0),
            )
        })
        .collect();
    let time_of_day = TimeOfDay::ALL
        .iter()
        .map(|&t| {
            (
                t.as_str().to_owned(),
                pins.iter().filter(|p| p.pin.time_of_day == t).count(),
            )
        })
        .collect();
    let heat = heat_surface(&locations)?;
    let areas = sources
        .areas
        .iter()
        .map(|a| AreaOutline {
            name: a.name.clone(),
            polygons: a
                .shape
                .iter()
                .map(|polygon| {
                    std::iter::once(polygon.exterior())
                        .chain(polygon.interiors())
                        .map(|ring| ring.coords().map(|c| (round7(c.x), round7(c.y))).collect())
                        .collect()
                })
                .collect(),
        })
        .collect();
    Ok(MapResults {
        areas,
        resolution: u8::from(RESOLUTION),
        cells,
        hotspots,
        categories,
        time_of_day,
        heat,
    })
}

/// Seven decimals of a degree: about a centimetre.
fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

/// A quartic heat surface with a 150 m bandwidth on 25 m cells, in pins per km².
fn heat_surface(locations: &[Location]) -> Result<Option<HeatSurface>, LagesbildError> {
    if locations.is_empty() {
        return Ok(None);
    }
    let bandwidth_m = 150.0;
    let grid = MetricGrid::covering(locations, bandwidth_m, 25.0)?;
    let values: Vec<f64> = hotspot::kde(locations, &grid, Kernel::Quartic, bandwidth_m)?
        .into_iter()
        .map(|d| d * 1e6)
        .collect();
    let half = grid.cell_m / 2.0;
    let (west, south) = grid.unproject(grid.x0 - half, grid.y0 - half);
    let (east, north) = grid.unproject(
        grid.x0 + (grid.columns as f64 - 0.5) * grid.cell_m,
        grid.y0 + (grid.rows as f64 - 0.5) * grid.cell_m,
    );
    Ok(Some(HeatSurface {
        bounds: (west, south, east, north),
        columns: grid.columns,
        rows: grid.rows,
        cell_m: grid.cell_m,
        bandwidth_m,
        values,
    }))
}
