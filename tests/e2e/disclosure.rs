//! Issue 16, must-show 2: in a generated municipality with small groups, required
//! questions and "vet ej" everywhere, no release lets a hidden cell be worked out
//! more closely than the protection margin: the public page with its CSV and
//! the follow-up figures, and every dashboard export a staff member can filter,
//! which is also what `trygg analyse lagesbild` writes (`cli_and_server.rs`). Built table by table instead, the same
//! releases leak, and publishing such a release is refused naming the cell.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use trygg_domain::Role;
use trygg_e2e::generated::{
    AFTER_CLOSING, AGE_BANDS, AREAS, GENDERS, Generated, SLUG, generated_municipality,
};
use trygg_e2e::{TestApp, spawn_app};
use trygg_lagesbild::disclosure::{DisclosureFailure, audit_release};
use trygg_lagesbild::publish::{FollowUpFigures, PublishError, prepare_release_with};
use trygg_lagesbild::{Filters, Lagesbild, Options, Sources, public};

const SEED: u64 = 2025_1130;
const RESPONDENTS: usize = 420;

async fn generated_app() -> (TestApp, Generated, Sources) {
    let app = spawn_app().await;
    let generated = generated_municipality(&app.store, SEED, RESPONDENTS).await;
    let sources = Sources::read(&app.store, &generated.survey).await.unwrap();
    (app, generated, sources)
}

/// The dashboard's filter `field` (`area`, `gender` or `age_band`) set to
/// `value`, alone: as a query string and as [`Filters`].
fn filter(field: &str, value: &str) -> (String, Filters) {
    let mut filters = Filters::default();
    let slot = match field {
        "area" => &mut filters.area,
        "gender" => &mut filters.gender,
        "age_band" => &mut filters.age_band,
        _ => panic!("the dashboard has no filter {field}"),
    };
    *slot = Some(value.to_owned());
    (format!("{field}={value}"), filters)
}

/// Every respondent filter of the dashboard, one at a time, as query strings.
fn dashboard_filters() -> Vec<(String, Filters)> {
    let mut out = vec![(String::new(), Filters::default())];
    out.extend(AREAS.iter().map(|(area, _, _)| filter("area", area)));
    out.extend(GENDERS.iter().map(|(gender, _)| filter("gender", gender)));
    out.extend(AGE_BANDS.iter().map(|(age, _)| filter("age_band", age)));
    out
}

/// What the audits of a test added up to.
#[derive(Default)]
struct Totals {
    releases: usize,
    checked: usize,
    programmes: usize,
    time: Duration,
}

impl Totals {
    fn add(&mut self, name: &str, checked: usize, programmes: usize, time: Duration) {
        eprintln!("{name}: {checked} hidden cells checked, {programmes} programmes, {time:?}");
        self.releases += 1;
        self.checked += checked;
        self.programmes += programmes;
        self.time += time;
    }

    fn print(&self, what: &str) {
        eprintln!(
            "{what}: {} releases, {} hidden cells checked, {} programmes, {:?} auditing",
            self.releases, self.checked, self.programmes, self.time
        );
    }
}

/// Audits `release`; a failure is kept in `failures` so that every release is
/// audited before the test fails.
fn audit(
    name: &str,
    sources: &Sources,
    release: &Lagesbild,
    totals: &mut Totals,
    failures: &mut Vec<String>,
) {
    let started = Instant::now();
    match audit_release(sources, release) {
        Ok(report) => totals.add(name, report.checked, report.programmes, started.elapsed()),
        Err(failure) => {
            eprintln!("{name} FAILS: {failure}");
            failures.push(format!("{name}: {failure}"));
        }
    }
}

/// The published count and base of every table and indicator cell, by
/// (kind, key, breakdown, group, option), as the CSV names them; `None` when hidden.
fn published_cells(release: &Lagesbild) -> HashMap<[String; 5], Option<(u64, Option<u64>)>> {
    let mut cells = HashMap::new();
    let mut add =
        |kind: &str, key: &str, group_by: &[String], group: &[String], option: &str, shown| {
            let row = [
                kind.to_owned(),
                key.to_owned(),
                group_by.join("×"),
                group.join("×"),
                option.to_owned(),
            ];
            assert!(cells.insert(row, shown).is_none(), "one row per cell");
        };
    for table in &release.report.indicators {
        for cell in &table.cells {
            let shown = cell.estimate.map(|e| (e.n, e.count));
            add(
                "indikator",
                &table.key,
                &table.group_by,
                &cell.group,
                &table.key,
                shown,
            );
        }
    }
    for table in &release.report.tables {
        for cell in &table.cells {
            let shown = cell.estimate.map(|e| (e.n, Some(e.count)));
            add(
                "fråga",
                &table.question,
                &table.group_by,
                &cell.group,
                &cell.option,
                shown,
            );
        }
    }
    cells
}

