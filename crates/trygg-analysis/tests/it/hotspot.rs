//! Hotspot maths against scikit-learn, esda and h3-py fixtures.
//!
//! The fixtures are written by `tools/reference/hotspot/make_fixtures.py` with the
//! pinned packages of `tools/reference/hotspot/requirements.txt`.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::HashMap;
use std::path::Path;

use geo::{LineString, MultiPolygon, Polygon};
use h3o::{CellIndex, LatLng, Resolution};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use trygg_analysis::hotspot::{
    GiClass, GiOptions, HotspotPin, Kernel, MetricGrid, NOISE, Ties, benjamini_hochberg, cell_of,
    count_by_cell, dbscan, dbscan_planar, gi_star, hex_gi_star, hex_ring, kde, study_region,
    summarise,
};
use trygg_domain::Location;

fn fixture<T: DeserializeOwned>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hotspot")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn locations(lon: &[f64], lat: &[f64]) -> Vec<Location> {
    lon.iter()
        .zip(lat)
        .map(|(&lon, &lat)| Location::parse(lon, lat, "pin").unwrap())
        .collect()
}

fn at(lon: f64, lat: f64) -> Location {
    Location::parse(lon, lat, "pin").unwrap()
}

/// Asserts `actual` equals `expected` within a relative tolerance (absolute near zero).
fn assert_close(actual: &[f64], expected: &[f64], rel: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths differ");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let tolerance = rel * e.abs().max(1e-12);
        assert!(
            (a - e).abs() <= tolerance,
            "{what}[{i}]: {a} differs from {e} by more than {tolerance}"
        );
    }
}

#[derive(Deserialize)]
struct PlanarCase {
    points: Vec<[f64; 2]>,
    eps: f64,
    min_points: usize,
    labels: Vec<i64>,
}

#[derive(Deserialize)]
struct PinCase {
    lon: Vec<f64>,
    lat: Vec<f64>,
    eps_m: f64,
    min_points: usize,
    labels: Vec<i64>,
}

fn check_dbscan(name: &str) {
    let case: PinCase = fixture(name);
    let labels = dbscan(
        &locations(&case.lon, &case.lat),
        case.eps_m,
        case.min_points,
    )
    .unwrap();
    let differing: Vec<usize> = (0..labels.len())
        .filter(|&i| labels[i] != case.labels[i])
        .collect();
    assert!(
        differing.is_empty(),
        "{name}: {} labels differ from scikit-learn, first at {:?}",
        differing.len(),
        differing.first()
    );
}

#[test]
fn dbscan_labels_equal_scikit_learns_docstring_example() {
    let case: PlanarCase = fixture("dbscan_docstring.json");
    assert_eq!(
        dbscan_planar(&case.points, case.eps, case.min_points).unwrap(),
        case.labels
    );
}

#[test]
fn dbscan_labels_equal_scikit_learn_on_a_city_with_duplicates_and_pairs_exactly_eps_apart() {
    check_dbscan("dbscan_city_min2.json");
    check_dbscan("dbscan_city_min5.json");
}

#[test]
fn dbscan_labels_equal_scikit_learn_on_the_demo_pins() {
    check_dbscan("dbscan_demo.json");
}

#[test]
fn dbscan_rejects_a_radius_that_is_not_positive_and_a_zero_core_size() {
    let pins = [at(17.6, 59.5)];
    assert!(dbscan(&pins, 0.0, 5).is_err());
    assert!(dbscan(&pins, -1.0, 5).is_err());
    assert!(dbscan(&pins, f64::NAN, 5).is_err());
    assert!(dbscan(&pins, 50.0, 0).is_err());
}

#[test]
fn dbscan_of_no_pins_is_empty_and_one_pin_is_noise_unless_one_point_makes_a_core() {
    assert!(dbscan(&[], 50.0, 5).unwrap().is_empty());
    assert_eq!(dbscan(&[at(17.6, 59.5)], 50.0, 2).unwrap(), vec![NOISE]);
    assert_eq!(dbscan(&[at(17.6, 59.5)], 50.0, 1).unwrap(), vec![0]);
}

#[test]
fn dbscan_puts_identical_pins_in_one_cluster_when_there_are_enough_of_them() {
    let same = vec![at(17.6335, 59.512); 7];
    assert_eq!(dbscan(&same, 1.0, 7).unwrap(), vec![0; 7]);
    assert_eq!(dbscan(&same, 1.0, 8).unwrap(), vec![NOISE; 7]);
}

