//! The one error shape of the API: `{"error", "field", "message"}` for every 4xx;
//! 5xx bodies are opaque and the cause is logged.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use trygg_domain::DomainError;
use trygg_domain::ErrorCode;
use trygg_lagesbild::workflow::WorkflowError;
use trygg_store::StoreError;

/// An error answered over HTTP.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The client's request is at fault.
    #[error("{message}")]
    Client {
        /// HTTP status, always 4xx.
        status: StatusCode,
        /// What went wrong.
        code: ErrorCode,
        /// Field path, if one field is at fault.
        field: Option<String>,
        /// English sentence.
        message: String,
    },
    /// The survey closed on this day.
    #[error("the survey closed on {closes_on}")]
    Closed {
        /// Its last open day.
        closes_on: time::Date,
    },
    /// The client sent more than its share; it may retry after a while.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// The database is down; the client may retry.
    #[error("the database is unavailable")]
    Unavailable(#[source] StoreError),
    /// The database did not answer within the request's deadline; the client may retry.
    #[error("the database did not answer in time")]
    TimedOut,
    /// Anything else; logged, never shown.
    #[error("unexpected error")]
    Unexpected(#[source] anyhow::Error),
}

/// The JSON body of every 4xx.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody<'a> {
    /// snake_case code, e.g. `unknown_option`.
    pub error: ErrorCode,
    /// Path of the field at fault, e.g. `answers.gender` or `pins[2].location`, or null.
    pub field: Option<&'a str>,
    /// English sentence.
    pub message: &'a str,
    /// For a closed survey (410): its last open day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_on: Option<String>,
}

impl ApiError {
    /// A 4xx with no particular field.
    pub fn client(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Client {
            status,
            code,
            field: None,
            message: message.into(),
        }
    }

    /// 404 for something that does not exist.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::client(StatusCode::NOT_FOUND, ErrorCode::NotFound, what)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: e.code,
            field: (!e.field.is_empty()).then_some(e.field),
            message: e.message,
        }
    }
}

impl From<WorkflowError> for ApiError {
    fn from(e: WorkflowError) -> Self {
        match e {
            WorkflowError::Invalid(e) => e.into(),
            WorkflowError::NotFound(what) => Self::not_found(what),
            WorkflowError::Conflict { field, message } => Self::Client {
                status: StatusCode::CONFLICT,
                code: ErrorCode::Conflict,
                field: Some(field.to_owned()),
                message,
            },
            WorkflowError::Store(e) => e.into(),
            WorkflowError::Internal(cause) => Self::Unexpected(anyhow::anyhow!(cause)),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { field, message } => Self::Client {
                status: StatusCode::CONFLICT,
                code: ErrorCode::Conflict,
                field: Some(field),
                message,
            },
            StoreError::Database(_) => Self::Unavailable(e),
            StoreError::Corrupt(_) => Self::Unexpected(e.into()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Client { status, .. } => *status,
            Self::Closed { .. } => StatusCode::GONE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) | Self::TimedOut => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Client {
                status,
                code,
                field,
                message,
            } => HttpResponse::build(*status).json(ErrorBody {
                error: *code,
                field: field.as_deref(),
                message,
                closes_on: None,
            }),
            Self::Closed { closes_on } => HttpResponse::Gone().json(ErrorBody {
                error: ErrorCode::SurveyClosed,
                field: None,
                message: &format!("the survey closed on {closes_on}"),
                closes_on: Some(closes_on.to_string()),
            }),
            Self::TooManyRequests { retry_after_secs } => HttpResponse::TooManyRequests()
                .insert_header(("Retry-After", retry_after_secs.to_string()))
                .json(ErrorBody {
                    error: ErrorCode::TooManyRequests,
                    field: None,
                    message: &format!(
                        "too many responses from this connection; try again in {retry_after_secs} s"
                    ),
                    closes_on: None,
                }),
            Self::Unavailable(_) | Self::TimedOut => {
                if let Self::Unavailable(cause) = self {
                    tracing::warn!(error = %cause, "database unavailable");
                } else {
                    tracing::warn!("database did not answer within the request deadline");
                }
                HttpResponse::ServiceUnavailable()
                    .insert_header(("Retry-After", "5"))
                    .json(ErrorBody {
                        error: ErrorCode::Unavailable,
                        field: None,
                        message: "the service is temporarily unavailable, try again shortly",
                        closes_on: None,
                    })
            }
            Self::Unexpected(cause) => {
                tracing::error!(error = ?cause, "unexpected error");
                HttpResponse::InternalServerError().json(ErrorBody {
                    error: ErrorCode::Internal,
                    field: None,
                    message: "something went wrong on our side",
                    closes_on: None,
                })
            }
        }
    }
}
