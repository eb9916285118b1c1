//! Population figures per area × gender × age band (from SCB or the municipality's
//! own register), which the lägesbild rakes respondents to.

use std::collections::HashSet;

use crate::ErrorCode;
use crate::{DomainError, InputError, Key};

/// The header a population CSV file starts with.
pub const POPULATION_HEADER: [&str; 4] = ["area", "gender", "age_band", "population"];

/// The number of residents of one area, gender and age band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationFigure {
    /// The area's code.
    pub area: Key,
    /// The gender, as an option key of the surveys' gender question (e.g. `kvinna`).
    pub gender: Key,
    /// The age band, as an option key of the surveys' age question (e.g. `a16_24`).
    pub age_band: Key,
    /// Residents.
    pub population: u32,
}

/// Parses a population CSV file (`area,gender,age_band,population`, comma or
/// semicolon separated) against the municipality's area codes.
///
/// # Errors
/// The first broken rule with its line and column: a wrong header, an unknown area,
/// a gender or age band that is not a key, a count that is not a whole number of at
/// least 0, or the same area, gender and age band twice.
pub fn parse_population_csv(
    text: &str,
    area_codes: &[Key],
) -> Result<Vec<PopulationFigure>, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let at = |line: u64, field: &str, code: ErrorCode, message: String| {
        located(line, DomainError::new(code, field, message))
    };
    let mut figures = Vec::new();
    let mut seen = HashSet::new();
    let mut header_seen = false;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, csv::Position::line);
            at(line, "", ErrorCode::InvalidCsv, format!("not CSV: {e}"))
        })?;
        let line = record.position().map_or(1, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            let header: Vec<&str> = record.iter().collect();
            if header != POPULATION_HEADER {
                return Err(at(
                    line,
                    "header",
                    ErrorCode::InvalidHeader,
                    format!("the first line must be `{}`", POPULATION_HEADER.join(",")),
                ));
            }
            continue;
        }
        if record.len() != POPULATION_HEADER.len() {
            return Err(at(
                line,
                "",
                ErrorCode::InvalidCsv,
                format!(
                    "expected {} fields, found {}",
                    POPULATION_HEADER.len(),
                    record.len()
                ),
            ));
        }
        let field = |i: usize| record.get(i).unwrap_or_default();
        let key =
            |i: usize, name: &str| Key::parse(field(i), name).map_err(|error| located(line, error));
        let area = key(0, "area")?;
        if !area_codes.contains(&area) {
            return Err(at(
                line,
                "area",
                ErrorCode::UnknownArea,
                format!("`{area}` is not the code of one of the municipality's areas"),
            ));
        }
        let gender = key(1, "gender")?;
        let age_band = key(2, "age_band")?;
        let population = field(3).parse::<u32>().map_err(|_| {
            at(
                line,
                "population",
                ErrorCode::InvalidNumber,
                format!("`{}` is not a whole number of at least 0", field(3)),
            )
        })?;
        if !seen.insert((area.clone(), gender.clone(), age_band.clone())) {
            return Err(at(
                line,
                "area",
                ErrorCode::Duplicate,
                format!("{area}, {gender}, {age_band} is given twice"),
            ));
        }
        figures.push(PopulationFigure {
            area,
            gender,
            age_band,
            population,
        });
    }
    if figures.is_empty() {
        return Err(at(
            1,
            "",
            ErrorCode::Required,
            "the file has no figures below its header".to_owned(),
        ));
    }
    Ok(figures)
}

/// `error` on `line`, in the column its field names.
fn located(line: u64, error: DomainError) -> InputError {
    let column = error.field.clone();
    let at = InputError::new(error).at_line(Some(line));
    if column.is_empty() {
        at
    } else {
        at.in_column(column)
    }
}
