//! Staff accounts: one per person and municipality, with an argon2 password
//! hash (PHC string), a role, a disabled flag and an optional TOTP secret.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_index, create_unique_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("staff_user")
            .columns(string, ["email", "password_hash", "role"])
            .col(boolean("disabled").default(false))
            .col(boolean("must_change_password").default(false))
            .col(string_null("totp_secret"))
            .col(timestamp_with_time_zone("created_at"))
            .create(manager)
            .await?;
        // One account per address and municipality; the address is stored lower-cased.
        create_unique_index(manager, "staff_user", &["municipality_id", "email"]).await?;
        // Sign-in finds accounts by address alone when no municipality is given.
        create_index(manager, "staff_user", &["email"]).await
    }
    down(manager) {
        drop_tables(manager, ["staff_user"]).await
    }
}
