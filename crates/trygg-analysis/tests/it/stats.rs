//! Statistics against statsmodels, ipfn and pandas fixtures.
//!
//! The fixtures come from `tools/reference/stats/generate.py`; each test names the
//! tolerance it holds the Rust results to.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use proptest::prelude::*;
use serde::Deserialize;
use trygg_analysis::stats::{
    CellFacts, Column, Dataset, DontKnow, EstimateOptions, IntervalMethod, Margin, OptionInfo,
    Proportion, RakingOptions, StatsError, SuppressionReason, SuppressionRules, Table, TrendFlag,
    Values, breakdown, compare, estimate, linked_sets, newcombe_interval, proportion_interval,
    rake, suppress, two_proportion_test,
};

fn fixture<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = format!("{}/tests/fixtures/stats/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_close(ours: f64, theirs: f64, tolerance: f64, what: &str) {
    assert!(
        (ours - theirs).abs() <= tolerance,
        "{what}: ours {ours} vs reference {theirs} differ by {} > {tolerance}",
        (ours - theirs).abs()
    );
}

fn single(key: &str, options: &[&str], dont_know: Option<&str>, codes: Vec<u16>) -> Column {
    let mut options: Vec<OptionInfo> = options.iter().map(|o| OptionInfo::new(*o)).collect();
    if let Some(dk) = dont_know {
        options.push(OptionInfo::dont_know(dk));
    }
    Column {
        key: key.to_owned(),
        options,
        background: None,
        values: Values::Single(codes),
    }
}

#[derive(Deserialize)]
struct IntervalCase {
    count: f64,
    n: f64,
    method: String,
    low: f64,
    high: f64,
}

#[test]
fn intervals_match_statsmodels_to_1e_10_for_every_method_and_edge_case() {
    let cases: Vec<IntervalCase> = fixture("intervals.json");
    assert!(cases.len() > 150);
    for case in cases {
        let method = match case.method.as_str() {
            "wilson" => IntervalMethod::Wilson,
            "clopper_pearson" => IntervalMethod::ClopperPearson,
            _ => IntervalMethod::AgrestiCoull,
        };
        let ci = proportion_interval(case.count, case.n, method, 0.95).unwrap();
        let what = format!("{} {}/{}", case.method, case.count, case.n);
        assert_close(ci.low, case.low, 1e-10, &format!("{what} low"));
        assert_close(ci.high, case.high, 1e-10, &format!("{what} high"));
    }
}

#[test]
fn impossible_proportions_are_errors_not_nan() {
    for (count, n) in [(1.0, 0.0), (5.0, 4.0), (-1.0, 3.0), (f64::NAN, 3.0)] {
        assert!(matches!(
            proportion_interval(count, n, IntervalMethod::Wilson, 0.95),
            Err(StatsError::InvalidProportion { .. })
        ));
    }
    assert!(matches!(
        proportion_interval(1.0, 2.0, IntervalMethod::Wilson, 1.0),
        Err(StatsError::InvalidConfidence(_))
    ));
}

#[derive(Deserialize)]
struct TrendCase {
    count1: u32,
    n1: u32,
    count2: u32,
    n2: u32,
    low: f64,
    high: f64,
    z: f64,
    p_value: f64,
}

fn proportion(count: u32, n: u32) -> Proportion {
    Proportion {
        share: f64::from(count) / f64::from(n),
        n: f64::from(n),
    }
}

#[test]
fn newcombe_interval_of_the_known_case_matches_statsmodels_to_1e_7() {
    let ci = newcombe_interval(proportion(281, 1050), proportion(232, 1000), 0.95).unwrap();
    assert_close(ci.low, -0.001_905_9, 1e-7, "low");
    assert_close(ci.high, 0.072_922_3, 1e-7, "high");
}

#[test]
fn trend_intervals_and_p_values_match_statsmodels() {
    let cases: Vec<TrendCase> = fixture("trends.json");
    for case in cases {
        let (a, b) = (
            proportion(case.count1, case.n1),
            proportion(case.count2, case.n2),
        );
        let what = format!("{}/{} vs {}/{}", case.count1, case.n1, case.count2, case.n2);
        let ci = newcombe_interval(a, b, 0.95).unwrap();
        assert_close(ci.low, case.low, 1e-10, &format!("{what} low"));
        assert_close(ci.high, case.high, 1e-10, &format!("{what} high"));
        let (z, p) = two_proportion_test(a, b).unwrap();
        assert_close(z, case.z, 1e-9, &format!("{what} z"));
        assert_close(p, case.p_value, 1e-10, &format!("{what} p"));
    }
}

