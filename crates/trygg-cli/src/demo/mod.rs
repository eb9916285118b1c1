//! The synthetic demo municipality, modelled on the seed texts from Upplands-Bro.
//!
//! Four districts (Bro, Kungsängen, Brunna, Låssa) with approximate outlines,
//! and a trygghetsmätning in three rounds (2020, 2021, 2023) of about 1,500
//! synthetic respondents each. The generator is deterministic (a fixed seed)
//! and tells the seed story: about 36 %, 32 % and 31 % feel unsafe out alone
//! in the evening, more so in Bro, among women and the oldest; pins cluster in
//! Bro centrum, by Bro station and in Kungsängen centrum, mostly evening and
//! night, with lighting and bushes along paths and groups and drugs at centres.
//! A year of EST händelser from four partner organisations ends last week, with
//! a hotspot emerging in Brunna (see [`events`]).
//! Everything is labelled "syntetiska demodata / synthetic demo data".

pub mod events;
pub mod staff;

use std::collections::BTreeMap;

use anyhow::Context;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use time::{Date, Duration, Month, OffsetDateTime, Time};
use trygg_domain::{
    Area, Boundary, Municipality, NamedPlace, PinInput, RawAnswer, RawLocation, Response,
    ResponseInput, Survey, SurveyInput,
};
use trygg_store::Store;

mod promises;

/// Slug of the demo municipality.
pub const MUNICIPALITY_SLUG: &str = "upplands-bro-demo";
const MUNICIPALITY_NAME: &str = "Upplands-Bro (syntetiska demodata)";
const SEED: u64 = 2018_0828;
const AREAS: &str = include_str!("areas.geojson");
/// Residents aged 16–84 per district × gender × age band, the survey's frame: about
/// 23,900 of the municipality's roughly 31,000 inhabitants (Kungsängen about 12,900,
/// Bro 11,100, Brunna 4,400 and Låssa 2,600 of all ages), with a younger Bro and
/// Brunna and an older, rural Låssa. Realistic in size and shape, not SCB's figures.
const POPULATION: &str = include_str!("population.csv");
const PLACES: &str = include_str!("places.geojson");
const SURVEY: &str = include_str!("survey.json");

mod results;

/// One survey round of the story.
struct Round {
    label: &'static str,
    respondents: usize,
    /// Share unsafe out alone late in the evening, among those who answered other than "vet ej".
    evening_unsafe: f64,
    /// How common local problems are, relative to 2020.
    problem_level: f64,
    opens_on: (i32, Month, u8),
    closes_on: (i32, Month, u8),
}

const ROUNDS: [Round; 3] = [
    Round {
        label: "2020",
        respondents: 1_512,
        evening_unsafe: 0.36,
        problem_level: 1.0,
        opens_on: (2020, Month::October, 5),
        closes_on: (2020, Month::November, 8),
    },
    Round {
        label: "2021",
        respondents: 1_478,
        evening_unsafe: 0.32,
        problem_level: 0.93,
        opens_on: (2021, Month::October, 4),
        closes_on: (2021, Month::November, 7),
    },
    Round {
        label: "2023",
        respondents: 1_534,
        evening_unsafe: 0.31,
        problem_level: 0.88,
        opens_on: (2023, Month::November, 6),
        closes_on: (2023, Month::December, 10),
    },
];

/// What `load` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The demo was written.
    Loaded {
        /// Responses written.
        responses: usize,
        /// Pins written.
        pins: usize,
        /// EST händelser written.
        events: usize,
    },
    /// The demo municipality was already there; nothing was written.
    AlreadyThere,
}

/// The generated demo, before it is stored.
pub struct Demo {
    /// The municipality.
    pub municipality: Municipality,
    /// Its districts.
    pub areas: Vec<Area>,
    /// Its named places, for residents who choose a place from a list.
    pub places: Vec<NamedPlace>,
    /// Each round with its responses.
    pub rounds: Vec<(Survey, Vec<Response>)>,
    /// This year's round, open for residents to answer and still empty.
    pub open_round: Survey,
}

