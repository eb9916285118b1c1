use sea_orm::entity::prelude::*;

entity! {
    #[sea_orm(table_name = "municipality")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub slug: String,
        pub name: String,
        pub synthetic: bool,
    }
}
