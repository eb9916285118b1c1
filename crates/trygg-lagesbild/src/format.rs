//! The export formats of a lägesbild: one [`Format`] knows its name, content type,
//! file extension and renderer, so no caller matches on format names.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use trygg_domain::Survey;
use trygg_store::Store;

use crate::csv::Dialect;
use crate::{Lagesbild, LagesbildError, Options, Reports, blocking};

/// An export format of the lägesbild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// An Excel workbook, a sheet per table plus a definitions sheet.
    Xlsx,
    /// The tables in long format, comma-separated, UTF-8 with a BOM.
    Csv,
    /// The tables with semicolons and decimal commas, for Swedish Excel.
    CsvSemicolon,
    /// The Swedish report "Lägesbild {kommun} {omgång}".
    Pdf,
    /// The map's H3 cells as GeoJSON.
    Cells,
    /// The hotspot hulls as GeoJSON.
    Hotspots,
}

/// A format name that is none of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("format must be xlsx, csv, csv_semicolon, pdf, cells or hotspots")]
pub struct UnknownFormat;

/// A renderer's failure.
#[derive(Debug, thiserror::Error)]
#[error("the {format} export cannot be written: {message}")]
pub struct RenderError {
    /// The format being written.
    pub format: &'static str,
    /// What went wrong.
    pub message: String,
}

impl Format {
    /// Every format, in the order the dashboard offers them.
    pub const ALL: [Self; 6] = [
        Self::Xlsx,
        Self::Csv,
        Self::CsvSemicolon,
        Self::Pdf,
        Self::Cells,
        Self::Hotspots,
    ];

    /// The format named `name`, as the query's `format` names it.
    ///
    /// # Errors
    /// [`UnknownFormat`] for a missing or unknown name.
    pub fn parse(name: Option<&str>) -> Result<Self, UnknownFormat> {
        Self::ALL
            .into_iter()
            .find(|f| Some(f.name()) == name)
            .ok_or(UnknownFormat)
    }

    /// The name in queries and file names, e.g. `csv_semicolon`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
            Self::CsvSemicolon => "csv_semicolon",
            Self::Pdf => "pdf",
            Self::Cells => "cells",
            Self::Hotspots => "hotspots",
        }
    }

    /// The HTTP content type.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Csv | Self::CsvSemicolon => "text/csv; charset=utf-8",
            Self::Pdf => "application/pdf",
            Self::Cells | Self::Hotspots => "application/geo+json",
        }
    }

    /// The file extension, without the dot.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv | Self::CsvSemicolon => "csv",
            Self::Pdf => "pdf",
            Self::Cells | Self::Hotspots => "geojson",
        }
    }

    /// The download's file name for the round `slug`, e.g. `lagesbild-2023-csv.csv`.
    pub fn file_name(self, slug: &str) -> String {
        format!("lagesbild-{slug}-{}.{}", self.name(), self.extension())
    }

    /// Writes `lagesbild` in this format. Pure computation; a server runs it off
    /// its async threads.
    ///
    /// # Errors
    /// [`RenderError`] when the renderer fails.
    pub fn render(self, lagesbild: &Lagesbild) -> Result<Vec<u8>, RenderError> {
        let written = match self {
            Self::Xlsx => crate::xlsx::workbook(lagesbild).map_err(|e| e.to_string()),
            Self::Csv => crate::csv::tables(lagesbild, Dialect::Comma).map_err(|e| e.to_string()),
            Self::CsvSemicolon => {
                crate::csv::tables(lagesbild, Dialect::Semicolon).map_err(|e| e.to_string())
            }
            Self::Pdf => crate::pdf::report(lagesbild).map_err(|e| e.to_string()),
            Self::Cells => {
                serde_json::to_vec(&crate::geojson::cells(lagesbild)).map_err(|e| e.to_string())
            }
            Self::Hotspots => {
                serde_json::to_vec(&crate::geojson::hotspots(lagesbild)).map_err(|e| e.to_string())
            }
        };
        written.map_err(|message| RenderError {
            format: self.name(),
            message,
        })
    }
}

/// A written export, ready to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The file.
    pub bytes: Vec<u8>,
    /// Its HTTP content type.
    pub content_type: &'static str,
    /// Its name, e.g. `lagesbild-2023-pdf.pdf`.
    pub file_name: String,
}

/// The lägesbild of `survey` with `options` written as `format`, built (or taken
/// from `reports`) and rendered on the blocking pool.
///
/// # Errors
/// As [`Reports::get`]; [`LagesbildError::Render`] when the renderer fails.
pub async fn export(
    reports: &Reports,
    store: &Store,
    survey: &Survey,
    options: Options,
    format: Format,
) -> Result<Export, LagesbildError> {
    let lagesbild = reports.get(store, survey, options).await?;
    let bytes = blocking(move || Ok(format.render(&lagesbild)?)).await?;
    Ok(Export {
        bytes,
        content_type: format.content_type(),
        file_name: format.file_name(survey.slug.as_str()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_is_found_by_its_own_name_and_nothing_else_is() {
        for format in Format::ALL {
            assert_eq!(Format::parse(Some(format.name())), Ok(format));
        }
        assert_eq!(Format::parse(None), Err(UnknownFormat));
        assert_eq!(Format::parse(Some("")), Err(UnknownFormat));
        assert_eq!(Format::parse(Some("CSV")), Err(UnknownFormat));
    }

    #[test]
    fn the_serialised_name_is_the_query_name() {
        for format in Format::ALL {
            assert_eq!(
                serde_json::to_value(format).ok(),
                Some(format.name().into())
            );
        }
    }

    #[test]
    fn a_file_name_carries_the_round_the_format_and_its_extension() {
        assert_eq!(
            Format::CsvSemicolon.file_name("trygghet-2025"),
            "lagesbild-trygghet-2025-csv_semicolon.csv"
        );
        assert_eq!(
            Format::Hotspots.file_name("trygghet-2025"),
            "lagesbild-trygghet-2025-hotspots.geojson"
        );
    }
}