#[test]
fn a_change_is_flagged_in_plain_language() {
    let up = compare(proportion(300, 1000), proportion(360, 1000), 0.95).unwrap();
    assert_eq!(up.flag, TrendFlag::SignificantIncrease);
    assert_eq!(up.flag.describe(), "significant increase");
    assert_close(up.difference, 0.06, 1e-12, "difference");
    let down = compare(proportion(360, 1000), proportion(300, 1000), 0.95).unwrap();
    assert_eq!(down.flag, TrendFlag::SignificantDecrease);
    let same = compare(proportion(232, 1000), proportion(281, 1050), 0.95).unwrap();
    assert_eq!(same.flag, TrendFlag::NoSignificantChange);
    assert!(same.p_value > 0.05);
}

#[derive(Deserialize)]
struct RakingCell {
    codes: Vec<u16>,
    count: usize,
    weight: f64,
}

#[derive(Deserialize)]
struct RakingCase {
    name: String,
    variables: Vec<String>,
    margins: Vec<Vec<f64>>,
    cells: Vec<RakingCell>,
    design_effect: f64,
}

fn raking_input(case: &RakingCase) -> (Dataset, Vec<Margin>, Vec<f64>) {
    let mut codes: Vec<Vec<u16>> = vec![Vec::new(); case.variables.len()];
    let mut expected = Vec::new();
    for cell in &case.cells {
        for _ in 0..cell.count {
            for (column, &code) in codes.iter_mut().zip(&cell.codes) {
                column.push(code);
            }
            expected.push(cell.weight);
        }
    }
    let columns = case
        .variables
        .iter()
        .zip(&case.margins)
        .zip(codes)
        .map(|((name, margin), codes)| {
            let options: Vec<String> = (0..margin.len()).map(|i| format!("c{i}")).collect();
            let refs: Vec<&str> = options.iter().map(String::as_str).collect();
            single(name, &refs, None, codes)
        })
        .collect();
    let margins = case
        .variables
        .iter()
        .zip(&case.margins)
        .map(|(name, margin)| Margin {
            variable: name.clone(),
            population: margin
                .iter()
                .enumerate()
                .map(|(i, &p)| (format!("c{i}"), p))
                .collect(),
        })
        .collect();
    (Dataset::new(columns).unwrap(), margins, expected)
}

#[test]
fn raked_weights_match_ipfn_to_1e_9() {
    let cases: Vec<RakingCase> = fixture("raking.json");
    for case in &cases {
        let (dataset, margins, expected) = raking_input(case);
        let raking = rake(&dataset, &margins, &RakingOptions::default()).unwrap();
        for (i, (ours, theirs)) in raking.weights.iter().zip(&expected).enumerate() {
            assert_close(*ours, *theirs, 1e-9, &format!("{} weight {i}", case.name));
        }
        assert!(raking.summary.max_relative_error <= 1e-10);
        assert!(raking.summary.iterations <= 100);
        assert_close(
            raking.summary.design_effect,
            case.design_effect,
            1e-9,
            "design effect",
        );
    }
}

#[test]
fn raking_reports_the_research_design_effect_and_effective_n() {
    let cases: Vec<RakingCase> = fixture("raking.json");
    let (dataset, margins, _) = raking_input(&cases[0]);
    let summary = rake(&dataset, &margins, &RakingOptions::default())
        .unwrap()
        .summary;
    assert_close(summary.design_effect, 1.044_058_627_5, 1e-9, "deff");
    assert_close(summary.n_eff, 957.800_619, 1e-6, "n_eff");
}

#[test]
fn trimming_caps_weights_and_rakes_again() {
    let cases: Vec<RakingCase> = fixture("raking.json");
    let (dataset, margins, _) = raking_input(&cases[1]);
    let free = rake(&dataset, &margins, &RakingOptions::default()).unwrap();
    let cap = 0.9 * free.summary.max_weight_ratio;
    let options = RakingOptions {
        cap: Some(cap),
        ..RakingOptions::default()
    };
    let trimmed = rake(&dataset, &margins, &options).unwrap();
    assert!(trimmed.summary.trimmed > 0);
    assert!(trimmed.summary.max_weight_ratio <= cap * (1.0 + 1e-9));
    assert!(trimmed.summary.design_effect < free.summary.design_effect);
    assert!(trimmed.summary.max_relative_error <= 1e-10);
}

