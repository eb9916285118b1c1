//! Reading files into domain values: areas, population figures, survey definitions,
//! responses, pins and named places. The imports store what these return, and
//! `trygg analyse lagesbild` hands it to the lägesbild as it is, so a file is read
//! one way whichever command reads it. Every error names the file and, where it
//! can, the line, column and field.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use trygg_domain::{
    Area, AreaProperties, Boundary, DomainError, ErrorCode, Key, MunicipalityId, NamedPlace, Pin,
    PinInput, PopulationFigure, RawAnswer, RawLocation, Response, ResponseId, ResponseInput,
    Survey, SurveyInput, areas_from_geojson, parse_population_csv, plain_json,
};

pub use trygg_domain::InputError;

/// `error` in `file`, on `line` when known.
pub(crate) fn located(file: &Path, line: Option<u64>, error: DomainError) -> InputError {
    InputError::new(error).in_file(file).at_line(line)
}

/// `error` at `line` of the CSV `file`, in the column its field names.
pub(crate) fn in_field_column(file: &Path, line: Option<u64>, error: DomainError) -> InputError {
    let column = error.field.clone();
    located(file, line, error).in_column(column)
}

/// `file` as a whole is at fault.
pub(crate) fn whole(file: &Path, code: ErrorCode, message: impl Into<String>) -> InputError {
    located(file, None, DomainError::new(code, "", message))
}

fn json_error(file: &Path, error: &serde_json::Error) -> InputError {
    let message = format!("not valid JSON here: {error}");
    located(
        file,
        Some(error.line() as u64),
        DomainError::new(ErrorCode::InvalidJson, "", message),
    )
}

fn csv_error(file: &Path, line: Option<u64>, message: impl Into<String>) -> InputError {
    located(
        file,
        line,
        DomainError::new(ErrorCode::InvalidCsv, "", message),
    )
}

fn in_column(
    file: &Path,
    line: Option<u64>,
    column: &str,
    code: ErrorCode,
    message: String,
) -> InputError {
    located(file, line, DomainError::new(code, column, message)).in_column(column)
}

/// A reader of the CSV `file` that trims every field, with its header row.
pub(crate) fn csv_reader(
    file: &Path,
) -> anyhow::Result<(csv::Reader<std::fs::File>, csv::StringRecord)> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let headers = reader
        .headers()
        .map_err(|e| csv_error(file, Some(1), e.to_string()))?
        .clone();
    Ok((reader, headers))
}

/// The rows of the CSV `file`, each with its line; the header must name every
/// `required` column. A bad cell is named by line and column.
pub(crate) fn csv_rows<T: serde::de::DeserializeOwned>(
    file: &Path,
    required: &[&str],
) -> anyhow::Result<(Vec<T>, Vec<Option<u64>>)> {
    let (mut reader, headers) = csv_reader(file)?;
    for &required in required {
        if !headers.iter().any(|h| h == required) {
            let message = format!("the header has no column `{required}`");
            return Err(error(file, Some(1), Some(required.to_owned()), message).into());
        }
    }
    let (mut rows, mut lines) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.map_err(|e| {
            error(
                file,
                e.position().map(csv::Position::line),
                None,
                e.to_string(),
            )
        })?;
        let line = record.position().map(csv::Position::line);
        let row: T = record.deserialize(Some(&headers)).map_err(|e| {
            let (column, message) = cell_error(&headers, &e);
            error(file, line, column, message)
        })?;
        rows.push(row);
        lines.push(line);
    }
    Ok((rows, lines))
}

/// A CSV fault in `file` on `line`, in `column` when known.
fn error(file: &Path, line: Option<u64>, column: Option<String>, message: String) -> InputError {
    let field = column.clone().unwrap_or_default();
    let error = DomainError::new(ErrorCode::InvalidCsv, field, message);
    located(file, line, error).in_some_column(column)
}

/// The column and message of a cell that does not deserialise.
fn cell_error(headers: &csv::StringRecord, e: &csv::Error) -> (Option<String>, String) {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => (
            err.field()
                .and_then(|i| headers.get(usize::try_from(i).ok()?))
                .map(ToOwned::to_owned),
            match err.kind() {
                csv::DeserializeErrorKind::ParseInt(_) => {
                    "must be a whole number, 0 or more".to_owned()
                }
                csv::DeserializeErrorKind::ParseFloat(_) => {
                    "must be a number with a decimal point, such as 17.6335".to_owned()
                }
                other => other.to_string(),
            },
        ),
        _ => (None, e.to_string()),
    }
}

