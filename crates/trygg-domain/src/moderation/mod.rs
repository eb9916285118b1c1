//! Moderation of free text: residents' comments are held from every public
//! output until a moderator approves, redacts or rejects them, and likely
//! personal data is flagged for the moderator to look at first.
//!
//! The flags are a help, not a filter: a pattern can miss a name written in
//! lower case or flag a number that is not a phone number, so a person decides.
//!
//! ```
//! use trygg_domain::{personal_data_flags, FlagKind};
//! let flags = personal_data_flags("Ring mig på 070-123 45 67");
//! assert_eq!(flags[0].kind, FlagKind::Phone);
//! ```

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::{DomainError, parse_long_text};

mod staff_text;
pub use staff_text::{StaffTextSource, publishable_staff_text, staff_text_status};

/// What kind of personal data a span of text looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A Swedish personal identity or coordination number (personnummer, samordningsnummer).
    Personnummer,
    /// A Swedish phone number.
    Phone,
    /// An e-mail address.
    Email,
    /// A Swedish vehicle registration plate.
    Plate,
    /// A street address with a number.
    Address,
    /// A name after "heter", "named" or similar.
    Name,
}

/// A span of a text that looks like personal data: byte offsets into the text,
/// always on character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    /// What it looks like.
    pub kind: FlagKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A piece of a text, flagged or not, so a page can highlight the flags
/// without counting characters in another encoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment<'a> {
    /// The text of the piece.
    pub text: &'a str,
    /// The flag, if the piece is flagged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<FlagKind>,
}

/// The patterns, in the order that wins when two flag the same text. A pattern
/// that failed to compile would flag nothing; the tests cover each one.
static PATTERNS: LazyLock<Vec<(FlagKind, Regex, usize)>> = LazyLock::new(|| {
    [
        // 10 or 12 digits with a valid month and day (day + 60 for samordningsnummer);
        // the check digit is tested separately.
        (
            FlagKind::Personnummer,
            r"\b(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+ ]?\d{4}\b",
            0,
        ),
        (
            FlagKind::Email,
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.\p{L}{2,}",
            0,
        ),
        // 070-123 45 67, 08-123 456 78, +46 70 123 45 67, 0046701234567.
        (
            FlagKind::Phone,
            r"(?:\+46|\b0046|\b0)[ -]?\(?0?\d{1,3}\)?(?:[ -]?\d){5,8}\b",
            0,
        ),
        // ABC 123, ABC 12A (I, Q, V, Å, Ä and Ö are never used), or abc123 run together.
        (
            FlagKind::Plate,
            r"\b(?:[A-HJ-PR-UW-Z]{3} ?\d{2}[A-HJ-PR-UW-Z\d]|[a-hj-pr-uw-z]{3}\d{2}[a-hj-pr-uw-z\d])\b",
            0,
        ),
        (
            FlagKind::Address,
            // Swedish street names end in one of these words: Stationsvägen 4, Storgatan 12 B.
            r"(?i)\b\p{L}+(?:vägen|väg|gatan|gata|gränden|gränd|stigen|stig|allén|allé|backen|backe|torget|torg|platsen|leden|slingan|stråket|kajen|promenaden|esplanaden)\s+\d{1,4}(?:\s?[a-z]\b)?",
            0,
        ),
        (
            FlagKind::Address,
            r"\b\d{1,4}\s+(?:\p{Lu}\p{L}+\s+)+(?:Street|Road|Avenue|Lane|Way|Drive)\b",
            0,
        ),
        // The capitalised words after "heter", "hette", "kallas", "named" or "called".
        (
            FlagKind::Name,
            r"\b(?i:heter|hette|kallas|named|called)\s+(\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+)*)",
            1,
        ),
    ]
    .into_iter()
    .filter_map(|(kind, pattern, group)| Regex::new(pattern).ok().map(|r| (kind, r, group)))
    .collect()
});

