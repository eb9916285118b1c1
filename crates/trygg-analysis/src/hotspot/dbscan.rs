//! Exact DBSCAN with scikit-learn's labels, on a grid index.

use std::collections::HashMap;
use std::f64::consts::PI;

use trygg_domain::Location;

use super::{EARTH_RADIUS_M, HotspotError};

/// The label DBSCAN gives a point that belongs to no cluster.
pub const NOISE: i64 = -1;

/// Density clusters of pins, with distances in metres on the WGS84 sphere.
///
/// DBSCAN (Ester, Kriegel, Sander and Xu 1996, "A density-based algorithm for
/// discovering clusters in large spatial databases with noise", KDD-96) with the
/// labels of scikit-learn's `DBSCAN(metric="haversine", algorithm="ball_tree")`.
///
/// # Parameters
/// - `points`: the pins' positions, in input order.
/// - `eps_m`: the neighbourhood radius in metres (great-circle distance on a sphere of
///   radius 6,371,008.8 m); a point at exactly `eps_m` is a neighbour.
/// - `min_points`: how many points (the point itself included) a neighbourhood needs for
///   its centre to be a core point.
///
/// # Returns
/// One label per point: [`NOISE`] (−1) or a cluster number from 0.
/// Clusters are numbered in the order of their smallest core point index, and a border
/// point within reach of several clusters takes the smallest of their numbers.
///
/// # Errors
/// [`HotspotError::Parameter`] when `eps_m` is not a positive finite number or
/// `min_points` is 0.
///
/// # Algorithm
/// Points go into a latitude/longitude grid whose cells are at most `eps_m / 2` across,
/// so every two points of a cell are neighbours and the neighbours of a point lie in a
/// small block of cells around it.
/// A cell with at least `min_points` points is all core; elsewhere neighbours are counted
/// with an early exit at `min_points`.
/// Clusters are connected components of core cells: two cells join as soon as one pair
/// of their core points lies within reach (union–find, early exit).
/// Distances use scikit-learn's haversine formula and comparison
/// (`sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2) ≤ sin²(ε/2)` in radians), so the labels agree
/// bit for bit, also for points exactly `eps_m` apart.
///
/// # Notes
/// Memory is O(n): the grid stores one sorted index array and the cells, never
/// neighbourhoods. Time is about linear in n for pins at city density.
pub fn dbscan(
    points: &[Location],
    eps_m: f64,
    min_points: usize,
) -> Result<Vec<i64>, HotspotError> {
    check_parameters(eps_m, min_points)?;
    let space = Haversine::new(points, eps_m / EARTH_RADIUS_M);
    Ok(run(&space, min_points))
}

/// DBSCAN on planar coordinates with Euclidean distance, e.g. metres in a projection.
///
/// The same algorithm and labels as [`dbscan`], for scikit-learn's
/// `DBSCAN(metric="euclidean", algorithm="kd_tree")`: a point is a neighbour when the
/// squared distance is at most `eps²`.
///
/// # Parameters
/// - `points`: `[x, y]` pairs in any planar unit.
/// - `eps`: the neighbourhood radius in that unit.
/// - `min_points`: the core threshold, the point itself included.
///
/// # Returns
/// One label per point, as [`dbscan`].
///
/// # Errors
/// [`HotspotError::Parameter`] for a non-positive `eps`, `min_points` = 0 or
/// coordinates that are not finite.
pub fn dbscan_planar(
    points: &[[f64; 2]],
    eps: f64,
    min_points: usize,
) -> Result<Vec<i64>, HotspotError> {
    check_parameters(eps, min_points)?;
    if let Some(i) = points
        .iter()
        .position(|p| !p[0].is_finite() || !p[1].is_finite())
    {
        return Err(HotspotError::Parameter(format!(
            "point {i} has a coordinate that is not a finite number"
        )));
    }
    let space = Planar::new(points, eps);
    Ok(run(&space, min_points))
}

