//! `trygg export lagesbild`: the lägesbild of a round as Excel, CSV, PDF, GeoJSON or
//! JSON, from the same [`Lagesbild`] value the dashboard shows.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use trygg_lagesbild::csv::Dialect;
use trygg_lagesbild::{Filters, Lagesbild, Options};
use trygg_store::Store;

/// Arguments of `trygg export lagesbild`.
#[derive(Debug, Args)]
pub struct LagesbildExport {
    /// The survey round, by slug.
    #[arg(long)]
    pub survey: String,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: LagesbildFormat,
    /// The file to write.
    #[arg(long, short)]
    pub output: PathBuf,
    /// GeoJSON layer: H3 cells with Gi* classes, hotspot outlines, or pins (staff only).
    #[arg(long, value_enum, default_value_t = Layer::Cells)]
    pub layer: Layer,
    /// Only respondents of this area (option key of the area question).
    #[arg(long)]
    pub area: Option<String>,
    /// Only respondents of this gender (option key).
    #[arg(long)]
    pub gender: Option<String>,
    /// Only respondents of this age band (option key).
    #[arg(long)]
    pub age_band: Option<String>,
    /// Compare with this earlier round (slug); default the previous round of the series.
    #[arg(long, value_name = "SLUG")]
    pub compare: Option<String>,
    /// Gi* permutations for the map's classes.
    #[arg(long, default_value_t = 999)]
    pub permutations: usize,
    /// Weight respondents to the municipality's population figures (`trygg areas population`).
    #[arg(long)]
    pub weighted: bool,
}

/// Formats of the lägesbild export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LagesbildFormat {
    /// Excel workbook: a sheet per table, the changes, the hotspots and definitions.
    Xlsx,
    /// CSV, UTF-8 with BOM, comma-separated with decimal points.
    Csv,
    /// CSV for Swedish Excel: semicolon-separated with decimal commas, UTF-8 with BOM.
    CsvSemicolon,
    /// The PDF report "Lägesbild {kommun} {omgång}" in Swedish.
    Pdf,
    /// GeoJSON (EPSG:4326) of the layer chosen with --layer.
    Geojson,
    /// The whole lägesbild as JSON, as the dashboard API answers.
    Json,
}

/// GeoJSON layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Layer {
    /// Every H3 cell of the study region with pins and its Gi* class.
    Cells,
    /// Hotspots: dissolved outlines of touching hot cells.
    Hotspots,
    /// Pins with category, time of day and area (no comments).
    Pins,
}

/// Runs `trygg export lagesbild`.
pub async fn run(store: &Store, args: LagesbildExport) -> anyhow::Result<()> {
    let survey = super::find_survey(store, &args.survey).await?;
    let filters = Filters {
        area: args.area.clone(),
        gender: args.gender.clone(),
        age_band: args.age_band.clone(),
        ..Filters::default()
    };
    let options = Options {
        filters,
        weighted: args.weighted,
        compare_with: args.compare.clone(),
        permutations: Some(args.permutations),
    };
    let lagesbild = Lagesbild::load(store, &survey, &options)
        .await
        .map_err(|e| anyhow::anyhow!("cannot build the lägesbild of {}: {e}", survey.slug))?;
    if args.weighted && !lagesbild.weighting_available {
        anyhow::bail!(
            "--weighted needs population figures that fit {}'s background questions; import them with `trygg areas population --file …`",
            survey.slug
        );
    }
    let bytes = match args.format {
        LagesbildFormat::Xlsx => trygg_lagesbild::xlsx::workbook(&lagesbild)?,
        LagesbildFormat::Csv => trygg_lagesbild::csv::tables(&lagesbild, Dialect::Comma)?,
        LagesbildFormat::CsvSemicolon => {
            trygg_lagesbild::csv::tables(&lagesbild, Dialect::Semicolon)?
        }
        LagesbildFormat::Pdf => trygg_lagesbild::pdf::report(&lagesbild)?,
        LagesbildFormat::Json => serde_json::to_vec_pretty(&lagesbild)?,
        LagesbildFormat::Geojson => {
            let value = match args.layer {
                Layer::Cells => trygg_lagesbild::geojson::cells(&lagesbild),
                Layer::Hotspots => trygg_lagesbild::geojson::hotspots(&lagesbild),
                Layer::Pins => trygg_lagesbild::geojson::pins(&store.pins(&survey).await?),
            };
            serde_json::to_vec(&value)?
        }
    };
    std::fs::write(&args.output, bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    println!(
        "Wrote {} ({}, {} respondents).",
        args.output.display(),
        lagesbild.title(),
        lagesbild.key_figures.respondents
    );
    Ok(())
}
