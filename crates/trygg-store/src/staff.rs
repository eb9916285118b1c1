//! Staff accounts, their server-side sessions and the audit log.
//!
//! The store never sees a password or a session id: it keeps the argon2 hash
//! the server made and the SHA-256 hash of the session id. Every read that a
//! staff route makes names the municipality, so one tenant's rows never reach
//! another's staff.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait, UpdateMany,
};
use time::OffsetDateTime;
use trygg_domain::AuditAction;
use trygg_domain::{Email, MunicipalityId, Role, StaffUser, StaffUserId};
use uuid::Uuid;

use crate::entity::{audit_event, staff_session, staff_user};
use crate::rows::ReadAs;
use crate::tenant::Tenant;
use crate::write::conflict;
use crate::{Store, StoreError};

/// What an account change does to the account's sessions.
enum Sessions {
    /// They go on.
    Keep,
    /// They all end.
    End,
    /// All but this one end: the session that made the change.
    EndAllBut(Uuid),
}

/// `update` setting the TOTP secret and the last used time step: both cleared
/// with `None`.
fn set_totp(
    update: UpdateMany<staff_user::Entity>,
    totp: Option<(&str, Option<i64>)>,
) -> UpdateMany<staff_user::Entity> {
    update
        .col_expr(
            staff_user::Column::TotpSecret,
            totp.map(|(secret, _)| secret.to_owned()).into(),
        )
        .col_expr(
            staff_user::Column::TotpLastStep,
            totp.and_then(|(_, step)| step).into(),
        )
}

/// An account with what sign-in checks: the password hash and the TOTP secret.
#[derive(Clone)]
pub struct StaffCredentials {
    /// The account.
    pub user: StaffUser,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// The base32 TOTP secret, when a second factor is enrolled.
    pub totp_secret: Option<String>,
}

impl std::fmt::Debug for StaffCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffCredentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// A session to store at sign-in.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the session id, hex; the id itself lives only in the cookie.
    pub token_hash: String,
    /// Whose session it is.
    pub user_id: StaffUserId,
    /// The token state-changing requests must echo in `X-CSRF-Token`.
    pub csrf_token: String,
    /// Sign-in time.
    pub now: OffsetDateTime,
    /// The absolute end, however active the session is.
    pub expires_at: OffsetDateTime,
}

/// A live session and its account, as read back for a request.
#[derive(Debug, Clone)]
pub struct StaffSession {
    /// The session's row id (not the secret session id).
    pub id: Uuid,
    /// The signed-in account.
    pub user: StaffUser,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// Sign-in time.
    pub created_at: OffsetDateTime,
    /// The last request seen, to within a minute.
    pub last_seen_at: OffsetDateTime,
    /// The absolute end.
    pub expires_at: OffsetDateTime,
}

/// One of an account's sessions, as its owner sees it in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// The session's row id (not the secret session id).
    pub id: Uuid,
    /// Sign-in time.
    pub created_at: OffsetDateTime,
    /// The last request seen, to within a minute.
    pub last_seen_at: OffsetDateTime,
    /// The absolute end.
    pub expires_at: OffsetDateTime,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Its id.
    pub id: Uuid,
    /// When.
    pub at: OffsetDateTime,
    /// Which account acted, or none for the command line.
    pub user_id: Option<StaffUserId>,
    /// The account's e-mail address at the time, or `trygg (CLI)`.
    pub actor: String,
    /// What, as a snake_case verb such as `login` or `user_disabled`.
    pub action: String,
    /// On what, e.g. an account's address or a survey's slug; never resident data.
    pub target: String,
}

/// Who the audit log names for commands run on the server itself.
pub const CLI_ACTOR: &str = "trygg (CLI)";

impl Store {
    /// Stores a new account with its password hash; the address must be free
    /// in the municipality.
    pub async fn insert_staff_user(
        &self,
        user: &StaffUser,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        staff_user::Entity::insert(staff_user::ActiveModel {
            id: Set(user.id.as_uuid()),
            municipality_id: Set(user.municipality_id.as_uuid()),
            email: Set(user.email.as_str().to_owned()),
            password_hash: Set(password_hash.to_owned()),
            role: Set(user.role.as_str().to_owned()),
            disabled: Set(user.disabled),
            must_change_password: Set(user.must_change_password),
            totp_secret: Set(None),
            totp_last_step: Set(None),
            created_at: Set(OffsetDateTime::now_utc()),
            organisation_id: Set(None),
        })
        .exec(&self.db)
        .await
        .map_err(|e| {
            conflict(
                e,
                "email",
                &format!("there is already an account for {}", user.email),
            )
        })?;
        Ok(())
    }

