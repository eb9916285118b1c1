//! Moderation of residents' free text: pin comments, free-text answers and the
//! comments on places described in words.
//!
//! A comment with no decision is pending. [`Store::public_comments`] is the one
//! way for public outputs (the lägesbild, published maps) to read comments: it
//! returns only approved comments, and redacted ones in their edited form.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use time::OffsetDateTime;
use trygg_domain::{
    CommentSource, Decision, ModerationStatus, MunicipalityId, ResponseId, Survey, SurveyId,
};
use uuid::Uuid;

use crate::entity::{answer, comment_moderation, described_place, pin, response};
use crate::rows::save;
use crate::tenant::Tenant;
use crate::{Store, StoreError};

/// One resident's comment and where it is in moderation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The id of the pin, answer or described place it belongs to.
    pub id: Uuid,
    /// The survey it was given in.
    pub survey_id: SurveyId,
    /// Where in the response it came from.
    pub source: CommentSource,
    /// The text as the resident wrote it.
    pub text: String,
    /// The pin's or described place's category, or the free-text question's key.
    pub context: String,
    /// The area a pin lies in, if known.
    pub area_code: Option<String>,
    /// Where it is in moderation.
    pub status: ModerationStatus,
    /// The moderator's edited text, for a redacted comment.
    pub edited_text: Option<String>,
    /// The moderator's reason.
    pub reason: Option<String>,
}

impl Comment {
    /// The text public outputs may show: the original if approved, the edit if
    /// redacted, nothing otherwise.
    pub fn public_text(&self) -> Option<&str> {
        match self.status {
            ModerationStatus::Approved => Some(&self.text),
            ModerationStatus::Redacted => self.edited_text.as_deref(),
            ModerationStatus::Pending | ModerationStatus::Rejected => None,
        }
    }
}

/// A comment that public outputs may show, in the form they may show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicComment {
    /// Where in the response it came from.
    pub source: CommentSource,
    /// The approved or redacted text.
    pub text: String,
    /// The pin's category or the free-text question's key.
    pub context: String,
    /// The area a pin lies in, if known.
    pub area_code: Option<String>,
    /// The response it came with, if any, so a filtered view shows only the
    /// comments of the respondents it keeps.
    pub response_id: Option<ResponseId>,
}

/// Which comments to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommentFilter {
    /// Only this survey's.
    pub survey_id: Option<SurveyId>,
    /// Only comments with this status.
    pub status: Option<ModerationStatus>,
}

impl Store {
    /// A municipality's comments with their moderation, by the submitted hour of
    /// their response (comments without one first), then id: never in the order
    /// they arrived within an hour.
    pub async fn comments(
        &self,
        municipality_id: MunicipalityId,
        filter: CommentFilter,
    ) -> Result<Vec<Comment>, StoreError> {
        let survey = filter.survey_id.map(|id| id.as_uuid());
        let mut decisions: HashMap<Uuid, comment_moderation::Model> = HashMap::new();
        let query = comment_moderation::Entity::of(municipality_id).apply_if(survey, |q, s| {
            q.filter(comment_moderation::Column::SurveyId.eq(s))
        });
        for row in query.all(&self.db).await? {
            decisions.insert(row.id, row);
        }

        let mut raw: Vec<Written> = Vec::new();
        let pins = pin::Entity::of(municipality_id)
            .filter(pin::Column::Comment.is_not_null())
            .apply_if(survey, |q, s| q.filter(pin::Column::SurveyId.eq(s)))
            .order_by_asc(pin::Column::Id)
            .all(&self.db)
            .await?;
        raw.extend(pins.into_iter().filter_map(Written::pin));
        let answers = answer::Entity::of(municipality_id)
            .filter(answer::Column::TextValue.is_not_null())
            .apply_if(survey, |q, s| q.filter(answer::Column::SurveyId.eq(s)))
            .order_by_asc(answer::Column::Id)
            .all(&self.db)
            .await?;
        raw.extend(answers.into_iter().filter_map(Written::answer));
        let described = described_place::Entity::of(municipality_id)
            .filter(described_place::Column::Comment.is_not_null())
            .apply_if(survey, |q, s| {
                q.filter(described_place::Column::SurveyId.eq(s))
            })
            .order_by_asc(described_place::Column::Id)
            .all(&self.db)
            .await?;
        raw.extend(described.into_iter().filter_map(Written::place));
        let hours = self
            .submitted_hours(raw.iter().filter_map(|w| w.response_id))
            .await?;
        raw.sort_by_key(|w| (w.response_id.and_then(|r| hours.get(&r)), w.id));

        let mut out = Vec::with_capacity(raw.len());
        for written in raw {
            let decision = decisions.remove(&written.id);
            let comment = written.with(decision)?;
            if filter.status.is_some_and(|wanted| wanted != comment.status) {
                continue;
            }
            out.push(comment);
        }
        Ok(out)
    }

