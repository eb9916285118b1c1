//! Small validated strings: keys, slugs, labels and texts in Swedish and English,
//! and the one rule about control characters every text from outside obeys.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::ErrorCode;

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
                ErrorCode::InvalidKey,
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
                ErrorCode::InvalidSlug,
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

/// How many lines a text may span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: no control character at all (a name, a title, an address, a password).
    One,
    /// Several lines (a comment, a note): tab and line feed are allowed, and a
    /// carriage return right before a line feed is read as the line feed alone.
    Many,
}

/// Refuses the characters no text from outside may hold, naming `field`:
/// every C0 and C1 control character (Unicode category Cc, U+0000 included)
/// except, in [`Lines::Many`] text, tab, line feed and the carriage return of a
/// CR LF pair; the bidirectional embedding, override and isolate controls
/// (U+202A–U+202E, U+2066–U+2069), with which text can be made to read in
/// another order than it is stored ("Trojan Source"); and, in [`Lines::One`]
/// text, the line and paragraph separators U+2028 and U+2029.
///
/// Such characters cannot be typed in a form, break databases (PostgreSQL
/// refuses U+0000), terminals and spreadsheets, and hide text from a moderator.
/// CR LF becomes LF, so a comment typed on Windows is stored as one typed
/// elsewhere.
pub fn plain_text<'a>(
    raw: &'a str,
    lines: Lines,
    field: &str,
) -> Result<Cow<'a, str>, DomainError> {
    let mut chars = raw.chars().enumerate().peekable();
    let mut crlf = false;
    while let Some((at, c)) = chars.next() {
        let allowed = match c {
            '\t' | '\n' => lines == Lines::Many,
            '\r' => lines == Lines::Many && chars.peek().is_some_and(|&(_, next)| next == '\n'),
            '\u{2028}' | '\u{2029}' => lines == Lines::Many,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => false,
            c => !c.is_control(),
        };
        if !allowed {
            return Err(DomainError::new(
                ErrorCode::ControlCharacter,
                field,
                format!(
                    "contains the control character U+{:04X} at character {}; remove it",
                    u32::from(c),
                    at + 1
                ),
            ));
        }
        crlf |= c == '\r';
    }
    Ok(if crlf {
        Cow::Owned(raw.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(raw)
    })
}

/// Checks one-line texts that become no domain value of their own, such as a
/// password typed at sign-in (only ever compared with its hash) or a one-time
/// code, with [`plain_text`]: `(field, text)` pairs, an absent text passing.
pub fn plain_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<(), DomainError> {
    for (field, text) in fields {
        if let Some(text) = text {
            plain_text(text, Lines::One, field)?;
        }
    }
    Ok(())
}

/// Checks every string of a JSON document taken as a whole (a GeoJSON upload,
/// a survey definition) with [`plain_text`] as [`Lines::Many`], object keys
/// included, naming the first offending string by its path under `field`
/// (`features[2].properties.name`). The document's own parser then holds
/// its one-line fields to the stricter rule.
pub fn plain_json(value: &serde_json::Value, field: &str) -> Result<(), DomainError> {
    match value {
        serde_json::Value::String(text) => plain_text(text, Lines::Many, field).map(|_| ()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| plain_json(item, &format!("{field}[{i}]"))),
        serde_json::Value::Object(members) => members.iter().try_for_each(|(name, item)| {
            let path = crate::join_path(field, name);
            plain_text(name, Lines::One, &path)?;
            plain_json(item, &path)
        }),
        serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            Ok(())
        }
    }
}

/// A short non-empty, trimmed label of at most `max` characters on one line.
pub fn parse_label(raw: &str, max: usize, field: &str) -> Result<String, DomainError> {
    parse_text(raw, max, Lines::One, field)
}

/// A non-empty, trimmed text of at most `max` characters that may span several lines.
pub fn parse_long_text(raw: &str, max: usize, field: &str) -> Result<String, DomainError> {
    parse_text(raw, max, Lines::Many, field)
}

fn parse_text(raw: &str, max: usize, lines: Lines, field: &str) -> Result<String, DomainError> {
    let checked = plain_text(raw, lines, field)?;
    let trimmed = checked.trim();
    if trimmed.is_empty() {
        return Err(DomainError::new(
            ErrorCode::Required,
            field,
            "must not be empty",
        ));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::new(
            ErrorCode::TooLong,
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// A text in Swedish, and optionally English. Swedish is required because it is
/// the language every municipality publishes in; English falls back to Swedish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocalizedText {
    /// The Swedish text.
    pub sv: String,
    /// The English text, when the survey has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalizedText {
    /// Checks a one-line text read from input: Swedish must be present and
    /// both at most `max` characters.
    pub fn parse(raw: LocalizedText, max: usize, field: &str) -> Result<Self, DomainError> {
        Self::parse_lines(raw, max, Lines::One, field)
    }

    /// Checks a text that may span several lines, like [`LocalizedText::parse`].
    pub fn parse_long(raw: LocalizedText, max: usize, field: &str) -> Result<Self, DomainError> {
        Self::parse_lines(raw, max, Lines::Many, field)
    }

    fn parse_lines(
        raw: LocalizedText,
        max: usize,
        lines: Lines,
        field: &str,
    ) -> Result<Self, DomainError> {
        let sv = parse_text(&raw.sv, max, lines, &crate::join_path(field, "sv"))?;
        let en = match raw.en {
            Some(en) if en.trim().is_empty() => None,
            Some(en) => Some(parse_text(&en, max, lines, &crate::join_path(field, "en"))?),
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
