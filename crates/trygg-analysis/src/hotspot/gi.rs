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
/// says, gives `p_sim = (count + 1) / (permutations + 1)`. The counts come from a sweep
/// over the sites with the rows' sums in a Fenwick tree, equal to drawing them one by one
/// but without touching every draw for every site.
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
    Ok(gi_links(y, &Links::from_lists(neighbours), options))
}

/// [`gi_star`] on checked input, with the neighbours in flat arrays.
pub(crate) fn gi_links(y: &[f64], links: &Links, options: &GiOptions) -> GiResult {
    let n = y.len();
    let nf = n as f64;
    let total: f64 = y.iter().sum();
    let mean = total / nf;
    let mean_of_squares = y.iter().map(|v| v * v).sum::<f64>() / nf;
    let variance_y = mean_of_squares - mean * mean;
    let normal = Normal::standard();

    let value = |j: usize| y.get(j).copied().unwrap_or_default();
    let mut g = Vec::with_capacity(n);
    let mut expected = Vec::with_capacity(n);
    let mut variance = Vec::with_capacity(n);
    let mut z = Vec::with_capacity(n);
    let mut p_norm = Vec::with_capacity(n);
    for i in 0..n {
        let list = links.of(i);
        let w = (list.len() + 1) as f64;
        let local = value(i) + list.iter().map(|&j| value(j as usize)).sum::<f64>();
        let gs = local / total;
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
        permutation_p(y, links, options)
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
    GiResult {
        g,
        expected,
        variance,
        z,
        p_norm,
        p_sim,
        q_fdr,
        class,
    }
}

/// Neighbour lists in two flat arrays: the neighbours of site `i` are
/// `targets[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Links {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Links {
    /// Flattens lists of neighbours.
    pub(crate) fn from_lists(lists: &[Vec<usize>]) -> Self {
        let mut links = Self::with_capacity(lists.len(), lists.iter().map(Vec::len).sum());
        for list in lists {
            links.push(list.iter().map(|&j| j as u32));
        }
        links
    }

    pub(crate) fn with_capacity(sites: usize, targets: usize) -> Self {
        let mut offsets = Vec::with_capacity(sites + 1);
        offsets.push(0);
        Self {
            offsets,
            targets: Vec::with_capacity(targets),
        }
    }

    /// Adds the next site's neighbours.
    pub(crate) fn push(&mut self, neighbours: impl IntoIterator<Item = u32>) {
        self.targets.extend(neighbours);
        self.offsets.push(self.targets.len() as u32);
    }

    pub(crate) fn of(&self, i: usize) -> &[u32] {
        let start = self.offsets.get(i).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(i + 1).copied().unwrap_or(0) as usize;
        self.targets.get(start..end).unwrap_or(&[])
    }
}

