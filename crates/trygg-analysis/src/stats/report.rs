//! The situation report (lägesbild): every table, indicator and trend of a round.

use serde::{Deserialize, Serialize};
use trygg_domain::{QuestionKind, Survey};

use super::StatsError;
use super::data::Dataset;
use super::disclosure::{AuditReport, Protection};
use super::indicator::{IndicatorEstimate, IndicatorTable, Measure, indicator_for_plans};
use super::raking::RakingSummary;
use super::release::{ProtectError, ReleaseFacts, protect};
use super::suppress::SuppressionRules;
use super::table::{Estimate, EstimateOptions, Table, breakdown_plans, tables_for_plans};
use super::trend::{Change, Proportion, compare};

/// What a report covers and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSettings {
    /// Breakdown variables (question keys), up to three; every subset is reported, from overall to all crossed.
    pub group_by: Vec<String>,
    /// Interval method, confidence and "vet ej" treatment.
    pub estimates: EstimateOptions,
    /// Suppression thresholds.
    pub suppression: SuppressionRules,
    /// Suppress the whole report as one release, checked by the disclosure audit
    /// (the default). Off, each question's and indicator's tables are suppressed on
    /// their own, which leaves cells that can be worked out across them; only for
    /// comparison and tests.
    #[serde(default = "linked_by_default")]
    pub linked: bool,
}

const fn linked_by_default() -> bool {
    true
}

impl Default for ReportSettings {
    fn default() -> Self {
        Self {
            group_by: Vec::new(),
            estimates: EstimateOptions::default(),
            suppression: SuppressionRules::default(),
            linked: true,
        }
    }
}

/// Settings that suppress nothing: the true values a release is audited against.
fn unsuppressed(settings: &ReportSettings) -> ReportSettings {
    ReportSettings {
        suppression: SuppressionRules {
            min_base: 0,
            min_effective_base: 0.0,
            max_hidden_count: 0,
            flag_below: settings.suppression.flag_below,
        },
        ..settings.clone()
    }
}

/// A change of one published share between two rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Indicator key, or question key.
    pub key: String,
    /// Option key for a question's option; `None` for an indicator.
    pub option: Option<String>,
    /// Breakdown variables.
    pub group_by: Vec<String>,
    /// The group.
    pub group: Vec<String>,
    /// The earlier round.
    pub from_round: String,
    /// The later round.
    pub to_round: String,
    /// The change; `None` when either round's cell is suppressed.
    pub change: Option<Change>,
}

/// Everything the lägesbild shows for one survey round, ready for JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SituationReport {
    /// Survey slug.
    pub survey: String,
    /// Round label.
    pub round: String,
    /// Respondents.
    pub respondents: usize,
    /// How it was computed.
    pub settings: ReportSettings,
    /// Raking, when the respondents were weighted.
    pub weighting: Option<RakingSummary>,
    /// The survey's indicators, overall and by group.
    pub indicators: Vec<IndicatorTable>,
    /// Every choice question except the breakdown variables, overall and by group.
    pub tables: Vec<Table>,
    /// Changes since an earlier round, once compared.
    pub trends: Vec<Trend>,
}

impl SituationReport {
    /// Builds the report of `survey`'s round from `dataset` (weighted or not), for every
    /// breakdown `settings.group_by` implies (overall, each variable alone, each pair
    /// crossed, up to all of them crossed).
    ///
    /// # Errors
    /// [`StatsError`] when a breakdown variable or indicator does not fit the data.
    pub fn build(
        survey: &Survey,
        dataset: &Dataset,
        weighting: Option<RakingSummary>,
        settings: ReportSettings,
    ) -> Result<Self, StatsError> {
        let plans = breakdown_plans(&settings.group_by);
        Self::build_for(survey, dataset, weighting, settings, &plans)
    }

