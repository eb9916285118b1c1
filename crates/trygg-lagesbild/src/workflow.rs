//! What the staff and intake workflows have in common: who acts ([`Actor`],
//! whose municipality bounds every read and write, and who is named in the
//! audit log), why a workflow did not go through ([`WorkflowError`]), finding
//! the actor's own row by the id a request names ([`find_own`]), and the one
//! JSON body parser ([`parse_body`]).

use std::future::Future;

use trygg_domain::ErrorCode;
use trygg_domain::{AuditAction, DomainError, MunicipalityId, StaffUserId};
use trygg_store::{Store, StoreError};

/// A signed-in staff member: their municipality and their account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    municipality: MunicipalityId,
    user: StaffUserId,
}

impl Actor {
    /// `user` of `municipality`.
    pub const fn new(municipality: MunicipalityId, user: StaffUserId) -> Self {
        Self { municipality, user }
    }

    /// The municipality every row read or written belongs to.
    pub const fn municipality(&self) -> MunicipalityId {
        self.municipality
    }

    /// The account that acts.
    pub const fn user(&self) -> StaffUserId {
        self.user
    }

    /// Writes `action` on `target` to the municipality's audit log, naming the account.
    ///
    /// # Errors
    /// The store's.
    pub async fn audit(
        &self,
        store: &Store,
        action: AuditAction,
        target: &str,
    ) -> Result<(), StoreError> {
        store
            .audit(self.municipality, Some(self.user), action, target)
            .await
    }
}

/// Why a workflow did not go through. The HTTP edge answers 422, 404, 409 and
/// 503 for them; the CLI prints the message.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// The input breaks a rule; its code and field say which.
    #[error("{}", .0.message)]
    Invalid(#[from] DomainError),
    /// No such row in the actor's municipality.
    #[error("{0}")]
    NotFound(String),
    /// The row's state does not allow the change.
    #[error("{message}")]
    Conflict {
        /// The field whose state is at fault, e.g. `status`.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something on our side failed (randomness, writing a file in memory).
    #[error("{0}")]
    Internal(String),
}

impl WorkflowError {
    /// A broken rule at `field`.
    pub fn invalid(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(DomainError::new(code, field, message))
    }
}

/// The row of the actor's municipality that the id `raw` names, which `lookup`
/// finds by its UUID.
///
/// # Errors
/// [`WorkflowError::NotFound`], naming `what`, for an id that is not a UUID or
/// finds no row; the store's.
pub async fn find_own<T, F>(
    raw: &str,
    what: &str,
    lookup: impl FnOnce(uuid::Uuid) -> F,
) -> Result<T, WorkflowError>
where
    F: Future<Output = Result<Option<T>, StoreError>>,
{
    let missing = || WorkflowError::NotFound(format!("there is no {what} `{raw}`"));
    let id = uuid::Uuid::parse_str(raw).map_err(|_| missing())?;
    lookup(id).await?.ok_or_else(missing)
}

/// Parses a JSON body into a domain input, naming the field at fault
/// (422 `invalid_body`).
///
/// # Errors
/// A body that is not an object, or does not fit `T`.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    body: &serde_json::Value,
) -> Result<T, WorkflowError> {
    if !body.is_object() {
        return Err(WorkflowError::invalid(
            ErrorCode::InvalidBody,
            "",
            "the body must be a JSON object",
        ));
    }
    serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        WorkflowError::invalid(ErrorCode::InvalidBody, field, e.into_inner().to_string())
    })
}
