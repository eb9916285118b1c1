//! Staff authentication: server-side sessions behind the `trygg_session`
//! cookie, and the [`Staff`] extractor every staff route takes.
//!
//! A route gets a [`Staff`] only for a live session (not signed out, not idle
//! past the idle timeout, not past the absolute timeout, account not disabled);
//! otherwise it answers 401 `unauthenticated`. For every method other than
//! GET/HEAD/OPTIONS the extractor also checks the CSRF token (`X-CSRF-Token`
//! equal to the session's) and the `Origin`, if sent, against the server's own
//! host, answering 403 `csrf`; handlers get that for free. Then
//! `staff.require(Permission::X)?` answers 403 `forbidden` for a role without it.
//!
//! [`staff_answers`] wraps the whole staff API: every answer gets
//! `Cache-Control: no-store`, and every 403 and 429 to a signed-in account is
//! written to its municipality's audit log.

pub mod device;
pub mod limiter;
pub use trygg_lagesbild::password;
pub mod sign_in;
pub mod totp;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use trygg_domain::AuditAction;
use trygg_domain::ErrorCode;
use trygg_domain::{Email, MunicipalityId, Permission, Role, StaffUser, StaffUserId};
use trygg_lagesbild::workflow::Actor;
use trygg_store::{StaffSession, Store};

use crate::config::AuthSettings;
use crate::error::ApiError;

/// The session cookie's name.
pub const COOKIE: &str = "trygg_session";
/// The session cookie's name with `auth.secure_cookie`: the `__Host-` prefix
/// makes browsers refuse it unless it is `Secure`, for `Path=/` and without a
/// `Domain`, so no subdomain can set or shadow it.
pub const SECURE_COOKIE: &str = "__Host-trygg_session";

/// The session cookie's name under these settings.
pub const fn cookie_name(settings: &AuthSettings) -> &'static str {
    if settings.secure_cookie {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

/// The header state-changing requests carry the session's CSRF token in.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// A session's last-seen time is written at most this often, so reading pages
/// does not turn every request into a write.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// What the staff side shares between workers: the settings, the sign-in
/// limiter and the page every `/admin` address serves.
#[derive(Clone)]
pub struct StaffState {
    settings: web::Data<AuthSettings>,
    limiter: web::Data<limiter::LoginLimiter>,
    device_key: web::Data<device::DeviceKey>,
    page: PathBuf,
}

impl StaffState {
    /// Builds the state and starts the housekeeping that, every minute,
    /// forgets idle limiter keys and deletes ended sessions.
    pub fn new(settings: &AuthSettings, store: &web::Data<Store>, web_dir: &Path) -> Self {
        let limiter = limiter::LoginLimiter::new(settings);
        let state = Self {
            settings: web::Data::new(settings.clone()),
            limiter: web::Data::new(limiter.clone()),
            device_key: web::Data::new(device::DeviceKey::new(settings)),
            page: web_dir.join("admin.html"),
        };
        let store = store.clone();
        let idle = idle_timeout(settings);
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                limiter.forget_idle();
                let now = OffsetDateTime::now_utc();
                if let Err(e) = store.delete_stale_staff_sessions(now, now - idle).await {
                    tracing::warn!(error = %e, "cannot delete ended staff sessions");
                }
            }
        });
        state
    }

    /// Registers the shared state with the app.
    pub fn register(&self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(self.settings.clone())
            .app_data(self.limiter.clone())
            .app_data(self.device_key.clone());
    }

    /// Serves the staff pages: every address under `/admin` is the same page,
    /// which reads the address and loads the page's module.
    pub fn pages(&self, cfg: &mut web::ServiceConfig) {
        for path in ["/admin", "/admin/{tail:.*}"] {
            let page = self.page.clone();
            cfg.route(
                path,
                web::get().to(move || {
                    let page = page.clone();
                    async move { actix_files::NamedFile::open(page) }
                }),
            );
        }
    }
}

/// A signed-in staff member, checked for this request.
#[derive(Debug, Clone)]
pub struct Staff {
    user: StaffUser,
    session: uuid::Uuid,
    csrf_token: String,
    expires_at: OffsetDateTime,
}

impl Staff {
    /// The account's id.
    pub const fn user_id(&self) -> StaffUserId {
        self.user.id
    }

    /// The one municipality this staff member reads and writes.
    pub const fn municipality_id(&self) -> MunicipalityId {
        self.user.municipality_id
    }