#[test]
fn dbscan_works_across_the_antimeridian_and_at_the_pole() {
    let pins = [
        at(179.9999, 0.0),
        at(-179.9999, 0.0),
        at(0.0, 90.0),
        at(120.0, 89.99999),
    ];
    assert_eq!(dbscan(&pins, 50.0, 2).unwrap(), vec![0, 0, 1, 1]);
}

#[derive(Deserialize)]
struct EsdaPoints {
    y: Vec<f64>,
    neighbours: Vec<Vec<usize>>,
    #[serde(rename = "Gs")]
    g: Vec<f64>,
    #[serde(rename = "EGs")]
    expected: Vec<f64>,
    #[serde(rename = "VGs")]
    variance: Vec<f64>,
    #[serde(rename = "Zs")]
    z: Vec<f64>,
    p_norm: Vec<f64>,
    p_sim: Vec<f64>,
}

#[test]
fn gi_star_equals_esda_on_its_six_point_fixture() {
    let case: EsdaPoints = fixture("gi_esda_points.json");
    let esda_ties = GiOptions {
        ties: Ties::Esda,
        ..GiOptions::default()
    };
    let result = gi_star(&case.y, &case.neighbours, &esda_ties).unwrap();
    assert_close(&result.g, &case.g, 1e-9, "Gs");
    assert_close(&result.expected, &case.expected, 1e-9, "EGs");
    assert_close(&result.variance, &case.variance, 1e-9, "VGs");
    assert_close(&result.z, &case.z, 1e-9, "Zs");
    assert_close(&result.p_norm, &case.p_norm, 1e-9, "p_norm");
    // Different random numbers: with 999 permutations a p-value near 0.3 has a
    // standard error of about 0.015, so 0.05 is over three of them.
    for (ours, theirs) in result.p_sim.iter().zip(&case.p_sim) {
        assert!(
            (ours - theirs).abs() <= 0.05,
            "p_sim {ours} vs esda {theirs}"
        );
    }
}

#[derive(Deserialize)]
struct EsdaCells {
    lon: Vec<f64>,
    lat: Vec<f64>,
    cells: Vec<String>,
    y: Vec<f64>,
    #[serde(rename = "Zs")]
    z: Vec<f64>,
    p_norm: Vec<f64>,
    p_sim: Vec<f64>,
    class_05: Vec<String>,
    fdr_cutoff_05: f64,
}

#[test]
fn gi_star_on_h3_cells_equals_esda_and_agrees_on_hot_and_cold_classes() {
    let case: EsdaCells = fixture("gi_h3.json");
    let pins = locations(&case.lon, &case.lat);
    let esda_ties = GiOptions {
        ties: Ties::Esda,
        ..GiOptions::default()
    };
    let hex = hex_gi_star(&pins, &[], Resolution::Nine, 1, &esda_ties).unwrap();
    let cells: Vec<String> = hex.cells.iter().map(ToString::to_string).collect();
    assert_eq!(cells, case.cells, "the study region differs from h3-py's");
    let counts: Vec<f64> = hex.counts.iter().map(|&c| f64::from(c)).collect();
    assert_eq!(counts, case.y);
    assert_close(&hex.gi.z, &case.z, 1e-9, "Zs");
    assert_close(&hex.gi.p_norm, &case.p_norm, 1e-9, "p_norm");

    let class_at_05 = |class: GiClass| match class {
        GiClass::Hot99 | GiClass::Hot95 => "hot",
        GiClass::Cold99 | GiClass::Cold95 => "cold",
        _ => "not_significant",
    };
    let agree = hex
        .gi
        .class
        .iter()
        .zip(&case.class_05)
        .filter(|(ours, theirs)| class_at_05(**ours) == theirs.as_str())
        .count();
    let share = agree as f64 / case.cells.len() as f64;
    assert!(share >= 0.98, "classes agree on {share:.4} of cells");

    // The conservative tie rule is esda's on the hot side and only drops cold spots.
    let conservative = hex_gi_star(&pins, &[], Resolution::Nine, 1, &GiOptions::default()).unwrap();
    for (ours, esda_rule) in conservative.gi.class.iter().zip(&hex.gi.class) {
        if esda_rule.is_hot_at(90) {
            assert_eq!(ours, esda_rule);
        } else {
            assert!(!ours.is_hot_at(90));
        }
    }
    // The random numbers differ from numpy's, so p_sim can only agree in distribution:
    // both estimate the same p with a standard error of √(p(1 − p)/999) each.
    let within = hex
        .gi
        .p_sim
        .iter()
        .zip(&case.p_sim)
        .filter(|(ours, theirs)| {
            let p = (*ours + *theirs) / 2.0;
            (*ours - *theirs).abs() <= 4.0 * (2.0 * p * (1.0 - p) / 999.0).sqrt() + 0.002
        })
        .count();
    let within_share = within as f64 / case.cells.len() as f64;
    assert!(
        within_share >= 0.995,
        "p_sim within four standard errors on {within_share:.4}"
    );

    // Benjamini–Hochberg on esda's own p-values marks the cells esda.fdr's cutoff marks.
    let q = benjamini_hochberg(&case.p_sim);
    for (qi, pi) in q.iter().zip(&case.p_sim) {
        assert_eq!(*qi <= 0.05, *pi <= case.fdr_cutoff_05, "q {qi}, p {pi}");
    }
}

