//! Writes: every multi-row write is one transaction.

use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, RuntimeErr, SqlErr,
    TransactionTrait,
    sea_query::Expr,
};
use std::collections::HashMap;

use trygg_domain::{
    Answer, AnswerId, Area, Boundary, DescribedPlaceId, Municipality, NamedPlace, Pin, PinId,
    Response, ResponseId, Survey, SurveyId,
};

use crate::entity::{answer, area, described_place, municipality, pin, place, response, survey};
use crate::{Backend, Store, StoreError};

use crate::bulk::insert_all;

impl Store {
    /// Stores a new municipality; its slug must be free.
    pub async fn insert_municipality(&self, m: &Municipality) -> Result<(), StoreError> {
        municipality::Entity::insert(municipality::ActiveModel {
            id: Set(m.id.as_uuid()),
            slug: Set(m.slug.as_str().to_owned()),
            name: Set(m.name.clone()),
            synthetic: Set(m.synthetic),
        })
        .exec(&self.db)
        .await
        .map_err(|e| {
            conflict(
                e,
                "slug",
                &format!("municipality `{}` already exists", m.slug),
            )
        })?;
        Ok(())
    }

    /// Stores areas in one transaction; a code already used in the municipality is a conflict.
    pub async fn insert_areas(&self, areas: &[Area]) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        for (i, a) in areas.iter().enumerate() {
            let geometry = geojson::Geometry::from(&a.boundary);
            area::Entity::insert(area::ActiveModel {
                id: Set(a.id.as_uuid()),
                municipality_id: Set(a.municipality_id.as_uuid()),
                code: Set(a.code.as_str().to_owned()),
                name: Set(a.name.clone()),
                geometry: Set(geometry.to_string()),
            })
            .exec(&txn)
            .await
            .map_err(|e| {
                conflict(
                    e,
                    &format!("features[{i}].code"),
                    &format!(
                        "area code `{}` is already used in this municipality",
                        a.code
                    ),
                )
            })?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Stores a survey; its slug must be free on this server.
    pub async fn insert_survey(&self, s: &Survey) -> Result<(), StoreError> {
        survey::Entity::insert(survey_row(s)?)
            .exec(&self.db)
            .await
            .map_err(|e| conflict(e, "slug", &format!("survey `{}` already exists", s.slug)))?;
        Ok(())
    }

    /// Stores responses with their answers and pins, all or nothing. Each pin is
    /// tagged with the code of the area it lies in.
    pub async fn insert_responses(
        &self,
        responses: &[Response],
        boundary: &Boundary,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        insert_all(
            &txn,
            responses.iter().map(|r| response_row(r, None)).collect(),
        )
        .await?;
        insert_contents(&txn, responses.iter().map(|r| (r, boundary))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Stores named places in one transaction; a name already used in the municipality is a conflict.
    pub async fn insert_places(&self, places: &[NamedPlace]) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        for (i, p) in places.iter().enumerate() {
            place::Entity::insert(place::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                municipality_id: Set(p.municipality_id.as_uuid()),
                name: Set(p.name.clone()),
                kind: Set(p.kind.to_string()),
                lon: Set(p.location.lon()),
                lat: Set(p.location.lat()),
            })
            .exec(&txn)
            .await
            .map_err(|e| {
                conflict(
                    e,
                    &format!("features[{i}].name"),
                    &format!("the place `{}` already exists in this municipality", p.name),
                )
            })?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Stores one response sent over HTTP, exactly once per idempotency key.
    ///
    /// The key is stored with the response in the same transaction under a
    /// unique index, so a retry after a lost answer, or two racing retries,
    /// find the first copy instead of storing a second. The fingerprint (a hash
    /// of the request body) tells a true retry from a reused key.
    pub async fn insert_response_once(
        &self,
        r: &Response,
        boundary: &Boundary,
        key: &str,
        fingerprint: &str,
    ) -> Result<Stored, StoreError> {
        let incoming = Incoming {
            response: r,
            boundary,
            key,
            fingerprint,
        };
        self.insert_alone(&incoming).await
    }

    /// Stores responses sent over HTTP, each exactly once per idempotency key,
    /// in one transaction, and answers what happened to each, in order.
    ///
    /// One commit for many responses is what lets a busy intake keep up: the
    /// disk flush, not the rows, is the cost of a commit. A key already stored,
    /// or repeated within the batch, is answered as [`Stored::Replayed`] or
    /// [`Stored::KeyReused`] without storing twice. If the database refuses
    /// the batch for any reason but being out of reach (a key another writer
    /// stored in between, a value it will not take), each response is stored
    /// alone, in its own transaction, and answered with its own result; a lost
    /// race is answered from the winner's copy. So one response can never fail
    /// the others of its batch.
    pub async fn insert_responses_once(
        &self,
        batch: &[Incoming<'_>],
    ) -> Vec<Result<Stored, StoreError>> {
        let error = match self.insert_batch(batch).await {
            Ok(stored) => return stored.into_iter().map(Ok).collect(),
            Err(error) => error,
        };
        let mut results = Vec::with_capacity(batch.len());
        let mut unreachable = is_unreachable(&error).then_some(error);
        for incoming in batch {
            if let Some(error) = &unreachable {
                // Every response fails for the same reason, a database that
                // is down; each caller gets its own copy of it, at once.
                results.push(Err(error.again()));
                continue;
            }
            let result = self.insert_alone(incoming).await;
            if let Err(error) = &result
                && is_unreachable(error)
            {
                unreachable = Some(error.again());
            }
            results.push(result);
        }
        results
    }

    async fn insert_alone(&self, incoming: &Incoming<'_>) -> Result<Stored, StoreError> {
        match self.insert_batch(std::slice::from_ref(incoming)).await {
            Ok(stored) => stored
                .into_iter()
                .next()
                .ok_or_else(|| StoreError::corrupt("a batch of one answered nothing")),
            // Another request with the same key won the race; answer as it did.
            Err(StoreError::Database(error))
                if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
            {
                let found = self
                    .stored_keys(std::slice::from_ref(incoming))
                    .await?
                    .remove(&(incoming.response.survey_id, incoming.key.to_owned()));
                match found {
                    Some((id, fingerprint)) => Ok(answer_for(incoming, id, &fingerprint)),
                    None => Err(StoreError::Database(error)),
                }
            }
            Err(error) => Err(error),
        }
    }

    /// Looks up the keys first, outside the transaction, so the transaction only
    /// writes: on SQLite a transaction that reads and then writes may be refused
    /// the write lock instead of waiting for it.
    async fn insert_batch(&self, batch: &[Incoming<'_>]) -> Result<Vec<Stored>, StoreError> {
        let mut known = self.stored_keys(batch).await?;
        let mut stored = Vec::with_capacity(batch.len());
        let mut fresh = Vec::new();
        for incoming in batch {
            let slot = (incoming.response.survey_id, incoming.key.to_owned());
            if let Some((id, fingerprint)) = known.get(&slot) {
                stored.push(answer_for(incoming, *id, fingerprint));
            } else {
                known.insert(
                    slot,
                    (incoming.response.id, incoming.fingerprint.to_owned()),
                );
                stored.push(Stored::Created(incoming.response.id));
                fresh.push(incoming);
            }
        }
        if fresh.is_empty() {
            return Ok(stored);
        }
        let txn = self.db.begin().await?;
        insert_all(
            &txn,
            fresh
                .iter()
                .map(|incoming| response_row(incoming.response, Some(incoming)))
                .collect(),
        )
        .await?;
        insert_contents(
            &txn,
            fresh
                .iter()
                .map(|incoming| (incoming.response, incoming.boundary)),
        )
        .await?;
        txn.commit().await?;
        Ok(stored)
    }

    /// The stored response id and fingerprint of each key of `batch` that is
    /// already taken, by survey and key.
    async fn stored_keys(
        &self,
        batch: &[Incoming<'_>],
    ) -> Result<HashMap<(SurveyId, String), (ResponseId, String)>, StoreError> {
        // By survey and key, so the lookup uses the unique index on both; by key
        // alone it read the whole table.
        let wanted = if self.backend == Backend::Postgres {
            // One statement text for any number of keys, so it is prepared once
            // per connection (see `bulk`).
            let pairs: Vec<(String, &str)> = batch
                .iter()
                .map(|incoming| {
                    (
                        incoming.response.survey_id.as_uuid().to_string(),
                        incoming.key,
                    )
                })
                .collect();
            let json =
                serde_json::to_string(&pairs).map_err(|e| StoreError::corrupt(e.to_string()))?;
            Condition::all().add(Expr::cust_with_values(
                "(\"survey_id\", \"idempotency_key\") IN (SELECT (x->>0)::uuid, x->>1 FROM json_array_elements($1::json) AS x)",
                [json],
            ))
        } else {
            let surveys: std::collections::BTreeSet<uuid::Uuid> = batch
                .iter()
                .map(|incoming| incoming.response.survey_id.as_uuid())
                .collect();
            Condition::all()
                .add(response::Column::SurveyId.is_in(surveys))
                .add(
                    response::Column::IdempotencyKey
                        .is_in(batch.iter().map(|incoming| incoming.key)),
                )
        };
        let rows = response::Entity::find()
            .filter(wanted)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let key = row.idempotency_key?;
                Some((
                    (SurveyId::from_uuid(row.survey_id), key),
                    (
                        ResponseId::from_uuid(row.id),
                        row.fingerprint.unwrap_or_default(),
                    ),
                ))
            })
            .collect())
    }

    /// Stores pins that came without a response (e.g. from another tool), all or nothing.
    pub async fn insert_loose_pins(
        &self,
        survey: &Survey,
        pins: &[Pin],
        boundary: &Boundary,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let rows: Vec<pin::ActiveModel> = pins
            .iter()
            .zip(PinId::many_in_order(pins.len()))
            .map(|(p, id)| pin_row(id, survey.municipality_id, survey.id, None, p, boundary))
            .collect();
        insert_all(&txn, rows).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Deletes a survey and everything answered in it.
    pub async fn delete_survey(&self, s: &Survey) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let id = s.id.as_uuid();
        delete_of_survey(&txn, pin::Column::SurveyId, id).await?;
        delete_of_survey(&txn, described_place::Column::SurveyId, id).await?;
        delete_of_survey(&txn, answer::Column::SurveyId, id).await?;
        delete_of_survey(&txn, response::Column::SurveyId, id).await?;
        survey::Entity::delete_by_id(s.id.as_uuid())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Deletes every row of the survey `id` from the table of `column`, its
/// `survey_id` column; how many.
pub(crate) async fn delete_of_survey<C>(
    db: &impl ConnectionTrait,
    column: C,
    id: uuid::Uuid,
) -> Result<u64, StoreError>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    Ok(<C::EntityName as EntityTrait>::delete_many()
        .filter(column.eq(id))
        .exec(db)
        .await?
        .rows_affected)
}

/// A survey's row: its definition as JSON text and the columns lists are sorted by.
pub(crate) fn survey_row(s: &Survey) -> Result<survey::ActiveModel, StoreError> {
    Ok(survey::ActiveModel {
        id: Set(s.id.as_uuid()),
        municipality_id: Set(s.municipality_id.as_uuid()),
        slug: Set(s.slug.as_str().to_owned()),
        round: Set(s.round.clone()),
        title: Set(s.title.sv.clone()),
        opens_on: Set(s.opens_on),
        closes_on: Set(s.closes_on),
        definition: Set(serde_json::to_string(s).map_err(StoreError::corrupt)?),
    })
}

impl StoreError {
    /// The same failure for another caller of an operation that failed for
    /// many at once, such as a batch while the database is down.
    #[must_use]
    pub fn again(&self) -> Self {
        match self {
            Self::Database(error) => Self::Database(DbErr::Custom(error.to_string())),
            Self::Conflict { field, message } => Self::Conflict {
                field: field.clone(),
                message: message.clone(),
            },
            Self::Corrupt(what) => Self::Corrupt(what.clone()),
        }
    }
}

/// What happened to a response sent with an idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Stored now, under this id.
    Created(ResponseId),
    /// Stored earlier by a request with the same key and body.
    Replayed(ResponseId),
    /// The key was used before for a different body; nothing was stored.
    KeyReused,
}

/// A response that arrived over HTTP, with what its idempotency needs.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The accepted response.
    pub response: &'a Response,
    /// The boundary its pins were checked against, to tag each pin with its area.
    pub boundary: &'a Boundary,
    /// The client's `Idempotency-Key`.
    pub key: &'a str,
    /// A hash of the request body.
    pub fingerprint: &'a str,
}

/// What to answer for `incoming` whose key is already taken by response `id`.
fn answer_for(incoming: &Incoming<'_>, id: ResponseId, fingerprint: &str) -> Stored {
    if fingerprint == incoming.fingerprint {
        Stored::Replayed(id)
    } else {
        Stored::KeyReused
    }
}

/// Whether a write failed because the database could not be reached (no
/// connection, or the connection broke), rather than because it refused what
/// was written: trying the same again at once would only fail again.
fn is_unreachable(error: &StoreError) -> bool {
    let StoreError::Database(error) = error else {
        return false;
    };
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            matches!(
                e.as_ref(),
                sea_orm::sqlx::Error::Io(_)
                    | sea_orm::sqlx::Error::PoolTimedOut
                    | sea_orm::sqlx::Error::PoolClosed
                    | sea_orm::sqlx::Error::WorkerCrashed
            )
        }
        _ => false,
    }
}

