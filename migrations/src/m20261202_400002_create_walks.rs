//! Trygghetsvandringar and their findings. A finding is an action item: its
//! status, the day it was fixed or the reason it will not be, and its due date.
//! Points are lon/lat doubles like pins, so neither database needs a spatial extension.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SafetyWalk {
    Table,
    Id,
    MunicipalityId,
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
    Id,
    MunicipalityId,
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
                Table::create()
                    .table(SafetyWalk::Table)
                    .col(uuid(SafetyWalk::Id).primary_key())
                    .col(uuid(SafetyWalk::MunicipalityId))
                    .col(string(SafetyWalk::Title))
                    .col(string(SafetyWalk::AreaCode))
                    .col(date(SafetyWalk::WalkedOn))
                    .col(text(SafetyWalk::Route))
                    .col(text(SafetyWalk::Stops))
                    .col(text(SafetyWalk::Participants))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_safety_walk_municipality")
                            .from(SafetyWalk::Table, SafetyWalk::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WalkFinding::Table)
                    .col(uuid(WalkFinding::Id).primary_key())
                    .col(uuid(WalkFinding::MunicipalityId))
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
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_walk_finding_municipality")
                            .from(WalkFinding::Table, WalkFinding::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_walk_finding_walk")
                            .from(WalkFinding::Table, WalkFinding::WalkId)
                            .to(SafetyWalk::Table, SafetyWalk::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_walk_finding_walk")
                    .table(WalkFinding::Table)
                    .col(WalkFinding::WalkId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WalkFinding::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SafetyWalk::Table).to_owned())
            .await
    }
}
