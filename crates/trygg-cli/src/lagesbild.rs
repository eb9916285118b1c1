//! `trygg export lagesbild`: the lägesbild of a stored round as Excel, CSV, PDF,
//! GeoJSON, JSON or Markdown, from the same [`Lagesbild`] value the dashboard shows
//! and through the same renderers; `trygg analyse lagesbild` renders with these too.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use trygg_lagesbild::csv::Dialect;
use trygg_lagesbild::{Filters, Lagesbild, Options, Sources};
use trygg_store::{Store, StoredPin};

use crate::terminal::say;

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
    /// Which respondents, how weighted, compared with what.
    #[command(flatten)]
    pub view: View,
}

/// Which respondents and pins a lägesbild covers and how it is computed: the
/// [`Options`] of the dashboard.
#[derive(Debug, Clone, Args)]
pub struct View {
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
    /// Weight respondents to the population figures (area × gender × age band).
    #[arg(long)]
    pub weighted: bool,
}

impl View {
    /// The options the lägesbild is built with.
    pub fn options(&self) -> Options {
        Options {
            filters: Filters {
                area: self.area.clone(),
                gender: self.gender.clone(),
                age_band: self.age_band.clone(),
                ..Filters::default()
            },
            weighted: self.weighted,
            compare_with: self.compare.clone(),
            permutations: Some(self.permutations),
            ..Options::default()
        }
    }
}

/// Formats of the lägesbild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LagesbildFormat {
    /// A Markdown summary of the indicators per round and area, and their change.
    Md,
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
    let sources = Sources::read(store, &survey).await?;
    let lagesbild = build(&sources, &args.view)?;
    let pins = match (args.format, args.layer) {
        (LagesbildFormat::Geojson, Layer::Pins) => store.pins(&survey).await?,
        _ => Vec::new(),
    };
    let bytes = render(&lagesbild, args.format, args.layer, &pins)?;
    write(Some(&args.output), &bytes)?;
    say!(
        "Wrote {} ({}, {} respondents).",
        args.output.display(),
        lagesbild.title(),
        lagesbild.key_figures.respondents
    );
    Ok(())
}

/// Builds the lägesbild of `sources` as `view` asks.
pub fn build(sources: &Sources, view: &View) -> anyhow::Result<Lagesbild> {
    let slug = &sources.survey().slug;
    let lagesbild = sources
        .build(&view.options())
        .with_context(|| format!("cannot build the lägesbild of {slug}"))?;
    if view.weighted && !lagesbild.weighting_available {
        anyhow::bail!(
            "--weighted needs population figures that fit {slug}'s background questions (area, gender, age band)"
        );
    }
    Ok(lagesbild)
}

/// The lägesbild in `format`; `pins` are the staff pins of the pin layer.
pub fn render(
    lagesbild: &Lagesbild,
    format: LagesbildFormat,
    layer: Layer,
    pins: &[StoredPin],
) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        LagesbildFormat::Md => trygg_lagesbild::markdown::summary(lagesbild).into_bytes(),
        LagesbildFormat::Xlsx => trygg_lagesbild::xlsx::workbook(lagesbild)?,
        LagesbildFormat::Csv => trygg_lagesbild::csv::tables(lagesbild, Dialect::Comma)?,
        LagesbildFormat::CsvSemicolon => {
            trygg_lagesbild::csv::tables(lagesbild, Dialect::Semicolon)?
        }
        LagesbildFormat::Pdf => trygg_lagesbild::pdf::report(lagesbild)?,
        LagesbildFormat::Json => serde_json::to_vec_pretty(lagesbild)?,
        LagesbildFormat::Geojson => serde_json::to_vec(&match layer {
            Layer::Cells => trygg_lagesbild::geojson::cells(lagesbild),
            Layer::Hotspots => trygg_lagesbild::geojson::hotspots(lagesbild),
            Layer::Pins => trygg_lagesbild::geojson::pins(pins),
        })?,
    })
}

/// Writes `bytes` to `output`, or to standard output.
pub fn write(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
        }
        None => Ok(crate::terminal::stdout().write_all(bytes)?),
    }
}
