use sea_orm::entity::prelude::*;

entity! {
    #[sea_orm(table_name = "published_result")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub survey_id: Uuid,
        pub municipality_id: Uuid,
        pub published_on: TimeDate,
    }
}
