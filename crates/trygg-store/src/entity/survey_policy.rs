use sea_orm::entity::prelude::*;

entity! {
    #[sea_orm(table_name = "survey_policy")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub survey_id: Uuid,
        pub municipality_id: Uuid,
        pub copied_from: Option<Uuid>,
        pub retention_days: Option<i32>,
        /// The day free text and exact places were deleted, once they have been.
        pub retained_on: Option<TimeDate>,
    }
}
