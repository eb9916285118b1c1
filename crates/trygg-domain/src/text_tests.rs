#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use serde_json::{Value, json};
use time::macros::{date, datetime};

use super::*;
use crate::tests::square_boundary;

#[test]
fn plain_text_refuses_control_characters_and_keeps_the_rest() {
    let refused_in_any_text = [
        ("a NUL", "a\u{0}b"),
        ("an escape sequence", "\u{1b}[2J"),
        ("a bell", "ding\u{7}"),
        ("DEL", "x\u{7f}"),
        ("a C1 control (CSI)", "x\u{9b}2J"),
        ("next line (C1)", "x\u{85}y"),
        ("a vertical tab", "x\u{b}y"),
        ("a lone carriage return", "over\rwritten"),
        ("a carriage return at the end", "line\r"),
        ("a right-to-left override", "abc\u{202e}fed"),
        ("a bidi isolate", "x\u{2066}y"),
    ];
    let refused_in_one_line_text = [
        ("a newline", "two\nlines"),
        ("a tab", "a\tb"),
        ("CR LF", "a\r\nb"),
        ("a line separator", "a\u{2028}b"),
    ];
    let assert_refused = |what: &str, text: &str, lines: Lines| {
        let error = plain_text(text, lines, "comment").unwrap_err();
        assert_eq!(error.code, "control_character", "{what} in {lines:?} text");
        assert_eq!(error.field, "comment", "{what}");
        assert!(error.message.contains("U+"), "{what}: {}", error.message);
    };
    for (what, text) in refused_in_any_text {
        assert_refused(what, text, Lines::One);
        assert_refused(what, text, Lines::Many);
    }
    for (what, text) in refused_in_one_line_text {
        assert_refused(what, text, Lines::One);
    }
    let kept = [
        ("Swedish letters", "Åsa går över ån", Lines::One),
        ("an emoji with a joiner", "👩\u{200d}👧", Lines::One),
        ("a right-to-left mark", "שלום\u{200f}", Lines::One),
        ("a non-breaking space", "10\u{a0}m", Lines::One),
        ("lines and tabs in multi-line text", "a\n\tb\n", Lines::Many),
        (
            "a line separator in multi-line text",
            "a\u{2028}b",
            Lines::Many,
        ),
    ];
    for (what, text, lines) in kept {
        assert_eq!(plain_text(text, lines, "f").unwrap(), text, "{what}");
    }
}

#[test]
fn carriage_return_line_feed_is_read_as_a_line_feed() {
    assert_eq!(
        plain_text("one\r\ntwo\r\n", Lines::Many, "comment").unwrap(),
        "one\ntwo\n"
    );
    assert_eq!(
        parse_long_text(" Mörkt\r\nvid tunneln ", 100, "note").unwrap(),
        "Mörkt\nvid tunneln"
    );
}

#[test]
fn the_error_says_which_character_and_where() {
    let error = plain_text("ab\u{0}", Lines::One, "name").unwrap_err();
    assert_eq!(
        error.message,
        "contains the control character U+0000 at character 3; remove it"
    );
}

fn survey() -> Survey {
    let input: SurveyInput = serde_json::from_value(json!({
        "slug": "trygghet-2026", "round": "2026", "title": {"sv": "Trygghet"},
        "opens_on": "2026-01-01",
        "questions": [
            {"key": "comment", "kind": "free_text", "max_length": 500, "text": {"sv": "Något mer?"}},
            {"key": "places", "kind": "map", "max_pins": 3, "text": {"sv": "Otrygga platser"},
             "categories": [{"key": "lighting", "label": {"sv": "Belysning"}}]}
        ]
    }))
    .unwrap();
    Survey::parse(input, MunicipalityId::new()).unwrap()
}

fn accept(body: Value) -> Result<Response, DomainError> {
    survey().accept(
        serde_json::from_value(body).unwrap(),
        &square_boundary(),
        datetime!(2026-03-01 12:00 UTC),
    )
}

