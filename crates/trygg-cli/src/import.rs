//! Imports from files. Each file is checked completely before anything is
//! written, and then written in one transaction: a bad row means nothing lands.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use time::OffsetDateTime;
use trygg_domain::{
    AreaProperties, DomainError, Municipality, PinInput, RawAnswer, RawLocation, ResponseInput,
    Survey, SurveyInput, areas_from_geojson, parse_population_csv,
};
use trygg_store::Store;

/// An input file is wrong at a place a person can find.
#[derive(Debug)]
pub struct InputError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// Column name (CSV) when known.
    pub column: Option<String>,
    /// Field path within the record, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}; nothing was imported", self.message)
    }
}

impl std::error::Error for InputError {}

impl InputError {
    fn new(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }

    fn domain(file: &Path, line: Option<u64>, error: DomainError) -> Self {
        Self {
            file: file.to_owned(),
            line,
            column: None,
            field: (!error.field.is_empty()).then_some(error.field),
            message: error.message,
        }
    }

    fn json(file: &Path, error: &serde_json::Error) -> Self {
        Self {
            line: Some(error.line() as u64),
            ..Self::new(file, format!("not valid JSON here: {error}"))
        }
    }
}

fn read(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

/// Imports area polygons from a GeoJSON FeatureCollection, with the domain's parser
/// (the same one the staff upload uses), so an error names the feature and its line.
pub async fn areas(
    store: &Store,
    municipality: &Municipality,
    file: &Path,
    name_property: &str,
    code_property: &str,
) -> anyhow::Result<usize> {
    let text = read(file)?;
    let collection = feature_collection(file)?;
    let lines = feature_start_lines(&text);
    let areas = areas_from_geojson(
        municipality.id,
        &collection,
        AreaProperties {
            name: name_property,
            code: code_property,
        },
    )
    .map_err(|e| {
        let line = feature_index(&e.field).and_then(|i| lines.get(i).copied());
        InputError::domain(file, line, e)
    })?;
    store.insert_areas(&areas).await.map_err(|e| match e {
        trygg_store::StoreError::Conflict { field, message } => InputError {
            field: Some(field),
            ..InputError::new(file, message)
        }
        .into(),
        other => anyhow::Error::from(other),
    })?;
    Ok(areas.len())
}

/// The feature index of a field path such as `features[3].geometry`.
fn feature_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("features[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

/// Imports population figures per area × gender × age band from a CSV file
/// (`area,gender,age_band,population`), replacing the municipality's earlier figures.
pub async fn population(
    store: &Store,
    municipality: &Municipality,
    file: &Path,
) -> anyhow::Result<usize> {
    let text = read(file)?;
    let codes: Vec<_> = store
        .areas(municipality.id)
        .await?
        .into_iter()
        .map(|a| a.code)
        .collect();
    let figures = parse_population_csv(&text, &codes).map_err(|e| InputError {
        line: Some(e.line),
        column: (!e.error.field.is_empty()).then(|| e.error.field.clone()),
        ..InputError::new(file, e.error.message)
    })?;
    store.replace_population(municipality.id, &figures).await?;
    Ok(figures.len())
}

fn feature_collection(file: &Path) -> anyhow::Result<geojson::FeatureCollection> {
    let text = read(file)?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| InputError::json(file, &e))?;
    Ok(serde_json::from_value::<geojson::FeatureCollection>(value)
        .map_err(|e| InputError::new(file, format!("not a GeoJSON FeatureCollection: {e}")))?)
}

/// Imports a survey definition.
pub async fn survey(
    store: &Store,
    municipality: &Municipality,
    file: &Path,
) -> anyhow::Result<Survey> {
    let text = read(file)?;
    let input: SurveyInput = serde_json::from_str(&text).map_err(|e| InputError::json(file, &e))?;
    let survey =
        Survey::parse(input, municipality.id).map_err(|e| InputError::domain(file, None, e))?;
    store.insert_survey(&survey).await.map_err(|e| match e {
        trygg_store::StoreError::Conflict { field, message } => InputError {
            field: Some(field),
            ..InputError::new(file, message)
        }
        .into(),
        other => anyhow::Error::from(other),
    })?;
    Ok(survey)
}

/// Columns that describe the row rather than answer a question.
const ID_COLUMN: &str = "response_id";
const HOUR_COLUMN: &str = "submitted_hour";

/// Imports responses from CSV: one row per respondent, a column per question key.
pub async fn responses(store: &Store, survey: &Survey, file: &Path) -> anyhow::Result<usize> {
    let boundary = store.boundary(survey.municipality_id).await?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let headers = reader
        .headers()
        .map_err(|e| InputError {
            line: Some(1),
            ..InputError::new(file, e.to_string())
        })?
        .clone();
    for name in &headers {
        let known = name == ID_COLUMN
            || name == HOUR_COLUMN
            || survey
                .question(name)
                .is_some_and(|q| !matches!(q.kind, trygg_domain::QuestionKind::Map { .. }));
        if !known {
            return Err(InputError {
                line: Some(1),
                column: Some(name.to_owned()),
                ..InputError::new(
                    file,
                    format!("the survey has no question `{name}` that a CSV column can answer"),
                )
            }
            .into());
        }
    }
    let now = OffsetDateTime::now_utc();
    let mut accepted = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| InputError {
            line: e.position().map(csv::Position::line),
            ..InputError::new(file, e.to_string())
        })?;
        let line = record.position().map(csv::Position::line);
        let mut answers = BTreeMap::new();
        let mut submitted_at = now;
        for (name, cell) in headers.iter().zip(record.iter()) {
            if name == ID_COLUMN {
                continue;
            }
            if name == HOUR_COLUMN {
                if !cell.is_empty() {
                    submitted_at =
                        OffsetDateTime::parse(cell, &time::format_description::well_known::Rfc3339)
                            .map_err(|e| InputError {
                                line,
                                column: Some(name.to_owned()),
                                ..InputError::new(
                                    file,
                                    format!("`{cell}` is not an RFC 3339 time: {e}"),
                                )
                            })?;
                }
                continue;
            }
            answers.insert(name.to_owned(), RawAnswer::Text(cell.to_owned()));
        }
        let response = survey
            .accept(
                ResponseInput {
                    answers,
                    pins: Vec::new(),
                    language: None,
                },
                &boundary,
                submitted_at,
            )
            .map_err(|e| {
                let column = e.field.strip_prefix("answers.").map(ToOwned::to_owned);
                InputError {
                    column,
                    ..InputError::domain(file, line, e)
                }
            })?;
        accepted.push(response);
    }
    store.insert_responses(&accepted, &boundary).await?;
    Ok(accepted.len())
}

