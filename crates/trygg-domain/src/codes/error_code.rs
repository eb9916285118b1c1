//! What went wrong, as a code a program can act on and a page can label.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

/// The machine-readable code of every error the API answers and the CLI
/// prints: `{"error": "<code>", "field", "message"}`. The text is
/// [`ErrorCode::as_str`], snake_case and stable across releases; the pages show
/// their own sentence for each code (`web/js/labels.js`) rather than the
/// server's English message.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    EnumIter,
    IntoStaticStr,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    // A value of the input breaks a rule of the domain.
    Required,
    WrongType,
    Invalid,
    TooLong,
    TooMany,
    OutOfRange,
    ControlCharacter,
    Duplicate,
    DuplicateKey,
    DuplicateOption,
    DuplicateDontKnow,
    InvalidKey,
    InvalidSlug,
    InvalidDate,
    InvalidDates,
    InvalidEmail,
    InvalidGeometry,
    InvalidSurvey,
    InvalidBackground,
    InvalidBank,
    InvalidIndicator,
    InvalidInvitationCode,
    InvalidDecision,
    InvalidSource,
    InvalidStatus,
    InvalidCsv,
    InvalidHeader,
    InvalidNumber,
    AmbiguousPlace,
    OutsideMunicipality,
    BreaksComparability,
    Locked,
    Unchanged,
    TooManyChoices,
    TooManyPins,
    UnexpectedPins,
    UnknownArea,
    UnknownLanguage,
    UnknownOption,
    UnknownQuestion,
    UnknownRole,
    PasswordCommon,
    PasswordTooShort,
    PasswordTooLong,
    PasswordTooWeak,
    // The request as a whole is refused.
    InvalidBody,
    InvalidJson,
    InvalidQuery,
    InvalidEncoding,
    InvalidFilter,
    InvalidDefinition,
    InvalidGeojson,
    UnsupportedMediaType,
    PayloadTooLarge,
    MethodNotAllowed,
    NotFound,
    Conflict,
    MissingIdempotencyKey,
    InvalidIdempotencyKey,
    IdempotencyKeyReused,
    UnknownFocusArea,
    UnknownIndicator,
    // Signing in and who may do what.
    Unauthenticated,
    Forbidden,
    Csrf,
    InvalidCredentials,
    WrongPassword,
    InvalidTotp,
    TotpRequired,
    TooManyAttempts,
    PasswordUnchanged,
    PasswordChangeRequired,
    MunicipalityRequired,
    CannotChangeSelf,
    // Answering a survey.
    SurveyNotOpen,
    SurveyClosed,
    InvitationRequired,
    InvitationUnknown,
    InvitationUsed,
    MissingProofOfWork,
    InvalidProofOfWork,
    ProofOfWorkExpired,
    ProofOfWorkFailed,
    ProofOfWorkReused,
    // Publishing a round's results.
    Published,
    RoundOpen,
    NotPublished,
    DisclosureRisk,
    // The service itself.
    TooManyRequests,
    Unavailable,
    Internal,
}

impl ErrorCode {
    /// The code as the API sends it, e.g. `out_of_range`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every code, in declaration order.
    pub fn all() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets a test say `assert_eq!(error.code, "required")`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_error_code_is_sent_as_its_snake_case_text() {
        for code in ErrorCode::all() {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str(), "{code:?}");
            assert!(
                code.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
            let back: ErrorCode = serde_json::from_value(json).unwrap();
            assert_eq!(back, code);
        }
        assert_eq!(ErrorCode::DuplicateDontKnow.as_str(), "duplicate_dont_know");
    }
}