#[test]
fn a_response_with_a_control_character_is_refused_naming_the_field() {
    let cases = [
        (
            "a NUL in a free-text answer",
            json!({"answers": {"comment": "hej\u{0}"}}),
            "answers.comment",
        ),
        (
            "an escape in a pin comment",
            json!({"pins": [{"location": [17.5, 59.5], "category": "lighting", "time_of_day": "day",
                             "comment": "\u{1b}[31mröd"}]}),
            "pins[0].comment",
        ),
        (
            "a NUL in a described place",
            json!({"pins": [{"description": "tunneln\u{0}", "category": "lighting", "time_of_day": "day"}]}),
            "pins[0].description",
        ),
        (
            "a NUL in a described place's comment",
            json!({"pins": [{"description": "tunneln", "category": "lighting", "time_of_day": "day",
                             "comment": "\u{0}"}]}),
            "pins[0].comment",
        ),
        (
            "a NUL in a category",
            json!({"pins": [{"location": [17.5, 59.5], "category": "lighting\u{0}", "time_of_day": "day"}]}),
            "pins[0].category",
        ),
    ];
    for (what, body, field) in cases {
        let error = accept(body).unwrap_err();
        assert_eq!(error.field, field, "{what}: {error}");
    }
}

#[test]
fn a_response_keeps_line_breaks_in_its_comments_as_line_feeds() {
    let response = accept(json!({
        "answers": {"comment": "Första raden\r\nandra\traden"},
        "pins": [{"description": "Vid\r\nstationen", "category": "lighting", "time_of_day": "day",
                  "comment": "Mörkt\nhär"}]
    }))
    .unwrap();
    assert_eq!(
        response.answers[&Key::parse("comment", "").unwrap()],
        Answer::Text("Första raden\nandra\traden".to_owned())
    );
    assert_eq!(response.described_places[0].description, "Vid\nstationen");
    assert_eq!(
        response.described_places[0].comment.as_deref(),
        Some("Mörkt\nhär")
    );
}

/// `template` with `\u{0}` appended to the string at `pointer`.
fn with_nul(template: &Value, pointer: &str) -> Value {
    let mut value = template.clone();
    let slot = value.pointer_mut(pointer).unwrap();
    *slot = Value::String(format!("{}\u{0}", slot.as_str().unwrap()));
    value
}

type Parser = Box<dyn Fn(Value) -> Result<(), DomainError>>;

fn parser<T: serde::de::DeserializeOwned, U>(
    parse: impl Fn(T) -> Result<U, DomainError> + 'static,
) -> Parser {
    Box::new(move |value| parse(serde_json::from_value(value).unwrap()).map(|_| ()))
}

