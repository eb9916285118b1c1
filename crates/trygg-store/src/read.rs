//! Reads: stored rows back into domain values.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, sea_query::NullOrdering,
};
use trygg_domain::{
    Answer, Area, AreaId, Boundary, DescribedPlace, Key, Language, Location, Municipality,
    MunicipalityId, NamedPlace, Pin, Response, ResponseId, Slug, SubmittedHour, Survey, SurveyId,
    SurveyInput, TimeOfDay,
};
use uuid::Uuid;

use crate::entity::{
    answer, area, area_population, described_place, invitation, municipality, pin, place, response,
    survey,
};
use crate::rows::ReadAs;
use crate::tenant::Tenant;
use crate::{Store, StoreError};

/// One line of `trygg survey list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveySummary {
    /// The survey's slug.
    pub slug: String,
    /// Its round label.
    pub round: String,
    /// Its Swedish title.
    pub title: String,
    /// The municipality's slug.
    pub municipality: String,
    /// First day open.
    pub opens_on: time::Date,
    /// Last day open.
    pub closes_on: Option<time::Date>,
    /// How many responses are stored.
    pub responses: u64,
    /// How many pins are stored.
    pub pins: u64,
}

/// One stored choice or number, as a lägesbild counts it: free text is left out.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerValue {
    /// The response it belongs to.
    pub response_id: ResponseId,
    /// The question's key.
    pub question_key: String,
    /// The chosen option (one row per chosen option of a multiple-choice question).
    pub option_key: Option<String>,
    /// The number given.
    pub number: Option<f64>,
}

/// A stored pin without its comment, as a lägesbild maps it.
#[derive(Debug, Clone, PartialEq)]
pub struct PinValue {
    /// The response it came with, if any.
    pub response_id: Option<ResponseId>,
    /// Where.
    pub location: Location,
    /// What makes the place unsafe.
    pub category: Key,
    /// When.
    pub time_of_day: TimeOfDay,
}

/// A stored pin with what it is linked to.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPin {
    /// The response it came with, if any.
    pub response_id: Option<ResponseId>,
    /// The area it lies in, if any.
    pub area_code: Option<String>,
    /// The pin itself.
    pub pin: Pin,
}

impl Store {
    /// Every municipality, by slug.
    pub async fn municipalities(&self) -> Result<Vec<Municipality>, StoreError> {
        municipality::Entity::find()
            .order_by_asc(municipality::Column::Slug)
            .read_all(&self.db, municipality_from_row)
            .await
    }

    /// The municipality with `slug`, if any.
    pub async fn municipality_by_slug(
        &self,
        slug: &str,
    ) -> Result<Option<Municipality>, StoreError> {
        municipality::Entity::find()
            .filter(municipality::Column::Slug.eq(slug))
            .read_one(&self.db, municipality_from_row)
            .await
    }

    /// The municipality with `id`, if any.
    pub async fn municipality(
        &self,
        id: MunicipalityId,
    ) -> Result<Option<Municipality>, StoreError> {
        municipality::Entity::find_by_id(id.as_uuid())
            .read_one(&self.db, municipality_from_row)
            .await
    }

    /// A municipality's areas, by code.
    pub async fn areas(&self, municipality_id: MunicipalityId) -> Result<Vec<Area>, StoreError> {
        area::Entity::of(municipality_id)
            .order_by_asc(area::Column::Code)
            .read_all(&self.db, |row| {
                let geometry: geojson::Geometry =
                    row.geometry.parse().map_err(StoreError::corrupt)?;
                let parsed = Area::parse(
                    MunicipalityId::from_uuid(row.municipality_id),
                    &row.code,
                    &row.name,
                    &geometry,
                    "area",
                )
                .map_err(StoreError::corrupt)?;
                Ok(Area {
                    id: AreaId::from_uuid(row.id),
                    ..parsed
                })
            })
            .await
    }

    /// A municipality's named places, by name.
    pub async fn places(
        &self,
        municipality_id: MunicipalityId,
    ) -> Result<Vec<NamedPlace>, StoreError> {
        place::Entity::of(municipality_id)
            .order_by_asc(place::Column::Name)
            .read_all(&self.db, |row| {
                NamedPlace::parse(
                    municipality_id,
                    &row.name,
                    &row.kind,
                    row.lon,
                    row.lat,
                    "place",
                )
                .map_err(StoreError::corrupt)
            })
            .await
    }

    /// Where pins may lie in a municipality: the union of its areas.
    pub async fn boundary(&self, municipality_id: MunicipalityId) -> Result<Boundary, StoreError> {
        Ok(Boundary::of(&self.areas(municipality_id).await?))
    }

