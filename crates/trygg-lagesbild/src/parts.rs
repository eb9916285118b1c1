//! [`Sources`] from values rather than the store: the door files come in by.
//!
//! The CLI reads a survey definition, responses, pins, areas, places and population
//! figures from files into domain values and hands them to [`Sources::from_parts`].
//! The answers are laid out by column through the same code [`Sources::read`]
//! streams stored answers through, earlier rounds are chosen by the same rule, and
//! areas and places are taken in the store's order, so a lägesbild built from files
//! and one built from the database holding the same data agree to the last digit.

use std::collections::HashMap;

use trygg_analysis::hotspot;
use trygg_domain::{Answer, Area, NamedPlace, PopulationFigure, Response, ResponseId, Survey};
use trygg_store::{AnswerValue, PinValue};

use crate::load::{LagesbildError, RESOLUTION, Sources, is_earlier};
use crate::model::MunicipalityInfo;
use crate::round::{Round, RoundPin, empty_columns, set};

/// One round as values: its survey, its responses and its pins.
#[derive(Debug, Clone)]
pub struct RoundParts {
    /// The round's survey definition.
    pub survey: Survey,
    /// Its responses, in the order the store lists them (by submitted hour, then
    /// id). Their answers and described places are read; their pins are not.
    pub responses: Vec<Response>,
    /// Every pin of the round in the order the store lists them, each linked by
    /// `response_id` to one of `responses` or to none.
    pub pins: Vec<PinValue>,
}

/// Everything a lägesbild is computed from, as values.
#[derive(Debug, Clone)]
pub struct Parts {
    /// Who the report is about.
    pub municipality: MunicipalityInfo,
    /// The round reported on.
    pub round: RoundParts,
    /// Other rounds; those of the round's series (opened before it, sharing an
    /// indicator) are kept, oldest first, and the rest left out, as the store does.
    pub earlier: Vec<RoundParts>,
    /// The municipality's areas.
    pub areas: Vec<Area>,
    /// Its named places.
    pub places: Vec<NamedPlace>,
    /// Residents per area × gender × age band, to weight to.
    pub population: Vec<PopulationFigure>,
}

impl Sources {
    /// The sources of a lägesbild given as values; then [`Sources::build`] as for
    /// the store. Files carry no invitation codes, so no response rate is given.
    ///
    /// # Errors
    /// [`LagesbildError::Corrupt`] when an answer does not fit its question, or
    /// [`LagesbildError::Stats`] when a round's columns do not form a dataset.
    pub fn from_parts(parts: Parts) -> Result<Self, LagesbildError> {
        let Parts {
            municipality,
            round,
            earlier,
            mut areas,
            mut places,
            population,
        } = parts;
        let mut earlier: Vec<RoundParts> = earlier
            .into_iter()
            .filter(|other| is_earlier(&round.survey, &other.survey))
            .collect();
        earlier.sort_by(|a, b| {
            (a.survey.opens_on, a.survey.slug.as_str())
                .cmp(&(b.survey.opens_on, b.survey.slug.as_str()))
        });
        areas.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
        places.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Self {
            municipality,
            round: round_of(round)?,
            earlier: earlier
                .into_iter()
                .map(round_of)
                .collect::<Result<_, _>>()?,
            areas: named_areas(&areas),
            places: named_places(&places),
            population,
            invitations: Vec::new(),
        })
    }
}

/// Areas as the hotspot summaries name them.
pub(crate) fn named_areas(areas: &[Area]) -> Vec<hotspot::NamedArea> {
    areas
        .iter()
        .map(|a| hotspot::NamedArea {
            name: a.name.clone(),
            shape: a.boundary.clone(),
        })
        .collect()
}

/// Places as the hotspot summaries name them.
pub(crate) fn named_places(places: &[NamedPlace]) -> Vec<hotspot::NamedPlace> {
    places
        .iter()
        .map(|p| hotspot::NamedPlace {
            name: p.name.clone(),
            location: p.location,
        })
        .collect()
}

/// A round laid out by column, each answer recorded as the store would hand it over.
fn round_of(parts: RoundParts) -> Result<Round, LagesbildError> {
    let RoundParts {
        survey,
        responses,
        pins,
    } = parts;
    let mut columns = empty_columns(&survey, responses.len());
    let mut described = Vec::with_capacity(responses.len());
    for (row, response) in responses.iter().enumerate() {
        for (key, answer) in &response.answers {
            let Some(column) = columns.iter_mut().find(|c| c.key == key.as_str()) else {
                continue;
            };
            for value in stored_values(response, key.as_str(), answer) {
                set(column, row, &value)?;
            }
        }
        described.push(u32::try_from(response.described_places.len()).unwrap_or(u32::MAX));
    }
    let ids: Vec<_> = responses.iter().map(|r| r.id).collect();
    let rows: HashMap<ResponseId, usize> =
        ids.iter().enumerate().map(|(row, id)| (*id, row)).collect();
    let pins = pins
        .into_iter()
        .map(|pin| RoundPin {
            respondent: pin.response_id.and_then(|id| rows.get(&id).copied()),
            cell: hotspot::cell_of(pin.location, RESOLUTION).ok(),
            pin,
        })
        .collect();
    Ok(Round {
        survey,
        ids,
        columns,
        described,
        pins,
    })
}

/// The rows the store keeps for one answer: one per chosen option, or the number.
/// Free text carries no statistics and gives none.
fn stored_values(response: &Response, key: &str, answer: &Answer) -> Vec<AnswerValue> {
    let value = |option_key: Option<String>, number: Option<f64>| AnswerValue {
        response_id: response.id,
        question_key: key.to_owned(),
        option_key,
        number,
    };
    match answer {
        Answer::Choice(option) => vec![value(Some(option.to_string()), None)],
        Answer::Choices(options) => options
            .iter()
            .map(|o| value(Some(o.to_string()), None))
            .collect(),
        Answer::Number(n) => vec![value(None, Some(*n))],
        Answer::Text(_) => Vec::new(),
    }
}
