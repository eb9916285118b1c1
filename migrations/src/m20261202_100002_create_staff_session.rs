//! Server-side staff sessions. Only a SHA-256 hash of the session id is kept,
//! so a copy of the database cannot be used to sign in; a session ends when its
//! row is deleted (sign-out, a disabled account) or its idle or absolute
//! timeout passes.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_unique_index, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffSession {
    Table,
    Id,
    TokenHash,
    UserId,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffSession::Table)
                    .col(uuid(StaffSession::Id).primary_key())
                    .col(string(StaffSession::TokenHash))
                    .col(uuid(StaffSession::UserId))
                    .col(string(StaffSession::CsrfToken))
                    .col(timestamp_with_time_zone(StaffSession::CreatedAt))
                    .col(timestamp_with_time_zone(StaffSession::LastSeenAt))
                    .col(timestamp_with_time_zone(StaffSession::ExpiresAt))
                    .foreign_key(&mut cascade(
                        "fk_staff_session_user",
                        (StaffSession::Table, StaffSession::UserId),
                        "staff_user",
                    ))
                    .to_owned(),
            )
            .await?;
        create_unique_index(
            manager,
            "ux_staff_session_token_hash",
            StaffSession::Table,
            [StaffSession::TokenHash],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [StaffSession::Table]).await
    }
}
