//! `trygg analyse lagesbild`: the demo's evening-unsafe indicator with intervals per
//! round and district and its change, the same tables from files of any survey tool,
//! and errors that point into the input files.

use std::fmt::Write as _;

use crate::{Env, stderr};

const DEFINITION: &str = r#"{
  "slug": "kvallsenkat",
  "round": "2024",
  "title": {"sv": "Kvällsenkät"},
  "opens_on": "2024-03-01",
  "questions": [
    {"key": "area", "kind": "single_choice", "background": "area", "text": {"sv": "Område"},
     "options": [{"key": "bro", "label": {"sv": "Bro"}}, {"key": "kungsangen", "label": {"sv": "Kungsängen"}},
                 {"key": "lassa", "label": {"sv": "Låssa"}}]},
    {"key": "gender", "kind": "single_choice", "background": "gender", "text": {"sv": "Kön"},
     "options": [{"key": "kvinna", "label": {"sv": "Kvinna"}}, {"key": "man", "label": {"sv": "Man"}}]},
    {"key": "evening_safety", "kind": "single_choice", "text": {"sv": "Trygg på kvällen?"},
     "options": [{"key": "trygg", "label": {"sv": "Trygg"}}, {"key": "otrygg", "label": {"sv": "Otrygg"}},
                 {"key": "vet_ej", "label": {"sv": "Vet ej"}, "dont_know": true}]}
  ],
  "indicators": [
    {"key": "evening_unsafe", "label": {"sv": "Otrygg på kvällen"}, "kind": "share",
     "question": "evening_safety", "options": ["otrygg"]}
  ]
}"#;

/// `rows` respondents cycling through areas, genders and answers; every `unsafe_every`-th feels unsafe.
fn responses(rows: usize, unsafe_every: usize) -> String {
    let mut csv = "response_id,area,gender,evening_safety\n".to_owned();
    for i in 0..rows {
        let area = ["bro", "kungsangen"][i % 2];
        let gender = ["kvinna", "man"][(i / 2) % 2];
        let answer = if i % 10 == 9 {
            "vet_ej"
        } else if i % unsafe_every == 0 {
            "otrygg"
        } else {
            "trygg"
        };
        writeln!(csv, "{i},{area},{gender},{answer}").unwrap();
    }
    csv
}

