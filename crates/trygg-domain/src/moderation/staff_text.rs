//! The texts staff write for the public, a promise's progress texts and a
//! safety-walk finding's notes, go through the same personal-data flags as
//! residents' comments: one that looks like personal data waits for a
//! moderator before any public page shows it; one that does not is shown as
//! written. A moderator may still approve, redact or reject any of them.
//!
//! ```
//! use trygg_domain::{ModerationStatus, staff_text_status, publishable_staff_text};
//! let text = "Vi pratade med Eva som bor på Storgatan 12";
//! assert_eq!(staff_text_status(text, None), ModerationStatus::Pending);
//! assert_eq!(publishable_staff_text(text, ModerationStatus::Pending, None), None);
//! ```

use serde::{Deserialize, Serialize};

use super::{ModerationStatus, personal_data_flags};
use crate::DomainError;
use crate::ErrorCode;

/// Which public text of staff's it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffTextSource {
    /// The public text of a promise's progress entry.
    ProgressText,
    /// The note of a safety-walk finding.
    FindingNote,
}

impl StaffTextSource {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ProgressText => "progress_text",
            Self::FindingNote => "finding_note",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        match raw {
            "progress_text" => Ok(Self::ProgressText),
            "finding_note" => Ok(Self::FindingNote),
            _ => Err(DomainError::new(
                ErrorCode::InvalidSource,
                field,
                format!("`{raw}` is not a kind of staff text"),
            )),
        }
    }
}

/// Where a staff text stands: a moderator's decision if there is one; without,
/// pending when something in it looks like personal data and approved otherwise.
pub fn staff_text_status(written: &str, decided: Option<ModerationStatus>) -> ModerationStatus {
    match decided {
        Some(status) => status,
        None if personal_data_flags(written).is_empty() => ModerationStatus::Approved,
        None => ModerationStatus::Pending,
    }
}

/// The text a public page may show: as written once approved, the moderator's
/// edit once redacted, nothing while pending or once rejected.
pub fn publishable_staff_text<'a>(
    written: &'a str,
    status: ModerationStatus,
    edited: Option<&'a str>,
) -> Option<&'a str> {
    match status {
        ModerationStatus::Approved => Some(written),
        ModerationStatus::Redacted => edited,
        ModerationStatus::Pending | ModerationStatus::Rejected => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_with_nothing_personal_is_published_as_written_without_a_moderator() {
        let text = "Tio nya lampor på gångvägen vid skolan";
        let status = staff_text_status(text, None);
        assert_eq!(status, ModerationStatus::Approved);
        assert_eq!(publishable_staff_text(text, status, None), Some(text));
    }

    #[test]
    fn a_text_with_a_phone_number_or_an_address_waits_for_a_moderator() {
        for text in [
            "Ring Kalle på 070-123 45 67 om lamporna",
            "Trasig belysning utanför Storgatan 12",
            "Grannen heter Eva Lind",
        ] {
            let status = staff_text_status(text, None);
            assert_eq!(status, ModerationStatus::Pending, "{text}");
            assert_eq!(publishable_staff_text(text, status, None), None, "{text}");
        }
    }

    #[test]
    fn a_moderators_decision_wins_over_the_flags() {
        let text = "Trasig belysning utanför Storgatan 12";
        let approved = staff_text_status(text, Some(ModerationStatus::Approved));
        assert_eq!(publishable_staff_text(text, approved, None), Some(text));
        let redacted = staff_text_status(text, Some(ModerationStatus::Redacted));
        assert_eq!(
            publishable_staff_text(text, redacted, Some("Trasig belysning")),
            Some("Trasig belysning")
        );
        let rejected = staff_text_status("Tio nya lampor", Some(ModerationStatus::Rejected));
        assert_eq!(
            publishable_staff_text("Tio nya lampor", rejected, None),
            None
        );
    }

    #[test]
    fn sources_read_back_from_their_stored_names() {
        for source in [StaffTextSource::ProgressText, StaffTextSource::FindingNote] {
            assert_eq!(
                StaffTextSource::parse(source.as_str(), "source"),
                Ok(source)
            );
        }
        assert!(StaffTextSource::parse("pin_comment", "source").is_err());
    }
}