    /// A municipality's accounts, by address.
    pub async fn staff_users(
        &self,
        municipality_id: MunicipalityId,
    ) -> Result<Vec<StaffUser>, StoreError> {
        staff_user::Entity::of(municipality_id)
            .order_by_asc(staff_user::Column::Email)
            .read_all(&self.db, |row| user_from_row(&row))
            .await
    }

    /// One account of a municipality; another municipality's account is `None`.
    pub async fn staff_user(
        &self,
        municipality_id: MunicipalityId,
        id: StaffUserId,
    ) -> Result<Option<StaffUser>, StoreError> {
        staff_user::Entity::one_of(municipality_id, id.as_uuid())
            .read_one(&self.db, |row| user_from_row(&row))
            .await
    }

    /// The accounts with this address, in one municipality or in all.
    pub async fn staff_credentials(
        &self,
        email: &Email,
        municipality_id: Option<MunicipalityId>,
    ) -> Result<Vec<StaffCredentials>, StoreError> {
        let mut query =
            staff_user::Entity::find().filter(staff_user::Column::Email.eq(email.as_str()));
        if let Some(m) = municipality_id {
            query = query.filter(staff_user::Column::MunicipalityId.eq(m.as_uuid()));
        }
        query
            .order_by_asc(staff_user::Column::Id)
            .read_all(&self.db, |row| credentials_from_row(&row))
            .await
    }

    /// One account with its credentials, by id.
    pub async fn staff_credentials_by_id(
        &self,
        id: StaffUserId,
    ) -> Result<Option<StaffCredentials>, StoreError> {
        staff_user::Entity::find_by_id(id.as_uuid())
            .read_one(&self.db, |row| credentials_from_row(&row))
            .await
    }

    /// Disables or enables an account of the municipality; disabling ends all
    /// its sessions in the same transaction. False if there is no such account.
    pub async fn set_staff_disabled(
        &self,
        municipality_id: MunicipalityId,
        id: StaffUserId,
        disabled: bool,
    ) -> Result<bool, StoreError> {
        let update = staff_user::Entity::update_many()
            .col_expr(staff_user::Column::Disabled, disabled.into());
        // Only this municipality's account loses its sessions.
        let sessions = if disabled {
            Sessions::End
        } else {
            Sessions::Keep
        };
        self.update_account(id, Some(municipality_id), update, sessions)
            .await
    }

    /// Gives an account of the municipality another role. False if there is no such account.
    pub async fn set_staff_role(
        &self,
        municipality_id: MunicipalityId,
        id: StaffUserId,
        role: Role,
    ) -> Result<bool, StoreError> {
        let update = staff_user::Entity::update_many()
            .col_expr(staff_user::Column::Role, role.as_str().into());
        self.update_account(id, Some(municipality_id), update, Sessions::Keep)
            .await
    }

    /// Replaces an account's password hash and clears "must change password";
    /// every other session of the account ends, so a stolen session does not
    /// outlive the change.
    pub async fn set_staff_password(
        &self,
        id: StaffUserId,
        password_hash: &str,
        keep_session: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let update = staff_user::Entity::update_many()
            .col_expr(staff_user::Column::PasswordHash, password_hash.into())
            .col_expr(staff_user::Column::MustChangePassword, false.into());
        let sessions = keep_session.map_or(Sessions::End, Sessions::EndAllBut);
        self.update_account(id, None, update, sessions).await?;
        Ok(())
    }

    /// An admin's reset of a forgotten password: a new hash that must be
    /// replaced at the next sign-in, no second factor (the phone may be lost
    /// too) and no sessions. False if the municipality has no such account.
    pub async fn reset_staff_password(
        &self,
        municipality_id: MunicipalityId,
        id: StaffUserId,
        password_hash: &str,
    ) -> Result<bool, StoreError> {
        let update = staff_user::Entity::update_many()
            .col_expr(staff_user::Column::PasswordHash, password_hash.into())
            .col_expr(staff_user::Column::MustChangePassword, true.into());
        let update = set_totp(update, None);
        self.update_account(id, Some(municipality_id), update, Sessions::End)
            .await
    }

