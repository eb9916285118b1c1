use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "answer")]
    pub struct Model {
        pub survey_id: Uuid,
        pub response_id: Uuid,
        pub question_key: String,
        pub option_key: Option<String>,
        pub number_value: Option<f64>,
        #[sea_orm(column_type = "Text", nullable)]
        pub text_value: Option<String>,
    }
}
