//! `trygg analyse lagesbild`: the lägesbild of a round, from the store or from files,
//! built and rendered by `trygg_lagesbild` exactly as the server builds and renders
//! it, so one input gives one set of numbers whichever door it came through.
//!
//! Files are read into the same sources the server reads from the database
//! ([`Sources::from_parts`]): a survey definition, its responses and pins, earlier
//! rounds, areas, named places and population figures. Every file is checked before
//! anything is computed; an error names the file, the line and the column.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use trygg_domain::{AreaProperties, Key, MunicipalityId, Survey};
use trygg_lagesbild::{MunicipalityInfo, Parts, RoundParts, Sources};
use trygg_store::{PinValue, StoredPin};

use crate::Settings;
use crate::files::{self, InputError};
use crate::lagesbild::{LagesbildFormat, Layer, View, build, render, write};

/// `trygg analyse …`
#[derive(Debug, Subcommand)]
pub enum AnalyseCommand {
    /// The lägesbild: indicators and every choice question with 95 % intervals, by
    /// area, gender and age band, suppressed for publication, and the change since
    /// the previous round; the map's Gi* cells and hotspots.
    Lagesbild(AnalyseArgs),
}

/// Arguments of `trygg analyse lagesbild`.
#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// A survey round in the store, by slug (its earlier rounds come along).
    #[arg(long, value_name = "SLUG", required_unless_present = "definition")]
    pub survey: Option<String>,
    /// The round from files instead of the store.
    #[command(flatten)]
    pub files: RoundFiles,
    /// Which respondents, how weighted, compared with what.
    #[command(flatten)]
    pub view: View,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LagesbildFormat::Md)]
    pub format: LagesbildFormat,
    /// GeoJSON layer.
    #[arg(long, value_enum, default_value_t = Layer::Cells)]
    pub layer: Layer,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// A round and its municipality as files, in the formats the imports read and the
/// exports write.
#[derive(Debug, Args)]
pub struct RoundFiles {
    /// The survey definition (JSON, as `trygg survey show --json` prints it).
    #[arg(
        long,
        value_name = "FILE",
        requires = "responses",
        conflicts_with = "survey"
    )]
    pub definition: Option<PathBuf>,
    /// Its responses (CSV as `trygg export responses` writes: a column per question key).
    #[arg(long, value_name = "FILE", requires = "definition")]
    pub responses: Option<PathBuf>,
    /// Its pins (GeoJSON points as `trygg export pins` writes; `response_id` links a respondent).
    #[arg(long, value_name = "FILE", requires = "definition")]
    pub pins: Option<PathBuf>,
    /// An earlier round: a folder holding `survey.json`, `responses.csv` and
    /// optionally `pins.geojson`. Repeatable; rounds of the series are compared with.
    #[arg(long, value_name = "DIR", requires = "definition")]
    pub earlier: Vec<PathBuf>,
    /// The municipality's areas (GeoJSON with `name` and `code`, as `trygg areas import` reads).
    #[arg(long, value_name = "FILE", requires = "definition")]
    pub areas: Option<PathBuf>,
    /// Named places hotspots are named after (GeoJSON points with `name` and `kind`).
    #[arg(long, value_name = "FILE", requires = "definition")]
    pub places: Option<PathBuf>,
    /// Residents per area × gender × age band for --weighted (CSV
    /// `area,gender,age_band,population`, as `trygg areas population` reads).
    #[arg(long, value_name = "FILE", requires = "definition")]
    pub population: Option<PathBuf>,
    /// The municipality's name in titles.
    #[arg(long, value_name = "NAME", default_value = "Kommunen")]
    pub municipality_name: String,
}

/// Runs `trygg analyse lagesbild`.
pub async fn run(settings: &Settings, command: AnalyseCommand) -> anyhow::Result<()> {
    let AnalyseCommand::Lagesbild(args) = command;
    let (sources, pins) = match &args.survey {
        Some(slug) => {
            let store = super::open(settings).await?;
            let survey = super::find_survey(&store, slug).await?;
            let pins = store.pins(&survey).await?;
            (Sources::read(&store, &survey).await?, pins)
        }
        None => read_files(&args.files).map_err(unplaced)?,
    };
    let lagesbild = build(&sources, &args.view)?;
    let bytes = render(&lagesbild, args.format, args.layer, &pins)?;
    write(args.output.as_deref(), &bytes)
}

