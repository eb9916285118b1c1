//! Focus areas, medborgarlöften, their activities and progress entries, and
//! åtgärdsplaner. Localised texts and lists are JSON text because they are always
//! read and written whole; the action plan is one JSON document for the same reason.
//! Every row carries `municipality_id`, so every query can be tenant-scoped.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FocusArea {
    Table,
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
    ActivityId,
    DoneOn,
    Amount,
    Text,
    Note,
}

#[derive(DeriveIden)]
enum ActionPlan {
    Table,
    Title,
    StartsOn,
    EndsOn,
    Document,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(FocusArea::Table)
                    .col(string(FocusArea::Name))
                    .col(string(FocusArea::Kind))
                    .col(string_null(FocusArea::AreaCode))
                    .col(date(FocusArea::StartsOn))
                    .col(date(FocusArea::EndsOn))
                    .col(text(FocusArea::Rationale))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(Promise::Table)
                    .col(uuid(Promise::FocusAreaId))
                    .col(text(Promise::Title))
                    .col(date(Promise::StartsOn))
                    .col(date(Promise::EndsOn))
                    .col(text(Promise::Parties))
                    .col(text(Promise::ExpectedEffect))
                    .col(string_null(Promise::IndicatorKey))
                    .col(string_null(Promise::BaselineSurvey))
                    .col(string_null(Promise::IndicatorArea))
                    .foreign_key(&mut cascade(
                        "fk_promise_focus_area",
                        (Promise::Table, Promise::FocusAreaId),
                        FocusArea::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(Activity::Table)
                    .col(uuid(Activity::PromiseId))
                    .col(text(Activity::Title))
                    .col(string(Activity::Owner))
                    .col(integer(Activity::Target))
                    .col(string(Activity::Unit))
                    .col(date(Activity::StartsOn))
                    .col(date(Activity::DueOn))
                    .foreign_key(&mut cascade(
                        "fk_activity_promise",
                        (Activity::Table, Activity::PromiseId),
                        Promise::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_table(ProgressEntry::Table)
                    .col(uuid(ProgressEntry::ActivityId))
                    .col(date(ProgressEntry::DoneOn))
                    .col(integer(ProgressEntry::Amount))
                    .col(text(ProgressEntry::Text))
                    .col(text_null(ProgressEntry::Note))
                    .foreign_key(&mut cascade(
                        "fk_progress_entry_activity",
                        (ProgressEntry::Table, ProgressEntry::ActivityId),
                        Activity::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_progress_entry_activity",
            ProgressEntry::Table,
            [ProgressEntry::ActivityId],
        )
        .await?;
        manager
            .create_table(
                tenant_table(ActionPlan::Table)
                    .col(string(ActionPlan::Title))
                    .col(date(ActionPlan::StartsOn))
                    .col(date(ActionPlan::EndsOn))
                    .col(text(ActionPlan::Document))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                ActionPlan::Table.into_iden(),
                ProgressEntry::Table.into_iden(),
                Activity::Table.into_iden(),
                Promise::Table.into_iden(),
                FocusArea::Table.into_iden(),
            ],
        )
        .await
    }
}