#[test]
fn gi_permutations_repeat_exactly_with_the_same_seed() {
    let case: EsdaCells = fixture("gi_h3.json");
    let pins = locations(&case.lon, &case.lat);
    let options = GiOptions {
        permutations: 99,
        seed: 7,
        ..GiOptions::default()
    };
    let first = hex_gi_star(&pins, &[], Resolution::Nine, 1, &options).unwrap();
    let second = hex_gi_star(&pins, &[], Resolution::Nine, 1, &options).unwrap();
    assert_eq!(first.gi.p_sim, second.gi.p_sim);
}

#[test]
fn benjamini_hochberg_adjusts_a_textbook_example() {
    let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, f64::NAN]);
    assert_close(&q[..4], &[0.02, 0.04, 0.04, 0.02], 1e-12, "q");
    assert!(q[4].is_nan());
}

#[derive(Deserialize)]
struct H3Ids {
    n: usize,
    seed: u64,
    resolutions: HashMap<String, H3Resolution>,
    edge_points: Vec<EdgePoint>,
    oracle: H3Oracle,
}

#[derive(Deserialize)]
struct H3Resolution {
    first: Vec<String>,
    xor: String,
    weighted_sum: String,
    distinct: usize,
}

#[derive(Deserialize)]
struct EdgePoint {
    lat: f64,
    lon: f64,
    resolution: u8,
    cell: String,
}

#[derive(Deserialize)]
struct H3Oracle {
    lat: f64,
    lon: f64,
    cells: HashMap<String, String>,
}

/// The fixture script's splitmix64 points: 90 % around Upplands-Bro, 10 % anywhere.
fn h3_points(n: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..n)
        .map(|i| {
            let u = (next() >> 11) as f64 * 2f64.powi(-53);
            let v = (next() >> 11) as f64 * 2f64.powi(-53);
            if i % 10 == 9 {
                (-89.9 + 179.8 * u, -180.0 + 360.0 * v)
            } else {
                (59.40 + 0.20 * u, 17.40 + 0.50 * v)
            }
        })
        .collect()
}

#[test]
fn h3_cell_ids_equal_h3_py_for_100_000_points_at_resolutions_7_to_10() {
    let case: H3Ids = fixture("h3_ids.json");
    let points = h3_points(case.n, case.seed);
    for (resolution, expected) in &case.resolutions {
        let resolution = Resolution::try_from(resolution.parse::<u8>().unwrap()).unwrap();
        let ids: Vec<u64> = points
            .iter()
            .map(|&(lat, lon)| cell_of(at(lon, lat), resolution).unwrap().into())
            .collect();
        let first: Vec<String> = ids
            .iter()
            .take(expected.first.len())
            .map(|&id| CellIndex::try_from(id).unwrap().to_string())
            .collect();
        assert_eq!(first, expected.first, "resolution {resolution}");
        let xor = ids.iter().fold(0_u64, |acc, id| acc ^ id);
        let weighted = ids.iter().enumerate().fold(0_u64, |acc, (i, id)| {
            acc.wrapping_add(id.wrapping_mul(i as u64 + 1))
        });
        assert_eq!(xor.to_string(), expected.xor, "resolution {resolution}");
        assert_eq!(weighted.to_string(), expected.weighted_sum);
        let distinct: std::collections::HashSet<u64> = ids.into_iter().collect();
        assert_eq!(distinct.len(), expected.distinct);
    }
    for (resolution, cell) in &case.oracle.cells {
        let resolution = Resolution::try_from(resolution.parse::<u8>().unwrap()).unwrap();
        let ours = LatLng::new(case.oracle.lat, case.oracle.lon)
            .unwrap()
            .to_cell(resolution);
        assert_eq!(&ours.to_string(), cell);
    }
}

