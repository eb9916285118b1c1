use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promise")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub focus_area_id: Uuid,
    /// `LocalizedText` as JSON.
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub starts_on: TimeDate,
    pub ends_on: TimeDate,
    /// The parties as a JSON array of names.
    #[sea_orm(column_type = "Text")]
    pub parties: String,
    /// `LocalizedText` as JSON.
    #[sea_orm(column_type = "Text")]
    pub expected_effect: String,
    pub indicator_key: Option<String>,
    pub baseline_survey: Option<String>,
    pub indicator_area: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
