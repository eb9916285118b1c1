//! Police-reported crime counts per area, tenant-scoped like every read and write.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use trygg_domain::{CrimeCount, Key, MunicipalityId};

use crate::entity::crime_count;
use crate::rows::ReadAs;
use crate::tenant::Tenant;
use crate::{Store, StoreError};

impl Store {
    /// Stores an import in one transaction: the rows of every period the import
    /// names are replaced by the import's, so importing a corrected file for a
    /// period leaves no stale row behind, and other periods stay as they were.
    pub async fn replace_crime_counts(
        &self,
        m: MunicipalityId,
        rows: &[CrimeCount],
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let mut periods: Vec<&str> = rows.iter().map(|r| r.period.as_str()).collect();
        periods.sort_unstable();
        periods.dedup();
        crime_count::Entity::delete_many()
            .filter(crime_count::Column::MunicipalityId.eq(m.as_uuid()))
            .filter(crime_count::Column::Period.is_in(periods))
            .exec(&txn)
            .await?;
        crate::bulk::insert_all(
            &txn,
            rows.iter()
                .map(|r| crime_count::ActiveModel {
                    id: Set(uuid::Uuid::now_v7()),
                    municipality_id: Set(m.as_uuid()),
                    area_code: Set(r.area_code.as_str().to_owned()),
                    period: Set(r.period.clone()),
                    category: Set(r.category.clone()),
                    count: Set(i64::from(r.count)),
                })
                .collect(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A municipality's crime counts, by period, area and category.
    pub async fn crime_counts(&self, m: MunicipalityId) -> Result<Vec<CrimeCount>, StoreError> {
        crime_count::Entity::of(m)
            .order_by_asc(crime_count::Column::Period)
            .order_by_asc(crime_count::Column::AreaCode)
            .order_by_asc(crime_count::Column::Category)
            .read_all(&self.db, |row| {
                Ok(CrimeCount {
                    area_code: Key::parse(&row.area_code, "crime_count.area_code")
                        .map_err(StoreError::corrupt)?,
                    period: row.period,
                    category: row.category,
                    count: u32::try_from(row.count).map_err(StoreError::corrupt)?,
                })
            })
            .await
    }
}
