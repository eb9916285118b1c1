//! Change between two rounds: Newcombe's interval, a two-proportion test and a plain flag.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::StatsError;
use super::interval::{Interval, IntervalMethod, critical_value, proportion_interval};

/// A share as it enters a comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// The share, in [0, 1].
    pub share: f64,
    /// Its (effective) base.
    pub n: f64,
}

/// What a change means in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendFlag {
    /// The interval of the difference lies above zero.
    SignificantIncrease,
    /// The interval of the difference lies below zero.
    SignificantDecrease,
    /// The interval includes zero.
    NoSignificantChange,
}

impl TrendFlag {
    /// The flag as a phrase.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::SignificantIncrease => "significant increase",
            Self::SignificantDecrease => "significant decrease",
            Self::NoSignificantChange => "no significant change",
        }
    }

    /// The reading of an interval of a difference: significant where it excludes zero.
    pub(crate) fn of(interval: Interval) -> Self {
        if interval.low > 0.0 {
            Self::SignificantIncrease
        } else if interval.high < 0.0 {
            Self::SignificantDecrease
        } else {
            Self::NoSignificantChange
        }
    }
}

/// The change from an earlier to a later share.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Later share minus earlier share.
    pub difference: f64,
    /// Newcombe (hybrid Wilson score) interval of the difference.
    pub interval: Interval,
    /// Two-sided p-value of the Agresti–Caffo two-proportion test (statsmodels' default).
    pub p_value: f64,
    /// The plain-language reading of `interval`.
    pub flag: TrendFlag,
}

/// Newcombe's hybrid score interval for `a.share − b.share` (Newcombe 1998, method 10;
/// statsmodels `confint_proportions_2indep(method="newcomb")`).
///
/// # Algorithm
/// With Wilson limits `(l, u)` of each share and difference `d`:
/// `[d − √((p_a − l_a)² + (u_b − p_b)²), d + √((u_a − p_a)² + (p_b − l_b)²)]`.
///
/// # Errors
/// As [`proportion_interval`].
pub fn newcombe_interval(
    a: Proportion,
    b: Proportion,
    confidence: f64,
) -> Result<Interval, StatsError> {
    let wilson =
        |p: Proportion| proportion_interval(p.share * p.n, p.n, IntervalMethod::Wilson, confidence);
    let (ia, ib) = (wilson(a)?, wilson(b)?);
    let d = a.share - b.share;
    Ok(Interval {
        low: d - ((a.share - ia.low).powi(2) + (ib.high - b.share).powi(2)).sqrt(),
        high: d + ((ia.high - a.share).powi(2) + (b.share - ib.low).powi(2)).sqrt(),
    })
}

/// The Agresti–Caffo test of `a.share = b.share`: one success and one failure are added
/// to each sample (statsmodels `test_proportions_2indep` default). Returns `(z, p)`.
///
/// # Errors
/// [`StatsError::InvalidProportion`] for a base that is not positive.
pub fn two_proportion_test(a: Proportion, b: Proportion) -> Result<(f64, f64), StatsError> {
    for p in [a, b] {
        if !(p.n > 0.0 && (0.0..=1.0).contains(&p.share)) {
            return Err(StatsError::InvalidProportion {
                count: p.share * p.n,
                n: p.n,
            });
        }
    }
    let adjusted = |p: Proportion| ((p.share * p.n + 1.0) / (p.n + 2.0), p.n + 2.0);
    let ((pa, na), (pb, nb)) = (adjusted(a), adjusted(b));
    let se = (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    let z = (pa - pb) / se;
    Ok((z, 2.0 * Normal::standard().sf(z.abs())))
}

/// The change from `earlier` to `later` with interval, p-value and flag.
///
/// # Errors
/// As [`newcombe_interval`].
pub fn compare(
    earlier: Proportion,
    later: Proportion,
    confidence: f64,
) -> Result<Change, StatsError> {
    critical_value(confidence)?;
    let interval = newcombe_interval(later, earlier, confidence)?;
    let (_, p_value) = two_proportion_test(later, earlier)?;
    let flag = TrendFlag::of(interval);
    Ok(Change {
        difference: later.share - earlier.share,
        interval,
        p_value,
        flag,
    })
}
