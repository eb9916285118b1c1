//! Answers: one row per answered question, and one per chosen option of a
//! multiple-choice question, so shares are a plain `GROUP BY` in SQL.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_index, create_named_index, drop_tables, survey_table};

migration! {
    up(manager) {
        survey_table("answer")
            .references(uuid("response_id"), "response")
            .col(string("question_key"))
            .col(string_null("option_key"))
            .col(double_null("number_value"))
            .col(text_null("text_value"))
            .create(manager)
            .await?;
        create_named_index(
            manager,
            "ix_answer_survey_question",
            "answer",
            ["survey_id", "question_key"],
        )
        .await?;
        create_index(manager, "answer", &["response_id"]).await
    }
    down(manager) {
        drop_tables(manager, ["answer"]).await
    }
}
