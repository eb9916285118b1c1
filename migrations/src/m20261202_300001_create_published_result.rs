//! Survey rounds whose results an analyst has published on the public results page
//! `/r/{slug}`. A row means "published"; deleting it withdraws the page.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, per_survey_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                per_survey_table("published_result")
                    .col(date("published_on"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, ["published_result"]).await
    }
}
