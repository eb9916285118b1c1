//! The one error type of the domain: what is wrong and where.

use std::fmt;
use std::path::Path;

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

/// A broken rule and where in an input a person finds it: the file, its
/// 1-based line, the record's index when the input has no lines (an
/// import's `rows[i]`), and the CSV column. The one error type for "where in
/// a file": the population and crime parsers give it without a file, and the
/// CLI adds the file it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file, when the input is one.
    pub file: Option<Box<Path>>,
    /// 1-based line of the file, when known.
    pub line: Option<u64>,
    /// 0-based index of the record (row, feature) at fault, when known.
    pub row: Option<usize>,
    /// The CSV column at fault, when the input is a table.
    pub column: Option<Box<str>>,
    /// What is wrong; its field is the path within the record.
    pub error: DomainError,
}

impl InputError {
    /// The input as a whole is at fault.
    pub const fn new(error: DomainError) -> Self {
        Self {
            file: None,
            line: None,
            row: None,
            column: None,
            error,
        }
    }

    /// The record with index `row` is at fault.
    #[must_use]
    pub const fn at_row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    /// The fault is on `line` (none when unknown).
    #[must_use]
    pub const fn at_line(mut self, line: Option<u64>) -> Self {
        self.line = line;
        self
    }

    /// The fault is in `column`.
    #[must_use]
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into().into_boxed_str());
        self
    }

    /// The fault is in `column`, when one is known.
    #[must_use]
    pub fn in_some_column(self, column: Option<impl Into<String>>) -> Self {
        match column {
            Some(column) => self.in_column(column),
            None => self,
        }
    }

    /// The fault is in `file`.
    #[must_use]
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The field path from the input's top: `rows[3].count`, or the record's
    /// own field when no row is known.
    pub fn path(&self) -> String {
        self.row.map_or_else(
            || self.error.field.clone(),
            |row| join_path(&format!("rows[{row}]"), &self.error.field),
        )
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut places = Vec::new();
        if let Some(file) = &self.file {
            places.push(file.display().to_string());
        }
        match (self.line, self.row) {
            (Some(line), _) => places.push(format!("line {line}")),
            (None, Some(row)) => places.push(format!("row {}", row + 1)),
            (None, None) => {}
        }
        if let Some(column) = &self.column {
            places.push(format!("column `{column}`"));
        }
        if !self.error.field.is_empty() && self.column.as_deref() != Some(self.error.field.as_str())
        {
            places.push(format!("field `{}`", self.error.field));
        }
        if places.is_empty() {
            f.write_str(&self.error.message)
        } else {
            write!(f, "{}: {}", places.join(", "), self.error.message)
        }
    }
}

impl std::error::Error for InputError {}
