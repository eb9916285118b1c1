//! The situation report (lägesbild): every table, indicator and trend of a round.

use serde::{Deserialize, Serialize};
use trygg_domain::{QuestionKind, Survey};

use super::StatsError;
use super::data::Dataset;
use super::indicator::{IndicatorTable, Measure, indicator};
use super::raking::RakingSummary;
use super::suppress::SuppressionRules;
use super::table::{EstimateOptions, Table, breakdown_all};
use super::trend::{Change, Proportion, compare};

/// What a report covers and how.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReportSettings {
    /// Breakdown variables (question keys), up to three; every subset is reported, from overall to all crossed.
    pub group_by: Vec<String>,
    /// Interval method, confidence and "vet ej" treatment.
    pub estimates: EstimateOptions,
    /// Suppression thresholds.
    pub suppression: SuppressionRules,
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
    /// Builds the report of `survey`'s round from `dataset` (weighted or not).
    ///
    /// # Errors
    /// [`StatsError`] when a breakdown variable or indicator does not fit the data.
    pub fn build(
        survey: &Survey,
        dataset: &Dataset,
        weighting: Option<RakingSummary>,
        settings: ReportSettings,
    ) -> Result<Self, StatsError> {
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
            .filter(|key| !settings.group_by.contains(key))
            .collect();
        let tables = breakdown_all(
            dataset,
            &questions,
            &settings.group_by,
            &settings.estimates,
            &settings.suppression,
        )?;
        let mut indicators = Vec::new();
        for definition in &survey.indicators {
            indicators.append(&mut indicator(
                dataset,
                definition,
                &settings.group_by,
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
                let pair = old.estimate.zip(cell.estimate).map(|(a, b)| {
                    (
                        Proportion {
                            share: a.value,
                            n: a.n_eff,
                        },
                        Proportion {
                            share: b.value,
                            n: b.n_eff,
                        },
                    )
                });
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
                let pair = old.estimate.zip(cell.estimate).map(|(a, b)| {
                    (
                        Proportion {
                            share: a.share,
                            n: a.n_eff,
                        },
                        Proportion {
                            share: b.share,
                            n: b.n_eff,
                        },
                    )
                });
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
