use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "response")]
    pub struct Model {
        pub survey_id: Uuid,
        pub submitted_hour: TimeDateTimeWithTimeZone,
        pub idempotency_key: Option<String>,
        pub fingerprint: Option<String>,
        pub language: String,
    }
}