    /// Every survey on the server, newest round last within each municipality.
    pub async fn surveys(&self) -> Result<Vec<SurveySummary>, StoreError> {
        let municipalities: BTreeMap<Uuid, String> = municipality::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.slug))
            .collect();
        let rows = survey::Entity::find()
            .order_by_asc(survey::Column::MunicipalityId)
            .order_by_asc(survey::Column::OpensOn)
            .order_by_asc(survey::Column::Slug)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let responses = response::Entity::find()
                .filter(response::Column::SurveyId.eq(row.id))
                .count(&self.db)
                .await?;
            let pins = pin::Entity::find()
                .filter(pin::Column::SurveyId.eq(row.id))
                .count(&self.db)
                .await?;
            out.push(SurveySummary {
                municipality: municipalities
                    .get(&row.municipality_id)
                    .cloned()
                    .unwrap_or_default(),
                slug: row.slug,
                round: row.round,
                title: row.title,
                opens_on: row.opens_on,
                closes_on: row.closes_on,
                responses,
                pins,
            });
        }
        Ok(out)
    }

    /// The survey with `slug`, if any.
    pub async fn survey_by_slug(&self, slug: &str) -> Result<Option<Survey>, StoreError> {
        survey::Entity::find()
            .filter(survey::Column::Slug.eq(slug))
            .read_one(&self.db, survey_from_row)
            .await
    }

    /// Every response to a survey with its answers and pins, by submitted
    /// hour, then id: never in the order they arrived within an hour.
    pub async fn responses(&self, s: &Survey) -> Result<Vec<Response>, StoreError> {
        let rows = response::Entity::find()
            .filter(response::Column::SurveyId.eq(s.id.as_uuid()))
            .order_by_asc(response::Column::SubmittedHour)
            .order_by_asc(response::Column::Id)
            .all(&self.db)
            .await?;
        let mut answers: BTreeMap<Uuid, Vec<answer::Model>> = BTreeMap::new();
        for a in answer::Entity::find()
            .filter(answer::Column::SurveyId.eq(s.id.as_uuid()))
            .order_by_asc(answer::Column::Id)
            .all(&self.db)
            .await?
        {
            answers.entry(a.response_id).or_default().push(a);
        }
        let mut described: BTreeMap<Uuid, Vec<DescribedPlace>> = BTreeMap::new();
        for row in described_place::Entity::find()
            .filter(described_place::Column::SurveyId.eq(s.id.as_uuid()))
            .order_by_asc(described_place::Column::Id)
            .all(&self.db)
            .await?
        {
            described
                .entry(row.response_id)
                .or_default()
                .push(DescribedPlace {
                    description: row.description,
                    category: Key::parse(&row.category, "described_place.category")
                        .map_err(StoreError::corrupt)?,
                    time_of_day: TimeOfDay::parse(&row.time_of_day, "described_place.time_of_day")
                        .map_err(StoreError::corrupt)?,
                    comment: row.comment,
                });
        }
        let mut pins: BTreeMap<Uuid, Vec<Pin>> = BTreeMap::new();
        for p in self.pins(s).await? {
            if let Some(id) = p.response_id {
                pins.entry(id.as_uuid()).or_default().push(p.pin);
            }
        }
        rows.into_iter()
            .map(|row| {
                Ok(Response {
                    id: ResponseId::from_uuid(row.id),
                    municipality_id: MunicipalityId::from_uuid(row.municipality_id),
                    survey_id: SurveyId::from_uuid(row.survey_id),
                    submitted_hour: SubmittedHour::from_time(row.submitted_hour),
                    answers: answers_from_rows(s, answers.remove(&row.id).unwrap_or_default())?,
                    pins: pins.remove(&row.id).unwrap_or_default(),
                    described_places: described.remove(&row.id).unwrap_or_default(),
                    language: Language::parse(&row.language, "response.language")
                        .map_err(StoreError::corrupt)?,
                })
            })
            .collect()
    }

    /// Every pin of a survey, by its response's submitted hour (pins without a
    /// response first), then id: never in the order they arrived. A response's
    /// pins come in the order they were given.
    pub async fn pins(&self, s: &Survey) -> Result<Vec<StoredPin>, StoreError> {
        by_hour(pin::Entity::find())
            .filter(pin::Column::SurveyId.eq(s.id.as_uuid()))
            .read_all(&self.db, |row| {
                Ok(StoredPin {
                    response_id: row.response_id.map(ResponseId::from_uuid),
                    area_code: row.area_code,
                    pin: Pin {
                        location: Location::parse(row.lon, row.lat, "pin.location")
                            .map_err(StoreError::corrupt)?,
                        category: Key::parse(&row.category, "pin.category")
                            .map_err(StoreError::corrupt)?,
                        time_of_day: TimeOfDay::parse(&row.time_of_day, "pin.time_of_day")
                            .map_err(StoreError::corrupt)?,
                        comment: row.comment,
                    },
                })
            })
            .await
    }

    /// The ids of a survey's responses, by submitted hour, then id.
    pub async fn response_ids(&self, s: &Survey) -> Result<Vec<ResponseId>, StoreError> {
        Ok(response::Entity::find()
            .select_only()
            .column(response::Column::Id)
            .filter(response::Column::SurveyId.eq(s.id.as_uuid()))
            .order_by_asc(response::Column::SubmittedHour)
            .order_by_asc(response::Column::Id)
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(ResponseId::from_uuid)
            .collect())
    }

    /// Hands every choice and number answered to a survey to `each`, as the rows
    /// arrive: a round of 100,000 responses has two million of them, which
    /// should never be held in memory at once.
    ///
    /// # Errors
    /// The store's error, or the first error `each` returns.
    pub async fn for_each_answer<E: From<StoreError>>(
        &self,
        s: &Survey,
        mut each: impl FnMut(AnswerValue) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rows = answer::Entity::find()
            .select_only()
            .column(answer::Column::ResponseId)
            .column(answer::Column::QuestionKey)
            .column(answer::Column::OptionKey)
            .column(answer::Column::NumberValue)
            .filter(answer::Column::SurveyId.eq(s.id.as_uuid()))
            .filter(
                Condition::any()
                    .add(answer::Column::OptionKey.is_not_null())
                    .add(answer::Column::NumberValue.is_not_null()),
            )
            .into_tuple::<(Uuid, String, Option<String>, Option<f64>)>()
            .stream(&self.db)
            .await
            .map_err(StoreError::from)?;
        while let Some((response_id, question_key, option_key, number)) =
            rows.try_next().await.map_err(StoreError::from)?
        {
            each(AnswerValue {
                response_id: ResponseId::from_uuid(response_id),
                question_key,
                option_key,
                number,
            })?;
        }
        Ok(())
    }

    /// Hands every pin of a survey, without its comment, to `each` as the rows
    /// arrive, in the order of [`Store::pins`].
    ///
    /// # Errors
    /// The store's error (a stored pin that does not parse is corrupt), or the
    /// first error `each` returns.
    pub async fn for_each_pin<E: From<StoreError>>(
        &self,
        s: &Survey,
        mut each: impl FnMut(PinValue) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rows = by_hour(pin::Entity::find().select_only())
            .column(pin::Column::ResponseId)
            .column(pin::Column::Lon)
            .column(pin::Column::Lat)
            .column(pin::Column::Category)
            .column(pin::Column::TimeOfDay)
            .filter(pin::Column::SurveyId.eq(s.id.as_uuid()))
            .into_tuple::<(Option<Uuid>, f64, f64, String, String)>()
            .stream(&self.db)
            .await
            .map_err(StoreError::from)?;
        while let Some((response_id, lon, lat, category, time_of_day)) =
            rows.try_next().await.map_err(StoreError::from)?
        {
            each(PinValue {
                response_id: response_id.map(ResponseId::from_uuid),
                location: Location::parse(lon, lat, "pin.location").map_err(StoreError::corrupt)?,
                category: Key::parse(&category, "pin.category").map_err(StoreError::corrupt)?,
                time_of_day: TimeOfDay::parse(&time_of_day, "pin.time_of_day")
                    .map_err(StoreError::corrupt)?,
            })?;
        }
        Ok(())
    }

    /// How many places each response of a survey described in words, for
    /// responses that described any.
    pub async fn described_place_counts(
        &self,
        s: &Survey,
    ) -> Result<Vec<(ResponseId, u64)>, StoreError> {
        Ok(described_place::Entity::find()
            .select_only()
            .column(described_place::Column::ResponseId)
            .column_as(described_place::Column::Id.count(), "places")
            .filter(described_place::Column::SurveyId.eq(s.id.as_uuid()))
            .group_by(described_place::Column::ResponseId)
            .into_tuple::<(Uuid, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(id, places)| {
                (
                    ResponseId::from_uuid(id),
                    u64::try_from(places).unwrap_or(0),
                )
            })
            .collect())
    }

    /// A stamp of what a lägesbild of `surveys` is computed from: it changes when
    /// responses, pins or invitation codes of them are stored, used or deleted (by
    /// their counts), or when the municipality's areas, places or population
    /// figures change. A cache of computed results compares stamps instead of
    /// reading everything again.
    pub async fn results_stamp(
        &self,
        municipality_id: MunicipalityId,
        surveys: &[SurveyId],
    ) -> Result<String, StoreError> {
        let ids: Vec<Uuid> = surveys.iter().map(|s| s.as_uuid()).collect();
        let responses = response::Entity::find()
            .filter(response::Column::SurveyId.is_in(ids.clone()))
            .count(&self.db)
            .await?;
        let pins = pin::Entity::find()
            .filter(pin::Column::SurveyId.is_in(ids.clone()))
            .count(&self.db)
            .await?;
        // Letters sent after the last response change the response rate alone.
        let codes = invitation::Entity::find()
            .filter(invitation::Column::SurveyId.is_in(ids.clone()))
            .count(&self.db)
            .await?;
        let used = invitation::Entity::find()
            .filter(invitation::Column::SurveyId.is_in(ids))
            .filter(invitation::Column::Used.eq(true))
            .count(&self.db)
            .await?;
        let population: Vec<i64> = area_population::Entity::find()
            .select_only()
            .column(area_population::Column::Population)
            .filter(area_population::Column::MunicipalityId.eq(municipality_id.as_uuid()))
            .into_tuple::<i64>()
            .all(&self.db)
            .await?;
        let areas = area::Entity::find()
            .select_only()
            .column(area::Column::Code)
            .column(area::Column::Name)
            .filter(area::Column::MunicipalityId.eq(municipality_id.as_uuid()))
            .order_by_asc(area::Column::Code)
            .into_tuple::<(String, String)>()
            .all(&self.db)
            .await?;
        let places = place::Entity::of(municipality_id).count(&self.db).await?;
        Ok(format!(
            "{responses}|{pins}|{codes}:{used}|{}:{}|{areas:?}|{places}",
            population.len(),
            population.iter().sum::<i64>()
        ))
    }

    /// How many responses a survey has.
    pub async fn count_responses(&self, s: &Survey) -> Result<u64, StoreError> {
        Ok(response::Entity::find()
            .filter(response::Column::SurveyId.eq(s.id.as_uuid()))
            .count(&self.db)
            .await?)
    }
}