fn answer_rows(r: &Response) -> Vec<answer::ActiveModel> {
    let row =
        |question: &str, option: Option<String>, number: Option<f64>, text: Option<String>| {
            answer::ActiveModel {
                id: NotSet,
                municipality_id: Set(r.municipality_id.as_uuid()),
                survey_id: Set(r.survey_id.as_uuid()),
                response_id: Set(r.id.as_uuid()),
                question_key: Set(question.to_owned()),
                option_key: Set(option),
                number_value: Set(number),
                text_value: Set(text),
            }
        };
    let mut rows: Vec<answer::ActiveModel> = r
        .answers
        .iter()
        .flat_map(|(key, value)| match value {
            Answer::Choice(option) => vec![row(key.as_str(), Some(option.to_string()), None, None)],
            Answer::Choices(options) => options
                .iter()
                .map(|o| row(key.as_str(), Some(o.to_string()), None, None))
                .collect(),
            Answer::Number(n) => vec![row(key.as_str(), None, Some(*n), None)],
            Answer::Text(t) => vec![row(key.as_str(), None, None, Some(t.clone()))],
        })
        .collect();
    let ids = AnswerId::many_in_order(rows.len());
    for (row, id) in rows.iter_mut().zip(ids) {
        row.id = Set(id.as_uuid());
    }
    rows
}

