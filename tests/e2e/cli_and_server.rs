//! One input, one set of numbers: the demo's rounds, exported by the CLI as files
//! and analysed from those files by `trygg analyse lagesbild`, give the very
//! lägesbild the server builds from the database: every table, every map cell and
//! hotspot, number for number.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use trygg_domain::Role;
use trygg_e2e::{StaffClient, TestApp, spawn_app};

const ROUNDS: [&str; 3] = [
    "trygghetsmatning-2020",
    "trygghetsmatning-2021",
    "trygghetsmatning-2023",
];

fn demo_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/trygg-cli/src/demo")
        .join(name)
}

/// Runs `trygg ARGS` in-process with the settings file `config`.
async fn trygg(config: &Path, args: &[&str]) {
    let mut all = vec!["trygg", "--config", config.to_str().unwrap()];
    all.extend_from_slice(args);
    if let Err(error) = trygg_cli::run_args(&all).await {
        panic!("{all:?} failed: {error:#}");
    }
}

/// Each demo round as the folder `analyse lagesbild` reads: the definition as
/// `survey show --json` prints it, and the responses and pins as exported.
async fn export_rounds(app: &TestApp, dir: &Path) -> PathBuf {
    let config = dir.join("trygg.toml");
    let url = app.database_url();
    std::fs::write(&config, format!("[database]\nurl = {url:?}\n")).unwrap();
    for slug in ROUNDS {
        let folder = dir.join(slug);
        std::fs::create_dir(&folder).unwrap();
        let survey = app.store.survey_by_slug(slug).await.unwrap().unwrap();
        let definition = serde_json::to_string_pretty(&survey).unwrap();
        std::fs::write(folder.join("survey.json"), definition).unwrap();
        for (what, file) in [("responses", "responses.csv"), ("pins", "pins.geojson")] {
            let output = folder.join(file);
            let output = output.to_str().unwrap();
            trygg(&config, &["export", what, "--survey", slug, "-o", output]).await;
        }
    }
    config
}

/// The CLI's lägesbild of 2023 from the files, in `format`.
async fn from_files(dir: &Path, config: &Path, format: &str, extra: &[&str]) -> Vec<u8> {
    let round = |slug: &str, file: &str| dir.join(slug).join(file).display().to_string();
    let output = dir.join(format!("cli.{format}"));
    let (earliest, earlier) = (dir.join(ROUNDS[0]), dir.join(ROUNDS[1]));
    let files = [
        ("--definition", round(ROUNDS[2], "survey.json")),
        ("--responses", round(ROUNDS[2], "responses.csv")),
        ("--pins", round(ROUNDS[2], "pins.geojson")),
        ("--earlier", earliest.display().to_string()),
        ("--earlier", earlier.display().to_string()),
        ("--areas", demo_file("areas.geojson").display().to_string()),
        (
            "--places",
            demo_file("places.geojson").display().to_string(),
        ),
        (
            "--population",
            demo_file("population.csv").display().to_string(),
        ),
        ("--format", format.to_owned()),
        ("--output", output.display().to_string()),
    ];
    let mut args = vec!["analyse", "lagesbild"];
    for (flag, value) in &files {
        args.extend([*flag, value.as_str()]);
    }
    args.extend_from_slice(extra);
    trygg(config, &args).await;
    std::fs::read(output).unwrap()
}

/// The tables CSV as its tables: (type, key, breakdown) → the rows, in order.
fn tables(csv: &[u8]) -> BTreeMap<(String, String, String), Vec<Vec<String>>> {
    let text = std::str::from_utf8(csv)
        .unwrap()
        .trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut tables: BTreeMap<_, Vec<Vec<String>>> = BTreeMap::new();
    for record in reader.records() {
        let row: Vec<String> = record.unwrap().iter().map(ToOwned::to_owned).collect();
        let table = (row[0].clone(), row[1].clone(), row[3].clone());
        tables.entry(table).or_default().push(row);
    }
    tables
}

