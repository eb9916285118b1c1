//! Hotspots described for people: where, how many, what and when.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use geo::{Contains, ConvexHull, Distance, Haversine, MultiPoint, MultiPolygon, Point, Polygon};
use h3o::{CellIndex, Resolution};
use trygg_domain::{Location, TimeOfDay};

use super::{HexGi, HotspotError, cell_of};

/// A pin with what a summary needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct HotspotPin {
    /// Where.
    pub location: Location,
    /// The category key, when known.
    pub category: Option<String>,
    /// When the place feels unsafe, when known.
    pub time_of_day: Option<TimeOfDay>,
    /// Who placed it (a response id), when known, to count distinct respondents.
    pub respondent: Option<String>,
}

/// An area (district) by name.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedArea {
    /// Name shown to people, e.g. "Kungsängen".
    pub name: String,
    /// Its polygons (WGS84, x = longitude).
    pub shape: MultiPolygon<f64>,
}

/// A named place, e.g. "Bro centrum".
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPlace {
    /// Name shown to people.
    pub name: String,
    /// Where it is.
    pub location: Location,
}

/// One category's part of a hotspot's pins.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryShare {
    /// The category key.
    pub category: String,
    /// Pins of that category.
    pub pins: usize,
    /// Their share of the hotspot's pins with a category, 0 to 1.
    pub share: f64,
}

/// How a hotspot changed since the previous round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// Pins of the previous round in the same cells.
    pub previous_pins: usize,
    /// Pins now minus pins then.
    pub difference: i64,
}

/// A hotspot as a person reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hotspot {
    /// A name: the nearest named place within 500 m of the centroid, else the area it
    /// lies in, else its coordinates.
    pub name: String,
    /// The area the centroid lies in.
    pub area: Option<String>,
    /// Mean position of the pins (of the cells' centres when there are none), (lon, lat).
    pub centroid: (f64, f64),
    /// Convex hull of the pins.
    pub hull: Polygon<f64>,
    /// The hexagons it covers.
    pub cells: Vec<CellIndex>,
    /// Pins in it.
    pub pins: usize,
    /// Distinct respondents among the pins with a known respondent.
    pub respondents: usize,
    /// The three most frequent categories with their shares.
    pub top_categories: Vec<CategoryShare>,
    /// Pins per time of day, in [`TimeOfDay::ALL`] order.
    pub time_of_day: Vec<(TimeOfDay, usize)>,
    /// Change since the previous round, when one is given.
    pub change: Option<Change>,
}

/// Groups of touching hot cells: the hotspots of a Gi* map.
///
/// # Parameters
/// - `hex`: a [`HexGi`] result.
/// - `confidence`: 90, 95 or 99; cells classed hot at this confidence or more count.
///
/// # Returns
/// Each group's cells (sorted), groups ordered by their first cell. Cells touch when
/// one is in the other's 1-ring.
pub fn hot_cell_groups(hex: &HexGi, confidence: u8) -> Vec<Vec<CellIndex>> {
    let hot: BTreeSet<CellIndex> = hex
        .cells
        .iter()
        .zip(&hex.gi.class)
        .filter(|(_, class)| class.is_hot_at(confidence))
        .map(|(&cell, _)| cell)
        .collect();
    let mut seen: HashSet<CellIndex> = HashSet::new();
    let mut groups = Vec::new();
    for &start in &hot {
        if !seen.insert(start) {
            continue;
        }
        let mut group = vec![start];
        let mut stack = vec![start];
        while let Some(cell) = stack.pop() {
            for next in cell.grid_disk::<Vec<_>>(1) {
                if hot.contains(&next) && seen.insert(next) {
                    group.push(next);
                    stack.push(next);
                }
            }
        }
        group.sort_unstable();
        groups.push(group);
    }
    groups
}

