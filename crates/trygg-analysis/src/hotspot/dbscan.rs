//! Exact DBSCAN with scikit-learn's labels, on a grid index.

use std::collections::HashMap;
use std::f64::consts::PI;

use trygg_domain::Location;

use super::{EARTH_RADIUS_M, HotspotError};
use crate::union_find::find;

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
    /// The point's coordinates for bounding boxes: (latitude or y, longitude or x, and
    /// the cosine of the latitude, 1 on a plane).
    fn coords(&self, i: usize) -> (f64, f64, f64);
    /// Whether every point of box `a` is certainly out of reach of every point of box
    /// `b`; boxes are `[min y, max y, min x, max x]`. `false` when unsure.
    fn far(&self, a: &Bounds, b: &Bounds) -> bool;
    /// Whether every point of box `a` is certainly in reach of every point of box `b`.
    /// `false` when unsure.
    fn close(&self, a: &Bounds, b: &Bounds) -> bool;
}

/// The largest distance between two intervals.
fn span(a_min: f64, a_max: f64, b_min: f64, b_max: f64) -> f64 {
    (b_max - a_min).max(a_max - b_min)
}

/// `[min y, max y, min x, max x, min cos φ, max cos φ]` of a cell's points.
type Bounds = [f64; 6];

/// The gap between two intervals, 0 when they overlap.
fn gap(a_min: f64, a_max: f64, b_min: f64, b_max: f64) -> f64 {
    (b_min - a_max).max(a_min - b_max).max(0.0)
}

/// Radians with the cosine of the latitude cached, and a wrapping longitude grid.
struct Haversine {
    /// Latitude, longitude (radians) and the cosine of the latitude of each point.
    points: Vec<[f64; 3]>,
    /// `sin²(ε/2)`, scikit-learn's reduced radius for haversine.
    reduced_eps: f64,
    half_eps: f64,
    sin_half_eps: f64,
    row_height: f64,
    column_width: f64,
    columns: i64,
    reach_columns: i64,
}

impl Haversine {
    fn new(points: &[Location], eps: f64) -> Self {
        let lat: Vec<f64> = points.iter().map(|p| p.lat().to_radians()).collect();
        let lon: Vec<f64> = points.iter().map(|p| p.lon().to_radians()).collect();
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
        let points = lat
            .iter()
            .zip(&lon)
            .map(|(&lat, &lon)| [lat, lon, lat.cos()])
            .collect();
        Self {
            points,
            reduced_eps,
            half_eps: 0.5 * eps,
            sin_half_eps: half,
            row_height,
            column_width,
            columns,
            reach_columns,
        }
    }
}

impl Space for Haversine {
    fn len(&self) -> usize {
        self.points.len()
    }

    fn cell(&self, i: usize) -> (i64, i64) {
        let [lat, lon, _] = self.points.get(i).copied().unwrap_or_default();
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
        let (Some(&[lat_a, lon_a, cos_a]), Some(&[lat_b, lon_b, cos_b])) =
            (self.points.get(a), self.points.get(b))
        else {
            return false;
        };
        let d_lat = lat_a - lat_b;
        let d_lon = lon_a - lon_b;
        // A cheap decision first: with x = Δ/2, x²(1 − x²/3) ≤ sin²x ≤ x², so the
        // small-angle value bounds scikit-learn's from both sides. Only pairs within
        // that sliver of the radius (and pairs far apart in longitude, where the
        // longitude may wrap) need the sines.
        if d_lat.abs() < 0.1 && d_lon.abs() < 0.1 {
            let small = 0.25 * (d_lat * d_lat + cos_a * cos_b * d_lon * d_lon);
            if small < self.reduced_eps * (1.0 - 1e-12) {
                return true;
            }
            let x2 = 0.25 * d_lat.abs().max(d_lon.abs()).powi(2);
            if small * (1.0 - x2 / 3.0 - 1e-12) > self.reduced_eps {
                return false;
            }
        }
        // scikit-learn's HaversineDistance.rdist, operation for operation.
        let sin_0 = (0.5 * d_lat).sin();
        let sin_1 = (0.5 * d_lon).sin();
        sin_0 * sin_0 + cos_a * cos_b * sin_1 * sin_1 <= self.reduced_eps
    }