async fn server(analyst: &StaffClient, id: &str, query: &str) -> (Value, Vec<u8>) {
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild");
    let dashboard = analyst.get(&format!("{base}?{query}")).await;
    assert_eq!(dashboard.status(), 200);
    let csv = analyst
        .get(&format!("{base}/export?format=csv&{query}"))
        .await;
    assert_eq!(csv.status(), 200);
    (
        dashboard.json().await.unwrap(),
        csv.bytes().await.unwrap().to_vec(),
    )
}

/// Every published number of two lägesbilder of the same data: the tables, the
/// series of earlier rounds, the key figures and the map.
fn assert_same_numbers(server: &Value, cli: &Value) {
    for part in ["indicators", "tables", "trends", "respondents", "weighting"] {
        let (s, c) = (&server["report"][part], &cli["report"][part]);
        match (s.as_array(), c.as_array()) {
            (Some(s), Some(c)) => {
                assert_eq!(s.len(), c.len(), "report.{part}: how many tables");
                for (s, c) in s.iter().zip(c) {
                    let name = format!("{} by {}", s["key"], s["group_by"]);
                    assert_eq!(s, c, "report.{part}: {name}");
                }
            }
            _ => assert_eq!(s, c, "report.{part}"),
        }
    }
    for part in ["series", "compared_with", "weighted", "questions"] {
        assert_eq!(server[part], cli[part], "{part}");
    }
    for figure in [
        "respondents",
        "respondents_total",
        "pins",
        "respondents_with_pins",
    ] {
        let (s, c) = (&server["key_figures"], &cli["key_figures"]);
        assert_eq!(s[figure], c[figure], "key_figures.{figure}");
    }
    assert_eq!(
        server["key_figures"]["share_with_pins"], cli["key_figures"]["share_with_pins"],
        "key_figures.share_with_pins"
    );
    for part in [
        "cells",
        "hotspots",
        "categories",
        "time_of_day",
        "heat",
        "areas",
    ] {
        assert_eq!(server["map"][part], cli["map"][part], "map.{part}");
    }
}

/// The same tables, row for row, and at least `at_least` of them.
fn assert_same_tables(server: &[u8], cli: &[u8], at_least: usize) {
    let (server, cli) = (tables(server), tables(cli));
    assert!(server.len() >= at_least, "{} tables", server.len());
    assert_eq!(
        server.keys().collect::<Vec<_>>(),
        cli.keys().collect::<Vec<_>>()
    );
    for (table, rows) in &server {
        assert_eq!(Some(rows), cli.get(table), "table {table:?}");
    }
}

#[tokio::test]
async fn the_demo_as_files_through_the_cli_gives_every_number_the_server_gives_from_the_database() {
    let app = spawn_app().await;
    trygg_cli::demo::load(&app.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = export_rounds(&app, dir.path()).await;
    let analyst = app.staff(Role::Analyst).await;
    let survey = app.store.survey_by_slug(ROUNDS[2]).await.unwrap().unwrap();
    let id = survey.id.to_string();

    // The server first: an idle connection may close while the CLI computes.
    let (dashboard, server_csv) = server(&analyst, &id, "").await;
    let weighted_query = "weighted=true&area=bro";
    let (_, server_weighted_csv) = server(&analyst, &id, weighted_query).await;

    let cli_json: Value =
        serde_json::from_slice(&from_files(dir.path(), &config, "json", &[]).await).unwrap();
    assert_same_numbers(&dashboard, &cli_json);
    let cli_csv = from_files(dir.path(), &config, "csv", &[]).await;
    assert_same_tables(&server_csv, &cli_csv, 50);

    // Weighted to the population figures, and for one area, the same again.
    let extra = ["--weighted", "--area", "bro"];
    let cli_csv = from_files(dir.path(), &config, "csv", &extra).await;
    assert_same_tables(&server_weighted_csv, &cli_csv, 20);
    app.finish().await;
}
