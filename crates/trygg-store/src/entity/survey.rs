use sea_orm::entity::prelude::*;

tenant_entity! {
    #[sea_orm(table_name = "survey")]
    pub struct Model {
        pub slug: String,
        pub round: String,
        pub title: String,
        pub opens_on: TimeDate,
        pub closes_on: Option<TimeDate>,
        /// The checked survey definition as JSON text.
        #[sea_orm(column_type = "Text")]
        pub definition: String,
    }
}
