//! Police-reported crime counts per area, imported from the police's own
//! statistics as one more kind of evidence beside the survey when kommun and
//! polis choose focus areas. Counts are whole numbers per area, period and
//! category; Trygg never holds single reports.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::{DomainError, InputError, Key, join_path, parse_label};

/// Largest count of one area, period and category.
pub const MAX_CRIME_COUNT: u32 = 10_000_000;
/// Most rows of one import.
pub const MAX_CRIME_ROWS: usize = 100_000;

/// One row as it arrives, from a CSV line or a JSON object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrimeCountInput {
    /// The area (kommundel) code, e.g. `bro`.
    pub area_code: String,
    /// The period the count covers, e.g. `2025` or `2025-H1`.
    pub period: String,
    /// The category in the police's words, e.g. `skadegörelse`.
    pub category: String,
    /// How many crimes were reported.
    pub count: u32,
}

/// Reported crimes of one category in one area over one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrimeCount {
    /// The area code.
    pub area_code: Key,
    /// The period label.
    pub period: String,
    /// The category.
    pub category: String,
    /// Reported crimes.
    pub count: u32,
}

impl CrimeCount {
    /// Parses one row, naming fields under `field` (e.g. `rows[3]`), against the
    /// municipality's area codes `areas`.
    pub fn parse(
        input: CrimeCountInput,
        areas: &BTreeSet<String>,
        field: &str,
    ) -> Result<Self, DomainError> {
        let area_field = join_path(field, "area_code");
        let area_code = Key::parse(input.area_code.trim(), &area_field)?;
        if !areas.contains(area_code.as_str()) {
            return Err(DomainError::new(
                ErrorCode::UnknownArea,
                area_field,
                format!("`{area_code}` is not an area of this municipality"),
            ));
        }
        if input.count > MAX_CRIME_COUNT {
            return Err(DomainError::new(
                ErrorCode::OutOfRange,
                join_path(field, "count"),
                format!("must be a whole number from 0 to {MAX_CRIME_COUNT}"),
            ));
        }
        Ok(Self {
            area_code,
            period: parse_label(&input.period, 40, &join_path(field, "period"))?,
            category: parse_label(&input.category, 80, &join_path(field, "category"))?
                .to_lowercase(),
            count: input.count,
        })
    }
}

/// Parses a whole import: every row valid, at most [`MAX_CRIME_ROWS`], and no
/// area, period and category twice, since a repeated row would be counted twice.
pub fn parse_crime_counts(
    rows: Vec<CrimeCountInput>,
    areas: &BTreeSet<String>,
) -> Result<Vec<CrimeCount>, InputError> {
    let whole = InputError::new;
    if rows.is_empty() {
        return Err(whole(DomainError::new(
            ErrorCode::Required,
            "rows",
            "there are no rows to import",
        )));
    }
    if rows.len() > MAX_CRIME_ROWS {
        return Err(whole(DomainError::new(
            ErrorCode::TooMany,
            "rows",
            format!("an import has at most {MAX_CRIME_ROWS} rows"),
        )));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let at = |error| InputError::new(error).at_row(i);
        let parsed = CrimeCount::parse(row, areas, "").map_err(at)?;
        let key = (
            parsed.area_code.as_str().to_owned(),
            parsed.period.clone(),
            parsed.category.clone(),
        );
        if !seen.insert(key) {
            return Err(at(DomainError::new(
                ErrorCode::Duplicate,
                "category",
                format!(
                    "area `{}`, period `{}` and category `{}` appear twice",
                    parsed.area_code, parsed.period, parsed.category
                ),
            )));
        }
        out.push(parsed);
    }
    Ok(out)
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
mod tests {
    use super::*;

    fn areas() -> BTreeSet<String> {
        ["bro", "kungsangen"]
            .into_iter()
            .map(String::from)
            .collect()
    }

    fn row(area: &str, period: &str, category: &str, count: u32) -> CrimeCountInput {
        CrimeCountInput {
            area_code: area.to_owned(),
            period: period.to_owned(),
            category: category.to_owned(),
            count,
        }
    }

    #[test]
    fn valid_rows_parse_with_the_category_in_lower_case() {
        let parsed = parse_crime_counts(
            vec![
                row("bro", "2025", "Skadegörelse", 41),
                row("kungsangen", "2025", "skadegörelse", 17),
            ],
            &areas(),
        )
        .unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].category, "skadegörelse");
        assert_eq!(parsed[1].count, 17);
    }

    #[test]
    fn an_unknown_area_is_named_with_its_row() {
        let e = parse_crime_counts(
            vec![
                row("bro", "2025", "rån", 1),
                row("brunna", "2025", "rån", 2),
            ],
            &areas(),
        )
        .unwrap_err();
        assert_eq!(
            (e.row, e.error.code.as_str(), e.error.field.as_str()),
            (Some(1), "unknown_area", "area_code")
        );
    }

    #[test]
    fn a_repeated_area_period_and_category_is_refused() {
        let e = parse_crime_counts(
            vec![row("bro", "2025", "rån", 1), row("bro", "2025", "RÅN", 2)],
            &areas(),
        )
        .unwrap_err();
        assert_eq!((e.row, e.error.code.as_str()), (Some(1), "duplicate"));
    }

    #[test]
    fn an_empty_import_and_an_empty_category_are_refused() {
        let e = parse_crime_counts(vec![], &areas()).unwrap_err();
        assert_eq!((e.row, e.error.code.as_str()), (None, "required"));
        let e = parse_crime_counts(vec![row("bro", "2025", " ", 1)], &areas()).unwrap_err();
        assert_eq!((e.row, e.error.field.as_str()), (Some(0), "category"));
    }
}