/// Writes the answers, pins and described places of `responses` inside `txn`;
/// both write paths use it. Their ids are random (they carry no time) and
/// ascending within a response, so its pins and places read back in order.
async fn insert_contents<'a>(
    txn: &sea_orm::DatabaseTransaction,
    responses: impl Iterator<Item = (&'a Response, &'a Boundary)> + Clone,
) -> Result<(), StoreError> {
    insert_all(
        txn,
        responses
            .clone()
            .flat_map(|(r, _)| answer_rows(r))
            .collect(),
    )
    .await?;
    insert_all(
        txn,
        responses
            .clone()
            .flat_map(|(r, boundary)| {
                r.pins
                    .iter()
                    .zip(PinId::many_in_order(r.pins.len()))
                    .map(|(p, id)| {
                        pin_row(id, r.municipality_id, r.survey_id, Some(r.id), p, boundary)
                    })
            })
            .collect(),
    )
    .await?;
    insert_all(
        txn,
        responses.flat_map(|(r, _)| described_rows(r)).collect(),
    )
    .await?;
    Ok(())
}

/// The response row of `r`, with the idempotency key and fingerprint when it came over HTTP.
fn response_row(r: &Response, incoming: Option<&Incoming<'_>>) -> response::ActiveModel {
    response::ActiveModel {
        id: Set(r.id.as_uuid()),
        municipality_id: Set(r.municipality_id.as_uuid()),
        survey_id: Set(r.survey_id.as_uuid()),
        submitted_hour: Set(r.submitted_hour.time()),
        idempotency_key: Set(incoming.map(|i| i.key.to_owned())),
        fingerprint: Set(incoming.map(|i| i.fingerprint.to_owned())),
        language: Set(r.language.as_str().to_owned()),
    }
}

