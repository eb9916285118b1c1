//! Shares of every option, overall and by one or two background variables.

use serde::{Deserialize, Serialize};

use super::StatsError;
use super::data::{Column, Dataset, MISSING, Values};
use super::interval::{Interval, IntervalMethod, kish_effective_n, proportion_interval};
use super::suppress::{CellFacts, SuppressionReason, SuppressionRules, suppress};

/// How "vet ej" answers are treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DontKnow {
    /// Left out of the base and reported separately, as share of everyone who answered (the default).
    #[default]
    Exclude,
    /// Counted as an ordinary option.
    Include,
}

/// Settings for estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EstimateOptions {
    /// Interval method.
    pub method: IntervalMethod,
    /// Confidence level, e.g. 0.95.
    pub confidence: f64,
    /// Treatment of "vet ej".
    pub dont_know: DontKnow,
}

impl Default for EstimateOptions {
    fn default() -> Self {
        Self {
            method: IntervalMethod::Wilson,
            confidence: 0.95,
            dont_know: DontKnow::Exclude,
        }
    }
}

/// A share with its base and interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Unweighted base: respondents in the group who answered (without "vet ej" unless this is the "vet ej" cell).
    pub n: u64,
    /// Kish effective base; equals `n` without weights.
    pub n_eff: f64,
    /// Unweighted number choosing the option.
    pub count: u64,
    /// Weighted share of the base choosing the option.
    pub share: f64,
    /// Confidence interval of the share, computed on `n_eff`.
    pub interval: Interval,
}

/// One option in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Option key.
    pub option: String,
    /// The group's option key for each breakdown variable (empty overall).
    pub group: Vec<String>,
    /// Whether this is the "vet ej" cell, whose base is everyone who answered.
    pub dont_know: bool,
    /// The estimate; `None` when suppressed or nobody answered.
    pub estimate: Option<Estimate>,
    /// Shown but uncertain: the base is below the flag threshold.
    pub uncertain: bool,
    /// Why the cell is hidden, if it is.
    pub suppressed: Option<SuppressionReason>,
}

/// One question broken down by zero, one or two background variables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Question key.
    pub question: String,
    /// Breakdown variables (question keys), outermost first.
    pub group_by: Vec<String>,
    /// Whether the options exclude each other, so that the shares of a group add up to 1.
    pub exclusive: bool,
    /// Cells, group by group, options in definition order within a group.
    pub cells: Vec<Cell>,
}

/// The groups of a breakdown: a code per respondent and a label per group.
pub(crate) struct Groups {
    pub(crate) codes: Vec<u32>,
    pub(crate) labels: Vec<Vec<String>>,
}

pub(crate) const NO_GROUP: u32 = u32::MAX;

pub(crate) fn groups(dataset: &Dataset, group_by: &[String]) -> Result<Groups, StatsError> {
    let mut codes = vec![0_u32; dataset.len()];
    let mut labels: Vec<Vec<String>> = vec![Vec::new()];
    if group_by.len() > MAX_BREAKDOWN {
        return Err(StatsError::InvalidBreakdown(format!(
            "break down by at most {MAX_BREAKDOWN} variables"
        )));
    }
    for key in group_by {
        let column = dataset.column(key)?;
        let Values::Single(values) = &column.values else {
            return Err(StatsError::InvalidBreakdown(format!(
                "`{key}` is not a single-choice question"
            )));
        };
        let size = column.options.len();
        let size32 = u32::try_from(size)
            .map_err(|_| StatsError::InvalidBreakdown(format!("`{key}` has too many options")))?;
        for (code, &value) in codes.iter_mut().zip(values) {
            *code = if *code == NO_GROUP || value == MISSING {
                NO_GROUP
            } else {
                *code * size32 + u32::from(value)
            };
        }
        labels = labels
            .into_iter()
            .flat_map(|outer| {
                column.options.iter().map(move |o| {
                    let mut label = outer.clone();
                    label.push(o.key.clone());
                    label
                })
            })
            .collect();
    }
    Ok(Groups { codes, labels })
}

