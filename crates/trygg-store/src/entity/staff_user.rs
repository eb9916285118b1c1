use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "staff_user")]
    pub struct Model {
        pub email: String,
        pub password_hash: String,
        pub role: String,
        pub disabled: bool,
        pub must_change_password: bool,
        pub totp_secret: Option<String>,
        pub totp_last_step: Option<i64>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub organisation_id: Option<Uuid>,
    }
}
