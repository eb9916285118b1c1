//! The checks behind signing in and behind changes that need the current
//! password: the one refusal for every wrong address, password or disabled
//! account (after the same work), the TOTP code that counts once, the new
//! server-side session, and the throttled re-authentication. Each failure is
//! audited where an account is known.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use time::OffsetDateTime;
use trygg_domain::ErrorCode;
use trygg_domain::{AuditAction, Email, MunicipalityId, StaffUser, StaffUserId, plain_fields};
use trygg_store::{NewSession, StaffCredentials, Store};

use super::limiter::{LoginLimiter, Verdict};
use super::{Staff, absolute_timeout, cookie_name, password, token_hash, totp};
use crate::config::AuthSettings;
use crate::error::ApiError;

/// What a sign-in presents.
pub struct Credentials<'a> {
    /// The address as typed.
    pub email: &'a Email,
    /// The password as typed.
    pub password: &'a str,
    /// The municipality's slug, for an address with accounts in several.
    pub municipality: Option<&'a str>,
}

fn invalid_credentials() -> ApiError {
    ApiError::client(
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
        "the e-mail address or the password is wrong",
    )
}

/// Audits `action` on `target` for every account with the typed address, when
/// it is one; an address without accounts has no audit log to write to.
pub async fn audit_address(
    store: &Store,
    typed: &str,
    action: AuditAction,
    target: &str,
) -> Result<(), ApiError> {
    let Ok(email) = Email::parse(typed, "email") else {
        return Ok(());
    };
    for account in store.staff_credentials(&email, None).await? {
        store
            .audit(
                account.user.municipality_id,
                Some(account.user.id),
                action,
                target,
            )
            .await?;
    }
    Ok(())
}

/// The accounts the credentials may name: the address's in the named
/// municipality, or in every municipality.
async fn candidates(
    store: &Store,
    credentials: &Credentials<'_>,
) -> Result<Vec<StaffCredentials>, ApiError> {
    let slug = credentials
        .municipality
        .map(str::trim)
        .filter(|s| !s.is_empty());
    Ok(match slug {
        Some(slug) => match store.municipality_by_slug(slug).await? {
            Some(m) => {
                store
                    .staff_credentials(credentials.email, Some(m.id))
                    .await?
            }
            None => Vec::new(),
        },
        None => store.staff_credentials(credentials.email, None).await?,
    })
}

/// The one account whose password matches, or the one refusal for every
/// other case. Every candidate is verified, and an address without accounts
/// is verified against a dummy hash, so the time taken does not tell them apart.
pub async fn check_password(
    store: &Store,
    credentials: &Credentials<'_>,
) -> Result<StaffCredentials, ApiError> {
    let candidates = candidates(store, credentials).await?;
    let password = credentials.password;
    let too_long = password.chars().count() > trygg_domain::MAX_PASSWORD_CHARS;
    if candidates.is_empty() || too_long {
        if !too_long {
            password::verify_blocking(password.to_owned(), None).await;
        }
        return Err(invalid_credentials());
    }
    let mut matched = Vec::new();
    for candidate in &candidates {
        let hash = Some(candidate.password_hash.clone());
        if password::verify_blocking(password.to_owned(), hash).await {
            matched.push(candidate.clone());
        }
    }
    match matched.as_slice() {
        [] => {
            for c in &candidates {
                audit_failure(store, c.user.municipality_id, c.user.id, "password").await?;
            }
            Err(invalid_credentials())
        }
        [account] if account.user.disabled => {
            let user = &account.user;
            audit_failure(store, user.municipality_id, user.id, "password").await?;
            Err(invalid_credentials())
        }
        [account] => Ok(account.clone()),
        _ => Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::MunicipalityRequired,
            field: Some("municipality".to_owned()),
            message: "this address has accounts in several municipalities; choose one".to_owned(),
        }),
    }
}

async fn audit_failure(
    store: &Store,
    municipality: MunicipalityId,
    user: StaffUserId,
    what: &str,
) -> Result<(), ApiError> {
    store
        .audit(municipality, Some(user), AuditAction::LoginFailed, what)
        .await?;
    Ok(())
}

