//! Hotspots of unsafe places: density clusters, hexagon bins with Gi* significance and heat surfaces.
//!
//! - [`dbscan`]: exact DBSCAN in metres with scikit-learn's labels.
//! - [`cell_of`], [`count_by_cell`], [`study_region`], [`hex_ring`]: H3 hexagons (h3o, ids
//!   equal to h3-py) and the one outline every hexagon map draws.
//! - [`gi_star`], [`hex_gi_star`], [`hex_gi_star_counts`]: Getis–Ord Gi* as esda's `G_Local(transform="B", star=True)`,
//!   with seeded conditional permutations, Benjamini–Hochberg q-values and hot/cold classes.
//! - [`kde`]: kernel density heat surfaces on a metric grid.
//! - [`summarise`]: hotspots described for people: name, centroid, hull, categories, change.
//!
//! Everything is a pure function of its arguments; the only parallelism is
//! `std::thread::scope` on two threads.
//!
//! ```
//! use trygg_analysis::hotspot::dbscan;
//! use trygg_domain::Location;
//!
//! let pins: Vec<Location> = [(17.6335, 59.512), (17.6336, 59.512), (17.70, 59.50)]
//!     .iter()
//!     .map(|&(lon, lat)| Location::parse(lon, lat, "pin").unwrap())
//!     .collect();
//! assert_eq!(dbscan(&pins, 50.0, 2).unwrap(), vec![0, 0, -1]);
//! ```

mod dbscan;
pub(crate) mod gi;
pub(crate) mod hex;
mod kde;
mod summary;

pub use dbscan::{NOISE, dbscan, dbscan_planar};
pub use gi::{GiClass, GiOptions, GiResult, Ties, benjamini_hochberg, gi_star};
pub use hex::{
    HexGi, cell_of, count_by_cell, hex_gi_star, hex_gi_star_counts, hex_ring, study_region,
};
pub use kde::{Kernel, MetricGrid, kde};
pub use summary::{
    CategoryShare, Change, Hotspot, HotspotPin, NamedArea, NamedPlace, hot_cell_groups, summarise,
};

/// The mean earth radius in metres (IUGG), as scikit-learn's haversine and h3 use it.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Why a hotspot computation cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HotspotError {
    /// A parameter is out of its range.
    #[error("{0}")]
    Parameter(String),
    /// An area polygon cannot be covered with hexagons.
    #[error("area {index} cannot be covered with hexagons: {reason}")]
    Geometry {
        /// The area's position in the input.
        index: usize,
        /// What h3o reported.
        reason: String,
    },
}
