//! Published results: which survey rounds the public page `/r/{slug}` shows, the
//! frozen release each one serves, and the tenant-scoped survey reads the staff
//! dashboard needs.
//!
//! A round is published when it has a row in `published_result` (the day it was
//! first published) and one in `published_snapshot` (what the public sees: the
//! page's JSON, its CSV in both dialects and the follow-up page's figures, as they
//! were when it was published). Public pages serve the snapshot as stored and never
//! recompute it, so later imports, corrections and retention change no public
//! figure until someone publishes again. A `published_result` row without a
//! snapshot (from before snapshots existed) counts as not published.

use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder, QuerySelect, TransactionTrait};
use time::{Date, OffsetDateTime};
use trygg_domain::{MunicipalityId, StaffUserId, Survey, SurveyId};

use crate::entity::{published_result, published_snapshot, staff_user, survey};
use crate::read::survey_from_row;
use crate::rows::ReadAs;
use crate::staff::CLI_ACTOR;
use crate::tenant::Tenant;
use crate::{Store, StoreError};

/// What a published round shows the public, stored exactly as it is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The public page's data, `GET /api/v1/results/{slug}`.
    pub results_json: String,
    /// Its tables as CSV with commas.
    pub tables_csv: String,
    /// Its tables as CSV with semicolons and decimal commas.
    pub tables_csv_semicolon: String,
    /// The figures the public follow-up page takes from this round.
    pub follow_up_json: String,
}

/// When a round was published and when its snapshot was taken, by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// The day the round was first published.
    pub published_on: Date,
    /// 1 for the first publication, one more for each republication.
    pub version: u32,
    /// When the snapshot served now was taken.
    pub taken_at: OffsetDateTime,
    /// Who took it: a staff member's address, or the CLI.
    pub taken_by: String,
}

/// A published round's survey, publication and follow-up figures.
#[derive(Debug, Clone)]
pub struct PublishedFollowUp {
    /// The round.
    pub survey: Survey,
    /// Its publication.
    pub publication: Publication,
    /// [`Snapshot::follow_up_json`].
    pub follow_up_json: String,
}

/// The snapshot columns besides its contents: survey id, version, taken at, taken by.
type SnapshotHead = (uuid::Uuid, i32, OffsetDateTime, String);

fn publication(
    first: &published_result::Model,
    (_, version, taken_at, taken_by): SnapshotHead,
) -> Result<Publication, StoreError> {
    Ok(Publication {
        published_on: first.published_on,
        version: u32::try_from(version)
            .map_err(|_| StoreError::corrupt(format!("snapshot version {version}")))?,
        taken_at,
        taken_by,
    })
}

const HEAD: [published_snapshot::Column; 4] = [
    published_snapshot::Column::SurveyId,
    published_snapshot::Column::Version,
    published_snapshot::Column::TakenAt,
    published_snapshot::Column::TakenBy,
];

impl Store {
    /// The survey with this id, if it belongs to `municipality_id`; another
    /// municipality's survey is as absent as a missing one.
    pub async fn survey_in(
        &self,
        municipality_id: MunicipalityId,
        id: SurveyId,
    ) -> Result<Option<Survey>, StoreError> {
        survey::Entity::one_of(municipality_id, id.as_uuid())
            .read_one(&self.db, survey_from_row)
            .await
    }

    /// Every survey of a municipality, oldest round first.
    pub async fn surveys_of(
        &self,
        municipality_id: MunicipalityId,
    ) -> Result<Vec<Survey>, StoreError> {
        survey::Entity::of(municipality_id)
            .order_by_asc(survey::Column::OpensOn)
            .order_by_asc(survey::Column::Slug)
            .read_all(&self.db, survey_from_row)
            .await
    }

    /// The name an action by `user` is recorded under: the staff member's address,
    /// or [`CLI_ACTOR`] for the command line.
    pub async fn actor_name(&self, user: Option<StaffUserId>) -> Result<String, StoreError> {
        let Some(id) = user else {
            return Ok(CLI_ACTOR.to_owned());
        };
        Ok(staff_user::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .map_or_else(|| id.to_string(), |row| row.email))
    }