fn check_parameters(eps: f64, min_points: usize) -> Result<(), HotspotError> {
    if !(eps.is_finite() && eps > 0.0) {
        return Err(HotspotError::Parameter(format!(
            "eps must be a positive number of metres, not {eps}"
        )));
    }
    if min_points == 0 {
        return Err(HotspotError::Parameter(
            "min_points must be at least 1 (the point itself counts)".to_owned(),
        ));
    }
    Ok(())
}

/// A metric space with a grid whose cells are small enough that all points of a cell
/// are neighbours.
trait Space: Sync {
    /// Number of points.
    fn len(&self) -> usize;
    /// The grid cell of point `i` as (row, column).
    fn cell(&self, i: usize) -> (i64, i64);
    /// Rows and columns to search around a cell, inclusive, as ranges of offsets.
    fn reach(&self) -> (i64, i64);
    /// Number of columns when they wrap around (longitude), else `None`.
    fn columns(&self) -> Option<i64>;
    /// Whether points `a` and `b` are neighbours.
    fn near(&self, a: usize, b: usize) -> bool;
}

/// Radians with the cosine of the latitude cached, and a wrapping longitude grid.
struct Haversine {
    lat: Vec<f64>,
    lon: Vec<f64>,
    cos_lat: Vec<f64>,
    /// `sin²(ε/2)`, scikit-learn's reduced radius for haversine.
    reduced_eps: f64,
    row_height: f64,
    column_width: f64,
    columns: i64,
    reach_columns: i64,
}

impl Haversine {
    fn new(points: &[Location], eps: f64) -> Self {
        let lat: Vec<f64> = points.iter().map(|p| p.lat().to_radians()).collect();
        let lon: Vec<f64> = points.iter().map(|p| p.lon().to_radians()).collect();
        let cos_lat = lat.iter().map(|l| l.cos()).collect();
        let half = (0.5 * eps).sin();
        let reduced_eps = half * half;
        // Rows are eps/2 of latitude: the great-circle distance is at least |Δφ|, so
        // neighbours lie at most two rows away.
        let row_height = eps / 2.0;
        let min_abs_lat = lat.iter().fold(f64::INFINITY, |m, l| m.min(l.abs()));
        let max_abs_lat = lat.iter().fold(0.0_f64, |m, l| m.max(l.abs()));
        // A cell is at most eps/2 wide on the ground at the widest (lowest) latitude of
        // the data, so any two points of a cell are well within eps.
        let wanted_width = (eps / 2.0) / min_abs_lat.cos().max(f64::MIN_POSITIVE);
        let columns = if wanted_width.is_finite() && wanted_width < PI {
            // Rounding up keeps the real width at most the wanted one.
            (2.0 * PI / wanted_width).ceil().min(1e15) as i64
        } else {
            1
        };
        let column_width = 2.0 * PI / columns as f64;
        // sin(Δλ/2)·cos φ_max ≤ sin(ε/2) for every neighbour, so Δλ is bounded by this.
        let cos_max = (max_abs_lat + eps).min(PI / 2.0).cos();
        let ratio = half / cos_max;
        let reach_lon = if ratio.is_finite() && ratio < 1.0 {
            2.0 * ratio.asin()
        } else {
            PI
        };
        // One column more than strictly needed absorbs rounding at cell edges.
        let reach_columns = ((reach_lon / column_width).ceil() as i64 + 1).min(columns);
        Self {
            lat,
            lon,
            cos_lat,
            reduced_eps,
            row_height,
            column_width,
            columns,
            reach_columns,
        }
    }
}

impl Space for Haversine {
    fn len(&self) -> usize {
        self.lat.len()
    }

    fn cell(&self, i: usize) -> (i64, i64) {
        let lat = self.lat.get(i).copied().unwrap_or_default();
        let lon = self.lon.get(i).copied().unwrap_or_default();
        let row = ((lat + PI / 2.0) / self.row_height).floor() as i64;
        let column = (((lon + PI) / self.column_width).floor() as i64).clamp(0, self.columns - 1);
        (row, column)
    }

