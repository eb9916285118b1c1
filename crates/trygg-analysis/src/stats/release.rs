//! A situation report as one release: every table and share indicator described as
//! linear relations ([`describe`]), and suppression across all of them at once
//! ([`protect`]), checked by the disclosure audit.
//!
//! What a reader of the release knows, and so what the relations say:
//! - a shown cell publishes its count and its base `n` ("vet ej" cells: everyone who
//!   answered the question in the group);
//! - the options of a group of a single-choice question add up to its base, and an
//!   option of a multiple-choice question is at most its base;
//! - base plus "vet ej" is everyone in the group who answered the question, which for
//!   a required question is everyone in the group;
//! - a coarser table's cell is the sum of its finer groups and of the respondents who
//!   did not answer the finer breakdown variable (none when that question is required);
//! - a share indicator's count is the sum of its question's counted options, and its
//!   base is the question's base;
//! - the report's respondents are published;
//! - a hidden cell's note: no respondents (the cell is 0), a base below the minimum
//!   (the base is 1 to minimum − 1), counts of 1 to 4 (only on the per-table path).
//!
//! The cells protected are those the rules hide for their own sake: counts of 1 to 4
//! and every cell of a group below the minimum base or effective base. Complementary
//! cells hold nothing sensitive (the rules would show them); they only have to keep
//! the protected cells' ranges wide, so, as τ-ARGUS and sdcTable do, the audit checks
//! the protected cells' ranges and not theirs.
//!
//! Means (problem indexes, number questions) are not counts and are left out.

use std::collections::{HashMap, HashSet};

use trygg_domain::{IndicatorKind, QuestionKind, Survey};

use super::StatsError;
use super::data::Dataset;
use super::disclosure::{
    AuditError, AuditReport, CellName, Protection, Quantity, Relation, Release, Sense, Shown, audit,
};
use super::indicator::Measure;
use super::report::SituationReport;
use super::suppress::{SuppressionReason, SuppressionRules};
use super::table::{NO_GROUP, groups};

/// A share indicator: its question and the options it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareIndicator {
    /// Indicator key.
    pub key: String,
    /// Question key.
    pub question: String,
    /// Counted option keys.
    pub counted: Vec<String>,
}

/// What a reader knows beyond the tables: which questions are required, what share
/// indicators count, and (for the audit's true values) how many respondents each
/// group of each breakdown has.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReleaseFacts {
    /// Keys of required questions.
    pub required: HashSet<String>,
    /// The share indicators.
    pub shares: Vec<ShareIndicator>,
    /// Respondents per breakdown and group.
    pub respondents: HashMap<(Vec<String>, Vec<String>), u64>,
    /// The thresholds: the cells they hide for their own sake are the ones the audit
    /// protects.
    pub rules: SuppressionRules,
}

impl ReleaseFacts {
    /// The facts of `survey`'s round in `dataset`, for the breakdowns `plans`.
    ///
    /// # Errors
    /// [`StatsError`] when a breakdown variable is not a single-choice question.
    pub fn of(
        survey: &Survey,
        dataset: &Dataset,
        plans: &[Vec<String>],
        rules: SuppressionRules,
    ) -> Result<Self, StatsError> {
        let mut respondents = HashMap::new();
        for plan in plans {
            let g = groups(dataset, plan)?;
            let mut counts = vec![0_u64; g.labels.len()];
            for &code in g.codes.iter().filter(|&&c| c != NO_GROUP) {
                if let Some(c) = counts.get_mut(code as usize) {
                    *c += 1;
                }
            }
            for (label, count) in g.labels.into_iter().zip(counts) {
                respondents.insert((plan.clone(), label), count);
            }
        }
        Ok(Self {
            required: survey
                .questions
                .iter()
                .filter(|q| q.required)
                .map(|q| q.key.to_string())
                .collect(),
            shares: survey
                .indicators
                .iter()
                .filter_map(|i| match &i.kind {
                    IndicatorKind::Share { question, options } => Some(ShareIndicator {
                        key: i.key.to_string(),
                        question: question.clone(),
                        counted: options.clone(),
                    }),
                    _ => None,
                })
                .collect(),
            respondents,
            rules,
        })
        .map(|facts: Self| facts.only_choice(survey))
    }

