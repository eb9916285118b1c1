//! Staff accounts: one per person and municipality, with an argon2 password
//! hash (PHC string), a role, a disabled flag and an optional TOTP secret.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{create_index, create_unique_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffUser {
    Table,
    MunicipalityId,
    Email,
    PasswordHash,
    Role,
    Disabled,
    MustChangePassword,
    TotpSecret,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(StaffUser::Table)
                    .col(string(StaffUser::Email))
                    .col(string(StaffUser::PasswordHash))
                    .col(string(StaffUser::Role))
                    .col(boolean(StaffUser::Disabled).default(false))
                    .col(boolean(StaffUser::MustChangePassword).default(false))
                    .col(string_null(StaffUser::TotpSecret))
                    .col(timestamp_with_time_zone(StaffUser::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // One account per address and municipality; the address is stored lower-cased.
        create_unique_index(
            manager,
            "ux_staff_user_municipality_email",
            StaffUser::Table,
            [StaffUser::MunicipalityId, StaffUser::Email],
        )
        .await?;
        // Sign-in finds accounts by address alone when no municipality is given.
        create_index(
            manager,
            "ix_staff_user_email",
            StaffUser::Table,
            [StaffUser::Email],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [StaffUser::Table]).await
    }
}
