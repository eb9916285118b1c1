//! Imports name the file, line, column and field of a bad record, exit non-zero,
//! and write nothing of that file.

use crate::{Env, stderr};

/// The fixture survey's slug.
const SURVEY: &str = "kvallsenkat-2024";

#[tokio::test]
async fn a_responses_csv_with_one_bad_row_in_the_middle_names_line_and_column_and_writes_nothing() {
    let env = Env::new().await;
    env.with_survey();
    let cases = [
        (
            "unknown option",
            "bro,kanske,,3",
            "column `evening_safety`",
            "not an option",
        ),
        (
            "missing required answer",
            "bro,,polis,3",
            "column `evening_safety`",
            "must be answered",
        ),
        (
            "wrong type",
            "kungsangen,trygg,unga,tre",
            "column `years`",
            "expected a number",
        ),
    ];
    for (description, bad_row, column, message) in cases {
        let csv = format!(
            "area,evening_safety,priorities,years\nbro,trygg,belysning;polis,12\nkungsangen,otrygg,,1\n{bad_row}\nbro,vet_ej,unga,40\n"
        );
        let file = env.file("svar.csv", &csv);
        let out = env.import("responses", SURVEY, &file);
        let err = stderr(&out);
        assert!(
            !out.status.success(),
            "{description}: the import should fail"
        );
        assert!(err.contains("svar.csv, line 4"), "{description}: {err}");
        assert!(err.contains(column), "{description}: {err}");
        assert!(err.contains(message), "{description}: {err}");
        assert!(err.contains("nothing was imported"), "{description}: {err}");
        assert_eq!(
            env.count("response").await,
            0,
            "{description}: no response may be stored"
        );
        assert_eq!(
            env.count("answer").await,
            0,
            "{description}: no answer may be stored"
        );
    }
    env.finish().await;
}

#[tokio::test]
async fn a_good_responses_csv_is_imported_and_exports_back_to_the_same_rows() {
    let env = Env::new().await;
    env.with_survey();
    let csv = "area,evening_safety,priorities,years\nbro,trygg,polis;belysning,12\nkungsangen,otrygg,,\nbro,vet_ej,unga,40\n";
    let file = env.file("svar.csv", csv);
    let out = env.import_ok("responses", SURVEY, &file);
    assert!(out.contains("Imported 3 response(s)"), "{out}");
    assert_eq!(env.count("answer").await, 3 + 3 + 3 + 2);

    let exported = env.export("responses", SURVEY, "csv");
    let rows: Vec<Vec<String>> = exported
        .lines()
        .map(|l| l.split(',').skip(2).map(ToOwned::to_owned).collect())
        .collect();
    assert_eq!(rows[0], ["area", "evening_safety", "priorities", "years"]);
    // Responses of one hour come in the order of their random ids, not the
    // file's; options come back in the survey's order, whatever order they were
    // given in.
    let mut body = rows[1..].to_vec();
    body.sort();
    assert_eq!(
        body,
        [
            ["bro", "trygg", "belysning;polis", "12"],
            ["bro", "vet_ej", "unga", "40"],
            ["kungsangen", "otrygg", "", ""]
        ]
    );
    let jsonl = env.export("responses", SURVEY, "jsonl");
    assert_eq!(jsonl.lines().count(), 3);
    assert!(jsonl.contains(r#""priorities":["unga"]"#), "{jsonl}");
    env.finish().await;
}

#[tokio::test]
async fn exported_responses_come_by_submitted_hour_then_id_never_in_arrival_order() {
    let env = Env::new().await;
    env.with_survey();
    // Imported in this order: an afternoon first, then five in the morning hour.
    let mut csv = "submitted_hour,area,evening_safety\n2024-03-01T14:10:00Z,bro,trygg\n".to_owned();
    for minute in [55, 5, 41, 17, 29] {
        csv.push_str(&format!(
            "2024-03-01T09:{minute:02}:00Z,kungsangen,otrygg\n"
        ));
    }
    let file = env.file("svar.csv", &csv);
    env.import_ok("responses", SURVEY, &file);
    let exported = env.export("responses", SURVEY, "csv");
    let rows: Vec<(String, String)> = exported
        .lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            let id = cells.next().unwrap().to_owned();
            (cells.next().unwrap().to_owned(), id)
        })
        .collect();
    assert_eq!(rows.len(), 6);
    let mut expected = rows.clone();
    expected.sort();
    assert_eq!(rows, expected, "by hour, then id");
    assert!(
        rows[..5]
            .iter()
            .all(|(hour, _)| hour == "2024-03-01T09:00:00Z"),
        "the morning hour comes first though it came last: {rows:?}"
    );
    assert_eq!(rows[5].0, "2024-03-01T14:00:00Z");
    assert!(
        rows.iter()
            .all(|(_, id)| uuid::Uuid::parse_str(id).unwrap().get_version_num() == 4),
        "{rows:?}"
    );
    env.finish().await;
}

