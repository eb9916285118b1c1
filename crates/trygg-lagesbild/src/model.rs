//! The lägesbild value and its parts, serialisable to JSON for the dashboard.

use serde::{Deserialize, Serialize};
use trygg_analysis::stats::{IndicatorTable, Measure, SituationReport};
use utoipa::ToSchema;

/// Who the report is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MunicipalityInfo {
    /// Slug, e.g. `upplands-bro-demo`.
    pub slug: String,
    /// Name shown to people.
    pub name: String,
    /// Synthetic demo data: every page and file says so.
    pub synthetic: bool,
}

/// The round the report is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SurveyInfo {
    /// The survey's id.
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// Round label, e.g. `2023`.
    pub round: String,
    /// Swedish title.
    pub title_sv: String,
    /// English title, if any.
    pub title_en: Option<String>,
    /// First day open.
    pub opens_on: String,
    /// Last day open.
    pub closes_on: Option<String>,
}

/// Which respondents and pins the report covers. Empty fields mean "all".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
pub struct Filters {
    /// Area option key of the area question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Gender option key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Age band option key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<String>,
    /// Pin category (map only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Pin time of day (map only): `day`, `evening`, `night` or `always`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_of_day: Option<String>,
}

impl Filters {
    /// Whether any respondent filter is set (pins without a response are then left out).
    pub const fn filters_respondents(&self) -> bool {
        self.area.is_some() || self.gender.is_some() || self.age_band.is_some()
    }

    /// A short description, e.g. "område = bro, kön = kvinna", or "alla".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            ("område", &self.area),
            ("kön", &self.gender),
            ("ålder", &self.age_band),
            ("kategori", &self.category),
            ("tid", &self.time_of_day),
        ]
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} = {v}")))
        .collect();
        if parts.is_empty() {
            "alla".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// The headline counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct KeyFigures {
    /// Respondents covered (after filters).
    pub respondents: usize,
    /// Respondents of the round before filters.
    pub respondents_total: usize,
    /// Pins covered (after filters).
    pub pins: usize,
    /// Respondents who pinned at least one place.
    pub respondents_with_pins: usize,
    /// Their share of the respondents covered.
    pub share_with_pins: Option<f64>,
    /// Places described in words instead of pinned.
    pub described_places: usize,
    /// Invitation letters sent to the respondents' population (the round, or the
    /// area filtered by), when the round was answered with codes; unknown for a
    /// gender or age filter, since letters go to addresses.
    #[serde(default)]
    pub invitations: Option<u64>,
    /// The share of those letters answered: codes used over codes issued.
    #[serde(default)]
    pub response_rate: Option<f64>,
}

/// An option of a question, with labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OptionInfo {
    /// Key.
    pub key: String,
    /// Swedish label.
    pub sv: String,
    /// English label.
    pub en: Option<String>,
    /// The "vet ej" option.
    pub dont_know: bool,
}

/// A choice question with labels, so renderers need not read the survey again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuestionInfo {
    /// Key.
    pub key: String,
    /// Swedish text.
    pub sv: String,
    /// English text.
    pub en: Option<String>,
    /// `area`, `gender` or `age_band` for a background question.
    pub background: Option<String>,
    /// Options in survey order.
    pub options: Vec<OptionInfo>,
}

impl QuestionInfo {
    /// The Swedish label of an option, or its key.
    pub fn option_sv(&self, key: &str) -> String {
        self.options
            .iter()
            .find(|o| o.key == key)
            .map_or_else(|| key.to_owned(), |o| o.sv.clone())
    }
}

/// One round's indicators, for trend lines across all rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RoundIndicators {
    /// Survey slug.
    pub slug: String,
    /// Round label.
    pub round: String,
    /// Respondents covered (after filters).
    pub respondents: usize,
    /// Indicators, overall and by area.
    #[schema(value_type = Vec<Object>)]
    pub indicators: Vec<IndicatorTable>,
}

/// One H3 cell of the study region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HexCell {
    /// H3 index.
    pub h3: String,
    /// Pins in the cell.
    pub count: u32,
    /// Pins of sensitive categories in the cell.
    pub sensitive: u32,
    /// Gi* class, e.g. `hot_95`.
    pub class: String,
    /// Gi* z-score.
    pub z: f64,
    /// Pseudo p-value of the permutations.
    pub p: f64,
    /// The outline, closed, as (lon, lat); given for cells with pins or a significant
    /// class, which are the ones a map draws.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ring: Vec<(f64, f64)>,
}

/// A hotspot described for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HotspotSummary {
    /// Name from the nearest named place or the area.
    pub name: String,
    /// Area it lies in.
    pub area: Option<String>,
    /// Centroid (lon, lat).
    pub centroid: (f64, f64),
    /// Convex hull of its cells' pins, as a closed ring of (lon, lat).
    pub hull: Vec<(f64, f64)>,
    /// Its H3 cells.
    pub cells: Vec<String>,
    /// Pins.
    pub pins: usize,
    /// Respondents behind them.
    pub respondents: usize,
    /// Shares of the most common categories: (category, pins, share).
    pub categories: Vec<(String, usize, f64)>,
    /// Pins by time of day: (time, pins).
    pub time_of_day: Vec<(String, usize)>,
    /// Pins in the same cells in the previous round.
    pub previous_pins: Option<usize>,
    /// One sentence, e.g. "Bro centrum: 212 pins, 61 % kväll, mest grupper och narkotikahandel".
    pub sentence: String,
}

