//! Moderation of the texts staff write for the public: a promise's progress
//! texts and a safety-walk finding's notes. A text without a row here is shown
//! as written unless it looks like personal data, in which case it waits for a
//! moderator, as a resident's comment does. The row's id is the id of the
//! progress entry or finding.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{create_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffTextModeration {
    Table,
    MunicipalityId,
    Source,
    Status,
    EditedText,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(StaffTextModeration::Table)
                    .col(string(StaffTextModeration::Source))
                    .col(string(StaffTextModeration::Status))
                    .col(text_null(StaffTextModeration::EditedText))
                    .col(text_null(StaffTextModeration::Reason))
                    // No foreign key to the account: decisions outlive accounts.
                    .col(uuid_null(StaffTextModeration::DecidedBy))
                    .col(timestamp_with_time_zone(StaffTextModeration::DecidedAt))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_staff_text_moderation_municipality",
            StaffTextModeration::Table,
            [StaffTextModeration::MunicipalityId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [StaffTextModeration::Table]).await
    }
}
