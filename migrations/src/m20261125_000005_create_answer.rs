//! Answers: one row per answered question, and one per chosen option of a
//! multiple-choice question, so shares are a plain `GROUP BY` in SQL.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Answer {
    Table,
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
                tenant_table(Answer::Table)
                    .col(uuid(Answer::SurveyId))
                    .col(uuid(Answer::ResponseId))
                    .col(string(Answer::QuestionKey))
                    .col(string_null(Answer::OptionKey))
                    .col(double_null(Answer::NumberValue))
                    .col(text_null(Answer::TextValue))
                    .foreign_key(&mut cascade(
                        "fk_answer_survey",
                        (Answer::Table, Answer::SurveyId),
                        "survey",
                    ))
                    .foreign_key(&mut cascade(
                        "fk_answer_response",
                        (Answer::Table, Answer::ResponseId),
                        "response",
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(
            manager,
            "ix_answer_survey_question",
            Answer::Table,
            [Answer::SurveyId, Answer::QuestionKey],
        )
        .await?;
        create_index(
            manager,
            "ix_answer_response",
            Answer::Table,
            [Answer::ResponseId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Answer::Table]).await
    }
}
