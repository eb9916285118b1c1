use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "pin")]
    pub struct Model {
        pub survey_id: Uuid,
        pub response_id: Option<Uuid>,
        pub area_code: Option<String>,
        pub lon: f64,
        pub lat: f64,
        pub category: String,
        pub time_of_day: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub comment: Option<String>,
    }
}
