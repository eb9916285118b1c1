//! Places a respondent described in words instead of pinning, kept apart from
//! pins because they have no coordinates until an analyst locates them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_index, drop_tables, survey_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                survey_table("described_place")
                    .references(uuid("response_id"), "response")
                    .col(text("description"))
                    .columns(string, ["category", "time_of_day"])
                    .col(text_null("comment"))
                    .to_owned(),
            )
            .await?;
        create_index(manager, "described_place", &["survey_id"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, ["described_place"]).await
    }
}
