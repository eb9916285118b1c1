//! Survey definitions (trygghetsmätning): questions, options, map questions and rounds.
//!
//! A definition arrives as JSON ([`SurveyInput`]) from a file or the staff API and is
//! parsed once into a [`Survey`] whose parts can only hold valid values. The
//! validated survey serialises back to the same JSON shape, so what is stored is
//! exactly what can be imported again.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ErrorCode;
use crate::{DomainError, Key, LocalizedText, MunicipalityId, Slug, SurveyId, parse_label};

/// Longest question or option text, generous for Swedish compound words and help texts.
const MAX_TEXT: usize = 2_000;
/// The largest number of pins a map question may ask for.
pub const MAX_PINS_LIMIT: u16 = 200;

/// A survey definition as it arrives in a file or request, before any checking.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    /// URL slug, unique across the server.
    pub slug: String,
    /// Round label such as "2023"; rounds of one survey share question keys.
    pub round: String,
    /// Title shown to residents.
    pub title: LocalizedText,
    /// Introductory text shown before the first question.
    #[serde(default)]
    pub intro: Option<LocalizedText>,
    /// First day the survey takes answers.
    #[serde(with = "iso_date")]
    pub opens_on: Date,
    /// Last day the survey takes answers, if it closes.
    #[serde(default, with = "iso_date::option")]
    pub closes_on: Option<Date>,
    /// The questions in the order residents see them.
    pub questions: Vec<QuestionInput>,
    /// Headline indicators of the lägesbild, such as the share feeling unsafe in the evening.
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
    /// Whether each response must carry a solved ALTCHA proof-of-work challenge,
    /// for a survey that is being flooded; off by default.
    #[serde(default)]
    pub proof_of_work: bool,
}

/// A headline indicator as it arrives, before checking. Unknown fields cannot
/// be refused here because serde's `flatten` does not support it.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorInput {
    /// Stable key, e.g. `evening_unsafe`; the same key in two rounds means the same indicator.
    pub key: String,
    /// Name shown in reports.
    pub label: LocalizedText,
    /// How the indicator is computed.
    #[serde(flatten)]
    pub kind: IndicatorKind,
}

/// How an indicator is computed from answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndicatorKind {
    /// The share choosing any of `options` in a single-choice question: a top-box or
    /// top-2-box share such as "ganska + mycket otrygg + går inte ut".
    Share {
        /// The single-choice question.
        question: String,
        /// The options that count; "vet ej" cannot be one of them.
        options: Vec<String>,
    },
    /// The mean over `questions` of the share choosing any of `options`: a problem
    /// index such as "mean share calling each local problem a large problem".
    ProblemIndex {
        /// Single-choice questions sharing the same options.
        questions: Vec<String>,
        /// The options that count as a large problem.
        options: Vec<String>,
    },
    /// The mean of a number question.
    Mean {
        /// The number question.
        question: String,
    },
}

/// A checked headline indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// Stable key.
    pub key: Key,
    /// Name shown in reports.
    pub label: LocalizedText,
    /// How it is computed; every question and option it names exists in the survey.
    #[serde(flatten)]
    pub kind: IndicatorKind,
}

/// One question as it arrives, before checking. Unknown fields cannot be refused
/// here because serde's `flatten` does not support it.
#[derive(Debug, Clone, Deserialize)]
pub struct QuestionInput {
    /// Stable key; the same key in two rounds means the same question.
    pub key: String,
    /// The question text.
    pub text: LocalizedText,
    /// Optional help text under the question.
    #[serde(default)]
    pub help: Option<LocalizedText>,
    /// Section heading the question starts, if any.
    #[serde(default)]
    pub section: Option<LocalizedText>,
    /// Whether an answer is required.
    #[serde(default)]
    pub required: bool,
    /// Marks a background question used for breakdowns.
    #[serde(default)]
    pub background: Option<Background>,
    /// What kind of answer the question takes.
    #[serde(flatten)]
    pub kind: QuestionKindInput,
}

/// The answer kind of a question as it arrives.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKindInput {
    /// Pick exactly one option; `scale` marks an ordered 4- or 5-point scale.
    SingleChoice {
        /// The options in display order.
        options: Vec<OptionInput>,
        /// Whether the options form an ordered scale.
        #[serde(default)]
        scale: bool,
    },
    /// Pick any number of options, up to `max_choices`.
    MultipleChoice {
        /// The options in display order.
        options: Vec<OptionInput>,
        /// The most options a respondent may pick.
        #[serde(default)]
        max_choices: Option<u16>,
    },
    /// A number within an optional range.
    Number {
        /// Smallest allowed value.
        #[serde(default)]
        min: Option<f64>,
        /// Largest allowed value.
        #[serde(default)]
        max: Option<f64>,
        /// Whether only whole numbers are allowed.
        #[serde(default)]
        integer: bool,
    },
    /// Free text, moderated before anyone outside the analysts sees it.
    FreeText {
        /// Longest answer in characters.
        #[serde(default = "default_free_text_length")]
        max_length: u16,
    },
    /// Pins on a map: unsafe places with a category, a time of day and a comment.
    Map {
        /// What can make a place unsafe.
        categories: Vec<OptionInput>,
        /// The most pins one respondent may place.
        #[serde(default = "default_max_pins")]
        max_pins: u16,
    },
}