/// Asserts that `csv` (either dialect, with its byte-order mark) shows exactly the
/// counts and bases of the audited `release`: the same cells, the same numbers,
/// and nothing where the release hides a cell. Returns the rows compared.
fn assert_csv_is_the_release(name: &str, csv: &[u8], release: &Lagesbild) -> usize {
    let text = std::str::from_utf8(csv).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = if text.starts_with("typ;") { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let [typ, key, breakdown, group, option, n, count] = [
        "typ",
        "nyckel",
        "indelning",
        "grupp",
        "alternativ",
        "n",
        "antal",
    ]
    .map(column);
    let mut expected = published_cells(release);
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        if &record[typ] == "forandring" {
            continue;
        }
        rows += 1;
        let id = [typ, key, breakdown, group, option].map(|i| record[i].to_owned());
        let whole = |i: usize| (!record[i].is_empty()).then(|| record[i].parse::<u64>().unwrap());
        let shown = expected
            .remove(&id)
            .unwrap_or_else(|| panic!("{name}: the CSV row {id:?} is no cell of the release"));
        match shown {
            Some((base, counted)) => {
                assert_eq!(whole(n), Some(base), "{name}: n of {id:?}");
                assert_eq!(whole(count), counted, "{name}: count of {id:?}");
            }
            None => assert_eq!(
                (whole(n), whole(count)),
                (None, None),
                "{name}: {id:?} is hidden in the release"
            ),
        }
    }
    assert!(
        expected.is_empty(),
        "{name}: cells missing from the CSV: {:?}",
        expected.keys().take(3).collect::<Vec<_>>()
    );
    rows
}