pub(crate) fn read(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

/// Area polygons from a GeoJSON FeatureCollection, with the domain's parser (the
/// one the staff upload uses), so an error names the feature and its line.
pub fn areas(
    municipality: MunicipalityId,
    file: &Path,
    properties: AreaProperties<'_>,
) -> anyhow::Result<Vec<Area>> {
    let text = read(file)?;
    let collection = feature_collection(file, &text)?;
    areas_from_geojson(municipality, &collection, properties).map_err(|e| {
        let line = feature_index(&e.field).and_then(|i| feature_start_lines(&text).get(i).copied());
        located(file, line, e).into()
    })
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

/// Population figures per area × gender × age band from CSV
/// (`area,gender,age_band,population`), for the areas with `codes`.
pub fn population(file: &Path, codes: &[Key]) -> anyhow::Result<Vec<PopulationFigure>> {
    let text = read(file)?;
    parse_population_csv(&text, codes).map_err(|e| e.in_file(file).into())
}

fn feature_collection(file: &Path, text: &str) -> anyhow::Result<geojson::FeatureCollection> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
    // Control characters are refused in every string, as the staff upload does.
    plain_json(&value, "").map_err(|e| {
        let line = feature_index(&e.field).and_then(|i| feature_start_lines(text).get(i).copied());
        located(file, line, e)
    })?;
    Ok(
        serde_json::from_value::<geojson::FeatureCollection>(value).map_err(|e| {
            whole(
                file,
                ErrorCode::InvalidGeojson,
                format!("not a GeoJSON FeatureCollection: {e}"),
            )
        })?,
    )
}

/// A survey definition (JSON, as `trygg survey show --json` prints it).
pub fn survey(municipality: MunicipalityId, file: &Path) -> anyhow::Result<Survey> {
    let text = read(file)?;
    let input: SurveyInput = serde_json::from_str(&text).map_err(|e| json_error(file, &e))?;
    Ok(Survey::parse(input, municipality).map_err(|e| located(file, None, e))?)
}

/// Columns that describe the row rather than answer a question.
const ID_COLUMN: &str = "response_id";
const HOUR_COLUMN: &str = "submitted_hour";

/// Responses read from CSV, each with the text of its `response_id` cell (empty
/// when the file has none), in file order.
pub struct Responses {
    /// The responses.
    pub responses: Vec<Response>,
    /// The id each row gave itself, with the response's id, for linking pins.
    pub ids: BTreeMap<String, ResponseId>,
}

/// Responses from CSV: one row per respondent, a column per question key, several
/// options joined by `;`; `response_id` and `submitted_hour` (RFC 3339) optional.
/// Each response gets an id of its own; `response_id` only links pins to it.
pub fn responses(survey: &Survey, file: &Path, boundary: &Boundary) -> anyhow::Result<Responses> {
    let (mut reader, headers) = csv_reader(file)?;
    check_response_headers(survey, file, &headers)?;
    let mut read = Responses {
        responses: Vec::new(),
        ids: BTreeMap::new(),
    };
    let now = OffsetDateTime::now_utc();
    for record in reader.records() {
        let record = record
            .map_err(|e| csv_error(file, e.position().map(csv::Position::line), e.to_string()))?;
        let (id, response) = response_row(survey, file, &headers, &record, boundary, now)?;
        if !id.is_empty() {
            read.ids.insert(id, response.id);
        }
        read.responses.push(response);
    }
    Ok(read)
}

fn check_response_headers(
    survey: &Survey,
    file: &Path,
    headers: &csv::StringRecord,
) -> Result<(), InputError> {
    for name in headers {
        let known = name == ID_COLUMN
            || name == HOUR_COLUMN
            || survey
                .question(name)
                .is_some_and(|q| !matches!(q.kind, trygg_domain::QuestionKind::Map { .. }));
        if !known {
            let message =
                format!("the survey has no question `{name}` that a CSV column can answer");
            return Err(in_column(
                file,
                Some(1),
                name,
                ErrorCode::UnknownQuestion,
                message,
            ));
        }
    }
    Ok(())
}

/// One row: its `response_id` text and the response the survey accepts.
fn response_row(
    survey: &Survey,
    file: &Path,
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
    boundary: &Boundary,
    now: OffsetDateTime,
) -> anyhow::Result<(String, Response)> {
    let line = record.position().map(csv::Position::line);
    let (mut answers, mut submitted_at, mut id) = (BTreeMap::new(), now, String::new());
    for (name, cell) in headers.iter().zip(record.iter()) {
        match name {
            ID_COLUMN => cell.clone_into(&mut id),
            HOUR_COLUMN if !cell.is_empty() => {
                submitted_at = OffsetDateTime::parse(cell, &Rfc3339).map_err(|e| {
                    let message = format!("`{cell}` is not an RFC 3339 time: {e}");
                    in_column(file, line, name, ErrorCode::InvalidDate, message)
                })?;
            }
            HOUR_COLUMN => {}
            _ => {
                answers.insert(name.to_owned(), RawAnswer::Text(cell.to_owned()));
            }
        }
    }
    let (pins, language) = (Vec::new(), None);
    let input = ResponseInput {
        answers,
        pins,
        language,
    };
    let response = survey.accept(input, boundary, submitted_at).map_err(|e| {
        let column = e.field.strip_prefix("answers.").map(ToOwned::to_owned);
        located(file, line, e).in_some_column(column)
    })?;
    Ok((id, response))
}

/// A pin read from a file, with the `response_id` it names, if any.
pub struct FilePin {
    /// The `response_id` property.
    pub response_id: Option<String>,
    /// The checked pin.
    pub pin: Pin,
}

/// Pins from a GeoJSON FeatureCollection of points with properties `category`,
/// `time_of_day` and optional `comment` and `response_id`; each is checked on its
/// own (the per-respondent limit does not apply) and an error names its feature.
pub fn pins(survey: &Survey, file: &Path, boundary: &Boundary) -> anyhow::Result<Vec<FilePin>> {
    let text = read(file)?;
    let collection = feature_collection(file, &text)?;
    let lines = feature_start_lines(&text);
    let mut pins = Vec::with_capacity(collection.features.len());
    for (i, feature) in collection.features.iter().enumerate() {
        let line = lines.get(i).copied();
        let input = pin_input(feature).map_err(|(field, message)| {
            let field = format!("features[{i}].{field}");
            located(
                file,
                line,
                DomainError::new(ErrorCode::Invalid, field, message),
            )
        })?;
        let pin = survey.accept_pins(vec![input], boundary).map_err(|e| {
            let field = if e.field == "pins[0].location" {
                format!("features[{i}].geometry")
            } else {
                e.field
                    .replacen("pins[0].", &format!("features[{i}].properties."), 1)
            };
            located(file, line, DomainError { field, ..e })
        })?;
        let response_id = text_property(feature, "response_id");
        pins.extend(pin.into_iter().map(|pin| FilePin {
            response_id: response_id.clone(),
            pin,
        }));
    }
    Ok(pins)
}

fn text_property(feature: &geojson::Feature, name: &str) -> Option<String> {
    feature
        .property(name)
        .and_then(|v| v.as_str())
        .map(ToOwned::to_owned)
}

/// A point feature's longitude and latitude.
fn point(feature: &geojson::Feature) -> Result<[f64; 2], (&'static str, String)> {
    match feature.geometry.as_ref().map(|g| &g.value) {
        Some(geojson::GeometryValue::Point { coordinates }) => {
            let c = coordinates.as_slice();
            match (c.first(), c.get(1)) {
                (Some(&lon), Some(&lat)) => Ok([lon, lat]),
                _ => Err((
                    "geometry.coordinates",
                    "a point needs a longitude and a latitude".to_owned(),
                )),
            }
        }
        _ => Err(("geometry", "must be a Point".to_owned())),
    }
}

/// A pin feature as the domain takes it, or the field at fault and why.
fn pin_input(feature: &geojson::Feature) -> Result<PinInput, (&'static str, String)> {
    let missing = |field| (field, "missing or not a string".to_owned());
    Ok(PinInput {
        location: Some(RawLocation::Pair(point(feature)?)),
        description: None,
        category: text_property(feature, "category")
            .ok_or_else(|| missing("properties.category"))?,
        time_of_day: text_property(feature, "time_of_day")
            .ok_or_else(|| missing("properties.time_of_day"))?,
        comment: text_property(feature, "comment"),
    })
}

/// Named places from a GeoJSON FeatureCollection of points with properties `name`
/// and `kind` (e.g. `centre`, `station`), which hotspots are named after.
pub fn places(municipality: MunicipalityId, file: &Path) -> anyhow::Result<Vec<NamedPlace>> {
    let text = read(file)?;
    let collection = feature_collection(file, &text)?;
    let lines = feature_start_lines(&text);
    let mut places = Vec::with_capacity(collection.features.len());
    for (i, feature) in collection.features.iter().enumerate() {
        let field = format!("features[{i}]");
        let error = |e| located(file, lines.get(i).copied(), e);
        let [lon, lat] = point(feature).map_err(|(at, message)| {
            error(DomainError::new(
                ErrorCode::Invalid,
                format!("{field}.{at}"),
                message,
            ))
        })?;
        let text = |name| text_property(feature, name).unwrap_or_default();
        places.push(
            NamedPlace::parse(municipality, &text("name"), &text("kind"), lon, lat, &field)
                .map_err(error)?,
        );
    }
    Ok(places)
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
            (in_string, escaped) = match (escaped, c) {
                (true, _) => (true, false),
                (false, '\\') => (true, true),
                (false, '"') => (false, false),
                _ => (true, false),
            };
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
