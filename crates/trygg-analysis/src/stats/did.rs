//! Effect follow-up of a promise: difference-in-differences between a focus area
//! and the rest of the municipality, from a baseline round to a later round.
//!
//! The figure is evidence, not proof: it assumes the focus area would have moved
//! like the rest of the municipality without the promise (parallel trends), and
//! other things that changed only in the focus area move it too.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};
use trygg_domain::{Background, IndicatorKind, Response, Survey};

use super::StatsError;
use super::data::{Dataset, MISSING, Values};
use super::interval::Interval;
use super::trend::TrendFlag;

/// The respondents of one group in one round, summarised: their number, the mean
/// of the outcome (a share for a 0/1 indicator) and the sum of squared deviations
/// from that mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Respondents with an answer.
    pub n: f64,
    /// Mean outcome.
    pub mean: f64,
    /// Σ (y − mean)².
    pub sum_sq_dev: f64,
}

impl Group {
    /// A group of 0/1 outcomes: `count` ones out of `n`.
    ///
    /// # Errors
    /// [`StatsError::InvalidProportion`] unless `0 ≤ count ≤ n`.
    pub fn from_count(count: f64, n: f64) -> Result<Self, StatsError> {
        if !(count.is_finite() && n.is_finite() && count >= 0.0 && count <= n) {
            return Err(StatsError::InvalidProportion { count, n });
        }
        let mean = if n > 0.0 { count / n } else { 0.0 };
        Ok(Self {
            n,
            mean,
            sum_sq_dev: n * mean * (1.0 - mean),
        })
    }

    /// A group of numeric outcomes, summarised in two passes for accuracy.
    pub fn from_values(values: &[f64]) -> Self {
        let n = values.len() as f64;
        let mean = if values.is_empty() {
            0.0
        } else {
            values.iter().sum::<f64>() / n
        };
        let sum_sq_dev = values.iter().map(|y| (y - mean).powi(2)).sum();
        Self {
            n,
            mean,
            sum_sq_dev,
        }
    }
}

/// The four groups of a difference-in-differences.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DidGroups {
    /// The focus area in the baseline round.
    pub focus_baseline: Group,
    /// The focus area in the later round.
    pub focus_later: Group,
    /// The rest of the municipality in the baseline round.
    pub rest_baseline: Group,
    /// The rest of the municipality in the later round.
    pub rest_later: Group,
}

/// A difference-in-differences estimate with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DidEstimate {
    /// Later minus baseline in the focus area.
    pub focus_change: f64,
    /// Later minus baseline in the rest of the municipality.
    pub rest_change: f64,
    /// `focus_change − rest_change`: the interaction coefficient.
    pub estimate: f64,
    /// Its standard error (classical OLS, homoskedastic).
    pub std_error: f64,
    /// The interval at the requested confidence, from Student's t.
    pub interval: Interval,
    /// Residual degrees of freedom, n − 4.
    pub df: f64,
    /// t statistic.
    pub t: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The interval read in words: a significant decrease means the focus area fell
    /// more (or rose less) than the rest of the municipality.
    pub flag: TrendFlag,
}

/// Difference-in-differences of a group (focus area vs the rest) and a period
/// (baseline vs later round), as the coefficient of the interaction in the OLS
/// regression `y ~ focus + later + focus:later` (statsmodels `ols`, default covariance).
///
/// # Algorithm
/// The model is saturated, so the coefficient is the difference of the four cell
/// means, `(ȳ_fl − ȳ_fb) − (ȳ_rl − ȳ_rb)`, and `(XᵀX)⁻¹` gives it the variance
/// `σ² (1/n_fb + 1/n_fl + 1/n_rb + 1/n_rl)` with `σ² = SSR / (n − 4)` and SSR the
/// sum of the cells' squared deviations. The interval is `estimate ± t · se` with
/// Student's t on `n − 4` degrees of freedom.
///
/// # Notes
/// For a 0/1 indicator this is the linear probability model; the classical
/// standard error treats every respondent as equally variable. It is evidence of
/// a change that went with the promise, not proof that the promise caused it.
///
/// # Errors
/// [`StatsError::InvalidData`] when a group is empty or there are fewer than five
/// respondents in all; [`StatsError::InvalidConfidence`] outside (0, 1).
pub fn difference_in_differences(
    groups: &DidGroups,
    confidence: f64,
) -> Result<DidEstimate, StatsError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(StatsError::InvalidConfidence(confidence));
    }
    let all = [
        groups.focus_baseline,
        groups.focus_later,
        groups.rest_baseline,
        groups.rest_later,
    ];
    if all
        .iter()
        .any(|g| !(g.n >= 1.0 && g.mean.is_finite() && g.sum_sq_dev >= 0.0))
    {
        return Err(invalid("every group needs at least one respondent"));
    }
    let n: f64 = all.iter().map(|g| g.n).sum();
    let df = n - 4.0;
    if df < 1.0 {
        return Err(invalid("at least five respondents are needed in all"));
    }
    let focus_change = groups.focus_later.mean - groups.focus_baseline.mean;
    let rest_change = groups.rest_later.mean - groups.rest_baseline.mean;
    let estimate = focus_change - rest_change;
    let ssr: f64 = all.iter().map(|g| g.sum_sq_dev).sum();
    let sigma2 = ssr / df;
    let std_error = (sigma2 * all.iter().map(|g| 1.0 / g.n).sum::<f64>()).sqrt();
    let dist = StudentsT::new(0.0, 1.0, df).map_err(|e| invalid(&e.to_string()))?;
    let q = t_quantile(&dist, 1.0 - (1.0 - confidence) / 2.0);
    let interval = Interval {
        low: estimate - q * std_error,
        high: estimate + q * std_error,
    };
    let (t, p_value) = if std_error > 0.0 {
        let t = estimate / std_error;
        (t, 2.0 * dist.sf(t.abs()))
    } else {
        (f64::NAN, f64::NAN)
    };
    let flag = TrendFlag::of(interval);
    Ok(DidEstimate {
        focus_change,
        rest_change,
        estimate,
        std_error,
        interval,
        df,
        t,
        p_value,
        flag,
    })
}

