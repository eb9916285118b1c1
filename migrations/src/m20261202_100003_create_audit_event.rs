//! The audit log of staff actions: who (a staff account, or none for the CLI),
//! what and when, in one municipality. It never holds resident data.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{create_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    MunicipalityId,
    UserId,
    Actor,
    Action,
    Target,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(AuditEvent::Table)
                    // No foreign key to the account: the log outlives any account.
                    .col(uuid_null(AuditEvent::UserId))
                    .col(string(AuditEvent::Actor))
                    .col(string(AuditEvent::Action))
                    .col(text(AuditEvent::Target))
                    .col(timestamp_with_time_zone(AuditEvent::At))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_audit_event_municipality_at",
            AuditEvent::Table,
            [AuditEvent::MunicipalityId, AuditEvent::At],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [AuditEvent::Table]).await
    }
}