    fn reach(&self) -> (i64, i64) {
        (3, self.reach_columns)
    }

    fn columns(&self) -> Option<i64> {
        Some(self.columns)
    }

    fn near(&self, a: usize, b: usize) -> bool {
        match (
            self.lat.get(a),
            self.lat.get(b),
            self.lon.get(a),
            self.lon.get(b),
            self.cos_lat.get(a),
            self.cos_lat.get(b),
        ) {
            (Some(lat_a), Some(lat_b), Some(lon_a), Some(lon_b), Some(cos_a), Some(cos_b)) => {
                // scikit-learn's HaversineDistance.rdist, operation for operation.
                let sin_0 = (0.5 * (lat_a - lat_b)).sin();
                let sin_1 = (0.5 * (lon_a - lon_b)).sin();
                sin_0 * sin_0 + cos_a * cos_b * sin_1 * sin_1 <= self.reduced_eps
            }
            _ => false,
        }
    }
}

/// Planar points on a square grid of side eps/2.
struct Planar<'a> {
    points: &'a [[f64; 2]],
    eps_squared: f64,
    side: f64,
}

impl<'a> Planar<'a> {
    fn new(points: &'a [[f64; 2]], eps: f64) -> Self {
        Self {
            points,
            eps_squared: eps * eps,
            side: eps / 2.0,
        }
    }
}

impl Space for Planar<'_> {
    fn len(&self) -> usize {
        self.points.len()
    }

    fn cell(&self, i: usize) -> (i64, i64) {
        let [x, y] = self.points.get(i).copied().unwrap_or_default();
        (
            (y / self.side).floor() as i64,
            (x / self.side).floor() as i64,
        )
    }

    fn reach(&self) -> (i64, i64) {
        (3, 3)
    }

    fn columns(&self) -> Option<i64> {
        None
    }

    fn near(&self, a: usize, b: usize) -> bool {
        match (self.points.get(a), self.points.get(b)) {
            (Some([xa, ya]), Some([xb, yb])) => {
                // scikit-learn's EuclideanDistance.rdist: the sum of squares.
                let dx = xa - xb;
                let dy = ya - yb;
                dx * dx + dy * dy <= self.eps_squared
            }
            _ => false,
        }
    }
}

/// The grid: point indices sorted by cell, and the cells in key order.
struct Grid {
    order: Vec<usize>,
    /// (row, column, start, end) of each non-empty cell in `order`, sorted by (row, column).
    cells: Vec<(i64, i64, usize, usize)>,
    /// The cell of each point.
    cell_of: Vec<usize>,
    /// Where the core points of each cell end in `order`, once known.
    core_end: Vec<usize>,
}

impl Grid {
    fn new(space: &impl Space) -> Self {
        let n = space.len();
        let keys: Vec<(i64, i64)> = (0..n).map(|i| space.cell(i)).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by_key(|&i| (keys.get(i).copied(), i));
        let mut cells: Vec<(i64, i64, usize, usize)> = Vec::new();
        let mut cell_of = vec![0; n];
        for (position, &i) in order.iter().enumerate() {
            let (row, column) = keys.get(i).copied().unwrap_or_default();
            match cells.last_mut() {
                Some(last) if last.0 == row && last.1 == column => last.3 = position + 1,
                _ => cells.push((row, column, position, position + 1)),
            }
            if let Some(slot) = cell_of.get_mut(i) {
                *slot = cells.len() - 1;
            }
        }
        Self {
            order,
            cells,
            cell_of,
            core_end: Vec::new(),
        }
    }

