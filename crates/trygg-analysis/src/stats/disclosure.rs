//! The disclosure audit of a release: can a hidden cell be worked out from what is
//! published with it?
//!
//! A release is described as linear relations between quantities: every published
//! cell is a known value, every hidden cell an unknown of at least 0 (integers
//! relaxed to reals), and relations such as "the options of a group add up to its
//! base" or "the groups add up to the overall value" tie them together. For every
//! hidden cell to protect the audit solves linear programmes for the smallest and the
//! largest value the cell can take consistent with everything published, as τ-ARGUS
//! and sdcTable audit their tables (the largest only when the smallest is not 0). The
//! programmes are solved with `good_lp` and the pure-Rust `microlp` solver.
//!
//! # The protection rule
//! A hidden cell with true value `v` and feasible interval `[lo, hi]` (rounded inwards
//! to whole counts) is safe when
//! - `lo == 0`: nobody can rule out that the cell is empty, or
//! - `v − lo ≥ d` and `hi − v ≥ d`, where `d = max(count, share × n)` for the cell's
//!   true base `n`: the interval reaches at least 5 counts and at least 5 percentage
//!   points of the base on both sides of the true value.
//!
//! Everything else is a [`Disclosure`].

use std::fmt;

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp,
    variable,
};
use serde::{Deserialize, Serialize};

use crate::union_find::find;

/// Where a quantity sits in the published tables, for a person to find.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellName {
    /// The table: a question or indicator with its breakdown, e.g. `q7 by area × gender`.
    pub table: String,
    /// The row: the group, e.g. `nyby × kvinna`, or `alla`.
    pub row: String,
    /// The column: the option or measure, e.g. `annat` or `n`.
    pub column: String,
}

impl fmt::Display for CellName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} × '{}' in {}", self.row, self.column, self.table)
    }
}

/// What the release says about a quantity on its own.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Shown {
    /// Published as a value.
    Value,
    /// Not published, but bounds are (a note such as "counts of 1 to 4 are hidden").
    Bounds {
        /// Smallest possible value.
        low: f64,
        /// Largest possible value.
        high: f64,
    },
    /// Nothing is published about it.
    Nothing,
}

/// One quantity of the release: a published cell, a hidden cell, or a total that ties
/// them together (a base, a group's respondents, the respondents missing a variable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Where it is.
    pub name: CellName,
    /// Its true value.
    pub value: f64,
    /// What is published about it.
    pub shown: Shown,
    /// For a hidden cell the audit must protect: the base its share is a share of.
    pub protect: Option<f64>,
}

/// Whether a relation is an equation or an inequality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sense {
    /// `Σ coefficient × quantity = 0`.
    Equal,
    /// `Σ coefficient × quantity ≤ 0`.
    AtMost,
}

/// A linear relation between quantities of a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Quantity index and coefficient.
    pub terms: Vec<(usize, f64)>,
    /// Equation or inequality.
    pub sense: Sense,
}

impl Relation {
    /// `total = Σ parts`.
    pub fn sum(total: usize, parts: impl IntoIterator<Item = usize>) -> Self {
        let mut terms = vec![(total, -1.0)];
        terms.extend(parts.into_iter().map(|p| (p, 1.0)));
        Self {
            terms,
            sense: Sense::Equal,
        }
    }

    /// `a = b`.
    pub fn equal(a: usize, b: usize) -> Self {
        Self {
            terms: vec![(a, 1.0), (b, -1.0)],
            sense: Sense::Equal,
        }
    }

    /// `small ≤ large`.
    pub fn at_most(small: usize, large: usize) -> Self {
        Self {
            terms: vec![(small, 1.0), (large, -1.0)],
            sense: Sense::AtMost,
        }
    }

    /// How far the true values are from meeting the relation (0 when they do).
    pub fn residual(&self, quantities: &[Quantity]) -> f64 {
        let sum: f64 = self
            .terms
            .iter()
            .map(|&(i, c)| c * quantities.get(i).map_or(0.0, |q| q.value))
            .sum();
        match self.sense {
            Sense::Equal => sum.abs(),
            Sense::AtMost => sum.max(0.0),
        }
    }
}

/// A release as linear relations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Release {
    /// Every quantity.
    pub quantities: Vec<Quantity>,
    /// The relations between them.
    pub relations: Vec<Relation>,
}