#[test]
fn every_staff_form_refuses_a_nul_naming_the_field() {
    let m = MunicipalityId::new();
    let promise_input = json!({
        "focus_area_id": uuid::Uuid::now_v7(), "title": {"sv": "Tryggare centrum", "en": "Safer centre"},
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "parties": ["Polisen"],
        "expected_effect": {"sv": "Färre otrygga"}
    });
    let promise =
        Promise::parse(serde_json::from_value(promise_input.clone()).unwrap(), m).unwrap();
    let activity_input = json!({"title": {"sv": "Insatser"}, "owner": "Polisen", "target": 4,
                                "unit": "insatser", "due_on": "2026-12-31"});
    let activity = Activity::parse(
        serde_json::from_value(activity_input.clone()).unwrap(),
        &promise,
    )
    .unwrap();
    let walk_input = json!({"title": "Vandring", "area_code": "bro", "walked_on": "2026-10-06",
                            "route": [], "stops": ["Torget"], "participants": ["Kommunen"]});
    let walk = SafetyWalk::parse(serde_json::from_value(walk_input.clone()).unwrap(), m).unwrap();
    let plan_input = json!({"title": "Plan", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "areas": [{"name": "Inbrott", "activities": [{"title": "Grannsamverkan", "owner": "Polisen",
                                                      "follow_up": "Kvartalsvis"}]}],
        "meetings": [{"held_on": "2026-02-01", "kind": "Chefssamråd", "decisions": ["Fokus"]}],
        "midterm_review": {"held_on": "2026-06-30", "cooperation": "Bra", "implementation": "Halvvägs",
                           "results": "Tidigt"}});
    let survey_input = json!({"slug": "trygghet", "round": "2026", "title": {"sv": "Trygghet"},
        "intro": {"sv": "Välkommen"}, "opens_on": "2026-01-01",
        "questions": [{"key": "gender", "kind": "single_choice", "text": {"sv": "Kön"},
                       "help": {"sv": "Frivilligt"}, "section": {"sv": "Om dig"},
                       "options": [{"key": "kvinna", "label": {"sv": "Kvinna"}}]}]});
    let cases: Vec<(&str, Parser, Value, &str, &str)> = vec![
        (
            "a survey title",
            parser(move |i: SurveyInput| Survey::parse(i, m)),
            survey_input.clone(),
            "/title/sv",
            "title.sv",
        ),
        (
            "a survey round",
            parser(move |i: SurveyInput| Survey::parse(i, m)),
            survey_input.clone(),
            "/round",
            "round",
        ),
        (
            "a survey intro",
            parser(move |i: SurveyInput| Survey::parse(i, m)),
            survey_input.clone(),
            "/intro/sv",
            "intro.sv",
        ),
        (
            "a question's help",
            parser(move |i: SurveyInput| Survey::parse(i, m)),
            survey_input.clone(),
            "/questions/0/help/sv",
            "questions[0].help.sv",
        ),
        (
            "a question's section",
            parser(move |i: SurveyInput| Survey::parse(i, m)),
            survey_input.clone(),
            "/questions/0/section/sv",
            "questions[0].section.sv",
        ),
        (
            "an option label",
            parser(move |i: SurveyInput| Survey::parse(i, m)),
            survey_input,
            "/questions/0/options/0/label/sv",
            "questions[0].options[0].label.sv",
        ),
        (
            "a promise's English title",
            parser(move |i: PromiseInput| Promise::parse(i, m)),
            promise_input.clone(),
            "/title/en",
            "title.en",
        ),
        (
            "a promise's party",
            parser(move |i: PromiseInput| Promise::parse(i, m)),
            promise_input.clone(),
            "/parties/0",
            "parties[0]",
        ),
        (
            "a promise's expected effect",
            parser(move |i: PromiseInput| Promise::parse(i, m)),
            promise_input,
            "/expected_effect/sv",
            "expected_effect.sv",
        ),
        (
            "an activity's owner",
            parser(move |i: ActivityInput| Activity::parse(i, &promise)),
            activity_input.clone(),
            "/owner",
            "owner",
        ),
        (
            "an activity's unit",
            parser({
                let promise = Promise::parse(
                    serde_json::from_value(json!({
                        "focus_area_id": uuid::Uuid::now_v7(), "title": {"sv": "T"},
                        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "parties": ["P"],
                        "expected_effect": {"sv": "E"}}))
                    .unwrap(),
                    m,
                )
                .unwrap();
                move |i: ActivityInput| Activity::parse(i, &promise)
            }),
            activity_input,
            "/unit",
            "unit",
        ),
        (
            "a progress entry's text",
            parser({
                let activity = activity.clone();
                move |i: ProgressInput| ProgressEntry::parse(i, &activity, date!(2026 - 12 - 31))
            }),
            json!({"on": "2026-03-01", "amount": 1, "text": "Insats", "note": "Internt"}),
            "/text",
            "text",
        ),
        (
            "a progress entry's note",
            parser(move |i: ProgressInput| {
                ProgressEntry::parse(i, &activity, date!(2026 - 12 - 31))
            }),
            json!({"on": "2026-03-01", "amount": 1, "text": "Insats", "note": "Internt"}),
            "/note",
            "note",
        ),
        (
            "a focus area's rationale",
            parser(move |i: FocusAreaInput| FocusArea::parse(i, m)),
            json!({"name": "Unga", "kind": "group", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
                   "rationale": "Dialogerna"}),
            "/rationale",
            "rationale",
        ),
        (
            "a walk's title",
            parser(move |i: WalkInput| SafetyWalk::parse(i, m)),
            walk_input.clone(),
            "/title",
            "title",
        ),
        (
            "a walk's stop",
            parser(move |i: WalkInput| SafetyWalk::parse(i, m)),
            walk_input.clone(),
            "/stops/0",
            "stops[0]",
        ),
        (
            "a walk's participant",
            parser(move |i: WalkInput| SafetyWalk::parse(i, m)),
            walk_input,
            "/participants/0",
            "participants[0]",
        ),
        (
            "a finding's note",
            parser({
                let walk = walk.clone();
                move |i: FindingInput| Finding::parse(i, &walk)
            }),
            json!({"location": [17.6, 59.5], "category": "klotter", "note": "Klotter", "responsible": "Bolaget"}),
            "/note",
            "note",
        ),
        (
            "a finding's responsible party",
            parser(move |i: FindingInput| Finding::parse(i, &walk)),
            json!({"location": [17.6, 59.5], "category": "klotter", "note": "Klotter", "responsible": "Bolaget"}),
            "/responsible",
            "responsible",
        ),
        (
            "a finding's reason for not fixing it",
            parser(|i: StatusInput| FindingStatus::parse(&i, date!(2026 - 12 - 31))),
            json!({"status": "wont_fix", "reason": "Privat mark"}),
            "/reason",
            "reason",
        ),
        (
            "an action plan's area name",
            parser(move |i: ActionPlanInput| ActionPlan::parse(i, m)),
            plan_input.clone(),
            "/areas/0/name",
            "areas[0].name",
        ),
        (
            "an action plan activity's follow-up",
            parser(move |i: ActionPlanInput| ActionPlan::parse(i, m)),
            plan_input.clone(),
            "/areas/0/activities/0/follow_up",
            "areas[0].activities[0].follow_up",
        ),
        (
            "an action plan's meeting decision",
            parser(move |i: ActionPlanInput| ActionPlan::parse(i, m)),
            plan_input.clone(),
            "/meetings/0/decisions/0",
            "meetings[0].decisions[0]",
        ),
        (
            "an action plan's mid-term results",
            parser(move |i: ActionPlanInput| ActionPlan::parse(i, m)),
            plan_input,
            "/midterm_review/results",
            "midterm_review.results",
        ),
        (
            "a moderator's edited text",
            parser(|i: DecisionInput| Decision::parse(i, "Ring 070-123 45 67")),
            json!({"decision": "redact", "text": "Ring [borttaget]", "reason": "telefonnummer"}),
            "/text",
            "text",
        ),
        (
            "a moderator's reason",
            parser(|i: DecisionInput| Decision::parse(i, "Ring 070-123 45 67")),
            json!({"decision": "reject", "reason": "telefonnummer"}),
            "/reason",
            "reason",
        ),
        (
            "a crime count's category",
            parser(|rows: Vec<CrimeCountInput>| {
                parse_crime_counts(rows, &["bro".to_owned()].into()).map_err(|e| e.error)
            }),
            json!([{"area_code": "bro", "period": "2025", "category": "rån", "count": 3}]),
            "/0/category",
            "category",
        ),
    ];
    for (what, parse, template, pointer, field) in cases {
        assert!(
            parse(template.clone()).is_ok(),
            "{what}: the template parses"
        );
        let error = parse(with_nul(&template, pointer)).unwrap_err();
        assert_eq!(error.code, "control_character", "{what}: {error}");
        assert_eq!(error.field, field, "{what}");
    }
}