#[tokio::test]
async fn the_demo_rounds_give_evening_unsafe_with_intervals_per_round_and_district_and_the_change()
{
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let mut args = vec![
        "analyse",
        "lagesbild",
        "--survey",
        "trygghetsmatning-2023",
        "--compare",
        "trygghetsmatning-2020",
        "--permutations",
        "0",
    ];
    let md = env.ok(&args);
    assert!(md.contains("(evening_unsafe)"), "{md}");
    for round in ["2020", "2021", "2023"] {
        for district in ["alla", "bro", "kungsangen"] {
            assert!(
                md.lines()
                    .any(|l| l.starts_with(&format!("| {round} | {district} |"))
                        && l.contains(" % – ")),
                "no row for {round} {district}:\n{md}"
            );
        }
        // Brunna and Låssa have small "vet ej" counts in required questions; their
        // base, which the indicator shows, would give them away (base + "vet ej" =
        // the district's respondents), so the release hides it with a note.
        for district in ["brunna", "lassa"] {
            assert!(
                md.lines()
                    .any(|l| l.starts_with(&format!("| {round} | {district} |"))
                        && (l.contains(" % – ") || l.contains("| suppressed |"))),
                "no row for {round} {district}:\n{md}"
            );
        }
    }
    assert!(md.contains("- Change 2020 → 2023, alla: "), "{md}");

    args.extend(["--format", "json"]);
    let lagesbild: serde_json::Value = serde_json::from_str(&env.ok(&args)).unwrap();
    let series = lagesbild["series"].as_array().unwrap();
    assert_eq!(series.len(), 3);
    let overall = |round: &serde_json::Value| {
        round["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == "evening_unsafe" && t["group_by"].as_array().unwrap().is_empty())
            .unwrap()["cells"][0]["estimate"]
            .clone()
    };
    // The demo was generated with about 36, 32 and 31 % feeling unsafe.
    for (round, target) in series.iter().zip([0.36, 0.32, 0.31]) {
        let e = overall(round);
        let (share, low, high) = (
            e["value"].as_f64().unwrap(),
            e["interval"]["low"].as_f64().unwrap(),
            e["interval"]["high"].as_f64().unwrap(),
        );
        assert!((share - target).abs() < 0.02, "{share} vs {target}");
        assert!(low < share && share < high && high - low < 0.06);
    }
    let trend = lagesbild["report"]["trends"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "evening_unsafe" && t["group"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(trend["from_round"], "2020");
    assert_eq!(trend["to_round"], "2023");
    let change = &trend["change"];
    let difference = change["difference"].as_f64().unwrap();
    assert!(
        change["interval"]["low"].as_f64().unwrap() < difference
            && difference < change["interval"]["high"].as_f64().unwrap()
    );
    assert!(change["p_value"].as_f64().unwrap() <= 1.0);
    env.finish().await;
}

/// The definition of an earlier round: the same questions, opened a year before.
fn earlier_definition() -> String {
    DEFINITION
        .replace(r#""slug": "kvallsenkat""#, r#""slug": "kvallsenkat-2023""#)
        .replace(r#""round": "2024""#, r#""round": "2023""#)
        .replace("2024-03-01", "2023-03-01")
}

#[tokio::test]
async fn files_from_any_survey_tool_give_the_weighted_tables_csv_with_the_change_and_reasons() {
    let env = Env::new().await;
    let definition = env.file("survey.json", DEFINITION);
    let now = env.file("now.csv", &responses(400, 3));
    let before = env.dir.path().join("2023");
    std::fs::create_dir(&before).unwrap();
    env.file("2023/survey.json", &earlier_definition());
    env.file("2023/responses.csv", &responses(400, 4));
    let mut population = "area,gender,age_band,population\n".to_owned();
    for (area, people) in [("bro", 3000), ("kungsangen", 2000), ("lassa", 500)] {
        for gender in ["kvinna", "man"] {
            writeln!(population, "{area},{gender},alla,{people}").unwrap();
        }
    }
    let population = env.file("pop.csv", &population);
    let out = env.dir.path().join("out.csv");
    env.ok(&[
        "analyse",
        "lagesbild",
        "--definition",
        definition.to_str().unwrap(),
        "--responses",
        now.to_str().unwrap(),
        "--earlier",
        before.to_str().unwrap(),
        "--population",
        population.to_str().unwrap(),
        "--weighted",
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(out).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let (kind, key, group) = (column("typ"), column("nyckel"), column("grupp"));
    assert!(
        rows.iter()
            .any(|r| &r[key] == "evening_unsafe" && &r[group] == "bro"),
        "{csv}"
    );
    let title = column("rubrik");
    assert!(
        rows.iter()
            .any(|r| &r[kind] == "forandring" && &r[title] == "2023 → 2024"),
        "no change since 2023: {csv}"
    );
    let (suppressed, note) = (column("andel"), column("anmarkning"));
    for row in rows
        .iter()
        .filter(|r| r[suppressed].is_empty() && &r[kind] != "forandring")
    {
        assert!(
            !row[note].is_empty(),
            "a hidden cell without a reason: {row:?}"
        );
    }
    env.finish().await;
}

#[tokio::test]
async fn malformed_inputs_name_file_line_and_column_and_fail() {
    let env = Env::new().await;
    let definition = env.file("survey.json", DEFINITION);
    let good = env.file("good.csv", &responses(100, 3));
    let cases = [
        (
            "an unknown question key",
            "unknown.csv",
            "response_id,area,shoe_size\n1,bro,42\n".to_owned(),
            None,
            "unknown.csv, line 1, column `shoe_size`: the survey has no question `shoe_size`",
        ),
        (
            "an option not in the definition",
            "option.csv",
            "response_id,area,gender,evening_safety\n1,bro,man,trygg\n2,bro,man,livrädd\n"
                .to_owned(),
            None,
            "option.csv, line 3, column `evening_safety`",
        ),
        (
            "a population figure that is not a count",
            "pop.csv",
            "area,gender,age_band,population\nbro,kvinna,alla,6000\nbro,man,alla,many\n".to_owned(),
            Some(()),
            "pop.csv, line 3, column `population`: `many` is not a whole number",
        ),
        (
            "a population area the definition does not have",
            "pop.csv",
            "area,gender,age_band,population\nbro,kvinna,alla,6000\nupplands_bro,man,alla,4000\n"
                .to_owned(),
            Some(()),
            "pop.csv, line 3, column `area`: `upplands_bro` is not the code of one of the municipality's areas",
        ),
    ];
    for (description, name, contents, is_population, expected) in cases {
        let file = env.file(name, &contents);
        let (responses, population) = if is_population.is_some() {
            (good.to_str().unwrap(), Some(file.to_str().unwrap()))
        } else {
            (file.to_str().unwrap(), None)
        };
        let mut args = vec![
            "analyse",
            "lagesbild",
            "--definition",
            definition.to_str().unwrap(),
            "--responses",
            responses,
        ];
        if let Some(population) = population {
            args.extend(["--population", population]);
        }
        let out = env.run(&args);
        assert!(!out.status.success(), "{description}: should fail");
        let message = stderr(&out);
        assert!(
            message.contains(expected),
            "{description}: `{message}` should contain `{expected}`"
        );
        assert!(!message.contains("nothing was imported"), "{message}");
    }
    env.finish().await;
}