    /// Sets or removes an account's TOTP secret.
    pub async fn set_staff_totp(
        &self,
        id: StaffUserId,
        secret: Option<&str>,
    ) -> Result<(), StoreError> {
        let update = set_totp(staff_user::Entity::update_many(), secret.map(|s| (s, None)));
        self.update_account(id, None, update, Sessions::Keep)
            .await?;
        Ok(())
    }

    /// Turns the second factor on with `secret` (confirmed with a code of time
    /// step `step`, which counts as used) or off (`None`), and ends every
    /// session of the account but `keep_session`, in one transaction: whoever
    /// else held a session did not prove the password the change needed.
    pub async fn change_staff_totp(
        &self,
        id: StaffUserId,
        enrolment: Option<(&str, i64)>,
        keep_session: Uuid,
    ) -> Result<(), StoreError> {
        let enrolment = enrolment.map(|(secret, step)| (secret, Some(step)));
        let update = set_totp(staff_user::Entity::update_many(), enrolment);
        self.update_account(id, None, update, Sessions::EndAllBut(keep_session))
            .await?;
        Ok(())
    }

    /// Applies `update` to the account `id` (when `municipality_id` is given,
    /// only if it is that municipality's) and then does to the changed
    /// account's sessions what `sessions` says, in one transaction. True if
    /// the account was changed.
    async fn update_account(
        &self,
        id: StaffUserId,
        municipality_id: Option<MunicipalityId>,
        update: UpdateMany<staff_user::Entity>,
        sessions: Sessions,
    ) -> Result<bool, StoreError> {
        let txn = self.db.begin().await?;
        let mut update = update.filter(staff_user::Column::Id.eq(id.as_uuid()));
        if let Some(m) = municipality_id {
            update = update.filter(staff_user::Column::MunicipalityId.eq(m.as_uuid()));
        }
        let updated = update.exec(&txn).await?.rows_affected == 1;
        let ended = staff_session::Column::UserId.eq(id.as_uuid());
        let ended = match sessions {
            Sessions::Keep => None,
            Sessions::End => Some(Condition::all().add(ended)),
            Sessions::EndAllBut(keep) => Some(
                Condition::all()
                    .add(ended)
                    .add(staff_session::Column::Id.ne(keep)),
            ),
        };
        if let (true, Some(ended)) = (updated, ended) {
            staff_session::Entity::delete_many()
                .filter(ended)
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(updated)
    }

    /// Records that the account used a TOTP code of time step `step`; false,
    /// and nothing changes, when a code of that step or a later one was
    /// already used. One conditional update, so two racing sign-ins with the
    /// same code cannot both pass.
    pub async fn use_totp_step(&self, id: StaffUserId, step: i64) -> Result<bool, StoreError> {
        let updated = staff_user::Entity::update_many()
            .col_expr(staff_user::Column::TotpLastStep, Some(step).into())
            .filter(staff_user::Column::Id.eq(id.as_uuid()))
            .filter(
                Condition::any()
                    .add(staff_user::Column::TotpLastStep.is_null())
                    .add(staff_user::Column::TotpLastStep.lt(step)),
            )
            .exec(&self.db)
            .await?
            .rows_affected;
        Ok(updated == 1)
    }

    /// The account's sessions, newest first (those past their timeouts too,
    /// until housekeeping deletes them).
    pub async fn staff_sessions_of(
        &self,
        user: StaffUserId,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        Ok(staff_session::Entity::find()
            .filter(staff_session::Column::UserId.eq(user.as_uuid()))
            .order_by_desc(staff_session::Column::CreatedAt)
            .order_by_desc(staff_session::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| SessionSummary {
                id: row.id,
                created_at: row.created_at,
                last_seen_at: row.last_seen_at,
                expires_at: row.expires_at,
            })
            .collect())
    }

    /// Ends one of the account's own sessions; false if it has no such session.
    pub async fn delete_staff_session_of(
        &self,
        user: StaffUserId,
        id: Uuid,
    ) -> Result<bool, StoreError> {
        Ok(staff_session::Entity::delete_many()
            .filter(staff_session::Column::Id.eq(id))
            .filter(staff_session::Column::UserId.eq(user.as_uuid()))
            .exec(&self.db)
            .await?
            .rows_affected
            == 1)
    }

    /// Stores a new session and returns its row id.
    pub async fn insert_staff_session(&self, session: &NewSession) -> Result<Uuid, StoreError> {
        let id = Uuid::now_v7();
        staff_session::Entity::insert(staff_session::ActiveModel {
            id: Set(id),
            token_hash: Set(session.token_hash.clone()),
            user_id: Set(session.user_id.as_uuid()),
            csrf_token: Set(session.csrf_token.clone()),
            created_at: Set(session.now),
            last_seen_at: Set(session.now),
            expires_at: Set(session.expires_at),
        })
        .exec(&self.db)
        .await?;
        Ok(id)
    }

    /// The session whose id hashes to `token_hash`, with its account; timeouts
    /// are the caller's to check, as they are settings.
    pub async fn staff_session(
        &self,
        token_hash: &str,
    ) -> Result<Option<StaffSession>, StoreError> {
        let Some(session) = staff_session::Entity::find()
            .filter(staff_session::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(user) = staff_user::Entity::find_by_id(session.user_id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(StaffSession {
            id: session.id,
            user: user_from_row(&user)?,
            csrf_token: session.csrf_token,
            created_at: session.created_at,
            last_seen_at: session.last_seen_at,
            expires_at: session.expires_at,
        }))
    }

    /// Records that a session was used at `now`.
    pub async fn touch_staff_session(
        &self,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        staff_session::Entity::update_many()
            .col_expr(staff_session::Column::LastSeenAt, now.into())
            .filter(staff_session::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Ends one session (sign-out).
    pub async fn delete_staff_session(&self, id: Uuid) -> Result<(), StoreError> {
        staff_session::Entity::delete_by_id(id)
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Deletes sessions past their absolute end or idle since `idle_before`;
    /// returns how many.
    pub async fn delete_stale_staff_sessions(
        &self,
        now: OffsetDateTime,
        idle_before: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        Ok(staff_session::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(staff_session::Column::ExpiresAt.lte(now))
                    .add(staff_session::Column::LastSeenAt.lt(idle_before)),
            )
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    /// Writes one line to the municipality's audit log: `user` did `action` on
    /// `target` (an account's address, a survey's slug; never resident data).
    /// `user` is `None` for commands run with the CLI.
    pub async fn audit(
        &self,
        municipality_id: MunicipalityId,
        user: Option<StaffUserId>,
        action: AuditAction,
        target: &str,
    ) -> Result<(), StoreError> {
        let actor = match user {
            Some(id) => staff_user::Entity::find_by_id(id.as_uuid())
                .one(&self.db)
                .await?
                .map_or_else(|| id.to_string(), |row| row.email),
            None => CLI_ACTOR.to_owned(),
        };
        audit_event::Entity::insert(audit_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            municipality_id: Set(municipality_id.as_uuid()),
            user_id: Set(user.map(|u| u.as_uuid())),
            actor: Set(actor),
            action: Set(action.as_str().to_owned()),
            target: Set(target.to_owned()),
            at: Set(OffsetDateTime::now_utc()),
        })
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// The municipality's latest audit events, newest first, at most `limit`.
    pub async fn audit_events(
        &self,
        municipality_id: MunicipalityId,
        limit: u64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        Ok(audit_event::Entity::of(municipality_id)
            // Ids are UUIDv7, so they break ties between events in the same instant.
            .order_by_desc(audit_event::Column::At)
            .order_by_desc(audit_event::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| AuditEvent {
                id: row.id,
                at: row.at,
                user_id: row.user_id.map(StaffUserId::from_uuid),
                actor: row.actor,
                action: row.action,
                target: row.target,
            })
            .collect())
    }
}

fn user_from_row(row: &staff_user::Model) -> Result<StaffUser, StoreError> {
    Ok(StaffUser {
        id: StaffUserId::from_uuid(row.id),
        municipality_id: MunicipalityId::from_uuid(row.municipality_id),
        email: Email::parse(&row.email, "email").map_err(StoreError::corrupt)?,
        role: Role::parse(&row.role, "role").map_err(StoreError::corrupt)?,
        disabled: row.disabled,
        must_change_password: row.must_change_password,
        totp_enabled: row.totp_secret.is_some(),
    })
}

fn credentials_from_row(row: &staff_user::Model) -> Result<StaffCredentials, StoreError> {
    Ok(StaffCredentials {
        user: user_from_row(row)?,
        password_hash: row.password_hash.clone(),
        totp_secret: row.totp_secret.clone(),
    })
}
