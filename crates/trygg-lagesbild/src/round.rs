//! One survey round held compactly: a code per respondent and question, and the
//! pins without their comments.
//!
//! A round of 100,000 responses has two million answer rows and 300,000 pins.
//! Read as domain responses (a map of keyed answers each) that took gigabytes and
//! most of a minute; laid out by column as the statistics want them it takes a
//! few megabytes, and filtering a breakdown is a pass over one column.

use std::collections::{BTreeMap, HashMap, HashSet};

use h3o::{CellIndex, LatLng};
use trygg_analysis::hotspot;
use trygg_analysis::stats::{Column, Dataset, MISSING, OptionInfo, StatsError, Values};
use trygg_domain::{Background, Key, Location, QuestionKind, ResponseId, Survey, TimeOfDay};
use trygg_store::{AnswerValue, PinValue, Store, StoredPin};

use crate::load::{LagesbildError, RESOLUTION};
use crate::model::Filters;

/// A pin of the round, linked to its respondent's row.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundPin {
    /// The row of the respondent who placed it, if it came with a response.
    pub respondent: Option<usize>,
    /// The H3 cell (at [`RESOLUTION`]) it lies in, found once when read.
    pub cell: Option<CellIndex>,
    /// The pin.
    pub pin: PinValue,
}

/// One round's answers by column, and its pins.
#[derive(Debug, Clone)]
pub(crate) struct Round {
    pub(crate) survey: Survey,
    /// Row → response id, oldest first.
    pub(crate) ids: Vec<ResponseId>,
    /// Every choice and number question, one value per row, as [`Dataset`] lays them out.
    pub(crate) columns: Vec<Column>,
    /// Places described in words, per row.
    pub(crate) described: Vec<u32>,
    pub(crate) pins: Vec<RoundPin>,
}

/// The respondents and pins a filter keeps.
pub(crate) struct Selection<'a> {
    /// Rows of the kept respondents.
    pub(crate) rows: Vec<usize>,
    pub(crate) pins: Vec<&'a RoundPin>,
}

fn corrupt(message: String) -> LagesbildError {
    LagesbildError::Corrupt(message)
}

