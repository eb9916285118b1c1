//! What can go wrong in the store.

/// A store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or refused the operation.
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A unique rule would be broken, e.g. a survey slug already in use.
    #[error("{field}: {message}")]
    Conflict {
        /// The field whose value is taken.
        field: String,
        /// What is taken.
        message: String,
    },
    /// Something stored no longer parses into a domain value; a bug or a hand edit.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        Self::Corrupt(what.to_string())
    }
}
