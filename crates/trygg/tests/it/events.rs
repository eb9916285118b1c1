//! `trygg events emerging` on an events file: the reference data set through the whole
//! command, and bad rows named by line and column with nothing written.

use std::fmt::Write as _;

use h3o::{CellIndex, LatLng};
use serde_json::Value;

use crate::Env;

/// Month and day of the `n`th day of 2026 (0 is 1 January).
fn date_2026(mut n: usize) -> (usize, usize) {
    let months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (month, &days) in months.iter().enumerate() {
        if n < days {
            return (month + 1, n + 1);
        }
        n -= days;
    }
    panic!("not in 2026")
}

/// The analysis crate's esda/pymannkendall fixture as an events file: each week's
/// events at their cells' centres, from Monday 2026-01-05 (2026-W02) on.
fn reference_events() -> (Value, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../trygg-analysis/tests/fixtures/events/emerging.json"
    );
    let reference: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut csv = "occurred_at,lon,lat,category,organisation,description\n".to_owned();
    for (week, cells) in reference["weeks"].as_array().unwrap().iter().enumerate() {
        for cell in cells.as_array().unwrap() {
            let centre = LatLng::from(cell[0].as_str().unwrap().parse::<CellIndex>().unwrap());
            for hour in 0..cell[1].as_u64().unwrap() as usize {
                // Monday 2026-01-05 is day 4; the events spread over the week's days.
                let (month, day) = date_2026(4 + 7 * week + (hour / 24) % 7);
                let at = format!("2026-{month:02}-{day:02}T{:02}:15:00+01:00", hour % 24);
                let (lon, lat) = (centre.lng(), centre.lat());
                writeln!(csv, "{at},{lon},{lat},klotter,Bostadsbolaget,").unwrap();
            }
        }
    }
    (reference, csv)
}

#[tokio::test]
async fn emerging_on_a_file_equals_esda_and_pymannkendall_cell_for_cell() {
    let env = Env::new().await;
    let (reference, csv) = reference_events();
    let input = env.file("events.csv", &csv);
    let output = env.dir.path().join("cells.geojson");
    let said = env.ok(&[
        "events",
        "emerging",
        "--input",
        input.to_str().unwrap(),
        "--weeks",
        "26",
        "--end-week",
        "2026-W27",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert!(said.contains("919 cell(s)"), "{said}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    let features = written["features"].as_array().unwrap();
    let cells = reference["cells"].as_array().unwrap();
    assert_eq!(features.len(), cells.len());
    for (feature, expected) in features.iter().zip(cells) {
        let (p, h3) = (&feature["properties"], &expected["h3"]);
        assert_eq!(&p["h3"], h3);
        assert_eq!(p["pattern"], expected["pattern"], "{h3}");
        let close = |key: &str, want: &Value| {
            let (got, want) = (p[key].as_f64().unwrap(), want.as_f64().unwrap());
            assert!((got - want).abs() <= 1e-9, "{h3} {key}: {got} ≠ {want}");
        };
        close("mk_z", &expected["mk_z"]);
        close("mk_p", &expected["mk_p"]);
        close("z_w01", &expected["z"][0]);
        close("z_w26", &expected["z"][25]);
    }
}

#[tokio::test]
async fn a_time_without_an_offset_names_its_line_and_column_and_writes_nothing() {
    let env = Env::new().await;
    let input = env.file(
        "events.csv",
        "occurred_at,lon,lat,category,organisation,description\n\
         2026-03-02T10:00:00+01:00,17.6335,59.512,klotter,Bostadsbolaget,Nytt klotter\n\
         2026-03-02 10:00,17.6335,59.512,klotter,Bostadsbolaget,\n",
    );
    let output = env.dir.path().join("cells.geojson");
    let args = ["events", "emerging", "--input", input.to_str().unwrap()];
    let tail = [
        "--end-week",
        "2026-W10",
        "--output",
        output.to_str().unwrap(),
    ];
    let error = env.fails(&[&args[..], &tail[..]].concat());
    assert!(
        error.contains("events.csv, line 3, column `occurred_at`"),
        "{error}"
    );
    assert!(!output.exists());
}

/// Six reports of klotter in Brunna in 2026-W48 and one the week before.
const REPORTS: &str = "occurred_at,lon,lat,category,organisation,description\n\
    2026-11-23T21:10:00+01:00,17.8623,59.5291,klotter,Bostadsbolaget,Klotter på garagelängan\n\
    2026-11-24T21:10:00+01:00,17.8623,59.5291,klotter,Bostadsbolaget,\n\
    2026-11-25T21:10:00+01:00,17.8623,59.5291,klotter,Väktarbolaget,Nytt klotter vid busshållplatsen\n\
    2026-11-26T21:10:00+01:00,17.8623,59.5291,klotter,Väktarbolaget,\n\
    2026-11-27T21:10:00+01:00,17.8623,59.5291,klotter,Väktarbolaget,\n\
    2026-11-28T21:10:00+01:00,17.8623,59.5291,klotter,Bostadsbolaget,\n\
    2026-11-18T21:10:00+01:00,17.8623,59.5291,klotter,Bostadsbolaget,\n";

#[tokio::test]
async fn imported_reports_make_the_weekly_picture_and_a_second_import_stores_nothing_twice() {
    let env = Env::new().await;
    env.with_survey();
    let file = env.file("handelser.csv", REPORTS);
    let said = env.ok(&["events", "import", "--file", file.to_str().unwrap()]);
    assert!(said.contains("Imported 7 report(s)"), "{said}");
    assert!(said.contains("Bostadsbolaget, Väktarbolaget"), "{said}");
    let again = env.ok(&["events", "import", "--file", file.to_str().unwrap()]);
    assert!(
        again.contains("Imported 0 report(s)") && again.contains("7 imported before"),
        "{again}"
    );
    assert_eq!(
        env.scalar("SELECT COUNT(*) AS n FROM event_report").await,
        7
    );

    let json: Value = serde_json::from_str(
        &env.ok(&["events", "weekly", "--week", "2026-W48", "--format", "json"]),
    )
    .unwrap();
    assert_eq!(json["total"]["this_week"], 6);
    assert_eq!(json["total"]["previous"]["count"], 1);
    assert_eq!(json["total"]["previous"]["change"], "more");
    let csv = env.ok(&["events", "weekly", "--week", "2026-W48", "--format", "csv"]);
    assert!(
        csv.starts_with("week,sums,area,category,this_week,"),
        "{csv}"
    );
    assert!(csv.contains("2026-W48,total,,,6,1,4,"), "{csv}");
    let md = env.ok(&["events", "weekly", "--week", "2026-W48"]);
    assert!(md.contains("# Händelser vecka 2026-W48"), "{md}");
    assert!(md.contains("| Alla | – | – | 6 | 0,2 | **fler** |"), "{md}");
}

#[tokio::test]
async fn an_unknown_category_names_its_line_and_column_and_imports_nothing() {
    let env = Env::new().await;
    env.with_survey();
    let broken = REPORTS.replacen(",klotter,Väktarbolaget,Nytt", ",ufo,Väktarbolaget,Nytt", 1);
    let file = env.file("handelser.csv", &broken);
    let error = env.fails(&["events", "import", "--file", file.to_str().unwrap()]);
    assert!(
        error.contains("handelser.csv, line 4, column `category`"),
        "{error}"
    );
    assert_eq!(
        env.scalar("SELECT COUNT(*) AS n FROM event_report").await,
        0
    );
    assert_eq!(
        env.scalar("SELECT COUNT(*) AS n FROM organisation").await,
        0
    );
}
