//! Disclosure control over a whole release: the audit finds hidden cells that the
//! published tables give away when each table is suppressed on its own, and finds none
//! once the report is suppressed as one release.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use trygg_analysis::stats::{
    AuditReport, Dataset, Disclosure, ReportSettings, SituationReport, SuppressionReason,
};
use trygg_domain::{Answer, Key, MunicipalityId, Survey, SurveyInput};

const SCALE: [&str; 4] = [
    "mycket_trygg",
    "ganska_trygg",
    "ganska_otrygg",
    "mycket_otrygg",
];

/// Options labelled with their keys, as JSON objects.
fn labelled(keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|k| format!(r#"{{"key": "{k}", "label": {{"sv": "{k}"}}}}"#))
        .collect()
}

fn options(keys: &[&str]) -> String {
    let mut list = labelled(keys);
    list.push(r#"{"key": "vet_ej", "label": {"sv": "Vet ej"}, "dont_know": true}"#.to_owned());
    list.join(", ")
}

fn background(key: &str, kind: &str, keys: &[&str]) -> String {
    format!(
        r#"{{"key": "{key}", "kind": "single_choice", "background": "{kind}", "required": true,
            "text": {{"sv": "{key}"}}, "options": [{}]}}"#,
        labelled(keys).join(", ")
    )
}

/// A municipality's survey: area, gender and age band (required), four required scale
/// questions and an optional one, each with "vet ej", a multiple-choice question, two
/// share indicators and a problem index.
fn survey(areas: &[&str]) -> Survey {
    let mut questions = vec![
        background("area", "area", areas),
        background("gender", "gender", &["kvinna", "man", "annat"]),
        background(
            "age_band",
            "age_band",
            &["a16_29", "a30_49", "a50_64", "a65_plus"],
        ),
    ];
    for (key, required) in [
        ("q1", true),
        ("q2", true),
        ("q3", true),
        ("q4", true),
        ("q5", false),
    ] {
        questions.push(format!(
            r#"{{"key": "{key}", "kind": "single_choice", "required": {required},
                "text": {{"sv": "{key}"}}, "options": [{}]}}"#,
            options(&SCALE)
        ));
    }
    questions.push(format!(
        r#"{{"key": "q6", "kind": "multiple_choice", "text": {{"sv": "q6"}}, "options": [{}]}}"#,
        options(&["klotter", "belysning", "buskar"])
    ));
    let json = format!(
        r#"{{"slug": "kommun", "round": "2026", "title": {{"sv": "Trygghet"}}, "opens_on": "2026-01-01",
            "questions": [{}],
            "indicators": [
              {{"key": "q1_otrygg", "label": {{"sv": "Otrygg"}}, "kind": "share", "question": "q1", "options": ["ganska_otrygg", "mycket_otrygg"]}},
              {{"key": "q2_trygg", "label": {{"sv": "Trygg"}}, "kind": "share", "question": "q2", "options": ["mycket_trygg", "ganska_trygg"]}},
              {{"key": "problem", "label": {{"sv": "Problem"}}, "kind": "problem_index", "questions": ["q3", "q4"], "options": ["mycket_otrygg"]}}
            ]}}"#,
        questions.join(", ")
    );
    let input: SurveyInput = serde_json::from_str(&json).unwrap();
    Survey::parse(input, MunicipalityId::new()).unwrap()
}

fn key(k: &str) -> Key {
    Key::parse(k, "key").unwrap()
}

fn pick<'a>(rng: &mut ChaCha8Rng, weights: &[(&'a str, f64)]) -> &'a str {
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    let mut x = rng.random::<f64>() * total;
    for (k, w) in weights {
        if x < *w {
            return k;
        }
        x -= w;
    }
    weights.last().unwrap().0
}