/// esda's conditional randomisation with one shared matrix of draws.
///
/// Row `r` of the matrix gives every site with `c` neighbours the simulated local sum
/// `y_i + Σ_{t<c} y'(d_rt)`, where `y'` skips the site itself: `y'(d) = y[d]` for
/// `d < i` and `y[d + 1]` from the site on. As `i` grows, that sum changes only where
/// `i` passes one of the row's `c` draws, so for each neighbour count the rows' sums are
/// kept in a Fenwick tree over their sorted values while the sites are swept in order;
/// each site then counts the rows at or above and at or below its observed sum with two
/// binary searches. The sums are added in the same order as drawing them one by one
/// would, and `x ↦ y_i + x` is monotone in floating point, so the counts equal the direct
/// loop's exactly, in O((n + permutations · max|N_i|) · log) instead of
/// O(n · permutations · max|N_i|).
fn permutation_p(y: &[f64], links: &Links, options: &GiOptions) -> Vec<f64> {
    let GiOptions {
        permutations,
        seed,
        ties,
        ..
    } = *options;
    let n = y.len();
    let max_card = (0..n)
        .map(|i| links.of(i).len())
        .max()
        .unwrap_or(0)
        .min(n - 1);
    if max_card == 0 {
        return vec![f64::NAN; n];
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draws: Vec<u32> = Vec::with_capacity(permutations * max_card);
    for _ in 0..permutations {
        draws.extend(
            rand::seq::index::sample(&mut rng, n - 1, max_card)
                .iter()
                .map(|j| j as u32),
        );
    }
    let value = |j: usize| y.get(j).copied().unwrap_or_default();
    let observed: Vec<f64> = (0..n)
        .map(|i| value(i) + links.of(i).iter().map(|&j| value(j as usize)).sum::<f64>())
        .collect();
    let mut p = vec![f64::NAN; n];
    let p_value = |larger: usize, smaller: usize| {
        let extreme = match ties {
            Ties::Conservative => larger.min(smaller),
            Ties::Esda => larger.min(permutations - larger),
        };
        (extreme + 1) as f64 / (permutations + 1) as f64
    };
    for card in 0..=max_card {
        let sites: Vec<usize> = (0..n).filter(|&i| links.of(i).len() == card).collect();
        if sites.is_empty() {
            continue;
        }
        if card == 0 {
            // No neighbours: every simulation equals the observation.
            for &i in &sites {
                if let Some(slot) = p.get_mut(i) {
                    *slot = p_value(permutations, permutations);
                }
            }
            continue;
        }
        // Events (site from which it holds, row, sum), in site order.
        let mut events: Vec<(usize, usize, f64)> = Vec::with_capacity(permutations * (card + 1));
        for (r, row) in draws.chunks_exact(max_card).enumerate() {
            let row = row.get(..card).unwrap_or(row);
            let sum_from = |i: usize| -> f64 {
                row.iter()
                    .map(|&d| {
                        let d = d as usize;
                        value(if d < i { d } else { d + 1 })
                    })
                    .sum::<f64>()
            };
            let mut breaks: Vec<usize> = row.iter().map(|&d| d as usize + 1).collect();
            breaks.sort_unstable();
            breaks.dedup();
            events.push((0, r, sum_from(0)));
            for b in breaks {
                events.push((b, r, sum_from(b)));
            }
        }
        events.sort_by_key(|e| e.0);
        let mut values: Vec<f64> = events.iter().map(|e| e.2).collect();
        values.sort_by(f64::total_cmp);
        values.dedup_by(|a, b| a.total_cmp(b).is_eq());
        let rank = |v: f64| values.partition_point(|x| x.total_cmp(&v).is_lt());
        let mut tree = Fenwick::new(values.len());
        let mut current: Vec<usize> = vec![0; permutations];
        let mut next_event = events.iter().peekable();
        for &i in &sites {
            while let Some(&&(at, r, sum)) = next_event.peek() {
                if at > i {
                    break;
                }
                next_event.next();
                let new = rank(sum);
                if let Some(slot) = current.get_mut(r) {
                    if at > 0 {
                        tree.add(*slot, -1);
                    }
                    tree.add(new, 1);
                    *slot = new;
                }
            }
            let yi = value(i);
            let obs = observed.get(i).copied().unwrap_or_default();
            let below = values.partition_point(|&v| yi + v < obs);
            let at_or_below = values.partition_point(|&v| yi + v <= obs);
            let larger = permutations - tree.prefix(below);
            let smaller = tree.prefix(at_or_below);
            if let Some(slot) = p.get_mut(i) {
                *slot = p_value(larger, smaller);
            }
        }
    }
    p
}

/// Counts by rank with prefix sums in O(log n).
struct Fenwick {
    tree: Vec<i64>,
}

impl Fenwick {
    fn new(size: usize) -> Self {
        Self {
            tree: vec![0; size + 1],
        }
    }

    fn add(&mut self, rank: usize, delta: i64) {
        let mut at = rank + 1;
        while let Some(slot) = self.tree.get_mut(at) {
            *slot += delta;
            at += at & at.wrapping_neg();
        }
    }

    /// How many entries have a rank below `rank`.
    fn prefix(&self, rank: usize) -> usize {
        let mut at = rank.min(self.tree.len().saturating_sub(1));
        let mut total = 0;
        while at > 0 {
            total += self.tree.get(at).copied().unwrap_or(0);
            at &= at - 1;
        }
        usize::try_from(total).unwrap_or(0)
    }
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

#[cfg(test)]
mod tests {
    #![expect(clippy::indexing_slicing, reason = "a test fails loudly")]

    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::{GiOptions, Links, Ties, permutation_p};

    /// esda's loop as written: every site, every row, every draw.
    fn one_by_one(y: &[f64], lists: &[Vec<usize>], options: &GiOptions) -> Vec<f64> {
        let n = y.len();
        let max_card = lists.iter().map(Vec::len).max().unwrap_or(0).min(n - 1);
        if max_card == 0 {
            return vec![f64::NAN; n];
        }
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let mut draws = Vec::new();
        for _ in 0..options.permutations {
            draws.extend(rand::seq::index::sample(&mut rng, n - 1, max_card).iter());
        }
        (0..n)
            .map(|i| {
                let observed = y[i] + lists[i].iter().map(|&j| y[j]).sum::<f64>();
                let (mut larger, mut smaller) = (0, 0);
                for row in draws.chunks_exact(max_card) {
                    let simulated = y[i]
                        + row
                            .iter()
                            .take(lists[i].len())
                            .map(|&j| y[if j < i { j } else { j + 1 }])
                            .sum::<f64>();
                    larger += usize::from(simulated >= observed);
                    smaller += usize::from(simulated <= observed);
                }
                let extreme = match options.ties {
                    Ties::Conservative => larger.min(smaller),
                    Ties::Esda => larger.min(options.permutations - larger),
                };
                (extreme + 1) as f64 / (options.permutations + 1) as f64
            })
            .collect()
    }

    #[test]
    fn the_sweep_gives_the_same_p_values_as_drawing_one_by_one_for_counts_and_fractions() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for case in 0..40 {
            let n = rng.random_range(2..60);
            let y: Vec<f64> = (0..n)
                .map(|_| {
                    if case % 2 == 0 {
                        f64::from(rng.random_range(0..4_u32))
                    } else {
                        rng.random_range(0.0..1.0) * 0.1
                    }
                })
                .collect();
            let lists: Vec<Vec<usize>> = (0..n)
                .map(|i| {
                    let card = rng.random_range(0..n.min(8));
                    rand::seq::index::sample(&mut rng, n, card)
                        .iter()
                        .filter(|&j| j != i)
                        .collect()
                })
                .collect();
            for ties in [Ties::Conservative, Ties::Esda] {
                let options = GiOptions {
                    permutations: 99,
                    seed: case,
                    fdr: false,
                    ties,
                };
                let swept = permutation_p(&y, &Links::from_lists(&lists), &options);
                let direct = one_by_one(&y, &lists, &options);
                for (a, b) in swept.iter().zip(&direct) {
                    assert!(
                        a == b || (a.is_nan() && b.is_nan()),
                        "case {case}: {swept:?} vs {direct:?}"
                    );
                }
            }
        }
    }
}
