//! Signing in and out: `/api/v1/admin/session`.
//!
//! `POST` checks the address and password (and the TOTP code, when enrolled)
//! and starts a new server-side session with a new id, whatever the browser
//! held before; `GET` says who is signed in and hands the CSRF token to the
//! page; `DELETE` ends the session on the server. A wrong address, a wrong
//! password and a disabled account all get the same answer after the same
//! work (an unknown address is checked against a dummy hash), and the
//! [`LoginLimiter`] slows and then refuses repeated attempts.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use trygg_domain::{Email, MunicipalityId, NewPassword, Permission, StaffUser, StaffUserId};
use trygg_store::{NewSession, StaffCredentials, Store};
use utoipa::ToSchema;

use super::allow;
use crate::auth::limiter::{LoginLimiter, Verdict};
use crate::auth::{
    COOKIE, SignedIn, Staff, absolute_timeout, check_origin, idle_timeout, password,
    removal_cookie, session_cookie, token_hash, totp,
};
use crate::config::AuthSettings;
use crate::error::ApiError;

/// Registers the session routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/session")
            .route(web::get().to(current))
            .route(web::post().to(login))
            .route(web::delete().to(logout))
            .default_service(allow("GET, POST, DELETE")),
    )
    .service(
        web::resource("/session/password")
            .route(web::post().to(change_password))
            .default_service(allow("POST")),
    )
    .service(
        web::resource("/session/totp")
            .route(web::get().to(totp_setup))
            .route(web::post().to(totp_enable))
            .route(web::delete().to(totp_disable))
            .default_service(allow("GET, POST, DELETE")),
    );
}

/// What a sign-in sends.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// The account's e-mail address.
    #[schema(format = Email)]
    email: String,
    /// Its password (or the one-time password from `trygg user add`).
    #[schema(min_length = 1)]
    password: String,
    /// The municipality's slug; needed only when one address has accounts in
    /// several municipalities with the same password.
    #[serde(default)]
    municipality: Option<String>,
    /// The six-digit code from the authenticator app, for accounts with a second factor.
    #[serde(default)]
    totp: Option<String>,
}

/// The signed-in account.
#[derive(Serialize, ToSchema)]
pub struct UserDto {
    id: String,
    email: String,
    role: String,
    disabled: bool,
    must_change_password: bool,
    totp_enabled: bool,
}

impl From<&StaffUser> for UserDto {
    fn from(u: &StaffUser) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email.to_string(),
            role: u.role.to_string(),
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            totp_enabled: u.totp_enabled,
        }
    }
}

/// The municipality the account works in.
#[derive(Serialize, ToSchema)]
pub struct MunicipalityDto {
    id: String,
    slug: String,
    name: String,
    /// True for the synthetic demo.
    synthetic: bool,
}

/// A session: who, what they may do, and the CSRF token for state-changing requests.
#[derive(Serialize, ToSchema)]
pub struct SessionDto {
    user: UserDto,
    municipality: MunicipalityDto,
    /// snake_case permissions of the role.
    permissions: Vec<&'static str>,
    /// Send this in `X-CSRF-Token` with every POST, PUT, PATCH and DELETE.
    csrf_token: String,
    /// The absolute end of the session (RFC 3339).
    expires_at: String,
    /// A session unused this long ends.
    idle_timeout_secs: u64,
}

async fn session_body(
    store: &Store,
    settings: &AuthSettings,
    user: &StaffUser,
    csrf_token: &str,
    expires_at: OffsetDateTime,
) -> Result<SessionDto, ApiError> {
    let Some(m) = store.municipality(user.municipality_id).await? else {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "a staff account's municipality is missing"
        )));
    };
    Ok(SessionDto {
        user: UserDto::from(user),
        municipality: MunicipalityDto {
            id: m.id.to_string(),
            slug: m.slug.to_string(),
            name: m.name,
            synthetic: m.synthetic,
        },
        permissions: user
            .role
            .permissions()
            .into_iter()
            .map(Permission::as_str)
            .collect(),
        csrf_token: csrf_token.to_owned(),
        expires_at: expires_at
            .format(&Rfc3339)
            .map_err(|e| ApiError::Unexpected(e.into()))?,
        idle_timeout_secs: idle_timeout(settings).as_secs(),
    })
}