impl Release {
    /// Adds a quantity and returns its index.
    pub fn add(&mut self, quantity: Quantity) -> usize {
        self.quantities.push(quantity);
        self.quantities.len() - 1
    }

    /// Adds a relation.
    pub fn relate(&mut self, relation: Relation) {
        self.relations.push(relation);
    }

    /// Which quantities anyone can compute exactly: the published values and, again
    /// and again, the one unknown of an equation whose other terms are known.
    pub fn determined(&self) -> Vec<bool> {
        let mut known: Vec<bool> = self
            .quantities
            .iter()
            .map(|q| match q.shown {
                Shown::Value => true,
                Shown::Bounds { low, high } => (high - low).abs() < 1e-9,
                Shown::Nothing => false,
            })
            .collect();
        let mut by_quantity: Vec<Vec<usize>> = vec![Vec::new(); self.quantities.len()];
        for (r, relation) in self.relations.iter().enumerate() {
            for &(i, _) in &relation.terms {
                if let Some(list) = by_quantity.get_mut(i) {
                    list.push(r);
                }
            }
        }
        let mut queue: Vec<usize> = (0..self.relations.len()).collect();
        while let Some(r) = queue.pop() {
            let Some(relation) = self.relations.get(r) else {
                continue;
            };
            if relation.sense != Sense::Equal {
                continue;
            }
            let mut unknown = relation
                .terms
                .iter()
                .filter(|(i, c)| c.abs() > 0.0 && !known.get(*i).copied().unwrap_or(true));
            let (Some(&(only, _)), None) = (unknown.next(), unknown.next()) else {
                continue;
            };
            if let Some(k) = known.get_mut(only) {
                *k = true;
            }
            if let Some(list) = by_quantity.get(only) {
                queue.extend(list.iter().copied());
            }
        }
        known
    }

    /// The relations that mention quantity `i`.
    pub fn relations_of(&self, i: usize) -> impl Iterator<Item = &Relation> {
        self.relations
            .iter()
            .filter(move |r| r.terms.iter().any(|&(j, _)| j == i))
    }
}

/// The protection margin: how far a hidden cell's feasible interval must reach.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Protection {
    /// Counts on each side of the true value (5).
    pub count: f64,
    /// Share of the base on each side of the true value (0.05: 5 percentage points).
    pub share: f64,
}

impl Default for Protection {
    fn default() -> Self {
        Self {
            count: 5.0,
            share: 0.05,
        }
    }
}

impl Protection {
    /// The distance a cell of base `n` needs on each side.
    pub fn distance(&self, n: f64) -> f64 {
        self.count.max(self.share * n)
    }

    /// Whether `[low, high]` protects the true value `value` of a cell of base `n`.
    pub fn protects(&self, value: f64, n: f64, low: f64, high: Option<f64>) -> bool {
        let d = self.distance(n);
        low <= 0.0 || (value - low >= d && high.is_none_or(|h| h - value >= d))
    }
}

/// A hidden cell that can be worked out more closely than the margin allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disclosure {
    /// The quantity's index in the release.
    pub index: usize,
    /// Where it is.
    pub cell: CellName,
    /// Its true value.
    pub value: f64,
    /// The smallest value consistent with the release.
    pub low: f64,
    /// The largest, `None` when unbounded.
    pub high: Option<f64>,
    /// The distance it needed on each side (or a smallest value of 0).
    pub needed: f64,
}

impl Disclosure {
    /// A sentence for people, e.g. "Cell nyby × kvinna × 'annat' in q7 by area × gender
    /// can be worked out as 1 to 1 from the published tables".
    pub fn sentence(&self) -> String {
        let high = self
            .high
            .map_or_else(|| "any number".to_owned(), |h| format!("{h}"));
        format!(
            "Cell {} can be worked out as {} to {high} from the published tables \
             (it must be possibly 0, or reach {} either side of its value)",
            self.cell,
            self.low,
            // One decimal at most: 6.6, not 6.6000000000000005.
            (self.needed * 10.0).round() / 10.0
        )
    }
}

impl fmt::Display for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence())
    }
}

/// What the audit found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditReport {
    /// Hidden cells checked.
    pub checked: usize,
    /// Linear programmes solved.
    pub programmes: usize,
    /// The cells that are not protected.
    pub disclosures: Vec<Disclosure>,
}