    fn coords(&self, i: usize) -> (f64, f64, f64) {
        let [lat, lon, cos] = self.points.get(i).copied().unwrap_or_default();
        (lat, lon, cos)
    }

    fn far(&self, a: &Bounds, b: &Bounds) -> bool {
        // The distance is at least the latitude gap, and rdist ≥ cos²φ_max · sin²(Δλ/2)
        // with sin x ≥ x (1 − x²/6); no sines needed, and a wide margin covers rounding.
        let lat_gap = gap(a[0], a[1], b[0], b[1]);
        if 0.5 * lat_gap > self.half_eps * (1.0 + 1e-9) {
            return true;
        }
        let lon_span = a[3].max(b[3]) - a[2].min(b[2]);
        if lon_span > 1.0 {
            return false;
        }
        let x = 0.5 * gap(a[2], a[3], b[2], b[3]);
        a[4].min(b[4]) * x * (1.0 - x * x / 6.0) > self.sin_half_eps * (1.0 + 1e-9)
    }

    fn close(&self, a: &Bounds, b: &Bounds) -> bool {
        // rdist ≤ (Δφ_max/2)² + cos²φ_min · (Δλ_max/2)², as sin x ≤ x and cos falls with |φ|.
        let lat_span = 0.5 * span(a[0], a[1], b[0], b[1]);
        let lon_span = 0.5 * span(a[2], a[3], b[2], b[3]) * a[5].max(b[5]);
        lat_span * lat_span + lon_span * lon_span < self.reduced_eps * (1.0 - 1e-9)
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

    fn coords(&self, i: usize) -> (f64, f64, f64) {
        let [x, y] = self.points.get(i).copied().unwrap_or_default();
        (y, x, 1.0)
    }

    fn far(&self, a: &Bounds, b: &Bounds) -> bool {
        let dy = gap(a[0], a[1], b[0], b[1]);
        let dx = gap(a[2], a[3], b[2], b[3]);
        dx * dx + dy * dy > self.eps_squared * (1.0 + 1e-9)
    }

    fn close(&self, a: &Bounds, b: &Bounds) -> bool {
        let dy = span(a[0], a[1], b[0], b[1]);
        let dx = span(a[2], a[3], b[2], b[3]);
        dx * dx + dy * dy < self.eps_squared * (1.0 - 1e-9)
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
    /// The bounding box of each cell's points.
    bounds: Vec<Bounds>,
    /// Where each row's cells start and end in `cells`.
    rows: HashMap<i64, (usize, usize)>,
}

impl Grid {
    fn new(space: &impl Space) -> Self {
        let n = space.len();
        let keys: Vec<(i64, i64)> = (0..n).map(|i| space.cell(i)).collect();
        // Sorting (row, column, index) triples directly keeps the comparisons in cache.
        let mut sorted: Vec<(i64, i64, usize)> = keys
            .iter()
            .enumerate()
            .map(|(i, &(row, column))| (row, column, i))
            .collect();
        sorted.sort_unstable();
        let order: Vec<usize> = sorted.iter().map(|&(_, _, i)| i).collect();
        drop(sorted);
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
        let bounds = cells
            .iter()
            .map(|&(_, _, start, end)| {
                let mut b = [
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                ];
                for &i in order.get(start..end).unwrap_or_default() {
                    let (y, x, c) = space.coords(i);
                    b = [
                        b[0].min(y),
                        b[1].max(y),
                        b[2].min(x),
                        b[3].max(x),
                        b[4].min(c),
                        b[5].max(c),
                    ];
                }
                b
            })
            .collect();
        let mut rows: HashMap<i64, (usize, usize)> = HashMap::new();
        for (index, &(row, _, _, _)) in cells.iter().enumerate() {
            rows.entry(row)
                .and_modify(|range| range.1 = index + 1)
                .or_insert((index, index + 1));
        }
        Self {
            order,
            cells,
            cell_of,
            core_end: Vec::new(),
            bounds,
            rows,
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

    /// Fills `out` with every non-empty cell in reach of `cell`, itself included.
    fn neighbourhood(&self, space: &impl Space, cell: usize, out: &mut Vec<usize>) {
        out.clear();
        let Some(&(row, column, _, _)) = self.cells.get(cell) else {
            return;
        };
        let (reach_rows, reach_columns) = space.reach();
        let mut ranges: Vec<(i64, i64)> = Vec::with_capacity(2);
        for r in row - reach_rows..=row + reach_rows {
            ranges.clear();
            match space.columns() {
                Some(columns) if 2 * reach_columns + 1 >= columns => {
                    ranges.push((0, columns - 1));
                }
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
            let Some(&(row_start, row_end)) = self.rows.get(&r) else {
                continue;
            };
            let row_cells = self.cells.get(row_start..row_end).unwrap_or_default();
            for &(low, high) in &ranges {
                let start = row_cells.partition_point(|c| c.1 < low);
                let end = row_cells.partition_point(|c| c.1 <= high);
                out.extend(row_start + start..row_start + end.max(start));
            }
        }
    }

    fn bounds(&self, cell: usize) -> Bounds {
        self.bounds.get(cell).copied().unwrap_or_default()
    }
}

fn point_bounds(space: &impl Space, i: usize) -> Bounds {
    let (y, x, cos) = space.coords(i);
    [y, y, x, x, cos, cos]
}

fn run(space: &impl Space, min_points: usize) -> Vec<i64> {
    let n = space.len();
    let grid = Grid::new(space);
    let core = core_flags(space, &grid, min_points);
    let is_core = |i: usize| core.get(i).copied().unwrap_or(false);
    let grid = grid.cores_first(&core);
    let cells = grid.cells.len();

    // Cores of a cell are all neighbours, so a cell's cores form one piece; cells join
    // when one pair of their cores is in reach. Each thread links the cells of its half
    // in its own union–find; merging the two gives the components of all links.
    let mut parent: Vec<usize> = if n < 20_000 {
        link_cells(space, &grid, 0..cells)
    } else {
        let middle = cells / 2;
        let (first, second) = std::thread::scope(|scope| {
            let first = scope.spawn(|| link_cells(space, &grid, 0..middle));
            let second = link_cells(space, &grid, middle..cells);
            let first = first
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (first, second)
        });
        // Union–find over cells: each union keeps the smaller index as the root.
        let mut merged = first;
        let mut second = second;
        for cell in 0..cells {
            let other = find(&mut second, cell);
            if other != cell {
                let a = find(&mut merged, cell);
                let b = find(&mut merged, other);
                let (low, high) = (a.min(b), a.max(b));
                if let Some(slot) = merged.get_mut(high) {
                    *slot = low;
                }
            }
        }
        merged
    };
    let mut around: Vec<usize> = Vec::new();

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
    let cell_cluster: Vec<i64> = (0..cells)
        .map(|c| {
            if grid.cores(c).is_empty() {
                NOISE
            } else {
                let root = find(&mut parent, c);
                cluster_of_root.get(&root).copied().unwrap_or(NOISE)
            }
        })
        .collect();

    let mut labels = vec![NOISE; n];
    let mut candidates: Vec<(i64, usize)> = Vec::new();
    for cell in 0..cells {
        let own = cell_cluster.get(cell).copied().unwrap_or(NOISE);
        let members = grid.members(cell);
        let core_count = grid.cores(cell).len();
        for &i in members.get(..core_count).unwrap_or_default() {
            if let Some(label) = labels.get_mut(i) {
                *label = own;
            }
        }
        let border = members.get(core_count..).unwrap_or_default();
        if border.is_empty() {
            continue;
        }
        // A border point takes the smallest cluster with a core in reach; its own cell's
        // cores are all in reach. Candidate cells are tried from the smallest cluster up.
        let cell_bounds = grid.bounds(cell);
        grid.neighbourhood(space, cell, &mut around);
        candidates.clear();
        candidates.extend(around.iter().filter_map(|&other| {
            let cluster = cell_cluster.get(other).copied().unwrap_or(NOISE);
            (other != cell && cluster != NOISE && !space.far(&cell_bounds, &grid.bounds(other)))
                .then_some((cluster, other))
        }));
        candidates.sort_unstable();
        for &i in border {
            let mut best = if own == NOISE { i64::MAX } else { own };
            let bounds = point_bounds(space, i);
            for &(cluster, other) in &candidates {
                if cluster >= best {
                    break;
                }
                if !space.far(&bounds, &grid.bounds(other))
                    && grid.cores(other).iter().any(|&q| space.near(i, q))
                {
                    best = cluster;
                }
            }
            if best != i64::MAX
                && let Some(label) = labels.get_mut(i)
            {
                *label = best;
            }
        }
    }
    labels
}

/// Union–find over all cells, linking each cell of `range` to the later cells it reaches.
fn link_cells(space: &impl Space, grid: &Grid, range: std::ops::Range<usize>) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..grid.cells.len()).collect();
    let mut around: Vec<usize> = Vec::new();
    for cell in range {
        let cores = grid.cores(cell);
        if cores.is_empty() {
            continue;
        }
        let cell_bounds = grid.bounds(cell);
        grid.neighbourhood(space, cell, &mut around);
        for &other in &around {
            let other_cores = grid.cores(other);
            if other <= cell || other_cores.is_empty() {
                continue;
            }
            let other_bounds = grid.bounds(other);
            if space.far(&cell_bounds, &other_bounds) {
                continue;
            }
            let a = find(&mut parent, cell);
            let b = find(&mut parent, other);
            if a == b {
                continue;
            }
            let linked = space.close(&cell_bounds, &other_bounds)
                || cores.iter().any(|&p| {
                    !space.far(&point_bounds(space, p), &other_bounds)
                        && other_cores.iter().any(|&q| space.near(p, q))
                });
            if linked {
                let (low, high) = (a.min(b), a.max(b));
                if let Some(slot) = parent.get_mut(high) {
                    *slot = low;
                }
            }
        }
    }
    parent
}

/// Core flags, counted on two threads for large inputs.
fn core_flags(space: &impl Space, grid: &Grid, min_points: usize) -> Vec<bool> {
    let cells = grid.cells.len();
    let flags_of_cells = |range: std::ops::Range<usize>| -> Vec<(usize, bool)> {
        let mut around = Vec::new();
        let mut flags = Vec::new();
        for cell in range {
            let members = grid.members(cell);
            if members.len() >= min_points {
                flags.extend(members.iter().map(|&i| (i, true)));
                continue;
            }
            let cell_bounds = grid.bounds(cell);
            grid.neighbourhood(space, cell, &mut around);
            around.retain(|&other| other != cell && !space.far(&cell_bounds, &grid.bounds(other)));
            // Nearest cells first, so the count reaches min_points early.
            let (row, column) = grid.cells.get(cell).map_or((0, 0), |c| (c.0, c.1));
            around.sort_by_key(|&other| {
                grid.cells
                    .get(other)
                    .map_or(i64::MAX, |c| (c.0 - row).abs().max((c.1 - column).abs()))
            });
            for &i in members {
                let bounds = point_bounds(space, i);
                let mut count = members.len();
                'cells: for &other in &around {
                    if count >= min_points {
                        break;
                    }
                    let other_bounds = grid.bounds(other);
                    if space.far(&bounds, &other_bounds) {
                        continue;
                    }
                    if space.close(&bounds, &other_bounds) {
                        count += grid.members(other).len();
                        continue;
                    }
                    for &j in grid.members(other) {
                        if space.near(i, j) {
                            count += 1;
                            if count >= min_points {
                                break 'cells;
                            }
                        }
                    }
                }
                flags.push((i, count >= min_points));
            }
        }
        flags
    };
    let mut core = vec![false; space.len()];
    let parts: Vec<Vec<(usize, bool)>> = if space.len() < 20_000 {
        vec![flags_of_cells(0..cells)]
    } else {
        let middle = cells / 2;
        std::thread::scope(|scope| {
            let first = scope.spawn(|| flags_of_cells(0..middle));
            let second = flags_of_cells(middle..cells);
            let first = first
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            vec![first, second]
        })
    };
    for (i, flag) in parts.into_iter().flatten() {
        if let Some(slot) = core.get_mut(i) {
            *slot = flag;
        }
    }
    core
}
