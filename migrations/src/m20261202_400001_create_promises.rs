//! Focus areas, medborgarlöften, their activities and progress entries, and
//! åtgärdsplaner. Localised texts and lists are JSON text because they are always
//! read and written whole; the action plan is one JSON document for the same reason.
//! Every row carries `municipality_id`, so every query can be tenant-scoped.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum FocusArea {
    Table,
    Id,
    MunicipalityId,
    Name,
    Kind,
    AreaCode,
    StartsOn,
    EndsOn,
    Rationale,
}

#[derive(DeriveIden)]
enum Promise {
    Table,
    Id,
    MunicipalityId,
    FocusAreaId,
    Title,
    StartsOn,
    EndsOn,
    Parties,
    ExpectedEffect,
    IndicatorKey,
    BaselineSurvey,
    IndicatorArea,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
    MunicipalityId,
    PromiseId,
    Title,
    Owner,
    Target,
    Unit,
    StartsOn,
    DueOn,
}

#[derive(DeriveIden)]
enum ProgressEntry {
    Table,
    Id,
    MunicipalityId,
    ActivityId,
    DoneOn,
    Amount,
    Text,
    Note,
}

#[derive(DeriveIden)]
enum ActionPlan {
    Table,
    Id,
    MunicipalityId,
    Title,
    StartsOn,
    EndsOn,
    Document,
}

fn to_municipality(table: impl IntoIden, name: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, Alias::new("municipality_id"))
        .to(Municipality::Table, Municipality::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FocusArea::Table)
                    .col(uuid(FocusArea::Id).primary_key())
                    .col(uuid(FocusArea::MunicipalityId))
                    .col(string(FocusArea::Name))
                    .col(string(FocusArea::Kind))
                    .col(string_null(FocusArea::AreaCode))
                    .col(date(FocusArea::StartsOn))
                    .col(date(FocusArea::EndsOn))
                    .col(text(FocusArea::Rationale))
                    .foreign_key(&mut to_municipality(
                        FocusArea::Table,
                        "fk_focus_area_municipality",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Promise::Table)
                    .col(uuid(Promise::Id).primary_key())
                    .col(uuid(Promise::MunicipalityId))
                    .col(uuid(Promise::FocusAreaId))
                    .col(text(Promise::Title))
                    .col(date(Promise::StartsOn))
                    .col(date(Promise::EndsOn))
                    .col(text(Promise::Parties))
                    .col(text(Promise::ExpectedEffect))
                    .col(string_null(Promise::IndicatorKey))
                    .col(string_null(Promise::BaselineSurvey))
                    .col(string_null(Promise::IndicatorArea))
                    .foreign_key(&mut to_municipality(
                        Promise::Table,
                        "fk_promise_municipality",
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_promise_focus_area")
                            .from(Promise::Table, Promise::FocusAreaId)
                            .to(FocusArea::Table, FocusArea::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Activity::Table)
                    .col(uuid(Activity::Id).primary_key())
                    .col(uuid(Activity::MunicipalityId))
                    .col(uuid(Activity::PromiseId))
                    .col(text(Activity::Title))
                    .col(string(Activity::Owner))
                    .col(integer(Activity::Target))
                    .col(string(Activity::Unit))
                    .col(date(Activity::StartsOn))
                    .col(date(Activity::DueOn))
                    .foreign_key(&mut to_municipality(
                        Activity::Table,
                        "fk_activity_municipality",
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_promise")
                            .from(Activity::Table, Activity::PromiseId)
                            .to(Promise::Table, Promise::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgressEntry::Table)
                    .col(uuid(ProgressEntry::Id).primary_key())
                    .col(uuid(ProgressEntry::MunicipalityId))
                    .col(uuid(ProgressEntry::ActivityId))
                    .col(date(ProgressEntry::DoneOn))
                    .col(integer(ProgressEntry::Amount))
                    .col(text(ProgressEntry::Text))
                    .col(text_null(ProgressEntry::Note))
                    .foreign_key(&mut to_municipality(
                        ProgressEntry::Table,
                        "fk_progress_entry_municipality",
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_progress_entry_activity")
                            .from(ProgressEntry::Table, ProgressEntry::ActivityId)
                            .to(Activity::Table, Activity::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_progress_entry_activity")
                    .table(ProgressEntry::Table)
                    .col(ProgressEntry::ActivityId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActionPlan::Table)
                    .col(uuid(ActionPlan::Id).primary_key())
                    .col(uuid(ActionPlan::MunicipalityId))
                    .col(string(ActionPlan::Title))
                    .col(date(ActionPlan::StartsOn))
                    .col(date(ActionPlan::EndsOn))
                    .col(text(ActionPlan::Document))
                    .foreign_key(&mut to_municipality(
                        ActionPlan::Table,
                        "fk_action_plan_municipality",
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ActionPlan::Table.into_iden(),
            ProgressEntry::Table.into_iden(),
            Activity::Table.into_iden(),
            Promise::Table.into_iden(),
            FocusArea::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