    fn only_choice(mut self, survey: &Survey) -> Self {
        self.required.retain(|key| {
            survey.questions.iter().any(|q| {
                q.key.as_str() == key
                    && matches!(
                        q.kind,
                        QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. }
                    )
            })
        });
        self
    }
}

/// Which published cell a display is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Place {
    /// Table `t`, cell `c` of the report's tables.
    Table(usize, usize),
    /// Indicator table `t`, cell `c`.
    Indicator(usize, usize),
}

impl Place {
    /// Whether the cell shows an estimate in `report`, and its note.
    fn shown_in(self, report: &SituationReport) -> Option<(bool, Option<SuppressionReason>)> {
        match self {
            Self::Table(t, c) => report
                .tables
                .get(t)
                .and_then(|t| t.cells.get(c))
                .map(|c| (c.estimate.is_some(), c.suppressed)),
            Self::Indicator(t, c) => report
                .indicators
                .get(t)
                .and_then(|t| t.cells.get(c))
                .map(|c| (c.estimate.is_some(), c.suppressed)),
        }
    }

    /// The cell's base, effective base and count (where it has one) in `report`, where
    /// it is estimated.
    fn base_in(self, report: &SituationReport) -> Option<(u64, f64, Option<u64>)> {
        match self {
            Self::Table(t, c) => report
                .tables
                .get(t)
                .and_then(|t| t.cells.get(c))
                .and_then(|c| c.estimate)
                .map(|e| (e.n, e.n_eff, Some(e.count))),
            Self::Indicator(t, c) => report
                .indicators
                .get(t)
                .and_then(|t| t.cells.get(c))
                .and_then(|c| c.estimate)
                .map(|e| (e.n, e.n_eff, e.count)),
        }
    }
}

/// A published cell and the quantities it shows (count, base).
#[derive(Debug, Clone)]
struct Display {
    place: Place,
    shows: Vec<usize>,
}

/// A report described as a [`Release`], with the published cells that show each quantity.
#[derive(Debug, Clone)]
pub struct Described {
    /// The relations, for [`audit`].
    pub release: Release,
    displays: Vec<Display>,
    rules: SuppressionRules,
}

/// The variables of one question table.
struct TableVars {
    groups: Vec<Vec<String>>,
    base: Vec<usize>,
    answered: Vec<usize>,
    /// Per group, per option.
    cells: Vec<Vec<usize>>,
    options: Vec<String>,
    dont_know: Vec<bool>,
}

fn name(table: &str, group: &[String], column: &str) -> CellName {
    CellName {
        table: table.to_owned(),
        row: if group.is_empty() {
            "alla".to_owned()
        } else {
            group.join(" × ")
        },
        column: column.to_owned(),
    }
}

fn table_name(key: &str, plan: &[String]) -> String {
    if plan.is_empty() {
        key.to_owned()
    } else {
        format!("{key} by {}", plan.join(" × "))
    }
}

fn hidden(value: f64) -> Quantity {
    Quantity {
        name: name("", &[], ""),
        value,
        shown: Shown::Nothing,
        protect: None,
    }
}

struct Builder<'a> {
    release: Release,
    facts: &'a ReleaseFacts,
    respondents: HashMap<(Vec<String>, Vec<String>), usize>,
    missing: HashMap<(Vec<String>, String, Vec<String>), usize>,
}

impl Builder<'_> {
    fn quantity(&mut self, cell: CellName, value: f64) -> usize {
        self.release.add(Quantity {
            name: cell,
            ..hidden(value)
        })
    }

    fn respondents(&mut self, plan: &[String], group: &[String]) -> usize {
        let key = (plan.to_vec(), group.to_vec());
        if let Some(&i) = self.respondents.get(&key) {
            return i;
        }
        let value = self.facts.respondents.get(&key).copied().unwrap_or(0) as f64;
        let i = self.quantity(name(&table_name("respondents", plan), group, "n"), value);
        self.respondents.insert(key, i);
        i
    }

    /// A group's answered count against its respondents.
    fn answered_within(&mut self, question: &str, answered: usize, respondents: usize) {
        let values = |i: usize| self.release.quantities.get(i).map_or(0.0, |q| q.value);
        let equal = self.facts.required.contains(question)
            && (values(answered) - values(respondents)).abs() < 0.5;
        self.release.relate(if equal {
            Relation::equal(answered, respondents)
        } else {
            Relation::at_most(answered, respondents)
        });
    }

    /// Relations within one group: options to base, base and "vet ej" to answered.
    fn group_relations(
        &mut self,
        exclusive: bool,
        cells: &[usize],
        dk: &[bool],
        b: usize,
        a: usize,
    ) {
        let parts: Vec<usize> = cells
            .iter()
            .zip(dk)
            .filter(|(_, d)| !**d)
            .map(|(&c, _)| c)
            .collect();
        if exclusive {
            self.release.relate(Relation::sum(b, parts));
        } else {
            for c in parts {
                self.release.relate(Relation::at_most(c, b));
            }
        }
        let mut terms = vec![(a, -1.0), (b, 1.0)];
        terms.extend(
            cells
                .iter()
                .zip(dk)
                .filter(|(_, d)| **d)
                .map(|(&c, _)| (c, 1.0)),
        );
        self.release.relate(Relation {
            terms,
            sense: Sense::Equal,
        });
    }
}

