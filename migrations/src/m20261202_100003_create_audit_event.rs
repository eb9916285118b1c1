//! The audit log of staff actions: who (a staff account, or none for the CLI),
//! what and when, in one municipality. It never holds resident data.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
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
                Table::create()
                    .table(AuditEvent::Table)
                    .col(uuid(AuditEvent::Id).primary_key())
                    .col(uuid(AuditEvent::MunicipalityId))
                    // No foreign key to the account: the log outlives any account.
                    .col(uuid_null(AuditEvent::UserId))
                    .col(string(AuditEvent::Actor))
                    .col(string(AuditEvent::Action))
                    .col(text(AuditEvent::Target))
                    .col(timestamp_with_time_zone(AuditEvent::At))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_event_municipality")
                            .from(AuditEvent::Table, AuditEvent::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_event_municipality_at")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::MunicipalityId)
                    .col(AuditEvent::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvent::Table).to_owned())
            .await
    }
}
