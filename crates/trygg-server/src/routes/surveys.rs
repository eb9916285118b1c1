//! The resident intake API: the published survey definition, and the door every
//! resident's response comes through.
//!
//! `POST /api/v1/surveys/{slug}/responses` needs an `Idempotency-Key` (a UUID
//! the browser makes once per response): a retry with the same key and body
//! answers as the first request did without storing twice, and the same key
//! with another body is refused. The response is acknowledged only after the
//! transaction that stores it has committed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use trygg_domain::ErrorCode;
use trygg_domain::{Boundary, Response, ResponseInput, Survey};
use trygg_lagesbild::intake::SurveyView;
use trygg_store::{Store, Stored};
use utoipa::ToSchema;

use super::proof_of_work::ProofOfWork;
use super::writer::IntakeWriter;
use crate::config::{IntakeSettings, MapSettings};
use crate::error::ApiError;
use crate::routes::{Answer, Body, Db, Id};

/// Per-client-address limits on submissions, kept in memory only: the address
/// is a key in this map for at most a few minutes and is never stored or logged.
#[derive(Clone)]
pub struct SubmitLimiter(Arc<DefaultKeyedRateLimiter<IpAddr>>);

impl SubmitLimiter {
    /// A limiter from the intake settings.
    pub fn new(settings: &IntakeSettings) -> Self {
        let per_minute = NonZeroU32::new(settings.rate_limit_per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.rate_limit_burst).unwrap_or(NonZeroU32::MIN);
        Self(Arc::new(RateLimiter::keyed(
            Quota::per_minute(per_minute).allow_burst(burst),
        )))
    }

    /// Forgets addresses whose budget is full again, so the map stays small.
    pub fn forget_idle(&self) {
        self.0.retain_recent();
        self.0.shrink_to_fit();
    }

    fn check(&self, request: &HttpRequest) -> Result<(), ApiError> {
        // The peer address, not X-Forwarded-For, which any client can forge.
        let Some(ip) = request.peer_addr().map(|a| a.ip()) else {
            return Ok(());
        };
        self.0.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::TooManyRequests {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}

/// A published survey: texts, questions, areas (GeoJSON), named places and map settings.
#[derive(Serialize, ToSchema)]
#[schema(as = SurveyDefinition)]
pub struct SurveyDto {
    #[serde(flatten)]
    view: SurveyView,
    /// Whether a response needs a solved proof-of-work challenge.
    proof_of_work: bool,
    /// Answered only with the code from an invitation letter.
    invitation_required: bool,
    /// The map's tiles, centre and zoom.
    #[schema(value_type = Object)]
    map: MapSettings,
}

/// The survey as residents see it.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{slug}",
    params(("slug" = String, Path, description = "The survey's slug")),
    responses(
        (status = 200, description = "The published survey", body = SurveyDto),
        (status = 403, description = "The survey has not opened yet", body = crate::api_doc::Error),
        (status = 404, description = "No such survey", body = crate::api_doc::Error),
        (status = 410, description = "The survey has closed", body = crate::api_doc::Error),
        (status = 503, description = "The database is unavailable; retry", body = crate::api_doc::Error),
    )
)]
pub async fn definition(
    store: Db,
    cache: web::Data<SurveyCache>,
    map: web::Data<MapSettings>,
    slug: Id,
) -> Answer {
    tokio::time::timeout(DEADLINE, definition_body(&store, &cache, &map, &slug))
        .await
        .map_err(|_| ApiError::TimedOut)?
}

async fn definition_body(
    store: &Store,
    cache: &SurveyCache,
    map: &MapSettings,
    slug: &str,
) -> Answer {
    let published = open_survey(store, cache, slug).await?;
    let survey = &published.survey;
    let body = SurveyDto {
        view: SurveyView::read(store, survey, &published.boundary).await?,
        proof_of_work: survey.proof_of_work,
        invitation_required: store.needs_invitation(survey.id).await?,
        map: map.clone(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        ))
        .json(body))
}

/// A stored response.
#[derive(Serialize, ToSchema)]
#[schema(as = Stored)]
struct StoredDto {
    /// The response's id.
    response_id: String,
    /// Always `stored`.
    status: &'static str,
}

/// How long a request may wait for the database in all before it answers 503:
/// a phone should hear "try again" rather than wait, and a retry with the same
/// key is always safe.
const DEADLINE: Duration = Duration::from_secs(4);

