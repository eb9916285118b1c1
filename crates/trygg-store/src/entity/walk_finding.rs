use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "walk_finding")]
    pub struct Model {
        pub walk_id: Uuid,
        pub lon: f64,
        pub lat: f64,
        pub category: String,
        #[sea_orm(column_type = "Text")]
        pub note: String,
        pub responsible: String,
        pub status: String,
        pub fixed_on: Option<TimeDate>,
        #[sea_orm(column_type = "Text", nullable)]
        pub reason: Option<String>,
        pub due_on: Option<TimeDate>,
    }
}
