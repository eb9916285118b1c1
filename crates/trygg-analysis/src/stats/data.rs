//! Answers laid out by column for fast counting: one code per respondent and question.

use std::collections::BTreeMap;

use trygg_domain::{Answer, Background, Key, QuestionKind, Response, Survey};

use super::StatsError;

/// Marks a respondent who did not answer a single-choice question.
pub const MISSING: u16 = u16::MAX;

/// The most options a multiple-choice question may have here: choices are kept as bits of a `u64`.
pub const MAX_MULTIPLE_OPTIONS: usize = 64;

/// An option as statistics see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionInfo {
    /// Option key.
    pub key: String,
    /// Whether this is the "vet ej" option.
    pub dont_know: bool,
}

impl OptionInfo {
    /// An ordinary option.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            dont_know: false,
        }
    }

    /// The "vet ej" option.
    pub fn dont_know(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            dont_know: true,
        }
    }
}

/// The answers to one question, one entry per respondent.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Index of the chosen option, or [`MISSING`].
    Single(Vec<u16>),
    /// Bit `i` set when option `i` was chosen; `None` when the question was not answered.
    Multiple(Vec<Option<u64>>),
    /// The number, or NaN when not answered.
    Number(Vec<f64>),
}

/// One question's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Question key.
    pub key: String,
    /// Options in definition order (empty for number questions).
    pub options: Vec<OptionInfo>,
    /// Background variable, for breakdown questions.
    pub background: Option<Background>,
    /// The answers.
    pub values: Values,
}

/// Answers of a set of respondents laid out by question, with optional weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    len: usize,
    columns: Vec<Column>,
    weights: Option<Vec<f64>>,
}

impl Dataset {
    /// Checks and wraps columns of equal length.
    ///
    /// # Errors
    /// [`StatsError::InvalidData`] when columns differ in length, a code or bit names
    /// no option, a multiple-choice question has more than 64 options, or two columns share a key.
    pub fn new(columns: Vec<Column>) -> Result<Self, StatsError> {
        let len = columns.first().map_or(0, Column::len);
        for (i, column) in columns.iter().enumerate() {
            let bad = |message: String| StatsError::InvalidData {
                question: column.key.clone(),
                message,
            };
            if column.len() != len {
                return Err(bad(format!(
                    "{} answers where {len} were expected",
                    column.len()
                )));
            }
            if columns.iter().take(i).any(|c| c.key == column.key) {
                return Err(bad("the question appears twice".to_owned()));
            }
            let options = column.options.len();
            match &column.values {
                Values::Single(codes) => {
                    if let Some(code) = codes
                        .iter()
                        .find(|&&c| c != MISSING && usize::from(c) >= options)
                    {
                        return Err(bad(format!("answer code {code} names no option")));
                    }
                }
                Values::Multiple(sets) => {
                    if options > MAX_MULTIPLE_OPTIONS {
                        return Err(bad(format!(
                            "{options} options; at most {MAX_MULTIPLE_OPTIONS} are supported"
                        )));
                    }
                    let allowed = if options == MAX_MULTIPLE_OPTIONS {
                        u64::MAX
                    } else {
                        (1_u64 << options) - 1
                    };
                    if sets.iter().flatten().any(|&bits| bits & !allowed != 0) {
                        return Err(bad("a choice names no option".to_owned()));
                    }
                }
                Values::Number(_) => {}
            }
        }
        Ok(Self {
            len,
            columns,
            weights: None,
        })
    }

    /// Lays out validated responses to `survey`: choice and number questions become
    /// columns; free text and map questions are left out.
    ///
    /// # Errors
    /// [`StatsError::InvalidData`] when an answer names an option the survey does not have.
    pub fn from_survey(survey: &Survey, responses: &[Response]) -> Result<Self, StatsError> {
        let answers: Vec<&BTreeMap<Key, Answer>> = responses.iter().map(|r| &r.answers).collect();
        Self::from_answers(survey, &answers)
    }