/// Loads the demo unless it is already there.
pub async fn load(store: &Store) -> anyhow::Result<Outcome> {
    if store
        .municipality_by_slug(MUNICIPALITY_SLUG)
        .await?
        .is_some()
    {
        return Ok(Outcome::AlreadyThere);
    }
    let demo = generate().context("the demo generator produced invalid data")?;
    let boundary = Boundary::of(&demo.areas);
    store.insert_municipality(&demo.municipality).await?;
    store.insert_areas(&demo.areas).await?;
    let codes: Vec<_> = demo.areas.iter().map(|a| a.code.clone()).collect();
    let population = trygg_domain::parse_population_csv(POPULATION, &codes)
        .map_err(|e| anyhow::anyhow!("demo/population.csv, {e}"))?;
    store
        .replace_population(demo.municipality.id, &population)
        .await?;
    store.insert_places(&demo.places).await?;
    let (mut responses, mut pins) = (0, 0);
    for (survey, answers) in &demo.rounds {
        store.insert_survey(survey).await?;
        store.insert_responses(answers, &boundary).await?;
        responses += answers.len();
        pins += answers.iter().map(|r| r.pins.len()).sum::<usize>();
    }
    store.insert_survey(&demo.open_round).await?;
    promises::load(store, &demo.municipality).await?;
    let events = events::load(store, &demo.municipality).await?;
    results::publish(store, &demo.rounds).await?;
    Ok(Outcome::Loaded {
        responses,
        pins,
        events,
    })
}

/// Generates the whole demo; the same every time.
pub fn generate() -> anyhow::Result<Demo> {
    let municipality = Municipality::parse(MUNICIPALITY_SLUG, MUNICIPALITY_NAME, true)?;
    let collection: geojson::FeatureCollection = AREAS.parse()?;
    let mut areas = Vec::new();
    for (i, feature) in collection.features.iter().enumerate() {
        let text = |name: &str| text_property(feature, name);
        let geometry = feature
            .geometry
            .as_ref()
            .context("a demo area has no geometry")?;
        areas.push(Area::parse(
            municipality.id,
            text("code"),
            text("name"),
            geometry,
            &format!("features[{i}]"),
        )?);
    }
    let places = named_places(&municipality)?;
    let boundary = Boundary::of(&areas);
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut rounds = Vec::new();
    for round in &ROUNDS {
        let survey = round_survey(&municipality, round)?;
        let responses = respondents(&mut rng, &survey, round, &boundary)?;
        rounds.push((survey, responses));
    }
    let open_round = open_round(&municipality)?;
    Ok(Demo {
        municipality,
        areas,
        places,
        rounds,
        open_round,
    })
}

/// A feature's text property, or "" (which the domain parsers then refuse by name).
fn text_property<'a>(feature: &'a geojson::Feature, name: &str) -> &'a str {
    feature
        .property(name)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
}

fn named_places(municipality: &Municipality) -> anyhow::Result<Vec<NamedPlace>> {
    let collection: geojson::FeatureCollection = PLACES.parse()?;
    let mut places = Vec::new();
    for (i, feature) in collection.features.iter().enumerate() {
        let text = |name: &str| text_property(feature, name);
        let Some(geojson::GeometryValue::Point { coordinates }) =
            feature.geometry.as_ref().map(|g| &g.value)
        else {
            anyhow::bail!("demo place {i} is not a point");
        };
        let (Some(&lon), Some(&lat)) = (
            coordinates.as_slice().first(),
            coordinates.as_slice().get(1),
        ) else {
            anyhow::bail!("demo place {i} has no coordinates");
        };
        places.push(NamedPlace::parse(
            municipality.id,
            text("name"),
            text("kind"),
            lon,
            lat,
            &format!("features[{i}]"),
        )?);
    }
    Ok(places)
}

/// The round residents can answer now: opened on 2026-11-02 and open until
/// staff close it, so the resident pages always have a survey to show.
fn open_round(municipality: &Municipality) -> anyhow::Result<Survey> {
    let text = SURVEY
        .replace("ROUND", "2026")
        .replace("OPENS_ON", "2026-11-02")
        .replace("CLOSES_ON", "2026-11-02");
    let mut input: SurveyInput = serde_json::from_str(&text)?;
    input.closes_on = None;
    Ok(Survey::parse(input, municipality.id)?)
}

fn round_survey(municipality: &Municipality, round: &Round) -> anyhow::Result<Survey> {
    let date = |(y, m, d): (i32, Month, u8)| -> anyhow::Result<String> {
        Ok(Date::from_calendar_date(y, m, d)?.to_string())
    };
    // survey.json is a template: the round's label and dates fill its placeholders.
    let text = SURVEY
        .replace("ROUND", round.label)
        .replace("OPENS_ON", &date(round.opens_on)?)
        .replace("CLOSES_ON", &date(round.closes_on)?);
    let input: SurveyInput = serde_json::from_str(&text)?;
    Ok(Survey::parse(input, municipality.id)?)
}

