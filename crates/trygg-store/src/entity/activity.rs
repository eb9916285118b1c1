use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub promise_id: Uuid,
    /// `LocalizedText` as JSON.
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub owner: String,
    pub target: i32,
    pub unit: String,
    pub starts_on: TimeDate,
    pub due_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