#[test]
fn names_addresses_and_passwords_refuse_control_characters() {
    let email = Email::parse("anna@kommun.se", "email").unwrap();
    let refusals = [
        (
            "a municipality's name",
            Municipality::parse("bro", "Bro\u{0}", false).map(|_| ()),
            "name",
        ),
        (
            "an e-mail address",
            Email::parse("anna\u{1b}@kommun.se", "email").map(|_| ()),
            "email",
        ),
        (
            "a new password",
            NewPassword::parse("lång lösenfras\u{0}x", &email, "new_password").map(|_| ()),
            "new_password",
        ),
        (
            "a named place",
            NamedPlace::parse(
                MunicipalityId::new(),
                "Torget\u{7}",
                "square",
                17.6,
                59.5,
                "",
            )
            .map(|_| ()),
            "name",
        ),
    ];
    for (what, result, field) in refusals {
        let error = result.unwrap_err();
        assert_eq!(error.field, field, "{what}: {error}");
        assert_eq!(error.code, "control_character", "{what}");
    }
    // Slugs and keys allow only a-z, digits and a few marks, so they refuse any
    // control character by their own rule.
    assert_eq!(Slug::parse("bro\u{0}", "slug").unwrap_err().field, "slug");
    assert_eq!(Key::parse("bro\u{0}", "key").unwrap_err().field, "key");
}

#[test]
fn an_area_file_with_a_control_character_in_a_code_or_name_is_refused() {
    let collection = |name: &str, code: &str| -> geojson::FeatureCollection {
        serde_json::from_value(json!({"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"name": name, "code": code},
            "geometry": {"type": "Polygon",
                         "coordinates": [[[17.0, 59.0], [18.0, 59.0], [18.0, 60.0], [17.0, 59.0]]]}}]}))
        .unwrap()
    };
    let m = MunicipalityId::new();
    let bad_code =
        areas_from_geojson(m, &collection("Bro", "bro\u{0}"), Default::default()).unwrap_err();
    assert_eq!(bad_code.field, "features[0].properties.code");
    assert_eq!(bad_code.code, "control_character");
    let bad_name =
        areas_from_geojson(m, &collection("\u{1b}[2JBro", "bro"), Default::default()).unwrap_err();
    assert_eq!(bad_name.field, "features[0].name");
    assert_eq!(bad_name.code, "control_character");
}
