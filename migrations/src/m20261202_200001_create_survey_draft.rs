//! Survey authoring: drafts apart from surveys, so nothing that reads surveys
//! (intake, exports, analysis) can see one before it is published; and, per
//! survey, the round it was copied from and how long its free text and exact
//! pin locations are kept.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SurveyDraft {
    Table,
    Slug,
    Definition,
    CopiedFrom,
    RetentionDays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyPolicy {
    Table,
    SurveyId,
    MunicipalityId,
    CopiedFrom,
    RetentionDays,
    RetainedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(SurveyDraft::Table)
                    .col(string_uniq(SurveyDraft::Slug))
                    .col(text(SurveyDraft::Definition))
                    // No foreign key: the round it was copied from may be deleted later.
                    .col(uuid_null(SurveyDraft::CopiedFrom))
                    .col(integer_null(SurveyDraft::RetentionDays))
                    .col(timestamp_with_time_zone(SurveyDraft::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SurveyPolicy::Table)
                    .col(uuid(SurveyPolicy::SurveyId).primary_key())
                    .col(uuid(SurveyPolicy::MunicipalityId))
                    .col(uuid_null(SurveyPolicy::CopiedFrom))
                    .col(integer_null(SurveyPolicy::RetentionDays))
                    .col(date_null(SurveyPolicy::RetainedOn))
                    .foreign_key(&mut cascade(
                        "fk_survey_policy_survey",
                        (SurveyPolicy::Table, SurveyPolicy::SurveyId),
                        "survey",
                    ))
                    .foreign_key(&mut cascade(
                        "fk_survey_policy_municipality",
                        (SurveyPolicy::Table, SurveyPolicy::MunicipalityId),
                        "municipality",
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [SurveyPolicy::Table]).await?;
        drop_tables(manager, [SurveyDraft::Table]).await
    }
}
