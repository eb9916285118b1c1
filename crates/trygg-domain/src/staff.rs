//! Staff accounts: the people of the kommun and the lokalpolisområde who author
//! surveys, read results and moderate comments, each with one [`Role`] in one
//! municipality.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::{DomainError, Lines, MunicipalityId, StaffUserId, plain_text};

/// What a staff member is in their municipality's workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Users and settings, and everything else.
    Admin,
    /// Surveys, results and exports.
    Analyst,
    /// A partner such as the police: results, focus areas and promises; cannot change surveys.
    Partner,
    /// The free-text moderation queue.
    Moderator,
    /// Read-only results.
    Viewer,
    /// An EST rapportör of a partner organisation: reports händelser and sees
    /// and corrects its own organisation's reports, nothing else.
    Reporter,
}

/// One thing a staff route may need; [`Role::allows`] is the role table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Add and disable staff accounts.
    ManageUsers,
    /// Read the audit log.
    ReadAudit,
    /// Create and change surveys and rounds.
    EditSurveys,
    /// Upload and rename areas and population figures.
    ManageAreas,
    /// Read aggregated results.
    ReadResults,
    /// Export result tables.
    ExportResults,
    /// Export exact pin locations.
    ExportPins,
    /// Approve, redact or reject free text.
    Moderate,
    /// Choose focus areas.
    ManageFocusAreas,
    /// Write promises (medborgarlöften).
    EditPromises,
    /// Report progress on promises.
    AddProgress,
    /// Plan and record safety walks.
    ManageWalks,
    /// Publish results to residents.
    PublishResults,
    /// Report händelser for one's organisation (EST), and see and correct them.
    ReportEvents,
    /// See every organisation's händelser, correct, merge and review them (the
    /// EST coordinator).
    ReviewEvents,
}

impl Permission {
    /// Every permission, in declaration order.
    pub const ALL: [Self; 15] = [
        Self::ManageUsers,
        Self::ReadAudit,
        Self::EditSurveys,
        Self::ManageAreas,
        Self::ReadResults,
        Self::ExportResults,
        Self::ExportPins,
        Self::Moderate,
        Self::ManageFocusAreas,
        Self::EditPromises,
        Self::AddProgress,
        Self::ManageWalks,
        Self::PublishResults,
        Self::ReportEvents,
        Self::ReviewEvents,
    ];

    /// The snake_case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ManageUsers => "manage_users",
            Self::ReadAudit => "read_audit",
            Self::EditSurveys => "edit_surveys",
            Self::ManageAreas => "manage_areas",
            Self::ReadResults => "read_results",
            Self::ExportResults => "export_results",
            Self::ExportPins => "export_pins",
            Self::Moderate => "moderate",
            Self::ManageFocusAreas => "manage_focus_areas",
            Self::EditPromises => "edit_promises",
            Self::AddProgress => "add_progress",
            Self::ManageWalks => "manage_walks",
            Self::PublishResults => "publish_results",
            Self::ReportEvents => "report_events",
            Self::ReviewEvents => "review_events",
        }
    }
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Self; 6] = [
        Self::Admin,
        Self::Analyst,
        Self::Partner,
        Self::Moderator,
        Self::Viewer,
        Self::Reporter,
    ];

    /// The role table: whether this role may do `permission`.
    pub const fn allows(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Self::Admin => true,
            Self::Analyst => matches!(
                permission,
                P::EditSurveys
                    | P::ManageAreas
                    | P::ReadResults
                    | P::ExportResults
                    | P::ExportPins
                    | P::PublishResults
                    | P::ManageFocusAreas
                    | P::EditPromises
                    | P::AddProgress
                    | P::ManageWalks
                    | P::ReportEvents
                    | P::ReviewEvents
            ),
            // The police see and export result tables but never exact pins, and
            // cannot change what residents are asked.
            Self::Partner => matches!(
                permission,
                P::ReadResults
                    | P::ExportResults
                    | P::ManageFocusAreas
                    | P::EditPromises
                    | P::AddProgress
                    | P::ManageWalks
                    | P::ReportEvents
            ),
            Self::Moderator => matches!(permission, P::Moderate | P::ReadResults),
            Self::Viewer => matches!(permission, P::ReadResults),
            Self::Reporter => matches!(permission, P::ReportEvents),
        }
    }

    /// The permissions this role has, for the frontend's navigation.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.allows(*p))
            .collect()
    }

    /// The snake_case name used in JSON, the database and the CLI.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Analyst => "analyst",
            Self::Partner => "partner",
            Self::Moderator => "moderator",
            Self::Viewer => "viewer",
            Self::Reporter => "reporter",
        }
    }

    /// Parses a role name; `field` names where it came from.
    pub fn parse(text: &str, field: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim())
            .ok_or_else(|| {
                DomainError::new(
                    ErrorCode::UnknownRole,
                    field,
                    format!(
                        "`{text}` is not a role; use admin, analyst, partner, moderator, viewer or reporter"
                    ),
                )
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s, "role")
    }
}

