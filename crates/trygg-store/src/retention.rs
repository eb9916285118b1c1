//! Data retention: after a survey's retention period, its free text and exact
//! pin locations are deleted; each pin is kept only as the H3 cell it lay in.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use time::Date;
use trygg_domain::{Location, RetentionDays, Survey, SurveyId};

use crate::authoring::{put_retention, retention_from_row};
use crate::entity::{answer, comment_moderation, described_place, pin, survey, survey_policy};
use crate::read::survey_from_row;
use crate::write::delete_of_survey;
use crate::{Backend, Store, StoreError};

/// A survey whose retention period has passed and whose data has not yet been thinned.
#[derive(Debug, Clone)]
pub struct RetentionDue {
    /// The survey.
    pub survey: Survey,
    /// Its period.
    pub retention: RetentionDays,
    /// The first day it was due.
    pub due_on: Date,
}

/// What one retention run deleted from one survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Retained {
    /// Free-text answers deleted.
    pub text_answers: u64,
    /// Pins whose exact location was replaced by their cell, and whose comment was deleted.
    pub pins: u64,
    /// Places described in words whose description and comment were deleted.
    pub described_places: u64,
    /// Moderation decisions (with edited text) deleted.
    pub decisions: u64,
}

impl Store {
    /// Sets or clears a published survey's retention period.
    pub async fn set_retention(
        &self,
        s: &Survey,
        retention: Option<RetentionDays>,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        put_retention(&txn, s, retention).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Published surveys, of every municipality, whose retention period ended
    /// before or on `today` and whose data has not been thinned yet.
    pub async fn due_for_retention(&self, today: Date) -> Result<Vec<RetentionDue>, StoreError> {
        let policies = survey_policy::Entity::find()
            .filter(survey_policy::Column::RetentionDays.is_not_null())
            .filter(survey_policy::Column::RetainedOn.is_null())
            .all(&self.db)
            .await?;
        let mut due = Vec::new();
        for policy in policies {
            let Some(retention) = retention_from_row(policy.retention_days)? else {
                continue;
            };
            let Some(row) = survey::Entity::find_by_id(policy.survey_id)
                .one(&self.db)
                .await?
            else {
                continue;
            };
            let survey = survey_from_row(row)?;
            let Some(closes_on) = survey.closes_on else {
                continue;
            };
            let due_on = retention.due_on(closes_on);
            if due_on <= today {
                due.push(RetentionDue {
                    survey,
                    retention,
                    due_on,
                });
            }
        }
        Ok(due)
    }

    /// Deletes a survey's free text and exact locations in one transaction:
    /// free-text answers, pin and described-place comments, the words of described
    /// places and the moderators' edited copies; each pin's location becomes
    /// `coarsen(location)` (its cell's centre), so counts per cell stay as they were.
    /// Nothing changes if `coarsen` has no answer for a pin.
    /// Marks the survey as thinned on `today`.
    pub async fn apply_retention(
        &self,
        survey_id: SurveyId,
        today: Date,
        coarsen: impl Fn(Location) -> Option<Location>,
    ) -> Result<Retained, StoreError> {
        let id = survey_id.as_uuid();
        let txn = self.db.begin().await?;
        let text_answers = answer::Entity::delete_many()
            .filter(answer::Column::SurveyId.eq(id))
            .filter(answer::Column::TextValue.is_not_null())
            .exec(&txn)
            .await?
            .rows_affected;
        let pins = pin::Entity::find()
            .filter(pin::Column::SurveyId.eq(id))
            .all(&txn)
            .await?;
        for row in &pins {
            let exact =
                Location::parse(row.lon, row.lat, "pin.location").map_err(StoreError::corrupt)?;
            let cell = coarsen(exact)
                .ok_or_else(|| StoreError::corrupt("a pin location without an H3 cell"))?;
            pin::Entity::update(pin::ActiveModel {
                id: Set(row.id),
                lon: Set(cell.lon()),
                lat: Set(cell.lat()),
                comment: Set(None),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
        let described_places = described_place::Entity::update_many()
            .col_expr(described_place::Column::Description, Expr::value(""))
            .col_expr(
                described_place::Column::Comment,
                Expr::value(Option::<String>::None),
            )
            .filter(described_place::Column::SurveyId.eq(id))
            .exec(&txn)
            .await?
            .rows_affected;
        let decisions = delete_of_survey(&txn, comment_moderation::Column::SurveyId, id).await?;
        survey_policy::Entity::update(survey_policy::ActiveModel {
            survey_id: Set(id),
            retained_on: Set(Some(today)),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        txn.commit().await?;
        if self.backend == Backend::Sqlite {
            // The WAL still holds the pages as they were before the purge;
            // copy the purged pages into the database file and empty the WAL,
            // so the deleted text is nowhere on disk.
            self.db
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
        }
        Ok(Retained {
            text_answers,
            pins: pins.len() as u64,
            described_places,
            decisions,
        })
    }
}