/// A generated municipality: areas of very different sizes (two of them small),
/// "annat" gender rare, "vet ej" on every question, the optional question skipped by
/// about one in ten.
fn municipality(seed: u64, areas: &[(&str, usize)]) -> (Survey, Dataset) {
    let names: Vec<&str> = areas.iter().map(|(a, _)| *a).collect();
    let survey = survey(&names);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows: Vec<BTreeMap<Key, Answer>> = Vec::new();
    for &(area, size) in areas {
        // Each area leans its own way, so cells differ between areas.
        let lean = rng.random::<f64>();
        for _ in 0..size {
            let mut answers = BTreeMap::new();
            let choice = |o: &str| Answer::Choice(key(o));
            answers.insert(key("area"), choice(area));
            let gender = pick(&mut rng, &[("kvinna", 0.5), ("man", 0.48), ("annat", 0.02)]);
            answers.insert(key("gender"), choice(gender));
            let age = pick(
                &mut rng,
                &[
                    ("a16_29", 0.2),
                    ("a30_49", 0.35),
                    ("a50_64", 0.25),
                    ("a65_plus", 0.2),
                ],
            );
            answers.insert(key("age_band"), choice(age));
            for q in ["q1", "q2", "q3", "q4", "q5"] {
                if q == "q5" && rng.random::<f64>() < 0.1 {
                    continue;
                }
                let option = pick(
                    &mut rng,
                    &[
                        ("mycket_trygg", 0.3 + lean * 0.2),
                        ("ganska_trygg", 0.35),
                        ("ganska_otrygg", 0.15 + (1.0 - lean) * 0.1),
                        ("mycket_otrygg", 0.05 + lean * 0.04),
                        ("vet_ej", 0.025),
                    ],
                );
                answers.insert(key(q), choice(option));
            }
            if rng.random::<f64>() < 0.8 {
                let chosen: Vec<Key> = if rng.random::<f64>() < 0.03 {
                    vec![key("vet_ej")]
                } else {
                    ["klotter", "belysning", "buskar"]
                        .iter()
                        .filter(|_| rng.random::<f64>() < 0.4)
                        .map(|k| key(k))
                        .collect()
                };
                if !chosen.is_empty() {
                    answers.insert(key("q6"), Answer::Choices(chosen));
                }
            }
            rows.push(answers);
        }
    }
    with_answers(survey, &rows)
}

fn with_answers(survey: Survey, rows: &[BTreeMap<Key, Answer>]) -> (Survey, Dataset) {
    let refs: Vec<&BTreeMap<Key, Answer>> = rows.iter().collect();
    let dataset = Dataset::from_answers(&survey, &refs).unwrap();
    (survey, dataset)
}

/// Six areas, two of them small, broken down one way at a time as the lägesbild is.
const SIX_AREAS: [(&str, usize); 6] = [
    ("centrum", 420),
    ("brunna", 193),
    ("nyby", 252),
    ("kungsangen", 160),
    ("lassa", 41),
    ("ekhammar", 14),
];

/// Three areas for area × gender crossed: every area's "annat" is a small group, and
/// the linear programmes of a crossed release are larger.
const THREE_AREAS: [(&str, usize); 3] = [("centrum", 300), ("nyby", 150), ("lassa", 40)];

fn one_way() -> Vec<Vec<String>> {
    vec![
        vec![],
        vec!["area".to_owned()],
        vec!["gender".to_owned()],
        vec!["age_band".to_owned()],
    ]
}

fn crossed() -> Vec<Vec<String>> {
    vec![
        vec![],
        vec!["area".to_owned()],
        vec!["gender".to_owned()],
        vec!["area".to_owned(), "gender".to_owned()],
    ]
}

/// Areas with their sizes, the breakdowns to publish and the plans they make.
type Publication = (
    &'static [(&'static str, usize)],
    Vec<&'static str>,
    Vec<Vec<String>>,
);