/// A staff member's e-mail address, trimmed and lower-cased, so one person
/// cannot get two accounts by writing their address differently.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// The longest address SMTP allows.
const MAX_EMAIL_CHARS: usize = 254;

impl Email {
    /// Parses an address: one `@`, something before it, a dotted domain after
    /// it, no spaces. Whether it receives mail is not Trygg's business.
    pub fn parse(text: &str, field: &str) -> Result<Self, DomainError> {
        plain_text(text, Lines::One, field)?;
        let email = text.trim().to_lowercase();
        let invalid = || {
            DomainError::new(
                ErrorCode::InvalidEmail,
                field,
                "enter an e-mail address such as namn@kommun.se",
            )
        };
        if email.chars().count() > MAX_EMAIL_CHARS
            || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !domain.contains("..");
        if local.is_empty() || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password someone chose, checked against the policy before it is hashed:
/// long rather than complicated, and not one attackers try first (a list of
/// common and breached passwords), as NIST SP 800-63B and ASVS 5.0 advise.
/// It never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest: hashing cost grows with length, so a cap keeps sign-in cheap to refuse.
pub const MAX_PASSWORD_CHARS: usize = 256;

impl NewPassword {
    /// Checks `text` against the policy: 12 to 256 characters, not only one
    /// repeated character, not the account's own e-mail address, and not on
    /// the list of common and breached passwords.
    pub fn parse(text: &str, email: &Email, field: &str) -> Result<Self, DomainError> {
        plain_text(text, Lines::One, field)?;
        let chars = text.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(DomainError::new(
                ErrorCode::PasswordTooShort,
                field,
                format!("the password must have at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(DomainError::new(
                ErrorCode::PasswordTooLong,
                field,
                format!("the password may have at most {MAX_PASSWORD_CHARS} characters"),
            ));
        }
        let mut distinct = text.chars().collect::<Vec<_>>();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 4
            || text.trim().to_lowercase().contains(email.as_str())
            || is_context_word(text)
        {
            return Err(DomainError::new(
                ErrorCode::PasswordTooWeak,
                field,
                "choose a password that is harder to guess: not your e-mail address, not one character repeated and not a word such as trygghet, kommun or polis with digits",
            ));
        }
        if crate::common_passwords::is_common(text) {
            return Err(DomainError::new(
                ErrorCode::PasswordCommon,
                field,
                "this password is on a list of common and breached passwords that attackers try first; choose another, such as a few unrelated words",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The password, only for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Words of Trygg's own context that a password must not be built on
/// (ASVS 5.0 6.1.2 and 6.2.11): the service, its users and its subject.
pub const CONTEXT_WORDS: [&str; 14] = [
    "trygg",
    "trygghet",
    "tryggheten",
    "trygghetsmätning",
    "trygghetsundersökning",
    "kommun",
    "kommunen",
    "polis",
    "polisen",
    "medborgarlöfte",
    "lösenord",
    "losenord",
    "password",
    "admin",
];

/// Whether the letters of `text`, lower-cased and with digits, spaces and
/// punctuation dropped, are one context word, once or repeated
/// (`Trygghet2026!!`, `Polisen polisen 1`).
fn is_context_word(text: &str) -> bool {
    let letters: String = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    !letters.is_empty()
        && CONTEXT_WORDS.iter().any(|word| {
            letters.len().is_multiple_of(word.len())
                && letters == word.repeat(letters.len() / word.len())
        })
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// A staff account as the rest of Trygg sees it: never the password hash or
/// the second factor's secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    /// Stable identifier.
    pub id: StaffUserId,
    /// The one municipality whose data this account sees.
    pub municipality_id: MunicipalityId,
    /// Unique within the municipality.
    pub email: Email,
    /// What the account may do.
    pub role: Role,
    /// A disabled account cannot sign in and its sessions end.
    pub disabled: bool,
    /// True until the one-time password from `trygg user add` has been replaced.
    pub must_change_password: bool,
    /// True when sign-in needs a TOTP code as well.
    pub totp_enabled: bool,
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests fail loudly")]

    use super::*;

    #[test]
    fn the_role_table_gives_admins_everything_and_viewers_only_results() {
        for p in Permission::ALL {
            assert!(Role::Admin.allows(p), "{p:?}");
            assert_eq!(
                Role::Viewer.allows(p),
                p == Permission::ReadResults,
                "{p:?}"
            );
        }
    }

    #[test]
    fn partners_export_tables_but_never_pins_and_cannot_edit_surveys() {
        assert!(Role::Partner.allows(Permission::ExportResults));
        assert!(!Role::Partner.allows(Permission::ExportPins));
        assert!(!Role::Partner.allows(Permission::EditSurveys));
        assert!(Role::Analyst.allows(Permission::ExportPins));
        assert!(!Role::Analyst.allows(Permission::ManageUsers));
        assert!(Role::Moderator.allows(Permission::Moderate));
        assert!(!Role::Analyst.allows(Permission::Moderate));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str(), "role").unwrap(), r);
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert_eq!(
            Role::parse("root", "role").unwrap_err().code,
            "unknown_role"
        );
    }

    #[test]
    fn emails_are_lower_cased_and_must_look_like_addresses() {
        assert_eq!(
            Email::parse(" Anna.Berg@Kommun.SE ", "email")
                .unwrap()
                .as_str(),
            "anna.berg@kommun.se"
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@kommun.se",
            "anna@kommun",
            "a b@k.se",
            "a@k..se",
        ] {
            assert_eq!(
                Email::parse(bad, "email").unwrap_err().code,
                "invalid_email",
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_must_be_long_varied_and_not_the_address() {
        let email = Email::parse("anna@kommun.se", "email").unwrap();
        assert!(NewPassword::parse("korrekt häst batteri", &email, "password").is_ok());
        for (bad, code) in [
            ("kort", "password_too_short"),
            ("aaaaaaaaaaaaaaaa", "password_too_weak"),
            ("anna@kommun.se123", "password_too_weak"),
            ("iloveyou1234", "password_common"),
            ("Trygghet2026!!", "password_too_weak"),
            ("Polisen polisen 1", "password_too_weak"),
            ("Qwertyuiopasdfgh", "password_common"),
        ] {
            assert_eq!(
                NewPassword::parse(bad, &email, "password")
                    .unwrap_err()
                    .code,
                code
            );
        }
        let long = "ab1!".repeat(65);
        assert_eq!(
            NewPassword::parse(&long, &email, "password")
                .unwrap_err()
                .code,
            "password_too_long"
        );
    }

    #[test]
    fn a_new_password_never_shows_in_debug_output() {
        let email = Email::parse("anna@kommun.se", "email").unwrap();
        let p = NewPassword::parse("hemligt lösenord 42", &email, "password").unwrap();
        assert!(!format!("{p:?}").contains("hemligt"));
    }
}
