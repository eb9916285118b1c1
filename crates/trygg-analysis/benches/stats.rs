//! The lägesbild at scale: 100,000 respondents × 40 questions, every option, broken down
//! by area × gender × age band (120 crossed cells and all their margins) with Wilson
//! intervals and suppression; and raking the same respondents to three margins.
//!
//! `tools/reference/stats/bench.py` runs this bench and the pandas + statsmodels and
//! ipfn references on the same data (the generator below is mirrored there) and
//! prints the ratios recorded in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use trygg_analysis::stats::{
    Column, Dataset, EstimateOptions, Margin, OptionInfo, RakingOptions, SuppressionRules, Values,
    breakdown_all, rake,
};

const RESPONDENTS: u64 = 100_000;
const QUESTIONS: u64 = 40;
const OPTIONS: u64 = 5;
const AREAS: u64 = 10;
const GENDERS: u64 = 3;
const AGE_BANDS: u64 = 4;

/// SplitMix64's finaliser: a well-mixed 64-bit value from a counter, cheap to mirror in numpy.
const fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Respondent `i`'s code for column `j` in `0..k`.
fn code(i: u64, j: u64, k: u64) -> u16 {
    u16::try_from(mix(i * 1_000 + j) % k).unwrap_or(u16::MAX)
}

fn column(key: String, options: Vec<OptionInfo>, values: Vec<u16>) -> Column {
    Column {
        key,
        options,
        background: None,
        values: Values::Single(values),
    }
}

fn background(key: &str, j: u64, k: u64) -> Column {
    let options = (0..k)
        .map(|o| OptionInfo::new(format!("{key}{o}")))
        .collect();
    column(
        key.to_owned(),
        options,
        (0..RESPONDENTS).map(|i| code(i, j, k)).collect(),
    )
}

/// 40 questions of 5 options and "vet ej"; code 6 of 7 means not answered.
fn dataset() -> Dataset {
    let mut columns = vec![
        background("area", 100, AREAS),
        background("gender", 101, GENDERS),
        background("age_band", 102, AGE_BANDS),
    ];
    for q in 0..QUESTIONS {
        let mut options: Vec<OptionInfo> = (0..OPTIONS)
            .map(|o| OptionInfo::new(format!("o{o}")))
            .collect();
        options.push(OptionInfo::dont_know("vet_ej"));
        let values = (0..RESPONDENTS)
            .map(|i| {
                let c = code(i, q, OPTIONS + 2);
                if u64::from(c) == OPTIONS + 1 {
                    trygg_analysis::stats::MISSING
                } else {
                    c
                }
            })
            .collect();
        columns.push(column(format!("q{q}"), options, values));
    }
    Dataset::new(columns).unwrap_or_else(|e| panic!("bench data: {e}"))
}

fn margins() -> Vec<Margin> {
    let margin = |variable: &str, k: u64, base: f64| Margin {
        variable: variable.to_owned(),
        population: (0..k)
            .map(|c| (format!("{variable}{c}"), base * (1.0 + c as f64)))
            .collect(),
    };
    // Each margin adds up to 1,100,000 people; unequal shares make raking work.
    vec![
        margin("area", AREAS, 20_000.0),
        margin("gender", GENDERS, 1_100_000.0 / 6.0),
        margin("age_band", AGE_BANDS, 110_000.0),
    ]
}

fn bench(c: &mut Criterion) {
    let data = dataset();
    let questions: Vec<String> = (0..QUESTIONS).map(|q| format!("q{q}")).collect();
    let by = ["area", "gender", "age_band"].map(str::to_owned);
    let (options, rules) = (EstimateOptions::default(), SuppressionRules::default());
    let mut group = c.benchmark_group("stats");
    group.sample_size(10);
    group.bench_function("lagesbild_100k_x_40_by_area_gender_age", |b| {
        b.iter(|| breakdown_all(black_box(&data), &questions, &by, &options, &rules))
    });
    let margins = margins();
    group.bench_function("rake_100k_3_margins", |b| {
        b.iter(|| rake(black_box(&data), &margins, &RakingOptions::default()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
