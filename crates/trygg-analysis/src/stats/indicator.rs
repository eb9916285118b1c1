//! Headline indicators: top-box shares, a problem index and means, by group.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};
use trygg_domain::{Indicator, IndicatorKind};

use super::StatsError;
use super::data::{Column, Dataset, MISSING, OptionInfo, Values};
use super::interval::{Interval, kish_effective_n};
use super::suppress::{CellFacts, SuppressionReason, SuppressionRules, suppress};
use super::table::{
    Cell, EstimateOptions, Groups, NO_GROUP, Table, breakdown_plans, estimate_with_groups, groups,
    linked_sets, suppress_tables,
};

/// What an indicator's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A share in [0, 1] with a proportion interval.
    Share,
    /// A mean with a t interval.
    Mean,
}

/// An indicator's value in one group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IndicatorEstimate {
    /// Unweighted base.
    pub n: u64,
    /// Kish effective base.
    pub n_eff: f64,
    /// Unweighted count in the indicator, for shares.
    pub count: Option<u64>,
    /// The share or mean.
    pub value: f64,
    /// Its confidence interval.
    pub interval: Interval,
}

/// An indicator in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorCell {
    /// The group's option key per breakdown variable (empty overall).
    pub group: Vec<String>,
    /// The value; `None` when suppressed or nobody answered.
    pub estimate: Option<IndicatorEstimate>,
    /// Shown but uncertain: the base is below the flag threshold.
    pub uncertain: bool,
    /// Why the cell is hidden, if it is.
    pub suppressed: Option<SuppressionReason>,
}

/// An indicator broken down by up to three variables (none: overall).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorTable {
    /// Indicator key.
    pub key: String,
    /// Swedish label.
    pub label: String,
    /// Share or mean.
    pub measure: Measure,
    /// Breakdown variables.
    pub group_by: Vec<String>,
    /// One cell per group.
    pub cells: Vec<IndicatorCell>,
}

/// Computes `indicator` for every breakdown `group_by` implies (as [`breakdown`](super::breakdown)), suppressed.
///
/// # Algorithm
/// A share indicator recodes its question into "counts" / "does not count" / "vet ej"
/// and is estimated and suppressed like any question. A problem index scores each
/// respondent as the share of the problem questions they answered (without "vet ej")
/// with a counting option, and averages the scores; a mean averages a number question.
/// Means get a Student t interval on the effective base, `m ± t(n_eff − 1) · s / √n_eff`,
/// which is statsmodels' `DescrStatsW.tconfint_mean` without weights.
///
/// # Errors
/// [`StatsError::UnknownQuestion`] when the indicator names a question the data lacks,
/// [`StatsError::InvalidData`] for an option it does not have.
pub fn indicator(
    dataset: &Dataset,
    indicator: &Indicator,
    group_by: &[String],
    options: &EstimateOptions,
    rules: &SuppressionRules,
) -> Result<Vec<IndicatorTable>, StatsError> {
    indicator_for_plans(
        dataset,
        indicator,
        &breakdown_plans(group_by),
        options,
        rules,
    )
}

/// As [`indicator`], for the breakdowns `plans`.
pub(crate) fn indicator_for_plans(
    dataset: &Dataset,
    indicator: &Indicator,
    plans: &[Vec<String>],
    options: &EstimateOptions,
    rules: &SuppressionRules,
) -> Result<Vec<IndicatorTable>, StatsError> {
    let key = indicator.key.to_string();
    let label = indicator.label.sv.clone();
    match &indicator.kind {
        IndicatorKind::Share {
            question,
            options: counted,
        } => {
            let column = share_column(dataset.column(question)?, counted, &key)?;
            let mut tables = plans
                .iter()
                .map(|plan| {
                    let g = groups(dataset, plan)?;
                    estimate_with_groups(dataset, &column, plan, &g, options)
                })
                .collect::<Result<Vec<_>, _>>()?;
            suppress_tables(&mut tables, rules);
            Ok(tables
                .into_iter()
                .map(|table| IndicatorTable {
                    key: key.clone(),
                    label: label.clone(),
                    measure: Measure::Share,
                    group_by: table.group_by,
                    cells: table
                        .cells
                        .into_iter()
                        .filter(|c| c.option == key)
                        .map(|c| IndicatorCell {
                            group: c.group,
                            estimate: c.estimate.map(|e| IndicatorEstimate {
                                n: e.n,
                                n_eff: e.n_eff,
                                count: Some(e.count),
                                value: e.share,
                                interval: e.interval,
                            }),
                            uncertain: c.uncertain,
                            suppressed: c.suppressed,
                        })
                        .collect(),
                })
                .collect())
        }
        IndicatorKind::ProblemIndex {
            questions,
            options: counted,
        } => {
            let scores = problem_scores(dataset, questions, counted)?;
            mean_tables(dataset, &scores, &key, &label, plans, options, rules)
        }
        IndicatorKind::Mean { question } => {
            let Values::Number(values) = &dataset.column(question)?.values else {
                return Err(StatsError::InvalidData {
                    question: question.clone(),
                    message: "a mean needs a number question".to_owned(),
                });
            };
            mean_tables(dataset, values, &key, &label, plans, options, rules)
        }
    }
}