fn no_store(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn invalid_credentials() -> ApiError {
    ApiError::client(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "the e-mail address or the password is wrong",
    )
}

/// The lock-out answer; the same whether or not the address has an account.
fn locked_out(wait: std::time::Duration) -> HttpResponse {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let mut response = ApiError::client(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        format!("too many sign-in attempts; wait {minutes} minute(s) and try again"),
    )
    .error_response();
    if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// Sign in.
#[utoipa::path(
    post,
    path = "/api/v1/admin/session",
    tag = "staff",
    request_body(content = LoginBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Signed in; the `trygg_session` cookie is set", body = SessionDto),
        (status = 400, description = "Malformed JSON or an unknown field", body = crate::api_doc::Error),
        (status = 415, description = "The body is not application/json", body = crate::api_doc::Error),
        (status = 401, description = "Wrong address or password (`invalid_credentials`), or a TOTP code is needed (`totp_required`) or wrong (`invalid_totp`)", body = crate::api_doc::Error),
        (status = 403, description = "The request came from another site (`csrf`)", body = crate::api_doc::Error),
        (status = 422, description = "Not an e-mail address, or the address has accounts in several municipalities (`municipality_required`)", body = crate::api_doc::Error),
        (status = 429, description = "Too many attempts for this address or from this connection; see Retry-After", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn login(
    req: HttpRequest,
    store: web::Data<Store>,
    settings: web::Data<AuthSettings>,
    limiter: web::Data<LoginLimiter>,
    body: web::Json<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    check_origin(&req)?;
    let body = body.into_inner();
    match limiter.check(&body.email, req.peer_addr().map(|a| a.ip())) {
        Verdict::Refuse(wait) => return Ok(locked_out(wait)),
        Verdict::Slow(delay) => tokio::time::sleep(delay).await,
        Verdict::Allow => {}
    }
    let email = Email::parse(&body.email, "email")?;
    let account = check_password(&store, &email, &body).await?;
    let user = &account.user;
    if let Some(secret) = &account.totp_secret {
        let code = body.totp.as_deref().map(str::trim).unwrap_or_default();
        if code.is_empty() {
            return Err(ApiError::Client {
                status: StatusCode::UNAUTHORIZED,
                code: "totp_required",
                field: Some("totp".to_owned()),
                message: "enter the six-digit code from your authenticator app".to_owned(),
            });
        }
        if !totp::check(secret, code) {
            store
                .audit(user.municipality_id, Some(user.id), "login_failed", "totp")
                .await?;
            return Err(ApiError::Client {
                status: StatusCode::UNAUTHORIZED,
                code: "invalid_totp",
                field: Some("totp".to_owned()),
                message: "the code is wrong or too old; enter the one your app shows now"
                    .to_owned(),
            });
        }
    }
    // Whatever session the browser had ends: a new id on every sign-in, so an
    // id planted before sign-in is worth nothing after it.
    if let Some(old) = req.cookie(COOKIE)
        && let Some(session) = store.staff_session(&token_hash(old.value())).await?
    {
        store.delete_staff_session(session.id).await?;
    }
    let token = password::random_token();
    let csrf_token = password::random_token();
    let now = OffsetDateTime::now_utc();
    let expires_at = now + absolute_timeout(&settings);
    store
        .insert_staff_session(&NewSession {
            token_hash: token_hash(&token),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            now,
            expires_at,
        })
        .await?;
    store
        .audit(
            user.municipality_id,
            Some(user.id),
            "login",
            user.email.as_str(),
        )
        .await?;
    let body = session_body(&store, &settings, user, &csrf_token, expires_at).await?;
    Ok(no_store(
        HttpResponse::Ok()
            .cookie(session_cookie(&req, &settings, &token))
            .json(body),
    ))
}

/// The one account whose password matches, or the one refusal for every
/// other case. Every candidate is verified, and an address without accounts
/// is verified against a dummy hash, so the time taken does not tell them apart.
async fn check_password(
    store: &Store,
    email: &Email,
    body: &LoginBody,
) -> Result<StaffCredentials, ApiError> {
    let slug = body
        .municipality
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let candidates = match slug {
        Some(slug) => match store.municipality_by_slug(slug).await? {
            Some(m) => store.staff_credentials(email, Some(m.id)).await?,
            None => Vec::new(),
        },
        None => store.staff_credentials(email, None).await?,
    };
    let too_long = body.password.chars().count() > trygg_domain::MAX_PASSWORD_CHARS;
    if candidates.is_empty() || too_long {
        if !too_long {
            password::verify_blocking(body.password.clone(), None).await;
        }
        return Err(invalid_credentials());
    }
    let mut matched = Vec::new();
    for candidate in &candidates {
        if password::verify_blocking(body.password.clone(), Some(candidate.password_hash.clone()))
            .await
        {
            matched.push(candidate.clone());
        }
    }
    match matched.as_slice() {
        [] => {
            for c in &candidates {
                audit_failure(store, c.user.municipality_id, c.user.id).await?;
            }
            Err(invalid_credentials())
        }
        [account] if account.user.disabled => {
            audit_failure(store, account.user.municipality_id, account.user.id).await?;
            Err(invalid_credentials())
        }
        [account] => Ok(account.clone()),
        _ => Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "municipality_required",
            field: Some("municipality".to_owned()),
            message: "this address has accounts in several municipalities; choose one".to_owned(),
        }),
    }
}

async fn audit_failure(
    store: &Store,
    municipality: MunicipalityId,
    user: StaffUserId,
) -> Result<(), ApiError> {
    store
        .audit(municipality, Some(user), "login_failed", "password")
        .await?;
    Ok(())
}

/// Who is signed in.
#[utoipa::path(
    get,
    path = "/api/v1/admin/session",
    tag = "staff",
    responses(
        (status = 200, description = "The current session, with its CSRF token", body = SessionDto),
        (status = 401, description = "Not signed in, or the session has ended", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn current(
    SignedIn(staff): SignedIn,
    store: web::Data<Store>,
    settings: web::Data<AuthSettings>,
) -> Result<HttpResponse, ApiError> {
    let body = session_body(
        &store,
        &settings,
        staff.user(),
        staff.csrf_token(),
        staff.expires_at(),
    )
    .await?;
    Ok(no_store(HttpResponse::Ok().json(body)))
}

/// Sign out: the session ends on the server and the cookie is removed.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/session",
    tag = "staff",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "Missing or wrong CSRF token, or another site's Origin", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn logout(
    req: HttpRequest,
    SignedIn(staff): SignedIn,
    store: web::Data<Store>,
    settings: web::Data<AuthSettings>,
) -> Result<HttpResponse, ApiError> {
    store.delete_staff_session(staff.session_id()).await?;
    staff
        .audit(&store, "logout", staff.user().email.as_str())
        .await?;
    Ok(HttpResponse::NoContent()
        .cookie(removal_cookie(&req, &settings))
        .finish())
}

/// A password change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The password used to sign in.
    current_password: String,
    /// The new one: at least 12 characters.
    new_password: String,
}

/// Replace the password (required after a one-time password); other sessions end.
#[utoipa::path(
    post,
    path = "/api/v1/admin/session/password",
    tag = "staff",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = PasswordBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "Missing or wrong CSRF token", body = crate::api_doc::Error),
        (status = 422, description = "The current password is wrong or the new one breaks the policy", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn change_password(
    SignedIn(staff): SignedIn,
    store: web::Data<Store>,
    body: web::Json<PasswordBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let Some(account) = store.staff_credentials_by_id(staff.user_id()).await? else {
        return Err(ApiError::client(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first",
        ));
    };
    if !password::verify_blocking(body.current_password.clone(), Some(account.password_hash)).await
    {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "wrong_password",
            field: Some("current_password".to_owned()),
            message: "the current password is wrong".to_owned(),
        });
    }
    let new = NewPassword::parse(&body.new_password, &staff.user().email, "new_password")?;
    if new.expose() == body.current_password {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "password_unchanged",
            field: Some("new_password".to_owned()),
            message: "choose a password other than the current one".to_owned(),
        });
    }
    let hash = password::hash_blocking(new.expose().to_owned())
        .await
        .map_err(ApiError::Unexpected)?;
    store
        .set_staff_password(staff.user_id(), &hash, Some(staff.session_id()))
        .await?;
    staff
        .audit(&store, "password_changed", staff.user().email.as_str())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A new TOTP secret to enrol, not yet active.