/// A heat surface on a metric grid, for a picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HeatSurface {
    /// West, south, east, north in degrees.
    pub bounds: (f64, f64, f64, f64),
    /// Columns of the grid.
    pub columns: usize,
    /// Rows of the grid, south first.
    pub rows: usize,
    /// Cell side in metres.
    pub cell_m: f64,
    /// Bandwidth in metres.
    pub bandwidth_m: f64,
    /// Density in pins per km², row by row from the south.
    #[serde(skip)]
    pub values: Vec<f64>,
}

/// An area's outline for maps: polygons of rings of (lon, lat).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AreaOutline {
    /// The area's name.
    pub name: String,
    /// Polygons, each an exterior ring and holes.
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// The map part: hexagons, hotspots and the heat surface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MapResults {
    /// The municipality's areas.
    pub areas: Vec<AreaOutline>,
    /// H3 resolution.
    pub resolution: u8,
    /// Every cell of the study region.
    pub cells: Vec<HexCell>,
    /// Hotspots: groups of touching hot cells (95 % or more).
    pub hotspots: Vec<HotspotSummary>,
    /// Pins by category, (category key, Swedish label, pins).
    pub categories: Vec<(String, String, usize)>,
    /// Pins by time of day.
    pub time_of_day: Vec<(String, usize)>,
    /// The heat surface, when there are pins.
    pub heat: Option<HeatSurface>,
}

/// Everything the lägesbild shows for one round: the one value every page and file renders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Lagesbild {
    /// The municipality.
    pub municipality: MunicipalityInfo,
    /// The round.
    pub survey: SurveyInfo,
    /// Filters applied.
    pub filters: Filters,
    /// Whether the numbers are weighted.
    pub weighted: bool,
    /// Whether population figures exist, so weighting can be turned on.
    pub weighting_available: bool,
    /// Headline counts.
    pub key_figures: KeyFigures,
    /// The choice questions with labels.
    pub questions: Vec<QuestionInfo>,
    /// The survey's indicator keys with Swedish and English labels.
    pub indicator_labels: Vec<(String, String, Option<String>)>,
    /// The indicators that are problem indexes. Their value is a mean of each
    /// respondent's share of problems rated large, so it lies in [0, 1] and reads as
    /// a percentage ("23,0 %"), not as a bare mean ("0,23").
    #[serde(default)]
    pub problem_indices: Vec<String>,
    /// The statistics, with trends against `compared_with`.
    #[schema(value_type = Object)]
    pub report: SituationReport,
    /// The round compared with, if any.
    pub compared_with: Option<String>,
    /// Every round of the series up to this one, oldest first.
    pub series: Vec<RoundIndicators>,
    /// Map results.
    pub map: MapResults,
}

impl Lagesbild {
    /// The question with this key.
    pub fn question(&self, key: &str) -> Option<&QuestionInfo> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// The Swedish label of an indicator.
    pub fn indicator_sv(&self, key: &str) -> String {
        self.indicator_labels
            .iter()
            .find(|(k, _, _)| k == key)
            .map_or_else(|| key.to_owned(), |(_, sv, _)| sv.clone())
    }

    /// The overall table of an indicator (no breakdown).
    pub fn overall_indicator(&self, key: &str) -> Option<&IndicatorTable> {
        self.report
            .indicators
            .iter()
            .find(|t| t.key == key && t.group_by.is_empty())
    }

    /// Whether an indicator's values are printed as percentages: shares and problem
    /// indexes (the average share of problems rated large); other means are not.
    pub fn in_percent(&self, table: &IndicatorTable) -> bool {
        table.measure == Measure::Share || self.problem_indices.contains(&table.key)
    }

    /// The share indicators' keys, in survey order.
    pub fn share_indicators(&self) -> Vec<&IndicatorTable> {
        self.report
            .indicators
            .iter()
            .filter(|t| t.group_by.is_empty() && t.measure == Measure::Share)
            .collect()
    }

    /// A name for a group of a breakdown, with option labels, e.g. "Bro" or "alla".
    pub fn group_label(&self, group_by: &[String], group: &[String]) -> String {
        if group.is_empty() {
            return "alla".to_owned();
        }
        group_by
            .iter()
            .zip(group)
            .map(|(variable, value)| {
                self.question(variable)
                    .map_or_else(|| value.clone(), |q| q.option_sv(value))
            })
            .collect::<Vec<_>>()
            .join(" × ")
    }

    /// The title of the report, "Lägesbild {kommun} {omgång}".
    pub fn title(&self) -> String {
        format!("Lägesbild {} {}", self.municipality.name, self.survey.round)
    }
}

/// Pin categories that need at least 10 pins in a cell before a public map shows it
/// (harassment, sexual offences, violence, threats), by their usual keys.
pub fn is_sensitive(category: &str) -> bool {
    const SENSITIVE: [&str; 8] = [
        "trakasserier",
        "sexuella_trakasserier",
        "sexualbrott",
        "vald",
        "hot",
        "harassment",
        "sexual_harassment",
        "violence",
    ];
    SENSITIVE.contains(&category)
}