/// Describes hotspots given as groups of hexagons.
///
/// # Parameters
/// - `groups`: each hotspot's cells, e.g. from [`hot_cell_groups`] or the cells of a
///   DBSCAN cluster's pins.
/// - `resolution`: the cells' resolution.
/// - `pins`: this round's pins.
/// - `previous`: the previous round's pin positions, if any.
/// - `areas`, `places`: names to choose from.
///
/// # Returns
/// One [`Hotspot`] per group that holds at least one pin of this round, in the groups'
/// order. A group of hot cells without a pin of its own is hot only through its
/// neighbours' pins; it is left out, as "Brunna: 0 pins" tells a reader nothing.
///
/// # Errors
/// As [`cell_of`].
///
/// # Notes
/// A pin belongs to a hotspot when its cell does; the change compares pin counts in the
/// same cells, so it reads well when the rounds had similar numbers of respondents.
pub fn summarise(
    groups: &[Vec<CellIndex>],
    resolution: Resolution,
    pins: &[HotspotPin],
    previous: Option<&[Location]>,
    areas: &[NamedArea],
    places: &[NamedPlace],
) -> Result<Vec<Hotspot>, HotspotError> {
    let mut group_of_cell: HashMap<CellIndex, usize> = HashMap::new();
    for (g, cells) in groups.iter().enumerate() {
        for &cell in cells {
            group_of_cell.entry(cell).or_insert(g);
        }
    }
    let mut members: Vec<Vec<&HotspotPin>> = vec![Vec::new(); groups.len()];
    for pin in pins {
        if let Some(&g) = group_of_cell.get(&cell_of(pin.location, resolution)?)
            && let Some(list) = members.get_mut(g)
        {
            list.push(pin);
        }
    }
    let mut previous_counts = vec![0_usize; groups.len()];
    if let Some(previous) = previous {
        for &location in previous {
            if let Some(&g) = group_of_cell.get(&cell_of(location, resolution)?)
                && let Some(count) = previous_counts.get_mut(g)
            {
                *count += 1;
            }
        }
    }
    Ok(groups
        .iter()
        .zip(members)
        .zip(previous_counts)
        .filter(|((_, members), _)| !members.is_empty())
        .map(|((cells, members), previous_pins)| {
            describe(
                cells,
                &members,
                previous.map(|_| previous_pins),
                areas,
                places,
            )
        })
        .collect())
}

fn describe(
    cells: &[CellIndex],
    members: &[&HotspotPin],
    previous_pins: Option<usize>,
    areas: &[NamedArea],
    places: &[NamedPlace],
) -> Hotspot {
    let points: Vec<Point<f64>> = members.iter().map(|p| p.location.point()).collect();
    let centroid = if points.is_empty() {
        let centres: Vec<(f64, f64)> = cells
            .iter()
            .map(|&c| {
                let ll = h3o::LatLng::from(c);
                (ll.lng(), ll.lat())
            })
            .collect();
        mean(&centres)
    } else {
        mean(&points.iter().map(|p| (p.x(), p.y())).collect::<Vec<_>>())
    };
    let centre = Point::new(centroid.0, centroid.1);
    let area = areas
        .iter()
        .find(|a| a.shape.contains(&centre))
        .map(|a| a.name.clone());
    let place = places
        .iter()
        .map(|p| (Haversine.distance(p.location.point(), centre), p))
        .filter(|(d, _)| *d <= 500.0)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, p)| p.name.clone());
    let name = place
        .or_else(|| area.clone())
        .unwrap_or_else(|| format!("{:.4} N {:.4} E", centroid.1, centroid.0));

    let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
    for pin in members {
        if let Some(category) = &pin.category {
            *categories.entry(category.as_str()).or_insert(0) += 1;
        }
    }
    let with_category: usize = categories.values().sum();
    let mut ranked: Vec<(&str, usize)> = categories.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top_categories = ranked
        .into_iter()
        .take(3)
        .map(|(category, count)| CategoryShare {
            category: category.to_owned(),
            pins: count,
            share: count as f64 / with_category as f64,
        })
        .collect();
    let time_of_day = TimeOfDay::ALL
        .iter()
        .map(|&t| {
            (
                t,
                members.iter().filter(|p| p.time_of_day == Some(t)).count(),
            )
        })
        .collect();
    let respondents = members
        .iter()
        .filter_map(|p| p.respondent.as_deref())
        .collect::<HashSet<_>>()
        .len();
    Hotspot {
        name,
        area,
        centroid,
        hull: MultiPoint::new(points).convex_hull(),
        cells: cells.to_vec(),
        pins: members.len(),
        respondents,
        top_categories,
        time_of_day,
        change: previous_pins.map(|before| Change {
            previous_pins: before,
            difference: members.len() as i64 - before as i64,
        }),
    }
}

fn mean(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len().max(1) as f64;
    let (x, y) = points
        .iter()
        .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
    (x / n, y / n)
}
