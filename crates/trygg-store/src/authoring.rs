//! Survey authoring: drafts, publishing, corrections of published surveys, the
//! round a survey was copied from, and its retention period.
//!
//! Drafts live in their own table, so everything that reads `survey` (intake,
//! exports, analysis) only ever sees published surveys. Publishing moves a
//! draft into `survey` under the same id in one transaction.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use time::{Date, OffsetDateTime};
use trygg_domain::{MunicipalityId, RetentionDays, Survey, SurveyId, SurveyInput, SurveyStatus};

use crate::entity::{response, survey, survey_draft, survey_policy};
use crate::read::survey_from_row;
use crate::tenant::Tenant;
use crate::write::{conflict, survey_row};
use crate::{Store, StoreError};

/// A survey as staff see it in the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthoredSurvey {
    /// The definition.
    pub survey: Survey,
    /// Draft or published.
    pub status: SurveyStatus,
    /// The round it was copied from, if it is a new round of another survey.
    pub copied_from: Option<SurveyId>,
    /// How long after closing its free text and exact places are kept.
    pub retention: Option<RetentionDays>,
    /// The day its free text and exact places were deleted, if they have been.
    pub retained_on: Option<Date>,
    /// How many responses it has.
    pub responses: u64,
}

/// What authoring settings a survey carries besides its definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SurveySettings {
    /// The round it was copied from.
    pub copied_from: Option<SurveyId>,
    /// Its retention period.
    pub retention: Option<RetentionDays>,
}

impl Store {
    /// A municipality's drafts, then its published surveys, newest first.
    pub async fn authored_surveys(
        &self,
        municipality_id: MunicipalityId,
    ) -> Result<Vec<AuthoredSurvey>, StoreError> {
        let mut out = Vec::new();
        for row in survey_draft::Entity::of(municipality_id)
            .order_by_desc(survey_draft::Column::UpdatedAt)
            .all(&self.db)
            .await?
        {
            out.push(draft_from_row(row)?);
        }
        for row in survey::Entity::of(municipality_id)
            .order_by_desc(survey::Column::OpensOn)
            .order_by_desc(survey::Column::Slug)
            .all(&self.db)
            .await?
        {
            out.push(self.published_from_row(row).await?);
        }
        Ok(out)
    }

    /// One survey of a municipality, draft or published; another municipality's is `None`.
    pub async fn authored_survey(
        &self,
        municipality_id: MunicipalityId,
        id: SurveyId,
    ) -> Result<Option<AuthoredSurvey>, StoreError> {
        if let Some(row) = survey_draft::Entity::one_of(municipality_id, id.as_uuid())
            .one(&self.db)
            .await?
        {
            return draft_from_row(row).map(Some);
        }
        match survey::Entity::one_of(municipality_id, id.as_uuid())
            .one(&self.db)
            .await?
        {
            Some(row) => self.published_from_row(row).await.map(Some),
            None => Ok(None),
        }
    }

    /// Stores a new draft; its slug must be free among drafts and surveys.
    pub async fn insert_draft(
        &self,
        s: &Survey,
        settings: SurveySettings,
    ) -> Result<(), StoreError> {
        // The check and the write are separate statements: a SQLite transaction
        // that reads before it writes cannot wait for another writer.
        slug_free_of_surveys(&self.db, s).await?;
        survey_draft::Entity::insert(draft_row(s, settings)?)
            .exec(&self.db)
            .await
            .map_err(|e| slug_taken(e, s))?;
        Ok(())
    }

    /// Replaces a draft's definition and retention period.
    pub async fn update_draft(
        &self,
        s: &Survey,
        retention: Option<RetentionDays>,
    ) -> Result<(), StoreError> {
        slug_free_of_surveys(&self.db, s).await?;
        let mut row = draft_row(s, SurveySettings::default())?;
        row.copied_from = sea_orm::ActiveValue::NotSet;
        row.retention_days = Set(retention.map(|r| i32::from(r.days())));
        survey_draft::Entity::update(row)
            .exec(&self.db)
            .await
            .map_err(|e| slug_taken(e, s))?;
        Ok(())
    }

    /// Deletes a draft; `false` if the municipality has no such draft.
    pub async fn delete_draft(
        &self,
        municipality_id: MunicipalityId,
        id: SurveyId,
    ) -> Result<bool, StoreError> {
        let deleted = survey_draft::Entity::delete_of(municipality_id, id.as_uuid())
            .exec(&self.db)
            .await?;
        Ok(deleted.rows_affected > 0)
    }

