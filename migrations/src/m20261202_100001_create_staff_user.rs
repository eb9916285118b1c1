//! Staff accounts: one per person and municipality, with an argon2 password
//! hash (PHC string), a role, a disabled flag and an optional TOTP secret.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StaffUser {
    Table,
    Id,
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
                Table::create()
                    .table(StaffUser::Table)
                    .col(uuid(StaffUser::Id).primary_key())
                    .col(uuid(StaffUser::MunicipalityId))
                    .col(string(StaffUser::Email))
                    .col(string(StaffUser::PasswordHash))
                    .col(string(StaffUser::Role))
                    .col(boolean(StaffUser::Disabled).default(false))
                    .col(boolean(StaffUser::MustChangePassword).default(false))
                    .col(string_null(StaffUser::TotpSecret))
                    .col(timestamp_with_time_zone(StaffUser::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_user_municipality")
                            .from(StaffUser::Table, StaffUser::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One account per address and municipality; the address is stored lower-cased.
        manager
            .create_index(
                Index::create()
                    .name("ux_staff_user_municipality_email")
                    .table(StaffUser::Table)
                    .col(StaffUser::MunicipalityId)
                    .col(StaffUser::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Sign-in finds accounts by address alone when no municipality is given.
        manager
            .create_index(
                Index::create()
                    .name("ix_staff_user_email")
                    .table(StaffUser::Table)
                    .col(StaffUser::Email)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StaffUser::Table).to_owned())
            .await
    }
}
