//! Imports refuse control characters, naming the file, line, column and field,
//! and write nothing; printed text never carries a terminal's control sequences.

use super::{Env, fixture_survey, stderr};

/// The fixture survey with a free-text question, under the slug `fritext-2024`.
fn free_text_survey(env: &Env) {
    let mut survey = fixture_survey();
    survey["slug"] = "fritext-2024".into();
    survey["questions"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!(
            {"key": "comment", "kind": "free_text", "max_length": 200, "text": {"sv": "Något mer?"}}
        ));
    env.import_survey("fritext.json", &survey);
}

#[tokio::test]
async fn a_responses_csv_with_a_nul_names_line_column_and_writes_nothing() {
    let env = Env::new().await;
    env.with_survey();
    free_text_survey(&env);
    let file = env.file(
        "svar.csv",
        "area,evening_safety,comment\nbro,trygg,Bra\nbro,otrygg,\"Mörkt\u{0}\"\nbro,trygg,\n",
    );
    let err = env.import_fails("responses", "fritext-2024", &file);
    assert!(
        err.contains("svar.csv, line 3, column `comment`, field `answers.comment`"),
        "{err}"
    );
    assert!(err.contains("control character U+0000"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(env.count("response").await, 0);
    env.finish().await;
}

#[tokio::test]
async fn a_pins_file_with_an_escape_in_a_comment_names_the_feature_and_writes_nothing() {
    let env = Env::new().await;
    env.with_survey();
    let geojson = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.6335, 59.512]},
   "properties": {"category": "grupper", "time_of_day": "kväll"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.642, 59.5075]},
   "properties": {"category": "belysning", "time_of_day": "natt", "comment": "\u001b[2JMörkt"}}
]}"#;
    let file = env.file("platser.geojson", geojson);
    let err = env.import_fails("pins", "kvallsenkat-2024", &file);
    assert!(
        err.contains("platser.geojson, line 4, field `features[1].properties.comment`"),
        "{err}"
    );
    assert!(err.contains("U+001B"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "the escape reaches the terminal: {err:?}"
    );
    assert_eq!(env.count("pin").await, 0);
    env.finish().await;
}

#[tokio::test]
async fn an_areas_file_and_a_survey_file_with_a_nul_name_the_field_and_write_nothing() {
    let env = Env::new().await;
    env.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
    let areas = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "Bro", "code": "bro"},
   "geometry": {"type": "Polygon", "coordinates": [[[17.58, 59.49], [17.70, 59.49], [17.70, 59.54], [17.58, 59.49]]]}},
  {"type": "Feature", "properties": {"name": "Kungs\u0000ängen", "code": "kungsangen"},
   "geometry": {"type": "Polygon", "coordinates": [[[17.71, 59.49], [17.80, 59.49], [17.80, 59.54], [17.71, 59.49]]]}}
]}"#;
    let file = env.file("omraden.geojson", areas);
    let err = env.fails(&["areas", "import", file.to_str().unwrap()]);
    assert!(
        err.contains("omraden.geojson, line 4, field `features[1].properties.name`"),
        "{err}"
    );
    assert_eq!(env.count("area").await, 0);

    let mut survey = fixture_survey();
    survey["title"]["sv"] = "Trygg\u{0}het".into();
    let file = env.file("enkat.json", &survey.to_string());
    let err = env.fails(&["survey", "import", file.to_str().unwrap()]);
    assert!(err.contains("enkat.json, field `title.sv`"), "{err}");
    assert!(err.contains("U+0000"), "{err}");
    assert_eq!(env.count("survey").await, 0);
    env.finish().await;
}

#[tokio::test]
async fn a_crime_file_with_a_control_character_names_line_and_column_and_writes_nothing() {
    let env = Env::new().await;
    env.with_survey();
    let file = env.file(
        "brott.csv",
        "area_code,period,category,count\nbro,2024,rån,3\nbro,2024,\"inbrott\u{7}\",2\n",
    );
    let err = env.fails(&["crime", "import", "--file", file.to_str().unwrap()]);
    assert!(
        err.contains("brott.csv, line 3, column `category`"),
        "{err}"
    );
    assert!(err.contains("U+0007"), "{err}");
    assert_eq!(env.count("crime_count").await, 0);
    env.finish().await;
}

