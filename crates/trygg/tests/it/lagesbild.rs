//! `trygg export lagesbild`: the demo's 2023 round as JSON, CSV, Excel, PDF and GeoJSON,
//! each giving the same evening-unsafe share in Bro as a plain SQL count of the answers.

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::{Env, stderr};

const UNSAFE: &str = "('ganska_otrygg', 'mycket_otrygg', 'gar_inte_ut')";

/// Bro's evening-unsafe share in 2023 counted in SQL: (unsafe, base without "vet ej").
async fn bro_2023_by_sql(env: &Env) -> (i64, i64) {
    let respondents_in_bro = "SELECT a.response_id FROM answer a JOIN survey s ON s.id = a.survey_id \
         WHERE s.slug = 'trygghetsmatning-2023' AND a.question_key = 'area' AND a.option_key = 'bro'";
    let unsafe_count = env
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM answer WHERE question_key = 'evening_safety' \
             AND option_key IN {UNSAFE} AND response_id IN ({respondents_in_bro})"
        ))
        .await;
    let base = env
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM answer WHERE question_key = 'evening_safety' \
             AND option_key <> 'vet_ej' AND response_id IN ({respondents_in_bro})"
        ))
        .await;
    (unsafe_count, base)
}

fn export(env: &Env, format: &str, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let path = env.dir.path().join(name);
    let mut args = vec![
        "export",
        "lagesbild",
        "--survey",
        "trygghetsmatning-2023",
        "--format",
        format,
        "--output",
        path.to_str().unwrap(),
        "--permutations",
        "99",
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
    path
}

/// The Bro cell of the evening-unsafe indicator by area in the JSON export: (value, low, high, n).
fn bro_from_json(report: &Value) -> (f64, f64, f64, u64) {
    let table = report["report"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "evening_unsafe" && t["group_by"] == serde_json::json!(["area"]))
        .expect("an evening_unsafe table by area");
    let cell = table["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["group"] == serde_json::json!(["bro"]))
        .expect("a Bro cell");
    let e = &cell["estimate"];
    (
        e["value"].as_f64().unwrap(),
        e["interval"]["low"].as_f64().unwrap(),
        e["interval"]["high"].as_f64().unwrap(),
        e["n"].as_u64().unwrap(),
    )
}

/// The row of the evening-unsafe indicator for Bro in a tables CSV (after its BOM).
fn bro_csv_row(bytes: &[u8], delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| {
            &r[0] == "indikator" && &r[1] == "evening_unsafe" && &r[3] == "area" && &r[4] == "bro"
        })
        .expect("a Bro row")
        .iter()
        .map(ToOwned::to_owned)
        .collect()
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn swedish_percent(x: f64) -> String {
    format!("{:.1} %", 100.0 * x).replace('.', ",")
}

#[tokio::test]
async fn the_json_csv_excel_and_pdf_exports_give_bro_2023_the_evening_unsafe_share_sql_counts() {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let (unsafe_count, base) = bro_2023_by_sql(&env).await;
    let expected = unsafe_count as f64 / base as f64;

    let json: Value =
        serde_json::from_slice(&std::fs::read(export(&env, "json", "l.json", &[])).unwrap())
            .unwrap();
    let (value, low, high, n) = bro_from_json(&json);
    assert_eq!(n, base as u64);
    assert!((value - expected).abs() < 1e-12, "{value} vs {expected}");
    assert!(
        low < value && value < high && high - low < 0.15,
        "{low}–{high}"
    );
    assert_eq!(json["compared_with"], "2021");
    assert_eq!(json["series"].as_array().unwrap().len(), 3);

    // CSV: UTF-8 with a byte-order mark; the Bro row of the indicator by area.
    let csv = std::fs::read(export(&env, "csv", "l.csv", &[])).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    let bro = bro_csv_row(&csv[3..], b',');
    assert!(
        (bro[11].parse::<f64>().unwrap() - expected).abs() < 1e-6,
        "{bro:?}"
    );
    assert!(
        (bro[12].parse::<f64>().unwrap() - low).abs() < 1e-6,
        "{bro:?}"
    );

    // The Swedish-Excel variant: semicolons and decimal commas.
    let semicolon = std::fs::read(export(&env, "csv-semicolon", "sv.csv", &[])).unwrap();
    let bro = bro_csv_row(&semicolon[3..], b';');
    let share: f64 = bro[11].replace(',', ".").parse().unwrap();
    assert!((share - expected).abs() < 1e-6, "{bro:?}");

    // Excel: read back with calamine; a sheet per table and the definitions.
    let path = export(&env, "xlsx", "l.xlsx", &[]);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheets = book.sheet_names();
    for wanted in [
        "Översikt",
        "evening_unsafe",
        "evening_safety",
        "Förändringar",
        "Hotspots",
        "Definitioner",
    ] {
        assert!(
            sheets.iter().any(|s| s == wanted),
            "{wanted} missing from {sheets:?}"
        );
    }
    let range = book.worksheet_range("evening_unsafe").unwrap();
    let bro = range
        .rows()
        .find(|r| {
            r.first() == Some(&Data::String("area".into()))
                && r.get(1) == Some(&Data::String("Bro".into()))
        })
        .expect("a Bro row in the sheet");
    assert_eq!(bro.get(4), Some(&Data::Float(base as f64)));
    match bro.get(7) {
        Some(Data::Float(v)) => assert!((v - expected).abs() < 1e-12, "{v}"),
        other => panic!("share cell is {other:?}"),
    }

    // PDF: its text, as pdftotext extracts it, shows the same share in Swedish.
    let pdf = export(&env, "pdf", "l.pdf", &[]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if tool("pdftotext") {
        let text = pdf_text(&pdf);
        assert!(text.contains("Lägesbild Upplands-Bro"), "{text}");
        assert!(
            text.contains(&swedish_percent(expected)),
            "{} not in {text}",
            swedish_percent(expected)
        );
        assert!(text.contains("Vad har förändrats sedan 2021"), "{text}");
    } else {
        assert!(
            std::env::var("CI").is_err(),
            "pdftotext is missing; scripts/test installs poppler-utils"
        );
    }
    env.finish().await;
}

#[tokio::test]
async fn geojson_layers_are_valid_epsg_4326_with_short_attribute_names_and_ogrinfo_reads_them() {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    for layer in ["cells", "hotspots", "pins"] {
        let path = export(
            &env,
            "geojson",
            &format!("{layer}.geojson"),
            &["--layer", layer],
        );
        let value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let features = value["features"].as_array().unwrap();
        assert!(!features.is_empty(), "{layer} has no features");
        for feature in features {
            // RFC 7946 via the geojson crate: every geometry parses.
            let parsed: geojson::Feature = serde_json::from_value(feature.clone()).unwrap();
            assert!(parsed.geometry.is_some());
            for name in feature["properties"].as_object().unwrap().keys() {
                assert!(
                    name.len() <= 10,
                    "{layer}: attribute `{name}` is longer than 10"
                );
            }
            for [lon, lat] in coordinates(&feature["geometry"]["coordinates"]) {
                assert!(
                    (17.0..18.5).contains(&lon) && (59.0..60.0).contains(&lat),
                    "{lon} {lat}"
                );
            }
        }
        if layer == "pins" {
            assert!(
                features
                    .iter()
                    .all(|f| f["properties"].get("comment").is_none())
            );
        }
        if tool("ogrinfo") {
            let out = Command::new("ogrinfo")
                .args(["-ro", "-al", "-so", path.to_str().unwrap()])
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                text.contains(&format!("Feature Count: {}", features.len())),
                "{text}"
            );
            assert!(text.contains("WGS 84"), "{text}");
        }
    }
    env.finish().await;
}

/// Every position in a GeoJSON coordinates array, however deeply nested.
fn coordinates(value: &Value) -> Vec<[f64; 2]> {
    match value.as_array() {
        Some(items) if items.len() == 2 && items.iter().all(Value::is_number) => {
            vec![[items[0].as_f64().unwrap(), items[1].as_f64().unwrap()]]
        }
        Some(items) => items.iter().flat_map(coordinates).collect(),
        None => Vec::new(),
    }
}

#[tokio::test]
async fn a_filter_that_names_no_area_is_refused_with_the_field() {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let out = env.run(&[
        "export",
        "lagesbild",
        "--survey",
        "trygghetsmatning-2023",
        "--format",
        "csv",
        "--output",
        "x.csv",
        "--area",
        "atlantis",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("area: `atlantis` is not an option"),
        "{}",
        stderr(&out)
    );
    assert!(!env.dir.path().join("x.csv").exists());
    env.finish().await;
}
