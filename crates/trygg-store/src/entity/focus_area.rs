use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "focus_area")]
    pub struct Model {
        pub name: String,
        pub kind: String,
        pub area_code: Option<String>,
        pub starts_on: TimeDate,
        pub ends_on: TimeDate,
        #[sea_orm(column_type = "Text")]
        pub rationale: String,
    }
}
