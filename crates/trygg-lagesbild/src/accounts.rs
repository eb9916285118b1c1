//! New staff accounts: stored with the hash of a one-time password that the person
//! must replace at first sign-in. The users page and `trygg user add` both call
//! [`create_account`].

use trygg_domain::{Email, MunicipalityId, Role, StaffUser, StaffUserId};
use trygg_store::{Store, StoreError};

use crate::password;

/// Why an account cannot be created.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The store failed, or the address is taken.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The password could not be hashed.
    #[error(transparent)]
    Hash(anyhow::Error),
}

/// Stores a new account in `municipality_id`; the account and its one-time password.
///
/// # Errors
/// [`AccountError::Store`] for a taken address or a store failure.
pub async fn create_account(
    store: &Store,
    municipality_id: MunicipalityId,
    email: Email,
    role: Role,
) -> Result<(StaffUser, String), AccountError> {
    let one_time = password::one_time_password();
    let hash = password::hash_blocking(one_time.clone())
        .await
        .map_err(AccountError::Hash)?;
    let user = StaffUser {
        id: StaffUserId::new(),
        municipality_id,
        email,
        role,
        disabled: false,
        must_change_password: true,
        totp_enabled: false,
    };
    store.insert_staff_user(&user, &hash).await?;
    Ok((user, one_time))
}
