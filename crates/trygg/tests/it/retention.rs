//! `trygg retention set|run` on the demo: after the period no free text and no
//! exact coordinate remains in any table, and the lägesbild computes the same
//! indicators and the same hotspot cells as before.

use std::collections::{HashMap, HashSet};

use sea_orm::DbBackend;
use serde_json::Value;

use crate::Env;

const ROUNDS: [&str; 3] = [
    "trygghetsmatning-2020",
    "trygghetsmatning-2021",
    "trygghetsmatning-2023",
];

/// The first column of every row `sql` answers, as text.
async fn column(env: &Env, sql: &str) -> Vec<String> {
    env.query(sql)
        .await
        .iter()
        .filter_map(|row| row.try_get_by_index::<Option<String>>(0).unwrap())
        .collect()
}

/// The pins' coordinates, (lon, lat).
async fn coordinates(env: &Env) -> Vec<(f64, f64)> {
    env.query("SELECT lon, lat FROM pin")
        .await
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<f64>(0).unwrap(),
                row.try_get_by_index::<f64>(1).unwrap(),
            )
        })
        .collect()
}

/// Every row of every table, each as one line of text.
async fn every_row(env: &Env) -> Vec<String> {
    let store = env.db.connect().await.unwrap();
    let db = store.connection();
    let backend = db.get_database_backend();
    let tables = match backend {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    store.close().await.unwrap();
    let mut lines = Vec::new();
    for table in column(env, tables).await {
        let sql = if backend == DbBackend::Sqlite {
            let columns = column(
                env,
                &format!("SELECT name FROM pragma_table_info('{table}')"),
            )
            .await;
            let joined: Vec<String> = columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
            format!(
                "SELECT {} AS line FROM \"{table}\"",
                joined.join(" || '|' || ")
            )
        } else {
            format!("SELECT CAST(t AS TEXT) AS line FROM \"{table}\" t")
        };
        lines.extend(column(env, &sql).await);
    }
    lines
}

fn lagesbild(env: &Env, name: &str) -> Value {
    let path = env.dir.path().join(name);
    env.ok(&[
        "export",
        "lagesbild",
        "--survey",
        "trygghetsmatning-2023",
        "--format",
        "json",
        "--output",
        path.to_str().unwrap(),
        "--permutations",
        "99",
    ]);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Nine characters of a coordinate's shortest decimal form: about 0.1 m, and the
/// same in every database's text form of the number.
fn prefix(x: f64) -> String {
    prefix_of(&x.to_string())
}

fn prefix_of(number: &str) -> String {
    number.chars().take(9).collect()
}

#[tokio::test]
async fn after_the_retention_period_no_free_text_or_exact_coordinate_remains_and_the_lagesbild_is_the_same()
 {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let before = lagesbild(&env, "before.json");
    let mut texts = column(
        &env,
        "SELECT text_value FROM answer WHERE text_value IS NOT NULL \
         UNION SELECT comment FROM pin WHERE comment IS NOT NULL",
    )
    .await;
    texts.sort();
    texts.dedup();
    assert!(texts.len() > 5, "the demo has free text: {texts:?}");
    let exact = coordinates(&env).await;
    assert!(exact.len() > 1_000);

    for slug in ROUNDS {
        let out = env.ok(&["retention", "set", "--survey", slug, "--days", "30"]);
        assert!(out.contains("days after closing"), "{out}");
    }
    // 2023 closed on 10 December 2023: due on 10 January 2024, not a day before.
    let out = env.ok(&["retention", "run", "--today", "2024-01-09"]);
    assert!(out.contains("trygghetsmatning-2020:"), "{out}");
    assert!(out.contains("trygghetsmatning-2021:"), "{out}");
    assert!(!out.contains("trygghetsmatning-2023"), "{out}");
    let out = env.ok(&["retention", "run", "--today", "2024-01-10"]);
    assert!(out.contains("trygghetsmatning-2023: deleted"), "{out}");
    let out = env.ok(&["retention", "run", "--today", "2024-01-11"]);
    assert!(out.contains("No survey is past"), "{out}");

    let rows = every_row(&env).await;
    assert!(rows.len() > 10_000, "every table was read: {}", rows.len());
    for text in &texts {
        assert!(
            !rows.iter().any(|row| row.contains(text.as_str())),
            "free text remains: {text}"
        );
    }
    // Rows by the 9-character prefixes of the numbers they hold.
    let mut rows_with: HashMap<String, HashSet<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        for number in row.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')) {
            if number.len() >= 9 {
                rows_with.entry(prefix_of(number)).or_default().insert(i);
            }
        }
    }
    for (lon, lat) in &exact {
        let (lon, lat) = (prefix(*lon), prefix(*lat));
        let together = rows_with
            .get(&lon)
            .zip(rows_with.get(&lat))
            .is_some_and(|(a, b)| !a.is_disjoint(b));
        assert!(!together, "an exact location remains: {lon} {lat}");
    }
    let kept = coordinates(&env).await;
    assert_eq!(kept.len(), exact.len(), "every pin is kept, as its cell");

    let after = lagesbild(&env, "after.json");
    assert_eq!(before["report"], after["report"], "indicators");
    assert_eq!(before["series"], after["series"], "trends");
    assert_eq!(
        before["map"]["cells"], after["map"]["cells"],
        "hotspot cells"
    );
    // Hotspots keep their cells and counts; only their outlines, drawn around the
    // pins, now follow the cells' centres.
    let summary = |l: &Value| -> Vec<Value> {
        l["map"]["hotspots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                serde_json::json!([
                    h["name"],
                    h["cells"],
                    h["pins"],
                    h["respondents"],
                    h["categories"],
                    h["time_of_day"],
                    h["sentence"]
                ])
            })
            .collect()
    };
    assert_eq!(summary(&before), summary(&after), "hotspots");
    assert_eq!(before["key_figures"], after["key_figures"]);
    env.finish().await;
}

#[tokio::test]
async fn a_retention_period_out_of_range_is_refused_and_an_unknown_survey_is_named() {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let out = env.run(&["retention", "set", "--survey", ROUNDS[0], "--days", "0"]);
    assert!(!out.status.success());
    assert!(
        crate::stderr(&out).contains("--days"),
        "{}",
        crate::stderr(&out)
    );
    let out = env.run(&["retention", "set", "--survey", "finns-inte", "--days", "30"]);
    assert!(!out.status.success());
    assert!(crate::stderr(&out).contains("finns-inte"));
    env.finish().await;
}