fn check_same(truth: &SituationReport, published: &SituationReport) -> Result<(), StatsError> {
    let same_tables = truth.tables.len() == published.tables.len()
        && truth.tables.iter().zip(&published.tables).all(|(a, b)| {
            a.question == b.question
                && a.group_by == b.group_by
                && a.cells.len() == b.cells.len()
                && a.cells
                    .iter()
                    .zip(&b.cells)
                    .all(|(x, y)| x.option == y.option && x.group == y.group)
        });
    let same_indicators = truth.indicators.len() == published.indicators.len()
        && truth
            .indicators
            .iter()
            .zip(&published.indicators)
            .all(|(a, b)| {
                a.key == b.key
                    && a.group_by == b.group_by
                    && a.cells.len() == b.cells.len()
                    && a.cells
                        .iter()
                        .zip(&b.cells)
                        .all(|(x, y)| x.group == y.group)
            });
    if same_tables && same_indicators {
        Ok(())
    } else {
        Err(StatsError::InvalidData {
            question: truth.survey.clone(),
            message: "the published report does not have the tables of the full one".to_owned(),
        })
    }
}

/// Describes `published` as a release: the quantities of `truth` (the same report
/// before suppression) with what `published` shows of them, and the relations
/// between them (see the module documentation).
///
/// # Errors
/// [`StatsError::InvalidData`] when the two reports do not have the same tables.
pub fn describe(
    truth: &SituationReport,
    published: &SituationReport,
    facts: &ReleaseFacts,
) -> Result<Described, StatsError> {
    check_same(truth, published)?;
    let mut b = Builder {
        release: Release::default(),
        facts,
        respondents: HashMap::new(),
        missing: HashMap::new(),
    };
    let mut displays: Vec<Display> = Vec::new();
    let mut tables: HashMap<(String, Vec<String>), TableVars> = HashMap::new();
    // Question tables: a quantity per cell, base and answered per group.
    for (t, table) in truth.tables.iter().enumerate() {
        let title = table_name(&table.question, &table.group_by);
        let mut vars = TableVars {
            groups: Vec::new(),
            base: Vec::new(),
            answered: Vec::new(),
            cells: Vec::new(),
            options: Vec::new(),
            dont_know: Vec::new(),
        };
        let first = table.cells.first().map(|c| c.group.clone());
        for cell in table
            .cells
            .iter()
            .take_while(|c| Some(&c.group) == first.as_ref())
        {
            vars.options.push(cell.option.clone());
            vars.dont_know.push(cell.dont_know);
        }
        let k = vars.options.len().max(1);
        for (g, chunk) in table.cells.chunks(k).enumerate() {
            let group = chunk.first().map(|c| c.group.clone()).unwrap_or_default();
            let base_value = chunk
                .iter()
                .filter(|c| !c.dont_know)
                .find_map(|c| c.estimate.map(|e| e.n))
                .unwrap_or(0) as f64;
            let answered_value = chunk
                .iter()
                .filter(|c| c.dont_know)
                .find_map(|c| c.estimate.map(|e| e.n))
                .map_or(base_value, |n| n as f64);
            let base = b.quantity(name(&title, &group, "n"), base_value);
            let answered = b.quantity(name(&title, &group, "n (with vet ej)"), answered_value);
            let mut cells = Vec::with_capacity(k);
            for (o, cell) in chunk.iter().enumerate() {
                let value = cell.estimate.map_or(0, |e| e.count) as f64;
                let x = b.quantity(name(&title, &group, &cell.option), value);
                cells.push(x);
                displays.push(Display {
                    place: Place::Table(t, g * k + o),
                    shows: vec![x, if cell.dont_know { answered } else { base }],
                });
            }
            b.group_relations(table.exclusive, &cells, &vars.dont_know, base, answered);
            let respondents = b.respondents(&table.group_by, &group);
            b.answered_within(&table.question, answered, respondents);
            vars.groups.push(group);
            vars.base.push(base);
            vars.answered.push(answered);
            vars.cells.push(cells);
        }
        tables.insert((table.question.clone(), table.group_by.clone()), vars);
    }
    // Coarser tables are their finer groups plus the respondents missing the variable.
    let mut exclusive: HashMap<&str, bool> = HashMap::new();
    for table in &truth.tables {
        exclusive.insert(&table.question, table.exclusive);
    }
    let keys: Vec<(String, Vec<String>)> = truth
        .tables
        .iter()
        .map(|t| (t.question.clone(), t.group_by.clone()))
        .collect();
    for (question, plan) in &keys {
        for (level, variable) in plan.iter().enumerate() {
            let mut coarser = plan.clone();
            coarser.remove(level);
            let (Some(fine), Some(coarse)) = (
                tables.get(&(question.clone(), plan.clone())),
                tables.get(&(question.clone(), coarser.clone())),
            ) else {
                continue;
            };
            let mut links = Vec::new();
            for (cg, coarse_group) in coarse.groups.iter().enumerate() {
                let members: Vec<usize> = fine
                    .groups
                    .iter()
                    .enumerate()
                    .filter(|(_, label)| {
                        let mut rest = (*label).clone();
                        if level < rest.len() {
                            rest.remove(level);
                        }
                        &rest == coarse_group
                    })
                    .map(|(g, _)| g)
                    .collect();
                links.push((cg, coarse_group.clone(), members));
            }
            let fine_vars = (fine.base.clone(), fine.answered.clone(), fine.cells.clone());
            let coarse_vars = (
                coarse.base.clone(),
                coarse.answered.clone(),
                coarse.cells.clone(),
            );
            let dk = fine.dont_know.clone();
            let options = fine.options.clone();
            for (cg, coarse_group, members) in links {
                let value = |b: &Builder<'_>, i: usize| {
                    b.release.quantities.get(i).map_or(0.0, |q| q.value)
                };
                let sum_of = |b: &Builder<'_>, list: &[usize], coarse: usize| {
                    value(b, coarse) - list.iter().map(|&i| value(b, i)).sum::<f64>()
                };
                let title = format!("{} without {variable}", table_name(question, &coarser));
                let fine_base: Vec<usize> = members
                    .iter()
                    .filter_map(|&g| fine_vars.0.get(g).copied())
                    .collect();
                let fine_answered: Vec<usize> = members
                    .iter()
                    .filter_map(|&g| fine_vars.1.get(g).copied())
                    .collect();
                let (Some(&cb), Some(&ca), Some(ccells)) = (
                    coarse_vars.0.get(cg),
                    coarse_vars.1.get(cg),
                    coarse_vars.2.get(cg),
                ) else {
                    continue;
                };
                let mb_value = sum_of(&b, &fine_base, cb);
                let ma_value = sum_of(&b, &fine_answered, ca);
                let mb = b.quantity(name(&title, &coarse_group, "n"), mb_value);
                let ma = b.quantity(name(&title, &coarse_group, "n (with vet ej)"), ma_value);
                let mut missing_cells = Vec::with_capacity(options.len());
                for (o, option) in options.iter().enumerate() {
                    let parts: Vec<usize> = members
                        .iter()
                        .filter_map(|&g| fine_vars.2.get(g).and_then(|c| c.get(o)).copied())
                        .collect();
                    let Some(&coarse_cell) = ccells.get(o) else {
                        continue;
                    };
                    let m_value = sum_of(&b, &parts, coarse_cell);
                    let m = b.quantity(name(&title, &coarse_group, option), m_value);
                    missing_cells.push(m);
                    b.release
                        .relate(Relation::sum(coarse_cell, parts.into_iter().chain([m])));
                }
                b.release
                    .relate(Relation::sum(cb, fine_base.into_iter().chain([mb])));
                b.release
                    .relate(Relation::sum(ca, fine_answered.into_iter().chain([ma])));
                let exclusive = exclusive.get(question.as_str()).copied().unwrap_or(true);
                b.group_relations(exclusive, &missing_cells, &dk, mb, ma);
                let rm =
                    missing_respondents(&mut b, plan, variable, level, &coarser, &coarse_group);
                b.answered_within(question, ma, rm);
                // Nobody lacks a required variable: every count of the missing group is 0.
                if b.release
                    .quantities
                    .get(rm)
                    .is_some_and(|q| q.shown == Shown::Value)
                {
                    for i in missing_cells.iter().copied().chain([mb, ma]) {
                        if let Some(q) = b.release.quantities.get_mut(i) {
                            q.shown = Shown::Value;
                        }
                    }
                }
            }
        }
    }
    // Share indicators: their count is the sum of the counted options, their base the question's.
    for (t, table) in truth.indicators.iter().enumerate() {
        if table.measure != Measure::Share {
            continue;
        }
        let Some(share) = facts.shares.iter().find(|s| s.key == table.key) else {
            continue;
        };
        let title = table_name(&table.key, &table.group_by);
        let vars = tables.get(&(share.question.clone(), table.group_by.clone()));
        for (c, cell) in table.cells.iter().enumerate() {
            let value = cell.estimate.and_then(|e| e.count).unwrap_or(0) as f64;
            let y = b.quantity(name(&title, &cell.group, &table.key), value);
            let mut shows = vec![y];
            match vars.and_then(|v| {
                let g = v.groups.iter().position(|g| g == &cell.group)?;
                Some((v.base.get(g).copied()?, v.cells.get(g)?.clone(), &v.options))
            }) {
                Some((base, cells, options)) => {
                    let parts = options
                        .iter()
                        .zip(&cells)
                        .filter(|(o, _)| share.counted.contains(o))
                        .map(|(_, &x)| x);
                    b.release.relate(Relation::sum(y, parts));
                    shows.push(base);
                }
                None => {
                    let r = b.respondents(&table.group_by, &cell.group);
                    b.release.relate(Relation::at_most(y, r));
                }
            }
            displays.push(Display {
                place: Place::Indicator(t, c),
                shows,
            });
        }
    }
    // The report's respondents are published.
    let everyone = b.respondents(&[], &[]);
    if let Some(q) = b.release.quantities.get_mut(everyone) {
        q.value = published.respondents as f64;
        q.shown = Shown::Value;
    }
    let mut described = Described {
        release: b.release,
        displays,
        rules: facts.rules,
    };
    described.mark(truth, published);
    Ok(described)
}

