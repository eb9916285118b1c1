//! Signing in and out: `/api/v1/admin/session`.
//!
//! `POST` checks the address and password (and the TOTP code, when enrolled)
//! and starts a new server-side session with a new id, whatever the browser
//! held before; `GET` says who is signed in and hands the CSRF token to the
//! page; `DELETE` ends the session on the server. A wrong address, a wrong
//! password and a disabled account all get the same answer after the same
//! work (an unknown address is checked against a dummy hash), and the
//! [`LoginLimiter`] slows and then refuses repeated attempts, except from a
//! browser with the account's device cookie, which has a budget of its own.
//! `/session/sessions` lists the account's own sessions and ends any of them.
//! Changing the password and turning TOTP on or off need the current password,
//! whose checks are throttled and audited.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use trygg_domain::AuditAction;
use trygg_domain::ErrorCode;
use trygg_domain::{Email, NewPassword, Permission, StaffUser, plain_fields};
use trygg_store::Store;
use utoipa::ToSchema;

use crate::api_doc::{Csrf, Refused};
use crate::auth::device::{self, DeviceKey};
use crate::auth::limiter::{LoginLimiter, Verdict};
use crate::auth::sign_in::{
    Credentials, audit_address, check_password, check_totp, reauthenticate, start_session,
};
use crate::auth::{
    SignedIn, Staff, check_origin, idle_timeout, password, removal_cookie, session_cookie, totp,
};
use crate::config::AuthSettings;
use crate::error::ApiError;
use crate::routes::{Answer, Db, Id, resource};

/// Registers the session routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/session").get(current).post(login).delete(logout))
        .service(resource("/session/password").post(change_password))
        .service(
            resource("/session/totp")
                .get(totp_setup)
                .post(totp_enable)
                .delete(totp_disable),
        )
        .service(resource("/session/sessions").get(sessions))
        .service(resource("/session/sessions/{id}").delete(end_session));
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

impl LoginBody {
    /// Refuses control characters and other invisible text in any field.
    fn check_plain(&self) -> Result<(), ApiError> {
        plain_fields([
            ("email", Some(self.email.as_str())),
            ("password", Some(self.password.as_str())),
            ("municipality", self.municipality.as_deref()),
            ("totp", self.totp.as_deref()),
        ])?;
        Ok(())
    }

