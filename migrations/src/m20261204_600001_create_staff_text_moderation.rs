//! Moderation of the texts staff write for the public: a promise's progress
//! texts and a safety-walk finding's notes. A text without a row here is shown
//! as written unless it looks like personal data, in which case it waits for a
//! moderator, as a resident's comment does. The row's id is the id of the
//! progress entry or finding.

use sea_orm_migration::prelude::*;

use crate::common::{TableExt, create_index, drop_tables, tenant_table};

migration! {
    up(manager) {
        tenant_table("staff_text_moderation")
            .moderation_decision()
            .create(manager)
            .await?;
        create_index(manager, "staff_text_moderation", &["municipality_id"]).await
    }
    down(manager) {
        drop_tables(manager, ["staff_text_moderation"]).await
    }
}
