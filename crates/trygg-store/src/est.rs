//! EST: partner organisations, the organisation a rapportör reports for, and
//! the händelser they report, tenant-scoped like every read and write.

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use trygg_domain::{
    ActivityId, EventDetails, EventReport, EventReportId, EventReportInput, MunicipalityId,
    Organisation, OrganisationId, ReportStatus, StaffUserId,
};

use crate::entity::{event_report, organisation, staff_user};

/// Reports a statement of an import writes: well under SQLite's 32,766
/// parameters at 20 columns a report.
const IMPORT_CHUNK: usize = 1_000;
use crate::rows::{ReadAs, save};
use crate::tenant::Tenant;
use crate::write::conflict;
use crate::{Store, StoreError};

impl Store {
    /// Stores a new partner organisation.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] on `name` when the municipality has one of that name.
    pub async fn insert_organisation(
        &self,
        m: MunicipalityId,
        o: &Organisation,
    ) -> Result<(), StoreError> {
        insert_organisation(&self.db, m, o, "name").await
    }

    /// The municipality's partner organisations, by name.
    pub async fn organisations(&self, m: MunicipalityId) -> Result<Vec<Organisation>, StoreError> {
        organisation::Entity::of(m)
            .order_by_asc(organisation::Column::Name)
            .read_all(&self.db, organisation_from_row)
            .await
    }

    /// One partner organisation of the municipality.
    pub async fn organisation(
        &self,
        m: MunicipalityId,
        id: OrganisationId,
    ) -> Result<Option<Organisation>, StoreError> {
        organisation::Entity::one_of(m, id.as_uuid())
            .read_one(&self.db, organisation_from_row)
            .await
    }

