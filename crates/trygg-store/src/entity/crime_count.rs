use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "crime_count")]
    pub struct Model {
        pub area_code: String,
        pub period: String,
        pub category: String,
        pub count: i64,
    }
}
