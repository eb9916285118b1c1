#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use super::*;

/// A test case: what it shows, the text, and the flagged pieces expected.
type Case = (
    &'static str,
    &'static str,
    &'static [(FlagKind, &'static str)],
);

/// The flagged pieces of `text`, as (kind, text) pairs.
fn flagged(text: &str) -> Vec<(FlagKind, &str)> {
    personal_data_flags(text)
        .into_iter()
        .map(|f| (f.kind, text.get(f.start..f.end).unwrap()))
        .collect()
}

#[test]
fn flags_likely_personal_data_in_swedish_and_english_comments() {
    use FlagKind::*;
    let cases: &[Case] = &[
        (
            "a personnummer with a dash",
            "Min granne 850709-9805 bråkar",
            &[(Personnummer, "850709-9805")],
        ),
        (
            "a twelve-digit personnummer without a dash",
            "Anmält av 198507099805 i går",
            &[(Personnummer, "198507099805")],
        ),
        (
            "a samordningsnummer (day plus 60)",
            "Han har nummer 701063-2391",
            &[(Personnummer, "701063-2391")],
        ),
        (
            "a mobile number with spaces",
            "Ring mig på 070-123 45 67 om ni vill veta mer",
            &[(Phone, "070-123 45 67")],
        ),
        (
            "a Stockholm number",
            "Fastighetsägaren nås på 08-123 456 78",
            &[(Phone, "08-123 456 78")],
        ),
        (
            "an international number",
            "Call +46 70 123 45 67 after six",
            &[(Phone, "+46 70 123 45 67")],
        ),
        (
            "a number written together",
            "sms:a 0701234567",
            &[(Phone, "0701234567")],
        ),
        (
            "an e-mail address",
            "Mejla anna.svensson@example.se så berättar jag",
            &[(Email, "anna.svensson@example.se")],
        ),
        (
            "a registration plate with a space",
            "Bilen ABC 123 kör för fort varje kväll",
            &[(Plate, "ABC 123")],
        ),
        (
            "a new-style plate",
            "En vit skåpbil MLB 45F står alltid här",
            &[(Plate, "MLB 45F")],
        ),
        (
            "a plate in lower case, run together",
            "mopeden xyz789 igen",
            &[(Plate, "xyz789")],
        ),
        (
            "a street address with a number and a letter",
            "Det är mörkt utanför Stationsvägen 12 B på kvällen",
            &[(Address, "Stationsvägen 12 B")],
        ),
        (
            "a gatan address",
            "Festerna på Storgatan 5 stör alla",
            &[(Address, "Storgatan 5")],
        ),
        (
            "an English address",
            "The house at 12 Baker Street is empty",
            &[(Address, "12 Baker Street")],
        ),
        (
            "a name after heter",
            "Killen som säljer heter Kalle Andersson och står där varje dag",
            &[(Name, "Kalle Andersson")],
        ),
        (
            "a name after named",
            "A man named John keeps shouting",
            &[(Name, "John")],
        ),
        (
            "several kinds in one comment, in order",
            "Hon heter Lisa, ring 073-555 12 34 eller lisa@test.se",
            &[
                (Name, "Lisa"),
                (Phone, "073-555 12 34"),
                (Email, "lisa@test.se"),
            ],
        ),
    ];
    for (description, text, expected) in cases {
        assert_eq!(&flagged(text), expected, "{description}: {text}");
    }
}

#[test]
fn leaves_ordinary_comments_about_places_unflagged() {
    let cases = [
        ("a year and a time", "Sedan 2019 är det mörkt efter kl 22"),
        ("a bus line", "Buss 557 går för sällan på kvällen"),
        ("a street without a number", "Storgatan är dåligt upplyst"),
        ("an amount", "Det kostade 1500 kronor att laga"),
        ("a date", "Det hände den 2023-10-01 vid stationen"),
        ("a name word in lower case", "det heter ju centrum"),
        (
            "a ten-digit number failing the check digit",
            "ärende 8507099806 hos polisen",
        ),
        ("a short number", "ring 112 om något händer"),
        ("the word och before a number", "och 123 andra saker"),
    ];
    for (description, text) in cases {
        assert_eq!(flagged(text), vec![], "{description}: {text}");
    }
}

