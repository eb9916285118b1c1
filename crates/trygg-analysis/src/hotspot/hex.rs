//! H3 hexagon bins and Gi* over a study region of hexagons.

use std::collections::{BTreeMap, HashMap};

use geo::MultiPolygon;
use h3o::geom::{ContainmentMode, TilerBuilder};
use h3o::{CellIndex, LatLng, Resolution};
use trygg_domain::Location;

use super::gi::{Links, gi_links};
use super::{GiOptions, GiResult, HotspotError};

/// The outline of an H3 cell as a closed ring of (longitude, latitude) in degrees: the
/// cell's vertices in h3o's order, the first repeated at the end (as GeoJSON wants).
///
/// Every map of hexagons draws its cells with this one ring: the cells GeoJSON, the
/// lägesbild's map and PDF, and the picture of `trygg hotspots gi --png`.
pub fn hex_ring(cell: CellIndex) -> Vec<(f64, f64)> {
    let boundary = cell.boundary();
    let mut ring: Vec<(f64, f64)> = boundary.iter().map(|v| (v.lng(), v.lat())).collect();
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    ring
}

/// The H3 cell of a location at a resolution; the id equals h3-py's `latlng_to_cell`.
///
/// # Parameters
/// - `location`: a WGS84 position.
/// - `resolution`: the H3 resolution (9 is about 200 m across an edge).
///
/// # Returns
/// The cell containing the position.
///
/// # Errors
/// [`HotspotError::Parameter`] if h3o rejects the coordinates, which a valid
/// [`Location`] never gives.
pub fn cell_of(location: Location, resolution: Resolution) -> Result<CellIndex, HotspotError> {
    LatLng::new(location.lat(), location.lon())
        .map(|l| l.to_cell(resolution))
        .map_err(|e| HotspotError::Parameter(format!("not an H3 position: {e}")))
}

/// Pins per H3 cell.
///
/// # Parameters
/// - `locations`: the pins' positions.
/// - `resolution`: the H3 resolution.
///
/// # Returns
/// The number of pins in each cell that has any, ordered by cell id.
///
/// # Errors
/// As [`cell_of`].
pub fn count_by_cell(
    locations: &[Location],
    resolution: Resolution,
) -> Result<BTreeMap<CellIndex, u32>, HotspotError> {
    // Hashing first and ordering the few distinct cells afterwards is much faster than
    // inserting every pin into an ordered map.
    let mut counts: HashMap<CellIndex, u32> = HashMap::new();
    for &location in locations {
        *counts.entry(cell_of(location, resolution)?).or_insert(0) += 1;
    }
    Ok(counts.into_iter().collect())
}

/// The hexagons a Gi* analysis runs over.
///
/// # Parameters
/// - `pin_cells`: the cells that hold pins.
/// - `areas`: the municipality's area polygons (WGS84, x = longitude); may be empty.
/// - `resolution`: the H3 resolution.
/// - `k`: the k-ring radius of the neighbourhood.
///
/// # Returns
/// The study region, sorted by cell id: with areas, every cell that covers some part of
/// an area (h3o `ContainmentMode::Covers`) plus the pins' cells; without areas, the
/// pins' cells and their k-rings. Cells without pins count as 0.
///
/// # Errors
/// [`HotspotError::Geometry`] when an area polygon is invalid for h3o.
pub fn study_region(
    pin_cells: impl IntoIterator<Item = CellIndex>,
    areas: &[MultiPolygon<f64>],
    resolution: Resolution,
    k: u32,
) -> Result<Vec<CellIndex>, HotspotError> {
    let mut region: Vec<CellIndex> = Vec::new();
    let pin_cells: Vec<CellIndex> = pin_cells.into_iter().collect();
    if areas.is_empty() {
        for cell in &pin_cells {
            region.extend(cell.grid_disk::<Vec<_>>(k));
        }
    } else {
        for (index, area) in areas.iter().enumerate() {
            let mut tiler = TilerBuilder::new(resolution)
                .containment_mode(ContainmentMode::Covers)
                .build();
            for polygon in area {
                tiler
                    .add(polygon.clone())
                    .map_err(|e| HotspotError::Geometry {
                        index,
                        reason: e.to_string(),
                    })?;
            }
            region.extend(tiler.into_coverage());
        }
        region.extend(pin_cells);
    }
    region.sort_unstable();
    region.dedup();
    Ok(region)
}

