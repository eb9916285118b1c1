use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "area")]
    pub struct Model {
        pub code: String,
        pub name: String,
        /// GeoJSON geometry (Polygon or MultiPolygon) as text.
        #[sea_orm(column_type = "Text")]
        pub geometry: String,
    }
}