impl AuditReport {
    /// Whether every hidden cell is protected.
    pub fn passed(&self) -> bool {
        self.disclosures.is_empty()
    }
}

/// Why the audit could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AuditError {
    /// The true values break a relation: the release was described wrongly.
    #[error("the release's own values break a relation (off by {residual}) of {cell}")]
    Inconsistent {
        /// A quantity in the broken relation.
        cell: String,
        /// By how much.
        residual: f64,
    },
    /// The solver failed.
    #[error("the linear programme for {cell} failed: {message}")]
    Solver {
        /// The cell.
        cell: String,
        /// The solver's message.
        message: String,
    },
}

/// Audits every protected hidden quantity of `release`.
///
/// # Algorithm
/// Published values are fixed; every equation with one unknown left fixes that
/// unknown too ([`Release::determined`]). The remaining unknowns fall into
/// connected parts (quantities sharing a relation); for each protected cell a
/// minimisation and a maximisation over its part, with the fixed quantities as
/// constants, give its feasible interval, rounded inwards to whole numbers. Cells
/// that are determined have the interval of their value.
///
/// # Errors
/// [`AuditError::Inconsistent`] when the true values break a relation;
/// [`AuditError::Solver`] when a programme cannot be solved.
pub fn audit(release: &Release, protection: &Protection) -> Result<AuditReport, AuditError> {
    for relation in &release.relations {
        let residual = relation.residual(&release.quantities);
        if residual > 1e-6 {
            let cell = relation
                .terms
                .first()
                .and_then(|&(i, _)| release.quantities.get(i))
                .map_or_else(String::new, |q| q.name.to_string());
            return Err(AuditError::Inconsistent { cell, residual });
        }
    }
    let known = release.determined();
    let parts = Parts::of(release, &known);
    let mut report = AuditReport::default();
    for (index, quantity) in release.quantities.iter().enumerate() {
        let Some(n) = quantity.protect else { continue };
        report.checked += 1;
        let (low, high) = if known.get(index).copied().unwrap_or(true) {
            (quantity.value, Some(quantity.value))
        } else {
            let (low, high, solved) = parts.range(release, &known, index)?;
            report.programmes += solved;
            (low, high)
        };
        let low = (low - 1e-6).ceil().max(0.0);
        let high = high.map(|h| (h + 1e-6).floor());
        if !protection.protects(quantity.value, n, low, high) {
            report.disclosures.push(Disclosure {
                index,
                cell: quantity.name.clone(),
                value: quantity.value,
                low,
                high,
                needed: protection.distance(n),
            });
        }
    }
    Ok(report)
}

/// The unknowns grouped into parts that share no relation.
struct Parts {
    /// Part of each quantity (unknowns only).
    part: Vec<usize>,
    /// Relations per part.
    relations: Vec<Vec<usize>>,
    /// Unknowns per part.
    members: Vec<Vec<usize>>,
}

impl Parts {
    fn of(release: &Release, known: &[bool]) -> Self {
        let n = release.quantities.len();
        let mut parent: Vec<usize> = (0..n).collect();
        let unknown = |i: usize| !known.get(i).copied().unwrap_or(true);
        for relation in &release.relations {
            let mut members = relation
                .terms
                .iter()
                .map(|&(i, _)| i)
                .filter(|&i| unknown(i));
            if let Some(first) = members.next() {
                for other in members {
                    let (a, b) = (find(&mut parent, first), find(&mut parent, other));
                    if let Some(slot) = parent.get_mut(a) {
                        *slot = b;
                    }
                }
            }
        }
        let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
        let mut number = vec![usize::MAX; n];
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut part = vec![usize::MAX; n];
        for i in (0..n).filter(|&i| unknown(i)) {
            let root = roots.get(i).copied().unwrap_or(i);
            let id = match number.get(root).copied() {
                Some(id) if id != usize::MAX => id,
                _ => {
                    members.push(Vec::new());
                    let id = members.len() - 1;
                    if let Some(slot) = number.get_mut(root) {
                        *slot = id;
                    }
                    id
                }
            };
            if let Some(slot) = part.get_mut(i) {
                *slot = id;
            }
            if let Some(list) = members.get_mut(id) {
                list.push(i);
            }
        }
        let mut relations = vec![Vec::new(); members.len()];
        for (r, relation) in release.relations.iter().enumerate() {
            let id = relation
                .terms
                .iter()
                .find_map(|&(i, _)| part.get(i).copied().filter(|&p| p != usize::MAX));
            if let Some(list) = id.and_then(|id| relations.get_mut(id)) {
                list.push(r);
            }
        }
        Self {
            part,
            relations,
            members,
        }
    }