#[test]
fn pins_on_a_cell_edge_or_corner_fall_in_the_same_cell_as_in_h3_py() {
    let case: H3Ids = fixture("h3_ids.json");
    assert!(case.edge_points.len() >= 100);
    let mut same = 0;
    for point in &case.edge_points {
        let resolution = Resolution::try_from(point.resolution).unwrap();
        let ours = cell_of(at(point.lon, point.lat), resolution).unwrap();
        let theirs: CellIndex = point.cell.parse().unwrap();
        if ours == theirs {
            same += 1;
        } else {
            // On the boundary itself either side is right; it must be one of the two.
            assert_eq!(
                ours.grid_distance(theirs).unwrap(),
                1,
                "{} {}",
                point.lat,
                point.lon
            );
        }
    }
    eprintln!(
        "{same} of {} edge points in the same cell as h3-py",
        case.edge_points.len()
    );
}

#[derive(Deserialize)]
struct KdeCase {
    lon: Vec<f64>,
    lat: Vec<f64>,
    grid: GridSpec,
    surfaces: HashMap<String, Surface>,
}

#[derive(Deserialize)]
struct GridSpec {
    lon0: f64,
    lat0: f64,
    x0: f64,
    y0: f64,
    cell_m: f64,
    columns: usize,
    rows: usize,
}

#[derive(Deserialize)]
struct Surface {
    bandwidth_m: f64,
    density: Vec<f64>,
}

#[test]
fn kde_equals_a_brute_force_sum_for_every_kernel() {
    let case: KdeCase = fixture("kde_brute.json");
    let pins = locations(&case.lon, &case.lat);
    let g = &case.grid;
    let grid = MetricGrid {
        lon0: g.lon0,
        lat0: g.lat0,
        x0: g.x0,
        y0: g.y0,
        cell_m: g.cell_m,
        columns: g.columns,
        rows: g.rows,
    };
    for (name, kernel) in [
        ("quartic", Kernel::Quartic),
        ("epanechnikov", Kernel::Epanechnikov),
        ("gaussian", Kernel::Gaussian),
    ] {
        let expected = &case.surfaces[name];
        let ours = kde(&pins, &grid, kernel, expected.bandwidth_m).unwrap();
        let peak = expected.density.iter().fold(0.0_f64, |m, &v| m.max(v));
        assert!(peak > 1e-4, "the fixture's surface is empty");
        // Relative 1e-9 per cell; the Gaussian cut-off at 8 bandwidths adds at most
        // n·exp(−32) of the kernel's peak, far below 1e-12 of the surface's peak.
        for (i, (a, e)) in ours.iter().zip(&expected.density).enumerate() {
            let tolerance = 1e-9 * e.abs() + 1e-12 * peak;
            assert!((a - e).abs() <= tolerance, "{name}[{i}]: {a} vs {e}");
        }
    }
}

#[test]
fn kde_integrates_to_the_number_of_pins() {
    let pins = [
        at(17.6335, 59.512),
        at(17.642, 59.5075),
        at(17.751, 59.4785),
    ];
    let grid = MetricGrid::covering(&pins, 400.0, 5.0).unwrap();
    let surface = kde(&pins, &grid, Kernel::Quartic, 150.0).unwrap();
    let total: f64 = surface.iter().sum::<f64>() * 25.0;
    assert!((total - 3.0).abs() < 0.01, "{total}");
}

#[test]
fn kde_rejects_no_pins_and_a_bandwidth_that_is_not_positive() {
    assert!(MetricGrid::covering(&[], 100.0, 25.0).is_err());
    let pins = [at(17.6, 59.5)];
    let grid = MetricGrid::covering(&pins, 100.0, 25.0).unwrap();
    assert!(kde(&pins, &grid, Kernel::Quartic, 0.0).is_err());
    assert!(MetricGrid::covering(&pins, 100.0, -1.0).is_err());
}

#[test]
fn gi_with_no_pins_has_an_empty_study_region_and_with_areas_only_quiet_cells() {
    let hex = hex_gi_star(&[], &[], Resolution::Nine, 1, &GiOptions::default()).unwrap();
    assert!(hex.cells.is_empty());
    let hex = hex_gi_star(&[], &[square()], Resolution::Nine, 1, &GiOptions::default()).unwrap();
    assert!(!hex.cells.is_empty());
    assert!(hex.gi.class.iter().all(|&c| c == GiClass::NotSignificant));
}

