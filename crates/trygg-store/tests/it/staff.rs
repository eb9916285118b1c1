//! Staff accounts, sessions and the audit log against a real database.

use time::OffsetDateTime;
use trygg_domain::AuditAction;
use trygg_domain::{Email, Municipality, Role, StaffUser, StaffUserId};
use trygg_store::testing::TestDatabase;
use trygg_store::{NewSession, Store, StoreError};
use uuid::Uuid;

fn account(m: &Municipality, email: &str, role: Role) -> StaffUser {
    StaffUser {
        id: StaffUserId::new(),
        municipality_id: m.id,
        email: Email::parse(email, "email").unwrap(),
        role,
        disabled: false,
        must_change_password: true,
        totp_enabled: false,
    }
}

async fn two_municipalities(db: &TestDatabase) -> (Store, Municipality, Municipality) {
    let store = db.migrated().await.unwrap();
    let a = Municipality::parse("hemkommun", "Hemkommun", false).unwrap();
    let b = Municipality::parse("grannkommun", "Grannkommun", false).unwrap();
    store.insert_municipality(&a).await.unwrap();
    store.insert_municipality(&b).await.unwrap();
    (store, a, b)
}

/// Two municipalities, and in the first Anna's account of `role`, whose
/// password hash is `$argon2id$hash`.
async fn with_anna(
    db: &TestDatabase,
    role: Role,
) -> (Store, Municipality, Municipality, StaffUser) {
    let (store, a, b) = two_municipalities(db).await;
    let anna = account(&a, "anna@kommun.example.se", role);
    store
        .insert_staff_user(&anna, "$argon2id$hash")
        .await
        .unwrap();
    (store, a, b, anna)
}

fn session(user: StaffUserId, token: &str, now: OffsetDateTime) -> NewSession {
    NewSession {
        token_hash: token.to_owned(),
        user_id: user,
        csrf_token: format!("csrf-{token}"),
        now,
        expires_at: now + time::Duration::hours(12),
    }
}

/// Signs `user` in with `token` at `now`; the session's id.
async fn sign_in(store: &Store, user: StaffUserId, token: &str, now: OffsetDateTime) -> Uuid {
    store
        .insert_staff_session(&session(user, token, now))
        .await
        .unwrap()
}

#[tokio::test]
async fn accounts_read_back_as_written_and_an_address_is_unique_only_within_a_municipality() {
    let db = TestDatabase::create().await.unwrap();
    let (store, a, b, anna) = with_anna(&db, Role::Partner).await;
    assert_eq!(store.staff_users(a.id).await.unwrap(), vec![anna.clone()]);
    assert_eq!(
        store.staff_user(a.id, anna.id).await.unwrap(),
        Some(anna.clone())
    );
    // Another municipality's account is not there for this one.
    assert_eq!(store.staff_user(b.id, anna.id).await.unwrap(), None);

    let twin = account(&a, "anna@kommun.example.se", Role::Viewer);
    let taken = store.insert_staff_user(&twin, "$argon2id$other").await;
    assert!(matches!(taken, Err(StoreError::Conflict { ref field, .. }) if field == "email"));
    let elsewhere = account(&b, "anna@kommun.example.se", Role::Viewer);
    store
        .insert_staff_user(&elsewhere, "$argon2id$other")
        .await
        .unwrap();
    let both = store.staff_credentials(&anna.email, None).await.unwrap();
    assert_eq!(both.len(), 2);
    let one = store
        .staff_credentials(&anna.email, Some(b.id))
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].password_hash, "$argon2id$other");
    assert!(
        !format!("{:?}", one[0]).contains("argon2id"),
        "Debug shows the hash"
    );
    super::finish(store, db).await;
}

