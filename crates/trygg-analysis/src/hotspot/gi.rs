//! Getis–Ord Gi* with analytic and permutation inference, as esda computes it.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{ContinuousCDF, Normal};

use super::HotspotError;

/// Options for [`gi_star`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GiOptions {
    /// Number of conditional permutations for the pseudo p-value (esda's default 999);
    /// 0 skips them and classes by the analytic p-value.
    pub permutations: usize,
    /// Seed of the permutations, so a run can be repeated exactly.
    pub seed: u64,
    /// Class by Benjamini–Hochberg q-values instead of the p-values themselves.
    pub fdr: bool,
    /// How simulated values equal to the observed one count.
    pub ties: Ties,
}

/// How the pseudo p-value counts simulations that tie with the observation.
///
/// Pin counts tie often: a cell with no pins among neighbours with none ties with
/// most simulations of a sparse map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ties {
    /// As on the hot side: a tie counts against significance in both directions, so
    /// `p = (min(#sim ≥ obs, #sim ≤ obs) + 1) / (permutations + 1)`. Equal to esda on
    /// the hot side; an empty cell in an empty field is not a cold spot.
    #[default]
    Conservative,
    /// esda's "directed" rule: `larger = #sim ≥ obs`, folded to `permutations − larger`
    /// when that is smaller, so on the cold side ties count as more extreme and an
    /// all-zero neighbourhood gets the smallest p-value.
    Esda,
}

impl Default for GiOptions {
    fn default() -> Self {
        Self {
            permutations: 999,
            seed: 1,
            fdr: false,
            ties: Ties::Conservative,
        }
    }
}

/// The significance class of a site, as hot spot maps show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GiClass {
    /// Hot spot with 99 % confidence (p ≤ 0.01).
    Hot99,
    /// Hot spot with 95 % confidence (p ≤ 0.05).
    Hot95,
    /// Hot spot with 90 % confidence (p ≤ 0.10).
    Hot90,
    /// Not significant.
    NotSignificant,
    /// Cold spot with 90 % confidence.
    Cold90,
    /// Cold spot with 95 % confidence.
    Cold95,
    /// Cold spot with 99 % confidence.
    Cold99,
}

impl GiClass {
    /// The class from a p-value and the direction of the deviation.
    pub fn from_p(p: f64, z: f64) -> Self {
        if !(p.is_finite() && z.is_finite()) || z == 0.0 {
            return Self::NotSignificant;
        }
        let hot = z > 0.0;
        match (p, hot) {
            (p, true) if p <= 0.01 => Self::Hot99,
            (p, true) if p <= 0.05 => Self::Hot95,
            (p, true) if p <= 0.10 => Self::Hot90,
            (p, false) if p <= 0.01 => Self::Cold99,
            (p, false) if p <= 0.05 => Self::Cold95,
            (p, false) if p <= 0.10 => Self::Cold90,
            _ => Self::NotSignificant,
        }
    }

    /// The snake_case key used in files, e.g. `hot_95`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Hot99 => "hot_99",
            Self::Hot95 => "hot_95",
            Self::Hot90 => "hot_90",
            Self::NotSignificant => "not_significant",
            Self::Cold90 => "cold_90",
            Self::Cold95 => "cold_95",
            Self::Cold99 => "cold_99",
        }
    }

    /// Whether this is a hot spot at the given confidence in per cent (90, 95 or 99) or more.
    pub fn is_hot_at(self, confidence: u8) -> bool {
        match self {
            Self::Hot99 => true,
            Self::Hot95 => confidence <= 95,
            Self::Hot90 => confidence <= 90,
            _ => false,
        }
    }
}

/// Gi* statistics per site, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct GiResult {
    /// The statistic `Gs` (esda's name): the share of the total in the site's neighbourhood.
    pub g: Vec<f64>,
    /// Its expectation under randomness, `EGs`.
    pub expected: Vec<f64>,
    /// Its variance under randomness, `VGs`.
    pub variance: Vec<f64>,
    /// The z-score `Zs`; NaN when the values have no variance.
    pub z: Vec<f64>,
    /// One-sided normal p-value `p_norm = Φ(−|z|)`.
    pub p_norm: Vec<f64>,
    /// Pseudo p-value of the conditional permutations (esda's "directed" rule); NaN without permutations.
    pub p_sim: Vec<f64>,
    /// Benjamini–Hochberg q-values of `p_sim` (of `p_norm` without permutations).
    pub q_fdr: Vec<f64>,
    /// The class of each site.
    pub class: Vec<GiClass>,
}

