//! A generated municipality for disclosure tests: small groups, required
//! questions and "vet ej" everywhere, stored through the real store.
//!
//! Five districts of very different sizes (two of them with a dozen or two
//! respondents), four genders of which two are rare (so district × gender cells
//! of 1 to 5 people are common), four required single-choice questions whose
//! "vet ej" is chosen by 10–20 % and share indicators on all of them. The round
//! is closed, the municipality has population figures (so the dashboard can
//! weight), and about a third of the respondents put a pin in their district.
//! The generator is deterministic: the same seed gives the same rows.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, Time};
use trygg_domain::{
    Area, Boundary, Municipality, PinInput, RawAnswer, RawLocation, ResponseInput, Survey,
    SurveyInput,
};
use trygg_store::Store;

/// Slug of the generated municipality.
pub const MUNICIPALITY: &str = "genererad-kommun";
/// Slug of its survey round.
pub const SLUG: &str = "genererad-2025";
/// The day after the round closed: the first day it may be published.
pub const AFTER_CLOSING: Date = time::macros::date!(2025 - 12 - 01);

/// Districts: key, name, share of respondents.
pub const AREAS: [(&str, &str, f64); 5] = [
    ("centrum", "Centrum", 0.45),
    ("norr", "Norr", 0.28),
    ("soder", "Söder", 0.17),
    ("holmen", "Holmen", 0.06),
    ("skar", "Skär", 0.04),
];
/// Genders: key and share.
pub const GENDERS: [(&str, f64); 4] = [
    ("kvinna", 0.48),
    ("man", 0.45),
    ("annat", 0.03),
    ("vill_ej_uppge", 0.04),
];
/// Age bands: key and share.
pub const AGE_BANDS: [(&str, f64); 4] = [
    ("a16_24", 0.08),
    ("a25_44", 0.32),
    ("a45_64", 0.35),
    ("a65_84", 0.25),
];

/// What [`generated_municipality`] stored.
pub struct Generated {
    /// The municipality.
    pub municipality: Municipality,
    /// The closed round.
    pub survey: Survey,
    /// How many responses it has.
    pub responses: usize,
}

/// The round's definition: background questions, four required single-choice
/// questions with "vet ej", an optional one, a multiple-choice question, a map
/// question and five share indicators.
pub fn definition() -> serde_json::Value {
    let options = |keys: &[&str]| -> serde_json::Value {
        keys.iter()
            .map(|k| {
                if *k == "vet_ej" {
                    serde_json::json!({"key": k, "label": {"sv": "Vet ej"}, "dont_know": true})
                } else {
                    serde_json::json!({"key": k, "label": {"sv": k}})
                }
            })
            .collect()
    };
    let areas: Vec<&str> = AREAS.iter().map(|(k, _, _)| *k).collect();
    serde_json::json!({
        "slug": SLUG, "round": "2025",
        "title": {"sv": "Trygghetsmätning 2025 (genererad)", "en": "Safety survey 2025 (generated)"},
        "opens_on": "2025-10-01", "closes_on": "2025-11-30",
        "questions": [
            {"key": "area", "kind": "single_choice", "background": "area", "required": true,
             "text": {"sv": "Var bor du?"}, "options": options(&areas)},
            {"key": "gender", "kind": "single_choice", "background": "gender", "required": true,
             "text": {"sv": "Kön"}, "options": options(&keys(&GENDERS))},
            {"key": "age_band", "kind": "single_choice", "background": "age_band", "required": true,
             "text": {"sv": "Ålder"}, "options": options(&keys(&AGE_BANDS))},
            {"key": "evening_safety", "kind": "single_choice", "scale": true, "required": true,
             "text": {"sv": "Hur trygg känner du dig ute sent en kväll?"},
             "options": options(&["mycket_trygg", "ganska_trygg", "ganska_otrygg", "mycket_otrygg", "gar_inte_ut", "vet_ej"])},
            {"key": "worry_crime", "kind": "single_choice", "scale": true, "required": true,
             "text": {"sv": "Hur ofta oroar du dig för brott?"},
             "options": options(&["mycket_ofta", "ganska_ofta", "ganska_sallan", "aldrig", "vet_ej"])},
            {"key": "trust_police", "kind": "single_choice", "scale": true, "required": true,
             "text": {"sv": "Förtroende för polisen"},
             "options": options(&["mycket_stort", "ganska_stort", "ganska_litet", "mycket_litet", "vet_ej"])},
            {"key": "victim", "kind": "single_choice", "required": true,
             "text": {"sv": "Utsatt för brott senaste året?"},
             "options": options(&["ja", "nej", "vet_ej"])},
            {"key": "problem_lighting", "kind": "single_choice", "scale": true,
             "text": {"sv": "Dålig belysning"},
             "options": options(&["stort", "litet", "inget", "vet_ej"])},
            {"key": "priorities", "kind": "multiple_choice", "max_choices": 2,
             "text": {"sv": "Vad ska prioriteras?"},
             "options": options(&["polis", "belysning", "unga"])},
            {"key": "places", "kind": "map", "max_pins": 2, "text": {"sv": "Otrygga platser"},
             "categories": [{"key": "belysning", "label": {"sv": "Belysning"}},
                            {"key": "grupper", "label": {"sv": "Grupper som stör"}}]}
        ],
        "indicators": [
            {"key": "evening_unsafe", "label": {"sv": "Otrygg ute sent en kväll"}, "kind": "share",
             "question": "evening_safety", "options": ["ganska_otrygg", "mycket_otrygg", "gar_inte_ut"]},
            {"key": "worried", "label": {"sv": "Oroar sig ofta för brott"}, "kind": "share",
             "question": "worry_crime", "options": ["mycket_ofta", "ganska_ofta"]},
            {"key": "low_trust", "label": {"sv": "Lågt förtroende för polisen"}, "kind": "share",
             "question": "trust_police", "options": ["ganska_litet", "mycket_litet"]},
            {"key": "victims", "label": {"sv": "Utsatta för brott"}, "kind": "share",
             "question": "victim", "options": ["ja"]},
            {"key": "lighting_problem", "label": {"sv": "Ser belysningen som ett stort problem"}, "kind": "share",
             "question": "problem_lighting", "options": ["stort"]}
        ]
    })
}