#[tokio::test]
async fn disabling_an_account_or_changing_its_password_ends_its_other_sessions() {
    let db = TestDatabase::create().await.unwrap();
    let (store, a, b, anna) = with_anna(&db, Role::Admin).await;
    let now = OffsetDateTime::now_utc();
    let first = sign_in(&store, anna.id, "t1", now).await;
    sign_in(&store, anna.id, "t2", now).await;
    let read = store.staff_session("t1").await.unwrap().unwrap();
    assert_eq!(read.user.id, anna.id);
    assert_eq!(read.csrf_token, "csrf-t1");

    store
        .set_staff_password(anna.id, "$argon2id$new", Some(first))
        .await
        .unwrap();
    assert!(store.staff_session("t1").await.unwrap().is_some());
    assert!(store.staff_session("t2").await.unwrap().is_none());
    let creds = store
        .staff_credentials_by_id(anna.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(creds.password_hash, "$argon2id$new");
    assert!(!creds.user.must_change_password);

    // A reset by her own municipality ends every session and the second factor.
    store
        .set_staff_totp(anna.id, Some("JBSWY3DPEHPK3PXP"))
        .await
        .unwrap();
    assert!(
        !store
            .reset_staff_password(b.id, anna.id, "$argon2id$x")
            .await
            .unwrap()
    );
    assert!(store.staff_session("t1").await.unwrap().is_some());
    assert!(
        store
            .reset_staff_password(a.id, anna.id, "$argon2id$reset")
            .await
            .unwrap()
    );
    assert!(store.staff_session("t1").await.unwrap().is_none());
    let reset = store
        .staff_credentials_by_id(anna.id)
        .await
        .unwrap()
        .unwrap();
    assert!(reset.user.must_change_password && !reset.user.totp_enabled);
    // A new sign-in, for the disabling below to end.
    sign_in(&store, anna.id, "t1", now).await;
    // Another municipality cannot disable her; her own can, and her sessions end.
    assert!(!store.set_staff_disabled(b.id, anna.id, true).await.unwrap());
    assert!(store.staff_session("t1").await.unwrap().is_some());
    assert!(store.set_staff_disabled(a.id, anna.id, true).await.unwrap());
    assert!(store.staff_session("t1").await.unwrap().is_none());
    super::finish(store, db).await;
}

#[tokio::test]
async fn stale_sessions_are_deleted_and_live_ones_kept() {
    let db = TestDatabase::create().await.unwrap();
    let (store, _, _, anna) = with_anna(&db, Role::Admin).await;
    let now = OffsetDateTime::now_utc();
    let idle = sign_in(&store, anna.id, "idle", now - time::Duration::hours(1)).await;
    sign_in(&store, anna.id, "live", now).await;
    let mut expired = session(anna.id, "expired", now);
    expired.expires_at = now - time::Duration::minutes(1);
    store.insert_staff_session(&expired).await.unwrap();
    store
        .touch_staff_session(idle, now - time::Duration::minutes(45))
        .await
        .unwrap();

    let deleted = store
        .delete_stale_staff_sessions(now, now - time::Duration::minutes(30))
        .await
        .unwrap();
    assert_eq!(deleted, 2);
    assert!(store.staff_session("live").await.unwrap().is_some());
    assert!(store.staff_session("idle").await.unwrap().is_none());
    super::finish(store, db).await;
}

#[tokio::test]
async fn the_audit_log_names_the_actor_newest_first_and_only_for_its_municipality() {
    let db = TestDatabase::create().await.unwrap();
    let (store, a, b, anna) = with_anna(&db, Role::Admin).await;
    for (m, user, action, target) in [
        (
            a.id,
            None,
            AuditAction::UserAdded,
            "anna@kommun.example.se (admin)",
        ),
        (
            a.id,
            Some(anna.id),
            AuditAction::Login,
            "anna@kommun.example.se",
        ),
        (
            b.id,
            None,
            AuditAction::UserAdded,
            "bo@grannkommun.example.se (viewer)",
        ),
    ] {
        store.audit(m, user, action, target).await.unwrap();
    }
    let events = store.audit_events(a.id, 10).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].action, "login");
    assert_eq!(events[0].actor, "anna@kommun.example.se");
    assert_eq!(events[0].user_id, Some(anna.id));
    assert_eq!(events[1].actor, trygg_store::CLI_ACTOR);
    assert_eq!(store.audit_events(a.id, 1).await.unwrap().len(), 1);
    super::finish(store, db).await;
}