/// Per-group sums for one question.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    count: u64,
    w: f64,
    w2: f64,
}

impl Sums {
    fn add(&mut self, w: f64) {
        self.count += 1;
        self.w += w;
        self.w2 += w * w;
    }
}

/// Estimates every option of `question`, overall or by `group_by` (zero, one or two
/// single-choice question keys), without suppression.
///
/// # Returns
/// A [`Table`] with a cell per group and option. Cells of groups where nobody
/// answered have no estimate.
///
/// # Algorithm
/// One pass over the respondents adds weights per group and option; shares are
/// weighted sums over the weighted base; intervals use Kish's effective base.
///
/// # Errors
/// [`StatsError::UnknownQuestion`], or [`StatsError::InvalidBreakdown`] for a number
/// question or a breakdown variable that is not a single-choice question.
pub fn estimate(
    dataset: &Dataset,
    question: &str,
    group_by: &[String],
    options: &EstimateOptions,
) -> Result<Table, StatsError> {
    let groups = groups(dataset, group_by)?;
    estimate_with_groups(
        dataset,
        dataset.column(question)?,
        group_by,
        &groups,
        options,
    )
}

pub(crate) fn estimate_with_groups(
    dataset: &Dataset,
    column: &Column,
    group_by: &[String],
    groups: &Groups,
    settings: &EstimateOptions,
) -> Result<Table, StatsError> {
    let k = column.options.len();
    let g = groups.labels.len();
    let outside_base: Vec<bool> = column
        .options
        .iter()
        .map(|o| o.dont_know && settings.dont_know == DontKnow::Exclude)
        .collect();
    let dk_mask = outside_base
        .iter()
        .enumerate()
        .filter(|(_, dk)| **dk)
        .fold(0_u64, |mask, (i, _)| mask | (1_u64 << (i % 64)));
    let mut option_sums = vec![Sums::default(); g * k];
    let mut base = vec![Sums::default(); g];
    let mut answered = vec![Sums::default(); g];
    let weights = dataset.weights();
    let weight = |i: usize| weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
    let exclusive = match &column.values {
        Values::Single(values) => {
            for (i, (&code, &value)) in groups.codes.iter().zip(values).enumerate() {
                if code == NO_GROUP || value == MISSING {
                    continue;
                }
                let (code, value) = (code as usize, usize::from(value));
                let w = weight(i);
                if let Some(s) = answered.get_mut(code) {
                    s.add(w);
                }
                if !outside_base.get(value).copied().unwrap_or(false)
                    && let Some(s) = base.get_mut(code)
                {
                    s.add(w);
                }
                if let Some(s) = option_sums.get_mut(code * k + value) {
                    s.add(w);
                }
            }
            true
        }
        Values::Multiple(values) => {
            for (i, (&code, bits)) in groups.codes.iter().zip(values).enumerate() {
                let (Some(bits), true) = (*bits, code != NO_GROUP) else {
                    continue;
                };
                let code = code as usize;
                let w = weight(i);
                if let Some(s) = answered.get_mut(code) {
                    s.add(w);
                }
                // Someone who ticks "vet ej" is outside the base for every option.
                let in_base = bits & dk_mask == 0;
                if in_base && let Some(s) = base.get_mut(code) {
                    s.add(w);
                }
                let mut rest = bits;
                while rest != 0 {
                    let option = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    let counts = in_base || outside_base.get(option).copied().unwrap_or(false);
                    if counts && let Some(s) = option_sums.get_mut(code * k + option) {
                        s.add(w);
                    }
                }
            }
            false
        }
        Values::Number(_) => {
            return Err(StatsError::InvalidBreakdown(format!(
                "`{}` is a number question; use a mean indicator",
                column.key
            )));
        }
    };
    let weighted = weights.is_some();
    let mut cells = Vec::with_capacity(g * k);
    for (group, label) in groups.labels.iter().enumerate() {
        for (option, info) in column.options.iter().enumerate() {
            let dont_know = outside_base.get(option).copied().unwrap_or(false);
            let of = if dont_know { &answered } else { &base };
            let total = of.get(group).copied().unwrap_or_default();
            let part = option_sums
                .get(group * k + option)
                .copied()
                .unwrap_or_default();
            let estimate = share_estimate(part, total, weighted, settings)?;
            cells.push(Cell {
                option: info.key.clone(),
                group: label.clone(),
                dont_know,
                estimate,
                uncertain: false,
                suppressed: None,
            });
        }
    }
    Ok(Table {
        question: column.key.clone(),
        group_by: group_by.to_vec(),
        exclusive,
        cells,
    })
}