/// The generated municipalities with the breakdowns each is published by: six areas
/// one way at a time, three areas crossed with gender.
fn generated_releases() -> [Publication; 2] {
    [
        (
            &SIX_AREAS[..],
            vec!["area", "gender", "age_band"],
            one_way(),
        ),
        (&THREE_AREAS[..], vec!["area", "gender"], crossed()),
    ]
}

fn report(
    survey: &Survey,
    dataset: &Dataset,
    group_by: &[&str],
    plans: &[Vec<String>],
    linked: bool,
) -> (SituationReport, AuditReport) {
    let settings = ReportSettings {
        group_by: group_by.iter().map(|s| (*s).to_owned()).collect(),
        linked,
        ..ReportSettings::default()
    };
    let started = std::time::Instant::now();
    let report = SituationReport::build_for(survey, dataset, None, settings, plans).unwrap();
    let built = started.elapsed();
    let audit = report.audit(survey, dataset, plans).unwrap();
    eprintln!(
        "linked {linked}, {} plans: built in {built:?}, audited {} hidden cells with {} programmes in {:?}",
        plans.len(),
        audit.checked,
        audit.programmes,
        started.elapsed() - built
    );
    (report, audit)
}

fn hidden(report: &SituationReport) -> usize {
    report
        .tables
        .iter()
        .flat_map(|t| &t.cells)
        .filter(|c| c.estimate.is_none())
        .count()
}

#[test]
fn a_generated_municipality_suppressed_as_one_release_leaves_no_cell_to_work_out() {
    for (areas, group_by, plans) in generated_releases() {
        let (survey, dataset) = municipality(7, areas);
        let (published, audit) = report(&survey, &dataset, &group_by, &plans, true);
        assert!(audit.checked > 0, "something is hidden");
        assert!(
            audit.passed(),
            "{}",
            audit
                .disclosures
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
        // No note tells a small count from its complement.
        for cell in published.tables.iter().flat_map(|t| &t.cells) {
            assert!(!matches!(
                cell.suppressed,
                Some(SuppressionReason::SmallCount { .. } | SuppressionReason::Complementary)
            ));
        }
    }
}

#[test]
fn the_same_municipality_suppressed_table_by_table_gives_hidden_cells_away() {
    for (areas, group_by, plans) in generated_releases() {
        let (survey, dataset) = municipality(7, areas);
        let (unlinked, audit) = report(&survey, &dataset, &group_by, &plans, false);
        assert!(!audit.passed(), "the per-table suppression leaks");
        let (linked, _) = report(&survey, &dataset, &group_by, &plans, true);
        assert!(hidden(&linked) >= hidden(&unlinked));
        let first = audit.disclosures.first().unwrap();
        assert!(
            first.sentence().starts_with("Cell ") && first.sentence().contains(" in "),
            "{first}"
        );
    }
}

/// Respondents by area with fixed answers: `rows` of (area, gender, q1, q2).
fn fixed(rows: &[(&str, &str, &str, &str, usize)]) -> (Survey, Dataset) {
    let survey = survey(&["brunna", "nyby", "centrum"]);
    let mut answers: Vec<BTreeMap<Key, Answer>> = Vec::new();
    for &(area, gender, q1, q2, times) in rows {
        for _ in 0..times {
            let mut a = BTreeMap::new();
            let choice = |o: &str| Answer::Choice(key(o));
            a.insert(key("area"), choice(area));
            a.insert(key("gender"), choice(gender));
            a.insert(key("age_band"), choice("a30_49"));
            a.insert(key("q1"), choice(q1));
            a.insert(key("q2"), choice(q2));
            for q in ["q3", "q4", "q5"] {
                a.insert(key(q), choice("ganska_trygg"));
            }
            answers.push(a);
        }
    }
    with_answers(survey, &answers)
}

/// The report by area alone, published table by table or `linked` as one release.
fn by_area(survey: &Survey, dataset: &Dataset, linked: bool) -> (SituationReport, AuditReport) {
    report(
        survey,
        dataset,
        &["area"],
        &[vec![], vec!["area".to_owned()]],
        linked,
    )
}

/// What the audit found about one hidden cell (it fails the test if nothing).
fn disclosure<'a>(audit: &'a AuditReport, table: &str, row: &str, column: &str) -> &'a Disclosure {
    audit
        .disclosures
        .iter()
        .find(|d| d.cell.table == table && d.cell.row == row && d.cell.column == column)
        .unwrap_or_else(|| panic!("{:?}", audit.disclosures))
}