/// The respondents of a coarser group who did not answer `variable`: 0 and published
/// as such when the variable's question is required and nobody lacks it.
fn missing_respondents(
    b: &mut Builder<'_>,
    plan: &[String],
    variable: &str,
    level: usize,
    coarser: &[String],
    coarse_group: &[String],
) -> usize {
    let key = (plan.to_vec(), variable.to_owned(), coarse_group.to_vec());
    if let Some(&i) = b.missing.get(&key) {
        return i;
    }
    let fine_groups: Vec<Vec<String>> = b
        .facts
        .respondents
        .keys()
        .filter(|(p, g)| {
            p == plan && {
                let mut rest = g.clone();
                if level < rest.len() {
                    rest.remove(level);
                }
                rest == coarse_group
            }
        })
        .map(|(_, g)| g.clone())
        .collect();
    let parts: Vec<usize> = fine_groups.iter().map(|g| b.respondents(plan, g)).collect();
    let total = b.respondents(coarser, coarse_group);
    let value = |b: &Builder<'_>, i: usize| b.release.quantities.get(i).map_or(0.0, |q| q.value);
    let rest = value(b, total) - parts.iter().map(|&i| value(b, i)).sum::<f64>();
    let title = format!("{} without {variable}", table_name("respondents", coarser));
    let m = b.quantity(name(&title, coarse_group, "n"), rest);
    if b.facts.required.contains(variable)
        && rest.abs() < 0.5
        && let Some(q) = b.release.quantities.get_mut(m)
    {
        q.shown = Shown::Value;
    }
    b.release
        .relate(Relation::sum(total, parts.into_iter().chain([m])));
    b.missing.insert(key, m);
    m
}

