//! Confidence intervals for a proportion, and Kish's effective sample size.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Beta, ContinuousCDF, Normal};

use super::StatsError;

/// How a confidence interval for a proportion is computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Wilson score interval (statsmodels `wilson`), the default: good coverage even for small n and shares near 0 or 1.
    #[default]
    Wilson,
    /// Clopper–Pearson "exact" interval from beta quantiles (statsmodels `beta`): conservative.
    ClopperPearson,
    /// Agresti–Coull interval (statsmodels `agresti_coull`), clipped to [0, 1].
    AgrestiCoull,
}

/// A two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower limit.
    pub low: f64,
    /// Upper limit.
    pub high: f64,
}

/// The two-sided standard normal critical value for `confidence`, e.g. 1.959964 for 0.95.
///
/// # Errors
/// [`StatsError::InvalidConfidence`] unless `0 < confidence < 1`.
pub fn critical_value(confidence: f64) -> Result<f64, StatsError> {
    check_confidence(confidence)?;
    Ok(Normal::standard().inverse_cdf(1.0 - (1.0 - confidence) / 2.0))
}

fn check_confidence(confidence: f64) -> Result<(), StatsError> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(StatsError::InvalidConfidence(confidence))
    }
}

/// A confidence interval for the proportion `count / n`.
///
/// Follows statsmodels' `proportion_confint` formula for formula, so its results
/// serve as the oracle. `count` and `n` may be fractional: with weights, pass
/// `n = n_eff` and `count = share × n_eff` (see [`kish_effective_n`]).
///
/// # Parameters
/// - `count`: successes, `0 ≤ count ≤ n`.
/// - `n`: trials, `n > 0`.
/// - `method`: Wilson, Clopper–Pearson or Agresti–Coull.
/// - `confidence`: e.g. 0.95.
///
/// # Returns
/// An interval within [0, 1] that contains `count / n`.
///
/// # Errors
/// [`StatsError::InvalidProportion`] when `n ≤ 0`, `count < 0` or `count > n`, or a value
/// is not finite; [`StatsError::InvalidConfidence`] for a confidence outside (0, 1).
///
/// # Examples
/// ```
/// use trygg_analysis::stats::{IntervalMethod, proportion_interval};
/// let ci = proportion_interval(5.0, 10.0, IntervalMethod::Wilson, 0.95).unwrap();
/// assert!((ci.low - 0.2365930905).abs() < 1e-9);
/// ```
pub fn proportion_interval(
    count: f64,
    n: f64,
    method: IntervalMethod,
    confidence: f64,
) -> Result<Interval, StatsError> {
    let z = critical_value(confidence)?;
    interval_with_critical(count, n, method, confidence, z)
}

/// [`proportion_interval`] with the critical value `z` for `confidence` already
/// computed, so that tables of many cells compute the normal quantile once.
pub(crate) fn interval_with_critical(
    count: f64,
    n: f64,
    method: IntervalMethod,
    confidence: f64,
    z: f64,
) -> Result<Interval, StatsError> {
    if !(count.is_finite() && n.is_finite() && n > 0.0 && count >= 0.0 && count <= n) {
        return Err(StatsError::InvalidProportion { count, n });
    }
    let alpha = 1.0 - confidence;
    let p = count / n;
    let interval = match method {
        IntervalMethod::Wilson => {
            let z2 = z * z;
            let denominator = 1.0 + z2 / n;
            let centre = (p + z2 / (2.0 * n)) / denominator;
            let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
            Interval {
                low: centre - half,
                high: centre + half,
            }
        }
        IntervalMethod::AgrestiCoull => {
            let z2 = z * z;
            let n_tilde = n + z2;
            let p_tilde = (count + z2 / 2.0) / n_tilde;
            let half = z * (p_tilde * (1.0 - p_tilde) / n_tilde).sqrt();
            Interval {
                low: p_tilde - half,
                high: p_tilde + half,
            }
        }
        IntervalMethod::ClopperPearson => {
            // At the edges the beta quantile is undefined and the limit is 0 or 1 by definition.
            let low = if count > 0.0 {
                beta_quantile(count, n - count + 1.0, alpha / 2.0, n)?
            } else {
                0.0
            };
            let high = if count < n {
                beta_quantile(count + 1.0, n - count, 1.0 - alpha / 2.0, n)?
            } else {
                1.0
            };
            Interval { low, high }
        }
    };
    // Rounding can put a limit a few ulps past the share or outside [0, 1]; clamp so
    // that the documented promises hold exactly.
    Ok(Interval {
        low: interval.low.clamp(0.0, p),
        high: interval.high.clamp(p, 1.0),
    })
}

fn beta_quantile(a: f64, b: f64, probability: f64, n: f64) -> Result<f64, StatsError> {
    // Both shapes are positive for 0 < count < n, so this fails only on inputs already refused.
    Beta::new(a, b)
        .map(|beta| beta.inverse_cdf(probability))
        .map_err(|_| StatsError::InvalidProportion { count: a, n })
}

/// Kish's effective sample size `(Σw)² / Σw²`, given `Σw` and `Σw²`.
///
/// Equal weights give `n`; unequal weights give less, which widens intervals as the
/// weighting costs precision. Returns 0 for an empty sum.
pub fn kish_effective_n(sum_w: f64, sum_w2: f64) -> f64 {
    if sum_w2 > 0.0 {
        sum_w * sum_w / sum_w2
    } else {
        0.0
    }
}

/// Kish's design effect of weighting, `n Σw² / (Σw)² = 1 + CV²(w)`, for `weights`.
/// Returns 1 for no weights.
pub fn design_effect(weights: &[f64]) -> f64 {
    let (sum, sum2) = weights
        .iter()
        .fold((0.0, 0.0), |(s, s2), w| (s + w, s2 + w * w));
    if sum > 0.0 {
        weights.len() as f64 * sum2 / (sum * sum)
    } else {
        1.0
    }
}
