//! Small-cell suppression so that published tables never identify anyone.

use serde::{Deserialize, Serialize};

/// Publication thresholds. The defaults follow NCHS practice (base and effective base
/// at least 30, 30–59 flagged) and common statistical-office rules (counts 1–4 never shown).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SuppressionRules {
    /// Smallest unweighted base n that may be published.
    pub min_base: u64,
    /// Smallest Kish effective base that may be published.
    pub min_effective_base: f64,
    /// Counts from 1 up to this value are never shown.
    pub max_hidden_count: u64,
    /// Published cells with a base below this are flagged as uncertain.
    pub flag_below: u64,
}

impl Default for SuppressionRules {
    fn default() -> Self {
        Self {
            min_base: 30,
            min_effective_base: 30.0,
            max_hidden_count: 4,
            flag_below: 60,
        }
    }
}

/// Why a cell is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum SuppressionReason {
    /// Nobody in the group answered, so there is nothing to estimate.
    NoRespondents,
    /// The unweighted base is below the minimum. The base itself is not given: with
    /// the base of the "vet ej" cell it would give the hidden "vet ej" count away.
    SmallBase {
        /// The minimum.
        min: u64,
    },
    /// The effective base after weighting is below the minimum.
    SmallEffectiveBase {
        /// The minimum.
        min: f64,
    },
    /// The count is small enough to point at individuals.
    SmallCount {
        /// The largest count never shown.
        max: u64,
    },
    /// Hidden so that another hidden cell cannot be worked out from the totals.
    Complementary,
    /// A small count or a cell hidden with one, published without saying which, since
    /// "counts of 1 to 4" would itself narrow the hidden value down (the release-wide
    /// suppression's note for both).
    Protected,
}

impl SuppressionReason {
    /// A sentence for tables and exports.
    pub fn describe(&self) -> String {
        match self {
            Self::NoRespondents => "no respondents in this group".to_owned(),
            Self::SmallBase { min } => format!("the base is below {min}"),
            Self::SmallEffectiveBase { min } => {
                format!("the effective base after weighting is below {min}")
            }
            Self::SmallCount { max } => format!("counts of 1 to {max} are never shown"),
            Self::Complementary => {
                "hidden so another hidden cell cannot be worked out from the totals".to_owned()
            }
            Self::Protected => {
                "a small count, or hidden so that one cannot be worked out from what is published"
                    .to_owned()
            }
        }
    }
}

/// What suppression needs to know about one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellFacts {
    /// Unweighted base; 0 when nobody answered.
    pub n: u64,
    /// Kish effective base.
    pub n_eff: f64,
    /// The unweighted count, for cells that publish one.
    pub count: Option<u64>,
}

/// Decides which cells to hide.
///
/// # Parameters
/// - `cells`: the facts of every cell of one or more related tables.
/// - `sets`: groups of cell indices whose sum is published or derivable (a row whose
///   counts add up to its base, a column whose groups add up to the overall value).
/// - `rules`: the thresholds.
///
/// # Returns
/// One entry per cell: `None` when the cell may be shown, otherwise why it is hidden.
///
/// # Algorithm
/// Primary suppression applies the rules cell by cell. Complementary suppression then
/// repeats until no set has exactly one hidden cell, hiding in such a set the visible
/// cell with the smallest count (ties: the first), since a lone hidden cell in a set
/// equals the published total minus the visible cells. Cells without respondents do
/// not count as hidden: their value, zero, is no secret. The loop ends because every
/// round hides at least one more cell.
pub fn suppress(
    cells: &[CellFacts],
    sets: &[Vec<usize>],
    rules: &SuppressionRules,
) -> Vec<Option<SuppressionReason>> {
    let mut reasons: Vec<Option<SuppressionReason>> = cells
        .iter()
        .map(|cell| {
            if cell.n == 0 {
                Some(SuppressionReason::NoRespondents)
            } else if cell.n < rules.min_base {
                Some(SuppressionReason::SmallBase {
                    min: rules.min_base,
                })
            } else if cell.n_eff < rules.min_effective_base {
                Some(SuppressionReason::SmallEffectiveBase {
                    min: rules.min_effective_base,
                })
            } else if cell
                .count
                .is_some_and(|c| c >= 1 && c <= rules.max_hidden_count)
            {
                Some(SuppressionReason::SmallCount {
                    max: rules.max_hidden_count,
                })
            } else {
                None
            }
        })
        .collect();
    let secret = |reason: &Option<SuppressionReason>| {
        reason.is_some_and(|r| r != SuppressionReason::NoRespondents)
    };
    loop {
        let mut changed = false;
        for set in sets {
            let hidden = set
                .iter()
                .filter(|&&i| reasons.get(i).is_some_and(secret))
                .count();
            if hidden != 1 {
                continue;
            }
            let size = |i: usize| cells.get(i).map_or(0, |c| c.count.unwrap_or(c.n));
            let complement = set
                .iter()
                .copied()
                .filter(|&i| reasons.get(i).is_some_and(Option::is_none))
                .min_by_key(|&i| (size(i), i));
            if let Some(slot) = complement.and_then(|i| reasons.get_mut(i)) {
                *slot = Some(SuppressionReason::Complementary);
                changed = true;
            }
        }
        if !changed {
            return reasons;
        }
    }
}