impl Described {
    /// Marks what `published` shows: shown cells' quantities are values, notes give
    /// bounds, hidden cells are to be protected.
    fn mark(&mut self, truth: &SituationReport, published: &SituationReport) {
        // (shown, reason, base of the cell, whether the rules hide it for its own sake)
        let rules = self.rules;
        let sensitive = |n: u64, n_eff: f64, count: Option<u64>| {
            n < rules.min_base
                || n_eff < rules.min_effective_base
                || count.is_some_and(|c| c >= 1 && c <= rules.max_hidden_count)
        };
        let facts: Vec<(bool, Option<SuppressionReason>, f64, bool)> = self
            .displays
            .iter()
            .map(|d| {
                let cell = d.place.shown_in(published);
                let e = d.place.base_in(truth);
                (
                    cell.is_some_and(|(shown, _)| shown),
                    cell.and_then(|(_, reason)| reason),
                    e.map_or(0.0, |(n, _, _)| n as f64),
                    e.is_some_and(|(n, n_eff, count)| sensitive(n, n_eff, count)),
                )
            })
            .collect();
        let quantities = &mut self.release.quantities;
        let mut set = |i: usize, shown: Shown| {
            if let Some(q) = quantities.get_mut(i) {
                q.shown = match (q.shown, shown) {
                    (Shown::Value, _) | (_, Shown::Value) => Shown::Value,
                    (Shown::Bounds { .. }, _) => q.shown,
                    (Shown::Nothing, other) => other,
                };
            }
        };
        for (display, &(shown, reason, _, _)) in self.displays.iter().zip(&facts) {
            let (count, base) = (
                display.shows.first().copied(),
                display.shows.get(1).copied(),
            );
            if shown || reason == Some(SuppressionReason::NoRespondents) {
                for &i in &display.shows {
                    set(i, Shown::Value);
                }
                continue;
            }
            match reason {
                Some(SuppressionReason::SmallBase { min }) => {
                    if let Some(base) = base {
                        set(
                            base,
                            Shown::Bounds {
                                low: 1.0,
                                high: min.saturating_sub(1) as f64,
                            },
                        );
                    }
                }
                Some(SuppressionReason::SmallCount { max }) => {
                    if let Some(count) = count {
                        set(
                            count,
                            Shown::Bounds {
                                low: 1.0,
                                high: max as f64,
                            },
                        );
                    }
                }
                _ => {}
            }
        }
        for (display, &(shown, reason, base, sensitive)) in self.displays.iter().zip(&facts) {
            let hidden = sensitive && !shown && reason != Some(SuppressionReason::NoRespondents);
            if let (true, Some(&count)) = (hidden, display.shows.first())
                && let Some(q) = self.release.quantities.get_mut(count)
                && q.shown != Shown::Value
            {
                q.protect = Some(base);
            }
        }
    }

