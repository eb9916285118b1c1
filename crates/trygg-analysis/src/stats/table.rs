//! Shares of every option, overall and by up to three background variables crossed.

use serde::{Deserialize, Serialize};

use super::StatsError;
use super::data::{Column, Dataset, MISSING, Values};
use super::interval::{
    Interval, IntervalMethod, critical_value, interval_with_critical, kish_effective_n,
};
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

/// One question broken down by up to three background variables (none: overall).
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

    fn merge(&mut self, other: &Self) {
        self.count += other.count;
        self.w += other.w;
        self.w2 += other.w2;
    }
}

/// Estimates every option of `question`, overall or by `group_by` (up to three
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
    let outside_base = outside_base(column, settings);
    let sums = accumulate(
        dataset,
        column,
        &groups.codes,
        groups.labels.len(),
        &outside_base,
    )?;
    table_from(
        column,
        group_by,
        &groups.labels,
        &sums,
        &outside_base,
        dataset.weights().is_some(),
        settings,
    )
}

/// Which options lie outside the base.
fn outside_base(column: &Column, settings: &EstimateOptions) -> Vec<bool> {
    column
        .options
        .iter()
        .map(|o| o.dont_know && settings.dont_know == DontKnow::Exclude)
        .collect()
}

/// Sums of one question per group: per option, over the base, over everyone who answered.
#[derive(Debug, Clone)]
struct GroupSums {
    options: usize,
    option_sums: Vec<Sums>,
    base: Vec<Sums>,
    answered: Vec<Sums>,
    exclusive: bool,
}

impl GroupSums {
    fn new(groups: usize, options: usize, exclusive: bool) -> Self {
        Self {
            options,
            option_sums: vec![Sums::default(); groups * options],
            base: vec![Sums::default(); groups],
            answered: vec![Sums::default(); groups],
            exclusive,
        }
    }

    /// Adds group `from` of `other` into group `to`.
    fn merge(&mut self, to: usize, other: &Self, from: usize) {
        let k = self.options;
        for (into, add) in [
            (&mut self.base, &other.base),
            (&mut self.answered, &other.answered),
        ] {
            if let (Some(into), Some(add)) = (into.get_mut(to), add.get(from)) {
                into.merge(add);
            }
        }
        let targets = self.option_sums.iter_mut().skip(to * k).take(k);
        for (into, add) in targets.zip(other.option_sums.iter().skip(from * k).take(k)) {
            into.merge(add);
        }
    }
}

/// One pass over the respondents: sums per group (codes index groups) and option.
fn accumulate(
    dataset: &Dataset,
    column: &Column,
    codes: &[u32],
    groups: usize,
    outside_base: &[bool],
) -> Result<GroupSums, StatsError> {
    let k = column.options.len();
    let dk_mask = outside_base
        .iter()
        .enumerate()
        .filter(|(_, dk)| **dk)
        .fold(0_u64, |mask, (i, _)| mask | (1_u64 << (i % 64)));
    let weights = dataset.weights();
    let weight = |i: usize| weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
    match &column.values {
        Values::Single(values) => {
            let mut sums = GroupSums::new(groups, k, true);
            // The hot loop touches one cell per respondent; group totals follow from
            // the cells afterwards, and without weights a count is all there is to add.
            let cell = |code: u32, value: u16| {
                (code != NO_GROUP && value != MISSING)
                    .then(|| code as usize * k + usize::from(value))
            };
            if let Some(weights) = weights {
                for ((&code, &value), &w) in codes.iter().zip(values).zip(weights) {
                    if let Some(s) = cell(code, value).and_then(|i| sums.option_sums.get_mut(i)) {
                        s.add(w);
                    }
                }
            } else {
                let mut counts = vec![0_u64; groups * k];
                for (&code, &value) in codes.iter().zip(values) {
                    if let Some(c) = cell(code, value).and_then(|i| counts.get_mut(i)) {
                        *c += 1;
                    }
                }
                for (s, &c) in sums.option_sums.iter_mut().zip(&counts) {
                    let w = c as f64;
                    *s = Sums { count: c, w, w2: w };
                }
            }
            for (group, cells) in sums.option_sums.chunks(k.max(1)).enumerate() {
                for (option, part) in cells.iter().enumerate() {
                    if let Some(s) = sums.answered.get_mut(group) {
                        s.merge(part);
                    }
                    if !outside_base.get(option).copied().unwrap_or(false)
                        && let Some(s) = sums.base.get_mut(group)
                    {
                        s.merge(part);
                    }
                }
            }
            Ok(sums)
        }
        Values::Multiple(values) => {
            let mut sums = GroupSums::new(groups, k, false);
            for (i, (&code, bits)) in codes.iter().zip(values).enumerate() {
                let (Some(bits), true) = (*bits, code != NO_GROUP) else {
                    continue;
                };
                let code = code as usize;
                let w = weight(i);
                if let Some(s) = sums.answered.get_mut(code) {
                    s.add(w);
                }
                // Someone who ticks "vet ej" is outside the base for every option.
                let in_base = bits & dk_mask == 0;
                if in_base && let Some(s) = sums.base.get_mut(code) {
                    s.add(w);
                }
                let mut rest = bits;
                while rest != 0 {
                    let option = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    let counts = in_base || outside_base.get(option).copied().unwrap_or(false);
                    if counts && let Some(s) = sums.option_sums.get_mut(code * k + option) {
                        s.add(w);
                    }
                }
            }
            Ok(sums)
        }
        Values::Number(_) => Err(StatsError::InvalidBreakdown(format!(
            "`{}` is a number question; use a mean indicator",
            column.key
        ))),
    }
}

