use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "safety_walk")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub title: String,
    pub area_code: String,
    pub walked_on: TimeDate,
    /// `[[lon, lat], …]` as JSON.
    #[sea_orm(column_type = "Text")]
    pub route: String,
    /// JSON array of stop names.
    #[sea_orm(column_type = "Text")]
    pub stops: String,
    /// JSON array of organisations.
    #[sea_orm(column_type = "Text")]
    pub participants: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