const fn default_free_text_length() -> u16 {
    2_000
}

const fn default_max_pins() -> u16 {
    20
}

/// An option or map category as it arrives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionInput {
    /// Stable key stored with answers.
    pub key: String,
    /// Text shown to residents.
    pub label: LocalizedText,
    /// Marks the "vet ej / don't know" option, which statistics leave out of the base by default.
    #[serde(default)]
    pub dont_know: bool,
}

/// The background variables used for breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Background {
    /// Age band, e.g. 16–24.
    AgeBand,
    /// Gender.
    Gender,
    /// Area of residence; option keys are area codes.
    Area,
}

impl Background {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AgeBand => "age_band",
            Self::Gender => "gender",
            Self::Area => "area",
        }
    }
}

/// A checked survey definition: one round of a trygghetsmätning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Survey {
    /// Stable identifier.
    #[serde(skip)]
    pub id: SurveyId,
    /// The municipality that runs it.
    #[serde(skip)]
    pub municipality_id: MunicipalityId,
    /// URL slug.
    pub slug: Slug,
    /// Round label such as "2023".
    pub round: String,
    /// Title.
    pub title: LocalizedText,
    /// Introductory text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<LocalizedText>,
    /// First day open.
    #[serde(with = "iso_date")]
    pub opens_on: Date,
    /// Last day open.
    #[serde(skip_serializing_if = "Option::is_none", with = "iso_date::option")]
    pub closes_on: Option<Date>,
    /// Questions in display order.
    pub questions: Vec<Question>,
    /// Headline indicators.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    /// Whether each response must carry a solved proof-of-work challenge.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub proof_of_work: bool,
}

/// A checked question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Stable key.
    pub key: Key,
    /// Question text.
    pub text: LocalizedText,
    /// Help text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<LocalizedText>,
    /// Section heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<LocalizedText>,
    /// Whether an answer is required.
    pub required: bool,
    /// Background variable, if this is a background question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<Background>,
    /// The answer kind.
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// A checked answer kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one option.
    SingleChoice {
        /// Options, keys unique.
        options: Vec<ChoiceOption>,
        /// Ordered scale.
        scale: bool,
    },
    /// Any number of options up to `max_choices`.
    MultipleChoice {
        /// Options, keys unique.
        options: Vec<ChoiceOption>,
        /// The most options one may pick.
        #[serde(skip_serializing_if = "Option::is_none")]
        max_choices: Option<u16>,
    },
    /// A number.
    Number {
        /// Smallest allowed.
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// Largest allowed.
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Whole numbers only.
        integer: bool,
    },
    /// Free text.
    FreeText {
        /// Longest answer in characters.
        max_length: u16,
    },
    /// Pins on a map.
    Map {
        /// Categories, keys unique.
        categories: Vec<ChoiceOption>,
        /// The most pins per respondent.
        max_pins: u16,
    },
}

/// A checked option or map category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceOption {
    /// Stable key.
    pub key: Key,
    /// Label.
    pub label: LocalizedText,
    /// Whether this is the "vet ej" option.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dont_know: bool,
}