    /// The published cells to hide so that quantity `target` is no longer worked out.
    ///
    /// In a relation whose other terms are all known, the shown quantity whose cells
    /// cost least to hide (fewest indicator cells, then fewest cells, then smallest
    /// value). When no relation of the
    /// target has a shown quantity, the search goes on through its hidden neighbours'
    /// relations, nearest first: a sum of hidden cells can be pinned down by their rows.
    fn cut(&self, target: usize, known: &[bool], shown: &HashSet<usize>) -> Vec<usize> {
        let value = |q: usize| self.release.quantities.get(q).map_or(0.0, |x| x.value);
        let mut showing: HashMap<usize, Vec<usize>> = HashMap::new();
        for (d, display) in self.displays.iter().enumerate() {
            if shown.contains(&d) {
                for &q in &display.shows {
                    showing.entry(q).or_default().push(d);
                }
            }
        }
        let mut frontier = vec![target];
        let mut seen: HashSet<usize> = HashSet::from([target]);
        for _depth in 0..6 {
            let mut best: Option<((usize, usize, f64), Vec<usize>)> = None;
            let mut next = Vec::new();
            for determining in [true, false] {
                for &at in &frontier {
                    for relation in self.release.relations_of(at) {
                        let others: Vec<usize> = relation
                            .terms
                            .iter()
                            .map(|&(i, _)| i)
                            .filter(|&i| i != at)
                            .collect();
                        let gives_away = relation.sense == Sense::Equal
                            && others
                                .iter()
                                .all(|&i| known.get(i).copied().unwrap_or(false));
                        if determining && !gives_away {
                            continue;
                        }
                        for q in others {
                            match showing.get(&q) {
                                Some(cells) => {
                                    // Indicators are the headline numbers: hide
                                    // a question's cell rather than one of them.
                                    let indicators = cells
                                        .iter()
                                        .filter(|&&d| {
                                            self.displays.get(d).is_some_and(|d| {
                                                matches!(d.place, Place::Indicator(..))
                                            })
                                        })
                                        .count();
                                    let cost = (indicators, cells.len(), value(q));
                                    if best.as_ref().is_none_or(|(b, _)| cost < *b) {
                                        best = Some((cost, cells.clone()));
                                    }
                                }
                                None => {
                                    if seen.insert(q) {
                                        next.push(q);
                                    }
                                }
                            }
                        }
                    }
                }
                if let Some((_, cells)) = best {
                    return cells;
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        Vec::new()
    }
}

/// Why a report cannot be protected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtectError {
    /// The release could not be described.
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// The audit could not run.
    #[error(transparent)]
    Audit(#[from] AuditError),
}

/// Suppresses `published` (the report after per-table suppression) further until the
/// audit of the whole release passes, then gives every hidden small count and every
/// complementary cell the one reason [`SuppressionReason::Protected`], so that a note
/// does not tell a small count from its complement.
///
/// # Algorithm
/// Describe the release, audit it, and for every cell that is not protected hide the
/// cheapest shown quantity of a relation that gives it away ([`Described`]; a "no
/// respondents" note shows a 0 and may be hidden as well, e.g. the options of a small
/// group whose every answer is "vet ej"); repeat
/// until the audit passes or nothing more can be hidden. Each round hides at least
/// one more cell, so the loop ends.
///
/// # Errors
/// [`ProtectError`] when the release cannot be described or audited.
pub fn protect(
    truth: &SituationReport,
    mut published: SituationReport,
    facts: &ReleaseFacts,
    protection: &Protection,
) -> Result<(SituationReport, AuditReport), ProtectError> {
    let merge = |reason: &mut Option<SuppressionReason>| {
        if matches!(
            reason,
            Some(SuppressionReason::SmallCount { .. } | SuppressionReason::Complementary)
        ) {
            *reason = Some(SuppressionReason::Protected);
        }
    };
    for cell in published.tables.iter_mut().flat_map(|t| &mut t.cells) {
        merge(&mut cell.suppressed);
    }
    for table in published
        .indicators
        .iter_mut()
        .filter(|t| t.measure == Measure::Share)
    {
        for cell in &mut table.cells {
            merge(&mut cell.suppressed);
        }
    }
    let last = loop {
        let described = describe(truth, &published, facts)?;
        let report = audit(&described.release, protection)?;
        if report.passed() {
            break report;
        }
        let known = described.release.determined();
        // A "no respondents" note publishes a 0 as surely as a shown cell: it
        // can be hidden too (a group whose every answer is "vet ej" says so with
        // notes on its options).
        let publishes = |estimate: bool, reason: Option<SuppressionReason>| {
            estimate || reason == Some(SuppressionReason::NoRespondents)
        };
        let shown: HashSet<usize> = described
            .displays
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.place
                    .shown_in(&published)
                    .is_some_and(|(estimate, reason)| publishes(estimate, reason))
            })
            .map(|(d, _)| d)
            .collect();
        let mut hide: HashSet<usize> = HashSet::new();
        for disclosure in &report.disclosures {
            let cut = described.cut(disclosure.index, &known, &shown);
            hide.extend(cut);
        }
        if hide.is_empty() {
            break report;
        }
        for d in hide {
            match described.displays.get(d).map(|d| d.place) {
                Some(Place::Table(t, c)) => {
                    if let Some(cell) = published.tables.get_mut(t).and_then(|t| t.cells.get_mut(c))
                    {
                        cell.estimate = None;
                        cell.uncertain = false;
                        cell.suppressed = Some(SuppressionReason::Protected);
                    }
                }
                Some(Place::Indicator(t, c)) => {
                    if let Some(cell) = published
                        .indicators
                        .get_mut(t)
                        .and_then(|t| t.cells.get_mut(c))
                    {
                        cell.estimate = None;
                        cell.uncertain = false;
                        cell.suppressed = Some(SuppressionReason::Protected);
                    }
                }
                None => {}
            }
        }
    };
    Ok((published, last))
}