    /// Sets the organisation the account `user` reports for (none with `None`);
    /// false when the municipality has no such account.
    pub async fn set_staff_organisation(
        &self,
        m: MunicipalityId,
        user: StaffUserId,
        organisation: Option<OrganisationId>,
    ) -> Result<bool, StoreError> {
        let updated = staff_user::Entity::update_many()
            .col_expr(
                staff_user::Column::OrganisationId,
                sea_orm::sea_query::Expr::value(organisation.map(|o| o.as_uuid())),
            )
            .filter(staff_user::Column::MunicipalityId.eq(m.as_uuid()))
            .filter(staff_user::Column::Id.eq(user.as_uuid()))
            .exec(&self.db)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    /// The organisation the account `user` reports for, if any.
    pub async fn staff_organisation(
        &self,
        m: MunicipalityId,
        user: StaffUserId,
    ) -> Result<Option<OrganisationId>, StoreError> {
        Ok(staff_user::Entity::one_of(m, user.as_uuid())
            .one(&self.db)
            .await?
            .and_then(|row| row.organisation_id)
            .map(OrganisationId::from_uuid))
    }

    /// Stores a new report, once per `idempotency_key`: a report sent again
    /// with a key already stored is not stored twice, and the stored one is
    /// answered.
    pub async fn insert_event_report(
        &self,
        m: MunicipalityId,
        report: &EventReport,
        idempotency_key: Option<&str>,
    ) -> Result<EventReport, StoreError> {
        if let Some(stored) = self.event_report_by_key(m, idempotency_key).await? {
            return Ok(stored);
        }
        let mut row = report_row(m, report);
        row.idempotency_key = Set(idempotency_key.map(str::to_owned));
        match event_report::Entity::insert(row).exec(&self.db).await {
            Ok(_) => Ok(report.clone()),
            Err(e) => match self.event_report_by_key(m, idempotency_key).await? {
                // The same key, sent twice at once: the other request stored it.
                Some(stored) => Ok(stored),
                None => Err(e.into()),
            },
        }
    }

    async fn event_report_by_key(
        &self,
        m: MunicipalityId,
        key: Option<&str>,
    ) -> Result<Option<EventReport>, StoreError> {
        let Some(key) = key else {
            return Ok(None);
        };
        event_report::Entity::of(m)
            .filter(event_report::Column::IdempotencyKey.eq(key))
            .read_one(&self.db, report_from_row)
            .await
    }

    /// Stores the new `organisations` and the imported `reports` in one
    /// transaction, each report under its key: a report whose key is stored
    /// already is passed over, so importing a file again stores nothing twice.
    /// How many reports were stored.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] on `organisation` when one of `organisations`
    /// exists; nothing is stored then.
    pub async fn import_event_reports(
        &self,
        m: MunicipalityId,
        organisations: &[Organisation],
        reports: &[(EventReport, String)],
    ) -> Result<u64, StoreError> {
        let txn = self.db.begin().await?;
        for o in organisations {
            insert_organisation(&txn, m, o, "organisation").await?;
        }
        let mut stored = 0;
        for chunk in reports.chunks(IMPORT_CHUNK) {
            let rows = chunk.iter().map(|(r, key)| {
                let mut row = report_row(m, r);
                row.idempotency_key = Set(Some(key.clone()));
                row
            });
            stored += event_report::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([
                        event_report::Column::MunicipalityId,
                        event_report::Column::IdempotencyKey,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(stored)
    }

    /// The municipality's reports, of one organisation or of all, latest first.
    pub async fn event_reports(
        &self,
        m: MunicipalityId,
        organisation: Option<OrganisationId>,
    ) -> Result<Vec<EventReport>, StoreError> {
        let mut query = event_report::Entity::of(m);
        if let Some(o) = organisation {
            query = query.filter(event_report::Column::OrganisationId.eq(o.as_uuid()));
        }
        query
            .order_by_desc(event_report::Column::OccurredAt)
            .order_by_asc(event_report::Column::Id)
            .read_all(&self.db, report_from_row)
            .await
    }

    /// One report of the municipality.
    pub async fn event_report(
        &self,
        m: MunicipalityId,
        id: EventReportId,
    ) -> Result<Option<EventReport>, StoreError> {
        event_report::Entity::one_of(m, id.as_uuid())
            .read_one(&self.db, report_from_row)
            .await
    }

    /// Replaces a stored report with `report` (corrected, reviewed or merged);
    /// its idempotency key stays.
    pub async fn update_event_report(
        &self,
        m: MunicipalityId,
        report: &EventReport,
    ) -> Result<(), StoreError> {
        let mut row = report_row(m, report);
        row.idempotency_key = NotSet;
        save(
            &self.db,
            event_report::Entity::one_of(m, report.id().as_uuid()),
            row,
        )
        .await
    }
}

/// Inserts `o`; a name the municipality has is a conflict on `field`.
async fn insert_organisation(
    db: &impl sea_orm::ConnectionTrait,
    m: MunicipalityId,
    o: &Organisation,
    field: &str,
) -> Result<(), StoreError> {
    organisation::Entity::insert(organisation::ActiveModel {
        id: Set(o.id().as_uuid()),
        municipality_id: Set(m.as_uuid()),
        name: Set(o.name().to_owned()),
    })
    .exec(db)
    .await
    .map_err(|e| {
        conflict(
            e,
            field,
            &format!("there is already an organisation {}", o.name()),
        )
    })?;
    Ok(())
}

fn organisation_from_row(row: organisation::Model) -> Result<Organisation, StoreError> {
    Ok(Organisation::stored(
        OrganisationId::from_uuid(row.id),
        row.name,
    ))
}

fn report_row(m: MunicipalityId, r: &EventReport) -> event_report::ActiveModel {
    let d = r.details();
    let merged_into = match r.status() {
        ReportStatus::Merged(into) => Some(into.as_uuid()),
        ReportStatus::New | ReportStatus::Reviewed => None,
    };
    event_report::ActiveModel {
        id: Set(r.id().as_uuid()),
        municipality_id: Set(m.as_uuid()),
        organisation_id: Set(r.organisation().as_uuid()),
        reported_by: Set(r.reported_by().map(|u| u.as_uuid())),
        category: Set(d.category().as_str().to_owned()),
        occurred_at: Set(d.occurred_at()),
        occurred_until: Set(d.occurred_until()),
        utc_offset_seconds: Set(d.occurred_at().offset().whole_seconds()),
        lon: Set(d.location().map(|l| l.lon())),
        lat: Set(d.location().map(|l| l.lat())),
        place: Set(d.place().map(str::to_owned)),
        description: Set(d.description().map(str::to_owned)),
        people: Set(d.people().map(|n| i32::try_from(n).unwrap_or(i32::MAX))),
        police_called: Set(d.police_called()),
        status: Set(r.status().as_str().to_owned()),
        merged_into: Set(merged_into),
        activity_id: Set(r.activity().map(|a| a.as_uuid())),
        idempotency_key: NotSet,
    }
}

fn rfc3339(at: OffsetDateTime) -> Result<String, StoreError> {
    at.format(&Rfc3339).map_err(StoreError::corrupt)
}

fn report_from_row(row: event_report::Model) -> Result<EventReport, StoreError> {
    let offset =
        UtcOffset::from_whole_seconds(row.utc_offset_seconds).map_err(StoreError::corrupt)?;
    let local = |at: OffsetDateTime| rfc3339(at.to_offset(offset));
    let input = EventReportInput {
        category: row.category,
        occurred_at: local(row.occurred_at)?,
        occurred_until: row.occurred_until.map(local).transpose()?,
        lon: row.lon,
        lat: row.lat,
        place: row.place,
        description: row.description,
        people: row
            .people
            .map(|n| u32::try_from(n).map_err(StoreError::corrupt))
            .transpose()?,
        police_called: row.police_called,
    };
    let details = EventDetails::parse(&input, OffsetDateTime::now_utc(), "event_report")
        .map_err(StoreError::corrupt)?;
    let merged_into = row.merged_into.map(EventReportId::from_uuid);
    let status = ReportStatus::stored(&row.status, merged_into)
        .ok_or_else(|| StoreError::corrupt(format!("event_report.status `{}`", row.status)))?;
    Ok(EventReport::stored(
        EventReportId::from_uuid(row.id),
        OrganisationId::from_uuid(row.organisation_id),
        row.reported_by.map(StaffUserId::from_uuid),
        details,
        status,
    )
    .with_stored_activity(row.activity_id.map(ActivityId::from_uuid)))
}
