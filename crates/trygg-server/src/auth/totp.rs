//! The optional second factor: time-based one-time passwords (RFC 6238, the
//! `totp-rs` crate) with the parameters every authenticator app understands
//! (SHA-1, 6 digits, 30 s steps), accepting one step of clock skew either way.
//! [`check`] says which time step a code belongs to, so the caller can refuse
//! a code of a step the account has already used (see
//! `Store::use_totp_step`).

use argon2::password_hash::rand_core::{OsRng, RngCore};
use totp_rs::{Algorithm, Secret, TOTP};

/// A new 160-bit secret (RFC 4226's recommended size), base32-encoded.
pub fn new_secret() -> String {
    let mut bytes = [0_u8; 20];
    OsRng.fill_bytes(&mut bytes);
    // `to_encoded` of raw bytes is always the base32 form, which Display writes.
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some("Trygg".to_owned()),
        account.to_owned(),
    )
    .ok()
}

/// The `otpauth://` address an authenticator app reads (as a QR code or typed).
pub fn url(secret: &str, account: &str) -> Option<String> {
    totp(secret, account).map(|t| t.get_url())
}

/// Seconds per time step.
const STEP_SECS: u64 = 30;

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The time step of `code` for `secret` if it is valid now (the current step
/// or one either side), else `None`. Every candidate is compared in constant time.
pub fn check(secret: &str, code: &str) -> Option<i64> {
    check_at(secret, code, now_secs())
}

fn check_at(secret: &str, code: &str, now: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let totp = totp(secret, "")?;
    let current = now / STEP_SECS;
    let mut found = None;
    for step in [current.saturating_sub(1), current, current + 1] {
        let expected = totp.generate(step * STEP_SECS);
        if constant_time_eq(expected.as_bytes(), code.as_bytes()) {
            found = i64::try_from(step).ok();
        }
    }
    found
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The code valid now, for tests and the demo.
pub fn current_code(secret: &str) -> Option<String> {
    code_at(secret, now_secs())
}

/// The code of the step that `unix_secs` falls in, for tests.
pub fn code_at(secret: &str, unix_secs: u64) -> Option<String> {
    totp(secret, "").map(|t| t.generate(unix_secs))
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests fail loudly")]

    use super::*;

    #[test]
    fn the_current_code_of_a_new_secret_checks_and_another_does_not() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let code = current_code(&secret).unwrap();
        assert!(check(&secret, &code).is_some());
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert!(check(&secret, &wrong).is_none());
        assert!(
            url(&secret, "anna@kommun.se")
                .unwrap()
                .starts_with("otpauth://totp/Trygg:")
        );
    }

    #[test]
    fn a_code_names_its_own_step_and_one_step_of_skew_is_accepted_either_way() {
        let secret = new_secret();
        let now = 1_800_000_000_u64;
        let step = i64::try_from(now / STEP_SECS).unwrap();
        for (offset, expected) in [(-30_i64, step - 1), (0, step), (30, step + 1)] {
            let at = now.checked_add_signed(offset).unwrap();
            let code = code_at(&secret, at).unwrap();
            assert_eq!(check_at(&secret, &code, now), Some(expected), "{offset}");
        }
        let stale = code_at(&secret, now - 90).unwrap();
        assert_eq!(check_at(&secret, &stale, now), None);
    }
}