fn municipality_from_row(row: municipality::Model) -> Result<Municipality, StoreError> {
    Ok(Municipality {
        id: MunicipalityId::from_uuid(row.id),
        slug: Slug::parse(&row.slug, "municipality.slug").map_err(StoreError::corrupt)?,
        name: row.name,
        synthetic: row.synthetic,
    })
}

pub(crate) fn survey_from_row(row: survey::Model) -> Result<Survey, StoreError> {
    let input: SurveyInput = serde_json::from_str(&row.definition).map_err(StoreError::corrupt)?;
    let parsed = Survey::parse(input, MunicipalityId::from_uuid(row.municipality_id))
        .map_err(StoreError::corrupt)?;
    Ok(Survey {
        id: SurveyId::from_uuid(row.id),
        ..parsed
    })
}

/// Rebuilds answers from their rows: several option rows of one question are a
/// multiple-choice answer, kept in the survey's option order.
/// Pins in the order lists of them are given: by their response's submitted
/// hour (pins without a response first, on both databases), then by id, which
/// is random, so the order says nothing of when each arrived.
fn by_hour(pins: Select<pin::Entity>) -> Select<pin::Entity> {
    pins.join(
        JoinType::LeftJoin,
        pin::Entity::belongs_to(response::Entity)
            .from(pin::Column::ResponseId)
            .to(response::Column::Id)
            .into(),
    )
    .order_by_with_nulls(
        response::Column::SubmittedHour,
        Order::Asc,
        NullOrdering::First,
    )
    .order_by_asc(pin::Column::Id)
}