    /// One comment of a municipality; another municipality's is `None`.
    pub async fn comment(
        &self,
        municipality_id: MunicipalityId,
        id: Uuid,
    ) -> Result<Option<Comment>, StoreError> {
        // The comment's survey narrows the scan to one survey's comments.
        let survey_id = if let Some(p) = pin::Entity::one_of(municipality_id, id)
            .one(&self.db)
            .await?
        {
            p.survey_id
        } else if let Some(a) = answer::Entity::one_of(municipality_id, id)
            .one(&self.db)
            .await?
        {
            a.survey_id
        } else if let Some(d) = described_place::Entity::one_of(municipality_id, id)
            .one(&self.db)
            .await?
        {
            d.survey_id
        } else {
            return Ok(None);
        };
        Ok(self
            .comments(
                municipality_id,
                CommentFilter {
                    survey_id: Some(SurveyId::from_uuid(survey_id)),
                    status: None,
                },
            )
            .await?
            .into_iter()
            .find(|c| c.id == id))
    }

    /// Records a moderator's decision on `comment`, replacing any earlier one.
    pub async fn decide_comment(
        &self,
        municipality_id: MunicipalityId,
        comment: &Comment,
        decision: &Decision,
        decided_by: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let row = comment_moderation::ActiveModel {
            id: Set(comment.id),
            municipality_id: Set(municipality_id.as_uuid()),
            survey_id: Set(comment.survey_id.as_uuid()),
            source: Set(comment.source.as_str().to_owned()),
            status: Set(decision.status().as_str().to_owned()),
            edited_text: Set(decision.edited_text().map(str::to_owned)),
            reason: Set(decision.reason().map(str::to_owned)),
            decided_by: Set(decided_by),
            decided_at: Set(OffsetDateTime::now_utc()),
        };
        save(
            &self.db,
            comment_moderation::Entity::find_by_id(comment.id),
            row,
        )
        .await
    }

    /// The comments of a survey that public outputs may show: approved ones as
    /// written, redacted ones as edited; pending and rejected ones never.
    ///
    /// Read from the decisions: a round of 100,000 responses may hold as many
    /// unmoderated comments, which this never reads.
    pub async fn public_comments(&self, s: &Survey) -> Result<Vec<PublicComment>, StoreError> {
        let shown = [
            ModerationStatus::Approved.as_str(),
            ModerationStatus::Redacted.as_str(),
        ];
        let decisions = comment_moderation::Entity::find()
            .filter(comment_moderation::Column::SurveyId.eq(s.id.as_uuid()))
            .filter(comment_moderation::Column::Status.is_in(shown))
            .all(&self.db)
            .await?;
        let ids = |source: CommentSource| -> Vec<Uuid> {
            decisions
                .iter()
                .filter(|d| d.source == source.as_str())
                .map(|d| d.id)
                .collect()
        };
        // The text and origin of each decided comment.
        let pins = with_ids(&self.db, pin::Column::Id, &ids(CommentSource::PinComment)).await?;
        let answers = with_ids(&self.db, answer::Column::Id, &ids(CommentSource::FreeText)).await?;
        let places = ids(CommentSource::PlaceComment);
        let places = with_ids(&self.db, described_place::Column::Id, &places).await?;
        let mut found: HashMap<Uuid, Written> = pins
            .into_iter()
            .filter_map(Written::pin)
            .chain(answers.into_iter().filter_map(Written::answer))
            .chain(places.into_iter().filter_map(Written::place))
            .map(|w| (w.id, w))
            .collect();
        let hours = self
            .submitted_hours(found.values().filter_map(|w| w.response_id))
            .await?;
        let mut shown: Vec<((Option<&OffsetDateTime>, Uuid), PublicComment)> =
            Vec::with_capacity(found.len());
        for d in decisions {
            // A comment whose text retention has removed has nothing left to show.
            let Some(written) = found.remove(&d.id) else {
                continue;
            };
            let response_id = written.response_id.map(ResponseId::from_uuid);
            let hour = written.response_id.and_then(|r| hours.get(&r));
            let comment = written.with(Some(d))?;
            if let Some(text) = comment.public_text() {
                shown.push((
                    (hour, comment.id),
                    PublicComment {
                        source: comment.source,
                        text: text.to_owned(),
                        context: comment.context.clone(),
                        area_code: comment.area_code.clone(),
                        response_id,
                    },
                ));
            }
        }
        // By hour, then by the random id: never the order they arrived.
        shown.sort_by_key(|(order, _)| *order);
        Ok(shown.into_iter().map(|(_, c)| c).collect())
    }