    /// The smallest and largest value of unknown `target` in its part.
    /// The smallest value first: when it is 0 the cell is protected whatever the
    /// largest, which is then not solved for (`None`, counted as unbounded).
    fn range(
        &self,
        release: &Release,
        known: &[bool],
        target: usize,
    ) -> Result<(f64, Option<f64>, usize), AuditError> {
        let low = self.solve(release, known, target, false)?.unwrap_or(0.0);
        if low < 0.5 {
            return Ok((low, None, 1));
        }
        let high = self.solve(release, known, target, true)?;
        Ok((low, high, 2))
    }

    fn solve(
        &self,
        release: &Release,
        known: &[bool],
        target: usize,
        maximise: bool,
    ) -> Result<Option<f64>, AuditError> {
        let name = || {
            release
                .quantities
                .get(target)
                .map_or_else(String::new, |q| q.name.to_string())
        };
        let id = self.part.get(target).copied().unwrap_or(usize::MAX);
        let (Some(members), Some(relations)) = (self.members.get(id), self.relations.get(id))
        else {
            return Ok(None);
        };
        let mut problem = ProblemVariables::new();
        let mut vars: Vec<Option<Variable>> = vec![None; release.quantities.len()];
        for &i in members {
            let mut definition = variable().min(0.0);
            if let Some(Shown::Bounds { low, high }) = release.quantities.get(i).map(|q| q.shown) {
                definition = variable().min(low.max(0.0)).max(high);
            }
            if let Some(slot) = vars.get_mut(i) {
                *slot = Some(problem.add(definition));
            }
        }
        let Some(Some(objective)) = vars.get(target).copied() else {
            return Ok(None);
        };
        let unbounded_guard = if maximise {
            // Every count is bounded by the published totals in practice; a
            // generous cap tells "unbounded" from a real maximum.
            Some(1e9)
        } else {
            None
        };
        let objective: Expression = objective.into();
        let mut model = if maximise {
            problem.maximise(objective.clone()).using(microlp)
        } else {
            problem.minimise(objective.clone()).using(microlp)
        };
        if let Some(cap) = unbounded_guard {
            model = model.with(objective.clone().leq(cap));
        }
        for relation in relations.iter().filter_map(|&r| release.relations.get(r)) {
            let mut expression = Expression::from(0.0);
            for &(i, c) in &relation.terms {
                match vars.get(i).copied().flatten() {
                    Some(v) if !known.get(i).copied().unwrap_or(true) => {
                        expression += c * v;
                    }
                    _ => {
                        expression += c * release.quantities.get(i).map_or(0.0, |q| q.value);
                    }
                }
            }
            model = match relation.sense {
                Sense::Equal => model.with(expression.eq(0.0)),
                Sense::AtMost => model.with(expression.leq(0.0)),
            };
        }
        let solution = match model.solve() {
            Ok(solution) => solution,
            Err(ResolutionError::Unbounded) if maximise => return Ok(None),
            Err(e) => {
                return Err(AuditError::Solver {
                    cell: name(),
                    message: e.to_string(),
                });
            }
        };
        let value = solution.eval(&objective);
        Ok(if maximise && value >= 1e9 - 1.0 {
            None
        } else {
            Some(value)
        })
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    fn cell(release: &mut Release, row: &str, column: &str, value: f64, shown: bool) -> usize {
        release.add(Quantity {
            name: CellName {
                table: "q".to_owned(),
                row: row.to_owned(),
                column: column.to_owned(),
            },
            value,
            shown: if shown { Shown::Value } else { Shown::Nothing },
            protect: (!shown).then_some(50.0),
        })
    }

    /// A 2 × 2 table with row and column totals, all published.
    fn two_by_two(hidden: &[(usize, usize)]) -> (Release, [[usize; 2]; 2]) {
        let values = [[10.0, 20.0], [15.0, 55.0]];
        let mut release = Release::default();
        let mut cells = [[0; 2]; 2];
        for (r, row) in values.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                let shown = !hidden.contains(&(r, c));
                if let Some(slot) = cells.get_mut(r).and_then(|row| row.get_mut(c)) {
                    *slot = cell(&mut release, &format!("r{r}"), &format!("c{c}"), v, shown);
                }
            }
        }
        let [[a, b], [c, d]] = cells;
        let rows = [
            cell(&mut release, "r0", "total", 30.0, true),
            cell(&mut release, "r1", "total", 70.0, true),
        ];
        let columns = [
            cell(&mut release, "alla", "c0", 25.0, true),
            cell(&mut release, "alla", "c1", 75.0, true),
        ];
        let [r0, r1] = rows;
        let [c0, c1] = columns;
        release.relate(Relation::sum(r0, [a, b]));
        release.relate(Relation::sum(r1, [c, d]));
        release.relate(Relation::sum(c0, [a, c]));
        release.relate(Relation::sum(c1, [b, d]));
        (release, cells)
    }

    #[test]
    fn a_lone_hidden_cell_is_worked_out_from_its_row_total() {
        let (release, [[a, _], _]) = two_by_two(&[(0, 0)]);
        let report = audit(&release, &Protection::default()).unwrap();
        assert_eq!(report.checked, 1);
        let found = report.disclosures.first().unwrap();
        assert_eq!(found.index, a);
        assert_eq!((found.low, found.high), (10.0, Some(10.0)));
        assert!(found.sentence().contains("r0 × 'c0' in q"), "{found}");
    }

    #[test]
    fn two_hidden_cells_of_one_row_are_still_recovered_through_their_columns() {
        // The set-by-set rule sees two hidden cells in the row and stops; the
        // columns' totals still give both away.
        let (release, _) = two_by_two(&[(0, 0), (0, 1)]);
        let report = audit(&release, &Protection::default()).unwrap();
        assert_eq!(report.disclosures.len(), 2);
    }

    #[test]
    fn four_hidden_cells_of_a_two_by_two_table_are_protected_when_the_range_reaches_zero() {
        let (release, _) = two_by_two(&[(0, 0), (0, 1), (1, 0), (1, 1)]);
        let report = audit(&release, &Protection::default()).unwrap();
        assert_eq!(report.checked, 4);
        assert_eq!(report.programmes, 4 + 2);
        assert!(report.passed(), "{:?}", report.disclosures);
    }

    #[test]
    fn a_range_that_excludes_zero_must_reach_the_margin_on_both_sides() {
        let rule = Protection::default();
        assert!(rule.protects(3.0, 50.0, 0.0, Some(3.0)));
        assert!(rule.protects(10.0, 50.0, 5.0, Some(15.0)));
        assert!(!rule.protects(10.0, 50.0, 6.0, Some(15.0)));
        assert!(!rule.protects(10.0, 50.0, 5.0, Some(14.0)));
        assert!(rule.protects(10.0, 50.0, 5.0, None));
        // Five percentage points of a base of 400 are 20 counts.
        assert!(!rule.protects(100.0, 400.0, 90.0, Some(110.0)));
        assert!(rule.protects(100.0, 400.0, 80.0, Some(120.0)));
    }

    #[test]
    fn published_bounds_narrow_the_range() {
        let mut release = Release::default();
        let total = cell(&mut release, "alla", "total", 10.0, true);
        let a = cell(&mut release, "r0", "c0", 2.0, false);
        let b = cell(&mut release, "r0", "c1", 8.0, false);
        if let Some(q) = release.quantities.get_mut(a) {
            q.shown = Shown::Bounds {
                low: 1.0,
                high: 4.0,
            };
        }
        release.relate(Relation::sum(total, [a, b]));
        let report = audit(&release, &Protection::default()).unwrap();
        let ranges: Vec<_> = report
            .disclosures
            .iter()
            .map(|d| (d.index, d.low, d.high))
            .collect();
        assert_eq!(ranges, vec![(a, 1.0, Some(4.0)), (b, 6.0, Some(9.0))]);
    }

    #[test]
    fn a_release_whose_values_break_a_relation_is_refused() {
        let (mut release, [[a, _], _]) = two_by_two(&[]);
        if let Some(q) = release.quantities.get_mut(a) {
            q.value = 4.0;
        }
        assert!(matches!(
            audit(&release, &Protection::default()),
            Err(AuditError::Inconsistent { .. })
        ));
    }
}