    /// Stores `snapshot` as the public release of `s`, in one transaction: the
    /// round counts as published from `publication.published_on`, and a snapshot
    /// published before is replaced.
    pub async fn save_release(
        &self,
        s: &Survey,
        publication: &Publication,
        snapshot: &Snapshot,
    ) -> Result<(), StoreError> {
        let version = i32::try_from(publication.version)
            .map_err(|_| StoreError::corrupt(format!("version {}", publication.version)))?;
        let txn = self.db.begin().await?;
        published_result::Entity::delete_by_id(s.id.as_uuid())
            .exec(&txn)
            .await?;
        published_result::Entity::insert(published_result::ActiveModel {
            survey_id: Set(s.id.as_uuid()),
            municipality_id: Set(s.municipality_id.as_uuid()),
            published_on: Set(publication.published_on),
        })
        .exec(&txn)
        .await?;
        published_snapshot::Entity::delete_by_id(s.id.as_uuid())
            .exec(&txn)
            .await?;
        published_snapshot::Entity::insert(published_snapshot::ActiveModel {
            survey_id: Set(s.id.as_uuid()),
            municipality_id: Set(s.municipality_id.as_uuid()),
            version: Set(version),
            taken_at: Set(publication.taken_at),
            taken_by: Set(publication.taken_by.clone()),
            results_json: Set(snapshot.results_json.clone()),
            tables_csv: Set(snapshot.tables_csv.clone()),
            tables_csv_semicolon: Set(snapshot.tables_csv_semicolon.clone()),
            follow_up_json: Set(snapshot.follow_up_json.clone()),
        })
        .exec(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Withdraws a round's public results page and its snapshot.
    pub async fn unpublish_results(&self, s: &Survey) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        published_snapshot::Entity::delete_by_id(s.id.as_uuid())
            .exec(&txn)
            .await?;
        published_result::Entity::delete_by_id(s.id.as_uuid())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The round's publication, if it is published.
    pub async fn publication(&self, s: &Survey) -> Result<Option<Publication>, StoreError> {
        let Some(first) = published_result::Entity::find_by_id(s.id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(head) = published_snapshot::Entity::find_by_id(s.id.as_uuid())
            .select_only()
            .columns(HEAD)
            .into_tuple::<SnapshotHead>()
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        publication(&first, head).map(Some)
    }

    /// The survey with `slug`, its publication and its snapshot, if it is published.
    pub async fn published_release(
        &self,
        slug: &str,
    ) -> Result<Option<(Survey, Publication, Snapshot)>, StoreError> {
        let Some(survey) = self.survey_by_slug(slug).await? else {
            return Ok(None);
        };
        let Some(first) = published_result::Entity::find_by_id(survey.id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(row) = published_snapshot::Entity::find_by_id(survey.id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let publication = publication(
            &first,
            (row.survey_id, row.version, row.taken_at, row.taken_by),
        )?;
        let snapshot = Snapshot {
            results_json: row.results_json,
            tables_csv: row.tables_csv,
            tables_csv_semicolon: row.tables_csv_semicolon,
            follow_up_json: row.follow_up_json,
        };
        Ok(Some((survey, publication, snapshot)))
    }

    /// Every published round of a municipality with its follow-up figures, oldest
    /// round first; rounds that are not published are not read at all.
    pub async fn published_follow_up(
        &self,
        municipality_id: MunicipalityId,
    ) -> Result<Vec<PublishedFollowUp>, StoreError> {
        let firsts = published_result::Entity::of(municipality_id)
            .all(&self.db)
            .await?;
        let rows = published_snapshot::Entity::of(municipality_id)
            .select_only()
            .columns(HEAD)
            .column(published_snapshot::Column::FollowUpJson)
            .into_tuple::<(uuid::Uuid, i32, OffsetDateTime, String, String)>()
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (survey_id, version, taken_at, taken_by, follow_up_json) in rows {
            let Some(first) = firsts.iter().find(|f| f.survey_id == survey_id) else {
                continue;
            };
            let Some(survey) = survey::Entity::find_by_id(survey_id)
                .one(&self.db)
                .await?
                .map(survey_from_row)
                .transpose()?
            else {
                continue;
            };
            out.push(PublishedFollowUp {
                survey,
                publication: publication(first, (survey_id, version, taken_at, taken_by))?,
                follow_up_json,
            });
        }
        out.sort_by(|a, b| {
            (a.survey.opens_on, a.survey.slug.as_str())
                .cmp(&(b.survey.opens_on, b.survey.slug.as_str()))
        });
        Ok(out)
    }
}
