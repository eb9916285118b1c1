use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "invitation")]
    pub struct Model {
        pub survey_id: Uuid,
        pub code: String,
        pub area_code: Option<String>,
        pub used: bool,
    }
}
