//! Responses: one respondent's answers and pins, checked against the survey.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ErrorCode;
use crate::{
    Boundary, DomainError, Key, Lines, Location, MunicipalityId, QuestionKind, RawLocation,
    ResponseId, Survey, SurveyId, plain_text,
};

/// The longest pin comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1_000;

/// When a pinned place feels unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    /// Dag.
    Day,
    /// Kväll.
    Evening,
    /// Natt.
    Night,
    /// Alltid.
    Always,
}

impl TimeOfDay {
    /// Every value, in display order.
    pub const ALL: [Self; 4] = [Self::Day, Self::Evening, Self::Night, Self::Always];

    /// The stored key.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Evening => "evening",
            Self::Night => "night",
            Self::Always => "always",
        }
    }

    /// Parses a stored key or its Swedish name (`dag`, `kväll`, `natt`, `alltid`).
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        match raw.trim().to_lowercase().as_str() {
            "day" | "dag" => Ok(Self::Day),
            "evening" | "kväll" | "kvall" => Ok(Self::Evening),
            "night" | "natt" => Ok(Self::Night),
            "always" | "alltid" => Ok(Self::Always),
            _ => Err(DomainError::new(
                ErrorCode::UnknownOption,
                field,
                format!("`{raw}` is not a time of day: use day, evening, night or always"),
            )),
        }
    }
}

/// The hour a response came in: the time truncated to the whole hour in UTC,
/// so stored data never carries an exact timestamp that could single someone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SubmittedHour(OffsetDateTime);

impl SubmittedHour {
    /// Truncates `at` to its hour in UTC.
    pub fn from_time(at: OffsetDateTime) -> Self {
        let utc = at.to_offset(time::UtcOffset::UTC);
        let hour =
            utc.replace_time(time::Time::MIDNIGHT) + time::Duration::hours(i64::from(utc.hour()));
        Self(hour)
    }

    /// The hour as a UTC time with zero minutes and seconds.
    pub const fn time(&self) -> OffsetDateTime {
        self.0
    }
}

/// A checked answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// The chosen option of a single-choice question.
    Choice(Key),
    /// The chosen options of a multiple-choice question, in the survey's order.
    Choices(Vec<Key>),
    /// A number.
    Number(f64),
    /// Free text.
    Text(String),
}

/// An answer value as it arrives in JSON.
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
#[schema(as = Answer)]
pub enum RawAnswer {
    /// A number.
    Number(f64),
    /// An option key, a free text, or (from CSV) any value as text.
    Text(String),
    /// Several option keys.
    List(Vec<String>),
}

/// The longest description of a place given in words, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// A pin as it arrives, before checking: a point on the map, or, for someone who
/// cannot or will not use the map, the place described in words.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Pin)]
pub struct PinInput {
    /// Where: `[lon, lat]` or `{"lon", "lat"}`; absent when `description` says where.
    #[serde(default)]
    pub location: Option<RawLocation>,
    /// The place in words, e.g. "the underpass by the school", for an analyst to locate.
    #[serde(default)]
    pub description: Option<String>,
    /// Category key from the map question.
    pub category: String,
    /// When the place feels unsafe.
    pub time_of_day: String,
    /// Optional comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A checked pin: an unsafe place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pin {
    /// Where.
    pub location: Location,
    /// What makes it unsafe, a category key of the map question.
    pub category: Key,
    /// When.
    pub time_of_day: TimeOfDay,
    /// Optional comment, at most 1,000 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An unsafe place described in words instead of pinned; an analyst locates it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescribedPlace {
    /// Where, in the respondent's words.
    pub description: String,
    /// What makes it unsafe.
    pub category: Key,
    /// When.
    pub time_of_day: TimeOfDay,
    /// Optional comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A response as it arrives, before checking.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ResponseBody)]
pub struct ResponseInput {
    /// Answers by question key.
    #[serde(default)]
    pub answers: BTreeMap<String, RawAnswer>,
    /// Pins for the survey's map question.
    #[serde(default)]
    pub pins: Vec<PinInput>,
    /// The language the respondent answered in: `sv` (default) or `en`.
    #[serde(default)]
    pub language: Option<String>,
}

/// The languages a resident can answer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Svenska, the default.
    #[default]
    Sv,
    /// English.
    En,
}