fn answers_from_rows(
    s: &Survey,
    rows: Vec<answer::Model>,
) -> Result<BTreeMap<Key, Answer>, StoreError> {
    let mut out: BTreeMap<Key, Answer> = BTreeMap::new();
    for row in rows {
        let Some(question) = s.question(&row.question_key) else {
            return Err(StoreError::corrupt(format!(
                "answer to unknown question `{}`",
                row.question_key
            )));
        };
        let key = question.key.clone();
        let value = match (row.option_key, row.number_value, row.text_value) {
            (Some(option), _, _) => {
                let option =
                    Key::parse(&option, "answer.option_key").map_err(StoreError::corrupt)?;
                if matches!(
                    question.kind,
                    trygg_domain::QuestionKind::MultipleChoice { .. }
                ) {
                    let mut chosen = match out.remove(&key) {
                        Some(Answer::Choices(chosen)) => chosen,
                        _ => Vec::new(),
                    };
                    chosen.push(option);
                    let options = question.options();
                    chosen.sort_by_key(|k| options.iter().position(|o| &o.key == k));
                    Answer::Choices(chosen)
                } else {
                    Answer::Choice(option)
                }
            }
            (None, Some(number), _) => Answer::Number(number),
            (None, None, Some(text)) => Answer::Text(text),
            (None, None, None) => return Err(StoreError::corrupt("an answer row holds no value")),
        };
        out.insert(key, value);
    }
    Ok(out)
}