fn described_rows(r: &Response) -> Vec<described_place::ActiveModel> {
    r.described_places
        .iter()
        .zip(DescribedPlaceId::many_in_order(r.described_places.len()))
        .map(|(d, id)| described_place::ActiveModel {
            id: Set(id.as_uuid()),
            municipality_id: Set(r.municipality_id.as_uuid()),
            survey_id: Set(r.survey_id.as_uuid()),
            response_id: Set(r.id.as_uuid()),
            description: Set(d.description.clone()),
            category: Set(d.category.to_string()),
            time_of_day: Set(d.time_of_day.as_str().to_owned()),
            comment: Set(d.comment.clone()),
        })
        .collect()
}

fn pin_row(
    id: PinId,
    municipality_id: trygg_domain::MunicipalityId,
    survey_id: trygg_domain::SurveyId,
    response_id: Option<ResponseId>,
    p: &Pin,
    boundary: &Boundary,
) -> pin::ActiveModel {
    pin::ActiveModel {
        id: Set(id.as_uuid()),
        municipality_id: Set(municipality_id.as_uuid()),
        survey_id: Set(survey_id.as_uuid()),
        response_id: Set(response_id.map(|r| r.as_uuid())),
        area_code: Set(boundary.area_of(p.location).map(ToString::to_string)),
        lon: Set(p.location.lon()),
        lat: Set(p.location.lat()),
        category: Set(p.category.to_string()),
        time_of_day: Set(p.time_of_day.as_str().to_owned()),
        comment: Set(p.comment.clone()),
    }
}

/// Turns a unique-constraint violation into a conflict naming `field`.
pub(crate) fn conflict(error: DbErr, field: &str, message: &str) -> StoreError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict {
            field: field.to_owned(),
            message: message.to_owned(),
        },
        _ => StoreError::Database(error),
    }
}