/// Student's t quantile, polished with Newton steps on the CDF: statrs' inverse
/// goes through an approximate inverse incomplete beta, while its CDF is accurate
/// to machine precision, and the interval must match statsmodels to 1e-9.
fn t_quantile(dist: &StudentsT, p: f64) -> f64 {
    let mut q = dist.inverse_cdf(p);
    for _ in 0..4 {
        let density = dist.pdf(q);
        if density <= 0.0 || !density.is_finite() {
            break;
        }
        q -= (dist.cdf(q) - p) / density;
    }
    q
}

/// One round's respondents split into the focus area and the rest of the municipality,
/// with each respondent's outcome on indicator `indicator`: 1 or 0 for a share
/// indicator (respondents answering "vet ej" or not at all are left out, as in the
/// lägesbild), the number for a mean indicator. The area is the respondent's answer
/// to the survey's area background question.
///
/// Returns `(focus, rest)`, unweighted.
///
/// # Errors
/// [`StatsError::UnknownQuestion`] when the survey has no such indicator or no area
/// question; [`StatsError::InvalidData`] for a problem index, whose respondent-level
/// outcome is not a single answer, or an answer naming an option the survey lacks.
pub fn area_groups(
    survey: &Survey,
    responses: &[Response],
    indicator: &str,
    area_code: &str,
) -> Result<(Group, Group), StatsError> {
    area_groups_of(
        survey,
        &Dataset::from_survey(survey, responses)?,
        indicator,
        area_code,
    )
}

/// [`area_groups`] of respondents already laid out by column, as a lägesbild
/// reads a round.
///
/// # Errors
/// As [`area_groups`].
pub fn area_groups_of(
    survey: &Survey,
    respondents: &Dataset,
    indicator: &str,
    area_code: &str,
) -> Result<(Group, Group), StatsError> {
    let found = survey
        .indicators
        .iter()
        .find(|i| i.key.as_str() == indicator)
        .ok_or_else(|| StatsError::UnknownQuestion(indicator.to_owned()))?;
    let area_question = survey
        .questions
        .iter()
        .find(|q| q.background == Some(Background::Area))
        .ok_or_else(|| StatsError::UnknownQuestion("area".to_owned()))?;
    let areas = respondents.column(area_question.key.as_str())?;
    let Values::Single(area_codes) = &areas.values else {
        return Err(StatsError::UnknownQuestion("area".to_owned()));
    };
    let focus_code = areas.options.iter().position(|o| o.key == area_code);
    // Each respondent's outcome, if they have one.
    let outcomes: Vec<Option<f64>> = match &found.kind {
        IndicatorKind::Share { question, options } => {
            let column = respondents.column(question)?;
            match &column.values {
                Values::Single(codes) => codes
                    .iter()
                    .map(|&code| {
                        let option = column.options.get(usize::from(code))?;
                        (!option.dont_know).then(|| {
                            if options.iter().any(|o| o == &option.key) {
                                1.0
                            } else {
                                0.0
                            }
                        })
                    })
                    .collect(),
                _ => vec![None; respondents.len()],
            }
        }
        IndicatorKind::Mean { question } => match &respondents.column(question)?.values {
            Values::Number(numbers) => numbers
                .iter()
                .map(|&x| (!x.is_nan()).then_some(x))
                .collect(),
            _ => vec![None; respondents.len()],
        },
        IndicatorKind::ProblemIndex { .. } => {
            return Err(invalid(
                "a problem index has no single outcome per respondent; follow up one of its questions instead",
            ));
        }
    };
    let (mut focus, mut rest) = (Vec::new(), Vec::new());
    for (y, &area) in outcomes.iter().zip(area_codes) {
        let Some(y) = *y else { continue };
        if area == MISSING {
            continue;
        }
        if Some(usize::from(area)) == focus_code {
            focus.push(y);
        } else {
            rest.push(y);
        }
    }
    Ok((Group::from_values(&focus), Group::from_values(&rest)))
}

fn invalid(message: &str) -> StatsError {
    StatsError::InvalidData {
        question: "difference_in_differences".to_owned(),
        message: message.to_owned(),
    }
}
