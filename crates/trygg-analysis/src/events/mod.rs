//! Händelser: the statistics of the weekly EST picture.
//!
//! - [`mann_kendall`]: the Mann–Kendall trend test, as pymannkendall's `original_test`.
//! - [`poisson_exact_cond`]: this week's count against earlier weeks, as statsmodels'
//!   `test_poisson_2indep(method="exact-cond")`.
//! - [`emerging_hotspots`]: weekly Gi* on H3 cells and the ArcGIS Emerging Hot Spot
//!   patterns ([`Pattern`], rules on [`Shape`]).
//!
//! Everything is a pure function of its arguments.

mod emerging;
mod mann_kendall;
mod poisson;

pub use emerging::{BIN_ALPHA, EmergingCell, Pattern, Shape, Side, emerging_hotspots};
pub use mann_kendall::{MannKendall, TREND_ALPHA, Trend, mann_kendall};
pub use poisson::poisson_exact_cond;