#[test]
fn segments_cover_the_whole_text_with_flags_marked() {
    let text = "Ring 070-123 45 67 nu";
    let pieces = segments(text);
    assert_eq!(
        pieces,
        vec![
            Segment {
                text: "Ring ",
                flag: None
            },
            Segment {
                text: "070-123 45 67",
                flag: Some(FlagKind::Phone)
            },
            Segment {
                text: " nu",
                flag: None
            },
        ]
    );
    let joined: String = pieces.iter().map(|s| s.text).collect();
    assert_eq!(joined, text);
}

#[test]
fn segments_keep_swedish_letters_whole() {
    let text = "Åsa heter Åsa Öberg, bor på Ängsvägen 3";
    let joined: String = segments(text).iter().map(|s| s.text).collect();
    assert_eq!(joined, text);
    assert_eq!(
        flagged(text),
        vec![
            (FlagKind::Name, "Åsa Öberg"),
            (FlagKind::Address, "Ängsvägen 3")
        ]
    );
}

#[test]
fn redacting_the_flags_replaces_each_flagged_span() {
    assert_eq!(
        redact_flagged("Ring 070-123 45 67 eller mejla a@b.se"),
        "Ring [borttaget] eller mejla [borttaget]"
    );
    assert_eq!(redact_flagged("Inget här"), "Inget här");
}

fn decide(
    decision: &str,
    text: Option<&str>,
    reason: Option<&str>,
) -> Result<Decision, DomainError> {
    Decision::parse(
        DecisionInput {
            decision: decision.to_owned(),
            text: text.map(str::to_owned),
            reason: reason.map(str::to_owned),
        },
        "Ring 070-123 45 67",
    )
}

#[test]
fn a_decision_keeps_its_reason_and_edited_text() {
    let redact = decide("redact", Some("Ring [borttaget]"), Some("telefonnummer")).unwrap();
    assert_eq!(redact.status(), ModerationStatus::Redacted);
    assert_eq!(redact.edited_text(), Some("Ring [borttaget]"));
    assert_eq!(redact.reason(), Some("telefonnummer"));
    let approve = decide("approve", None, None).unwrap();
    assert_eq!(approve.status(), ModerationStatus::Approved);
    assert_eq!(approve.reason(), None);
    assert_eq!(
        decide("reject", None, Some("hot")).unwrap().status(),
        ModerationStatus::Rejected
    );
}

#[test]
fn refuses_decisions_that_cannot_be_explained_or_change_nothing() {
    let cases = [
        (
            "an unknown decision",
            decide("hide", None, Some("x")),
            "decision",
            "invalid_decision",
        ),
        (
            "a rejection without a reason",
            decide("reject", None, None),
            "reason",
            "required",
        ),
        (
            "a blank reason",
            decide("reject", None, Some("  ")),
            "reason",
            "required",
        ),
        (
            "a redaction without text",
            decide("redact", None, Some("x")),
            "text",
            "required",
        ),
        (
            "a redaction that changes nothing",
            decide("redact", Some("Ring 070-123 45 67"), Some("x")),
            "text",
            "unchanged",
        ),
        (
            "a redaction without a reason",
            decide("redact", Some("Ring"), None),
            "reason",
            "required",
        ),
    ];
    for (description, result, field, code) in cases {
        let error = result.unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.code.as_str()),
            (field, code),
            "{description}"
        );
    }
}

#[test]
fn sources_and_statuses_round_trip_through_their_stored_names() {
    for source in [
        CommentSource::PinComment,
        CommentSource::FreeText,
        CommentSource::PlaceComment,
    ] {
        assert_eq!(CommentSource::parse(source.as_str(), "s").unwrap(), source);
    }
    for status in [
        ModerationStatus::Pending,
        ModerationStatus::Approved,
        ModerationStatus::Redacted,
        ModerationStatus::Rejected,
    ] {
        assert_eq!(
            ModerationStatus::parse(status.as_str(), "s").unwrap(),
            status
        );
    }
    assert_eq!(
        ModerationStatus::parse("hidden", "status")
            .unwrap_err()
            .field,
        "status"
    );
}
