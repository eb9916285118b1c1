use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "event_report")]
    pub struct Model {
        pub organisation_id: Uuid,
        pub reported_by: Option<Uuid>,
        pub category: String,
        pub occurred_at: TimeDateTimeWithTimeZone,
        pub occurred_until: Option<TimeDateTimeWithTimeZone>,
        pub utc_offset_seconds: i32,
        pub lon: Option<f64>,
        pub lat: Option<f64>,
        #[sea_orm(column_type = "Text", nullable)]
        pub place: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub description: Option<String>,
        pub people: Option<i32>,
        pub police_called: bool,
        pub status: String,
        pub merged_into: Option<Uuid>,
        pub activity_id: Option<Uuid>,
        pub idempotency_key: Option<String>,
    }
}