/// Getis–Ord Gi* with binary weights: hot and cold spots of a value over sites.
///
/// Ord and Getis (1995), "Local spatial autocorrelation statistics: distributional
/// issues and an application", Geographical Analysis 27(4); computed exactly as
/// esda 2.9's `G_Local(y, w, transform="B", star=True)`.
///
/// # Parameters
/// - `y`: the value of each site (for hexagons, the number of pins).
/// - `neighbours`: for each site, the indices of its neighbours, the site itself left
///   out (it always has weight 1). Links should be symmetric, as a distance band or
///   k-ring gives them.
/// - `options`: permutations, seed and whether classes use q-values.
///
/// # Returns
/// [`GiResult`] with `Gs`, `EGs`, `VGs`, `Zs`, `p_norm`, `p_sim`, q-values and classes.
///
/// # Errors
/// [`HotspotError::Parameter`] when `y` and `neighbours` differ in length, a neighbour
/// index is out of range or names the site itself, or a value is not finite.
///
/// # Algorithm
/// With `n` sites, `W_i = 1 + |N_i|` and `S = Σy`:
/// `Gs_i = (y_i + Σ_{j∈N_i} y_j) / S`, `EGs_i = W_i / n`,
/// `VGs_i = W_i (n − W_i) / (n − 1) / n² · var / mean²` with the population mean and
/// variance of `y`, `Zs = (Gs − EGs) / √VGs`, `p_norm = 1 − Φ(|Zs|)`.
/// Conditional permutations follow esda's `crand`: one matrix of `permutations` rows,
/// each a draw without replacement of `max |N_i|` of the other `n − 1` sites, seeded
/// once (ChaCha8) and reused for every site; a site keeps its own value and takes the
/// first `|N_i|` draws as neighbours. The smaller tail count, with ties as [`Ties`]
/// says, gives `p_sim = (count + 1) / (permutations + 1)`.
/// Sites are split over two threads; the result does not depend on the split.
///
/// # Notes
/// The permutation p-value is one-sided in the direction of the deviation, so a class
/// "hot 95 %" means `p ≤ 0.05` with `Zs > 0`.
/// The random numbers are not numpy's, so `p_sim` agrees with esda in distribution, not
/// digit for digit. With [`Ties::Esda`], sites whose neighbourhood is as low as it can be
/// (all zero among mostly zero values) get the smallest `p_sim` on the cold side, as in
/// esda; the default [`Ties::Conservative`] does not call them cold spots.
pub fn gi_star(
    y: &[f64],
    neighbours: &[Vec<usize>],
    options: &GiOptions,
) -> Result<GiResult, HotspotError> {
    let n = y.len();
    if neighbours.len() != n {
        return Err(HotspotError::Parameter(format!(
            "{n} values but {} neighbour lists",
            neighbours.len()
        )));
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(HotspotError::Parameter(format!(
            "value {i} is not a finite number"
        )));
    }
    for (i, list) in neighbours.iter().enumerate() {
        if let Some(&j) = list.iter().find(|&&j| j >= n || j == i) {
            return Err(HotspotError::Parameter(format!(
                "site {i} has neighbour {j}, which is itself or out of range"
            )));
        }
    }
    let nf = n as f64;
    let total: f64 = y.iter().sum();
    let mean = total / nf;
    let mean_of_squares = y.iter().map(|v| v * v).sum::<f64>() / nf;
    let variance_y = mean_of_squares - mean * mean;
    let normal = Normal::standard();

    let local_sum = |i: usize, list: &[usize]| -> f64 {
        y.get(i).copied().unwrap_or_default()
            + list
                .iter()
                .map(|&j| y.get(j).copied().unwrap_or_default())
                .sum::<f64>()
    };
    let mut g = Vec::with_capacity(n);
    let mut expected = Vec::with_capacity(n);
    let mut variance = Vec::with_capacity(n);
    let mut z = Vec::with_capacity(n);
    let mut p_norm = Vec::with_capacity(n);
    for (i, list) in neighbours.iter().enumerate() {
        let w = (list.len() + 1) as f64;
        let gs = local_sum(i, list) / total;
        let egs = w / nf;
        let vgs = w * (nf - w) / (nf - 1.0) / (nf * nf) * variance_y / (mean * mean);
        let zs = (gs - egs) / vgs.sqrt();
        let zs = if zs.is_finite() { zs } else { f64::NAN };
        g.push(gs);
        expected.push(egs);
        variance.push(vgs);
        z.push(zs);
        p_norm.push(if zs.is_finite() {
            normal.sf(zs.abs())
        } else {
            f64::NAN
        });
    }

    let p_sim = if options.permutations > 0 && n > 1 && total != 0.0 {
        permutation_p(y, neighbours, options)
    } else {
        vec![f64::NAN; n]
    };
    let basis = if options.permutations > 0 {
        &p_sim
    } else {
        &p_norm
    };
    let q_fdr = benjamini_hochberg(basis);
    let class_p = if options.fdr { &q_fdr } else { basis };
    let class = class_p
        .iter()
        .zip(&z)
        .map(|(&p, &zs)| GiClass::from_p(p, zs))
        .collect();
    Ok(GiResult {
        g,
        expected,
        variance,
        z,
        p_norm,
        p_sim,
        q_fdr,
        class,
    })
}

