#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use serde_json::{Value, json};
use time::macros::date;

use super::*;

fn definition() -> Value {
    json!({
        "slug": "trygghet-2025", "round": "2025",
        "title": {"sv": "Trygghetsmätning", "en": "Safety survey"},
        "opens_on": "2025-09-01", "closes_on": "2025-10-31",
        "questions": [
            {"key": "gender", "kind": "single_choice", "required": true, "background": "gender",
             "text": {"sv": "Kön"},
             "options": [{"key": "kvinna", "label": {"sv": "Kvinna"}}, {"key": "man", "label": {"sv": "Man"}}]},
            {"key": "evening_safety", "kind": "single_choice", "scale": true, "text": {"sv": "Hur trygg?"},
             "options": [{"key": "trygg", "label": {"sv": "Trygg"}}, {"key": "otrygg", "label": {"sv": "Otrygg"}},
                         {"key": "vet_ej", "label": {"sv": "Vet ej"}, "dont_know": true}]},
            {"key": "priorities", "kind": "multiple_choice", "max_choices": 2, "text": {"sv": "Prioritera"},
             "options": [{"key": "belysning", "label": {"sv": "Belysning"}}, {"key": "polis", "label": {"sv": "Polis"}}]},
            {"key": "years", "kind": "number", "min": 0, "max": 100, "integer": true, "text": {"sv": "År"}},
            {"key": "comment", "kind": "free_text", "max_length": 200, "text": {"sv": "Något mer?"}},
            {"key": "places", "kind": "map", "max_pins": 3, "text": {"sv": "Otrygga platser"},
             "categories": [{"key": "belysning", "label": {"sv": "Belysning"}}, {"key": "grupper", "label": {"sv": "Grupper"}}]}
        ]
    })
}

fn parse(value: Value) -> Survey {
    Survey::parse(
        serde_json::from_value(value).unwrap(),
        MunicipalityId::new(),
    )
    .unwrap()
}

/// A change to the definition.
type Change = fn(&mut Value);

/// The array at `pointer` in a definition.
fn array<'a>(v: &'a mut Value, pointer: &str) -> &'a mut Vec<Value> {
    v.pointer_mut(pointer).unwrap().as_array_mut().unwrap()
}

fn revise(change: impl FnOnce(&mut Value)) -> Result<(), DomainError> {
    let published = parse(definition());
    let mut changed = definition();
    change(&mut changed);
    check_revision(&published, &parse(changed))
}

#[test]
fn the_question_bank_parses_and_covers_every_standard_topic() {
    let bank = question_bank().unwrap();
    for topic in [
        Topic::Background,
        Topic::Safety,
        Topic::Victimisation,
        Topic::LocalProblems,
        Topic::Trust,
        Topic::Priorities,
        Topic::Places,
        Topic::Comment,
    ] {
        assert!(
            bank.iter().any(|e| e.topic == topic),
            "{topic:?} is missing"
        );
    }
    for key in [
        "evening_safety",
        "worry_crime",
        "victim",
        "trust_police",
        "trust_municipality",
        "priorities",
        "places",
    ] {
        assert!(
            bank.iter().any(|e| e.question.key.as_str() == key),
            "{key} is missing"
        );
    }
    assert!(
        bank.iter().all(|e| e.question.text.en.is_some()),
        "every bank question has an English text"
    );
}

