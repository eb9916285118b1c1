//! Raking (iterative proportional fitting) of respondents to population margins.

use serde::{Deserialize, Serialize};

use super::StatsError;
use super::data::{Dataset, MISSING, Values};
use super::interval::{design_effect, kish_effective_n};

/// Population counts of one background variable, e.g. SCB counts by area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Margin {
    /// The single-choice question holding the variable, e.g. `area`.
    pub variable: String,
    /// Population per category (option key).
    pub population: Vec<(String, f64)>,
}

/// Raking settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RakingOptions {
    /// Converged when every margin is met to this relative error.
    pub tolerance: f64,
    /// The most sweeps over all margins.
    pub max_iterations: usize,
    /// Trim weights above `cap` times the mean weight and rake again, if set.
    pub cap: Option<f64>,
}

impl Default for RakingOptions {
    fn default() -> Self {
        Self {
            tolerance: 1e-12,
            max_iterations: 1000,
            cap: None,
        }
    }
}

/// How raking went, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RakingSummary {
    /// The settings used.
    pub options: RakingOptions,
    /// Sweeps over all margins in the last raking.
    pub iterations: usize,
    /// Largest relative error of any margin at the end.
    pub max_relative_error: f64,
    /// Weights set to the cap (counted over all trimming rounds).
    pub trimmed: usize,
    /// Largest weight divided by the mean weight.
    pub max_weight_ratio: f64,
    /// Kish design effect of the weights, `1 + CV²`.
    pub design_effect: f64,
    /// Kish effective sample size.
    pub n_eff: f64,
}

/// Raked weights and a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Raking {
    /// One weight per respondent; they add up to the population total.
    pub weights: Vec<f64>,
    /// How it went.
    pub summary: RakingSummary,
}

/// Rakes the respondents of `dataset` to `margins`.
///
/// Deming and Stephan (1940). The result is the unique fixed point of IPF, the same
/// as R's `survey::rake` and Python's `ipfn`.
///
/// # Parameters
/// - `dataset`: respondents; each margin's variable is a single-choice column that
///   every respondent answered.
/// - `margins`: population counts; all margins must add up to the same total.
/// - `options`: tolerance, iteration limit and optional trimming cap.
///
/// # Returns
/// Weights summing to the population total, with iterations, remaining error,
/// trimming and design effect.
///
/// # Algorithm
/// Starting from weight 1, each sweep scales the weights of every category of every
/// margin in turn so that it meets its population count. It stops when the largest
/// relative error `|Σw − N_k| / N_k` over all categories is within the tolerance.
/// With a cap, weights above `cap × mean` are set to it and raking starts again from
/// them, until a raking leaves no weight above the cap (Pew's trim-and-rake).
///
/// # Errors
/// [`StatsError::Raking`] with a sentence when a margin cannot be met: a category with
/// population but no respondents, a respondent in a category without population or
/// without an answer, margins with different totals, or no convergence.
pub fn rake(
    dataset: &Dataset,
    margins: &[Margin],
    options: &RakingOptions,
) -> Result<Raking, StatsError> {
    let fail = |message: String| StatsError::Raking(message);
    if margins.is_empty() {
        return Err(fail("give at least one margin".to_owned()));
    }
    if options.tolerance.is_nan() || options.tolerance <= 0.0 || options.max_iterations == 0 {
        return Err(fail(
            "tolerance and max iterations must be positive".to_owned(),
        ));
    }
    let mut prepared: Vec<(&[u16], Vec<f64>)> = Vec::with_capacity(margins.len());
    let mut total = None;
    for margin in margins {
        let column = dataset.column(&margin.variable)?;
        let Values::Single(codes) = &column.values else {
            return Err(fail(format!(
                "`{}` is not a single-choice question",
                margin.variable
            )));
        };
        let mut targets = vec![0.0; column.options.len()];
        for (category, population) in &margin.population {
            let Some(slot) = column
                .options
                .iter()
                .position(|o| &o.key == category)
                .and_then(|i| targets.get_mut(i))
            else {
                return Err(fail(format!(
                    "`{}` has no category `{category}`",
                    margin.variable
                )));
            };
            if !population.is_finite() || *population < 0.0 {
                return Err(fail(format!(
                    "the population of `{}` = `{category}` must be a number of at least 0",
                    margin.variable
                )));
            }
            *slot += population;
        }
        let sum: f64 = targets.iter().sum();
        match total {
            None => total = Some(sum),
            Some(first) if (sum - first).abs() > 1e-9 * first.max(1.0) => {
                return Err(fail(format!(
                    "the margin of `{}` adds up to {sum}, but the first margin to {first}; every margin must describe the same population",
                    margin.variable
                )));
            }
            Some(_) => {}
        }
        let mut seen = vec![0_usize; targets.len()];
        for &code in codes.iter() {
            if code == MISSING {
                return Err(fail(format!(
                    "a respondent did not answer `{}`, so cannot be raked",
                    margin.variable
                )));
            }
            if let Some(s) = seen.get_mut(usize::from(code)) {
                *s += 1;
            }
        }
        for ((target, count), option) in targets.iter().zip(&seen).zip(&column.options) {
            if *target > 0.0 && *count == 0 {
                return Err(fail(format!(
                    "no respondent has `{}` = `{}`, so its population of {target} cannot be met",
                    margin.variable, option.key
                )));
            }
            if *target <= 0.0 && *count > 0 {
                return Err(fail(format!(
                    "{count} respondent(s) have `{}` = `{}`, which has no population",
                    margin.variable, option.key
                )));
            }
        }
        prepared.push((codes, targets));
    }
    let n = dataset.len();
    let mut weights = vec![1.0; n];
    let mut trimmed = 0;
    let mut rounds = 0;
    loop {
        let (iterations, error) = ipf(&mut weights, &prepared, options)?;
        let mean = weights.iter().sum::<f64>() / n.max(1) as f64;
        let max_ratio = weights.iter().fold(0.0_f64, |m, w| m.max(*w)) / mean;
        let over_cap = options
            .cap
            .filter(|cap| max_ratio > cap * (1.0 + 1e-9))
            .filter(|_| rounds < options.max_iterations);
        if let Some(cap) = over_cap {
            let limit = cap * mean;
            for w in &mut weights {
                if *w > limit {
                    *w = limit;
                    trimmed += 1;
                }
            }
            rounds += 1;
            continue;
        }
        let (sum, sum2) = weights
            .iter()
            .fold((0.0, 0.0), |(s, s2), w| (s + w, s2 + w * w));
        let summary = RakingSummary {
            options: *options,
            iterations,
            max_relative_error: error,
            trimmed,
            max_weight_ratio: max_ratio,
            design_effect: design_effect(&weights),
            n_eff: kish_effective_n(sum, sum2),
        };
        return Ok(Raking { weights, summary });
    }
}