impl Language {
    /// Every supported language, in the order they are offered.
    pub const ALL: [Self; 2] = [Self::Sv, Self::En];

    /// The stored code.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// Parses `sv` or `en`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        match raw {
            "sv" => Ok(Self::Sv),
            "en" => Ok(Self::En),
            _ => Err(DomainError::new(
                ErrorCode::UnknownLanguage,
                field,
                format!("`{raw}` is not a supported language: use sv or en"),
            )),
        }
    }
}

/// A checked response, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// Stable identifier.
    pub id: ResponseId,
    /// Owning municipality.
    pub municipality_id: MunicipalityId,
    /// The survey answered.
    pub survey_id: SurveyId,
    /// The hour it arrived.
    pub submitted_hour: SubmittedHour,
    /// Answers by question key; unanswered optional questions are absent.
    pub answers: BTreeMap<Key, Answer>,
    /// Pinned places.
    pub pins: Vec<Pin>,
    /// Places described in words instead of pinned.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub described_places: Vec<DescribedPlace>,
    /// The language answered in.
    pub language: Language,
}

impl Survey {
    /// Checks a response against this survey and the municipality's boundary.
    ///
    /// Every answer must belong to a question, use its option keys and ranges;
    /// required questions must be answered; pins must use the map question's
    /// categories, be at most its `max_pins` and lie inside the boundary.
    pub fn accept(
        &self,
        input: ResponseInput,
        boundary: &Boundary,
        submitted_at: OffsetDateTime,
    ) -> Result<Response, DomainError> {
        let ResponseInput {
            answers,
            pins,
            language,
        } = input;
        let language = language
            .as_deref()
            .map_or(Ok(Language::Sv), |l| Language::parse(l, "language"))?;
        let mut checked = BTreeMap::new();
        for (key, raw) in answers {
            let field = format!("answers.{key}");
            let Some(question) = self.question(&key) else {
                return Err(DomainError::new(
                    ErrorCode::UnknownQuestion,
                    field,
                    format!("the survey has no question `{key}`"),
                ));
            };
            if let Some(answer) = question.parse_answer(raw, &field)? {
                checked.insert(question.key.clone(), answer);
            }
        }
        for question in &self.questions {
            let is_map = matches!(question.kind, QuestionKind::Map { .. });
            let answered = if is_map {
                !pins.is_empty()
            } else {
                checked.contains_key(&question.key)
            };
            if question.required && !answered {
                return Err(DomainError::new(
                    ErrorCode::Required,
                    format!("answers.{}", question.key),
                    "this question must be answered",
                ));
            }
        }
        let (pins, described_places) = self.accept_places(pins, boundary)?;
        Ok(Response {
            id: ResponseId::new(),
            municipality_id: self.municipality_id,
            survey_id: self.id,
            submitted_hour: SubmittedHour::from_time(submitted_at),
            answers: checked,
            pins,
            described_places,
            language,
        })
    }

    /// Checks pins that must all be on the map (e.g. from a GeoJSON file);
    /// `pins[i]` names a bad one.
    pub fn accept_pins(
        &self,
        pins: Vec<PinInput>,
        boundary: &Boundary,
    ) -> Result<Vec<Pin>, DomainError> {
        if let Some(i) = pins.iter().position(|p| p.location.is_none()) {
            return Err(DomainError::new(
                ErrorCode::Required,
                format!("pins[{i}].location"),
                "a location is required here",
            ));
        }
        Ok(self.accept_places(pins, boundary)?.0)
    }