fn option_index(column: &Column, key: &str) -> Result<usize, StatsError> {
    column
        .options
        .iter()
        .position(|o| o.key == key)
        .ok_or_else(|| StatsError::InvalidData {
            question: column.key.clone(),
            message: format!("no option `{key}`"),
        })
}

/// Recodes a single-choice column: 0 counts, 1 does not, 2 is "vet ej".
fn share_column(column: &Column, counted: &[String], key: &str) -> Result<Column, StatsError> {
    let Values::Single(values) = &column.values else {
        return Err(StatsError::InvalidData {
            question: column.key.clone(),
            message: "a share indicator needs a single-choice question".to_owned(),
        });
    };
    let counted = counted
        .iter()
        .map(|o| option_index(column, o))
        .collect::<Result<Vec<_>, _>>()?;
    let recode: Vec<u16> = column
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            if counted.contains(&i) {
                0
            } else if o.dont_know {
                2
            } else {
                1
            }
        })
        .collect();
    let values = values
        .iter()
        .map(|&v| {
            if v == MISSING {
                MISSING
            } else {
                recode.get(usize::from(v)).copied().unwrap_or(MISSING)
            }
        })
        .collect();
    Ok(Column {
        key: column.key.clone(),
        options: vec![
            OptionInfo::new(key),
            OptionInfo::new(format!("not_{key}")),
            OptionInfo::dont_know("vet_ej"),
        ],
        background: None,
        values: Values::Single(values),
    })
}

/// Each respondent's share of answered problem questions with a counting option.
fn problem_scores(
    dataset: &Dataset,
    questions: &[String],
    counted: &[String],
) -> Result<Vec<f64>, StatsError> {
    let mut hits = vec![0_u32; dataset.len()];
    let mut answered = vec![0_u32; dataset.len()];
    for question in questions {
        let column = dataset.column(question)?;
        let Values::Single(values) = &column.values else {
            return Err(StatsError::InvalidData {
                question: question.clone(),
                message: "a problem index needs single-choice questions".to_owned(),
            });
        };
        let counts = counted
            .iter()
            .map(|o| option_index(column, o))
            .collect::<Result<Vec<_>, _>>()?;
        for ((&v, hit), seen) in values.iter().zip(&mut hits).zip(&mut answered) {
            let dont_know = column
                .options
                .get(usize::from(v))
                .is_none_or(|o| o.dont_know);
            if v == MISSING || dont_know {
                continue;
            }
            *seen += 1;
            if counts.contains(&usize::from(v)) {
                *hit += 1;
            }
        }
    }
    Ok(hits
        .iter()
        .zip(&answered)
        .map(|(&h, &a)| {
            if a == 0 {
                f64::NAN
            } else {
                f64::from(h) / f64::from(a)
            }
        })
        .collect())
}

#[derive(Debug, Clone, Copy, Default)]
struct Moments {
    n: u64,
    w: f64,
    w2: f64,
    wx: f64,
    squares: f64,
}

