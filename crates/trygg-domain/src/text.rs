//! Small validated strings: keys, slugs, labels and texts in Swedish and English.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A machine key: 1–64 characters of lower-case ASCII letters, digits and `_`,
/// starting with a letter. Question keys, option keys and category keys are keys,
/// so they survive CSV headers, URLs and SQL without quoting.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Key(String);

impl Key {
    /// Parses a key, naming `field` when it is not one.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        let valid_chars = raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let starts_with_letter = raw.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        if raw.is_empty() || raw.len() > 64 || !valid_chars || !starts_with_letter {
            return Err(DomainError::new(
                "invalid_key",
                field,
                format!(
                    "`{}` is not a key: use 1-64 lower-case letters a-z, digits and _, starting with a letter",
                    truncate_for_message(raw)
                ),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A URL slug: 1–80 characters of lower-case ASCII letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Parses a slug, naming `field` when it is not one.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        let valid = !raw.is_empty()
            && raw.len() <= 80
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if !valid {
            return Err(DomainError::new(
                "invalid_slug",
                field,
                format!(
                    "`{}` is not a slug: use 1-80 lower-case letters a-z, digits and -",
                    truncate_for_message(raw)
                ),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A short non-empty, trimmed label of at most `max` characters.
pub fn parse_label(raw: &str, max: usize, field: &str) -> Result<String, DomainError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(DomainError::new("required", field, "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::new(
            "too_long",
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// A text in Swedish, and optionally English. Swedish is required because it is
/// the language every municipality publishes in; English falls back to Swedish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    /// The Swedish text.
    pub sv: String,
    /// The English text, when the survey has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalizedText {
    /// Checks a text read from input: Swedish must be present and both at most `max` characters.
    pub fn parse(raw: LocalizedText, max: usize, field: &str) -> Result<Self, DomainError> {
        let sv = parse_label(&raw.sv, max, &crate::join_path(field, "sv"))?;
        let en = match raw.en {
            Some(en) if en.trim().is_empty() => None,
            Some(en) => Some(parse_label(&en, max, &crate::join_path(field, "en"))?),
            None => None,
        };
        Ok(Self { sv, en })
    }

    /// The text in `lang` (`"sv"` or `"en"`), falling back to Swedish.
    pub fn get(&self, lang: &str) -> &str {
        match (lang, &self.en) {
            ("en", Some(en)) => en,
            _ => &self.sv,
        }
    }
}

/// Keeps error messages short when someone pastes a novel into a key field.
fn truncate_for_message(raw: &str) -> String {
    raw.chars().take(40).collect()
}
