use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "action_plan")]
    pub struct Model {
        pub title: String,
        pub starts_on: TimeDate,
        pub ends_on: TimeDate,
        /// Areas, check dates, mid-term review and meetings as one JSON document.
        #[sea_orm(column_type = "Text")]
        pub document: String,
    }
}