/// Turns group sums into a table of estimates.
fn table_from(
    column: &Column,
    group_by: &[String],
    labels: &[Vec<String>],
    sums: &GroupSums,
    outside_base: &[bool],
    weighted: bool,
    settings: &EstimateOptions,
) -> Result<Table, StatsError> {
    let k = column.options.len();
    let z = critical_value(settings.confidence)?;
    let mut cells = Vec::with_capacity(labels.len() * k);
    for (group, label) in labels.iter().enumerate() {
        for (option, info) in column.options.iter().enumerate() {
            let dont_know = outside_base.get(option).copied().unwrap_or(false);
            let of = if dont_know {
                &sums.answered
            } else {
                &sums.base
            };
            let total = of.get(group).copied().unwrap_or_default();
            let part = sums
                .option_sums
                .get(group * k + option)
                .copied()
                .unwrap_or_default();
            let estimate = share_estimate(part, total, weighted, settings, z)?;
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
        exclusive: sums.exclusive,
        cells,
    })
}

fn share_estimate(
    part: Sums,
    total: Sums,
    weighted: bool,
    settings: &EstimateOptions,
    z: f64,
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
    let interval =
        interval_with_critical(successes, n_eff, settings.method, settings.confidence, z)?;
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
    tables_for_plans(
        dataset,
        questions,
        group_by,
        breakdown_plans(group_by),
        options,
        rules,
        |_, _| true,
    )
}

/// As [`breakdown_all`], for the breakdowns `plans` (each a subset of `group_by`, in
/// its order) that `keep(question, plan)` keeps.
pub(crate) fn tables_for_plans(
    dataset: &Dataset,
    questions: &[String],
    group_by: &[String],
    plans: Vec<Vec<String>>,
    options: &EstimateOptions,
    rules: &SuppressionRules,
    keep: impl Fn(&str, &[String]) -> bool,
) -> Result<Vec<Table>, StatsError> {
    let finest = Finest::new(dataset, group_by)?;
    let prepared: Vec<(Vec<String>, Marginal)> = plans
        .into_iter()
        .map(|plan| {
            let marginal = finest.marginal(dataset, &plan)?;
            Ok((plan, marginal))
        })
        .collect::<Result<_, StatsError>>()?;
    let weighted = dataset.weights().is_some();
    let mut out = Vec::with_capacity(questions.len() * prepared.len());
    for question in questions {
        let column = dataset.column(question)?;
        let outside = outside_base(column, options);
        // One pass over the respondents into the finest groups; every coarser table
        // is a sum of them.
        let fine = accumulate(dataset, column, &finest.codes, finest.groups, &outside)?;
        let mut tables = Vec::with_capacity(prepared.len());
        for (plan, Marginal { labels, map }) in &prepared {
            if !keep(question, plan) {
                continue;
            }
            let mut sums = GroupSums::new(labels.len(), fine.options, fine.exclusive);
            for (from, to) in map.iter().enumerate() {
                if let Some(to) = to {
                    sums.merge(*to, &fine, from);
                }
            }
            tables.push(table_from(
                column, plan, labels, &sums, &outside, weighted, options,
            )?);
        }
        suppress_tables(&mut tables, rules);
        out.append(&mut tables);
    }
    Ok(out)
}