    /// As [`build`](Self::build), for the breakdowns `plans` only (each a subset of
    /// `settings.group_by`, in its order), e.g. overall and each variable alone.
    ///
    /// With `settings.linked`, the report is suppressed as one release: each table as
    /// before, then further until the disclosure audit finds no hidden count that the
    /// release's tables, indicators, bases and respondent counts give away
    /// ([`protect`](super::protect)).
    ///
    /// # Errors
    /// [`StatsError`] when a breakdown variable or indicator does not fit the data.
    pub fn build_for(
        survey: &Survey,
        dataset: &Dataset,
        weighting: Option<RakingSummary>,
        settings: ReportSettings,
        plans: &[Vec<String>],
    ) -> Result<Self, StatsError> {
        let report = Self::tables_only(survey, dataset, weighting, settings, plans)?;
        if !report.settings.linked {
            return Ok(report);
        }
        let (report, _) = report.protected(survey, dataset, plans)?;
        Ok(report)
    }

    /// The report with every table suppressed on its own.
    fn tables_only(
        survey: &Survey,
        dataset: &Dataset,
        weighting: Option<RakingSummary>,
        settings: ReportSettings,
        plans: &[Vec<String>],
    ) -> Result<Self, StatsError> {
        // Explicit plans (the lägesbild's one-way breakdowns) tabulate the breakdown
        // variables by each other, as the lägesbild published them table by table.
        let background_tables = plans.iter().all(|p| p.len() <= 1) && settings.group_by.len() > 1;
        let questions: Vec<String> = survey
            .questions
            .iter()
            .filter(|q| {
                matches!(
                    q.kind,
                    QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. }
                )
            })
            .map(|q| q.key.to_string())
            .filter(|key| background_tables || !settings.group_by.contains(key))
            .collect();
        // A breakdown variable's own table, when asked for, is published by the other
        // variables and, but for the first variable's, overall (as the lägesbild
        // always has).
        let first = settings.group_by.first();
        let keep = |question: &str, plan: &[String]| {
            !settings.group_by.iter().any(|v| v == question)
                || (!plan.iter().any(|v| v == question)
                    && (!plan.is_empty() || first.is_none_or(|f| f != question)))
        };
        let tables = tables_for_plans(
            dataset,
            &questions,
            &settings.group_by,
            plans.to_vec(),
            &settings.estimates,
            &settings.suppression,
            keep,
        )?;
        let mut indicators = Vec::new();
        for definition in &survey.indicators {
            indicators.append(&mut indicator_for_plans(
                dataset,
                definition,
                plans,
                &settings.estimates,
                &settings.suppression,
            )?);
        }
        Ok(Self {
            survey: survey.slug.to_string(),
            round: survey.round.clone(),
            respondents: dataset.len(),
            settings,
            weighting,
            indicators,
            tables,
            trends: Vec::new(),
        })
    }

    /// This report (suppressed table by table) suppressed further as one release, with
    /// the audit of the result.
    fn protected(
        self,
        survey: &Survey,
        dataset: &Dataset,
        plans: &[Vec<String>],
    ) -> Result<(Self, AuditReport), StatsError> {
        let truth = Self::tables_only(
            survey,
            dataset,
            self.weighting,
            unsuppressed(&self.settings),
            plans,
        )?;
        let facts = ReleaseFacts::of(survey, dataset, plans, self.settings.suppression)?;
        protect(&truth, self, &facts, &Protection::default()).map_err(|e| match e {
            ProtectError::Stats(e) => e,
            ProtectError::Audit(e) => StatsError::InvalidData {
                question: String::new(),
                message: e.to_string(),
            },
        })
    }

    /// Audits this report as a release against the true values of `dataset`: every
    /// hidden count's range given everything the report publishes.
    ///
    /// # Errors
    /// [`StatsError`] when the report does not fit `survey` and `dataset`, or the audit
    /// cannot run.
    pub fn audit(
        &self,
        survey: &Survey,
        dataset: &Dataset,
        plans: &[Vec<String>],
    ) -> Result<AuditReport, StatsError> {
        let truth = Self::tables_only(
            survey,
            dataset,
            self.weighting,
            unsuppressed(&self.settings),
            plans,
        )?;
        let facts = ReleaseFacts::of(survey, dataset, plans, self.settings.suppression)?;
        let described = super::release::describe(&truth, &self.aligned_with(&truth), &facts)?;
        super::disclosure::audit(&described.release, &Protection::default()).map_err(|e| {
            StatsError::InvalidData {
                question: String::new(),
                message: e.to_string(),
            }
        })
    }

    /// This report's tables and indicators in the order of `other`'s, matched by key
    /// and breakdown (a report assembled from several, as the per-table path of the
    /// lägesbild is, lists them in another order); those `other` lacks come last.
    fn aligned_with(&self, other: &Self) -> Self {
        let mut tables = self.tables.clone();
        tables.sort_by_key(|t| {
            other
                .tables
                .iter()
                .position(|o| o.question == t.question && o.group_by == t.group_by)
                .unwrap_or(usize::MAX)
        });
        let mut indicators = self.indicators.clone();
        indicators.sort_by_key(|t| {
            other
                .indicators
                .iter()
                .position(|o| o.key == t.key && o.group_by == t.group_by)
                .unwrap_or(usize::MAX)
        });
        Self {
            tables,
            indicators,
            ..self.clone()
        }
    }

    /// Adds the changes since `earlier` for every share indicator and option cell found in
    /// both rounds under the same key, breakdown and group (questions match by key).
    ///
    /// # Errors
    /// [`StatsError`] for an invalid confidence level.
    pub fn compare_with(mut self, earlier: &Self) -> Result<Self, StatsError> {
        let confidence = self.settings.estimates.confidence;
        let mut trends = Vec::new();
        let trend = |key: &str,
                     option: Option<&str>,
                     group_by: &[String],
                     group: &[String],
                     pair: Option<(Proportion, Proportion)>| {
            pair.map(|(a, b)| compare(a, b, confidence))
                .transpose()
                .map(|change| Trend {
                    key: key.to_owned(),
                    option: option.map(ToOwned::to_owned),
                    group_by: group_by.to_vec(),
                    group: group.to_vec(),
                    from_round: earlier.round.clone(),
                    to_round: self.round.clone(),
                    change,
                })
        };
        for later in self
            .indicators
            .iter()
            .filter(|t| t.measure == Measure::Share)
        {
            let Some(before) = earlier
                .indicators
                .iter()
                .find(|t| t.key == later.key && t.group_by == later.group_by)
            else {
                continue;
            };
            for cell in &later.cells {
                let Some(old) = before.cells.iter().find(|c| c.group == cell.group) else {
                    continue;
                };
                let share = |e: Option<IndicatorEstimate>| e.map(|e| (e.value, e.n_eff));
                let pair = proportions(share(old.estimate), share(cell.estimate));
                trends.push(trend(&later.key, None, &later.group_by, &cell.group, pair)?);
            }
        }
        for later in &self.tables {
            let Some(before) = earlier
                .tables
                .iter()
                .find(|t| t.question == later.question && t.group_by == later.group_by)
            else {
                continue;
            };
            for cell in &later.cells {
                let Some(old) = before
                    .cells
                    .iter()
                    .find(|c| c.group == cell.group && c.option == cell.option)
                else {
                    continue;
                };
                let share = |e: Option<Estimate>| e.map(|e| (e.share, e.n_eff));
                let pair = proportions(share(old.estimate), share(cell.estimate));
                trends.push(trend(
                    &later.question,
                    Some(&cell.option),
                    &later.group_by,
                    &cell.group,
                    pair,
                )?);
            }
        }
        self.trends = trends;
        Ok(self)
    }
}

/// An earlier and a later (share, effective base) as proportions, where both are shown.
fn proportions(
    earlier: Option<(f64, f64)>,
    later: Option<(f64, f64)>,
) -> Option<(Proportion, Proportion)> {
    let proportion = |(share, n)| Proportion { share, n };
    earlier
        .zip(later)
        .map(|(a, b)| (proportion(a), proportion(b)))
}
