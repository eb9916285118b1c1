use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "place")]
    pub struct Model {
        pub name: String,
        pub kind: String,
        pub lon: f64,
        pub lat: f64,
    }
}