/// Picks one item by weight.
fn pick<T: Copy + Default>(rng: &mut ChaCha8Rng, items: &[(T, f64)]) -> T {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random::<f64>() * total;
    for &(item, weight) in items {
        if x < weight {
            return item;
        }
        x -= weight;
    }
    // Rounding can leave x a hair above the last weight; the last item is then right.
    items.last().map(|&(item, _)| item).unwrap_or_default()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// One synthetic person's background.
struct Person {
    area: &'static str,
    gender: &'static str,
    age: &'static str,
    /// Log-odds of feeling unsafe, relative to the round's baseline.
    tilt: f64,
    dont_know: bool,
    unsafe_evening: bool,
}

fn respondents(
    rng: &mut ChaCha8Rng,
    survey: &Survey,
    round: &Round,
    boundary: &Boundary,
) -> anyhow::Result<Vec<Response>> {
    let mut people: Vec<Person> = (0..round.respondents)
        .map(|_| {
            let area = pick(
                rng,
                &[
                    ("bro", 0.36),
                    ("kungsangen", 0.43),
                    ("brunna", 0.12),
                    ("lassa", 0.09),
                ],
            );
            let gender = pick(
                rng,
                &[
                    ("kvinna", 0.51),
                    ("man", 0.46),
                    ("annat", 0.01),
                    ("vill_ej_uppge", 0.02),
                ],
            );
            let age = pick(
                rng,
                &[
                    ("a16_24", 0.12),
                    ("a25_44", 0.32),
                    ("a45_64", 0.33),
                    ("a65_84", 0.23),
                ],
            );
            let tilt = match area {
                "bro" => 0.45,
                "brunna" => -0.35,
                "lassa" => -0.7,
                _ => 0.0,
            } + match gender {
                "kvinna" => 0.65,
                "man" => -0.55,
                _ => 0.2,
            } + match age {
                "a16_24" => 0.15,
                "a25_44" => -0.25,
                "a45_64" => -0.1,
                _ => 0.45,
            };
            Person {
                area,
                gender,
                age,
                tilt,
                dont_know: rng.random_bool(0.03),
                unsafe_evening: false,
            }
        })
        .collect();
    assign_unsafe(rng, &mut people, round.evening_unsafe);

    let opens = Date::from_calendar_date(round.opens_on.0, round.opens_on.1, round.opens_on.2)?;
    let closes = Date::from_calendar_date(round.closes_on.0, round.closes_on.1, round.closes_on.2)?;
    let days = (closes - opens).whole_days();
    let mut out = Vec::with_capacity(people.len());
    for person in &people {
        let input = answers(rng, person, round, boundary);
        let day = opens + Duration::days(rng.random_range(0..=days));
        let hour = pick(
            rng,
            &[
                (8_u8, 1.0),
                (12, 2.0),
                (17, 2.0),
                (19, 3.0),
                (20, 3.0),
                (21, 2.0),
                (22, 1.0),
            ],
        );
        let at = OffsetDateTime::new_utc(day, Time::from_hms(hour, rng.random_range(0..60), 0)?);
        out.push(survey.accept(input, boundary, at)?);
    }
    Ok(out)
}

/// Marks who feels unsafe so the share among those who answered other than
/// "vet ej" matches `target` to within one person, while each person's chance
/// still follows their district, gender and age (systematic sampling on the
/// cumulative probabilities, in the people's random order).
fn assign_unsafe(rng: &mut ChaCha8Rng, people: &mut [Person], target: f64) {
    let answering = people.iter().filter(|p| !p.dont_know).count() as f64;
    let share = |base: f64| {
        people
            .iter()
            .filter(|p| !p.dont_know)
            .map(|p| sigmoid(base + p.tilt))
            .sum::<f64>()
            / answering
    };
    let (mut lo, mut hi) = (-10.0_f64, 10.0_f64);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if share(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let base = (lo + hi) / 2.0;
    let mut cumulative = rng.random::<f64>();
    for person in people.iter_mut().filter(|p| !p.dont_know) {
        let before = cumulative.floor();
        cumulative += sigmoid(base + person.tilt);
        person.unsafe_evening = cumulative.floor() > before;
    }
}

fn text(value: &str) -> RawAnswer {
    RawAnswer::Text(value.to_owned())
}

fn answers(rng: &mut ChaCha8Rng, p: &Person, round: &Round, boundary: &Boundary) -> ResponseInput {
    let mut a = BTreeMap::new();
    a.insert("area".to_owned(), text(p.area));
    a.insert("gender".to_owned(), text(p.gender));
    a.insert("age_band".to_owned(), text(p.age));
    if rng.random_bool(0.9) {
        let max_years = if p.age == "a16_24" { 24 } else { 60 };
        a.insert(
            "years_in_area".to_owned(),
            RawAnswer::Number(f64::from(rng.random_range(0..=max_years))),
        );
    }
    let evening = if p.dont_know {
        "vet_ej"
    } else if p.unsafe_evening {
        pick(
            rng,
            &[
                ("ganska_otrygg", 0.55),
                ("mycket_otrygg", 0.25),
                ("gar_inte_ut", 0.20),
            ],
        )
    } else {
        pick(rng, &[("mycket_trygg", 0.45), ("ganska_trygg", 0.55)])
    };
    a.insert("evening_safety".to_owned(), text(evening));
    let worry = if p.unsafe_evening {
        pick(
            rng,
            &[
                ("mycket_ofta", 0.2),
                ("ganska_ofta", 0.4),
                ("ganska_sallan", 0.3),
                ("aldrig", 0.07),
                ("vet_ej", 0.03),
            ],
        )
    } else {
        pick(
            rng,
            &[
                ("mycket_ofta", 0.03),
                ("ganska_ofta", 0.15),
                ("ganska_sallan", 0.5),
                ("aldrig", 0.3),
                ("vet_ej", 0.02),
            ],
        )
    };
    a.insert("worry_crime".to_owned(), text(worry));
    let victim_yes = if p.unsafe_evening { 0.13 } else { 0.07 };
    a.insert(
        "victim".to_owned(),
        text(pick(
            rng,
            &[
                ("ja", victim_yes),
                ("nej", 0.97 - victim_yes),
                ("vet_ej", 0.03),
            ],
        )),
    );

    for (problem, base) in [
        ("klotter", 0.22),
        ("nedskrapning", 0.30),
        ("belysning", 0.20),
        ("buskage", 0.18),
        ("narkotikahandel", 0.16),
        ("grupper", 0.20),
        ("trafik", 0.35),
    ] {
        let local = match (p.area, problem) {
            ("bro", "narkotikahandel") => 1.7,
            ("bro", "grupper") => 1.6,
            ("bro", "klotter") => 1.3,
            ("bro", _) => 1.1,
            ("kungsangen", "trafik") => 1.2,
            ("kungsangen", _) => 1.05,
            ("brunna", "trafik") => 1.3,
            ("brunna", _) => 0.75,
            ("lassa", "trafik" | "belysning") => 1.2,
            ("lassa", _) => 0.35,
            _ => 1.0,
        };
        let mood = if p.unsafe_evening { 1.45 } else { 0.8 };
        let big = (base * local * mood * round.problem_level).min(0.9);
        let answer = if rng.random_bool(big) {
            if rng.random_bool(0.35) {
                "mycket_stort"
            } else {
                "ganska_stort"
            }
        } else {
            pick(
                rng,
                &[
                    ("ganska_litet", 0.5),
                    ("inget_problem", 0.45),
                    ("vet_ej", 0.05),
                ],
            )
        };
        a.insert(format!("problem_{problem}"), text(answer));
    }

    let trust_police = if p.unsafe_evening {
        pick(
            rng,
            &[
                ("mycket_stort", 0.14),
                ("ganska_stort", 0.40),
                ("ganska_litet", 0.26),
                ("mycket_litet", 0.12),
                ("vet_ej", 0.08),
            ],
        )
    } else {
        pick(
            rng,
            &[
                ("mycket_stort", 0.28),
                ("ganska_stort", 0.46),
                ("ganska_litet", 0.15),
                ("mycket_litet", 0.05),
                ("vet_ej", 0.06),
            ],
        )
    };
    a.insert("trust_police".to_owned(), text(trust_police));
    let trust_municipality = if p.unsafe_evening {
        pick(
            rng,
            &[
                ("mycket_stort", 0.08),
                ("ganska_stort", 0.34),
                ("ganska_litet", 0.33),
                ("mycket_litet", 0.15),
                ("vet_ej", 0.10),
            ],
        )
    } else {
        pick(
            rng,
            &[
                ("mycket_stort", 0.15),
                ("ganska_stort", 0.45),
                ("ganska_litet", 0.23),
                ("mycket_litet", 0.07),
                ("vet_ej", 0.10),
            ],
        )
    };
    a.insert("trust_municipality".to_owned(), text(trust_municipality));

    let mut options = vec![
        ("synlig_polis", if p.unsafe_evening { 3.0 } else { 2.0 }),
        ("belysning", if p.area == "lassa" { 2.0 } else { 1.2 }),
        ("unga", if p.area == "bro" { 2.2 } else { 1.5 }),
        ("narkotika", if p.area == "bro" { 2.0 } else { 0.9 }),
        (
            "trafik",
            if matches!(p.area, "lassa" | "brunna") {
                2.2
            } else {
                1.0
            },
        ),
        ("klotter_skadegorelse", 0.8),
        ("nedskrapning", 0.8),
        ("grannsamverkan", 0.7),
    ];
    if rng.random_bool(0.93) {
        let count = pick(rng, &[(1_usize, 0.25), (2, 0.35), (3, 0.40)]);
        let mut chosen = Vec::new();
        for _ in 0..count {
            let option = pick(rng, &options);
            options.retain(|(o, _)| *o != option);
            chosen.push(option.to_owned());
        }
        a.insert("priorities".to_owned(), RawAnswer::List(chosen));
    }
    if rng.random_bool(0.06) {
        a.insert(
            "comment".to_owned(),
            text(pick(rng, &COMMENTS.map(|c| (c, 1.0)))),
        );
    }

    let pin_chance = if p.unsafe_evening { 0.62 } else { 0.36 };
    let pins = if rng.random_bool(pin_chance) {
        let count = pick(rng, &[(1_usize, 0.55), (2, 0.30), (3, 0.15)]);
        (0..count).map(|_| pin(rng, p.area, boundary)).collect()
    } else {
        Vec::new()
    };
    // A few answer in English, as residents who do not read Swedish would.
    let language = Some(if rng.random_bool(0.04) { "en" } else { "sv" }.to_owned());
    ResponseInput {
        answers: a,
        pins,
        language,
    }
}

const COMMENTS: [&str; 8] = [
    "Mer belysning på gångvägarna skulle göra stor skillnad.",
    "Jag undviker pendeltågsstationen efter mörkrets inbrott.",
    "Det har blivit lugnare i centrum sedan förra året.",
    "Det behövs fler vuxna ute på kvällarna, till exempel nattvandrare.",
    "Buskarna vid gångtunneln borde klippas ner.",
    "Bilar kör alldeles för fort förbi skolan.",
    "Jag känner mig trygg här, men oroar mig för mina barn.",
    "Synlig polis i centrum på helgkvällar vore bra.",
];

/// A place that draws pins: centre, spread in metres, weight, what and when.
struct Site {
    centre: (f64, f64),
    /// Pins are spread along the segment from `centre` to here, when set.
    towards: Option<(f64, f64)>,
    spread_m: f64,
    weight: f64,
    categories: &'static [(&'static str, f64)],
    times: &'static [(&'static str, f64)],
}