#[derive(Serialize, ToSchema)]
pub struct TotpSetupDto {
    /// Base32 secret, to type into an authenticator app.
    secret: String,
    /// The same as an `otpauth://` address.
    otpauth_url: String,
}

/// Start enrolling a second factor: a fresh secret, active only once confirmed.
#[utoipa::path(
    get,
    path = "/api/v1/admin/session/totp",
    tag = "staff",
    responses(
        (status = 200, description = "A new secret", body = TotpSetupDto),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn totp_setup(staff: Staff) -> Result<HttpResponse, ApiError> {
    let secret = totp::new_secret();
    let otpauth_url = totp::url(&secret, staff.user().email.as_str())
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("cannot make an otpauth address")))?;
    Ok(no_store(HttpResponse::Ok().json(TotpSetupDto {
        secret,
        otpauth_url,
    })))
}

/// Confirms a secret from [`totp_setup`] with a code the app shows.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpEnableBody {
    /// The secret from `GET /api/v1/admin/session/totp`.
    secret: String,
    /// The code the app shows now.
    code: String,
}

/// Turn the second factor on, proving the app has the secret.
#[utoipa::path(
    post,
    path = "/api/v1/admin/session/totp",
    tag = "staff",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body(content = TotpEnableBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Sign-in now needs a code"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "Missing or wrong CSRF token", body = crate::api_doc::Error),
        (status = 422, description = "The code does not match the secret", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn totp_enable(
    staff: Staff,
    store: web::Data<Store>,
    body: web::Json<TotpEnableBody>,
) -> Result<HttpResponse, ApiError> {
    let secret = body.secret.trim().to_uppercase();
    if !totp::check(&secret, &body.code) {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_totp",
            field: Some("code".to_owned()),
            message: "the code does not match; enter the one your app shows now".to_owned(),
        });
    }
    store.set_staff_totp(staff.user_id(), Some(&secret)).await?;
    staff
        .audit(&store, "totp_enabled", staff.user().email.as_str())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Turn the second factor off.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/session/totp",
    tag = "staff",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 204, description = "Sign-in needs the password only"),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
        (status = 403, description = "Missing or wrong CSRF token", body = crate::api_doc::Error),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn totp_disable(staff: Staff, store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    store.set_staff_totp(staff.user_id(), None).await?;
    staff
        .audit(&store, "totp_disabled", staff.user().email.as_str())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