/// For an account with a second factor, the code from its app: 401
/// `totp_required` without one, 401 `invalid_totp` for a wrong one. A code
/// counts only once: a code of a step already used, or of an earlier one, is
/// refused like a wrong code.
pub async fn check_totp(
    store: &Store,
    account: &StaffCredentials,
    code: Option<&str>,
) -> Result<(), ApiError> {
    let Some(secret) = &account.totp_secret else {
        return Ok(());
    };
    let user = &account.user;
    let code = code.map(str::trim).unwrap_or_default();
    if code.is_empty() {
        return Err(ApiError::Client {
            status: StatusCode::UNAUTHORIZED,
            code: ErrorCode::TotpRequired,
            field: Some("totp".to_owned()),
            message: "enter the six-digit code from your authenticator app".to_owned(),
        });
    }
    let fresh = match totp::check(secret, code) {
        Some(step) => store.use_totp_step(user.id, step).await?,
        None => false,
    };
    if !fresh {
        audit_failure(store, user.municipality_id, user.id, "totp").await?;
        return Err(ApiError::Client {
            status: StatusCode::UNAUTHORIZED,
            code: ErrorCode::InvalidTotp,
            field: Some("totp".to_owned()),
            message:
                "the code is wrong, too old or already used; enter the next one your app shows"
                    .to_owned(),
        });
    }
    Ok(())
}

/// A new server-side session: the id for the cookie, the CSRF token and the
/// absolute end.
pub struct NewLogin {
    /// The session id, only ever in the cookie.
    pub token: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The absolute end.
    pub expires_at: OffsetDateTime,
}

/// Starts a session for `user`, audited as `login`. Whatever session the
/// browser had ends: a new id on every sign-in, so an id planted before
/// sign-in is worth nothing after it.
pub async fn start_session(
    req: &HttpRequest,
    store: &Store,
    settings: &AuthSettings,
    user: &StaffUser,
) -> Result<NewLogin, ApiError> {
    if let Some(old) = req.cookie(cookie_name(settings))
        && let Some(session) = store.staff_session(&token_hash(old.value())).await?
    {
        store.delete_staff_session(session.id).await?;
    }
    let token = password::random_token();
    let csrf_token = password::random_token();
    let now = OffsetDateTime::now_utc();
    let expires_at = now + absolute_timeout(settings);
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
            AuditAction::Login,
            user.email.as_str(),
        )
        .await?;
    Ok(NewLogin {
        token,
        csrf_token,
        expires_at,
    })
}

/// Checks a signed-in account's current password before a change that needs
/// it: throttled per account (429 `too_many_attempts`), and each wrong
/// password is audited as `reauthentication_failed` on `purpose` and answered
/// 422 `wrong_password` on `field`.
pub async fn reauthenticate(
    staff: &Staff,
    store: &Store,
    limiter: &LoginLimiter,
    current_password: &str,
    field: &str,
    purpose: &str,
) -> Result<(), ApiError> {
    plain_fields([(field, Some(current_password))])?;
    if let Verdict::Refuse(wait) = limiter.check_reauth(&staff.user_id().to_string()) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return Err(ApiError::client(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::TooManyAttempts,
            format!("too many wrong passwords; wait {minutes} minute(s) and try again"),
        ));
    }
    let Some(account) = store.staff_credentials_by_id(staff.user_id()).await? else {
        return Err(ApiError::client(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "sign in first",
        ));
    };
    let too_long = current_password.chars().count() > trygg_domain::MAX_PASSWORD_CHARS;
    if too_long
        || !password::verify_blocking(current_password.to_owned(), Some(account.password_hash))
            .await
    {
        staff
            .audit(store, AuditAction::ReauthenticationFailed, purpose)
            .await?;
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::WrongPassword,
            field: Some(field.to_owned()),
            message: "the current password is wrong".to_owned(),
        });
    }
    Ok(())
}
