//! The one error type of the domain: what is wrong and where.

use std::fmt;

use crate::ErrorCode;

/// A rule of the domain was broken by some input.
///
/// `field` is the path to the offending value in the input, written the way a
/// person would point at it: `answers.q7`, `pins[2].location`, `questions[3].options[1].key`.
/// The HTTP edge turns it into `{"error": code, "field": field, "message": message}`
/// and the CLI adds the file, line and column it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainError {
    /// Machine-readable code, stable across releases.
    pub code: ErrorCode,
    /// Path of the offending value, empty when the whole input is at fault.
    pub field: String,
    /// A sentence in English without a trailing period.
    pub message: String,
}

impl DomainError {
    /// An error about the value at `field`.
    pub fn new(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error, seen from one level further out: `options[1].key` under
    /// `questions[3]` becomes `questions[3].options[1].key`.
    #[must_use]
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = join_path(prefix, &self.field);
        self
    }
}

/// Joins two field path segments, leaving out the dot before an index.
pub fn join_path(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_owned()
    } else if rest.is_empty() {
        prefix.to_owned()
    } else if rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}.{rest}")
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for DomainError {}
