use sea_orm::entity::prelude::*;

entity! {
    #[sea_orm(table_name = "published_snapshot")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub survey_id: Uuid,
        pub municipality_id: Uuid,
        pub version: i32,
        pub taken_at: TimeDateTimeWithTimeZone,
        pub taken_by: String,
        #[sea_orm(column_type = "Text")]
        pub results_json: String,
        #[sea_orm(column_type = "Text")]
        pub tables_csv: String,
        #[sea_orm(column_type = "Text")]
        pub tables_csv_semicolon: String,
        #[sea_orm(column_type = "Text")]
        pub follow_up_json: String,
    }
}