/// Sweeps until converged; returns sweeps and the largest relative error.
fn ipf(
    weights: &mut [f64],
    margins: &[(&[u16], Vec<f64>)],
    options: &RakingOptions,
) -> Result<(usize, f64), StatsError> {
    let mut sums: Vec<Vec<f64>> = margins.iter().map(|(_, t)| vec![0.0; t.len()]).collect();
    let mut error = f64::INFINITY;
    for iteration in 1..=options.max_iterations {
        for ((codes, targets), sums) in margins.iter().zip(&mut sums) {
            totals(weights, codes, sums);
            let factors: Vec<f64> = targets
                .iter()
                .zip(sums.iter())
                .map(|(t, s)| if *s > 0.0 { t / s } else { 0.0 })
                .collect();
            for (w, &code) in weights.iter_mut().zip(codes.iter()) {
                *w *= factors.get(usize::from(code)).copied().unwrap_or(1.0);
            }
        }
        error = 0.0;
        for ((codes, targets), sums) in margins.iter().zip(&mut sums) {
            totals(weights, codes, sums);
            for (t, s) in targets.iter().zip(sums.iter()) {
                if *t > 0.0 {
                    error = f64::max(error, (s - t).abs() / t);
                }
            }
        }
        if error <= options.tolerance {
            return Ok((iteration, error));
        }
    }
    Err(StatsError::Raking(format!(
        "the margins cannot all be met: after {} sweeps a margin is still off by {:.3e} (relative); the combination of margins may be impossible for these respondents",
        options.max_iterations, error
    )))
}

fn totals(weights: &[f64], codes: &[u16], sums: &mut [f64]) {
    sums.fill(0.0);
    for (w, &code) in weights.iter().zip(codes) {
        if let Some(s) = sums.get_mut(usize::from(code)) {
            *s += w;
        }
    }
}
