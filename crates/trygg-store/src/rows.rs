//! The two ways the store moves rows: reading them as domain values, and
//! saving a row over the one with its key.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Select,
};

use crate::StoreError;

/// A query whose rows each read as one domain value.
pub(crate) trait ReadAs<E: EntityTrait> {
    /// Every row the query selects, each made a value by `from_row`.
    async fn read_all<T>(
        self,
        db: &impl ConnectionTrait,
        from_row: impl FnMut(E::Model) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError>;

    /// The first row the query selects, if any, made a value by `from_row`.
    async fn read_one<T>(
        self,
        db: &impl ConnectionTrait,
        from_row: impl FnOnce(E::Model) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError>;
}

impl<E: EntityTrait> ReadAs<E> for Select<E> {
    async fn read_all<T>(
        self,
        db: &impl ConnectionTrait,
        from_row: impl FnMut(E::Model) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.all(db).await?.into_iter().map(from_row).collect()
    }

    async fn read_one<T>(
        self,
        db: &impl ConnectionTrait,
        from_row: impl FnOnce(E::Model) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        self.one(db).await?.map(from_row).transpose()
    }
}

/// Stores `row`: as an update when `existing` finds the row it replaces, as an
/// insert when it finds none.
pub(crate) async fn save<A>(
    db: &impl ConnectionTrait,
    existing: Select<A::Entity>,
    row: A,
) -> Result<(), StoreError>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    if existing.one(db).await?.is_some() {
        A::Entity::update(row).exec(db).await?;
    } else {
        A::Entity::insert(row).exec(db).await?;
    }
    Ok(())
}