#[test]
fn an_indicator_minus_the_shown_options_gives_a_hidden_option_away_unless_linked() {
    // Nyby, q1: 10 very safe, 50 fairly safe, 20 fairly unsafe, 3 very unsafe. Table by
    // table, the 3 is hidden with the smallest shown cell of its row (the 10), but the
    // indicator "unsafe" (fairly + very) shows 23, so 23 − 20 = 3.
    let mut rows = vec![
        ("nyby", "kvinna", "mycket_trygg", "ganska_trygg", 10),
        ("nyby", "man", "ganska_trygg", "ganska_trygg", 50),
        ("nyby", "kvinna", "ganska_otrygg", "ganska_trygg", 20),
        ("nyby", "man", "mycket_otrygg", "ganska_trygg", 3),
    ];
    rows.extend([
        ("centrum", "kvinna", "mycket_trygg", "ganska_trygg", 40),
        ("centrum", "man", "ganska_trygg", "mycket_trygg", 60),
        ("centrum", "kvinna", "ganska_otrygg", "ganska_trygg", 30),
        ("centrum", "man", "mycket_otrygg", "ganska_trygg", 12),
        ("brunna", "kvinna", "mycket_trygg", "ganska_trygg", 45),
        ("brunna", "man", "ganska_trygg", "mycket_trygg", 55),
        ("brunna", "kvinna", "ganska_otrygg", "ganska_trygg", 25),
        ("brunna", "man", "mycket_otrygg", "ganska_trygg", 15),
    ]);
    let (survey, dataset) = fixed(&rows);
    let (_, audit) = by_area(&survey, &dataset, false);
    let leak = disclosure(&audit, "q1 by area", "nyby", "mycket_otrygg");
    assert_eq!((leak.low, leak.high, leak.value), (3.0, Some(3.0), 3.0));
    assert_eq!(
        leak.sentence(),
        "Cell nyby × 'mycket_otrygg' in q1 by area can be worked out as 3 to 3 from the \
         published tables (it must be possibly 0, or reach 5 either side of its value)"
    );
    // A margin from a share of the base is named with one decimal at most.
    let mut wider = leak.clone();
    wider.needed = 6.6 + 4.0 * f64::EPSILON;
    assert!(
        wider
            .sentence()
            .ends_with("or reach 6.6 either side of its value)"),
        "{}",
        wider.sentence()
    );
    let (_, audit) = by_area(&survey, &dataset, true);
    assert!(audit.passed(), "{:?}", audit.disclosures);
}