/// Runs a statement on the test's database, past every check of the domain,
/// as data stored before those checks, or written by another program, would be.
async fn execute(env: &Env, sql: &str) {
    use sea_orm::ConnectionTrait;
    let store = env.db.connect().await.unwrap();
    store.connection().execute_unprepared(sql).await.unwrap();
    store.close().await.unwrap();
}

#[tokio::test]
async fn names_from_the_database_reach_the_terminal_without_their_escape_sequences() {
    let env = Env::new().await;
    env.with_survey();
    // SQL has no escapes for ESC that both databases read, so the name is
    // built with CHR (PostgreSQL) or CHAR (SQLite).
    let esc = if env.db.url_text().starts_with("sqlite:") {
        "CHAR(27)"
    } else {
        "CHR(27)"
    };
    execute(
        &env,
        &format!("UPDATE municipality SET name = 'Test' || {esc} || '[2Jkommun'"),
    )
    .await;
    execute(
        &env,
        &format!("UPDATE area SET name = 'Bro' || {esc} || '[2J' WHERE code = 'bro'"),
    )
    .await;

    let listed = env.ok(&["municipality", "list"]);
    assert!(!listed.contains('\u{1b}'), "{listed:?}");
    assert!(listed.contains("Test\\u{1b}[2Jkommun"), "{listed:?}");

    let out = env.run(&["areas", "list"]);
    let (printed, err) = (String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(!printed.contains('\u{1b}'), "{printed:?}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    env.finish().await;
}

#[tokio::test]
async fn exported_csv_text_that_would_run_as_a_formula_starts_with_an_apostrophe_and_numbers_stay()
{
    let env = Env::new().await;
    env.with_survey();
    let mut survey = fixture_survey();
    survey["slug"] = "formel-2024".into();
    survey["questions"]
        .as_array_mut()
        .unwrap()
        .extend([
            serde_json::json!({"key": "comment", "kind": "free_text", "max_length": 200, "text": {"sv": "Något mer?"}}),
            serde_json::json!({"key": "change", "kind": "number", "min": -10, "max": 10, "text": {"sv": "Förändring"}}),
        ]);
    env.import_survey("formel.json", &survey);
    let answers = env.file(
        "svar.csv",
        "area,evening_safety,comment,change\nbro,trygg,\"=HYPERLINK(\"\"http://x\"\")\",-3.5\nbro,otrygg,@SUM(1),2\n",
    );
    env.import_ok("responses", "formel-2024", &answers);
    let pins = env.file(
        "platser.geojson",
        r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.6335, 59.512]},
   "properties": {"category": "grupper", "time_of_day": "kväll", "comment": "@SUM(1)"}}]}"#,
    );
    env.import_ok("pins", "formel-2024", &pins);

    let rows = |text: &str| -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    };
    let exported = env.export("responses", "formel-2024", "csv");
    let header = csv::Reader::from_reader(exported.as_bytes())
        .headers()
        .unwrap()
        .clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut cells: Vec<(String, String)> = rows(&exported)
        .iter()
        .map(|r| {
            (
                r[column("comment")].to_owned(),
                r[column("change")].to_owned(),
            )
        })
        .collect();
    cells.sort();
    assert_eq!(
        cells,
        [
            ("'=HYPERLINK(\"http://x\")".to_owned(), "-3.5".to_owned()),
            ("'@SUM(1)".to_owned(), "2".to_owned()),
        ]
    );

    let exported = env.export("pins", "formel-2024", "csv");
    let pins = rows(&exported);
    assert_eq!(&pins[0][6], "'@SUM(1)");
    assert_eq!(&pins[0][0], "17.6335");
    env.finish().await;
}
