//! Trygghetsvandringar and their findings. A finding is an action item: its
//! status, the day it was fixed or the reason it will not be, and its due date.
//! Points are lon/lat doubles like pins, so neither database needs a spatial extension.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SafetyWalk {
    Table,
    Title,
    AreaCode,
    WalkedOn,
    Route,
    Stops,
    Participants,
}

#[derive(DeriveIden)]
enum WalkFinding {
    Table,
    WalkId,
    Lon,
    Lat,
    Category,
    Note,
    Responsible,
    Status,
    FixedOn,
    Reason,
    DueOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(SafetyWalk::Table)
                    .col(string(SafetyWalk::Title))
                    .col(string(SafetyWalk::AreaCode))
                    .col(date(SafetyWalk::WalkedOn))
                    .col(text(SafetyWalk::Route))
                    .col(text(SafetyWalk::Stops))
                    .col(text(SafetyWalk::Participants))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(WalkFinding::Table)
                    .col(uuid(WalkFinding::WalkId))
                    .col(double(WalkFinding::Lon))
                    .col(double(WalkFinding::Lat))
                    .col(string(WalkFinding::Category))
                    .col(text(WalkFinding::Note))
                    .col(string(WalkFinding::Responsible))
                    .col(string(WalkFinding::Status))
                    .col(date_null(WalkFinding::FixedOn))
                    .col(text_null(WalkFinding::Reason))
                    .col(date_null(WalkFinding::DueOn))
                    .foreign_key(&mut cascade(
                        "fk_walk_finding_walk",
                        (WalkFinding::Table, WalkFinding::WalkId),
                        SafetyWalk::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_walk_finding_walk",
            WalkFinding::Table,
            [WalkFinding::WalkId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [WalkFinding::Table]).await?;
        drop_tables(manager, [SafetyWalk::Table]).await
    }
}
