#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use serde_json::json;
use time::macros::datetime;

use super::*;

fn survey() -> Survey {
    let input: SurveyInput = serde_json::from_value(json!({
        "slug": "trygghet-2023",
        "round": "2023",
        "title": {"sv": "Trygghetsmätning", "en": "Safety survey"},
        "opens_on": "2023-10-01",
        "closes_on": "2023-11-30",
        "questions": [
            {"key": "gender", "kind": "single_choice", "required": true, "background": "gender",
             "text": {"sv": "Kön"},
             "options": [{"key": "woman", "label": {"sv": "Kvinna"}}, {"key": "man", "label": {"sv": "Man"}}]},
            {"key": "evening_safety", "kind": "single_choice", "scale": true, "text": {"sv": "Hur trygg?"},
             "options": [{"key": "very_safe", "label": {"sv": "Mycket trygg"}},
                         {"key": "dont_know", "label": {"sv": "Vet ej"}, "dont_know": true}]},
            {"key": "priorities", "kind": "multiple_choice", "max_choices": 2, "text": {"sv": "Prioritera"},
             "options": [{"key": "lighting", "label": {"sv": "Belysning"}},
                         {"key": "police", "label": {"sv": "Polis"}},
                         {"key": "youth", "label": {"sv": "Unga"}}]},
            {"key": "years", "kind": "number", "min": 0, "max": 120, "integer": true, "text": {"sv": "År i området"}},
            {"key": "places", "kind": "map", "max_pins": 2, "text": {"sv": "Otrygga platser"},
             "categories": [{"key": "lighting", "label": {"sv": "Belysning"}}]}
        ]
    }))
    .unwrap();
    Survey::parse(input, MunicipalityId::new()).unwrap()
}

/// One area, Bro, a one-degree square; shared with the text tests.
pub(crate) fn square_boundary() -> Boundary {
    let geometry: geojson::Geometry = serde_json::from_value(json!({
        "type": "Polygon",
        "coordinates": [[[17.0, 59.0], [18.0, 59.0], [18.0, 60.0], [17.0, 60.0], [17.0, 59.0]]]
    }))
    .unwrap();
    let area = Area::parse(MunicipalityId::new(), "bro", "Bro", &geometry, "").unwrap();
    Boundary::new([(area.code, area.boundary)])
}

fn response(value: serde_json::Value) -> ResponseInput {
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_complete_response_is_accepted_and_its_time_is_rounded_to_the_hour() {
    let accepted = survey()
        .accept(
            response(json!({
                "answers": {"gender": "woman", "evening_safety": "dont_know", "priorities": ["youth", "lighting"], "years": 12},
                "pins": [{"location": [17.63, 59.51], "category": "lighting", "time_of_day": "kväll", "comment": " Mörk gångtunnel "}]
            })),
            &square_boundary(),
            datetime!(2023-10-12 21:47:13 +02:00),
        )
        .unwrap();
    assert_eq!(
        accepted.submitted_hour.time(),
        datetime!(2023-10-12 19:00 UTC)
    );
    assert_eq!(
        accepted.answers[&Key::parse("priorities", "").unwrap()],
        Answer::Choices(vec![
            Key::parse("lighting", "").unwrap(),
            Key::parse("youth", "").unwrap()
        ])
    );
    assert_eq!(accepted.pins[0].time_of_day, TimeOfDay::Evening);
    assert_eq!(accepted.pins[0].comment.as_deref(), Some("Mörk gångtunnel"));
}

#[test]
fn every_broken_rule_names_the_field_it_is_about() {
    let cases = [
        (
            "missing required answer",
            json!({"answers": {}}),
            "answers.gender",
            "required",
        ),
        (
            "unknown option",
            json!({"answers": {"gender": "other"}}),
            "answers.gender",
            "unknown_option",
        ),
        (
            "unknown question",
            json!({"answers": {"gender": "man", "q99": "x"}}),
            "answers.q99",
            "unknown_question",
        ),
        (
            "text where a number belongs",
            json!({"answers": {"gender": "man", "years": "many"}}),
            "answers.years",
            "wrong_type",
        ),
        (
            "number out of range",
            json!({"answers": {"gender": "man", "years": 130}}),
            "answers.years",
            "out_of_range",
        ),
        (
            "fraction for a whole number",
            json!({"answers": {"gender": "man", "years": 1.5}}),
            "answers.years",
            "wrong_type",
        ),
        (
            "too many choices",
            json!({"answers": {"gender": "man", "priorities": "lighting;police;youth"}}),
            "answers.priorities",
            "too_many_choices",
        ),
        (
            "pin outside the municipality",
            json!({"answers": {"gender": "man"}, "pins": [
            {"location": [17.5, 59.5], "category": "lighting", "time_of_day": "day"},
            {"location": [12.0, 57.7], "category": "lighting", "time_of_day": "day"}]}),
            "pins[1].location",
            "outside_municipality",
        ),
        (
            "latitude off the globe",
            json!({"answers": {"gender": "man"}, "pins": [
            {"location": {"lon": 17.5, "lat": 95.0}, "category": "lighting", "time_of_day": "day"}]}),
            "pins[0].location",
            "out_of_range",
        ),
        (
            "unknown category",
            json!({"answers": {"gender": "man"}, "pins": [
            {"location": [17.5, 59.5], "category": "ufo", "time_of_day": "day"}]}),
            "pins[0].category",
            "unknown_option",
        ),
        (
            "comment over 1,000 characters",
            json!({"answers": {"gender": "man"}, "pins": [
            {"location": [17.5, 59.5], "category": "lighting", "time_of_day": "day", "comment": "å".repeat(1001)}]}),
            "pins[0].comment",
            "too_long",
        ),
        (
            "too many pins",
            json!({"answers": {"gender": "man"}, "pins": [
            {"location": [17.5, 59.5], "category": "lighting", "time_of_day": "day"},
            {"location": [17.5, 59.5], "category": "lighting", "time_of_day": "day"},
            {"location": [17.5, 59.5], "category": "lighting", "time_of_day": "day"}]}),
            "pins",
            "too_many_pins",
        ),
    ];
    for (description, input, field, code) in cases {
        let error = survey()
            .accept(
                response(input),
                &square_boundary(),
                datetime!(2023-10-12 12:00 UTC),
            )
            .unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.code.as_str()),
            (field, code),
            "{description}: {error}"
        );
    }
}