    /// Publishes a draft as `s` (the draft with its dates set): the survey, its
    /// settings and the draft's deletion in one transaction.
    pub async fn publish_draft(
        &self,
        s: &Survey,
        settings: SurveySettings,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let deleted = survey_draft::Entity::delete_of(s.municipality_id, s.id.as_uuid())
            .exec(&txn)
            .await?;
        if deleted.rows_affected == 0 {
            return Err(StoreError::Conflict {
                field: "status".to_owned(),
                message: "the survey is not a draft".to_owned(),
            });
        }
        survey::Entity::insert(survey_row(s)?)
            .exec(&txn)
            .await
            .map_err(|e| slug_taken(e, s))?;
        survey_policy::Entity::insert(policy_row(s, settings))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Replaces a published survey's definition (already checked with
    /// `check_revision`) and its retention period.
    pub async fn update_published(
        &self,
        s: &Survey,
        retention: Option<RetentionDays>,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        survey::Entity::update(survey_row(s)?).exec(&txn).await?;
        put_retention(&txn, s, retention).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn published_from_row(&self, row: survey::Model) -> Result<AuthoredSurvey, StoreError> {
        let policy = survey_policy::Entity::find_by_id(row.id)
            .one(&self.db)
            .await?;
        let responses = response::Entity::find()
            .filter(response::Column::SurveyId.eq(row.id))
            .count(&self.db)
            .await?;
        let (copied_from, retention, retained_on) = match policy {
            Some(p) => (
                p.copied_from.map(SurveyId::from_uuid),
                retention_from_row(p.retention_days)?,
                p.retained_on,
            ),
            None => (None, None, None),
        };
        Ok(AuthoredSurvey {
            survey: survey_from_row(row)?,
            status: SurveyStatus::Published,
            copied_from,
            retention,
            retained_on,
            responses,
        })
    }
}

fn draft_row(
    s: &Survey,
    settings: SurveySettings,
) -> Result<survey_draft::ActiveModel, StoreError> {
    Ok(survey_draft::ActiveModel {
        id: Set(s.id.as_uuid()),
        municipality_id: Set(s.municipality_id.as_uuid()),
        slug: Set(s.slug.as_str().to_owned()),
        definition: Set(serde_json::to_string(s).map_err(StoreError::corrupt)?),
        copied_from: Set(settings.copied_from.map(|id| id.as_uuid())),
        retention_days: Set(settings.retention.map(|r| i32::from(r.days()))),
        updated_at: Set(OffsetDateTime::now_utc()),
    })
}

/// Sets or clears the survey's retention period, adding its policy row if it
/// has none yet; the round it was copied from stays as it was.
pub(crate) async fn put_retention(
    db: &impl ConnectionTrait,
    s: &Survey,
    retention: Option<RetentionDays>,
) -> Result<(), StoreError> {
    let existing = survey_policy::Entity::find_by_id(s.id.as_uuid())
        .one(db)
        .await?;
    if existing.is_some() {
        survey_policy::Entity::update(survey_policy::ActiveModel {
            survey_id: Set(s.id.as_uuid()),
            retention_days: Set(retention.map(|r| i32::from(r.days()))),
            ..Default::default()
        })
        .exec(db)
        .await?;
    } else {
        let settings = SurveySettings {
            copied_from: None,
            retention,
        };
        survey_policy::Entity::insert(policy_row(s, settings))
            .exec(db)
            .await?;
    }
    Ok(())
}

fn policy_row(s: &Survey, settings: SurveySettings) -> survey_policy::ActiveModel {
    survey_policy::ActiveModel {
        survey_id: Set(s.id.as_uuid()),
        municipality_id: Set(s.municipality_id.as_uuid()),
        copied_from: Set(settings.copied_from.map(|id| id.as_uuid())),
        retention_days: Set(settings.retention.map(|r| i32::from(r.days()))),
        retained_on: Set(None),
    }
}

fn draft_from_row(row: survey_draft::Model) -> Result<AuthoredSurvey, StoreError> {
    let input: SurveyInput = serde_json::from_str(&row.definition).map_err(StoreError::corrupt)?;
    let parsed = Survey::parse(input, MunicipalityId::from_uuid(row.municipality_id))
        .map_err(StoreError::corrupt)?;
    Ok(AuthoredSurvey {
        survey: Survey {
            id: SurveyId::from_uuid(row.id),
            ..parsed
        },
        status: SurveyStatus::Draft,
        copied_from: row.copied_from.map(SurveyId::from_uuid),
        retention: retention_from_row(row.retention_days)?,
        retained_on: None,
        responses: 0,
    })
}

pub(crate) fn retention_from_row(days: Option<i32>) -> Result<Option<RetentionDays>, StoreError> {
    days.map(|d| RetentionDays::parse(i64::from(d), "retention_days").map_err(StoreError::corrupt))
        .transpose()
}

/// A draft may not take the slug of a published survey, which has its own unique index.
async fn slug_free_of_surveys(
    db: &impl sea_orm::ConnectionTrait,
    s: &Survey,
) -> Result<(), StoreError> {
    let taken = survey::Entity::find()
        .filter(survey::Column::Slug.eq(s.slug.as_str()))
        .count(db)
        .await?;
    if taken > 0 {
        return Err(StoreError::Conflict {
            field: "slug".to_owned(),
            message: format!("survey `{}` already exists", s.slug),
        });
    }
    Ok(())
}

fn slug_taken(error: sea_orm::DbErr, s: &Survey) -> StoreError {
    conflict(
        error,
        "slug",
        &format!("survey `{}` already exists", s.slug),
    )
}
