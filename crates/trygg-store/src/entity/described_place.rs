use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "described_place")]
    pub struct Model {
        pub survey_id: Uuid,
        pub response_id: Uuid,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub category: String,
        pub time_of_day: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub comment: Option<String>,
    }
}
