//! Survey authoring: drafts apart from surveys, so nothing that reads surveys
//! (intake, exports, analysis) can see one before it is published; and, per
//! survey, the round it was copied from and how long its free text and exact
//! pin locations are kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SurveyDraft {
    Table,
    Id,
    MunicipalityId,
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
                Table::create()
                    .table(SurveyDraft::Table)
                    .col(uuid(SurveyDraft::Id).primary_key())
                    .col(uuid(SurveyDraft::MunicipalityId))
                    .col(string_uniq(SurveyDraft::Slug))
                    .col(text(SurveyDraft::Definition))
                    // No foreign key: the round it was copied from may be deleted later.
                    .col(uuid_null(SurveyDraft::CopiedFrom))
                    .col(integer_null(SurveyDraft::RetentionDays))
                    .col(timestamp_with_time_zone(SurveyDraft::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_draft_municipality")
                            .from(SurveyDraft::Table, SurveyDraft::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
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
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_policy_survey")
                            .from(SurveyPolicy::Table, SurveyPolicy::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_policy_municipality")
                            .from(SurveyPolicy::Table, SurveyPolicy::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SurveyPolicy::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SurveyDraft::Table).to_owned())
            .await
    }
}
