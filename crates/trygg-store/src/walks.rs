//! Safety walks and their findings (action items), tenant-scoped like every read and write.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use trygg_domain::{
    Finding, FindingCategory, FindingId, Key, Location, MunicipalityId, SafetyWalk, WalkId,
    stored_status,
};

use crate::entity::{safety_walk, walk_finding};
use crate::rows::{ReadAs, save};
use crate::staff_texts::Decided;
use crate::tenant::Tenant;
use crate::{Store, StoreError};

impl Store {
    /// Stores a new walk.
    pub async fn insert_walk(&self, w: &SafetyWalk) -> Result<(), StoreError> {
        let route: Vec<[f64; 2]> = w.route.iter().map(|p| [p.lon(), p.lat()]).collect();
        safety_walk::Entity::insert(safety_walk::ActiveModel {
            id: Set(w.id.as_uuid()),
            municipality_id: Set(w.municipality_id.as_uuid()),
            title: Set(w.title.clone()),
            area_code: Set(w.area_code.as_str().to_owned()),
            walked_on: Set(w.walked_on),
            route: Set(to_json(&route)?),
            stops: Set(to_json(&w.stops)?),
            participants: Set(to_json(&w.participants)?),
        })
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// A municipality's walks, newest first.
    pub async fn walks(&self, m: MunicipalityId) -> Result<Vec<SafetyWalk>, StoreError> {
        safety_walk::Entity::of(m)
            .order_by_desc(safety_walk::Column::WalkedOn)
            .order_by_asc(safety_walk::Column::Id)
            .read_all(&self.db, walk_from_row)
            .await
    }

    /// One walk of the municipality.
    pub async fn walk(
        &self,
        m: MunicipalityId,
        id: WalkId,
    ) -> Result<Option<SafetyWalk>, StoreError> {
        safety_walk::Entity::one_of(m, id.as_uuid())
            .read_one(&self.db, walk_from_row)
            .await
    }

    /// Stores a finding of a stored walk of the municipality, or replaces it with
    /// its new status and due date.
    pub async fn save_finding(&self, m: MunicipalityId, f: &Finding) -> Result<(), StoreError> {
        let (fixed_on, reason) = match &f.status {
            trygg_domain::FindingStatus::Fixed { fixed_on } => (Some(*fixed_on), None),
            trygg_domain::FindingStatus::WontFix { reason } => (None, Some(reason.clone())),
            _ => (None, None),
        };
        let model = walk_finding::ActiveModel {
            id: Set(f.id.as_uuid()),
            municipality_id: Set(m.as_uuid()),
            walk_id: Set(f.walk_id.as_uuid()),
            lon: Set(f.location.lon()),
            lat: Set(f.location.lat()),
            category: Set(f.category.as_str().to_owned()),
            note: Set(f.note.clone()),
            responsible: Set(f.responsible.clone()),
            status: Set(f.status.as_str().to_owned()),
            fixed_on: Set(fixed_on),
            reason: Set(reason),
            due_on: Set(f.due_on),
        };
        save(
            &self.db,
            walk_finding::Entity::one_of(m, f.id.as_uuid()),
            model,
        )
        .await
    }

    /// Findings of the municipality as the public may see them, of one walk or of
    /// all, in the order they were recorded: a finding whose note waits for a
    /// moderator or was rejected is left out, a redacted one has the moderator's
    /// text. Staff pages read [`Store::findings_as_written`].
    pub async fn findings(
        &self,
        m: MunicipalityId,
        walk: Option<WalkId>,
    ) -> Result<Vec<Finding>, StoreError> {
        let decisions = self.staff_text_decisions(m).await?;
        Ok(self
            .findings_as_written(m, walk)
            .await?
            .into_iter()
            .filter_map(|mut f| {
                f.note = Decided::public(decisions.get(&f.id.as_uuid()), &f.note)?.to_owned();
                Some(f)
            })
            .collect())
    }

    /// Findings of the municipality as written, of one walk or of all, in the
    /// order they were recorded: for staff only.
    pub async fn findings_as_written(
        &self,
        m: MunicipalityId,
        walk: Option<WalkId>,
    ) -> Result<Vec<Finding>, StoreError> {
        let mut query = walk_finding::Entity::of(m);
        if let Some(w) = walk {
            query = query.filter(walk_finding::Column::WalkId.eq(w.as_uuid()));
        }
        query
            .order_by_asc(walk_finding::Column::Id)
            .read_all(&self.db, finding_from_row)
            .await
    }

    /// One finding of the municipality.
    pub async fn finding(
        &self,
        m: MunicipalityId,
        id: FindingId,
    ) -> Result<Option<Finding>, StoreError> {
        walk_finding::Entity::one_of(m, id.as_uuid())
            .read_one(&self.db, finding_from_row)
            .await
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::corrupt)
}

fn walk_from_row(row: safety_walk::Model) -> Result<SafetyWalk, StoreError> {
    let route: Vec<[f64; 2]> = serde_json::from_str(&row.route).map_err(StoreError::corrupt)?;
    let route = route
        .into_iter()
        .map(|[lon, lat]| Location::parse(lon, lat, "safety_walk.route"))
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::corrupt)?;
    Ok(SafetyWalk {
        id: WalkId::from_uuid(row.id),
        municipality_id: MunicipalityId::from_uuid(row.municipality_id),
        title: row.title,
        area_code: Key::parse(&row.area_code, "safety_walk.area_code")
            .map_err(StoreError::corrupt)?,
        walked_on: row.walked_on,
        route,
        stops: serde_json::from_str(&row.stops).map_err(StoreError::corrupt)?,
        participants: serde_json::from_str(&row.participants).map_err(StoreError::corrupt)?,
    })
}

fn finding_from_row(row: walk_finding::Model) -> Result<Finding, StoreError> {
    Ok(Finding {
        id: FindingId::from_uuid(row.id),
        walk_id: WalkId::from_uuid(row.walk_id),
        location: Location::parse(row.lon, row.lat, "walk_finding.location")
            .map_err(StoreError::corrupt)?,
        category: FindingCategory::parse(&row.category, "walk_finding.category")
            .map_err(StoreError::corrupt)?,
        note: row.note,
        responsible: row.responsible,
        status: stored_status(
            &row.status,
            row.fixed_on,
            row.reason.as_deref(),
            "walk_finding",
        )
        .map_err(StoreError::corrupt)?,
        due_on: row.due_on,
    })
}