/// One resident's answers and pins, stored once per idempotency key.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{slug}/responses",
    params(
        ("slug" = String, Path, description = "The survey's slug"),
        ("Idempotency-Key" = uuid::Uuid, Header, description = "A UUID made once per response; retries reuse it"),
        ("Altcha" = Option<String>, Header, description = "For a survey with proof_of_work: the solved challenge, base64 of {challenge, solution}"),
    ),
    request_body(content = trygg_domain::ResponseInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Stored (or stored before by a retry with the same key and body)", body = StoredDto),
        (status = 400, description = "Malformed JSON, a missing or invalid Idempotency-Key, or a missing or malformed Altcha header where the survey needs one", body = crate::api_doc::Error),
        (status = 403, description = "The survey has not opened yet, or the proof of work failed, expired or was used for another response", body = crate::api_doc::Error),
        (status = 404, description = "No such survey", body = crate::api_doc::Error),
        (status = 410, description = "The survey has closed", body = crate::api_doc::Error),
        (status = 413, description = "The body is too large", body = crate::api_doc::Error),
        (status = 415, description = "The body is not application/json", body = crate::api_doc::Error),
        (status = 422, description = "The response breaks a rule of the survey, or the key was used for another body", body = crate::api_doc::Error),
        (status = 429, description = "Too many responses from this connection; see Retry-After", body = crate::api_doc::Error),
        (status = 503, description = "The database is unavailable; retry with the same key", body = crate::api_doc::Error),
    )
)]
#[expect(
    clippy::too_many_arguments,
    reason = "actix hands each piece of application state over as its own argument"
)]
pub async fn submit(
    request: HttpRequest,
    store: Db,
    cache: web::Data<SurveyCache>,
    limiter: web::Data<SubmitLimiter>,
    writer: web::Data<IntakeWriter>,
    pow: web::Data<ProofOfWork>,
    slug: Id,
    body: Body,
) -> Answer {
    limiter.check(&request)?;
    let key = idempotency_key(&request)?;
    let intake = Intake {
        store: &store,
        cache: &cache,
        writer: &writer,
        pow: &pow,
        request: &request,
    };
    tokio::time::timeout(DEADLINE, intake.store(&slug, key, body.into_inner()))
        .await
        .map_err(|_| ApiError::TimedOut)?
}

/// What storing a response needs from the application.
struct Intake<'a> {
    store: &'a Store,
    cache: &'a SurveyCache,
    writer: &'a IntakeWriter,
    pow: &'a ProofOfWork,
    request: &'a HttpRequest,
}

impl Intake<'_> {
    async fn store(&self, slug: &str, key: String, body: serde_json::Value) -> Answer {
        let published = open_survey(self.store, self.cache, slug).await?;
        let response = accept(&published, &body)?;
        // Checked after the answers, so a response refused for its answers
        // does not use up its challenge.
        if published.survey.proof_of_work {
            self.pow.check(self.request, &key)?;
        }
        let survey = published.survey.id;
        let invitation = super::invitation::consume(self.store, survey, self.request, &key).await?;
        let fingerprint = fingerprint(&body);
        let without_code = super::invitation::without_code(self.request);
        let stored = self
            .writer
            .store(published, response, key, fingerprint, without_code)
            .await;
        if let Some(code) = invitation
            && !matches!(stored, Ok(Stored::Created(_)))
        {
            // The code opened no new response, so the resident may use it again.
            self.store.release_invitation(survey, &code).await?;
        }
        answer(stored?)
    }
}

/// The body as a response to the survey, or the first rule it breaks.
fn accept(published: &Published, body: &serde_json::Value) -> Result<Response, ApiError> {
    if !body.is_object() {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::InvalidBody,
            field: None,
            message: "the body must be a JSON object with answers and pins".to_owned(),
        });
    }
    let input: ResponseInput = serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::InvalidBody,
            field: (path != ".").then_some(path),
            message: e.into_inner().to_string(),
        }
    })?;
    Ok(published
        .survey
        .accept(input, &published.boundary, OffsetDateTime::now_utc())?)
}

/// What the client hears once its response is stored, or found stored before.
fn answer(stored: Stored) -> Answer {
    match stored {
        Stored::Created(id) => Ok(HttpResponse::Created().json(StoredDto {
            response_id: id.to_string(),
            status: "stored",
        })),
        Stored::Replayed(id) => Ok(HttpResponse::Created()
            .insert_header(("Idempotent-Replayed", "true"))
            .json(StoredDto {
                response_id: id.to_string(),
                status: "stored",
            })),
        Stored::KeyReused => Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::IdempotencyKeyReused,
            field: Some("Idempotency-Key".to_owned()),
            message: "this key was already used for a different response; make a new key for each response".to_owned(),
        }),
    }
}