fn share_estimate(
    part: Sums,
    total: Sums,
    weighted: bool,
    settings: &EstimateOptions,
) -> Result<Option<Estimate>, StatsError> {
    if total.count == 0 || total.w <= 0.0 {
        return Ok(None);
    }
    let (share, n_eff, successes) = if weighted {
        let share = (part.w / total.w).clamp(0.0, 1.0);
        let n_eff = kish_effective_n(total.w, total.w2);
        (share, n_eff, share * n_eff)
    } else {
        let n = total.count as f64;
        (part.count as f64 / n, n, part.count as f64)
    };
    let interval = proportion_interval(successes, n_eff, settings.method, settings.confidence)?;
    Ok(Some(Estimate {
        n: total.count,
        n_eff,
        count: part.count,
        share,
        interval,
    }))
}

/// Estimates `question` for every breakdown `group_by` implies (overall, each variable
/// alone, each pair crossed, up to all of them crossed), then suppresses small cells
/// across these tables together (see [`suppress_tables`]).
///
/// # Errors
/// As [`estimate`].
pub fn breakdown(
    dataset: &Dataset,
    question: &str,
    group_by: &[String],
    options: &EstimateOptions,
    rules: &SuppressionRules,
) -> Result<Vec<Table>, StatsError> {
    breakdown_all(dataset, &[question.to_owned()], group_by, options, rules)
}

/// The most variables one breakdown crosses.
pub const MAX_BREAKDOWN: usize = 3;

/// Every breakdown a publication of `group_by` implies: each subset of the variables,
/// in their order, from overall to all crossed. Publishing the finest table with its
/// margins lets complementary suppression protect the cells across all of them.
pub(crate) fn breakdown_plans(group_by: &[String]) -> Vec<Vec<String>> {
    let mut plans: Vec<Vec<String>> = vec![Vec::new()];
    for key in group_by {
        let longer: Vec<Vec<String>> = plans
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.push(key.clone());
                p
            })
            .collect();
        plans.extend(longer);
    }
    plans.sort_by_key(Vec::len);
    plans
}