    /// The account's role.
    pub const fn role(&self) -> Role {
        self.user.role
    }

    /// The whole account.
    pub const fn user(&self) -> &StaffUser {
        &self.user
    }

    /// The session's CSRF token, for the session endpoints.
    pub(crate) fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// The session's row id.
    pub(crate) const fn session_id(&self) -> uuid::Uuid {
        self.session
    }

    /// The session's absolute end.
    pub(crate) const fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }

    /// Whether the role has `permission`.
    pub const fn may(&self, permission: Permission) -> bool {
        self.user.role.allows(permission)
    }

    /// 403 `forbidden` unless the role has `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.may(permission) {
            Ok(())
        } else {
            Err(ApiError::Client {
                status: StatusCode::FORBIDDEN,
                code: ErrorCode::Forbidden,
                field: None,
                message: format!(
                    "the role {} may not do this (it needs {})",
                    self.user.role,
                    permission.as_str()
                ),
            })
        }
    }

    /// The staff member as the application layer knows them.
    pub const fn actor(&self) -> Actor {
        Actor::new(self.municipality_id(), self.user_id())
    }

    /// Writes `action` on the staff member's own address to the audit log, as
    /// the session, password and second-factor changes are logged.
    pub async fn audit_self(&self, store: &Store, action: AuditAction) -> Result<(), ApiError> {
        self.audit(store, action, self.user.email.as_str()).await
    }

    /// Writes `action` on `target` to the audit log as this staff member.
    pub async fn audit(
        &self,
        store: &Store,
        action: AuditAction,
        target: &str,
    ) -> Result<(), ApiError> {
        store
            .audit(self.municipality_id(), Some(self.user_id()), action, target)
            .await?;
        Ok(())
    }
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let staff = authenticate(&req).await?;
            if staff.user.must_change_password {
                return Err(ApiError::Client {
                    status: StatusCode::FORBIDDEN,
                    code: ErrorCode::PasswordChangeRequired,
                    field: None,
                    message: "choose a new password before going on".to_owned(),
                });
            }
            Ok(staff)
        })
    }
}

/// A signed-in staff member who may still have to replace a one-time
/// password: only the session endpoints take this.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Staff);

impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await.map(SignedIn) })
    }
}

fn unauthenticated(message: &str) -> ApiError {
    ApiError::client(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
        message,
    )
}

async fn authenticate(req: &HttpRequest) -> Result<Staff, ApiError> {
    let (Some(store), Some(settings)) = (
        req.app_data::<web::Data<Store>>(),
        req.app_data::<web::Data<AuthSettings>>(),
    ) else {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "the store or the auth settings are not registered"
        )));
    };
    let Some(cookie) = req.cookie(cookie_name(settings)) else {
        return Err(unauthenticated("sign in first"));
    };
    let Some(session) = store.staff_session(&token_hash(cookie.value())).await? else {
        return Err(unauthenticated("your session has ended; sign in again"));
    };
    // Whatever is refused from here on is refused to this account, so the
    // audit middleware can name it.
    req.extensions_mut().insert(AuditSubject {
        municipality: session.user.municipality_id,
        user: session.user.id,
    });
    let now = OffsetDateTime::now_utc();
    if !is_live(&session, settings, now) {
        store.delete_staff_session(session.id).await?;
        return Err(unauthenticated("your session has ended; sign in again"));
    }
    if !is_safe(req.method()) {
        check_origin(req)?;
        let sent = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
            return Err(csrf_error(
                "send the session's CSRF token in the X-CSRF-Token header",
            ));
        }
    }
    if now - session.last_seen_at > TOUCH_EVERY {
        store.touch_staff_session(session.id, now).await?;
    }
    Ok(Staff {
        user: session.user,
        session: session.id,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    })
}

/// Whether a stored session may still be used at `now`.
fn is_live(session: &StaffSession, settings: &AuthSettings, now: OffsetDateTime) -> bool {
    !session.user.disabled && now < session.expires_at && now < idle_end(session, settings)
}

fn idle_end(session: &StaffSession, settings: &AuthSettings) -> OffsetDateTime {
    session.last_seen_at + idle_timeout(settings)
}

/// The idle timeout from the settings.
pub fn idle_timeout(settings: &AuthSettings) -> Duration {
    Duration::from_secs(u64::from(settings.idle_timeout_minutes) * 60)
}