    /// The submitted hour of each of `responses` that exists.
    async fn submitted_hours(
        &self,
        responses: impl Iterator<Item = Uuid>,
    ) -> Result<HashMap<Uuid, OffsetDateTime>, StoreError> {
        let wanted: Vec<Uuid> = responses.collect::<HashSet<_>>().into_iter().collect();
        let mut hours = HashMap::with_capacity(wanted.len());
        for chunk in wanted.chunks(BY_ID) {
            let rows: Vec<(Uuid, OffsetDateTime)> = response::Entity::find()
                .select_only()
                .column(response::Column::Id)
                .column(response::Column::SubmittedHour)
                .filter(response::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(&self.db)
                .await?;
            hours.extend(rows);
        }
        Ok(hours)
    }
}

/// A resident's comment as written, from the pin, answer or described place that
/// holds it: the one mapping of those rows to comments, for the queue and for
/// public outputs alike.
struct Written {
    id: Uuid,
    survey_id: SurveyId,
    source: CommentSource,
    text: String,
    context: String,
    area_code: Option<String>,
    response_id: Option<Uuid>,
}

impl Written {
    fn pin(p: pin::Model) -> Option<Self> {
        Some(Self {
            id: p.id,
            survey_id: SurveyId::from_uuid(p.survey_id),
            source: CommentSource::PinComment,
            text: p.comment?,
            context: p.category,
            area_code: p.area_code,
            response_id: p.response_id,
        })
    }

    fn answer(a: answer::Model) -> Option<Self> {
        Some(Self {
            id: a.id,
            survey_id: SurveyId::from_uuid(a.survey_id),
            source: CommentSource::FreeText,
            text: a.text_value?,
            context: a.question_key,
            area_code: None,
            response_id: Some(a.response_id),
        })
    }

    fn place(d: described_place::Model) -> Option<Self> {
        Some(Self {
            id: d.id,
            survey_id: SurveyId::from_uuid(d.survey_id),
            source: CommentSource::PlaceComment,
            text: d.comment?,
            context: d.category,
            area_code: None,
            response_id: Some(d.response_id),
        })
    }

    /// The comment with its moderation: pending without a decision.
    fn with(self, decision: Option<comment_moderation::Model>) -> Result<Comment, StoreError> {
        let status = match &decision {
            Some(d) => ModerationStatus::parse(&d.status, "comment_moderation.status")
                .map_err(StoreError::corrupt)?,
            None => ModerationStatus::Pending,
        };
        let (edited_text, reason) = decision.map_or((None, None), |d| (d.edited_text, d.reason));
        Ok(Comment {
            id: self.id,
            survey_id: self.survey_id,
            source: self.source,
            text: self.text,
            context: self.context,
            area_code: self.area_code,
            status,
            edited_text,
            reason,
        })
    }
}

/// How many ids one `IN (…)` list holds, well below every database's limit on parameters.
const BY_ID: usize = 500;

/// The rows of the table of `column` whose `column` holds one of `ids`, read
/// [`BY_ID`] ids at a time.
async fn with_ids<C>(
    db: &impl ConnectionTrait,
    column: C,
    ids: &[Uuid],
) -> Result<Vec<<C::EntityName as EntityTrait>::Model>, StoreError>
where
    C: ColumnTrait + Copy,
    C::EntityName: EntityTrait,
{
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(BY_ID) {
        let query = <C::EntityName as EntityTrait>::find().filter(column.is_in(chunk.to_vec()));
        rows.extend(query.all(db).await?);
    }
    Ok(rows)
}
