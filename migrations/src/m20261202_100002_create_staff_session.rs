//! Server-side staff sessions. Only a SHA-256 hash of the session id is kept,
//! so a copy of the database cannot be used to sign in; a session ends when its
//! row is deleted (sign-out, a disabled account) or its idle or absolute
//! timeout passes.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_unique_index, drop_tables, id_table};

migration! {
    up(manager) {
        id_table("staff_session")
            .col(string("token_hash"))
            .references(uuid("user_id"), "staff_user")
            .col(string("csrf_token"))
            .columns(
                timestamp_with_time_zone,
                ["created_at", "last_seen_at", "expires_at"],
            )
            .create(manager)
            .await?;
        create_unique_index(manager, "staff_session", &["token_hash"]).await
    }
    down(manager) {
        drop_tables(manager, ["staff_session"]).await
    }
}
