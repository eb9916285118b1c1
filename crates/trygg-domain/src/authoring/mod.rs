//! Survey authoring: the question bank, new rounds, the rules that keep a
//! published survey comparable, and how long free text and exact places are kept.
//!
//! A survey made in the staff editor is a [`SurveyInput`] parsed by
//! [`Survey::parse`] like any imported file, so what residents are shown is
//! exactly what intake accepts. Once published, [`check_revision`] allows
//! corrections of wording and dates but refuses any change that would make its
//! answers mean something else than those already given or those of earlier rounds.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::ErrorCode;
use crate::{
    Area, Background, ChoiceOption, DomainError, LocalizedText, MunicipalityId, Question,
    QuestionInput, QuestionKind, Survey, SurveyInput,
};

/// Where a survey is in its life: a draft can change freely and is invisible
/// to residents; a published survey takes answers between its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// Being written; residents cannot see it.
    Draft,
    /// Open for answers between its dates; only corrections are allowed.
    Published,
}

/// The theme a question of the bank belongs to, for grouping in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Who answers: gender, age, area, years lived there.
    Background,
    /// Feeling safe and worry about crime.
    Safety,
    /// Being a victim of crime.
    Victimisation,
    /// Problems in the neighbourhood (graffiti, lighting, drugs…).
    LocalProblems,
    /// Trust in the police and the municipality.
    Trust,
    /// What the police and the municipality should prioritise.
    Priorities,
    /// Unsafe places on the map.
    Places,
    /// Free text.
    Comment,
}

/// One standard question of the bank, ready to be put in a survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankEntry {
    /// The theme it belongs to.
    pub topic: Topic,
    /// The question with its standard key, so surveys built from the bank compare
    /// with each other and with the national trygghetsmätning's wording.
    pub question: Question,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BankEntryInput {
    topic: Topic,
    question: QuestionInput,
}

/// The standard trygghetsmätning questions in Swedish and English, worded as in
/// the police's and municipalities' joint surveys. The area question is not
/// here because its options are the municipality's own areas: see [`area_question`].
pub fn question_bank() -> Result<Vec<BankEntry>, DomainError> {
    let inputs: Vec<BankEntryInput> = serde_json::from_str(include_str!("question_bank.json"))
        .map_err(|e| {
            DomainError::new(
                ErrorCode::InvalidBank,
                "",
                format!("the question bank is broken: {e}"),
            )
        })?;
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            Ok(BankEntry {
                topic: entry.topic,
                question: Question::parse(entry.question)
                    .map_err(|e| e.under(&format!("bank[{i}]")))?,
            })
        })
        .collect()
}

/// The background question "which area do you live in", with one option per area,
/// so answers can be weighted and broken down by the same areas pins are counted in.
pub fn area_question(areas: &[Area]) -> Result<Question, DomainError> {
    if areas.is_empty() {
        return Err(DomainError::new(
            ErrorCode::Required,
            "areas",
            "upload the municipality's areas before adding the area question",
        ));
    }
    Ok(Question {
        key: crate::Key::parse("area", "key")?,
        text: LocalizedText {
            sv: "I vilken del av kommunen bor du?".to_owned(),
            en: Some("Which part of the municipality do you live in?".to_owned()),
        },
        help: None,
        section: None,
        required: true,
        background: Some(Background::Area),
        kind: QuestionKind::SingleChoice {
            options: areas
                .iter()
                .map(|a| ChoiceOption {
                    key: a.code.clone(),
                    label: LocalizedText {
                        sv: a.name.clone(),
                        en: None,
                    },
                    dont_know: false,
                })
                .collect(),
            scale: false,
        },
    })
}

/// A new round of `source`: the same questions under the same keys, with a new
/// slug, round label and dates, so the two rounds' results can be compared.
pub fn new_round(
    source: &Survey,
    slug: &str,
    round: &str,
    opens_on: Date,
    closes_on: Option<Date>,
    municipality_id: MunicipalityId,
) -> Result<Survey, DomainError> {
    let mut input = to_input(source)?;
    input.slug = slug.to_owned();
    input.round = round.to_owned();
    input.opens_on = opens_on;
    input.closes_on = closes_on;
    Survey::parse(input, municipality_id)
}

/// A survey back in its input shape, to be changed and parsed again.
pub fn to_input(survey: &Survey) -> Result<SurveyInput, DomainError> {
    serde_json::to_value(survey)
        .and_then(serde_json::from_value)
        .map_err(|e| DomainError::new(ErrorCode::InvalidSurvey, "", e.to_string()))
}

/// Checks that `revised` may replace the published survey `published`.
///
/// Wording (titles, question texts, help, option labels), dates, indicators,
/// free-text lengths and the number of pins may change, and options may be
/// added. Everything that decides what an answer means may not: the slug
/// residents were given, the questions' keys, order and kinds, whether they are
/// required or background questions, scales, limits, and every option that
/// someone may already have chosen. The error names the first field at fault.
pub fn check_revision(published: &Survey, revised: &Survey) -> Result<(), DomainError> {
    if published.slug != revised.slug {
        return Err(DomainError::new(
            ErrorCode::Locked,
            "slug",
            "the address of a published survey cannot change; residents may already have it",
        ));
    }
    let longest = published.questions.len().max(revised.questions.len());
    for i in 0..longest {
        let field = format!("questions[{i}]");
        match (published.questions.get(i), revised.questions.get(i)) {
            (Some(old), Some(new)) if old.key != new.key => {
                if revised.question(old.key.as_str()).is_none() {
                    return Err(breaks(
                        &field,
                        format!(
                            "question `{}` cannot be removed from a published survey",
                            old.key
                        ),
                    ));
                }
                return Err(breaks(
                    &format!("{field}.key"),
                    format!(
                        "questions of a published survey keep their keys and order; expected `{}` here",
                        old.key
                    ),
                ));
            }
            (Some(old), Some(new)) => {
                check_question(old, new).map_err(|e| e.under(&field))?;
            }
            (Some(old), None) => {
                return Err(breaks(
                    "questions",
                    format!(
                        "question `{}` cannot be removed from a published survey",
                        old.key
                    ),
                ));
            }
            (None, Some(new)) => {
                return Err(breaks(
                    &field,
                    format!(
                        "question `{}` cannot be added to a published survey; start a new round instead",
                        new.key
                    ),
                ));
            }
            (None, None) => {}
        }
    }
    Ok(())
}