impl Survey {
    /// Parses a definition for `municipality_id`, naming the first broken rule's field.
    pub fn parse(input: SurveyInput, municipality_id: MunicipalityId) -> Result<Self, DomainError> {
        let SurveyInput {
            slug,
            round,
            title,
            intro,
            opens_on,
            closes_on,
            questions,
            indicators,
            proof_of_work,
        } = input;
        let slug = Slug::parse(&slug, "slug")?;
        let round = parse_label(&round, 40, "round")?;
        let title = LocalizedText::parse(title, 200, "title")?;
        let intro = intro
            .map(|t| LocalizedText::parse_long(t, MAX_TEXT, "intro"))
            .transpose()?;
        if let Some(closes_on) = closes_on
            && closes_on < opens_on
        {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                "closes_on",
                "the survey must close on or after the day it opens",
            ));
        }
        if questions.is_empty() {
            return Err(DomainError::new(
                ErrorCode::Required,
                "questions",
                "a survey needs at least one question",
            ));
        }
        let parsed = parse_unique("questions", "question", questions, Question::parse, |q| {
            &q.key
        })?;
        let checked = parse_unique(
            "indicators",
            "indicator",
            indicators,
            |indicator| Indicator::parse(indicator, &parsed),
            |i| &i.key,
        )?;
        Ok(Self {
            id: SurveyId::new(),
            municipality_id,
            slug,
            round,
            title,
            intro,
            opens_on,
            closes_on,
            questions: parsed,
            indicators: checked,
            proof_of_work,
        })
    }

    /// The question with `key`, if the survey has one.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key.as_str() == key)
    }

    /// The survey's map question, if it has one.
    pub fn map_question(&self) -> Option<&Question> {
        self.questions
            .iter()
            .find(|q| matches!(q.kind, QuestionKind::Map { .. }))
    }

    /// Whether the survey takes answers on `day`.
    pub fn is_open_on(&self, day: Date) -> bool {
        day >= self.opens_on && self.closes_on.is_none_or(|closes| day <= closes)
    }

    /// Whether the survey has closed by `day`: its closing day is past, so it takes
    /// no more answers and its results may be published. A survey without a
    /// closing day never closes.
    pub fn is_closed_on(&self, day: Date) -> bool {
        self.closes_on.is_some_and(|closes| closes < day)
    }
}

impl Question {
    pub(crate) fn parse(input: QuestionInput) -> Result<Self, DomainError> {
        let QuestionInput {
            key,
            text,
            help,
            section,
            required,
            background,
            kind,
        } = input;
        let key = Key::parse(&key, "key")?;
        let text = LocalizedText::parse(text, MAX_TEXT, "text")?;
        let help = help
            .map(|t| LocalizedText::parse_long(t, MAX_TEXT, "help"))
            .transpose()?;
        let section = section
            .map(|t| LocalizedText::parse(t, 200, "section"))
            .transpose()?;
        let kind = match kind {
            QuestionKindInput::SingleChoice { options, scale } => QuestionKind::SingleChoice {
                options: parse_options(options, "options")?,
                scale,
            },
            QuestionKindInput::MultipleChoice {
                options,
                max_choices,
            } => {
                let options = parse_options(options, "options")?;
                if let Some(max) = max_choices
                    && (max == 0 || usize::from(max) > options.len())
                {
                    return Err(DomainError::new(
                        ErrorCode::OutOfRange,
                        "max_choices",
                        format!(
                            "must be between 1 and the number of options ({})",
                            options.len()
                        ),
                    ));
                }
                QuestionKind::MultipleChoice {
                    options,
                    max_choices,
                }
            }
            QuestionKindInput::Number { min, max, integer } => {
                if min.is_some_and(|v| !v.is_finite()) || max.is_some_and(|v| !v.is_finite()) {
                    return Err(DomainError::new(
                        ErrorCode::OutOfRange,
                        "min",
                        "limits must be finite numbers",
                    ));
                }
                if let (Some(lo), Some(hi)) = (min, max)
                    && lo > hi
                {
                    return Err(DomainError::new(
                        ErrorCode::OutOfRange,
                        "max",
                        "max must not be below min",
                    ));
                }
                QuestionKind::Number { min, max, integer }
            }
            QuestionKindInput::FreeText { max_length } => {
                if max_length == 0 {
                    return Err(DomainError::new(
                        ErrorCode::OutOfRange,
                        "max_length",
                        "must be at least 1",
                    ));
                }
                QuestionKind::FreeText { max_length }
            }
            QuestionKindInput::Map {
                categories,
                max_pins,
            } => {
                if max_pins == 0 || max_pins > MAX_PINS_LIMIT {
                    return Err(DomainError::new(
                        ErrorCode::OutOfRange,
                        "max_pins",
                        format!("must be between 1 and {MAX_PINS_LIMIT}"),
                    ));
                }
                QuestionKind::Map {
                    categories: parse_options(categories, "categories")?,
                    max_pins,
                }
            }
        };
        if background.is_some() && !matches!(kind, QuestionKind::SingleChoice { .. }) {
            return Err(DomainError::new(
                ErrorCode::InvalidBackground,
                "background",
                "only single-choice questions can be background questions",
            ));
        }
        Ok(Self {
            key,
            text,
            help,
            section,
            required,
            background,
            kind,
        })
    }

    /// The options of a choice question, or the categories of a map question.
    pub fn options(&self) -> &[ChoiceOption] {
        match &self.kind {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. } => options,
            QuestionKind::Map { categories, .. } => categories,
            QuestionKind::Number { .. } | QuestionKind::FreeText { .. } => &[],
        }
    }

    /// The option with `key`, if this question has one.
    pub fn option(&self, key: &str) -> Option<&ChoiceOption> {
        self.options().iter().find(|o| o.key.as_str() == key)
    }
}