/// esda's conditional randomisation with one shared matrix of draws.
fn permutation_p(y: &[f64], neighbours: &[Vec<usize>], options: &GiOptions) -> Vec<f64> {
    let GiOptions {
        permutations,
        seed,
        ties,
        ..
    } = *options;
    let n = y.len();
    let max_card = neighbours
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .min(n - 1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draws: Vec<u32> = Vec::with_capacity(permutations * max_card);
    for _ in 0..permutations {
        draws.extend(
            rand::seq::index::sample(&mut rng, n - 1, max_card)
                .iter()
                .map(|j| j as u32),
        );
    }
    let site = |i: usize| -> f64 {
        let Some(list) = neighbours.get(i) else {
            return f64::NAN;
        };
        let yi = y.get(i).copied().unwrap_or_default();
        let observed = yi
            + list
                .iter()
                .map(|&j| y.get(j).copied().unwrap_or_default())
                .sum::<f64>();
        let card = list.len();
        if max_card == 0 {
            return f64::NAN;
        }
        // Draw j of the other sites is site j, or j + 1 from the site itself on.
        let value = |j: u32| -> f64 {
            let j = j as usize;
            y.get(if j < i { j } else { j + 1 })
                .copied()
                .unwrap_or_default()
        };
        let (mut larger, mut smaller) = (0_usize, 0_usize);
        for row in draws.chunks_exact(max_card) {
            let simulated = yi + row.iter().take(card).map(|&j| value(j)).sum::<f64>();
            larger += usize::from(simulated >= observed);
            smaller += usize::from(simulated <= observed);
        }
        let extreme = match ties {
            Ties::Conservative => larger.min(smaller),
            Ties::Esda => larger.min(permutations - larger),
        };
        (extreme + 1) as f64 / (permutations + 1) as f64
    };
    if n < 2_000 {
        return (0..n).map(site).collect();
    }
    let middle = n / 2;
    std::thread::scope(|scope| {
        let first = scope.spawn(|| (0..middle).map(site).collect::<Vec<_>>());
        let second: Vec<f64> = (middle..n).map(site).collect();
        let mut all = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        all.extend(second);
        all
    })
}

/// Benjamini–Hochberg adjusted p-values (q-values), in input order.
///
/// Benjamini and Hochberg (1995), "Controlling the false discovery rate", JRSS B 57(1).
///
/// # Parameters
/// - `p`: p-values; NaN entries are left out of the count and stay NaN.
///
/// # Returns
/// `q_(i) = min_{j ≥ i} m · p_(j) / j` over the sorted p-values, at most 1; a site is
/// significant at false discovery rate α when `q ≤ α`.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p.len())
        .filter(|&i| p.get(i).is_some_and(|v| v.is_finite()))
        .collect();
    order.sort_by(|&a, &b| {
        let pa = p.get(a).copied().unwrap_or_default();
        let pb = p.get(b).copied().unwrap_or_default();
        pa.total_cmp(&pb)
    });
    let m = order.len() as f64;
    let mut q = vec![f64::NAN; p.len()];
    let mut running = 1.0_f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let value = p.get(i).copied().unwrap_or_default() * m / (rank + 1) as f64;
        running = running.min(value);
        if let Some(slot) = q.get_mut(i) {
            *slot = running;
        }
    }
    q
}