/// Respondents coded by every breakdown variable at once, with an extra "missing"
/// category per variable so that coarser tables still count them.
struct Finest {
    codes: Vec<u32>,
    groups: usize,
    /// Per variable: its key and number of options (the missing code is this number).
    variables: Vec<(String, usize)>,
}

impl Finest {
    fn new(dataset: &Dataset, group_by: &[String]) -> Result<Self, StatsError> {
        if group_by.len() > MAX_BREAKDOWN {
            return Err(StatsError::InvalidBreakdown(format!(
                "break down by at most {MAX_BREAKDOWN} variables"
            )));
        }
        let mut codes = vec![0_u32; dataset.len()];
        let mut groups = 1_usize;
        let mut variables = Vec::with_capacity(group_by.len());
        for key in group_by {
            let column = dataset.column(key)?;
            let Values::Single(values) = &column.values else {
                return Err(StatsError::InvalidBreakdown(format!(
                    "`{key}` is not a single-choice question"
                )));
            };
            let size = column.options.len();
            let radix = u32::try_from(size + 1).map_err(|_| {
                StatsError::InvalidBreakdown(format!("`{key}` has too many options"))
            })?;
            for (code, &value) in codes.iter_mut().zip(values) {
                let digit = if value == MISSING {
                    radix - 1
                } else {
                    u32::from(value)
                };
                *code = *code * radix + digit;
            }
            groups *= size + 1;
            variables.push((key.clone(), size));
        }
        Ok(Self {
            codes,
            groups,
            variables,
        })
    }

    /// The labels of `plan`'s groups and, per finest group, the plan group it adds to
    /// (`None` when a variable of the plan is missing).
    fn marginal(&self, dataset: &Dataset, plan: &[String]) -> Result<Marginal, StatsError> {
        let labels = groups_labels(dataset, plan)?;
        let map = (0..self.groups)
            .map(|fine| {
                // Digits of the finest code, first variable most significant.
                let mut rest = fine;
                let mut digits = vec![0_usize; self.variables.len()];
                for (digit, (_, size)) in digits.iter_mut().zip(&self.variables).rev() {
                    *digit = rest % (size + 1);
                    rest /= size + 1;
                }
                let mut group = 0_usize;
                for key in plan {
                    let (digit, size) = self
                        .variables
                        .iter()
                        .zip(&digits)
                        .find(|((k, _), _)| k == key)
                        .map(|((_, size), digit)| (*digit, *size))?;
                    if digit == size {
                        return None;
                    }
                    group = group * size + digit;
                }
                Some(group)
            })
            .collect();
        Ok(Marginal { labels, map })
    }
}

/// A coarser breakdown as a sum of the finest groups.
struct Marginal {
    /// Group labels.
    labels: Vec<Vec<String>>,
    /// Per finest group, the group it adds to, if any.
    map: Vec<Option<usize>>,
}

/// The labels of the groups of `plan`, outer variable first, as [`groups`] numbers them.
fn groups_labels(dataset: &Dataset, plan: &[String]) -> Result<Vec<Vec<String>>, StatsError> {
    let mut labels: Vec<Vec<String>> = vec![Vec::new()];
    for key in plan {
        let column = dataset.column(key)?;
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
    Ok(labels)
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
            let index: std::collections::HashMap<&[String], usize> = coarse
                .groups
                .iter()
                .enumerate()
                .map(|(g, label)| (label.as_slice(), g))
                .collect();
            let mut members: Vec<Vec<usize>> = vec![Vec::new(); coarse.groups.len()];
            for (g, label) in layout.groups.iter().enumerate() {
                let mut rest = label.clone();
                if level < rest.len() {
                    rest.remove(level);
                }
                if let Some(slot) = index
                    .get(rest.as_slice())
                    .and_then(|&cg| members.get_mut(cg))
                {
                    slot.push(g);
                }
            }
            if coarse_table.cells.is_empty() {
                continue;
            }
            for (cg, members) in members.iter().enumerate() {
                if members.is_empty() {
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
