//! The weekly events statistics against pymannkendall, statsmodels and esda fixtures.
//!
//! The fixtures are written by `tools/reference/events/make_fixtures.py` with the
//! pinned packages of `tools/reference/events/requirements.txt`.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use h3o::CellIndex;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use trygg_analysis::events::{Pattern, Trend, emerging_hotspots, mann_kendall, poisson_exact_cond};

fn fixture<T: DeserializeOwned>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn assert_within(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9,
        "{what}: {actual} differs from {expected} by more than 1e-9"
    );
}

#[derive(Deserialize)]
struct MkCases {
    cases: Vec<MkCase>,
}

#[derive(Deserialize)]
struct MkCase {
    x: Vec<f64>,
    s: f64,
    var_s: f64,
    z: f64,
    p: f64,
    trend: String,
}

#[test]
fn mann_kendall_equals_pymannkendall_with_and_without_ties() {
    let fixture: MkCases = fixture("mann_kendall.json");
    for (i, case) in fixture.cases.iter().enumerate() {
        let ours = mann_kendall(&case.x);
        assert_eq!(ours.s, case.s, "case {i}: S");
        assert_within(ours.var_s, case.var_s, &format!("case {i}: Var S"));
        assert_within(ours.z, case.z, &format!("case {i}: z"));
        assert_within(ours.p, case.p, &format!("case {i}: p"));
        let trend = match ours.trend {
            Trend::Increasing => "increasing",
            Trend::Decreasing => "decreasing",
            Trend::NoTrend => "no trend",
        };
        assert_eq!(trend, case.trend, "case {i}: trend");
    }
}

#[derive(Deserialize)]
struct PoissonCases {
    cases: Vec<PoissonCase>,
}

#[derive(Deserialize)]
struct PoissonCase {
    count1: u64,
    exposure1: f64,
    count2: u64,
    exposure2: f64,
    p: f64,
}

#[test]
fn the_exact_conditional_poisson_test_equals_statsmodels() {
    let fixture: PoissonCases = fixture("poisson.json");
    for case in &fixture.cases {
        let ours = poisson_exact_cond(case.count1, case.exposure1, case.count2, case.exposure2);
        let what = format!(
            "{} in {} against {} in {}",
            case.count1, case.exposure1, case.count2, case.exposure2
        );
        assert_within(ours, case.p, &what);
    }
}

#[derive(Deserialize)]
struct Emerging {
    k: u32,
    weeks: Vec<Vec<(String, u32)>>,
    cells: Vec<EmergingCell>,
}

#[derive(Deserialize)]
struct EmergingCell {
    h3: String,
    z: Vec<f64>,
    p: Vec<f64>,
    mk_s: f64,
    mk_var_s: f64,
    mk_z: f64,
    mk_p: f64,
    pattern: String,
}

#[test]
fn emerging_hot_spots_equal_esda_and_pymannkendall_and_find_every_pattern() {
    let fixture: Emerging = fixture("emerging.json");
    let weeks: Vec<HashMap<CellIndex, u32>> = fixture
        .weeks
        .iter()
        .map(|week| {
            week.iter()
                .map(|(cell, n)| (cell.parse().unwrap(), *n))
                .collect()
        })
        .collect();
    let ours = emerging_hotspots(&weeks, fixture.k).unwrap();
    let cells: Vec<String> = ours.iter().map(|c| c.cell.to_string()).collect();
    let theirs: Vec<&str> = fixture.cells.iter().map(|c| c.h3.as_str()).collect();
    assert_eq!(
        cells, theirs,
        "the study region differs from the reference's"
    );
    for (cell, expected) in ours.iter().zip(&fixture.cells) {
        for (week, (z, p)) in cell.z.iter().zip(&cell.p).enumerate() {
            assert_within(
                *z,
                expected.z[week],
                &format!("{} week {week}: Gi* z", expected.h3),
            );
            assert_within(
                *p,
                expected.p[week],
                &format!("{} week {week}: p_norm", expected.h3),
            );
        }
        assert_eq!(
            cell.trend.s, expected.mk_s,
            "{}: Mann–Kendall S",
            expected.h3
        );
        assert_within(
            cell.trend.var_s,
            expected.mk_var_s,
            &format!("{}: Var S", expected.h3),
        );
        assert_within(
            cell.trend.z,
            expected.mk_z,
            &format!("{}: Mann–Kendall z", expected.h3),
        );
        assert_within(
            cell.trend.p,
            expected.mk_p,
            &format!("{}: Mann–Kendall p", expected.h3),
        );
        assert_eq!(
            cell.pattern.key(),
            expected.pattern,
            "{}: pattern",
            expected.h3
        );
    }
    let found: BTreeSet<String> = ours.iter().map(|c| c.pattern.key()).collect();
    let all: BTreeSet<String> = Pattern::ALL.iter().map(|p| p.key()).collect();
    assert_eq!(found, all, "the data set holds every pattern");
}
