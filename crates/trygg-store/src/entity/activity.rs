use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "activity")]
    pub struct Model {
        pub promise_id: Uuid,
        /// `LocalizedText` as JSON.
        #[sea_orm(column_type = "Text")]
        pub title: String,
        pub owner: String,
        pub target: i32,
        pub unit: String,
        pub starts_on: TimeDate,
        pub due_on: TimeDate,
    }
}