/// An input error as it is, without the import's "nothing was imported".
fn unplaced(error: anyhow::Error) -> anyhow::Error {
    match error.downcast::<InputError>() {
        Ok(input) => anyhow::anyhow!("{input}"),
        Err(other) => other,
    }
}

/// The sources and the staff pins of a round given as files.
fn read_files(args: &RoundFiles) -> anyhow::Result<(Sources, Vec<StoredPin>)> {
    let (Some(definition), Some(responses)) = (&args.definition, &args.responses) else {
        anyhow::bail!("name the round with --survey SLUG, or give --definition and --responses");
    };
    let id = MunicipalityId::new();
    let areas = optional(args.areas.as_deref(), |file| {
        files::areas(
            id,
            file,
            AreaProperties {
                name: "name",
                code: "code",
            },
        )
    })?;
    let boundary = trygg_domain::Boundary::of(&areas);
    let survey = files::survey(id, definition)?;
    let (round, pins) = round_parts(survey, responses, args.pins.as_deref(), &boundary)?;
    let mut earlier = Vec::new();
    for folder in &args.earlier {
        let survey = files::survey(id, &folder.join("survey.json"))?;
        let pins = Some(folder.join("pins.geojson")).filter(|p| p.exists());
        let responses = folder.join("responses.csv");
        earlier.push(round_parts(survey, &responses, pins.as_deref(), &boundary)?.0);
    }
    let codes = area_codes(&areas, &round.survey);
    let parts = Parts {
        municipality: MunicipalityInfo {
            slug: round.survey.slug.to_string(),
            name: args.municipality_name.clone(),
            synthetic: false,
        },
        round,
        earlier,
        places: optional(args.places.as_deref(), |file| files::places(id, file))?,
        population: optional(args.population.as_deref(), |f| files::population(f, &codes))?,
        areas,
    };
    Ok((Sources::from_parts(parts)?, pins))
}

/// What `read` reads from `file`, or nothing without a file.
fn optional<T>(
    file: Option<&Path>,
    read: impl FnOnce(&Path) -> anyhow::Result<Vec<T>>,
) -> anyhow::Result<Vec<T>> {
    file.map_or_else(|| Ok(Vec::new()), read)
}

/// A round's responses and pins, each pin linked to the response its
/// `response_id` names; the staff pins, with their comments, beside them.
fn round_parts(
    survey: Survey,
    responses: &Path,
    pins: Option<&Path>,
    boundary: &trygg_domain::Boundary,
) -> anyhow::Result<(RoundParts, Vec<StoredPin>)> {
    let read = files::responses(&survey, responses, boundary)?;
    let pins = match pins {
        Some(file) => files::pins(&survey, file, boundary)?,
        None => Vec::new(),
    };
    let stored: Vec<StoredPin> = pins
        .into_iter()
        .map(|p| StoredPin {
            response_id: p.response_id.and_then(|id| read.ids.get(&id).copied()),
            area_code: boundary.area_of(p.pin.location).map(ToString::to_string),
            pin: p.pin,
        })
        .collect();
    let values = stored
        .iter()
        .map(|p| PinValue {
            response_id: p.response_id,
            location: p.pin.location,
            category: p.pin.category.clone(),
            time_of_day: p.pin.time_of_day,
        })
        .collect();
    let parts = RoundParts {
        survey,
        responses: read.responses,
        pins: values,
    };
    Ok((parts, stored))
}

/// The area codes population figures may name: the areas', or without areas the
/// options of the survey's area question.
fn area_codes(areas: &[trygg_domain::Area], survey: &Survey) -> Vec<Key> {
    if !areas.is_empty() {
        return areas.iter().map(|a| a.code.clone()).collect();
    }
    survey
        .questions
        .iter()
        .find(|q| q.background == Some(trygg_domain::Background::Area))
        .map(|q| q.options().iter().map(|o| o.key.clone()).collect())
        .unwrap_or_default()
}
