//! The one rule every read of tenant data follows: a row of another
//! municipality is as absent as a missing one.

use sea_orm::{ColumnTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, Select, ValidatedDeleteOne};
use trygg_domain::MunicipalityId;
use uuid::Uuid;

use crate::entity;

/// A table whose rows belong to one municipality each.
pub(crate) trait Tenant: EntityTrait {
    /// Its `municipality_id` column.
    const MUNICIPALITY: Self::Column;

    /// Every row of the municipality `m`.
    fn of(m: MunicipalityId) -> Select<Self> {
        Self::find().filter(Self::MUNICIPALITY.eq(m.as_uuid()))
    }

    /// The row `id`, if it is the municipality `m`'s.
    fn one_of(m: MunicipalityId, id: Uuid) -> Select<Self>
    where
        Uuid: Into<<Self::PrimaryKey as PrimaryKeyTrait>::ValueType>,
    {
        Self::find_by_id(id).filter(Self::MUNICIPALITY.eq(m.as_uuid()))
    }

    /// Deletes the row `id` if it is the municipality `m`'s; a row of another
    /// municipality is left alone.
    fn delete_of(m: MunicipalityId, id: Uuid) -> ValidatedDeleteOne<Self>
    where
        Uuid: Into<<Self::PrimaryKey as PrimaryKeyTrait>::ValueType>,
    {
        Self::delete_by_id(id).filter(Self::MUNICIPALITY.eq(m.as_uuid()))
    }
}

macro_rules! tenant {
    ($($table:ident),+ $(,)?) => {
        $(impl Tenant for entity::$table::Entity {
            const MUNICIPALITY: Self::Column = entity::$table::Column::MunicipalityId;
        })+
    };
}

tenant!(
    action_plan,
    activity,
    answer,
    area,
    area_population,
    audit_event,
    comment_moderation,
    crime_count,
    described_place,
    event_report,
    focus_area,
    organisation,
    pin,
    place,
    progress_entry,
    promise,
    published_result,
    published_snapshot,
    safety_walk,
    staff_text_moderation,
    staff_user,
    survey,
    survey_draft,
    walk_finding,
);
