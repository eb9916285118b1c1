//! The disclosure audit of a release: everything one lägesbild publishes together.
//!
//! The public page, its CSV and JSON and the staff exports all render the same
//! [`Lagesbild`] value (see [`crate::tables::flat_tables`]): for every shown cell its
//! count and base `n`, for every hidden cell its note, for every share indicator its
//! count and base, and the number of respondents; [`crate::public::redact`] removes
//! only map detail. [`audit_release`] describes all of that as linear relations and
//! checks, with two linear programmes per hidden cell, that no cell the rules hide for
//! its own sake (counts 1 to 4, groups under 30) can be narrowed down to less than the
//! protection margin (counts: the range includes 0 or reaches 5 either side; shares:
//! 5 percentage points either side). The publish action calls it and refuses a
//! release that fails, naming the cell.
//!
//! Not covered: means (problem indexes and number questions are not counts), the
//! earlier rounds' indicators in `series` (each round is its own release) and the map.

use trygg_analysis::stats::{AuditReport, Disclosure};

use crate::load::{LagesbildError, Sources, backgrounds, plans};
use crate::model::Lagesbild;

/// Why a release may not be published.
#[derive(Debug, thiserror::Error)]
pub enum DisclosureFailure {
    /// Hidden cells can be worked out from what the release publishes.
    #[error("{}", sentences(.0))]
    Leaks(Vec<Disclosure>),
    /// The release could not be audited.
    #[error("the release cannot be audited: {0}")]
    Audit(#[from] LagesbildError),
}

fn sentences(disclosures: &[Disclosure]) -> String {
    let mut text: Vec<String> = disclosures
        .iter()
        .take(3)
        .map(Disclosure::sentence)
        .collect();
    if disclosures.len() > 3 {
        text.push(format!("and {} more cells", disclosures.len() - 3));
    }
    text.join("; ")
}

/// Audits the release `lagesbild` (built from `sources`, public or not: the tables
/// are the same) against the true values in `sources`.
///
/// # Errors
/// [`DisclosureFailure::Leaks`] naming every cell that can be worked out more closely
/// than the margin allows; [`DisclosureFailure::Audit`] when the audit cannot run.
pub fn audit_release(
    sources: &Sources,
    lagesbild: &Lagesbild,
) -> Result<AuditReport, DisclosureFailure> {
    let dataset = sources.release_dataset(&lagesbild.filters, lagesbild.weighted)?;
    let survey = sources.survey();
    let report = lagesbild
        .report
        .audit(survey, &dataset, &plans(&backgrounds(survey)))
        .map_err(LagesbildError::from)?;
    if report.passed() {
        Ok(report)
    } else {
        Err(DisclosureFailure::Leaks(report.disclosures))
    }
}