impl Round {
    /// Reads a round's responses, answers and pins, streaming the answers into columns.
    pub(crate) async fn read(store: &Store, survey: &Survey) -> Result<Self, LagesbildError> {
        let ids = store.response_ids(survey).await?;
        let rows: HashMap<ResponseId, usize> =
            ids.iter().enumerate().map(|(row, id)| (*id, row)).collect();
        let mut columns = empty_columns(survey, ids.len());
        let by_key: HashMap<String, usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.clone(), i))
            .collect();
        store
            .for_each_answer(survey, |answer: AnswerValue| {
                let row = rows.get(&answer.response_id).copied().ok_or_else(|| {
                    corrupt(format!(
                        "an answer of unknown response {}",
                        answer.response_id
                    ))
                })?;
                let column = by_key
                    .get(&answer.question_key)
                    .and_then(|&i| columns.get_mut(i))
                    .ok_or_else(|| {
                        corrupt(format!(
                            "answer to unknown question `{}`",
                            answer.question_key
                        ))
                    })?;
                set(column, row, &answer)
            })
            .await?;
        let mut described = vec![0_u32; ids.len()];
        for (id, places) in store.described_place_counts(survey).await? {
            if let Some(count) = rows.get(&id).and_then(|&row| described.get_mut(row)) {
                *count = u32::try_from(places).unwrap_or(u32::MAX);
            }
        }
        let mut pins = Vec::new();
        store
            .for_each_pin(survey, |pin: PinValue| -> Result<(), LagesbildError> {
                pins.push(RoundPin {
                    respondent: pin.response_id.and_then(|id| rows.get(&id).copied()),
                    cell: hotspot::cell_of(pin.location, RESOLUTION).ok(),
                    pin,
                });
                Ok(())
            })
            .await?;
        Ok(Self {
            survey: survey.clone(),
            ids,
            columns,
            described,
            pins,
        })
    }

    /// How many responses the round has.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// The kept respondents' answers as a dataset.
    pub(crate) fn dataset(&self, rows: &[usize]) -> Result<Dataset, StatsError> {
        if rows.len() == self.len() {
            return Dataset::new(self.columns.clone());
        }
        Dataset::new(
            self.columns
                .iter()
                .map(|column| Column {
                    key: column.key.clone(),
                    options: column.options.clone(),
                    background: column.background,
                    values: match &column.values {
                        Values::Single(codes) => Values::Single(pick(codes, rows)),
                        Values::Multiple(sets) => Values::Multiple(pick(sets, rows)),
                        Values::Number(numbers) => Values::Number(pick(numbers, rows)),
                    },
                })
                .collect(),
        )
    }

    /// Places described in words by the kept respondents.
    pub(crate) fn described(&self, rows: &[usize]) -> usize {
        rows.iter()
            .filter_map(|&row| self.described.get(row))
            .map(|&n| n as usize)
            .sum()
    }

    /// The rows a respondent filter keeps: those who chose the filtered option of
    /// each background question filtered by.
    fn kept_rows(&self, filters: &Filters) -> Vec<usize> {
        let wanted = [
            (Background::Area, &filters.area),
            (Background::Gender, &filters.gender),
            (Background::AgeBand, &filters.age_band),
        ];
        let mut keep = vec![true; self.len()];
        for (background, value) in wanted {
            let Some(value) = value else { continue };
            let column = self
                .columns
                .iter()
                .find(|c| c.background == Some(background));
            let code = column.and_then(|c| c.options.iter().position(|o| &o.key == value));
            match (column.map(|c| &c.values), code) {
                (Some(Values::Single(codes)), Some(code)) => {
                    for (kept, &chosen) in keep.iter_mut().zip(codes) {
                        *kept &= usize::from(chosen) == code && chosen != MISSING;
                    }
                }
                // A filter on a question the round lacks keeps no one.
                _ => keep.fill(false),
            }
        }
        keep.iter()
            .enumerate()
            .filter_map(|(row, &kept)| kept.then_some(row))
            .collect()
    }

    /// The respondents and pins `filters` keep.
    pub(crate) fn select(&self, filters: &Filters) -> Selection<'_> {
        let rows = self.kept_rows(filters);
        let mut kept = vec![false; self.len()];
        for &row in &rows {
            if let Some(k) = kept.get_mut(row) {
                *k = true;
            }
        }
        let pins = self
            .pins
            .iter()
            .filter(|p| {
                let respondent = p
                    .respondent
                    .map(|row| kept.get(row).copied().unwrap_or(false));
                keeps_pin(filters, respondent, &p.pin.category, p.pin.time_of_day)
            })
            .collect();
        Selection { rows, pins }
    }

    /// The responses of the respondents `filters` keep.
    pub(crate) fn kept_responses(&self, filters: &Filters) -> HashSet<ResponseId> {
        self.kept_rows(filters)
            .iter()
            .filter_map(|&row| self.ids.get(row).copied())
            .collect()
    }

    /// The stored pins (with comments) that `filters` keep, by the same rule as
    /// [`select`](Self::select), for the staff pin export.
    pub(crate) fn select_stored(&self, filters: &Filters, pins: Vec<StoredPin>) -> Vec<StoredPin> {
        let kept = self.kept_responses(filters);
        pins.into_iter()
            .filter(|p| {
                let respondent = p.response_id.map(|id| kept.contains(&id));
                keeps_pin(filters, respondent, &p.pin.category, p.pin.time_of_day)
            })
            .collect()
    }
}