#[test]
fn a_raking_margin_that_cannot_be_met_is_a_clear_error() {
    let dataset = Dataset::new(vec![
        single("gender", &["kvinna", "man"], None, vec![0, 0, 1, 1]),
        single("area", &["bro", "lassa"], None, vec![0, 0, 0, 0]),
    ])
    .unwrap();
    let margin = |variable: &str, population: &[(&str, f64)]| Margin {
        variable: variable.to_owned(),
        population: population
            .iter()
            .map(|(k, p)| ((*k).to_owned(), *p))
            .collect(),
    };
    let gender = margin("gender", &[("kvinna", 50.0), ("man", 50.0)]);
    let cases = [
        (
            vec![
                gender.clone(),
                margin("area", &[("bro", 60.0), ("lassa", 40.0)]),
            ],
            "no respondent has `area` = `lassa`",
        ),
        (
            vec![gender.clone(), margin("area", &[("bro", 120.0)])],
            "adds up to 120",
        ),
        (
            vec![
                gender.clone(),
                margin("area", &[("bro", 90.0), ("okand", 10.0)]),
            ],
            "has no category `okand`",
        ),
    ];
    for (margins, expected) in cases {
        let error = rake(&dataset, &margins, &RakingOptions::default()).unwrap_err();
        assert!(
            error.to_string().contains(expected),
            "`{error}` should say `{expected}`"
        );
    }
    // Structural zeros that no weights can fit: women live only in Bro, men only in
    // Låssa, yet the margins ask for a different split.
    let dataset = Dataset::new(vec![
        single("gender", &["kvinna", "man"], None, vec![0, 0, 1, 1]),
        single("area", &["bro", "lassa"], None, vec![0, 0, 1, 1]),
    ])
    .unwrap();
    let margins = vec![gender, margin("area", &[("bro", 70.0), ("lassa", 30.0)])];
    let error = rake(&dataset, &margins, &RakingOptions::default()).unwrap_err();
    assert!(error.to_string().contains("cannot all be met"), "{error}");
}

#[derive(Deserialize)]
struct Respondents {
    area: Vec<u16>,
    gender: Vec<u16>,
    answer: Vec<i32>,
    weight: Vec<f64>,
}

#[derive(Deserialize)]
struct CrosstabCell {
    group_by: Vec<String>,
    group: Vec<u16>,
    option: usize,
    n: u64,
    count: u64,
    share: f64,
    n_eff: f64,
    low: f64,
    high: f64,
}

#[derive(Deserialize)]
struct Crosstab {
    respondents: Respondents,
    cells: Vec<CrosstabCell>,
}

fn options_of(prefix: &str, k: usize) -> Vec<String> {
    (0..k).map(|i| format!("{prefix}{i}")).collect()
}