/// Imports pins from a GeoJSON FeatureCollection of points.
pub async fn pins(store: &Store, survey: &Survey, file: &Path) -> anyhow::Result<usize> {
    let boundary = store.boundary(survey.municipality_id).await?;
    let collection = feature_collection(file)?;
    let feature_lines = feature_start_lines(&read(file)?);
    let mut inputs = Vec::with_capacity(collection.features.len());
    for (i, feature) in collection.features.iter().enumerate() {
        let at = |field: &str, message: String| {
            InputError::domain(
                file,
                feature_lines.get(i).copied(),
                DomainError::new("invalid", format!("features[{i}].{field}"), message),
            )
        };
        let location = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Point { coordinates }) => {
                let c = coordinates.as_slice();
                match (c.first(), c.get(1)) {
                    (Some(&lon), Some(&lat)) => RawLocation::Pair([lon, lat]),
                    _ => {
                        return Err(at(
                            "geometry.coordinates",
                            "a point needs a longitude and a latitude".to_owned(),
                        )
                        .into());
                    }
                }
            }
            _ => return Err(at("geometry", "must be a Point".to_owned()).into()),
        };
        let text = |name: &str| {
            feature
                .property(name)
                .and_then(|v| v.as_str())
                .map(ToOwned::to_owned)
        };
        inputs.push(PinInput {
            location: Some(location),
            description: None,
            category: text("category")
                .ok_or_else(|| at("properties.category", "missing or not a string".to_owned()))?,
            time_of_day: text("time_of_day").ok_or_else(|| {
                at(
                    "properties.time_of_day",
                    "missing or not a string".to_owned(),
                )
            })?,
            comment: text("comment"),
        });
    }
    // Pins from a file are not one respondent's, so the per-respondent limit does
    // not apply; each pin is checked on its own and errors name its feature.
    let mut checked = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let mut pin = survey.accept_pins(vec![input], &boundary).map_err(|e| {
            let field = if e.field == "pins[0].location" {
                format!("features[{i}].geometry")
            } else {
                e.field
                    .replacen("pins[0].", &format!("features[{i}].properties."), 1)
            };
            InputError::domain(
                file,
                feature_lines.get(i).copied(),
                DomainError { field, ..e },
            )
        })?;
        checked.append(&mut pin);
    }
    store.insert_loose_pins(survey, &checked, &boundary).await?;
    Ok(checked.len())
}

/// The line on which each feature of a FeatureCollection starts: the objects
/// directly inside the top-level `features` array. serde_json reports positions
/// only for syntax errors, so this small scan lets rule errors name a line too.
fn feature_start_lines(text: &str) -> Vec<u64> {
    let mut lines = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    let (mut line, mut in_string, mut escaped) = (1_u64, false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => {
                if c == '{' && stack == ['{', '['] {
                    lines.push(line);
                }
                stack.push(c);
            }
            '}' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    lines
}