    /// Lays out checked answers to `survey`, one map per respondent, as
    /// [`from_survey`](Self::from_survey) does; for answers read from files.
    ///
    /// # Errors
    /// [`StatsError::InvalidData`] when an answer names an option the survey does not have.
    pub fn from_answers(
        survey: &Survey,
        responses: &[&BTreeMap<Key, Answer>],
    ) -> Result<Self, StatsError> {
        let mut columns = Vec::new();
        for question in &survey.questions {
            let options: Vec<OptionInfo> = question
                .options()
                .iter()
                .map(|o| OptionInfo {
                    key: o.key.to_string(),
                    dont_know: o.dont_know,
                })
                .collect();
            let index = |key: &str| {
                options
                    .iter()
                    .position(|o| o.key == key)
                    .ok_or_else(|| StatsError::InvalidData {
                        question: question.key.to_string(),
                        message: format!("the survey has no option `{key}`"),
                    })
            };
            let answers = responses.iter().map(|r| r.get(&question.key));
            let values = match &question.kind {
                QuestionKind::SingleChoice { .. } => Values::Single(
                    answers
                        .map(|a| match a {
                            Some(Answer::Choice(key)) => {
                                index(key.as_str()).map(|i| u16::try_from(i).unwrap_or(MISSING))
                            }
                            _ => Ok(MISSING),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                QuestionKind::MultipleChoice { .. } => Values::Multiple(
                    answers
                        .map(|a| match a {
                            Some(Answer::Choices(keys)) => keys
                                .iter()
                                .try_fold(0_u64, |bits, key| {
                                    index(key.as_str()).map(|i| {
                                        bits | 1_u64
                                            .checked_shl(u32::try_from(i).unwrap_or(u32::MAX))
                                            .unwrap_or(0)
                                    })
                                })
                                .map(Some),
                            _ => Ok(None),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                QuestionKind::Number { .. } => Values::Number(
                    answers
                        .map(|a| match a {
                            Some(Answer::Number(x)) => *x,
                            _ => f64::NAN,
                        })
                        .collect(),
                ),
                QuestionKind::FreeText { .. } | QuestionKind::Map { .. } => continue,
            };
            columns.push(Column {
                key: question.key.to_string(),
                options,
                background: question.background,
                values,
            });
        }
        let mut dataset = Self::new(columns)?;
        dataset.len = responses.len();
        Ok(dataset)
    }

    /// Sets one weight per respondent, e.g. from [`rake`](super::rake).
    ///
    /// # Errors
    /// [`StatsError::InvalidWeights`] when the count differs from the respondents or a
    /// weight is negative or not finite.
    pub fn with_weights(mut self, weights: Vec<f64>) -> Result<Self, StatsError> {
        if weights.len() != self.len {
            return Err(StatsError::InvalidWeights(format!(
                "{} weights for {} respondents",
                weights.len(),
                self.len
            )));
        }
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return Err(StatsError::InvalidWeights(
                "weights must be finite and not negative".to_owned(),
            ));
        }
        self.weights = Some(weights);
        Ok(self)
    }

    /// How many respondents.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no respondents.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The weights, if set.
    pub fn weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column of question `key`.
    ///
    /// # Errors
    /// [`StatsError::UnknownQuestion`] when there is none.
    pub fn column(&self, key: &str) -> Result<&Column, StatsError> {
        self.columns
            .iter()
            .find(|c| c.key == key)
            .ok_or_else(|| StatsError::UnknownQuestion(key.to_owned()))
    }

    /// The weight of respondent `i` (1 without weights).
    pub(crate) fn weight(&self, i: usize) -> f64 {
        self.weights
            .as_ref()
            .and_then(|w| w.get(i).copied())
            .unwrap_or(1.0)
    }
}

impl Column {
    /// How many respondents the column holds.
    pub fn len(&self) -> usize {
        match &self.values {
            Values::Single(v) => v.len(),
            Values::Multiple(v) => v.len(),
            Values::Number(v) => v.len(),
        }
    }

    /// Whether the column holds no respondents.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