    /// Reorders each cell so its core points come first, and remembers where they end.
    fn cores_first(mut self, core: &[bool]) -> Self {
        let is_core = |i: usize| core.get(i).copied().unwrap_or(false);
        let mut scratch: Vec<usize> = Vec::new();
        for cell in &self.cells {
            if let Some(members) = self.order.get_mut(cell.2..cell.3) {
                // A stable partition keeps the index order inside both parts.
                scratch.clear();
                scratch.extend(members.iter().copied().filter(|&i| is_core(i)));
                let count = scratch.len();
                scratch.extend(members.iter().copied().filter(|&i| !is_core(i)));
                members.copy_from_slice(&scratch);
                self.core_end.push(cell.2 + count);
            }
        }
        self
    }

    fn cores(&self, cell: usize) -> &[usize] {
        match (self.cells.get(cell), self.core_end.get(cell)) {
            (Some(&(_, _, start, _)), Some(&end)) => self.order.get(start..end).unwrap_or_default(),
            _ => &[],
        }
    }

    fn members(&self, cell: usize) -> &[usize] {
        self.cells
            .get(cell)
            .and_then(|&(_, _, start, end)| self.order.get(start..end))
            .unwrap_or_default()
    }

    /// Calls `visit` with every non-empty cell in reach of `cell` (itself included),
    /// stopping early when `visit` returns `true`.
    fn around(&self, space: &impl Space, cell: usize, mut visit: impl FnMut(usize) -> bool) {
        let Some(&(row, column, _, _)) = self.cells.get(cell) else {
            return;
        };
        let (reach_rows, reach_columns) = space.reach();
        let mut ranges: Vec<(i64, i64)> = Vec::with_capacity(2);
        for r in row - reach_rows..=row + reach_rows {
            ranges.clear();
            match space.columns() {
                Some(columns) if 2 * reach_columns + 1 >= columns => ranges.push((0, columns - 1)),
                Some(columns) => {
                    let low = column - reach_columns;
                    let high = column + reach_columns;
                    if low < 0 {
                        ranges.push((0, high));
                        ranges.push((low + columns, columns - 1));
                    } else if high >= columns {
                        ranges.push((low, columns - 1));
                        ranges.push((0, high - columns));
                    } else {
                        ranges.push((low, high));
                    }
                }
                None => ranges.push((column - reach_columns, column + reach_columns)),
            }
            for &(low, high) in &ranges {
                let start = self.cells.partition_point(|c| (c.0, c.1) < (r, low));
                let end = self.cells.partition_point(|c| (c.0, c.1) <= (r, high));
                for other in start..end {
                    if visit(other) {
                        return;
                    }
                }
            }
        }
    }
}

/// Union–find over cells with path halving; the root is the smaller index.
fn find(parent: &mut [usize], mut x: usize) -> usize {
    while let Some(&p) = parent.get(x) {
        if p == x {
            break;
        }
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(x) {
            *slot = grand;
        }
        x = grand;
    }
    x
}