    fn credentials<'a>(&'a self, email: &'a Email) -> Credentials<'a> {
        Credentials {
            email,
            password: &self.password,
            municipality: self.municipality.as_deref(),
        }
    }
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

/// The lock-out answer; the same whether or not the address has an account.
fn locked_out(wait: std::time::Duration) -> HttpResponse {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let mut response = ApiError::client(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyAttempts,
        format!("too many sign-in attempts; wait {minutes} minute(s) and try again"),
    )
    .error_response();
    if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// Sign in.
#[utoipa::path(post, path = "/api/v1/admin/session", tag = "staff",
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
pub async fn login(
    req: HttpRequest,
    store: Db,
    settings: web::Data<AuthSettings>,
    limiter: web::Data<LoginLimiter>,
    device_key: web::Data<DeviceKey>,
    body: web::Json<LoginBody>,
) -> Answer {
    let body = body.into_inner();
    body.check_plain()?;
    if let Err(refused) = check_origin(&req) {
        audit_address(&store, &body.email, AuditAction::LoginRefused, "csrf").await?;
        return Err(refused);
    }
    let device = device_key.from_request(&req, &settings, &body.email);
    if let Some(wait) = throttle(&req, &store, &limiter, &body.email, device.as_deref()).await? {
        return Ok(locked_out(wait));
    }
    let email = Email::parse(&body.email, "email")?;
    let account = check_password(&store, &body.credentials(&email)).await?;
    check_totp(&store, &account, body.totp.as_deref()).await?;
    let user = &account.user;
    let login = start_session(&req, &store, &settings, user).await?;
    let answer = session_body(&store, &settings, user, &login.csrf_token, login.expires_at).await?;
    let mut response = HttpResponse::Ok();
    response.cookie(session_cookie(&req, &settings, &login.token));
    if let Some(value) = device_key.issue(user.email.as_str()) {
        response.cookie(device::cookie(&req, &settings, value));
    }
    Ok(no_store(response.json(answer)))
}

/// Waits as the limiter says before checking a sign-in, or the time to wait
/// before trying again when it refuses (audited on the typed address).
async fn throttle(
    req: &HttpRequest,
    store: &Store,
    limiter: &LoginLimiter,
    email: &str,
    device: Option<&str>,
) -> Result<Option<std::time::Duration>, ApiError> {
    match limiter.check(email, req.peer_addr().map(|a| a.ip()), device) {
        Verdict::Refuse(wait) => {
            audit_address(store, email, AuditAction::LoginRefused, "too_many_attempts").await?;
            return Ok(Some(wait));
        }
        Verdict::Slow(delay) => tokio::time::sleep(delay).await,
        Verdict::Allow => {}
    }
    Ok(None)
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/v1/admin/session", tag = "staff",
    responses(
        (status = 200, description = "The current session, with its CSRF token", body = SessionDto),
        (status = 401, description = "Not signed in, or the session has ended", body = crate::api_doc::Error),
    )
)]
pub async fn current(
    SignedIn(staff): SignedIn,
    store: Db,
    settings: web::Data<AuthSettings>,
) -> Answer {
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
#[utoipa::path(delete, path = "/api/v1/admin/session", tag = "staff",
    params(Csrf),
    responses(
        (status = 204, description = "Signed out"), Refused,
    )
)]
pub async fn logout(
    req: HttpRequest,
    SignedIn(staff): SignedIn,
    store: Db,
    settings: web::Data<AuthSettings>,
) -> Answer {
    store.delete_staff_session(staff.session_id()).await?;
    staff.audit_self(&store, AuditAction::Logout).await?;
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
#[utoipa::path(post, path = "/api/v1/admin/session/password", tag = "staff",
    params(Csrf),
    request_body(content = PasswordBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Changed"), Refused,
        (status = 422, description = "The current password is wrong or the new one breaks the policy (too short, too common or known from breaches)", body = crate::api_doc::Error),
        (status = 429, description = "Too many wrong current passwords; wait and try again", body = crate::api_doc::Error),
    )
)]
pub async fn change_password(
    SignedIn(staff): SignedIn,
    store: Db,
    limiter: web::Data<LoginLimiter>,
    body: web::Json<PasswordBody>,
) -> Answer {
    let body = body.into_inner();
    plain_fields([("new_password", Some(body.new_password.as_str()))])?;
    reauthenticate(
        &staff,
        &store,
        &limiter,
        &body.current_password,
        "current_password",
        "password_change",
    )
    .await?;
    let new = NewPassword::parse(&body.new_password, &staff.user().email, "new_password")?;
    if new.expose() == body.current_password {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::PasswordUnchanged,
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
        .audit_self(&store, AuditAction::PasswordChanged)
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
#[utoipa::path(get, path = "/api/v1/admin/session/totp", tag = "staff",
    responses(
        (status = 200, description = "A new secret", body = TotpSetupDto),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
    )
)]
pub async fn totp_setup(staff: Staff) -> Answer {
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
    /// The account's current password.
    current_password: String,
    /// The secret from `GET /api/v1/admin/session/totp`.
    secret: String,
    /// The code the app shows now.
    code: String,
}

/// Turn the second factor on, proving the password and that the app has the
/// secret; the account's other sessions end.
#[utoipa::path(post, path = "/api/v1/admin/session/totp", tag = "staff",
    params(Csrf),
    request_body(content = TotpEnableBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Sign-in now needs a code; other sessions have ended"), Refused,
        (status = 422, description = "The current password is wrong (`wrong_password`) or the code does not match the secret (`invalid_totp`)", body = crate::api_doc::Error),
        (status = 429, description = "Too many wrong current passwords; wait and try again", body = crate::api_doc::Error),
    )
)]
pub async fn totp_enable(
    staff: Staff,
    store: Db,
    limiter: web::Data<LoginLimiter>,
    body: web::Json<TotpEnableBody>,
) -> Answer {
    plain_fields([
        ("secret", Some(body.secret.as_str())),
        ("code", Some(body.code.as_str())),
    ])?;
    reauthenticate(
        &staff,
        &store,
        &limiter,
        &body.current_password,
        "current_password",
        "totp_enable",
    )
    .await?;
    let secret = body.secret.trim().to_uppercase();
    let Some(step) = totp::check(&secret, &body.code) else {
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::InvalidTotp,
            field: Some("code".to_owned()),
            message: "the code does not match; enter the one your app shows now".to_owned(),
        });
    };
    store
        .change_staff_totp(staff.user_id(), Some((&secret, step)), staff.session_id())
        .await?;
    staff.audit_self(&store, AuditAction::TotpEnabled).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The password that removing the second factor needs.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpDisableBody {
    /// The account's current password.
    current_password: String,
}

