//! Invitation codes for a postal sample: single-use, per survey, with the area the
//! letter went to so response rates can be counted per area. A code is only
//! marked used; nothing links it to the response it opened, since the print shop's
//! address list links codes to people.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{create_unique_index, drop_tables, survey_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                survey_table("invitation")
                    .col(string("code"))
                    .col(string_null("area_code"))
                    .col(boolean("used").default(false))
                    .to_owned(),
            )
            .await?;
        create_unique_index(manager, "invitation", &["survey_id", "code"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, ["invitation"]).await
    }
}