/// Estimates many questions against one set of breakdowns, computing the groups once.
/// Tables come question by question, each as in [`breakdown`], already suppressed.
///
/// # Errors
/// As [`estimate`].
pub fn breakdown_all(
    dataset: &Dataset,
    questions: &[String],
    group_by: &[String],
    options: &EstimateOptions,
    rules: &SuppressionRules,
) -> Result<Vec<Table>, StatsError> {
    let plans = breakdown_plans(group_by);
    let prepared = plans
        .iter()
        .map(|plan| groups(dataset, plan).map(|g| (plan, g)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(questions.len() * prepared.len());
    for question in questions {
        let column = dataset.column(question)?;
        let mut tables = prepared
            .iter()
            .map(|(plan, g)| estimate_with_groups(dataset, column, plan, g, options))
            .collect::<Result<Vec<_>, _>>()?;
        suppress_tables(&mut tables, rules);
        out.append(&mut tables);
    }
    Ok(out)
}

/// Suppresses the cells of the tables of one question (overall, one-way and crossed,
/// as [`breakdown`] makes them) together, and flags uncertain ones.
///
/// The sets for complementary suppression are given by [`linked_sets`]: rows of
/// exclusive questions add up to their base, and every option's groups add up to the
/// coarser table's cell. Hidden cells lose their estimate and keep their reason.
pub fn suppress_tables(tables: &mut [Table], rules: &SuppressionRules) {
    let facts: Vec<CellFacts> = tables
        .iter()
        .flat_map(|t| &t.cells)
        .map(|c| {
            c.estimate.map_or(
                CellFacts {
                    n: 0,
                    n_eff: 0.0,
                    count: Some(0),
                },
                |e| CellFacts {
                    n: e.n,
                    n_eff: e.n_eff,
                    count: Some(e.count),
                },
            )
        })
        .collect();
    let sets = linked_sets(tables);
    let reasons = suppress(&facts, &sets, rules);
    let cells = tables.iter_mut().flat_map(|t| &mut t.cells);
    for (cell, reason) in cells.zip(reasons) {
        if reason.is_some() {
            cell.estimate = None;
        }
        cell.uncertain = cell.estimate.is_some_and(|e| e.n < rules.flag_below);
        cell.suppressed = reason;
    }
}

/// The sets of cells, indexed across `tables` in order, whose sums are published:
/// the non-"vet ej" options of a group in an exclusive question (they add up to the
/// base), and for each option a cell of a coarser table with the cells of the finer
/// table that add up to it (overall with the groups of a one-way table; a one-way
/// group with its crossed groups).
pub fn linked_sets(tables: &[Table]) -> Vec<Vec<usize>> {
    let layouts: Vec<Layout> = tables
        .iter()
        .scan(0, |offset, t| {
            let layout = Layout::of(t, *offset);
            *offset += t.cells.len();
            Some(layout)
        })
        .collect();
    let mut sets = Vec::new();
    for (table, layout) in tables.iter().zip(&layouts) {
        if table.exclusive {
            for g in 0..layout.groups.len() {
                sets.push(
                    layout
                        .base_options
                        .iter()
                        .map(|&o| layout.index(g, o))
                        .collect(),
                );
            }
        }
        for (level, _) in table.group_by.iter().enumerate() {
            // The coarser table leaves out the variable at `level`.
            let mut coarser_by = table.group_by.clone();
            coarser_by.remove(level);
            let Some((coarse_table, coarse)) = tables
                .iter()
                .zip(&layouts)
                .find(|(t, _)| t.group_by == coarser_by && t.question == table.question)
            else {
                continue;
            };
            let options = coarse.options.min(layout.options);
            for (cg, coarse_label) in coarse.groups.iter().enumerate() {
                let members: Vec<usize> = layout
                    .groups
                    .iter()
                    .enumerate()
                    .filter(|(_, label)| {
                        let mut rest = (*label).clone();
                        if level < rest.len() {
                            rest.remove(level);
                        }
                        &rest == coarse_label
                    })
                    .map(|(g, _)| g)
                    .collect();
                if members.is_empty() || coarse_table.cells.is_empty() {
                    continue;
                }
                for o in 0..options {
                    let mut set = vec![coarse.index(cg, o)];
                    set.extend(members.iter().map(|&g| layout.index(g, o)));
                    sets.push(set);
                }
            }
        }
    }
    sets
}

/// Where a table's cells sit in the joint index.
struct Layout {
    offset: usize,
    options: usize,
    base_options: Vec<usize>,
    groups: Vec<Vec<String>>,
}

impl Layout {
    fn of(table: &Table, offset: usize) -> Self {
        let first_group = table.cells.first().map(|c| c.group.clone());
        let in_first: Vec<&Cell> = table
            .cells
            .iter()
            .take_while(|c| Some(&c.group) == first_group.as_ref())
            .collect();
        let options = in_first.len().max(1);
        Self {
            offset,
            options,
            base_options: in_first
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.dont_know)
                .map(|(o, _)| o)
                .collect(),
            groups: table
                .cells
                .iter()
                .step_by(options)
                .map(|c| c.group.clone())
                .collect(),
        }
    }

    const fn index(&self, group: usize, option: usize) -> usize {
        self.offset + group * self.options + option
    }
}