impl Indicator {
    fn parse(input: IndicatorInput, questions: &[Question]) -> Result<Self, DomainError> {
        let IndicatorInput { key, label, kind } = input;
        let key = Key::parse(&key, "key")?;
        let label = LocalizedText::parse(label, 200, "label")?;
        let find = |name: &str, field: &str| {
            questions
                .iter()
                .find(|q| q.key.as_str() == name)
                .ok_or_else(|| {
                    DomainError::new(
                        ErrorCode::UnknownQuestion,
                        field,
                        format!("the survey has no question `{name}`"),
                    )
                })
        };
        let check_options = |question: &Question, options: &[String]| {
            if !matches!(question.kind, QuestionKind::SingleChoice { .. }) {
                return Err(DomainError::new(
                    ErrorCode::InvalidIndicator,
                    "question",
                    format!("`{}` is not a single-choice question", question.key),
                ));
            }
            if options.is_empty() {
                return Err(DomainError::new(
                    ErrorCode::Required,
                    "options",
                    "name at least one option that counts",
                ));
            }
            for (i, option) in options.iter().enumerate() {
                match question.option(option) {
                    None => {
                        return Err(DomainError::new(
                            ErrorCode::UnknownOption,
                            format!("options[{i}]"),
                            format!("`{}` has no option `{option}`", question.key),
                        ));
                    }
                    Some(o) if o.dont_know => {
                        return Err(DomainError::new(
                            ErrorCode::InvalidIndicator,
                            format!("options[{i}]"),
                            "the \"don't know\" option is outside the base and cannot count",
                        ));
                    }
                    Some(_) => {}
                }
            }
            Ok(())
        };
        match &kind {
            IndicatorKind::Share { question, options } => {
                check_options(find(question, "question")?, options)?;
            }
            IndicatorKind::ProblemIndex {
                questions: names,
                options,
            } => {
                if names.is_empty() {
                    return Err(DomainError::new(
                        ErrorCode::Required,
                        "questions",
                        "a problem index needs at least one question",
                    ));
                }
                for (i, name) in names.iter().enumerate() {
                    let field = format!("questions[{i}]");
                    check_options(find(name, &field)?, options).map_err(|e| {
                        if e.field == "question" {
                            DomainError { field, ..e }
                        } else {
                            e
                        }
                    })?;
                }
            }
            IndicatorKind::Mean { question } => {
                if !matches!(
                    find(question, "question")?.kind,
                    QuestionKind::Number { .. }
                ) {
                    return Err(DomainError::new(
                        ErrorCode::InvalidIndicator,
                        "question",
                        format!("`{question}` is not a number question"),
                    ));
                }
            }
        }
        Ok(Self { key, label, kind })
    }
}

/// Parses each input of the list `list`, naming the place of an error
/// (`list[i]...`) and refusing a `what` key used twice.
fn parse_unique<I, T>(
    list: &str,
    what: &str,
    inputs: Vec<I>,
    parse: impl Fn(I) -> Result<T, DomainError>,
    key: impl Fn(&T) -> &Key,
) -> Result<Vec<T>, DomainError> {
    let mut seen = BTreeSet::new();
    let mut parsed = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let field = format!("{list}[{i}]");
        let item = parse(input).map_err(|e| e.under(&field))?;
        if !seen.insert(key(&item).clone()) {
            return Err(DomainError::new(
                ErrorCode::DuplicateKey,
                format!("{field}.key"),
                format!("{what} key `{}` is used twice", key(&item)),
            ));
        }
        parsed.push(item);
    }
    Ok(parsed)
}

fn parse_options(inputs: Vec<OptionInput>, field: &str) -> Result<Vec<ChoiceOption>, DomainError> {
    if inputs.is_empty() {
        return Err(DomainError::new(
            ErrorCode::Required,
            field,
            "needs at least one option",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut options = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let item = format!("{field}[{i}]");
        let key = Key::parse(&input.key, &format!("{item}.key"))?;
        if !seen.insert(key.clone()) {
            return Err(DomainError::new(
                ErrorCode::DuplicateKey,
                format!("{item}.key"),
                format!("option key `{key}` is used twice"),
            ));
        }
        let label = LocalizedText::parse(input.label, 500, &format!("{item}.label"))?;
        options.push(ChoiceOption {
            key,
            label,
            dont_know: input.dont_know,
        });
    }
    if options.iter().filter(|o| o.dont_know).count() > 1 {
        return Err(DomainError::new(
            ErrorCode::DuplicateDontKnow,
            field,
            "at most one option can be the \"don't know\" option",
        ));
    }
    Ok(options)
}

// Dates are written `2023-10-01` in definitions, as people type them.
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");