/// Spans of `text` that look like personal data, in order and never overlapping:
/// where two patterns flag the same text the earlier-starting, then the longer, wins.
pub fn personal_data_flags(text: &str) -> Vec<Flag> {
    let mut found: Vec<Flag> = Vec::new();
    for (kind, regex, group) in PATTERNS.iter() {
        for captures in regex.captures_iter(text) {
            let Some(m) = captures.get(*group) else {
                continue;
            };
            if *kind == FlagKind::Personnummer && !luhn_ok(m.as_str()) {
                continue;
            }
            found.push(Flag {
                kind: *kind,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Flag> = Vec::with_capacity(found.len());
    for flag in found {
        if kept.last().is_none_or(|last| flag.start >= last.end) {
            kept.push(flag);
        }
    }
    kept
}

/// Whether the last ten digits of a personnummer carry a valid check digit (Luhn).
fn luhn_ok(raw: &str) -> bool {
    let digits: Vec<u32> = raw.chars().filter_map(|c| c.to_digit(10)).collect();
    let ten = digits.get(digits.len().saturating_sub(10)..).unwrap_or(&[]);
    if ten.len() != 10 {
        return false;
    }
    let sum: u32 = ten
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = if i % 2 == 0 { d * 2 } else { *d };
            v / 10 + v % 10
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `text` cut into flagged and unflagged pieces, in order.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for flag in personal_data_flags(text) {
        if let Some(before) = text.get(at..flag.start).filter(|s| !s.is_empty()) {
            out.push(Segment {
                text: before,
                flag: None,
            });
        }
        if let Some(flagged) = text.get(flag.start..flag.end) {
            out.push(Segment {
                text: flagged,
                flag: Some(flag.kind),
            });
        }
        at = flag.end;
    }
    if let Some(rest) = text.get(at..).filter(|s| !s.is_empty()) {
        out.push(Segment {
            text: rest,
            flag: None,
        });
    }
    out
}

/// What stands where a moderator removed something.
pub const REDACTED: &str = "[borttaget]";

/// `text` with every flagged span replaced by [`REDACTED`]: the moderator's
/// starting point for a redaction.
pub fn redact_flagged(text: &str) -> String {
    segments(text)
        .into_iter()
        .map(|s| if s.flag.is_some() { REDACTED } else { s.text })
        .collect()
}

/// Where in a response a free text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentSource {
    /// The comment on a pin.
    PinComment,
    /// The answer to a free-text question.
    FreeText,
    /// The comment on a place described in words. The description itself only
    /// locates the place for an analyst and is never published.
    PlaceComment,
}

impl CommentSource {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PinComment => "pin_comment",
            Self::FreeText => "free_text",
            Self::PlaceComment => "place_comment",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        match raw {
            "pin_comment" => Ok(Self::PinComment),
            "free_text" => Ok(Self::FreeText),
            "place_comment" => Ok(Self::PlaceComment),
            _ => Err(DomainError::new(
                ErrorCode::InvalidSource,
                field,
                format!("`{raw}` is not a kind of comment"),
            )),
        }
    }
}

/// Where a comment is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationStatus {
    /// Not yet looked at: held from every public output.
    Pending,
    /// Shown as written.
    Approved,
    /// Shown as the moderator edited it.
    Redacted,
    /// Never shown.
    Rejected,
}

impl ModerationStatus {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Redacted => "redacted",
            Self::Rejected => "rejected",
        }
    }

    /// Parses a stored or requested name.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        match raw {
            "pending" => Ok(Self::Pending),
            "approved" => Ok(Self::Approved),
            "redacted" => Ok(Self::Redacted),
            "rejected" => Ok(Self::Rejected),
            _ => Err(DomainError::new(
                ErrorCode::InvalidStatus,
                field,
                format!(
                    "`{raw}` is not a moderation status: pending, approved, redacted or rejected"
                ),
            )),
        }
    }
}

/// A moderator's decision as it arrives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// `approve`, `redact` or `reject`.
    pub decision: String,
    /// The edited text, for `redact`.
    #[serde(default)]
    pub text: Option<String>,
    /// Why; required to redact or reject, so the decision can be explained later.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A checked moderator's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Show the comment as written.
    Approve {
        /// Why, if the moderator said.
        reason: Option<String>,
    },
    /// Show the comment as edited.
    Redact {
        /// The text to show instead.
        text: String,
        /// Why.
        reason: String,
    },
    /// Never show the comment.
    Reject {
        /// Why.
        reason: String,
    },
}

/// The longest reason a moderator can give.
const MAX_REASON: usize = 500;
/// The longest edited text: any comment plus room for redaction marks.
const MAX_EDITED: usize = 4_000;

impl Decision {
    /// Parses a decision about `original`: an edit must change the text and
    /// leave something, and redacting or rejecting needs a reason.
    pub fn parse(input: DecisionInput, original: &str) -> Result<Self, DomainError> {
        let reason = input
            .reason
            .filter(|r| !r.trim().is_empty())
            .map(|r| parse_long_text(&r, MAX_REASON, "reason"))
            .transpose()?;
        let needs_reason = |reason: Option<String>| {
            reason.ok_or_else(|| {
                DomainError::new(
                    ErrorCode::Required,
                    "reason",
                    "say why, so the decision can be explained later",
                )
            })
        };
        match input.decision.as_str() {
            "approve" => Ok(Self::Approve { reason }),
            "reject" => Ok(Self::Reject {
                reason: needs_reason(reason)?,
            }),
            "redact" => {
                let text =
                    parse_long_text(input.text.as_deref().unwrap_or(""), MAX_EDITED, "text")?;
                if text == original.trim() {
                    return Err(DomainError::new(
                        ErrorCode::Unchanged,
                        "text",
                        "the edited text is the same as the comment; approve it instead",
                    ));
                }
                Ok(Self::Redact {
                    text,
                    reason: needs_reason(reason)?,
                })
            }
            other => Err(DomainError::new(
                ErrorCode::InvalidDecision,
                "decision",
                format!("`{other}` is not a decision: approve, redact or reject"),
            )),
        }
    }

    /// The status the comment gets.
    pub const fn status(&self) -> ModerationStatus {
        match self {
            Self::Approve { .. } => ModerationStatus::Approved,
            Self::Redact { .. } => ModerationStatus::Redacted,
            Self::Reject { .. } => ModerationStatus::Rejected,
        }
    }

    /// The reason given, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Approve { reason } => reason.as_deref(),
            Self::Redact { reason, .. } | Self::Reject { reason } => Some(reason),
        }
    }

    /// The edited text, for a redaction.
    pub fn edited_text(&self) -> Option<&str> {
        match self {
            Self::Redact { text, .. } => Some(text),
            Self::Approve { .. } | Self::Reject { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests;
