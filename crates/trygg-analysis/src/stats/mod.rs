//! Survey statistics for the lägesbild: proportions, intervals, weighting, suppression and trends.
//!
//! The pieces, in the order a report uses them:
//! - [`Dataset`] lays out answers by question (from domain [`Response`](trygg_domain::Response)s
//!   or from plain columns), optionally with weights.
//! - [`rake`] computes weights from population margins (IPF), with trimming and the design effect.
//! - [`estimate`], [`breakdown`] and [`breakdown_all`] give the share of every option with a
//!   [`proportion_interval`] (Wilson by default), overall and by background variables; "vet ej"
//!   is outside the base by default and reported separately.
//! - [`indicator`] computes the survey's headline indicators.
//! - [`suppress`] and [`suppress_tables`] hide cells that could identify someone, saying why.
//! - [`compare`] measures change between rounds with Newcombe's interval and a p-value.
//! - [`difference_in_differences`] compares a focus area's change with the rest of the
//!   municipality's, for the effect follow-up of a promise.
//! - [`SituationReport`] holds all of it, serialisable to JSON.
//!
//! # Examples
//! ```
//! use trygg_analysis::stats::{Column, Dataset, EstimateOptions, OptionInfo, Values, estimate};
//! let column = Column {
//!     key: "evening_safety".into(),
//!     options: vec![OptionInfo::new("trygg"), OptionInfo::new("otrygg"), OptionInfo::dont_know("vet_ej")],
//!     background: None,
//!     values: Values::Single(vec![0, 1, 1, 2]),
//! };
//! let dataset = Dataset::new(vec![column]).unwrap();
//! let table = estimate(&dataset, "evening_safety", &[], &EstimateOptions::default()).unwrap();
//! let unsafe_share = table.cells[1].estimate.unwrap().share;
//! assert!((unsafe_share - 2.0 / 3.0).abs() < 1e-12);
//! ```

mod data;
mod did;
mod disclosure;
mod indicator;
mod interval;
mod raking;
mod release;
mod report;
mod suppress;
mod table;
mod trend;

pub use data::{Column, Dataset, MAX_MULTIPLE_OPTIONS, MISSING, OptionInfo, Values};
pub use did::{
    DidEstimate, DidGroups, Group, area_groups, area_groups_of, difference_in_differences,
};
pub use disclosure::{
    AuditError, AuditReport, CellName, Disclosure, Protection, Quantity, Relation, Release, Sense,
    Shown, audit,
};
pub use indicator::{IndicatorCell, IndicatorEstimate, IndicatorTable, Measure, indicator};
pub use interval::{
    Interval, IntervalMethod, critical_value, design_effect, kish_effective_n, proportion_interval,
};
pub use raking::{Margin, Raking, RakingOptions, RakingSummary, rake};
pub use release::{Described, ProtectError, ReleaseFacts, ShareIndicator, describe, protect};
pub use report::{ReportSettings, SituationReport, Trend};
pub use suppress::{CellFacts, SuppressionReason, SuppressionRules, suppress};
pub use table::{
    Cell, DontKnow, Estimate, EstimateOptions, MAX_BREAKDOWN, Table, breakdown, breakdown_all,
    estimate, linked_sets, suppress_tables,
};
pub use trend::{Change, Proportion, TrendFlag, compare, newcombe_interval, two_proportion_test};

/// Why a statistic cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// The data has no question with this key.
    #[error("the data has no question `{0}`")]
    UnknownQuestion(String),
    /// Answers do not fit their question.
    #[error("question `{question}`: {message}")]
    InvalidData {
        /// The question key.
        question: String,
        /// What is wrong.
        message: String,
    },
    /// A breakdown cannot be made.
    #[error("cannot break down: {0}")]
    InvalidBreakdown(String),
    /// Weights are unusable.
    #[error("invalid weights: {0}")]
    InvalidWeights(String),
    /// A count and base do not form a proportion.
    #[error("{count} out of {n} is not a proportion")]
    InvalidProportion {
        /// Successes.
        count: f64,
        /// Trials.
        n: f64,
    },
    /// A confidence level outside (0, 1).
    #[error("confidence level {0} must lie strictly between 0 and 1")]
    InvalidConfidence(f64),
    /// Raking cannot meet the margins.
    #[error("raking failed: {0}")]
    Raking(String),
}