/// Whether `filters` keep a pin: its respondent kept (`None` for a pin imported
/// without one, which has no background to filter by and so only passes when no
/// respondent filter is set), and its category and time of day chosen.
fn keeps_pin(
    filters: &Filters,
    respondent_kept: Option<bool>,
    category: &Key,
    time_of_day: TimeOfDay,
) -> bool {
    respondent_kept.unwrap_or(!filters.filters_respondents())
        && filters
            .category
            .as_ref()
            .is_none_or(|c| category.as_str() == c)
        && filters
            .time_of_day
            .as_ref()
            .is_none_or(|t| time_of_day.as_str() == t)
}

/// Pins counted by the H3 cell (at [`RESOLUTION`]) they lie in, each with the
/// cell's centre: how a map shows more pins than it can draw one by one.
pub fn cell_groups(pins: &[&RoundPin]) -> Vec<(Location, usize)> {
    let mut cells: BTreeMap<CellIndex, usize> = BTreeMap::new();
    for cell in pins.iter().filter_map(|p| p.cell) {
        *cells.entry(cell).or_insert(0) += 1;
    }
    cells
        .into_iter()
        .filter_map(|(cell, count)| {
            let centre = LatLng::from(cell);
            Location::parse(centre.lng(), centre.lat(), "cell")
                .ok()
                .map(|c| (c, count))
        })
        .collect()
}

/// The values at `rows`.
fn pick<T: Copy>(values: &[T], rows: &[usize]) -> Vec<T> {
    rows.iter()
        .filter_map(|&row| values.get(row).copied())
        .collect()
}

/// One unanswered column per choice and number question, in the survey's order;
/// free text and map questions are left out, as [`Dataset::from_answers`] does.
pub(crate) fn empty_columns(survey: &Survey, len: usize) -> Vec<Column> {
    survey
        .questions
        .iter()
        .filter_map(|question| {
            let values = match &question.kind {
                QuestionKind::SingleChoice { .. } => Values::Single(vec![MISSING; len]),
                QuestionKind::MultipleChoice { .. } => Values::Multiple(vec![None; len]),
                QuestionKind::Number { .. } => Values::Number(vec![f64::NAN; len]),
                QuestionKind::FreeText { .. } | QuestionKind::Map { .. } => return None,
            };
            Some(Column {
                key: question.key.to_string(),
                options: question
                    .options()
                    .iter()
                    .map(|o| OptionInfo {
                        key: o.key.to_string(),
                        dont_know: o.dont_know,
                    })
                    .collect(),
                background: question.background,
                values,
            })
        })
        .collect()
}

/// Records one stored answer in its column.
pub(crate) fn set(
    column: &mut Column,
    row: usize,
    answer: &AnswerValue,
) -> Result<(), LagesbildError> {
    let code = |option: &str| {
        column
            .options
            .iter()
            .position(|o| o.key == option)
            .ok_or_else(|| {
                corrupt(format!(
                    "answer to `{}` names no option `{option}`",
                    column.key
                ))
            })
    };
    let unexpected = || {
        corrupt(format!(
            "an answer to `{}` does not fit its question",
            column.key
        ))
    };
    match (&answer.option_key, answer.number) {
        (Some(option), _) => {
            let index = code(option)?;
            match &mut column.values {
                Values::Single(codes) => {
                    let slot = codes.get_mut(row).ok_or_else(unexpected)?;
                    *slot = u16::try_from(index).map_err(|_| unexpected())?;
                }
                Values::Multiple(sets) => {
                    let slot = sets.get_mut(row).ok_or_else(unexpected)?;
                    let bit = u32::try_from(index)
                        .ok()
                        .and_then(|i| 1_u64.checked_shl(i))
                        .ok_or_else(unexpected)?;
                    *slot = Some(slot.unwrap_or(0) | bit);
                }
                Values::Number(_) => return Err(unexpected()),
            }
        }
        (None, Some(number)) => match &mut column.values {
            Values::Number(numbers) => {
                *numbers.get_mut(row).ok_or_else(unexpected)? = number;
            }
            _ => return Err(unexpected()),
        },
        (None, None) => return Err(unexpected()),
    }
    Ok(())
}
