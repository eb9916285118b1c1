//! The pages' labels for the platform's closed lists (`web/js/labels.js`) stay
//! in step with the Rust enums, both ways: a label for every audit action and
//! error code in Swedish and English, and no label for a name that is gone.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use trygg_domain::{AuditAction, ErrorCode};

/// The catalogue's object, which the module writes as strict JSON after
/// `export const labels = `.
fn catalogue() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/js/labels.js");
    let text = std::fs::read_to_string(&path).unwrap();
    let (_, object) = text.split_once("export const labels = ").unwrap();
    // The first JSON value after `=`; the helper functions after it are not read.
    serde_json::Deserializer::from_str(object)
        .into_iter::<Value>()
        .next()
        .unwrap()
        .unwrap()
}

#[test]
fn every_error_code_and_audit_action_has_a_swedish_and_an_english_label() {
    let labels = catalogue();
    let lists: [(&str, BTreeSet<&str>); 2] = [
        (
            "audit",
            AuditAction::all().map(AuditAction::as_str).collect(),
        ),
        ("errors", ErrorCode::all().map(ErrorCode::as_str).collect()),
    ];
    assert_eq!(
        labels.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["en", "sv"],
        "the pages speak Swedish and English"
    );
    for lang in ["sv", "en"] {
        for (list, names) in &lists {
            let given = labels[lang][list]
                .as_object()
                .unwrap_or_else(|| panic!("labels.{lang}.{list} is missing"));
            let missing: Vec<&&str> = names
                .iter()
                .filter(|name| {
                    given
                        .get(**name)
                        .and_then(Value::as_str)
                        .is_none_or(|label| label.trim().is_empty())
                })
                .collect();
            assert!(
                missing.is_empty(),
                "labels.{lang}.{list} has no label for {missing:?}"
            );
            let gone: Vec<&String> = given
                .keys()
                .filter(|key| !names.contains(key.as_str()))
                .collect();
            assert!(
                gone.is_empty(),
                "labels.{lang}.{list} labels names that do not exist: {gone:?}"
            );
        }
        // An error label is a sentence a person reads, not a developer's note.
        for (code, label) in labels[lang]["errors"].as_object().unwrap() {
            let label = label.as_str().unwrap();
            assert!(
                label.starts_with(char::is_uppercase) && label.ends_with('.'),
                "labels.{lang}.errors.{code} is not a sentence: {label:?}"
            );
            assert!(
                !label.contains(['_', '`']),
                "labels.{lang}.errors.{code} reads like developer text: {label:?}"
            );
        }
    }
}
