use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "promise")]
    pub struct Model {
        pub focus_area_id: Uuid,
        /// `LocalizedText` as JSON.
        #[sea_orm(column_type = "Text")]
        pub title: String,
        pub starts_on: TimeDate,
        pub ends_on: TimeDate,
        /// The parties as a JSON array of names.
        #[sea_orm(column_type = "Text")]
        pub parties: String,
        /// `LocalizedText` as JSON.
        #[sea_orm(column_type = "Text")]
        pub expected_effect: String,
        pub indicator_key: Option<String>,
        pub baseline_survey: Option<String>,
        pub indicator_area: Option<String>,
    }
}