    /// Checks pins against the map question and the boundary: pinned places and
    /// places described in words together count towards the map question's
    /// `max_pins`; `pins[i]` names a bad one.
    pub fn accept_places(
        &self,
        pins: Vec<PinInput>,
        boundary: &Boundary,
    ) -> Result<(Vec<Pin>, Vec<DescribedPlace>), DomainError> {
        if pins.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let Some(map) = self.map_question() else {
            return Err(DomainError::new(
                ErrorCode::UnexpectedPins,
                "pins",
                "the survey has no map question",
            ));
        };
        let QuestionKind::Map { max_pins, .. } = map.kind else {
            return Ok((Vec::new(), Vec::new()));
        };
        if pins.len() > usize::from(max_pins) {
            return Err(DomainError::new(
                ErrorCode::TooManyPins,
                "pins",
                format!("at most {max_pins} pins are allowed"),
            ));
        }
        let (mut pinned, mut described) = (Vec::new(), Vec::new());
        for (i, pin) in pins.into_iter().enumerate() {
            match parse_pin(pin, map, boundary).map_err(|e| e.under(&format!("pins[{i}]")))? {
                Place::Pinned(pin) => pinned.push(pin),
                Place::Described(place) => described.push(place),
            }
        }
        Ok((pinned, described))
    }
}

enum Place {
    Pinned(Pin),
    Described(DescribedPlace),
}

fn parse_pin(
    input: PinInput,
    map: &crate::Question,
    boundary: &Boundary,
) -> Result<Place, DomainError> {
    let PinInput {
        location,
        description,
        category,
        time_of_day,
        comment,
    } = input;
    let description = description
        .map(|d| plain_text(&d, Lines::Many, "description").map(Cow::into_owned))
        .transpose()?
        .filter(|d| !d.trim().is_empty());
    let location = match (location, &description) {
        (Some(_), Some(_)) => {
            return Err(DomainError::new(
                ErrorCode::AmbiguousPlace,
                "description",
                "give either a location or a description, not both",
            ));
        }
        (None, None) => {
            return Err(DomainError::new(
                ErrorCode::Required,
                "location",
                "give a location on the map or describe the place in words",
            ));
        }
        (Some(raw), None) => {
            let location = raw.parse("location")?;
            boundary.check(location, "location")?;
            Some(location)
        }
        (None, Some(text)) => {
            if text.chars().count() > MAX_DESCRIPTION_CHARS {
                return Err(DomainError::new(
                    ErrorCode::TooLong,
                    "description",
                    format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
                ));
            }
            None
        }
    };
    let Some(category) = map.option(&category) else {
        return Err(DomainError::new(
            ErrorCode::UnknownOption,
            "category",
            format!("`{category}` is not a category of this map question"),
        ));
    };
    let time_of_day = TimeOfDay::parse(&time_of_day, "time_of_day")?;
    let comment = comment
        .map(|c| plain_text(&c, Lines::Many, "comment").map(Cow::into_owned))
        .transpose()?;
    let comment = match comment {
        Some(text) if text.trim().is_empty() => None,
        Some(text) if text.chars().count() > MAX_COMMENT_CHARS => {
            return Err(DomainError::new(
                ErrorCode::TooLong,
                "comment",
                format!("must be at most {MAX_COMMENT_CHARS} characters"),
            ));
        }
        Some(text) => Some(text.trim().to_owned()),
        None => None,
    };
    let category = category.key.clone();
    Ok(match (location, description) {
        (Some(location), _) => Place::Pinned(Pin {
            location,
            category,
            time_of_day,
            comment,
        }),
        (None, description) => Place::Described(DescribedPlace {
            description: description.unwrap_or_default().trim().to_owned(),
            category,
            time_of_day,
            comment,
        }),
    })
}