fn as_str(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn weighted_shares_effective_n_and_wilson_intervals_match_pandas_and_statsmodels() {
    let fixture: Crosstab = fixture("crosstab.json");
    let r = fixture.respondents;
    let (a, g, o) = (options_of("a", 4), options_of("g", 2), options_of("o", 5));
    let answers = r
        .answer
        .iter()
        .map(|&x| u16::try_from(x).unwrap_or(u16::MAX))
        .collect();
    let dataset = Dataset::new(vec![
        single("area", &as_str(&a), None, r.area),
        single("gender", &as_str(&g), None, r.gender),
        single("answer", &as_str(&o), Some("o5"), answers),
    ])
    .unwrap()
    .with_weights(r.weight)
    .unwrap();
    let options = EstimateOptions::default();
    // `breakdown` sums its coarser tables from the finest groups; with nothing
    // suppressed it must give the same cells as estimating each table directly.
    let everything = SuppressionRules {
        min_base: 1,
        min_effective_base: 0.0,
        max_hidden_count: 0,
        flag_below: 0,
    };
    let both = ["area".to_owned(), "gender".to_owned()];
    let summed = breakdown(&dataset, "answer", &both, &options, &everything).unwrap();
    for by in [vec!["area".to_owned()], both.to_vec()] {
        let direct = estimate(&dataset, "answer", &by, &options).unwrap();
        let marginal = summed.iter().find(|t| t.group_by == by).unwrap();
        for table in [&direct, marginal] {
            check_crosstab(table, &by, &fixture.cells);
        }
    }
}

fn check_crosstab(table: &Table, by: &[String], cells: &[CrosstabCell]) {
    for expected in cells.iter().filter(|c| c.group_by == by) {
        let group: Vec<String> = expected
            .group
            .iter()
            .zip(by)
            .map(|(code, var)| format!("{}{code}", if var == "area" { "a" } else { "g" }))
            .collect();
        let option = format!("o{}", expected.option);
        let cell = table
            .cells
            .iter()
            .find(|c| c.group == group && c.option == option)
            .unwrap();
        let e = cell.estimate.unwrap();
        let what = format!("{by:?} {group:?} {option}");
        assert_eq!((e.n, e.count), (expected.n, expected.count), "{what}");
        assert_close(e.share, expected.share, 1e-12, &format!("{what} share"));
        assert_close(e.n_eff, expected.n_eff, 1e-9, &format!("{what} n_eff"));
        assert_close(e.interval.low, expected.low, 1e-10, &format!("{what} low"));
        assert_close(
            e.interval.high,
            expected.high,
            1e-10,
            &format!("{what} high"),
        );
    }
}

#[derive(Deserialize)]
struct MeanCase {
    values: Vec<f64>,
    mean: f64,
    low: f64,
    high: f64,
}

#[test]
fn means_of_number_questions_match_statsmodels_t_intervals() {
    use trygg_analysis::stats::indicator;
    use trygg_domain::{Indicator, IndicatorKind, Key, LocalizedText};
    let cases: Vec<MeanCase> = fixture("means.json");
    for case in cases {
        let dataset = Dataset::new(vec![Column {
            key: "years".to_owned(),
            options: Vec::new(),
            background: None,
            values: Values::Number(case.values.clone()),
        }])
        .unwrap();
        let definition = Indicator {
            key: Key::parse("mean_years", "key").unwrap(),
            label: LocalizedText {
                sv: "År".to_owned(),
                en: None,
            },
            kind: IndicatorKind::Mean {
                question: "years".to_owned(),
            },
        };
        let rules = SuppressionRules {
            min_base: 1,
            min_effective_base: 1.0,
            ..SuppressionRules::default()
        };
        let tables = indicator(
            &dataset,
            &definition,
            &[],
            &EstimateOptions::default(),
            &rules,
        )
        .unwrap();
        let e = tables[0].cells[0].estimate.unwrap();
        let what = format!("mean of {} values", case.values.len());
        // statrs' Student t quantile is accurate to about 1e-11 relative, so means
        // are held to 1e-10 relative to their size.
        let tolerance = 1e-10 * case.mean.abs().max(1.0);
        assert_close(e.value, case.mean, tolerance, &what);
        assert_close(
            e.interval.low,
            case.low,
            tolerance * 10.0,
            &format!("{what} low"),
        );
        assert_close(
            e.interval.high,
            case.high,
            tolerance * 10.0,
            &format!("{what} high"),
        );
    }
}

fn evening(codes: Vec<u16>, areas: Vec<u16>) -> Dataset {
    Dataset::new(vec![
        single("area", &["bro", "kungsangen", "lassa"], None, areas),
        single(
            "evening_safety",
            &["trygg", "otrygg"],
            Some("vet_ej"),
            codes,
        ),
    ])
    .unwrap()
}

#[test]
fn dont_know_is_outside_the_base_by_default_and_reported_separately() {
    // 6 trygg, 2 otrygg, 2 vet ej.
    let dataset = evening(vec![0, 0, 0, 0, 0, 0, 1, 1, 2, 2], vec![0; 10]);
    let table = estimate(&dataset, "evening_safety", &[], &EstimateOptions::default()).unwrap();
    let share = |option: &str| {
        let cell = table.cells.iter().find(|c| c.option == option).unwrap();
        (
            cell.dont_know,
            cell.estimate.unwrap().share,
            cell.estimate.unwrap().n,
        )
    };
    assert_eq!(share("trygg"), (false, 0.75, 8));
    assert_eq!(share("vet_ej"), (true, 0.2, 10));
    let included = EstimateOptions {
        dont_know: DontKnow::Include,
        ..EstimateOptions::default()
    };
    let table = estimate(&dataset, "evening_safety", &[], &included).unwrap();
    assert_close(
        table.cells[0].estimate.unwrap().share,
        0.6,
        1e-12,
        "with vet ej",
    );
}

#[test]
fn all_answers_vet_ej_leave_no_base_and_no_nan() {
    let dataset = evening(vec![2; 40], vec![0; 40]);
    let tables = breakdown(
        &dataset,
        "evening_safety",
        &[],
        &EstimateOptions::default(),
        &SuppressionRules::default(),
    )
    .unwrap();
    let cells = &tables[0].cells;
    assert_eq!(cells[0].suppressed, Some(SuppressionReason::NoRespondents));
    assert!(cells[0].estimate.is_none());
    let dk = cells[2].estimate.unwrap();
    assert_eq!((dk.n, dk.share), (40, 1.0));
    assert_close(dk.interval.high, 1.0, 0.0, "vet ej upper limit");
}

#[test]
fn a_group_with_no_respondents_is_suppressed_with_its_reason_and_no_nan() {
    // Nobody lives in Låssa.
    let dataset = evening([0, 1].repeat(40), [0, 1].repeat(40));
    let tables = breakdown(
        &dataset,
        "evening_safety",
        &["area".to_owned()],
        &EstimateOptions::default(),
        &SuppressionRules {
            min_base: 1,
            min_effective_base: 1.0,
            ..SuppressionRules::default()
        },
    )
    .unwrap();
    let lassa: Vec<_> = tables[1]
        .cells
        .iter()
        .filter(|c| c.group == ["lassa"])
        .collect();
    assert_eq!(lassa.len(), 3);
    for cell in lassa {
        assert_eq!(cell.suppressed, Some(SuppressionReason::NoRespondents));
        assert!(cell.estimate.is_none());
    }
    // An empty group is no secret, so no other cell is hidden because of it.
    assert!(
        tables[1]
            .cells
            .iter()
            .filter(|c| c.group != ["lassa"] && !c.dont_know)
            .all(|c| c.suppressed.is_none())
    );
}

#[test]
fn small_bases_small_counts_and_their_complements_are_hidden_with_reasons() {
    // Bro: 100 answers with 3 "otrygg"; Kungsängen: 40; Låssa: 10.
    let mut codes = vec![0; 97];
    codes.extend([1, 1, 1]);
    codes.extend([0, 1].repeat(20));
    codes.extend([0; 10]);
    let mut areas = vec![0; 100];
    areas.extend(vec![1; 40]);
    areas.extend(vec![2; 10]);
    let dataset = evening(codes, areas);
    let tables = breakdown(
        &dataset,
        "evening_safety",
        &["area".to_owned()],
        &EstimateOptions::default(),
        &SuppressionRules::default(),
    )
    .unwrap();
    let by_area = &tables[1];
    let cell = |group: &str, option: &str| {
        by_area
            .cells
            .iter()
            .find(|c| c.group == [group] && c.option == option)
            .unwrap()
    };
    assert_eq!(
        cell("lassa", "trygg").suppressed,
        Some(SuppressionReason::SmallBase { min: 30 })
    );
    assert_eq!(
        cell("bro", "otrygg").suppressed,
        Some(SuppressionReason::SmallCount { max: 4 })
    );
    // Bro's row adds up to its base, so "trygg" must go too.
    assert_eq!(
        cell("bro", "trygg").suppressed,
        Some(SuppressionReason::Complementary)
    );
    let kungsangen = cell("kungsangen", "trygg");
    assert!(kungsangen.estimate.is_some() && kungsangen.uncertain);
    for cell in &by_area.cells {
        if let Some(reason) = cell.suppressed {
            assert!(!reason.describe().is_empty());
        }
    }
}

#[test]
fn thresholds_are_configurable() {
    let dataset = evening([0, 1].repeat(10), vec![0; 20]);
    let strict = breakdown(
        &dataset,
        "evening_safety",
        &[],
        &EstimateOptions::default(),
        &SuppressionRules::default(),
    )
    .unwrap();
    assert!(strict[0].cells[0].estimate.is_none());
    let loose = SuppressionRules {
        min_base: 10,
        min_effective_base: 10.0,
        ..SuppressionRules::default()
    };
    let loose = breakdown(
        &dataset,
        "evening_safety",
        &[],
        &EstimateOptions::default(),
        &loose,
    )
    .unwrap();
    assert!(loose[0].cells[0].estimate.is_some());
}

#[test]
fn the_effective_base_after_weighting_can_suppress_a_cell() {
    let mut weights = vec![1.0; 40];
    weights[0] = 20.0;
    let dataset = evening([0, 1].repeat(20), vec![0; 40])
        .with_weights(weights)
        .unwrap();
    let tables = breakdown(
        &dataset,
        "evening_safety",
        &[],
        &EstimateOptions::default(),
        &SuppressionRules::default(),
    )
    .unwrap();
    assert!(matches!(
        tables[0].cells[0].suppressed,
        Some(SuppressionReason::SmallEffectiveBase { .. })
    ));
}

fn random_table(
    rows: Vec<Vec<u16>>,
    weights: Option<Vec<f64>>,
    by_two: bool,
) -> (Dataset, Vec<String>) {
    let areas: Vec<u16> = rows.iter().map(|r| r[0]).collect();
    let genders: Vec<u16> = rows.iter().map(|r| r[1]).collect();
    let answers: Vec<u16> = rows.iter().map(|r| r[2]).collect();
    let dataset = Dataset::new(vec![
        single("area", &["a", "b", "c", "d"], None, areas),
        single("gender", &["k", "m"], None, genders),
        single("answer", &["x", "y", "z", "w"], Some("dk"), answers),
    ])
    .unwrap();
    let dataset = match weights {
        Some(w) => dataset.with_weights(w).unwrap(),
        None => dataset,
    };
    let by = if by_two {
        vec!["area".to_owned(), "gender".to_owned()]
    } else {
        vec!["area".to_owned()]
    };
    (dataset, by)
}

fn respondents() -> impl Strategy<Value = (Vec<Vec<u16>>, Option<Vec<f64>>, bool)> {
    (1_usize..400).prop_flat_map(|n| {
        (
            prop::collection::vec(
                prop::collection::vec(0_u16..2, 1).prop_flat_map(|_| {
                    (0_u16..4, 0_u16..2, 0_u16..5).prop_map(|(a, g, x)| vec![a, g, x])
                }),
                n,
            ),
            prop::option::of(prop::collection::vec(0.2_f64..5.0, n)),
            any::<bool>(),
        )
    })
}

fn hidden(table: &Table, i: usize) -> bool {
    table.cells[i]
        .suppressed
        .is_some_and(|r| r != SuppressionReason::NoRespondents)
}

proptest! {
    #[test]
    fn shares_within_a_question_sum_to_one_before_suppression((rows, weights, by_two) in respondents()) {
        let (dataset, by) = random_table(rows, weights, by_two);
        let table = estimate(&dataset, "answer", &by, &EstimateOptions::default()).unwrap();
        for group in table.cells.chunks(5) {
            let shares: Vec<f64> = group.iter().filter(|c| !c.dont_know).filter_map(|c| c.estimate.map(|e| e.share)).collect();
            if !shares.is_empty() {
                prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn every_interval_contains_its_share_and_lies_in_the_unit_interval(
        (rows, weights, by_two) in respondents(),
        method in prop_oneof![Just(IntervalMethod::Wilson), Just(IntervalMethod::ClopperPearson), Just(IntervalMethod::AgrestiCoull)],
    ) {
        let (dataset, by) = random_table(rows, weights, by_two);
        let options = EstimateOptions { method, ..EstimateOptions::default() };
        let table = estimate(&dataset, "answer", &by, &options).unwrap();
        for e in table.cells.iter().filter_map(|c| c.estimate) {
            prop_assert!(0.0 <= e.interval.low && e.interval.low <= e.share);
            prop_assert!(e.share <= e.interval.high && e.interval.high <= 1.0);
        }
    }

    #[test]
    fn suppression_never_leaves_a_hidden_cell_recoverable_from_row_and_column_totals(
        (rows, weights, by_two) in respondents(),
    ) {
        let (dataset, by) = random_table(rows, weights, by_two);
        let tables = breakdown(&dataset, "answer", &by, &EstimateOptions::default(), &SuppressionRules::default()).unwrap();
        let overall = &tables[0];
        let hidden_at = |t: &Table, i: usize| hidden(t, i);
        for table in &tables {
            // Rows: the options (without vet ej) of a group add up to its base.
            for (g, row) in table.cells.chunks(5).enumerate() {
                let hidden_in_row = (0..4).filter(|&o| hidden_at(table, g * 5 + o)).count();
                prop_assert!(hidden_in_row != 1, "row {g} of {:?} has one hidden cell", table.group_by);
                prop_assert!(row.iter().all(|c| c.suppressed.is_some() == c.estimate.is_none()));
            }
        }
        // Columns: the areas of an option add up to the overall cell.
        let by_area = &tables[1];
        for o in 0..5 {
            let hidden_in_column = usize::from(hidden_at(overall, o))
                + (0..4).filter(|&g| hidden_at(by_area, g * 5 + o)).count();
            prop_assert!(hidden_in_column != 1, "option {o} has one hidden cell among overall and areas");
        }
        // And every set the suppression links, crossed tables included.
        let all: Vec<&trygg_analysis::stats::Cell> = tables.iter().flat_map(|t| &t.cells).collect();
        for set in linked_sets(&tables) {
            let hidden_in_set = set
                .iter()
                .filter(|&&i| all[i].suppressed.is_some_and(|r| r != SuppressionReason::NoRespondents))
                .count();
            prop_assert!(hidden_in_set != 1, "a linked set has one hidden cell");
        }
    }

    #[test]
    fn suppression_of_plain_cell_facts_leaves_no_set_with_one_hidden_cell(
        counts in prop::collection::vec(1_u64..80, 3..30),
    ) {
        let cells: Vec<CellFacts> = counts.iter().map(|&n| CellFacts { n, n_eff: n as f64, count: Some(n) }).collect();
        let sets = vec![(0..cells.len()).collect::<Vec<_>>(), (0..cells.len()).step_by(2).collect()];
        let reasons = suppress(&cells, &sets, &SuppressionRules::default());
        for set in &sets {
            let hidden = set.iter().filter(|&&i| reasons[i].is_some_and(|r| r != SuppressionReason::NoRespondents)).count();
            prop_assert!(hidden != 1);
        }
    }
}

fn survey_with_indicators(
    indicators: &str,
) -> Result<trygg_domain::Survey, trygg_domain::DomainError> {
    let json = format!(
        r#"{{
        "slug": "kvall", "round": "2024", "title": {{"sv": "Kväll"}}, "opens_on": "2024-01-01",
        "questions": [
          {{"key": "area", "kind": "single_choice", "background": "area", "text": {{"sv": "Område"}},
            "options": [{{"key": "bro", "label": {{"sv": "Bro"}}}}, {{"key": "lassa", "label": {{"sv": "Låssa"}}}}]}},
          {{"key": "evening_safety", "kind": "single_choice", "text": {{"sv": "Kväll"}},
            "options": [{{"key": "trygg", "label": {{"sv": "Trygg"}}}}, {{"key": "otrygg", "label": {{"sv": "Otrygg"}}}},
                        {{"key": "vet_ej", "label": {{"sv": "Vet ej"}}, "dont_know": true}}]}},
          {{"key": "problem_a", "kind": "single_choice", "text": {{"sv": "A"}},
            "options": [{{"key": "stort", "label": {{"sv": "Stort"}}}}, {{"key": "litet", "label": {{"sv": "Litet"}}}},
                        {{"key": "vet_ej", "label": {{"sv": "Vet ej"}}, "dont_know": true}}]}},
          {{"key": "problem_b", "kind": "single_choice", "text": {{"sv": "B"}},
            "options": [{{"key": "stort", "label": {{"sv": "Stort"}}}}, {{"key": "litet", "label": {{"sv": "Litet"}}}},
                        {{"key": "vet_ej", "label": {{"sv": "Vet ej"}}, "dont_know": true}}]}},
          {{"key": "years", "kind": "number", "text": {{"sv": "År"}}}}
        ],
        "indicators": {indicators}
    }}"#
    );
    let input: trygg_domain::SurveyInput = serde_json::from_str(&json).unwrap();
    trygg_domain::Survey::parse(input, trygg_domain::MunicipalityId::new())
}

const INDICATORS: &str = r#"[
  {"key": "evening_unsafe", "label": {"sv": "Otrygg"}, "kind": "share", "question": "evening_safety", "options": ["otrygg"]},
  {"key": "problems", "label": {"sv": "Problem"}, "kind": "problem_index", "questions": ["problem_a", "problem_b"], "options": ["stort"]},
  {"key": "mean_years", "label": {"sv": "År"}, "kind": "mean", "question": "years"}
]"#;

#[test]
fn indicator_definitions_naming_unknown_questions_or_options_are_refused_with_their_field() {
    let cases = [
        (
            r#"[{"key": "x", "label": {"sv": "X"}, "kind": "share", "question": "nope", "options": ["otrygg"]}]"#,
            "indicators[0].question",
        ),
        (
            r#"[{"key": "x", "label": {"sv": "X"}, "kind": "share", "question": "evening_safety", "options": ["livradd"]}]"#,
            "indicators[0].options[0]",
        ),
        (
            r#"[{"key": "x", "label": {"sv": "X"}, "kind": "share", "question": "evening_safety", "options": ["vet_ej"]}]"#,
            "indicators[0].options[0]",
        ),
        (
            r#"[{"key": "x", "label": {"sv": "X"}, "kind": "problem_index", "questions": ["problem_a", "years"], "options": ["stort"]}]"#,
            "indicators[0].questions[1]",
        ),
        (
            r#"[{"key": "x", "label": {"sv": "X"}, "kind": "mean", "question": "area"}]"#,
            "indicators[0].question",
        ),
    ];
    for (indicators, field) in cases {
        let error = survey_with_indicators(indicators).unwrap_err();
        assert_eq!(error.field, field, "{indicators}: {error}");
    }
    assert_eq!(
        survey_with_indicators(INDICATORS).unwrap().indicators.len(),
        3
    );
}

#[test]
fn a_situation_report_holds_indicators_tables_and_trends_and_survives_json() {
    use std::collections::BTreeMap;
    use trygg_analysis::stats::{Measure, ReportSettings, SituationReport};
    use trygg_domain::{Answer, Key};
    let survey = survey_with_indicators(INDICATORS).unwrap();
    let key = |k: &str| Key::parse(k, "key").unwrap();
    // 80 respondents in Bro and 40 in Låssa; `unsafe_every` sets the unsafe share.
    let round = |unsafe_every: usize| -> Vec<BTreeMap<Key, Answer>> {
        (0..120)
            .map(|i| {
                let mut answers = BTreeMap::new();
                let choice = |o: &str| Answer::Choice(key(o));
                answers.insert(key("area"), choice(if i < 80 { "bro" } else { "lassa" }));
                let evening = if i % unsafe_every == 0 {
                    "otrygg"
                } else {
                    "trygg"
                };
                answers.insert(key("evening_safety"), choice(evening));
                answers.insert(
                    key("problem_a"),
                    choice(if i % 2 == 0 { "stort" } else { "litet" }),
                );
                answers.insert(
                    key("problem_b"),
                    choice(if i % 4 == 0 { "vet_ej" } else { "litet" }),
                );
                answers.insert(key("years"), Answer::Number((i % 10) as f64));
                answers
            })
            .collect()
    };
    let report = |answers: &[BTreeMap<Key, Answer>]| {
        let rows: Vec<&BTreeMap<Key, Answer>> = answers.iter().collect();
        let dataset = Dataset::from_answers(&survey, &rows).unwrap();
        let settings = ReportSettings {
            group_by: vec!["area".to_owned()],
            ..ReportSettings::default()
        };
        SituationReport::build(&survey, &dataset, None, settings).unwrap()
    };
    let (before, after) = (round(4), round(2));
    let earlier = report(&before);
    let current = report(&after).compare_with(&earlier).unwrap();

    let share = indicator(&current, "evening_unsafe", &[]);
    assert_eq!(share.measure, Measure::Share);
    // Problem index: respondents with both questions answered score (a + b) / 2, those
    // with "vet ej" on b score a alone: (30·1 + 30·0.5 + 60·0) / 120 = 0.375.
    for (key, expected, what) in [
        ("evening_unsafe", 0.5, "unsafe share"),
        ("problems", 0.375, "problem index"),
        ("mean_years", 4.5, "mean years"),
    ] {
        let overall = indicator(&current, key, &[]).cells[0].estimate.unwrap();
        assert_close(overall.value, expected, 1e-12, what);
    }
    let trend = current
        .trends
        .iter()
        .find(|t| t.key == "evening_unsafe" && t.group.is_empty())
        .unwrap();
    let change = trend.change.unwrap();
    assert_close(change.difference, 0.25, 1e-12, "change");
    assert_eq!(change.flag, TrendFlag::SignificantIncrease);
    // Låssa has 40 respondents: shown, but flagged as uncertain.
    let lassa = share_cell(&current, "lassa");
    assert!(lassa.uncertain && lassa.estimate.is_some());

    // JSON keeps everything; floats come back to within an ulp or so.
    let json = serde_json::to_string(&current).unwrap();
    let back: SituationReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.tables.len(), current.tables.len());
    assert_eq!(back.trends.len(), current.trends.len());
    assert_eq!(back.settings, current.settings);
    let again = share_cell(&back, "lassa").estimate.unwrap();
    assert_close(
        again.interval.low,
        lassa.estimate.unwrap().interval.low,
        1e-15,
        "JSON",
    );
    // Breakdown variables are not tabulated by themselves.
    assert!(current.tables.iter().all(|t| t.question != "area"));
}

fn indicator<'a>(
    report: &'a trygg_analysis::stats::SituationReport,
    key: &str,
    group_by: &[&str],
) -> &'a trygg_analysis::stats::IndicatorTable {
    report
        .indicators
        .iter()
        .find(|t| t.key == key && t.group_by == group_by)
        .unwrap()
}

fn share_cell<'a>(
    report: &'a trygg_analysis::stats::SituationReport,
    area: &str,
) -> &'a trygg_analysis::stats::IndicatorCell {
    indicator(report, "evening_unsafe", &["area"])
        .cells
        .iter()
        .find(|c| c.group == [area])
        .unwrap()
}
