//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
//! Cookies"): a browser that signed in to an account gets a signed cookie
//! naming a random device id, bound to the account's address by an HMAC; the
//! address itself is not in the cookie. Sign-in attempts that carry a valid
//! cookie for the typed address are counted per device instead of per account
//! (see [`super::limiter`]), so a stranger's wrong guesses lock out only the
//! browsers that never signed in to the account, never its owner's.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use super::password::hex;
use crate::config::AuthSettings;

/// The device cookie's name, with the `__Host-` prefix when cookies are marked `Secure`.
pub fn cookie_name(settings: &AuthSettings) -> &'static str {
    if settings.secure_cookie {
        "__Host-trygg_device"
    } else {
        "trygg_device"
    }
}

/// The key that signs device cookies.
#[derive(Clone)]
pub struct DeviceKey([u8; 32]);

impl DeviceKey {
    /// The configured secret (hashed to a key), or a random key for this start.
    pub fn new(settings: &AuthSettings) -> Self {
        let mut key = [0_u8; 32];
        match &settings.device_cookie_secret {
            Some(secret) => key.copy_from_slice(&Sha256::digest(secret.expose_secret().as_bytes())),
            None => OsRng.fill_bytes(&mut key),
        }
        Self(key)
    }

    fn mac(&self, login: &str, device: &str) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).ok()?;
        mac.update(normalise(login).as_bytes());
        mac.update(b"\n");
        mac.update(device.as_bytes());
        Some(mac)
    }

    /// A new cookie value for `login`: `device id.signature`.
    pub fn issue(&self, login: &str) -> Option<String> {
        let mut id = [0_u8; 16];
        OsRng.fill_bytes(&mut id);
        let device = hex(&id);
        let signature = hex(&self.mac(login, &device)?.finalize().into_bytes());
        Some(format!("{device}.{signature}"))
    }

    /// The device id of `value` if it was issued for `login` by this key.
    pub fn verify(&self, value: &str, login: &str) -> Option<String> {
        let (device, signature) = value.split_once('.')?;
        if device.len() != 32 || signature.len() != 64 {
            return None;
        }
        let bytes = unhex(signature)?;
        self.mac(login, device)?.verify_slice(&bytes).ok()?;
        Some(device.to_owned())
    }

    /// The device id of the request's cookie, if it is valid for `login`.
    pub fn from_request(
        &self,
        req: &HttpRequest,
        settings: &AuthSettings,
        login: &str,
    ) -> Option<String> {
        req.cookie(cookie_name(settings))
            .and_then(|c| self.verify(c.value(), login))
    }
}

fn normalise(login: &str) -> String {
    login.trim().to_lowercase()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

/// The cookie the browser keeps: HttpOnly, SameSite=Strict, Path=/, for
/// `device_cookie_days`.
pub fn cookie(req: &HttpRequest, settings: &AuthSettings, value: String) -> Cookie<'static> {
    Cookie::build(cookie_name(settings), value)
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(settings.secure_cookie || req.connection_info().scheme() == "https")
        .max_age(actix_web::cookie::time::Duration::days(i64::from(
            settings.device_cookie_days,
        )))
        .finish()
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests fail loudly")]

    use super::*;

    #[test]
    fn a_device_cookie_is_valid_only_for_its_own_address_and_key() {
        let settings = AuthSettings::default();
        let key = DeviceKey::new(&settings);
        let value = key.issue("Anna@Kommun.se").unwrap();
        let device = key.verify(&value, " anna@kommun.se").unwrap();
        assert!(value.starts_with(&device));
        assert!(key.verify(&value, "berit@kommun.se").is_none());
        assert!(
            DeviceKey::new(&settings)
                .verify(&value, "anna@kommun.se")
                .is_none()
        );
        let mut forged = value.clone();
        forged.replace_range(0..1, if value.starts_with('0') { "1" } else { "0" });
        assert!(key.verify(&forged, "anna@kommun.se").is_none());
        assert!(key.verify("nonsense", "anna@kommun.se").is_none());
    }
}