fn keys<'a>(list: &[(&'a str, f64)]) -> Vec<&'a str> {
    list.iter().map(|(k, _)| *k).collect()
}

/// A district's rectangle: districts lie side by side, 0.02° wide, west to east.
fn rectangle(i: usize) -> (f64, f64, f64, f64) {
    let west = 17.50 + 0.02 * i as f64;
    (west, 59.40, west + 0.02, 59.43)
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[(&'a str, f64)]) -> &'a str {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random::<f64>() * total;
    for &(item, weight) in items {
        if x < weight {
            return item;
        }
        x -= weight;
    }
    items.last().map_or("", |&(item, _)| item)
}

/// Generates the municipality and its round of `respondents` responses from
/// `seed`, and stores them.
///
/// # Panics
/// If the generated data does not parse or the store fails.
pub async fn generated_municipality(store: &Store, seed: u64, respondents: usize) -> Generated {
    let municipality = Municipality::parse(MUNICIPALITY, "Genererad kommun", true)
        .expect("the municipality parses");
    let mut areas = Vec::new();
    for (i, (key, name, _)) in AREAS.iter().enumerate() {
        let (w, s, e, n) = rectangle(i);
        let geometry: geojson::Geometry = format!(
            r#"{{"type": "Polygon", "coordinates": [[[{w}, {s}], [{e}, {s}], [{e}, {n}], [{w}, {n}], [{w}, {s}]]]}}"#
        )
        .parse()
        .expect("the outline parses");
        areas.push(
            Area::parse(
                municipality.id,
                key,
                name,
                &geometry,
                &format!("areas[{i}]"),
            )
            .expect("the area parses"),
        );
    }
    let boundary = Boundary::of(&areas);
    let input: SurveyInput =
        serde_json::from_value(definition()).expect("the definition deserialises");
    let survey = Survey::parse(input, municipality.id).expect("the definition parses");

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let area_weights: Vec<(&str, f64)> = AREAS.iter().map(|(k, _, w)| (*k, *w)).collect();
    let mut responses = Vec::with_capacity(respondents);
    for _ in 0..respondents {
        let area = pick(&mut rng, &area_weights);
        let gender = pick(&mut rng, &GENDERS);
        let age = pick(&mut rng, &AGE_BANDS);
        // Women, the oldest and the small districts feel less safe.
        let tilt = match gender {
            "kvinna" => 0.15,
            "man" => -0.1,
            _ => 0.05,
        } + if age == "a65_84" { 0.1 } else { 0.0 }
            + if matches!(area, "holmen" | "skar") {
                0.1
            } else {
                0.0
            };
        let mut answers = BTreeMap::new();
        let mut put = |key: &str, value: &str| {
            answers.insert(key.to_owned(), RawAnswer::Text(value.to_owned()));
        };
        put("area", area);
        put("gender", gender);
        put("age_band", age);
        let evening = pick(
            &mut rng,
            &[
                ("mycket_trygg", 0.25 - tilt / 2.0),
                ("ganska_trygg", 0.35 - tilt / 2.0),
                ("ganska_otrygg", 0.12 + tilt / 2.0),
                ("mycket_otrygg", 0.06 + tilt / 4.0),
                ("gar_inte_ut", 0.04 + tilt / 4.0),
                ("vet_ej", 0.12),
            ],
        );
        put("evening_safety", evening);
        let worry = pick(
            &mut rng,
            &[
                ("mycket_ofta", 0.05 + tilt / 4.0),
                ("ganska_ofta", 0.15 + tilt / 4.0),
                ("ganska_sallan", 0.40 - tilt / 2.0),
                ("aldrig", 0.25),
                ("vet_ej", 0.15),
            ],
        );
        put("worry_crime", worry);
        let trust = pick(
            &mut rng,
            &[
                ("mycket_stort", 0.15),
                ("ganska_stort", 0.35),
                ("ganska_litet", 0.20),
                ("mycket_litet", 0.10),
                ("vet_ej", 0.20),
            ],
        );
        put("trust_police", trust);
        let victim = pick(&mut rng, &[("ja", 0.07), ("nej", 0.85), ("vet_ej", 0.08)]);
        put("victim", victim);
        // Not required: a tenth leave it out.
        if rng.random_bool(0.9) {
            let lighting = pick(
                &mut rng,
                &[
                    ("stort", 0.2),
                    ("litet", 0.3),
                    ("inget", 0.32),
                    ("vet_ej", 0.18),
                ],
            );
            put("problem_lighting", lighting);
        }
        if rng.random_bool(0.7) {
            let first = pick(
                &mut rng,
                &[("polis", 0.5), ("belysning", 0.3), ("unga", 0.2)],
            );
            let mut chosen = vec![first.to_owned()];
            if rng.random_bool(0.4) {
                let second = pick(
                    &mut rng,
                    &[("polis", 0.3), ("belysning", 0.4), ("unga", 0.3)],
                );
                if second != first {
                    chosen.push(second.to_owned());
                }
            }
            answers.insert("priorities".to_owned(), RawAnswer::List(chosen));
        }
        let mut pins = Vec::new();
        if rng.random_bool(0.35) {
            let i = AREAS.iter().position(|(k, _, _)| *k == area).unwrap_or(0);
            let (w, s, e, n) = rectangle(i);
            // Pins cluster near each district's centre, so some hexagons have several.
            let lon = w + (e - w) * (0.4 + 0.2 * rng.random::<f64>());
            let lat = s + (n - s) * (0.4 + 0.2 * rng.random::<f64>());
            pins.push(PinInput {
                location: Some(RawLocation::Pair([lon, lat])),
                description: None,
                category: pick(&mut rng, &[("belysning", 0.5), ("grupper", 0.5)]).to_owned(),
                time_of_day: pick(&mut rng, &[("evening", 0.6), ("night", 0.4)]).to_owned(),
                comment: None,
            });
        }
        let day = time::macros::date!(2025 - 10 - 01) + Duration::days(rng.random_range(0..60));
        let hour = rng.random_range(8..22_u8);
        let at = day
            .with_time(Time::from_hms(hour, 0, 0).expect("a time"))
            .assume_utc();
        let input = ResponseInput {
            answers,
            pins,
            language: None,
        };
        responses.push(
            survey
                .accept(input, &boundary, at)
                .expect("the response is valid"),
        );
    }

    store
        .insert_municipality(&municipality)
        .await
        .expect("insert municipality");
    store.insert_areas(&areas).await.expect("insert areas");
    let mut population = String::from("area,gender,age_band,population\n");
    for (a, (area, _, share)) in AREAS.iter().enumerate() {
        for (g, gender) in ["kvinna", "man"].iter().enumerate() {
            for (b, (age, age_share)) in AGE_BANDS.iter().enumerate() {
                // Not proportional to the sample, so weights differ from 1.
                let people =
                    (20_000.0 * share * age_share * (0.8 + 0.1 * ((a + g + b) % 4) as f64)).round();
                population.push_str(&format!("{area},{gender},{age},{people}\n"));
            }
        }
    }
    let codes: Vec<_> = areas.iter().map(|a| a.code.clone()).collect();
    let figures =
        trygg_domain::parse_population_csv(&population, &codes).expect("the population parses");
    store
        .replace_population(municipality.id, &figures)
        .await
        .expect("insert population");
    store.insert_survey(&survey).await.expect("insert survey");
    store
        .insert_responses(&responses, &boundary)
        .await
        .expect("insert responses");
    Generated {
        municipality,
        survey,
        responses: responses.len(),
    }
}