#[test]
fn gi_with_one_pin_or_all_pins_identical_or_in_one_cell_finds_no_hot_spot_it_cannot_test() {
    for pins in [
        vec![at(17.6335, 59.512)],
        vec![at(17.6335, 59.512); 40],
        vec![
            at(17.6335, 59.512),
            at(17.6336, 59.5121),
            at(17.6334, 59.5119),
        ],
    ] {
        let hex = hex_gi_star(&pins, &[], Resolution::Nine, 1, &GiOptions::default()).unwrap();
        // One cell and its ring: the centre's neighbourhood is the whole region, so its
        // variance is 0 and its z undefined; the ring cells are below average.
        assert_eq!(hex.cells.len(), 7);
        let centre = hex.counts.iter().position(|&c| c > 0).unwrap();
        assert!(hex.gi.z[centre].is_nan());
        assert_eq!(hex.gi.class[centre], GiClass::NotSignificant);
        assert!(hex.gi.class.iter().all(|c| !c.is_hot_at(90)));
    }
}

/// A 3 × 2 km square around Bro centrum, as a municipality with one area.
fn square() -> MultiPolygon<f64> {
    MultiPolygon::new(vec![Polygon::new(
        LineString::from(vec![
            (17.61, 59.50),
            (17.66, 59.50),
            (17.66, 59.52),
            (17.61, 59.52),
            (17.61, 59.50),
        ]),
        vec![],
    )])
}

#[test]
fn a_municipality_with_one_area_is_covered_by_every_cell_touching_it() {
    let pins = vec![at(17.6335, 59.512); 30];
    let counts = count_by_cell(&pins, Resolution::Nine).unwrap();
    let region = study_region(counts.keys().copied(), &[square()], Resolution::Nine, 1).unwrap();
    // 0.05° × 0.02° at 59.5° N is about 2.8 km × 2.2 km, some 80 cells of 0.078 km².
    assert!((70..200).contains(&region.len()), "{}", region.len());
    assert!(region.contains(&cell_of(pins[0], Resolution::Nine).unwrap()));
    let analytic = GiOptions {
        permutations: 0,
        ..GiOptions::default()
    };
    let hex = hex_gi_star(&pins, &[square()], Resolution::Nine, 1, &analytic).unwrap();
    let centre = hex.counts.iter().position(|&c| c == 30).unwrap();
    assert!(hex.gi.z[centre] > 3.0, "{}", hex.gi.z[centre]);
    assert_eq!(hex.gi.class[centre], GiClass::Hot99);
    // Conditional permutations keep the cell's own 30 and shuffle only the others, which
    // are all 0: every simulation ties, so they cannot call it a hot spot.
    let hex = hex_gi_star(
        &pins,
        &[square()],
        Resolution::Nine,
        1,
        &GiOptions::default(),
    )
    .unwrap();
    assert!((hex.gi.p_sim[centre] - 1.0).abs() < 1e-12);
    assert_eq!(hex.gi.class[centre], GiClass::NotSignificant);
}

#[test]
fn a_group_of_hot_cells_without_a_pin_of_its_own_is_not_described() {
    let bro = cell_of(at(17.6335, 59.512), Resolution::Nine).unwrap();
    let empty = cell_of(at(17.70, 59.50), Resolution::Nine).unwrap();
    let pins = vec![
        HotspotPin {
            location: at(17.6335, 59.512),
            category: Some("belysning".to_owned()),
            time_of_day: None,
            respondent: Some("a".to_owned()),
        };
        3
    ];
    let hotspots = summarise(
        &[vec![bro], vec![empty]],
        Resolution::Nine,
        &pins,
        None,
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(hotspots.len(), 1);
    assert_eq!(hotspots[0].cells, vec![bro]);
    assert_eq!(hotspots[0].pins, 3);
}

#[test]
fn a_hexagon_ring_is_closed_and_has_the_cells_vertices() {
    let cell = cell_of(at(17.6335, 59.512), Resolution::Nine).unwrap();
    let ring = hex_ring(cell);
    assert_eq!(ring.len(), cell.boundary().len() + 1);
    assert_eq!(ring.first(), ring.last());
    let first = cell.boundary().iter().next().copied().unwrap();
    assert_eq!(ring[0], (first.lng(), first.lat()));
}