/// Turn the second factor off, proving the password; the account's other sessions end.
#[utoipa::path(delete, path = "/api/v1/admin/session/totp", tag = "staff",
    params(Csrf),
    request_body(content = TotpDisableBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Sign-in needs the password only; other sessions have ended"), Refused,
        (status = 422, description = "The current password is wrong", body = crate::api_doc::Error),
        (status = 429, description = "Too many wrong current passwords; wait and try again", body = crate::api_doc::Error),
    )
)]
pub async fn totp_disable(
    staff: Staff,
    store: Db,
    limiter: web::Data<LoginLimiter>,
    body: web::Json<TotpDisableBody>,
) -> Answer {
    reauthenticate(
        &staff,
        &store,
        &limiter,
        &body.current_password,
        "current_password",
        "totp_disable",
    )
    .await?;
    store
        .change_staff_totp(staff.user_id(), None, staff.session_id())
        .await?;
    staff.audit_self(&store, AuditAction::TotpDisabled).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One of the account's own sessions: when it began and was last used, to the
/// hour; nothing about the device or where it was.
#[derive(Serialize, ToSchema)]
pub struct SessionItemDto {
    /// The session's id, for ending it.
    id: String,
    /// The hour it was signed in (RFC 3339, UTC).
    created_hour: String,
    /// The hour of its last request (RFC 3339, UTC).
    last_seen_hour: String,
    /// True for the session this request came with.
    current: bool,
}

/// The account's sessions.
#[derive(Serialize, ToSchema)]
pub struct SessionsDto {
    sessions: Vec<SessionItemDto>,
}

fn hour(at: OffsetDateTime) -> Result<String, ApiError> {
    trygg_domain::SubmittedHour::from_time(at)
        .time()
        .format(&Rfc3339)
        .map_err(|e| ApiError::Unexpected(e.into()))
}

/// List the account's own live sessions, newest first.
#[utoipa::path(get, path = "/api/v1/admin/session/sessions", tag = "staff",
    responses(
        (status = 200, description = "The account's sessions", body = SessionsDto),
        (status = 401, description = "Not signed in", body = crate::api_doc::Error),
    )
)]
pub async fn sessions(staff: Staff, store: Db, settings: web::Data<AuthSettings>) -> Answer {
    let now = OffsetDateTime::now_utc();
    let idle = idle_timeout(&settings);
    let mut sessions = Vec::new();
    for s in store.staff_sessions_of(staff.user_id()).await? {
        if s.expires_at <= now || s.last_seen_at + idle <= now {
            continue;
        }
        sessions.push(SessionItemDto {
            id: s.id.to_string(),
            created_hour: hour(s.created_at)?,
            last_seen_hour: hour(s.last_seen_at)?,
            current: s.id == staff.session_id(),
        });
    }
    Ok(HttpResponse::Ok().json(SessionsDto { sessions }))
}

/// The password that ending a session needs.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndSessionBody {
    /// The account's current password.
    current_password: String,
}

/// End one of the account's own sessions, proving the password (the current
/// one signs out).
#[utoipa::path(delete, path = "/api/v1/admin/session/sessions/{id}", tag = "staff",
    params(("id" = String, Path, description = "The session's id from the list"), Csrf),
    request_body(content = EndSessionBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Ended"), Refused,
        (status = 404, description = "The account has no such session", body = crate::api_doc::Error),
        (status = 422, description = "The current password is wrong", body = crate::api_doc::Error),
        (status = 429, description = "Too many wrong current passwords; wait and try again", body = crate::api_doc::Error),
    )
)]
pub async fn end_session(
    req: HttpRequest,
    staff: Staff,
    store: Db,
    settings: web::Data<AuthSettings>,
    limiter: web::Data<LoginLimiter>,
    id: Id,
    body: web::Json<EndSessionBody>,
) -> Answer {
    reauthenticate(
        &staff,
        &store,
        &limiter,
        &body.current_password,
        "current_password",
        "session_end",
    )
    .await?;
    let not_found = || ApiError::not_found(format!("you have no session `{id}`"));
    let session = uuid::Uuid::parse_str(&id).map_err(|_| not_found())?;
    if !store
        .delete_staff_session_of(staff.user_id(), session)
        .await?
    {
        return Err(not_found());
    }
    staff.audit_self(&store, AuditAction::SessionEnded).await?;
    let mut response = HttpResponse::NoContent();
    if session == staff.session_id() {
        response.cookie(removal_cookie(&req, &settings));
    }
    Ok(response.finish())
}