#[tokio::test]
async fn a_pins_geojson_with_one_point_outside_every_area_names_the_feature_and_writes_nothing() {
    let env = Env::new().await;
    env.with_survey();
    let geojson = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.6335, 59.512]},
   "properties": {"category": "grupper", "time_of_day": "kväll"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [18.0686, 59.3293]},
   "properties": {"category": "belysning", "time_of_day": "natt"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.751, 59.4785]},
   "properties": {"category": "belysning", "time_of_day": "natt", "comment": "Mörk tunnel"}}
]}"#;
    let file = env.file("platser.geojson", geojson);
    let err = env.import_fails("pins", SURVEY, &file);
    assert!(
        err.contains("platser.geojson, line 4, field `features[1].geometry`"),
        "{err}"
    );
    assert!(err.contains("outside every area"), "{err}");
    assert_eq!(env.count("pin").await, 0);

    let good = env.file(
        "bra.geojson",
        &geojson.replace("18.0686, 59.3293", "17.642, 59.5075"),
    );
    let out = env.import_ok("pins", SURVEY, &good);
    assert!(out.contains("Imported 3 pin(s)"), "{out}");
    let exported = env.export("pins", SURVEY, "geojson");
    let parsed: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(parsed["features"].as_array().unwrap().len(), 3);
    assert_eq!(parsed["features"][0]["properties"]["area_code"], "bro");
    assert_eq!(
        parsed["features"][2]["properties"]["area_code"],
        "kungsangen"
    );
    assert_eq!(
        parsed["features"][0]["properties"]["time_of_day"],
        "evening"
    );
    env.finish().await;
}

#[tokio::test]
async fn an_unknown_category_in_a_pins_file_names_its_property() {
    let env = Env::new().await;
    env.with_survey();
    let file = env.file(
        "p.geojson",
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.6335, 59.512]}, "properties": {"category": "ufo", "time_of_day": "dag"}}]}"#,
    );
    let err = env.import_fails("pins", SURVEY, &file);
    assert!(
        err.contains("field `features[0].properties.category`"),
        "{err}"
    );
    env.finish().await;
}

#[tokio::test]
async fn areas_import_refuses_a_self_intersecting_polygon_and_names_the_feature() {
    let env = Env::new().await;
    env.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
    let file = env.file(
        "omraden.geojson",
        r#"{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "Bro"}, "geometry": {"type": "Polygon", "coordinates": [[[17.6, 59.5], [17.7, 59.5], [17.7, 59.55], [17.6, 59.5]]]}},
 {"type": "Feature", "properties": {"name": "Fluga"}, "geometry": {"type": "Polygon", "coordinates": [[[17.0, 59.0], [18.0, 60.0], [18.0, 59.0], [17.0, 60.0], [17.0, 59.0]]]}}
]}"#,
    );
    let err = env.fails(&["areas", "import", file.to_str().unwrap()]);
    assert!(err.contains("field `features[1].geometry`"), "{err}");
    assert!(err.contains("not a valid polygon"), "{err}");
    assert_eq!(env.count("area").await, 0);
    env.finish().await;
}

#[tokio::test]
async fn a_survey_file_with_a_syntax_error_is_reported_with_its_line() {
    let env = Env::new().await;
    env.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
    let file = env.file(
        "enkat.json",
        "{\n  \"slug\": \"x\",\n  \"round\" \"2024\"\n}\n",
    );
    let err = env.fails(&["survey", "import", file.to_str().unwrap()]);
    assert!(err.contains("enkat.json, line 3"), "{err}");
    env.finish().await;
}
