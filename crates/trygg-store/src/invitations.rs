//! Invitation codes: created for a postal sample, consumed once by the intake.
//! A code is only marked used; nothing links it to the response it opened.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    TransactionTrait, sea_query::Expr,
};
use trygg_domain::{InvitationCode, Key, Survey, SurveyId};

use crate::entity::{invitation, response};
use crate::write::conflict;
use crate::{Store, StoreError};

/// What happened to a code at the intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumed {
    /// It was unused and is now used.
    Now,
    /// It had been used before.
    Before,
    /// The survey has no such code.
    Unknown,
}

/// Codes issued and used, for one area (or for letters without an area).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationCount {
    /// The area the letters went to, if given.
    pub area: Option<String>,
    /// Codes issued.
    pub issued: u64,
    /// Codes used.
    pub used: u64,
}

impl Store {
    /// Stores new codes of `survey` for letters to `area`, all or none.
    pub async fn insert_invitations(
        &self,
        survey: &Survey,
        area: Option<&Key>,
        codes: &[InvitationCode],
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let rows: Vec<invitation::ActiveModel> = codes
            .iter()
            .map(|code| invitation::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                municipality_id: Set(survey.municipality_id.as_uuid()),
                survey_id: Set(survey.id.as_uuid()),
                code: Set(code.as_str().to_owned()),
                area_code: Set(area.map(|a| a.as_str().to_owned())),
                used: Set(false),
            })
            .collect();
        crate::bulk::insert_all(&txn, rows)
            .await
            .map_err(|e| conflict(e, "codes", "a code was made twice; make them again"))?;
        txn.commit().await?;
        Ok(())
    }

    /// Whether `survey` takes responses only with an invitation code: whether it
    /// has one, found through the index on survey and code without counting
    /// the thousands a postal sample has.
    pub async fn needs_invitation(&self, survey: SurveyId) -> Result<bool, StoreError> {
        Ok(invitation::Entity::find()
            .select_only()
            .column(invitation::Column::Id)
            .filter(invitation::Column::SurveyId.eq(survey.as_uuid()))
            .into_tuple::<uuid::Uuid>()
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Marks `code` used, unless it was used before; one statement, so two
    /// responses racing with the same code cannot both have it.
    pub async fn consume_invitation(
        &self,
        survey: SurveyId,
        code: &InvitationCode,
    ) -> Result<Consumed, StoreError> {
        let changed = invitation::Entity::update_many()
            .col_expr(invitation::Column::Used, Expr::value(true))
            .filter(invitation::Column::SurveyId.eq(survey.as_uuid()))
            .filter(invitation::Column::Code.eq(code.as_str()))
            .filter(invitation::Column::Used.eq(false))
            .exec(&self.db)
            .await?
            .rows_affected;
        if changed > 0 {
            return Ok(Consumed::Now);
        }
        let exists = invitation::Entity::find()
            .filter(invitation::Column::SurveyId.eq(survey.as_uuid()))
            .filter(invitation::Column::Code.eq(code.as_str()))
            .count(&self.db)
            .await?
            > 0;
        Ok(if exists {
            Consumed::Before
        } else {
            Consumed::Unknown
        })
    }

    /// Gives a code back when the response it was consumed for could not be stored.
    pub async fn release_invitation(
        &self,
        survey: SurveyId,
        code: &InvitationCode,
    ) -> Result<(), StoreError> {
        invitation::Entity::update_many()
            .col_expr(invitation::Column::Used, Expr::value(false))
            .filter(invitation::Column::SurveyId.eq(survey.as_uuid()))
            .filter(invitation::Column::Code.eq(code.as_str()))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Whether a response of `survey` was stored under this idempotency key, so a
    /// retry of it may pass with its already used code.
    pub async fn has_response_with_key(
        &self,
        survey: SurveyId,
        key: &str,
    ) -> Result<bool, StoreError> {
        Ok(response::Entity::find()
            .filter(response::Column::SurveyId.eq(survey.as_uuid()))
            .filter(response::Column::IdempotencyKey.eq(key))
            .count(&self.db)
            .await?
            > 0)
    }

    /// Codes issued and used per area, areas by code, letters without an area last.
    pub async fn invitation_counts(
        &self,
        survey: SurveyId,
    ) -> Result<Vec<InvitationCount>, StoreError> {
        let mut counts: Vec<InvitationCount> = Vec::new();
        for row in invitation::Entity::find()
            .filter(invitation::Column::SurveyId.eq(survey.as_uuid()))
            .all(&self.db)
            .await?
        {
            let index = match counts.iter().position(|c| c.area == row.area_code) {
                Some(i) => i,
                None => {
                    counts.push(InvitationCount {
                        area: row.area_code.clone(),
                        issued: 0,
                        used: 0,
                    });
                    counts.len() - 1
                }
            };
            if let Some(count) = counts.get_mut(index) {
                count.issued += 1;
                count.used += u64::from(row.used);
            }
        }
        counts.sort_by(|a, b| (a.area.is_none(), &a.area).cmp(&(b.area.is_none(), &b.area)));
        Ok(counts)
    }
}
