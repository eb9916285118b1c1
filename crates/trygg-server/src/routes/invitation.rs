//! Invitation codes at the intake: a survey with codes takes a response only with
//! an unused code in the `Invitation-Code` header, and uses it up; a survey
//! without codes is open to everyone and ignores the header.
//!
//! A retry of a stored response (same `Idempotency-Key`) passes with its code
//! already used, so idempotency holds. Nothing links a code to its response.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use trygg_domain::ErrorCode;
use trygg_domain::{InvitationCode, SurveyId};
use trygg_store::{Consumed, Store};

use crate::error::ApiError;

/// The header a resident's code travels in.
pub const HEADER: &str = "Invitation-Code";

fn refused(status: StatusCode, code: ErrorCode, message: &str) -> ApiError {
    ApiError::Client {
        status,
        code,
        field: Some(HEADER.to_owned()),
        message: message.to_owned(),
    }
}

/// 403 `invitation_required`: the survey is answered only with a code, and the
/// request has none.
pub fn required() -> ApiError {
    refused(
        StatusCode::FORBIDDEN,
        ErrorCode::InvitationRequired,
        "this survey is answered with the code from the invitation letter",
    )
}

/// Whether the request came without an `Invitation-Code` header. Whether its
/// survey takes such a response is asked once per batch by the intake writer
/// (see `writer.rs`), not once per request here.
pub fn without_code(request: &HttpRequest) -> bool {
    request.headers().get(HEADER).is_none()
}

/// Checks and uses up the request's code when `survey` needs one: the code now
/// used, to give back if the response is not stored, or `None`. A request
/// [`without_code`] passes here; the writer refuses it if the survey needs one.
///
/// # Errors
/// 403 `invitation_required` for a header that is not text, 403
/// `invitation_unknown` for a code the survey does not have, 403
/// `invitation_used` for a used one (unless this is a retry of the response
/// stored with it).
pub async fn consume(
    store: &Store,
    survey: SurveyId,
    request: &HttpRequest,
    idempotency_key: &str,
) -> Result<Option<InvitationCode>, ApiError> {
    if without_code(request) || !store.needs_invitation(survey).await? {
        return Ok(None);
    }
    let Some(raw) = request.headers().get(HEADER).and_then(|v| v.to_str().ok()) else {
        return Err(required());
    };
    let unknown = || {
        refused(
            StatusCode::FORBIDDEN,
            ErrorCode::InvitationUnknown,
            "this is not a code of this survey; check it against the letter",
        )
    };
    let code = InvitationCode::parse(raw, HEADER).map_err(|_| unknown())?;
    match store.consume_invitation(survey, &code).await? {
        Consumed::Now => Ok(Some(code)),
        Consumed::Before if store.has_response_with_key(survey, idempotency_key).await? => Ok(None),
        // Not 409: clients retry a 409 as a request still in flight.
        Consumed::Before => Err(refused(
            StatusCode::FORBIDDEN,
            ErrorCode::InvitationUsed,
            "this code has already been used to answer; each letter's code answers once",
        )),
        Consumed::Unknown => Err(unknown()),
    }
}
