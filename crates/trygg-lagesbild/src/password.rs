//! Staff passwords and tokens: hashing with argon2id (the `argon2` crate, RustCrypto) at its
//! default cost, which is OWASP's recommended minimum (19 MiB, 2 passes).
//! Hashing is CPU-bound, so callers on the async runtime use [`verify_blocking`]
//! and [`hash_blocking`].

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hashes a password into a PHC string (`$argon2id$v=19$…`) with a fresh salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the PHC string `stored`; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a password nobody knows, verified when no account matches, so an
/// unknown address takes as long to refuse as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash(&random_token()).unwrap_or_else(|_| {
            // Only a broken random source fails here; a fixed hash of the same
            // cost keeps the timing.
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5d8oU7w3mqbP4U4mHj3jTSLy9HX5CdmL4dSW7l5QHj8".to_owned()
        })
    })
}

/// Verifies on a blocking thread; `None` verifies against the dummy hash and is
/// always false.
pub async fn verify_blocking(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match stored {
        Some(stored) => verify(&password, &stored),
        None => {
            let _ = verify(&password, dummy_hash());
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Hashes on a blocking thread.
pub async fn hash_blocking(password: String) -> Result<String, anyhow::Error> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await?
        .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))
}

/// 32 random bytes from the operating system, as 64 hex digits: session ids
/// and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// A one-time password for a new account: 20 characters from an alphabet
/// without look-alikes (no 0/O, 1/l/I), in groups of five for reading aloud.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0_u8; 20];
    OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| {
            // 31 symbols: the modulo bias is under 1 %, and 20 symbols give ~99 bits.
            let i = usize::from(*b) % ALPHABET.len();
            ALPHABET.get(i).map_or('x', |c| char::from(*c))
        })
        .collect();
    chars
        .chunks(5)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests fail loudly")]

    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let stored = hash("korrekt häst batteri").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("korrekt häst batteri", &stored));
        assert!(!verify("korrekt hast batteri", &stored));
        assert!(!verify("korrekt häst batteri", "not a hash"));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_their_salt() {
        assert_ne!(
            hash("samma lösenord").unwrap(),
            hash("samma lösenord").unwrap()
        );
    }

    #[test]
    fn one_time_passwords_are_four_groups_of_five_and_differ() {
        let a = one_time_password();
        assert_eq!(a.len(), 23);
        assert_eq!(a.split('-').count(), 4);
        assert_ne!(a, one_time_password());
        assert_eq!(random_token().len(), 64);
    }

    #[test]
    fn a_one_time_password_would_pass_the_password_policy() {
        let email = trygg_domain::Email::parse("ny@kommun.se", "email").unwrap();
        for _ in 0..20 {
            let one_time = one_time_password();
            assert!(
                trygg_domain::NewPassword::parse(&one_time, &email, "password").is_ok(),
                "{one_time}"
            );
        }
    }
}
