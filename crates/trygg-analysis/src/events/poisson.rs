//! The exact conditional test of two Poisson rates, as statsmodels computes it.

use statrs::distribution::{Binomial, Discrete, DiscreteCDF};

/// Two-sided p-value that two Poisson counts come from the same rate.
///
/// `count1` events in `exposure1` (for example 1 week) against `count2` in `exposure2`
/// (for example the 4 weeks before). Under equal rates, given the total `n = count1 +
/// count2`, `count1` is binomial with `p = exposure1 / (exposure1 + exposure2)`; the
/// p-value is the probability of every outcome no more likely than the one seen.
///
/// # Algorithm
/// As statsmodels 0.14 `test_poisson_2indep(count1, exposure1, count2, exposure2,
/// method="exact-cond")`, which calls scipy's `binomtest` (the "minlike" two-sided
/// rule, with scipy's relative tolerance of 1e−7 for outcomes as likely as the observed
/// one). Both counts zero give 1: no events say nothing about a change.
///
/// # Panics
/// Never; an exposure that is not positive and finite gives NaN.
///
/// ```
/// use trygg_analysis::events::poisson_exact_cond;
///
/// // 12 events this week against 8 in the four weeks before: a clear rise.
/// assert!(poisson_exact_cond(12, 1.0, 8, 4.0) < 0.001);
/// assert_eq!(poisson_exact_cond(0, 1.0, 0, 4.0), 1.0);
/// ```
pub fn poisson_exact_cond(count1: u64, exposure1: f64, count2: u64, exposure2: f64) -> f64 {
    if !(exposure1 > 0.0 && exposure2 > 0.0 && exposure1.is_finite() && exposure2.is_finite()) {
        return f64::NAN;
    }
    let n = count1 + count2;
    if n == 0 {
        return 1.0;
    }
    let p = exposure1 / (exposure1 + exposure2);
    let Ok(binomial) = Binomial::new(p, n) else {
        return f64::NAN;
    };
    binomial_two_sided(&binomial, count1, n, p)
}

/// scipy's `binomtest(k, n, p).pvalue` for `alternative="two-sided"`.
fn binomial_two_sided(binomial: &Binomial, k: u64, n: u64, p: f64) -> f64 {
    let pmf = |x: i64| u64::try_from(x).map_or(0.0, |x| binomial.pmf(x));
    let cdf = |x: i64| u64::try_from(x).map_or(0.0, |x| binomial.cdf(x));
    let sf = |x: i64| u64::try_from(x).map_or(1.0, |x| binomial.sf(x));
    let (k, n) = (k as i64, n as i64);
    let bound = pmf(k) * (1.0 + 1e-7);
    let mean = p * n as f64;
    let pvalue = if k as f64 == mean {
        1.0
    } else if (k as f64) < mean {
        // The last outcome above the mode at least as likely as k (times 1 + 1e-7).
        let ix = binary_search(|x| -pmf(x), -bound, mean.ceil() as i64, n);
        let y = n - ix + i64::from(bound == pmf(ix));
        cdf(k) + sf(n - y)
    } else {
        // The last outcome below the mode no more likely than k.
        let ix = binary_search(pmf, bound, 0, mean.floor() as i64);
        cdf(ix) + sf(k - 1)
    };
    pvalue.min(1.0)
}

/// scipy's `_binary_search_for_binom_tst`: the `i` in `lo..=hi` with
/// `a(i) ≤ d < a(i + 1)`, where `a` rises over the range.
fn binary_search(a: impl Fn(i64) -> f64, d: f64, lo: i64, hi: i64) -> i64 {
    let (mut lo, mut hi) = (lo, hi);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let value = a(mid);
        if value < d {
            lo = mid + 1;
        } else if value > d {
            hi = mid - 1;
        } else {
            return mid;
        }
    }
    if a(lo) <= d { lo } else { lo - 1 }
}
