//! The Mann–Kendall trend test, as `pymannkendall.original_test` computes it.

use statrs::distribution::{ContinuousCDF, Normal};

/// The direction of a Mann–Kendall trend at the 5 % level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Rising, with p < 0.05.
    Increasing,
    /// Falling, with p < 0.05.
    Decreasing,
    /// Neither, or too short a series to tell.
    NoTrend,
}

/// The result of [`mann_kendall`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MannKendall {
    /// Kendall's score `S`: rises minus falls over every pair of points.
    pub s: f64,
    /// The variance of `S` under no trend, corrected for ties.
    pub var_s: f64,
    /// The continuity-corrected z-score.
    pub z: f64,
    /// The two-sided normal p-value.
    pub p: f64,
    /// The direction, when `p < 0.05`.
    pub trend: Trend,
}

/// The significance level of [`Trend`].
pub const TREND_ALPHA: f64 = 0.05;

/// The Mann–Kendall test for a monotone trend in a series, oldest value first.
///
/// # Algorithm
/// As `pymannkendall.original_test(x)` 1.4: `S = Σ_{i<j} sign(x_j − x_i)`;
/// `Var S = (n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)) / 18` over the groups of `t` equal
/// values; `z = (S − 1)/√Var S` for `S > 0`, `(S + 1)/√Var S` for `S < 0`, else 0;
/// `p = 2(1 − Φ(|z|))`. Values that are not finite are left out, as pymannkendall's
/// `skip` does with NaN.
///
/// ```
/// use trygg_analysis::events::{Trend, mann_kendall};
///
/// let rising = mann_kendall(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
/// assert_eq!(rising.s, 21.0);
/// assert_eq!(rising.trend, Trend::Increasing);
/// ```
pub fn mann_kendall(series: &[f64]) -> MannKendall {
    let x: Vec<f64> = series.iter().copied().filter(|v| v.is_finite()).collect();
    let n = x.len();
    let mut s = 0.0;
    for (i, &earlier) in x.iter().enumerate() {
        for &later in x.iter().skip(i + 1) {
            s += sign(later - earlier);
        }
    }
    let var_s = variance_of_score(&x);
    let z = if s > 0.0 {
        (s - 1.0) / var_s.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / var_s.sqrt()
    } else {
        0.0
    };
    let p = if n < 2 {
        1.0
    } else {
        2.0 * Normal::standard().sf(z.abs())
    };
    let trend = match (p < TREND_ALPHA, z) {
        (true, z) if z > 0.0 => Trend::Increasing,
        (true, z) if z < 0.0 => Trend::Decreasing,
        _ => Trend::NoTrend,
    };
    MannKendall {
        s,
        var_s,
        z,
        p,
        trend,
    }
}

fn sign(d: f64) -> f64 {
    if d > 0.0 {
        1.0
    } else if d < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// `Var S` with the tie correction over groups of exactly equal values.
fn variance_of_score(x: &[f64]) -> f64 {
    let term = |t: f64| t * (t - 1.0) * (2.0 * t + 5.0);
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let ties: f64 = sorted
        .chunk_by(|a, b| a == b)
        .map(|group| term(group.len() as f64))
        .sum();
    (term(x.len() as f64) - ties) / 18.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_series_has_no_trend_and_p_one() {
        let flat = mann_kendall(&[2.0; 10]);
        assert_eq!((flat.s, flat.var_s, flat.z, flat.p), (0.0, 0.0, 0.0, 1.0));
        assert_eq!(flat.trend, Trend::NoTrend);
    }

    #[test]
    fn ties_lower_the_variance_of_the_score() {
        let distinct = mann_kendall(&[1.0, 2.0, 3.0, 4.0]);
        let tied = mann_kendall(&[1.0, 2.0, 2.0, 4.0]);
        assert_eq!(distinct.var_s, 4.0 * 3.0 * 13.0 / 18.0);
        assert_eq!(tied.var_s, (4.0 * 3.0 * 13.0 - 2.0 * 9.0) / 18.0);
    }

    #[test]
    fn a_falling_series_is_decreasing() {
        let series: Vec<f64> = (0..12).map(|i| 20.0 - f64::from(i)).collect();
        assert_eq!(mann_kendall(&series).trend, Trend::Decreasing);
    }
}