const EVENING: &[(&str, f64)] = &[
    ("evening", 0.5),
    ("night", 0.3),
    ("always", 0.12),
    ("day", 0.08),
];
const PATH: &[(&str, f64)] = &[("belysning", 0.45), ("buskage", 0.4), ("ovrigt", 0.15)];

const SITES: [Site; 8] = [
    // Bro centrum.
    Site {
        centre: (17.6335, 59.512),
        towards: None,
        spread_m: 55.0,
        weight: 0.22,
        categories: &[
            ("grupper", 0.30),
            ("narkotikahandel", 0.25),
            ("klotter", 0.15),
            ("nedskrapning", 0.12),
            ("belysning", 0.08),
            ("ovrigt", 0.10),
        ],
        times: EVENING,
    },
    // Bro station.
    Site {
        centre: (17.642, 59.5075),
        towards: None,
        spread_m: 55.0,
        weight: 0.17,
        categories: &[
            ("grupper", 0.25),
            ("narkotikahandel", 0.20),
            ("belysning", 0.20),
            ("klotter", 0.15),
            ("buskage", 0.10),
            ("ovrigt", 0.10),
        ],
        times: &[
            ("evening", 0.45),
            ("night", 0.35),
            ("always", 0.12),
            ("day", 0.08),
        ],
    },
    // Kungsängen centrum.
    Site {
        centre: (17.751, 59.4785),
        towards: None,
        spread_m: 65.0,
        weight: 0.19,
        categories: &[
            ("grupper", 0.30),
            ("narkotikahandel", 0.15),
            ("klotter", 0.15),
            ("nedskrapning", 0.15),
            ("belysning", 0.10),
            ("trafik", 0.05),
            ("ovrigt", 0.10),
        ],
        times: EVENING,
    },
    // The tunnel by Kungsängen's commuter station (poor lighting, in the seed text).
    Site {
        centre: (17.747, 59.4795),
        towards: None,
        spread_m: 30.0,
        weight: 0.04,
        categories: &[("belysning", 0.6), ("klotter", 0.2), ("grupper", 0.2)],
        times: &[("evening", 0.5), ("night", 0.4), ("always", 0.1)],
    },
    // Brunna's shops and industrial area.
    Site {
        centre: (17.778, 59.5135),
        towards: None,
        spread_m: 120.0,
        weight: 0.05,
        categories: &[
            ("trafik", 0.30),
            ("nedskrapning", 0.25),
            ("grupper", 0.15),
            ("belysning", 0.15),
            ("ovrigt", 0.15),
        ],
        times: &[
            ("day", 0.3),
            ("evening", 0.4),
            ("night", 0.2),
            ("always", 0.1),
        ],
    },
    // Footpaths through Bro, past the bridge on Prästhagsvägen.
    Site {
        centre: (17.615, 59.520),
        towards: Some((17.655, 59.503)),
        spread_m: 80.0,
        weight: 0.09,
        categories: PATH,
        times: EVENING,
    },
    // Footpaths in Kungsängen.
    Site {
        centre: (17.735, 59.485),
        towards: Some((17.765, 59.472)),
        spread_m: 80.0,
        weight: 0.08,
        categories: PATH,
        times: EVENING,
    },
    // Scatter around the respondent's own district (centre chosen per pin).
    Site {
        centre: (0.0, 0.0),
        towards: None,
        spread_m: 900.0,
        weight: 0.16,
        categories: &[
            ("trafik", 0.30),
            ("belysning", 0.20),
            ("buskage", 0.15),
            ("nedskrapning", 0.15),
            ("klotter", 0.10),
            ("ovrigt", 0.10),
        ],
        times: &[
            ("day", 0.3),
            ("evening", 0.35),
            ("night", 0.2),
            ("always", 0.15),
        ],
    },
];

