use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "audit_event")]
    pub struct Model {
        pub user_id: Option<Uuid>,
        pub actor: String,
        pub action: String,
        pub target: String,
        pub at: TimeDateTimeWithTimeZone,
    }
}