#[tokio::test]
async fn no_release_of_a_generated_municipality_lets_a_hidden_cell_be_worked_out() {
    let (app, generated, sources) = generated_app().await;
    let survey = &generated.survey;
    let mut totals = Totals::default();
    let mut failures = Vec::new();
    eprintln!(
        "generated municipality: {} responses in {} districts",
        generated.responses,
        AREAS.len()
    );

    // The public page, its CSV in both dialects and the follow-up figures, as the
    // public routes serve the snapshot that publishing stored.
    trygg_lagesbild::publish::publish(
        &app.store,
        survey,
        false,
        None,
        AFTER_CLOSING.midnight().assume_utc(),
    )
    .await
    .unwrap();
    let page = app.get(&format!("/api/v1/results/{SLUG}")).await;
    assert_eq!(page.status(), 200);
    let public_page: Lagesbild = page.json().await.unwrap();
    assert!(public_page.report.tables.iter().any(|t| {
        t.cells
            .iter()
            .any(|c| c.estimate.is_none() && c.suppressed.is_some())
    }));
    audit(
        "public page",
        &sources,
        &public_page,
        &mut totals,
        &mut failures,
    );
    for dialect in ["comma", "semicolon"] {
        let csv = app
            .get(&format!(
                "/api/v1/results/{SLUG}/tables.csv?dialect={dialect}"
            ))
            .await;
        assert_eq!(csv.status(), 200);
        let rows =
            assert_csv_is_the_release("public CSV", &csv.bytes().await.unwrap(), &public_page);
        eprintln!("public CSV ({dialect}): {rows} rows, each the audited page's cell");
    }
    let follow_up = app
        .store
        .published_follow_up(generated.municipality.id)
        .await
        .unwrap();
    assert_eq!(follow_up.len(), 1, "the one published round");
    let figures: FollowUpFigures = serde_json::from_str(&follow_up[0].follow_up_json).unwrap();
    assert!(!figures.by_area.is_empty());
    for table in &figures.by_area {
        let on_page = public_page
            .report
            .indicators
            .iter()
            .find(|t| t.key == table.key && t.group_by == table.group_by)
            .unwrap();
        assert_eq!(table, on_page, "the follow-up page shows the audited cells");
    }
    eprintln!(
        "follow-up figures: {} indicator tables by area, each the audited page's",
        figures.by_area.len()
    );

    // The dashboard and its CSV export, for every filter, unweighted and weighted.
    let analyst = app.staff_in(generated.municipality.id, Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{}/lagesbild", survey.id);
    // Every request first, then the audits: a keep-alive connection left idle
    // for the seconds an audit takes may be closed under the next request.
    let mut dashboards = Vec::new();
    for (query, filters) in dashboard_filters() {
        for weighted in [false, true] {
            let query = format!("{query}&weighted={weighted}");
            let name = format!("dashboard ?{query}");
            let dashboard = analyst.get(&format!("{base}?{query}")).await;
            assert_eq!(dashboard.status(), 200, "{name}");
            let release: Lagesbild = dashboard.json().await.unwrap();
            assert_eq!(release.filters, filters);
            // Population figures cover women and men only: the other genders' own
            // lägesbilder cannot be weighted and are the unweighted ones again.
            assert_eq!(
                release.weighted,
                weighted && release.weighting_available,
                "{name}"
            );
            let export = analyst
                .get(&format!("{base}/export?format=csv&{query}"))
                .await;
            assert_eq!(export.status(), 200, "{name}");
            let csv = export.bytes().await.unwrap();
            dashboards.push((name, release, csv));
        }
    }
    for (name, release, csv) in &dashboards {
        audit(name, &sources, release, &mut totals, &mut failures);
        assert_csv_is_the_release(name, csv, release);
    }

    // `trygg analyse lagesbild` renders the same lägesbild as the dashboard
    // (tests/e2e/cli_and_server.rs finds them identical, table by table), so the
    // dashboard releases above are also what the CLI writes.

    totals.print("linked suppression");
    assert!(
        failures.is_empty(),
        "{} releases fail the audit:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        totals.checked > 0,
        "the generated municipality has cells to protect"
    );
    app.finish().await;
}

#[tokio::test]
async fn suppressed_table_by_table_the_same_releases_let_hidden_cells_be_worked_out() {
    let (app, _generated, sources) = generated_app().await;
    let mut totals = Totals::default();
    let mut leaking = Vec::new();
    let mut kinds: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    let mut examples: HashMap<&str, String> = HashMap::new();
    for (query, filters) in dashboard_filters() {
        for weighted in [false, true] {
            let name = format!("table by table ?{query}&weighted={weighted}");
            let release = public::redact(
                sources
                    .build(&Options {
                        filters: filters.clone(),
                        weighted,
                        permutations: Some(0),
                        unlinked: true,
                        ..Options::default()
                    })
                    .unwrap(),
            );
            let started = Instant::now();
            match audit_release(&sources, &release) {
                Ok(report) => {
                    totals.add(&name, report.checked, report.programmes, started.elapsed());
                }
                Err(DisclosureFailure::Leaks(leaks)) => {
                    totals.add(&name, 0, 0, started.elapsed());
                    // Which leaks the share indicators cause: those that go away
                    // when every indicator cell is hidden as well.
                    let mut without_indicators = release.clone();
                    for cell in without_indicators
                        .report
                        .indicators
                        .iter_mut()
                        .flat_map(|t| &mut t.cells)
                    {
                        cell.estimate = None;
                    }
                    let still: Vec<String> = match audit_release(&sources, &without_indicators) {
                        Ok(_) => Vec::new(),
                        Err(DisclosureFailure::Leaks(rest)) => {
                            rest.iter().map(|d| d.cell.to_string()).collect()
                        }
                        Err(other) => panic!("{name}: {other}"),
                    };
                    for d in &leaks {
                        let kind = if d.cell.column == "vet_ej" {
                            "base + vet ej"
                        } else if !still.contains(&d.cell.to_string()) {
                            "indicator − options"
                        } else {
                            "other"
                        };
                        *kinds.entry(kind).or_insert(0_usize) += 1;
                        examples.entry(kind).or_insert_with(|| d.sentence());
                    }
                    eprintln!("{name}: {} cells leak", leaks.len());
                    leaking.push(name);
                }
                Err(other) => panic!("{name}: {other}"),
            }
        }
    }
    totals.print("table by table");
    eprintln!(
        "leaking releases: {}; leaked cells by kind: {kinds:?}",
        leaking.len()
    );
    for (kind, sentence) in &examples {
        eprintln!("  {kind}: {sentence}");
    }
    assert!(
        !leaking.is_empty(),
        "the per-table suppression leaks somewhere"
    );
    assert!(
        kinds.contains_key("indicator − options") && kinds.contains_key("base + vet ej"),
        "both leaks of the issue: {kinds:?}"
    );
    app.finish().await;
}

#[tokio::test]
async fn publishing_the_generated_round_suppressed_table_by_table_is_refused_naming_the_cell() {
    let (app, _generated, sources) = generated_app().await;
    let per_table = Options {
        unlinked: true,
        permutations: Some(0),
        ..Options::default()
    };

    let refused = prepare_release_with(&sources, AFTER_CLOSING, &per_table).unwrap_err();

    let PublishError::Disclosure(DisclosureFailure::Leaks(leaks)) = &refused else {
        panic!("refused for another reason: {refused}");
    };
    let message = refused.to_string();
    let first = leaks.first().unwrap();
    assert!(message.contains(&first.cell.to_string()), "{message}");
    assert!(message.contains("can be worked out"), "{message}");
    assert_eq!(refused.code(), "disclosure_risk");
    eprintln!("refused: {message}");
    prepare_release_with(
        &sources,
        AFTER_CLOSING,
        &Options {
            permutations: Some(0),
            ..Options::default()
        },
    )
    .unwrap();
    app.finish().await;
}
