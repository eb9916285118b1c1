use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "area_population")]
    pub struct Model {
        pub area_id: Uuid,
        pub gender: String,
        pub age_band: String,
        pub population: i64,
    }
}