#[test]
fn a_comment_of_exactly_1000_characters_is_accepted() {
    let accepted = survey().accept(
        response(json!({"answers": {"gender": "man"}, "pins": [
            {"location": [17.5, 59.5], "category": "lighting", "time_of_day": "natt", "comment": "å".repeat(1000)}]})),
        &square_boundary(),
        datetime!(2023-10-12 12:00 UTC),
    );
    assert!(accepted.is_ok());
}

#[test]
fn survey_definitions_with_broken_rules_name_the_question() {
    let mut input: serde_json::Value = serde_json::to_value(survey()).unwrap();
    input["questions"][2]["options"][1]["key"] = json!("lighting");
    let error = Survey::parse(
        serde_json::from_value(input).unwrap(),
        MunicipalityId::new(),
    )
    .unwrap_err();
    assert_eq!(error.field, "questions[2].options[1].key");
    assert_eq!(error.code, "duplicate_key");
}

#[test]
fn a_parsed_survey_serialises_to_a_definition_that_parses_to_the_same_survey() {
    let original = survey();
    let json = serde_json::to_value(&original).unwrap();
    let again = Survey::parse(
        serde_json::from_value(json).unwrap(),
        original.municipality_id,
    )
    .unwrap();
    assert_eq!(again.questions, original.questions);
    assert_eq!(again.slug, original.slug);
}

#[test]
fn an_open_ring_and_a_bow_tie_are_refused_as_area_boundaries() {
    let open: geojson::Geometry = serde_json::from_value(json!({
        "type": "Polygon", "coordinates": [[[17.0, 59.0], [18.0, 59.0], [18.0, 60.0], [17.0, 60.0]]]
    }))
    .unwrap();
    let bow_tie: geojson::Geometry = serde_json::from_value(json!({
        "type": "Polygon", "coordinates": [[[17.0, 59.0], [18.0, 60.0], [18.0, 59.0], [17.0, 60.0], [17.0, 59.0]]]
    }))
    .unwrap();
    let open_error =
        Area::parse(MunicipalityId::new(), "a", "A", &open, "features[0]").unwrap_err();
    assert_eq!(open_error.field, "features[0].geometry.coordinates[0][0]");
    let bow_error =
        Area::parse(MunicipalityId::new(), "a", "A", &bow_tie, "features[1]").unwrap_err();
    assert_eq!(bow_error.field, "features[1].geometry");
    assert_eq!(bow_error.code, "invalid_geometry");
}

#[test]
fn keys_and_slugs_accept_only_plain_lower_case_ascii() {
    assert!(Key::parse("evening_safety_2", "k").is_ok());
    for bad in ["", "Evening", "2fast", "kväll", "a-b", &"a".repeat(65)] {
        assert!(Key::parse(bad, "k").is_err(), "{bad:?} should be refused");
    }
    assert!(Slug::parse("trygghet-2023", "s").is_ok());
    assert!(Slug::parse("-trygghet", "s").is_err());
}

#[test]
fn a_survey_is_closed_from_the_day_after_its_closing_day_and_never_without_one() {
    let mut s = survey();
    let day = |d: &str| parse_date(d, "day").unwrap();
    assert!(!s.is_closed_on(day("2023-10-15")), "open");
    assert!(!s.is_closed_on(day("2023-11-30")), "its last day");
    assert!(s.is_closed_on(day("2023-12-01")));
    s.closes_on = None;
    assert!(!s.is_closed_on(day("2099-01-01")));
}
