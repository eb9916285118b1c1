//! The optional second factor: time-based one-time passwords (RFC 6238, the
//! `totp-rs` crate) with the parameters every authenticator app understands
//! (SHA-1, 6 digits, 30 s steps), accepting one step of clock skew either way.

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

/// Whether `code` is valid now for `secret`.
pub fn check(secret: &str, code: &str) -> bool {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    totp(secret, "")
        .and_then(|t| t.check_current(&code).ok())
        .unwrap_or(false)
}

/// The code valid now, for tests and the demo.
pub fn current_code(secret: &str) -> Option<String> {
    totp(secret, "").and_then(|t| t.generate_current().ok())
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
        assert!(check(&secret, &code));
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert!(!check(&secret, &wrong));
        assert!(
            url(&secret, "anna@kommun.se")
                .unwrap()
                .starts_with("otpauth://totp/Trygg:")
        );
    }
}
