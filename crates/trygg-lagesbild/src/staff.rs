//! Staff accounts of the actor's own municipality: looked up, re-roled,
//! disabled and enabled, each change audited. Accounts are disabled, never
//! deleted, so the audit log keeps naming who did what.

use serde::Deserialize;
use trygg_domain::AuditAction;
use trygg_domain::ErrorCode;
use trygg_domain::{Role, StaffUser, StaffUserId};
use trygg_store::Store;

use crate::workflow::{Actor, WorkflowError, find_own};

/// A change to an account: disable or enable it, or give it another role.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeUserBody {
    /// True to disable (its sessions end at once), false to enable.
    #[serde(default)]
    disabled: Option<bool>,
    /// A new role.
    #[serde(default)]
    role: Option<String>,
}

/// The account `raw` (an id) of the actor's municipality.
///
/// # Errors
/// [`WorkflowError::NotFound`] for any other.
pub async fn own_user(store: &Store, actor: &Actor, raw: &str) -> Result<StaffUser, WorkflowError> {
    find_own(raw, "user", |id| {
        store.staff_user(actor.municipality(), StaffUserId::from_uuid(id))
    })
    .await
}

/// Applies `change` to account `raw`; the account as stored. An admin may
/// not change their own account: locking themselves out would leave the
/// municipality without one.
///
/// # Errors
/// No such account, not a role, or the actor's own account.
pub async fn change_user(
    store: &Store,
    actor: &Actor,
    raw: &str,
    change: ChangeUserBody,
) -> Result<StaffUser, WorkflowError> {
    let user = own_user(store, actor, raw).await?;
    let role = change
        .role
        .as_deref()
        .map(|r| Role::parse(r, "role"))
        .transpose()?;
    if user.id == actor.user() {
        return Err(WorkflowError::invalid(
            ErrorCode::CannotChangeSelf,
            "",
            "ask another admin to disable your account or change its role",
        ));
    }
    if let Some(role) = role
        && role != user.role
    {
        store
            .set_staff_role(actor.municipality(), user.id, role)
            .await?;
        let target = format!("{} ({} → {role})", user.email, user.role);
        actor
            .audit(store, AuditAction::UserRoleChanged, &target)
            .await?;
    }
    if let Some(disabled) = change.disabled
        && disabled != user.disabled
    {
        store
            .set_staff_disabled(actor.municipality(), user.id, disabled)
            .await?;
        let action = if disabled {
            AuditAction::UserDisabled
        } else {
            AuditAction::UserEnabled
        };
        actor.audit(store, action, user.email.as_str()).await?;
    }
    own_user(store, actor, raw).await
}