#[test]
fn the_bank_keeps_the_demo_surveys_keys_so_results_compare_with_it() {
    let demo: Value =
        serde_json::from_str(include_str!("../../../trygg-cli/src/demo/survey.json")).unwrap();
    let bank = question_bank().unwrap();
    for entry in &bank {
        let Some(same) = demo["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["key"] == entry.question.key.as_str())
        else {
            continue;
        };
        assert_eq!(
            same["kind"],
            serde_json::to_value(&entry.question).unwrap()["kind"]
        );
        let keys = |v: &Value, field: &str| -> Vec<String> {
            v[field]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|o| o["key"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default()
        };
        let bank_json = serde_json::to_value(&entry.question).unwrap();
        assert_eq!(
            keys(same, "options"),
            keys(&bank_json, "options"),
            "{}",
            entry.question.key
        );
        assert_eq!(
            keys(same, "categories"),
            keys(&bank_json, "categories"),
            "{}",
            entry.question.key
        );
    }
}

#[test]
fn a_survey_built_from_the_bank_parses_as_any_survey() {
    let questions: Vec<Value> = question_bank()
        .unwrap()
        .iter()
        .map(|e| serde_json::to_value(&e.question).unwrap())
        .collect();
    let mut value = definition();
    value["questions"] = questions.into();
    let survey = parse(value);
    assert_eq!(survey.questions.len(), question_bank().unwrap().len());
}

#[test]
fn the_area_question_offers_the_municipalitys_areas() {
    let geometry: geojson::Geometry = serde_json::from_value(json!({
        "type": "Polygon", "coordinates": [[[17.0, 59.0], [17.1, 59.0], [17.1, 59.1], [17.0, 59.0]]]
    }))
    .unwrap();
    let m = MunicipalityId::new();
    let areas = [
        Area::parse(m, "bro", "Bro", &geometry, "").unwrap(),
        Area::parse(m, "kungsangen", "Kungsängen", &geometry, "").unwrap(),
    ];
    let question = area_question(&areas).unwrap();
    assert_eq!(question.background, Some(Background::Area));
    let labels: Vec<&str> = question
        .options()
        .iter()
        .map(|o| o.label.sv.as_str())
        .collect();
    assert_eq!(labels, ["Bro", "Kungsängen"]);
    assert_eq!(area_question(&[]).unwrap_err().field, "areas");
}

/// The 2026 round of `source` under `slug`, opening on 2026-09-01 and closing on `closes_on`.
fn round_2026(
    source: &Survey,
    slug: &str,
    closes_on: Option<time::Date>,
) -> Result<Survey, DomainError> {
    new_round(
        source,
        slug,
        "2026",
        date!(2026 - 09 - 01),
        closes_on,
        source.municipality_id,
    )
}

#[test]
fn a_new_round_keeps_every_question_key_and_takes_new_dates() {
    let source = parse(definition());
    let round = round_2026(&source, "trygghet-2026", None).unwrap();
    let keys = |s: &Survey| {
        s.questions
            .iter()
            .map(|q| q.key.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&round), keys(&source));
    assert_eq!(round.questions, source.questions);
    assert_eq!(
        (round.slug.as_str(), round.round.as_str()),
        ("trygghet-2026", "2026")
    );
    assert_eq!(
        (round.opens_on, round.closes_on),
        (date!(2026 - 09 - 01), None)
    );
    assert_ne!(round.id, source.id);
}

#[test]
fn a_new_round_checks_its_slug_and_dates() {
    let source = parse(definition());
    let bad_slug = round_2026(&source, "Trygghet 2026", None);
    assert_eq!(bad_slug.unwrap_err().field, "slug");
    let closes_first = round_2026(&source, "t-2026", Some(date!(2026 - 08 - 01)));
    assert_eq!(closes_first.unwrap_err().field, "closes_on");
}

#[test]
fn a_published_survey_accepts_corrections_that_keep_it_comparable() {
    let cases: &[(&str, Change)] = &[
        ("nothing changed", |_| {}),
        ("a corrected title", |v| {
            v["title"]["sv"] = "Trygghetsenkät".into()
        }),
        ("a corrected question text", |v| {
            v["questions"][1]["text"]["sv"] = "Hur trygg känner du dig?".into()
        }),
        ("an English text added", |v| {
            v["questions"][1]["text"]["en"] = "How safe?".into()
        }),
        ("a corrected option label", |v| {
            v["questions"][0]["options"][0]["label"]["sv"] = "Kvinna/flicka".into()
        }),
        ("help text added", |v| {
            v["questions"][3]["help"] = json!({"sv": "Ungefär"})
        }),
        ("a later closing day", |v| {
            v["closes_on"] = "2025-11-30".into()
        }),
        ("a new option", |v| {
            array(v, "/questions/2/options").push(json!({"key": "unga", "label": {"sv": "Unga"}}));
        }),
        ("a new map category", |v| {
            array(v, "/questions/5/categories")
                .push(json!({"key": "ovrigt", "label": {"sv": "Övrigt"}}));
        }),
        ("options reordered", |v| {
            array(v, "/questions/2/options").reverse();
        }),
        ("a longer free text", |v| {
            v["questions"][4]["max_length"] = 2000.into()
        }),
        ("more pins", |v| v["questions"][5]["max_pins"] = 10.into()),
    ];
    for (description, change) in cases {
        assert_eq!(revise(change), Ok(()), "{description}");
    }
}

#[test]
fn a_published_survey_refuses_changes_that_break_comparability_naming_the_field() {
    let cases: &[(&str, Change, &str)] = &[
        ("a new slug", |v| v["slug"] = "annan".into(), "slug"),
        (
            "a removed question",
            |v| {
                array(v, "/questions").remove(1);
            },
            "questions[1]",
        ),
        (
            "the last question removed",
            |v| {
                array(v, "/questions").pop();
            },
            "questions",
        ),
        (
            "a renamed key",
            |v| v["questions"][1]["key"] = "kvall".into(),
            "questions[1]",
        ),
        (
            "questions reordered",
            |v| {
                array(v, "/questions").swap(0, 1);
            },
            "questions[0].key",
        ),
        (
            "an added question",
            |v| {
                array(v, "/questions")
                    .push(json!({"key": "extra", "kind": "free_text", "text": {"sv": "Extra"}}));
            },
            "questions[6]",
        ),
        (
            "a changed kind",
            |v| {
                v["questions"][4] =
                    json!({"key": "comment", "kind": "number", "text": {"sv": "Något mer?"}});
            },
            "questions[4].kind",
        ),
        (
            "a removed option",
            |v| {
                array(v, "/questions/1/options").remove(0);
            },
            "questions[1].options",
        ),
        (
            "a removed map category",
            |v| {
                array(v, "/questions/5/categories").remove(1);
            },
            "questions[5].categories",
        ),
        (
            "vet ej no longer don't know",
            |v| v["questions"][1]["options"][2]["dont_know"] = false.into(),
            "questions[1].options[2].dont_know",
        ),
        (
            "a scale turned off",
            |v| v["questions"][1]["scale"] = false.into(),
            "questions[1].scale",
        ),
        (
            "required turned off",
            |v| v["questions"][0]["required"] = false.into(),
            "questions[0].required",
        ),
        (
            "a background flag removed",
            |v| {
                v["questions"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("background");
            },
            "questions[0].background",
        ),
        (
            "fewer choices allowed",
            |v| v["questions"][2]["max_choices"] = 1.into(),
            "questions[2].max_choices",
        ),
        (
            "a new maximum",
            |v| v["questions"][3]["max"] = 120.into(),
            "questions[3].max",
        ),
        (
            "a new minimum",
            |v| v["questions"][3]["min"] = 1.into(),
            "questions[3].min",
        ),
        (
            "decimals allowed",
            |v| v["questions"][3]["integer"] = false.into(),
            "questions[3].integer",
        ),
    ];
    for (description, change, field) in cases {
        let error = revise(change).unwrap_err();
        assert_eq!(error.field, *field, "{description}: {}", error.message);
        let expected = if *field == "slug" {
            "locked"
        } else {
            "breaks_comparability"
        };
        assert_eq!(error.code, expected, "{description}");
    }
}

#[test]
fn retention_runs_the_day_after_the_period_and_never_for_an_open_ended_survey() {
    let period = RetentionDays::parse(30, "retention_days").unwrap();
    assert_eq!(period.due_on(date!(2025 - 10 - 31)), date!(2025 - 12 - 01));
    assert!(!period.is_due(Some(date!(2025 - 10 - 31)), date!(2025 - 11 - 30)));
    assert!(period.is_due(Some(date!(2025 - 10 - 31)), date!(2025 - 12 - 01)));
    assert!(!period.is_due(None, date!(2099 - 01 - 01)));
    for bad in [0, -1, 3_651, 100_000] {
        assert_eq!(
            RetentionDays::parse(bad, "retention_days")
                .unwrap_err()
                .field,
            "retention_days"
        );
    }
}