fn idempotency_key(request: &HttpRequest) -> Result<String, ApiError> {
    let missing = |code, message: &str| ApiError::Client {
        status: StatusCode::BAD_REQUEST,
        code,
        field: Some("Idempotency-Key".to_owned()),
        message: message.to_owned(),
    };
    let Some(raw) = request.headers().get("Idempotency-Key") else {
        return Err(missing(
            ErrorCode::MissingIdempotencyKey,
            "send an Idempotency-Key header with a UUID made once per response",
        ));
    };
    raw.to_str()
        .ok()
        .and_then(|text| uuid::Uuid::parse_str(text.trim().trim_matches('"')).ok())
        .map(|uuid| uuid.hyphenated().to_string())
        .ok_or_else(|| {
            missing(
                ErrorCode::InvalidIdempotencyKey,
                "the Idempotency-Key must be a UUID",
            )
        })
}

/// A hash of the body's JSON value; keys are ordered, so whitespace and key
/// order do not make a retry look like a different response.
fn fingerprint(body: &serde_json::Value) -> String {
    let digest = Sha256::digest(body.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A published survey with the boundary its pins must lie in.
pub struct Published {
    survey: Survey,
    boundary: Boundary,
}

impl Published {
    /// The union of the municipality's areas.
    pub const fn boundary(&self) -> &Boundary {
        &self.boundary
    }
}

/// Parsed surveys and their boundaries, kept for [`CACHE_TTL`], so a busy intake
/// does not read and re-validate the definition and the area polygons for every
/// response. A change made with the CLI shows after at most that long, as
/// browsers may already cache the definition for 60 s.
#[derive(Default)]
pub struct SurveyCache(Mutex<HashMap<String, (Instant, Arc<Published>)>>);

/// How long a parsed survey is reused.
const CACHE_TTL: Duration = Duration::from_secs(30);

impl SurveyCache {
    async fn get(&self, store: &Store, slug: &str) -> Result<Option<Arc<Published>>, ApiError> {
        let cached = self
            .0
            .lock()
            .ok()
            .and_then(|entries| entries.get(slug).cloned())
            .filter(|(at, _)| at.elapsed() < CACHE_TTL);
        if let Some((_, published)) = cached {
            return Ok(Some(published));
        }
        let Some(survey) = store.survey_by_slug(slug).await? else {
            return Ok(None);
        };
        let boundary = store.boundary(survey.municipality_id).await?;
        let published = Arc::new(Published { survey, boundary });
        if let Ok(mut entries) = self.0.lock() {
            entries.insert(slug.to_owned(), (Instant::now(), published.clone()));
        }
        Ok(Some(published))
    }
}

pub(crate) async fn open_survey(
    store: &Store,
    cache: &SurveyCache,
    slug: &str,
) -> Result<Arc<Published>, ApiError> {
    let Some(published) = cache.get(store, slug).await? else {
        return Err(ApiError::not_found(format!("there is no survey `{slug}`")));
    };
    let survey = &published.survey;
    let today = OffsetDateTime::now_utc().date();
    if let Some(closes_on) = survey.closes_on
        && today > closes_on
    {
        return Err(ApiError::Closed { closes_on });
    }
    if today < survey.opens_on {
        return Err(ApiError::Client {
            status: StatusCode::FORBIDDEN,
            code: ErrorCode::SurveyNotOpen,
            field: None,
            message: format!("the survey opens on {}", survey.opens_on),
        });
    }
    Ok(published)
}

/// Answers for any other path under `/api`, in the one error shape.
pub async fn api_not_found(request: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::not_found(format!(
        "there is no {} {}",
        request.method(),
        request.path()
    )))
}

/// Answers a known path called with a method it does not take, naming the
/// one it does take in `Allow` (RFC 9110).
pub(crate) fn method_not_allowed(request: &HttpRequest, allowed: &str) -> HttpResponse {
    let mut response = actix_web::ResponseError::error_response(&ApiError::client(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        format!(
            "{} is not allowed on {}; use {allowed}",
            request.method(),
            request.path()
        ),
    ));
    if let Ok(allowed) = HeaderValue::from_str(allowed) {
        response
            .headers_mut()
            .insert(actix_web::http::header::ALLOW, allowed);
    }
    response
}
