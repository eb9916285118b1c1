//! Published results: which survey rounds the public page `/r/{slug}` shows, and the
//! tenant-scoped survey reads the staff dashboard needs.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use trygg_domain::{MunicipalityId, Survey, SurveyId};

use crate::entity::{published_result, survey};
use crate::read::survey_from_row;
use crate::{Store, StoreError};

impl Store {
    /// The survey with this id, if it belongs to `municipality_id`; another
    /// municipality's survey is as absent as a missing one.
    pub async fn survey_in(
        &self,
        municipality_id: MunicipalityId,
        id: SurveyId,
    ) -> Result<Option<Survey>, StoreError> {
        survey::Entity::find_by_id(id.as_uuid())
            .filter(survey::Column::MunicipalityId.eq(municipality_id.as_uuid()))
            .one(&self.db)
            .await?
            .map(survey_from_row)
            .transpose()
    }

    /// Every survey of a municipality, oldest round first.
    pub async fn surveys_of(
        &self,
        municipality_id: MunicipalityId,
    ) -> Result<Vec<Survey>, StoreError> {
        survey::Entity::find()
            .filter(survey::Column::MunicipalityId.eq(municipality_id.as_uuid()))
            .order_by_asc(survey::Column::OpensOn)
            .order_by_asc(survey::Column::Slug)
            .all(&self.db)
            .await?
            .into_iter()
            .map(survey_from_row)
            .collect()
    }

    /// Publishes a round's results on `on`; publishing again keeps the first date.
    pub async fn publish_results(&self, s: &Survey, on: time::Date) -> Result<(), StoreError> {
        if self.published_on(s).await?.is_some() {
            return Ok(());
        }
        published_result::Entity::insert(published_result::ActiveModel {
            survey_id: Set(s.id.as_uuid()),
            municipality_id: Set(s.municipality_id.as_uuid()),
            published_on: Set(on),
        })
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// Withdraws a round's public results page.
    pub async fn unpublish_results(&self, s: &Survey) -> Result<(), StoreError> {
        published_result::Entity::delete_by_id(s.id.as_uuid())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The day a round's results were published, if they are.
    pub async fn published_on(&self, s: &Survey) -> Result<Option<time::Date>, StoreError> {
        Ok(published_result::Entity::find_by_id(s.id.as_uuid())
            .one(&self.db)
            .await?
            .map(|row| row.published_on))
    }

    /// The survey with `slug` if its results are published.
    pub async fn published_survey(&self, slug: &str) -> Result<Option<Survey>, StoreError> {
        let Some(survey) = self.survey_by_slug(slug).await? else {
            return Ok(None);
        };
        Ok(self.published_on(&survey).await?.map(|_| survey))
    }
}