fn run(space: &impl Space, min_points: usize) -> Vec<i64> {
    let n = space.len();
    let grid = Grid::new(space);
    let core = core_flags(space, &grid, min_points);
    let is_core = |i: usize| core.get(i).copied().unwrap_or(false);

    // Cores of a cell are all neighbours, so a cell's cores form one piece; cells join
    // when one pair of their cores is in reach.
    let grid = grid.cores_first(&core);
    let cell_cores: Vec<&[usize]> = (0..grid.cells.len()).map(|c| grid.cores(c)).collect();
    let mut parent: Vec<usize> = (0..grid.cells.len()).collect();
    for (cell, cores) in cell_cores.iter().enumerate() {
        if cores.is_empty() {
            continue;
        }
        grid.around(space, cell, |other| {
            if other <= cell {
                return false;
            }
            let Some(&other_cores) = cell_cores.get(other) else {
                return false;
            };
            if other_cores.is_empty() {
                return false;
            }
            let a = find(&mut parent, cell);
            let b = find(&mut parent, other);
            if a == b {
                return false;
            }
            let linked = cores
                .iter()
                .any(|&p| other_cores.iter().any(|&q| space.near(p, q)));
            if linked {
                let (low, high) = (a.min(b), a.max(b));
                if let Some(slot) = parent.get_mut(high) {
                    *slot = low;
                }
            }
            false
        });
    }

    // Clusters are numbered by their smallest core point, as scikit-learn's loop over
    // points in index order starts a new cluster at the first unlabelled core.
    let mut smallest_core: HashMap<usize, usize> = HashMap::new();
    for i in (0..n).filter(|&i| is_core(i)) {
        let root = find(
            &mut parent,
            grid.cell_of.get(i).copied().unwrap_or_default(),
        );
        smallest_core.entry(root).or_insert(i);
    }
    let mut roots: Vec<(usize, usize)> = smallest_core.into_iter().map(|(r, i)| (i, r)).collect();
    roots.sort_unstable();
    let mut cluster_of_root: HashMap<usize, i64> = HashMap::with_capacity(roots.len());
    for (number, &(_, root)) in roots.iter().enumerate() {
        cluster_of_root.insert(root, number as i64);
    }
    let cell_cluster: Vec<i64> = (0..grid.cells.len())
        .map(|c| {
            if cell_cores.get(c).is_some_and(|cores| !cores.is_empty()) {
                let root = find(&mut parent, c);
                cluster_of_root.get(&root).copied().unwrap_or(NOISE)
            } else {
                NOISE
            }
        })
        .collect();

    let mut labels = vec![NOISE; n];
    for (i, label) in labels.iter_mut().enumerate() {
        let cell = grid.cell_of.get(i).copied().unwrap_or_default();
        let own = cell_cluster.get(cell).copied().unwrap_or(NOISE);
        if is_core(i) {
            *label = own;
            continue;
        }
        // A border point takes the smallest cluster with a core in reach; its own cell's
        // cores are all in reach.
        let mut best = if own == NOISE { i64::MAX } else { own };
        grid.around(space, cell, |other| {
            let cluster = cell_cluster.get(other).copied().unwrap_or(NOISE);
            if cluster != NOISE && cluster < best {
                let reached = cell_cores
                    .get(other)
                    .is_some_and(|cores| cores.iter().any(|&q| space.near(i, q)));
                if reached {
                    best = cluster;
                }
            }
            best == 0
        });
        if best != i64::MAX {
            *label = best;
        }
    }
    labels
}

/// Core flags, counted on two threads for large inputs.
fn core_flags(space: &impl Space, grid: &Grid, min_points: usize) -> Vec<bool> {
    let cells = grid.cells.len();
    let flags_of_cell = |cell: usize| -> Vec<(usize, bool)> {
        let members = grid.members(cell);
        if members.len() >= min_points {
            return members.iter().map(|&i| (i, true)).collect();
        }
        members
            .iter()
            .map(|&i| {
                let mut count = members.len();
                grid.around(space, cell, |other| {
                    if other != cell {
                        for &j in grid.members(other) {
                            if space.near(i, j) {
                                count += 1;
                                if count >= min_points {
                                    return true;
                                }
                            }
                        }
                    }
                    false
                });
                (i, count >= min_points)
            })
            .collect()
    };
    let mut core = vec![false; space.len()];
    let halves: Vec<Vec<(usize, bool)>> = if space.len() < 20_000 {
        vec![(0..cells).flat_map(flags_of_cell).collect()]
    } else {
        let middle = cells / 2;
        std::thread::scope(|scope| {
            let first = scope.spawn(|| (0..middle).flat_map(flags_of_cell).collect::<Vec<_>>());
            let second: Vec<_> = (middle..cells).flat_map(flags_of_cell).collect();
            let first = first
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            vec![first, second]
        })
    };
    for (i, flag) in halves.into_iter().flatten() {
        if let Some(slot) = core.get_mut(i) {
            *slot = flag;
        }
    }
    core
}