impl crate::Question {
    /// Checks one raw answer; an empty text or empty list means "not answered".
    pub fn parse_answer(&self, raw: RawAnswer, field: &str) -> Result<Option<Answer>, DomainError> {
        let wrong_type = |expected: &str| {
            DomainError::new(ErrorCode::WrongType, field, format!("expected {expected}"))
        };
        if matches!(&raw, RawAnswer::Text(t) if t.trim().is_empty())
            || matches!(&raw, RawAnswer::List(l) if l.is_empty())
        {
            return Ok(None);
        }
        match &self.kind {
            QuestionKind::SingleChoice { .. } => {
                let RawAnswer::Text(key) = raw else {
                    return Err(wrong_type("one option key"));
                };
                Ok(Some(Answer::Choice(self.option_key(key.trim(), field)?)))
            }
            QuestionKind::MultipleChoice { max_choices, .. } => {
                let keys: Vec<String> = match raw {
                    RawAnswer::List(keys) => keys,
                    // CSV cells join several options with `;`.
                    RawAnswer::Text(joined) => joined
                        .split(';')
                        .map(|k| k.trim().to_owned())
                        .filter(|k| !k.is_empty())
                        .collect(),
                    RawAnswer::Number(_) => return Err(wrong_type("a list of option keys")),
                };
                let mut chosen = Vec::with_capacity(keys.len());
                for key in &keys {
                    let key = self.option_key(key, field)?;
                    if chosen.contains(&key) {
                        return Err(DomainError::new(
                            ErrorCode::DuplicateOption,
                            field,
                            format!("option `{key}` is chosen twice"),
                        ));
                    }
                    chosen.push(key);
                }
                if let Some(max) = max_choices
                    && chosen.len() > usize::from(*max)
                {
                    return Err(DomainError::new(
                        ErrorCode::TooManyChoices,
                        field,
                        format!("at most {max} options may be chosen"),
                    ));
                }
                // Keep the survey's order so equal answers compare equal.
                let options = self.options();
                chosen.sort_by_key(|k| options.iter().position(|o| &o.key == k));
                Ok(Some(Answer::Choices(chosen)))
            }
            QuestionKind::Number { min, max, integer } => {
                let value = match raw {
                    RawAnswer::Number(n) => n,
                    RawAnswer::Text(text) => text
                        .trim()
                        .replace(',', ".")
                        .parse::<f64>()
                        .map_err(|_| wrong_type("a number"))?,
                    RawAnswer::List(_) => return Err(wrong_type("a number")),
                };
                if !value.is_finite() {
                    return Err(wrong_type("a finite number"));
                }
                if *integer && value.fract() != 0.0 {
                    return Err(wrong_type("a whole number"));
                }
                if min.is_some_and(|lo| value < lo) || max.is_some_and(|hi| value > hi) {
                    return Err(DomainError::new(
                        ErrorCode::OutOfRange,
                        field,
                        format!(
                            "{value} is outside {}..{}",
                            min.map_or_else(String::new, |v| v.to_string()),
                            max.map_or_else(String::new, |v| v.to_string())
                        ),
                    ));
                }
                Ok(Some(Answer::Number(value)))
            }
            QuestionKind::FreeText { max_length } => {
                let RawAnswer::Text(text) = raw else {
                    return Err(wrong_type("text"));
                };
                let text = plain_text(&text, Lines::Many, field)?;
                if text.chars().count() > usize::from(*max_length) {
                    return Err(DomainError::new(
                        ErrorCode::TooLong,
                        field,
                        format!("must be at most {max_length} characters"),
                    ));
                }
                Ok(Some(Answer::Text(text.trim().to_owned())))
            }
            QuestionKind::Map { .. } => Err(DomainError::new(
                ErrorCode::WrongType,
                field,
                "a map question is answered with pins, not in answers",
            )),
        }
    }

    fn option_key(&self, key: &str, field: &str) -> Result<Key, DomainError> {
        self.option(key).map(|o| o.key.clone()).ok_or_else(|| {
            DomainError::new(
                ErrorCode::UnknownOption,
                field,
                format!("`{key}` is not an option of this question"),
            )
        })
    }
}