const PIN_COMMENTS: [&str; 6] = [
    "Mörkt och ensligt på kvällen.",
    "Ungdomsgäng samlas här och det känns obehagligt.",
    "Trasig belysning sedan länge.",
    "Man ser inte vem som står bakom buskarna.",
    "Langning sker öppet här.",
    "Mycket klotter och krossat glas.",
];

fn pin(rng: &mut ChaCha8Rng, home: &str, boundary: &Boundary) -> PinInput {
    let weighted: Vec<(usize, f64)> = SITES
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.weight))
        .collect();
    let site = SITES.get(pick(rng, &weighted)).unwrap_or(&SITES[0]);
    let centre = if site.towards.is_none() && site.centre == (0.0, 0.0) {
        match home {
            "bro" => (17.63, 59.51),
            "kungsangen" => (17.75, 59.476),
            "brunna" => (17.778, 59.515),
            _ => (17.583, 59.563),
        }
    } else {
        site.centre
    };
    let mut location = centre;
    for _ in 0..20 {
        let (lon0, lat0) = match site.towards {
            Some((lon1, lat1)) => {
                let t: f64 = rng.random();
                (
                    centre.0 + t * (lon1 - centre.0),
                    centre.1 + t * (lat1 - centre.1),
                )
            }
            None => centre,
        };
        let metres_per_degree_lat = 111_320.0;
        let metres_per_degree_lon = metres_per_degree_lat * lat0.to_radians().cos();
        let candidate = (
            lon0 + site.spread_m * rng.sample::<f64, _>(StandardNormal) / metres_per_degree_lon,
            lat0 + site.spread_m * rng.sample::<f64, _>(StandardNormal) / metres_per_degree_lat,
        );
        let inside = trygg_domain::Location::parse(candidate.0, candidate.1, "")
            .is_ok_and(|l| boundary.area_of(l).is_some());
        if inside {
            location = candidate;
            break;
        }
    }
    let category = pick(rng, site.categories);
    let comment = rng
        .random_bool(0.12)
        .then(|| pick(rng, &PIN_COMMENTS.map(|c| (c, 1.0))).to_owned());
    PinInput {
        location: Some(RawLocation::Pair([location.0, location.1])),
        description: None,
        category: category.to_owned(),
        time_of_day: (pick(rng, site.times)).to_owned(),
        comment,
    }
}
