//! Answers: one row per answered question, and one per chosen option of a
//! multiple-choice question, so shares are a plain `GROUP BY` in SQL.

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
enum Response {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Answer {
    Table,
    Id,
    MunicipalityId,
    SurveyId,
    ResponseId,
    QuestionKey,
    OptionKey,
    NumberValue,
    TextValue,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Answer::Table)
                    .col(uuid(Answer::Id).primary_key())
                    .col(uuid(Answer::MunicipalityId))
                    .col(uuid(Answer::SurveyId))
                    .col(uuid(Answer::ResponseId))
                    .col(string(Answer::QuestionKey))
                    .col(string_null(Answer::OptionKey))
                    .col(double_null(Answer::NumberValue))
                    .col(text_null(Answer::TextValue))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_answer_municipality")
                            .from(Answer::Table, Answer::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_answer_survey")
                            .from(Answer::Table, Answer::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_answer_response")
                            .from(Answer::Table, Answer::ResponseId)
                            .to(Response::Table, Response::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_answer_survey_question")
                    .table(Answer::Table)
                    .col(Answer::SurveyId)
                    .col(Answer::QuestionKey)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_answer_response")
                    .table(Answer::Table)
                    .col(Answer::ResponseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Answer::Table).to_owned())
            .await
    }
}
