use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "safety_walk")]
    pub struct Model {
        pub title: String,
        pub area_code: String,
        pub walked_on: TimeDate,
        /// `[[lon, lat], …]` as JSON.
        #[sea_orm(column_type = "Text")]
        pub route: String,
        /// JSON array of stop names.
        #[sea_orm(column_type = "Text")]
        pub stops: String,
        /// JSON array of organisations.
        #[sea_orm(column_type = "Text")]
        pub participants: String,
    }
}
