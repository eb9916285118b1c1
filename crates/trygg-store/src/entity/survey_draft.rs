use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "survey_draft")]
    pub struct Model {
        pub slug: String,
        /// The checked survey definition as JSON text, as in `survey.definition`.
        #[sea_orm(column_type = "Text")]
        pub definition: String,
        pub copied_from: Option<Uuid>,
        pub retention_days: Option<i32>,
        pub updated_at: TimeDateTimeWithTimeZone,
    }
}