fn mean_tables(
    dataset: &Dataset,
    values: &[f64],
    key: &str,
    label: &str,
    plans: &[Vec<String>],
    settings: &EstimateOptions,
    rules: &SuppressionRules,
) -> Result<Vec<IndicatorTable>, StatsError> {
    let alpha = 1.0 - settings.confidence;
    super::interval::critical_value(settings.confidence)?;
    let mut computed = Vec::with_capacity(plans.len());
    for plan in plans {
        let Groups { codes, labels } = groups(dataset, plan)?;
        let mut moments = vec![Moments::default(); labels.len()];
        let usable = |i: usize, code: u32| {
            let x = values.get(i).copied().unwrap_or(f64::NAN);
            (code != NO_GROUP && x.is_finite()).then_some((code as usize, x))
        };
        for (i, &code) in codes.iter().enumerate() {
            if let Some((code, x)) = usable(i, code)
                && let Some(m) = moments.get_mut(code)
            {
                let w = dataset.weight(i);
                m.n += 1;
                m.w += w;
                m.w2 += w * w;
                m.wx += w * x;
            }
        }
        // A second pass around each group's mean keeps the variance accurate.
        for (i, &code) in codes.iter().enumerate() {
            if let Some((code, x)) = usable(i, code)
                && let Some(m) = moments.get_mut(code)
                && m.w > 0.0
            {
                let d = x - m.wx / m.w;
                m.squares += dataset.weight(i) * d * d;
            }
        }
        let estimates = moments
            .iter()
            .map(|m| mean_estimate(m, alpha))
            .collect::<Result<Vec<_>, _>>()?;
        computed.push((plan, labels, estimates));
    }
    // Group means combine into the coarser table's mean, so they are suppressed
    // together, laid out as one-option tables.
    let layout: Vec<Table> = computed
        .iter()
        .map(|(plan, labels, _)| Table {
            question: key.to_owned(),
            group_by: (*plan).clone(),
            exclusive: false,
            cells: labels
                .iter()
                .map(|group| Cell {
                    option: key.to_owned(),
                    group: group.clone(),
                    dont_know: false,
                    estimate: None,
                    uncertain: false,
                    suppressed: None,
                })
                .collect(),
        })
        .collect();
    let facts: Vec<CellFacts> = computed
        .iter()
        .flat_map(|(_, _, estimates)| estimates)
        .map(|e| CellFacts {
            n: e.map_or(0, |e| e.n),
            n_eff: e.map_or(0.0, |e| e.n_eff),
            count: None,
        })
        .collect();
    let mut reasons = suppress(&facts, &linked_sets(&layout), rules).into_iter();
    Ok(computed
        .into_iter()
        .map(|(plan, labels, estimates)| IndicatorTable {
            key: key.to_owned(),
            label: label.to_owned(),
            measure: Measure::Mean,
            group_by: plan.clone(),
            cells: labels
                .into_iter()
                .zip(estimates)
                .map(|(group, estimate)| {
                    let reason = reasons.next().flatten();
                    let estimate = if reason.is_some() { None } else { estimate };
                    IndicatorCell {
                        group,
                        uncertain: estimate.is_some_and(|e| e.n < rules.flag_below),
                        estimate,
                        suppressed: reason,
                    }
                })
                .collect(),
        })
        .collect())
}

fn mean_estimate(m: &Moments, alpha: f64) -> Result<Option<IndicatorEstimate>, StatsError> {
    if m.n == 0 || m.w <= 0.0 {
        return Ok(None);
    }
    let mean = m.wx / m.w;
    let n_eff = kish_effective_n(m.w, m.w2);
    // With one respondent there is no spread to estimate: the interval is the point.
    let half = if n_eff > 1.0 {
        let variance = m.squares / m.w * n_eff / (n_eff - 1.0);
        let t = StudentsT::new(0.0, 1.0, n_eff - 1.0)
            .map_err(|e| StatsError::InvalidData {
                question: String::new(),
                message: e.to_string(),
            })?
            .inverse_cdf(1.0 - alpha / 2.0);
        t * (variance / n_eff).sqrt()
    } else {
        0.0
    };
    Ok(Some(IndicatorEstimate {
        n: m.n,
        n_eff,
        count: None,
        value: mean,
        interval: Interval {
            low: mean - half,
            high: mean + half,
        },
    }))
}