fn check_question(old: &Question, new: &Question) -> Result<(), DomainError> {
    if std::mem::discriminant(&old.kind) != std::mem::discriminant(&new.kind) {
        return Err(breaks(
            "kind",
            format!(
                "question `{}` cannot change its kind once published",
                old.key
            ),
        ));
    }
    if old.required != new.required {
        return Err(breaks(
            "required",
            "whether an answer is required cannot change once published",
        ));
    }
    if old.background != new.background {
        return Err(breaks(
            "background",
            "the background variable cannot change once published",
        ));
    }
    match (&old.kind, &new.kind) {
        (
            QuestionKind::SingleChoice { options, scale },
            QuestionKind::SingleChoice {
                options: new_options,
                scale: new_scale,
            },
        ) => {
            if scale != new_scale {
                return Err(breaks(
                    "scale",
                    "whether the options form a scale cannot change once published",
                ));
            }
            check_options(options, new_options, "options")
        }
        (
            QuestionKind::MultipleChoice {
                options,
                max_choices,
            },
            QuestionKind::MultipleChoice {
                options: new_options,
                max_choices: new_max,
            },
        ) => {
            if max_choices != new_max {
                return Err(breaks(
                    "max_choices",
                    "the most options one may choose cannot change once published",
                ));
            }
            check_options(options, new_options, "options")
        }
        (
            QuestionKind::Number { min, max, integer },
            QuestionKind::Number {
                min: new_min,
                max: new_max,
                integer: new_integer,
            },
        ) => {
            let same = |a: &Option<f64>, b: &Option<f64>| match (a, b) {
                (Some(a), Some(b)) => a.to_bits() == b.to_bits(),
                (None, None) => true,
                _ => false,
            };
            if !same(min, new_min) {
                return Err(breaks(
                    "min",
                    "the smallest allowed number cannot change once published",
                ));
            }
            if !same(max, new_max) {
                return Err(breaks(
                    "max",
                    "the largest allowed number cannot change once published",
                ));
            }
            if integer != new_integer {
                return Err(breaks(
                    "integer",
                    "whole numbers only cannot change once published",
                ));
            }
            Ok(())
        }
        (
            QuestionKind::Map { categories, .. },
            QuestionKind::Map {
                categories: new_categories,
                ..
            },
        ) => check_options(categories, new_categories, "categories"),
        _ => Ok(()),
    }
}

/// Every option may keep its label corrected and new ones may be added, but none
/// may go or stop or start being "vet ej", which moves it in or out of the base.
fn check_options(
    old: &[ChoiceOption],
    new: &[ChoiceOption],
    field: &str,
) -> Result<(), DomainError> {
    for option in old {
        match new.iter().position(|o| o.key == option.key) {
            None => {
                return Err(breaks(
                    field,
                    format!(
                        "option `{}` cannot be removed from a published survey; answers may already name it",
                        option.key
                    ),
                ));
            }
            Some(j) => {
                if new.get(j).is_some_and(|o| o.dont_know != option.dont_know) {
                    return Err(breaks(
                        &format!("{field}[{j}].dont_know"),
                        format!(
                            "option `{}` cannot become or stop being \"don't know\" once published",
                            option.key
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn breaks(field: &str, message: impl Into<String>) -> DomainError {
    DomainError::new(ErrorCode::BreaksComparability, field, message)
}

/// How long a survey's free text and exact pin locations are kept after it closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RetentionDays(u16);

impl RetentionDays {
    /// The longest period: ten years.
    pub const MAX: u16 = 3_650;

    /// Parses a period of 1 to 3,650 days.
    pub fn parse(days: i64, field: &str) -> Result<Self, DomainError> {
        u16::try_from(days)
            .ok()
            .filter(|d| (1..=Self::MAX).contains(d))
            .map(Self)
            .ok_or_else(|| {
                DomainError::new(
                    ErrorCode::OutOfRange,
                    field,
                    format!(
                        "the retention period must be between 1 and {} days",
                        Self::MAX
                    ),
                )
            })
    }

    /// The number of days.
    pub const fn days(self) -> u16 {
        self.0
    }

    /// The first day on which a survey that closed on `closes_on` is due for deletion.
    pub fn due_on(self, closes_on: Date) -> Date {
        closes_on.saturating_add(Duration::days(i64::from(self.0) + 1))
    }

    /// Whether a survey closing on `closes_on` is due on `today`; one that never
    /// closes is never due, since residents may still be answering it.
    pub fn is_due(self, closes_on: Option<Date>, today: Date) -> bool {
        closes_on.is_some_and(|closed| today >= self.due_on(closed))
    }
}

#[cfg(test)]
mod tests;
