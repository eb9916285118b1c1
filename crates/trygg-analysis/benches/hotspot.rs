//! Hotspot benchmarks on synthetic pins (analysis.md Appendix A).
//!
//! `tools/reference/hotspot/bench.py` writes the points with numpy, runs this bench on
//! them and the Python references on the same points, and prints the ratios. Without
//! `TRYGG_HOTSPOT_BENCH_DIR` the bench makes similar points itself.
//! `TRYGG_HOTSPOT_ONCE=<case>` runs one case once, for measuring peak memory.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a benchmark fails loudly"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;
use h3o::Resolution;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use trygg_analysis::hotspot::{
    GiOptions, Kernel, MetricGrid, count_by_cell, dbscan, hex_gi_star, kde,
};
use trygg_domain::Location;

/// Pins from `<dir>/pins_<n>.f64` (little-endian lon, lat pairs) or made here.
fn pins(n: usize) -> Vec<Location> {
    if let Ok(dir) = std::env::var("TRYGG_HOTSPOT_BENCH_DIR") {
        let path = PathBuf::from(dir).join(format!("pins_{n}.f64"));
        let bytes = std::fs::read(&path).expect("the bench script writes the pins first");
        return bytes
            .chunks_exact(16)
            .map(|c| {
                let lon = f64::from_le_bytes(c[..8].try_into().unwrap());
                let lat = f64::from_le_bytes(c[8..].try_into().unwrap());
                Location::parse(lon, lat, "pin").unwrap()
            })
            .collect();
    }
    // Appendix A's shape: Gaussian hotspots of 30–250 m and 20 % uniform noise in 20 × 20 km.
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let clusters = (n / 2000).max(10);
    let centres: Vec<(f64, f64, f64)> = (0..clusters)
        .map(|_| {
            (
                rng.random_range(-10_000.0..10_000.0),
                rng.random_range(-10_000.0..10_000.0),
                rng.random_range(30.0..250.0),
            )
        })
        .collect();
    let m_lat = 111_320.0;
    let m_lon = 111_320.0 * 59.5_f64.to_radians().cos();
    (0..n)
        .map(|i| {
            let (x, y) = if i % 5 == 0 {
                (
                    rng.random_range(-10_000.0..10_000.0),
                    rng.random_range(-10_000.0..10_000.0),
                )
            } else {
                let (cx, cy, s) = centres[rng.random_range(0..clusters)];
                let u: f64 = rng.random_range(f64::EPSILON..1.0);
                let v: f64 = rng.random_range(0.0..std::f64::consts::TAU);
                let r = (-2.0 * u.ln()).sqrt() * s;
                (cx + r * v.cos(), cy + r * v.sin())
            };
            Location::parse(17.6 + x / m_lon, 59.5 + y / m_lat, "pin").unwrap()
        })
        .collect()
}

/// The 400 × 400 grid of 50 m cells over the generator's 20 × 20 km box.
fn grid() -> MetricGrid {
    MetricGrid {
        lon0: 17.6,
        lat0: 59.5,
        x0: -10_000.0 + 25.0,
        y0: -10_000.0 + 25.0,
        cell_m: 50.0,
        columns: 400,
        rows: 400,
    }
}

fn run_once(case: &str) {
    match case {
        "dbscan_1m" => {
            let labels = dbscan(&pins(1_000_000), 50.0, 5).unwrap();
            let clusters = labels.iter().max().copied().unwrap_or(-1) + 1;
            eprintln!("dbscan_1m: {clusters} clusters");
        }
        "gi_35k" => {
            let hex = hex_gi_star(
                &pins(100_000),
                &[],
                Resolution::Ten,
                1,
                &GiOptions::default(),
            )
            .unwrap();
            eprintln!("gi_35k: {} cells", hex.cells.len());
        }
        "kde_100k" => {
            let surface = kde(&pins(100_000), &grid(), Kernel::Epanechnikov, 100.0).unwrap();
            eprintln!("kde_100k: {} cells", surface.len());
        }
        other => panic!("unknown case {other}"),
    }
}

fn benches(c: &mut Criterion) {
    let million = pins(1_000_000);
    let hundred_thousand = pins(100_000);

    let mut group = c.benchmark_group("hotspot_dbscan");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("1m_eps50_min5", |b| {
        b.iter(|| dbscan(black_box(&million), 50.0, 5).unwrap());
    });
    group.bench_function("100k_eps50_min5", |b| {
        b.iter(|| dbscan(black_box(&hundred_thousand), 50.0, 5).unwrap());
    });
    group.finish();

    let mut group = c.benchmark_group("hotspot_gi");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    let hex = hex_gi_star(
        &hundred_thousand,
        &[],
        Resolution::Ten,
        1,
        &GiOptions::default(),
    )
    .unwrap();
    eprintln!("Gi* bench: {} cells at resolution 10", hex.cells.len());
    group.bench_function("100k_pins_res10_999_permutations", |b| {
        b.iter(|| {
            hex_gi_star(
                black_box(&hundred_thousand),
                &[],
                Resolution::Ten,
                1,
                &GiOptions::default(),
            )
            .unwrap()
        });
    });
    let analytic = GiOptions {
        permutations: 0,
        ..GiOptions::default()
    };
    group.bench_function("100k_pins_res10_analytic", |b| {
        b.iter(|| {
            hex_gi_star(
                black_box(&hundred_thousand),
                &[],
                Resolution::Ten,
                1,
                &analytic,
            )
            .unwrap()
        });
    });
    group.finish();

    let mut group = c.benchmark_group("hotspot_kde");
    group.sample_size(10);
    for (name, kernel) in [
        ("epanechnikov", Kernel::Epanechnikov),
        ("quartic", Kernel::Quartic),
    ] {
        group.bench_function(format!("100k_400x400_{name}"), |b| {
            b.iter(|| kde(black_box(&hundred_thousand), &grid(), kernel, 100.0).unwrap());
        });
    }
    group.finish();

    let mut group = c.benchmark_group("hotspot_h3");
    group.sample_size(10);
    group.bench_function("1m_res9_counts", |b| {
        b.iter(|| count_by_cell(black_box(&million), Resolution::Nine).unwrap());
    });
    group.finish();
}

fn main() {
    if let Ok(case) = std::env::var("TRYGG_HOTSPOT_ONCE") {
        run_once(&case);
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
}