/// Gi* over hexagons: the cells, their pin counts and the statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct HexGi {
    /// The study region, sorted by cell id.
    pub cells: Vec<CellIndex>,
    /// Pins per cell.
    pub counts: Vec<u32>,
    /// Gi* per cell.
    pub gi: GiResult,
}

/// Hot and cold spots of pins on H3 hexagons with Getis–Ord Gi*.
///
/// Bins pins with [`count_by_cell`], builds the [`study_region`], links each cell to the
/// cells of its k-ring inside the region (binary weights, self included) and runs
/// [`gi_star`].
///
/// # Parameters
/// - `locations`: the pins' positions.
/// - `areas`: the municipality's area polygons, or none.
/// - `resolution`: the H3 resolution (default 9).
/// - `k`: the k-ring radius (default 1: the six touching hexagons).
/// - `options`: permutations, seed and FDR classing.
///
/// # Returns
/// [`HexGi`]: one entry per cell of the study region.
///
/// # Errors
/// [`HotspotError`] for an invalid area polygon or `k` = 0.
///
/// # Notes
/// Equals esda's `G_Local(counts, W, transform="B", star=True)` where `W` links the
/// same k-ring neighbours; cells outside the region are not neighbours.
pub fn hex_gi_star(
    locations: &[Location],
    areas: &[MultiPolygon<f64>],
    resolution: Resolution,
    k: u32,
    options: &GiOptions,
) -> Result<HexGi, HotspotError> {
    let mut counts: HashMap<CellIndex, u32> = HashMap::new();
    for &location in locations {
        *counts.entry(cell_of(location, resolution)?).or_insert(0) += 1;
    }
    hex_gi_star_counts(&counts, areas, resolution, k, options)
}

/// [`hex_gi_star`] from pins already counted per cell, e.g. while reading a file.
///
/// # Parameters
/// - `counts`: pins per cell, for the cells that have any.
/// - the others as [`hex_gi_star`].
///
/// # Errors
/// As [`hex_gi_star`].
pub fn hex_gi_star_counts(
    counts: &HashMap<CellIndex, u32>,
    areas: &[MultiPolygon<f64>],
    resolution: Resolution,
    k: u32,
    options: &GiOptions,
) -> Result<HexGi, HotspotError> {
    if k == 0 {
        return Err(HotspotError::Parameter(
            "k must be at least 1: a cell needs neighbours".to_owned(),
        ));
    }
    let cells = study_region(counts.keys().copied(), areas, resolution, k)?;
    let links = k_ring_links(&cells, k);
    let cell_counts: Vec<u32> = cells
        .iter()
        .map(|c| counts.get(c).copied().unwrap_or(0))
        .collect();
    let y: Vec<f64> = cell_counts.iter().map(|&c| f64::from(c)).collect();
    let gi = gi_links(&y, &links, options);
    Ok(HexGi {
        cells,
        counts: cell_counts,
        gi,
    })
}

/// For each of `cells` (sorted, as [`study_region`] gives them), the positions of the
/// other cells of its k-ring among them, in order: binary weights over the region.
pub(crate) fn k_ring_links(cells: &[CellIndex], k: u32) -> Links {
    let mut position: HashMap<CellIndex, u32> = HashMap::with_capacity(cells.len());
    for (i, &cell) in cells.iter().enumerate() {
        position.insert(cell, i as u32);
    }
    // A k-ring holds 3k(k + 1) cells around its centre.
    let ring_size = 3 * (k as usize) * (k as usize + 1);
    let mut links = Links::with_capacity(cells.len(), cells.len() * ring_size);
    let mut list: Vec<u32> = Vec::new();
    for &cell in cells {
        list.clear();
        list.extend(
            cell.grid_disk::<Vec<_>>(k)
                .into_iter()
                .filter(|&other| other != cell)
                .filter_map(|other| position.get(&other).copied()),
        );
        list.sort_unstable();
        links.push(list.iter().copied());
    }
    links
}