/// The absolute timeout from the settings.
pub fn absolute_timeout(settings: &AuthSettings) -> Duration {
    Duration::from_secs(u64::from(settings.absolute_timeout_hours) * 3600)
}

const fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub(crate) fn csrf_error(message: &str) -> ApiError {
    ApiError::client(StatusCode::FORBIDDEN, ErrorCode::Csrf, message)
}

/// 403 `csrf` when the browser says the request comes from another site: an
/// `Origin` whose host is not this server's, or `Sec-Fetch-Site: cross-site`.
pub(crate) fn check_origin(req: &HttpRequest) -> Result<(), ApiError> {
    let foreign = || csrf_error("requests from other sites are not accepted");
    if req
        .headers()
        .get("Sec-Fetch-Site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site.eq_ignore_ascii_case("cross-site"))
    {
        return Err(foreign());
    }
    let Some(origin) = req.headers().get("Origin") else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or_default();
    let info = req.connection_info();
    // A proxy may end TLS, so the scheme is not compared; the host and port are.
    let host = origin.split_once("://").map(|(_, rest)| rest);
    if host.is_some_and(|h| h.eq_ignore_ascii_case(info.host())) {
        Ok(())
    } else {
        Err(foreign())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Stores a new account that must replace the returned one-time password at
/// first sign-in; the users page and `trygg user add` both use it.
pub async fn create_account(
    store: &Store,
    municipality_id: MunicipalityId,
    email: Email,
    role: Role,
) -> Result<(StaffUser, String), ApiError> {
    trygg_lagesbild::accounts::create_account(store, municipality_id, email, role)
        .await
        .map_err(|e| match e {
            trygg_lagesbild::accounts::AccountError::Store(e) => e.into(),
            trygg_lagesbild::accounts::AccountError::Hash(e) => ApiError::Unexpected(e),
        })
}

/// SHA-256 of a session id, hex: what the database keeps instead of the id.
pub fn token_hash(token: &str) -> String {
    password::hex(&Sha256::digest(token.as_bytes()))
}

/// The session cookie: HttpOnly, SameSite=Strict, Path=/, no Domain, Secure
/// (and named with the `__Host-` prefix) when configured, Secure too when the
/// request came over HTTPS. Without an expiry it ends
/// when the browser closes; the server ends it sooner by its timeouts.
pub(crate) fn session_cookie(
    req: &HttpRequest,
    settings: &AuthSettings,
    token: &str,
) -> Cookie<'static> {
    Cookie::build(cookie_name(settings), token.to_owned())
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(settings.secure_cookie || req.connection_info().scheme() == "https")
        .finish()
}

/// A cookie that makes the browser forget the session.
pub(crate) fn removal_cookie(req: &HttpRequest, settings: &AuthSettings) -> Cookie<'static> {
    let mut cookie = session_cookie(req, settings, "");
    cookie.make_removal();
    cookie
}

/// Who a refused staff request came from, once its session was found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuditSubject {
    municipality: MunicipalityId,
    user: StaffUserId,
}

/// Middleware of the staff API: `Cache-Control: no-store` on every answer, so
/// no browser or proxy keeps a copy of staff data, and an audit event for
/// every 403 and 429 to a signed-in account (`request_refused`, naming the
/// status, the error code and the route; never an address or user agent).
pub async fn staff_answers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let status = res.status();
    if status == StatusCode::FORBIDDEN || status == StatusCode::TOO_MANY_REQUESTS {
        let subject = res.request().extensions().get::<AuditSubject>().copied();
        let store = res.request().app_data::<web::Data<Store>>().cloned();
        if let (Some(subject), Some(store)) = (subject, store) {
            let code = res
                .response()
                .error()
                .and_then(|e| e.as_error::<ApiError>())
                .map_or("refused", |e| match e {
                    ApiError::Client { code, .. } => code.as_str(),
                    _ => "refused",
                });
            let route = res
                .request()
                .match_pattern()
                .unwrap_or_else(|| "(unknown route)".to_owned());
            let target = format!(
                "{} {code}: {} {route}",
                status.as_u16(),
                res.request().method()
            );
            if let Err(e) = store
                .audit(
                    subject.municipality,
                    Some(subject.user),
                    AuditAction::RequestRefused,
                    &target,
                )
                .await
            {
                tracing::warn!(error = %e, "cannot audit a refused staff request");
            }
        }
    }
    Ok(res)
}