#[test]
fn base_plus_vet_ej_of_a_required_question_gives_a_hidden_vet_ej_away_unless_linked() {
    // Brunna has 193 respondents. q1 shows its "vet ej" (6) with everyone who answered
    // (193); q2 hides its "vet ej" of 2 but shows its base, 191: 193 − 191 = 2.
    let rows = [
        ("brunna", "kvinna", "mycket_trygg", "mycket_trygg", 60),
        ("brunna", "man", "ganska_trygg", "ganska_trygg", 75),
        ("brunna", "kvinna", "ganska_otrygg", "ganska_otrygg", 42),
        ("brunna", "man", "mycket_otrygg", "mycket_otrygg", 8),
        ("brunna", "kvinna", "vet_ej", "mycket_trygg", 6),
        ("brunna", "man", "ganska_trygg", "vet_ej", 2),
        ("nyby", "kvinna", "mycket_trygg", "mycket_trygg", 70),
        ("nyby", "man", "ganska_trygg", "ganska_trygg", 80),
        ("nyby", "kvinna", "ganska_otrygg", "ganska_otrygg", 30),
        ("nyby", "man", "mycket_otrygg", "mycket_otrygg", 10),
        ("nyby", "kvinna", "vet_ej", "vet_ej", 8),
        ("nyby", "man", "ganska_trygg", "vet_ej", 3),
        ("centrum", "kvinna", "mycket_trygg", "mycket_trygg", 90),
        ("centrum", "man", "ganska_trygg", "ganska_trygg", 95),
        ("centrum", "kvinna", "ganska_otrygg", "ganska_otrygg", 35),
        ("centrum", "man", "mycket_otrygg", "mycket_otrygg", 12),
        ("centrum", "kvinna", "vet_ej", "vet_ej", 9),
        ("centrum", "man", "ganska_trygg", "vet_ej", 7),
    ];
    let (survey, dataset) = fixed(&rows);
    let (unlinked, audit) = by_area(&survey, &dataset, false);
    let q2 = unlinked
        .tables
        .iter()
        .find(|t| t.question == "q2" && t.group_by == ["area"])
        .unwrap();
    let brunna_base = q2
        .cells
        .iter()
        .find(|c| c.group == ["brunna"] && c.option == "mycket_trygg")
        .and_then(|c| c.estimate)
        .unwrap()
        .n;
    assert_eq!(brunna_base, 191);
    let leak = disclosure(&audit, "q2 by area", "brunna", "vet_ej");
    assert_eq!((leak.low, leak.high), (2.0, Some(2.0)));
    let (_, audit) = by_area(&survey, &dataset, true);
    assert!(audit.passed(), "{:?}", audit.disclosures);
}

#[test]
fn a_small_group_whose_every_answer_is_vet_ej_is_not_told_by_no_respondents_notes() {
    // 20 respondents, every group below the minimum base. Brunna's 3 all answer q1
    // "vet ej": table by table its options say "no respondents" (its base is 0) and
    // its "vet ej" cell "base below 30" (1 to 29 answered), so the 3 is "at least 1":
    // everyone in Brunna who answered q1 said "vet ej".
    let rows = [
        ("brunna", "kvinna", "vet_ej", "ganska_trygg", 2),
        ("brunna", "man", "vet_ej", "mycket_trygg", 1),
        ("nyby", "kvinna", "mycket_trygg", "ganska_trygg", 6),
        ("nyby", "man", "ganska_trygg", "mycket_trygg", 5),
        ("nyby", "kvinna", "ganska_otrygg", "ganska_trygg", 4),
        ("nyby", "man", "vet_ej", "vet_ej", 2),
    ];
    let (survey, dataset) = fixed(&rows);
    let (unlinked, audit) = by_area(&survey, &dataset, false);
    let notes = |report: &SituationReport| -> Vec<Option<SuppressionReason>> {
        report
            .tables
            .iter()
            .filter(|t| t.question == "q1" && t.group_by == ["area"])
            .flat_map(|t| &t.cells)
            .filter(|c| c.group == ["brunna"] && !c.dont_know)
            .map(|c| c.suppressed)
            .collect()
    };
    assert!(
        notes(&unlinked)
            .iter()
            .all(|n| *n == Some(SuppressionReason::NoRespondents)),
        "{:?}",
        notes(&unlinked)
    );
    let leak = disclosure(&audit, "q1 by area", "brunna", "vet_ej");
    assert_eq!((leak.value, leak.low), (3.0, 1.0));

    let (linked, audit) = by_area(&survey, &dataset, true);
    assert!(audit.passed(), "{:?}", audit.disclosures);
    assert!(
        notes(&linked)
            .iter()
            .all(|n| *n == Some(SuppressionReason::Protected)),
        "{:?}",
        notes(&linked)
    );
}
