//! Areas as staff manage them (upload, rename) and their population figures.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use trygg_domain::{Area, AreaId, Key, MunicipalityId, PopulationFigure};

use crate::entity::{area, area_population};
use crate::rows::ReadAs;
use crate::tenant::Tenant;
use crate::{Store, StoreError};

/// What an upload of areas changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AreaUpload {
    /// Areas with a new code.
    pub added: usize,
    /// Areas whose code existed: their name and outline were replaced.
    pub replaced: usize,
}

impl Store {
    /// Stores uploaded areas in one transaction: an area whose code the municipality
    /// already has gets the new name and outline (its id, and so its population
    /// figures and the pins tagged with its code, stay); other areas are added.
    pub async fn upload_areas(
        &self,
        municipality_id: MunicipalityId,
        areas: &[Area],
    ) -> Result<AreaUpload, StoreError> {
        let txn = self.db.begin().await?;
        let existing = area_ids(&txn, municipality_id).await?;
        let mut upload = AreaUpload::default();
        for a in areas {
            let geometry = geojson::Geometry::from(&a.boundary).to_string();
            if let Some(id) = existing.get(a.code.as_str()) {
                area::Entity::update(area::ActiveModel {
                    id: Set(*id),
                    name: Set(a.name.clone()),
                    geometry: Set(geometry),
                    ..Default::default()
                })
                .exec(&txn)
                .await?;
                upload.replaced += 1;
            } else {
                area::Entity::insert(area::ActiveModel {
                    id: Set(a.id.as_uuid()),
                    municipality_id: Set(municipality_id.as_uuid()),
                    code: Set(a.code.as_str().to_owned()),
                    name: Set(a.name.clone()),
                    geometry: Set(geometry),
                })
                .exec(&txn)
                .await?;
                upload.added += 1;
            }
        }
        txn.commit().await?;
        Ok(upload)
    }

    /// Renames an area of the municipality; false when it has no such area.
    pub async fn rename_area(
        &self,
        municipality_id: MunicipalityId,
        id: AreaId,
        name: &str,
    ) -> Result<bool, StoreError> {
        let result = area::Entity::update_many()
            .col_expr(area::Column::Name, sea_orm::sea_query::Expr::value(name))
            .filter(area::Column::MunicipalityId.eq(municipality_id.as_uuid()))
            .filter(area::Column::Id.eq(id.as_uuid()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected > 0)
    }

    /// Replaces the municipality's population figures in one transaction. Every
    /// figure's area must be one of the municipality's areas.
    pub async fn replace_population(
        &self,
        municipality_id: MunicipalityId,
        figures: &[PopulationFigure],
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let ids = area_ids(&txn, municipality_id).await?;
        area_population::Entity::delete_many()
            .filter(area_population::Column::MunicipalityId.eq(municipality_id.as_uuid()))
            .exec(&txn)
            .await?;
        let mut rows = Vec::with_capacity(figures.len());
        for (i, f) in figures.iter().enumerate() {
            let Some(area_id) = ids.get(f.area.as_str()) else {
                return Err(StoreError::Conflict {
                    field: format!("figures[{i}].area"),
                    message: format!("`{}` is not an area of this municipality", f.area),
                });
            };
            rows.push(area_population::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                municipality_id: Set(municipality_id.as_uuid()),
                area_id: Set(*area_id),
                gender: Set(f.gender.as_str().to_owned()),
                age_band: Set(f.age_band.as_str().to_owned()),
                population: Set(i64::from(f.population)),
            });
        }
        crate::bulk::insert_all(&txn, rows).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The municipality's population figures, by area code, gender and age band.
    pub async fn population(
        &self,
        municipality_id: MunicipalityId,
    ) -> Result<Vec<PopulationFigure>, StoreError> {
        let codes: HashMap<uuid::Uuid, String> = area_ids(&self.db, municipality_id)
            .await?
            .into_iter()
            .map(|(code, id)| (id, code))
            .collect();
        let mut figures = area_population::Entity::of(municipality_id)
            .read_all(&self.db, |row| {
                let area = codes
                    .get(&row.area_id)
                    .ok_or_else(|| StoreError::corrupt("a population figure of no area"))?;
                Ok(PopulationFigure {
                    area: Key::parse(area, "area").map_err(StoreError::corrupt)?,
                    gender: Key::parse(&row.gender, "gender").map_err(StoreError::corrupt)?,
                    age_band: Key::parse(&row.age_band, "age_band").map_err(StoreError::corrupt)?,
                    population: u32::try_from(row.population).map_err(StoreError::corrupt)?,
                })
            })
            .await?;
        figures.sort_by(|a, b| {
            (&a.area, &a.gender, &a.age_band).cmp(&(&b.area, &b.gender, &b.age_band))
        });
        Ok(figures)
    }
}

/// The ids of the municipality's areas, by code.
async fn area_ids(
    db: &impl ConnectionTrait,
    municipality_id: MunicipalityId,
) -> Result<HashMap<String, uuid::Uuid>, StoreError> {
    Ok(area::Entity::of(municipality_id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.code, row.id))
        .collect())
}
