//! Invitation codes for a postal sample: printed on a letter, typed by a resident
//! or carried in the letter's link, each good for one response.

use crate::DomainError;
use crate::ErrorCode;

/// The letters of a code: no look-alikes (0/O, 1/I/L), so it reads off paper.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters in a code: 10 of 31 letters, about 49 bits, far beyond guessing.
pub const CODE_CHARS: usize = 10;

/// A single-use invitation code, kept in upper case without separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvitationCode(String);

impl InvitationCode {
    /// Parses a code as a resident types it: case, spaces and dashes do not matter.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        let code: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_uppercase();
        let valid =
            code.chars().count() == CODE_CHARS && code.bytes().all(|b| ALPHABET.contains(&b));
        if !valid {
            return Err(DomainError::new(
                ErrorCode::InvalidInvitationCode,
                field,
                format!(
                    "an invitation code is {CODE_CHARS} letters and digits, as printed on the letter"
                ),
            ));
        }
        Ok(Self(code))
    }

    /// A code from random bytes (one per character).
    pub fn from_random(bytes: [u8; CODE_CHARS]) -> Self {
        // 31 letters: the modulo bias of 256 % 31 is well under one per cent.
        Self(
            bytes
                .iter()
                .filter_map(|b| ALPHABET.get(usize::from(*b) % ALPHABET.len()))
                .map(|b| char::from(*b))
                .collect(),
        )
    }

    /// The code as stored and compared.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as printed: two groups of five, e.g. `KX7PA-M3QRT`.
    pub fn printed(&self) -> String {
        let (first, second) = self.0.split_at(CODE_CHARS / 2);
        format!("{first}-{second}")
    }
}

impl std::fmt::Display for InvitationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
