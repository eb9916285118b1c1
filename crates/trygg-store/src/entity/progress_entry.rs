use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "progress_entry")]
    pub struct Model {
        pub activity_id: Uuid,
        pub done_on: TimeDate,
        pub amount: i32,
        #[sea_orm(column_type = "Text")]
        pub text: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub note: Option<String>,
    }
}
