//! The effect follow-up's difference-in-differences against statsmodels OLS with an
//! interaction term, from `tools/reference/did/generate.py`, to 1e-9.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::BTreeMap;

use serde::Deserialize;
use trygg_analysis::stats::{DidGroups, Group, StatsError, TrendFlag, difference_in_differences};

#[derive(Deserialize)]
#[serde(untagged)]
enum RawGroup {
    Count { count: f64, n: f64 },
    Values(Vec<f64>),
}

#[derive(Deserialize)]
struct Expected {
    estimate: f64,
    std_error: f64,
    low: f64,
    high: f64,
    t: f64,
    p_value: f64,
    df: f64,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    groups: BTreeMap<String, RawGroup>,
    expected: Expected,
}

fn group(raw: &RawGroup) -> Group {
    match raw {
        RawGroup::Count { count, n } => Group::from_count(*count, *n).unwrap(),
        RawGroup::Values(values) => Group::from_values(values),
    }
}

fn groups(case: &Case) -> DidGroups {
    DidGroups {
        focus_baseline: group(&case.groups["focus_baseline"]),
        focus_later: group(&case.groups["focus_later"]),
        rest_baseline: group(&case.groups["rest_baseline"]),
        rest_later: group(&case.groups["rest_later"]),
    }
}

fn assert_close(ours: f64, theirs: f64, tolerance: f64, what: &str) {
    assert!(
        (ours - theirs).abs() <= tolerance,
        "{what}: ours {ours} vs statsmodels {theirs} differ by {} > {tolerance}",
        (ours - theirs).abs()
    );
}

#[test]
fn difference_in_differences_matches_statsmodels_ols_interaction_to_1e_9() {
    let path = format!(
        "{}/tests/fixtures/stats/did.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() >= 12);
    for case in &cases {
        let ours = difference_in_differences(&groups(case), 0.95).unwrap();
        let e = &case.expected;
        let name = &case.name;
        assert_close(ours.estimate, e.estimate, 1e-9, &format!("{name} estimate"));
        assert_close(
            ours.std_error,
            e.std_error,
            1e-9,
            &format!("{name} std_error"),
        );
        assert_close(ours.interval.low, e.low, 1e-9, &format!("{name} low"));
        assert_close(ours.interval.high, e.high, 1e-9, &format!("{name} high"));
        assert_close(ours.df, e.df, 0.0, &format!("{name} df"));
        assert_close(ours.p_value, e.p_value, 1e-9, &format!("{name} p"));
        // t is a ratio; where the estimate is zero up to rounding only its size matters.
        assert_close(ours.t, e.t, 1e-9 * e.t.abs().max(1.0), &format!("{name} t"));
    }
}

#[test]
fn the_demo_shaped_case_reads_as_a_significant_decrease_and_a_parallel_one_as_no_change() {
    let bro = DidGroups {
        focus_baseline: Group::from_count(190.0, 420.0).unwrap(),
        focus_later: Group::from_count(141.0, 405.0).unwrap(),
        rest_baseline: Group::from_count(350.0, 1080.0).unwrap(),
        rest_later: Group::from_count(325.0, 1095.0).unwrap(),
    };
    let did = difference_in_differences(&bro, 0.95).unwrap();
    assert_eq!(did.flag, TrendFlag::SignificantDecrease);
    assert!((did.focus_change - (141.0 / 405.0 - 190.0 / 420.0)).abs() < 1e-15);
    let parallel = DidGroups {
        focus_baseline: Group::from_count(40.0, 100.0).unwrap(),
        focus_later: Group::from_count(30.0, 100.0).unwrap(),
        rest_baseline: Group::from_count(400.0, 1000.0).unwrap(),
        rest_later: Group::from_count(300.0, 1000.0).unwrap(),
    };
    let did = difference_in_differences(&parallel, 0.95).unwrap();
    assert_eq!(did.flag, TrendFlag::NoSignificantChange);
}

#[test]
fn an_empty_group_or_an_impossible_count_is_an_error_not_nan() {
    let one = Group::from_count(1.0, 2.0).unwrap();
    let empty = Group::from_values(&[]);
    let with_empty = DidGroups {
        focus_baseline: one,
        focus_later: empty,
        rest_baseline: one,
        rest_later: one,
    };
    assert!(matches!(
        difference_in_differences(&with_empty, 0.95),
        Err(StatsError::InvalidData { .. })
    ));
    let four = DidGroups {
        focus_baseline: Group::from_values(&[1.0]),
        focus_later: Group::from_values(&[0.0]),
        rest_baseline: Group::from_values(&[1.0]),
        rest_later: Group::from_values(&[0.0]),
    };
    assert!(difference_in_differences(&four, 0.95).is_err());
    assert!(Group::from_count(5.0, 4.0).is_err());
    assert!(matches!(
        difference_in_differences(&four, 1.0),
        Err(StatsError::InvalidConfidence(_))
    ));
}
