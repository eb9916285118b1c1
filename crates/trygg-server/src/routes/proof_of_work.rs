//! Optional proof of work (ALTCHA, protocol v2) for a survey that is being
//! flooded: a survey with `proof_of_work` switched on takes a response only
//! with a solved challenge in the `Altcha` header.
//!
//! The challenge costs a phone about a second of work and the server one key
//! derivation to check, so a flood gets expensive for the sender without
//! tracking anyone: no cookie, no address, nothing stored. A challenge is good
//! for [`LIFETIME`] and for one response; a used challenge is remembered until
//! it expires, together with the idempotency key that used it, so a retry of
//! the same response may present it again but another response may not.

use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use altcha::{Challenge, CreateChallengeOptions, Payload, VerifySolutionOptions};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::ExposeSecret;

use super::surveys::{SurveyCache, open_survey};
use crate::config::IntakeSettings;
use crate::error::ApiError;
use crate::routes::{Answer, Db, Id};
use trygg_domain::ErrorCode;

/// How long, in seconds, a challenge may be solved and used.
const LIFETIME: i64 = 10 * 60;

/// The header a response's solved challenge travels in: the widget's payload,
/// base64 of `{"challenge": …, "solution": …}`.
pub const HEADER: &str = "Altcha";

/// Makes and checks challenges, and remembers the used ones.
pub struct ProofOfWork {
    secret: String,
    cost: u32,
    /// Signature of each used challenge → (when it expires, the key that used it).
    used: Mutex<HashMap<String, (i64, String)>>,
}

impl ProofOfWork {
    /// From the intake settings; without a configured secret, a random one.
    pub fn new(settings: &IntakeSettings) -> Result<Self, getrandom::Error> {
        let secret = match &settings.proof_of_work_secret {
            Some(secret) => secret.expose_secret().to_owned(),
            None => {
                let mut bytes = [0_u8; 32];
                getrandom::fill(&mut bytes)?;
                bytes.iter().map(|b| format!("{b:02x}")).collect()
            }
        };
        Ok(Self {
            secret,
            cost: settings.proof_of_work_cost.max(1),
            used: Mutex::new(HashMap::new()),
        })
    }

    fn challenge(&self) -> Result<Challenge, ApiError> {
        altcha::create_challenge(CreateChallengeOptions {
            algorithm: "PBKDF2/SHA-256".to_owned(),
            cost: self.cost,
            expires_at: Some(now() + LIFETIME),
            hmac_signature_secret: Some(self.secret.clone()),
            ..CreateChallengeOptions::default()
        })
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("cannot make a challenge: {e}")))
    }

    /// Checks the solved challenge of the response sent with idempotency `key`.
    pub fn check(&self, request: &HttpRequest, key: &str) -> Result<(), ApiError> {
        let refused = |status, code, message: &str| ApiError::Client {
            status,
            code,
            field: Some(HEADER.to_owned()),
            message: message.to_owned(),
        };
        let Some(raw) = request.headers().get(HEADER) else {
            return Err(refused(
                StatusCode::BAD_REQUEST,
                ErrorCode::MissingProofOfWork,
                "this survey needs a solved challenge from /api/v1/surveys/{slug}/challenge in the Altcha header",
            ));
        };
        let payload: Payload = raw
            .to_str()
            .ok()
            .and_then(|text| STANDARD.decode(text.trim()).ok())
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or_else(|| {
                refused(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::InvalidProofOfWork,
                    "the Altcha header must be the base64 of a JSON object with a challenge and its solution",
                )
            })?;
        let result = altcha::verify_solution(VerifySolutionOptions::new(
            &payload.challenge,
            &payload.solution,
            self.secret.clone(),
        ));
        match result {
            Ok(result) if result.verified => {}
            Ok(result) if result.expired => {
                return Err(refused(
                    StatusCode::FORBIDDEN,
                    ErrorCode::ProofOfWorkExpired,
                    "the challenge has expired; fetch a new one",
                ));
            }
            _ => {
                return Err(refused(
                    StatusCode::FORBIDDEN,
                    ErrorCode::ProofOfWorkFailed,
                    "the challenge was not solved, or not made by this server",
                ));
            }
        }
        let signature = payload.challenge.signature.unwrap_or_default();
        let expires = payload
            .challenge
            .parameters
            .expires_at
            .unwrap_or_else(|| now() + LIFETIME);
        let Ok(mut used) = self.used.lock() else {
            return Err(ApiError::Unexpected(anyhow::anyhow!(
                "the list of used challenges is poisoned"
            )));
        };
        match used.get(&signature) {
            Some((_, by)) if by != key => Err(refused(
                StatusCode::FORBIDDEN,
                ErrorCode::ProofOfWorkReused,
                "this challenge was already used for another response; fetch a new one",
            )),
            Some(_) => Ok(()),
            None => {
                used.insert(signature, (expires, key.to_owned()));
                Ok(())
            }
        }
    }

    /// Forgets challenges that have expired; they are refused as expired anyway.
    pub fn forget_expired(&self) {
        let now = now();
        if let Ok(mut used) = self.used.lock() {
            used.retain(|_, (expires, _)| *expires >= now);
        }
    }
}

/// Unix time in seconds, as challenges count it.
fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A fresh challenge for a response to the survey.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{slug}/challenge",
    params(("slug" = String, Path, description = "The survey's slug")),
    responses(
        (status = 200, description = "An ALTCHA (protocol v2) challenge, signed, valid for ten minutes", body = serde_json::Value),
        (status = 404, description = "No such survey", body = crate::api_doc::Error),
        (status = 410, description = "The survey has closed", body = crate::api_doc::Error),
    )
)]
pub async fn challenge(
    store: Db,
    cache: web::Data<SurveyCache>,
    pow: web::Data<ProofOfWork>,
    slug: Id,
) -> Answer {
    open_survey(&store, &cache, &slug).await?;
    let challenge = pow.challenge()?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .json(challenge))
}
