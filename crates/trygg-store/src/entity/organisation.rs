use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "organisation")]
    pub struct Model {
        pub name: String,
    }
}
