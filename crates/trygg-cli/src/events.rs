//! `trygg events emerging`: emerging hot spots of EST events from a file.
//!
//! The file is CSV with the columns `occurred_at,lon,lat,category,organisation,
//! description` (`occurred_at` in RFC 3339 with an offset), as partners' own systems
//! export them. The command needs no database; the workflow is
//! [`trygg_lagesbild::events`]: this file parses the arguments, reads the file, calls it
//! and says what it wrote. A broken row is named by file, line and column, and nothing
//! is written.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use trygg_domain::{Event, EventInput, IsoWeek};
use trygg_lagesbild::events::{self as workflow, EmergingOptions};

use crate::terminal::say;
use crate::{files, hotspots};

/// The columns an events file must have (`description` may be empty).
const COLUMNS: [&str; 6] = [
    "occurred_at",
    "lon",
    "lat",
    "category",
    "organisation",
    "description",
];

/// `trygg events …`
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Emerging hot spots: weekly Gi* per hexagon and the trend of each cell, classed
    /// as ArcGIS's Emerging Hot Spot Analysis does (new, consecutive, intensifying, …).
    Emerging(EmergingArgs),
}

/// `trygg events emerging`
#[derive(Debug, Args)]
pub struct EmergingArgs {
    /// Events: CSV with `occurred_at,lon,lat,category,organisation,description`.
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// H3 resolution (9 ≈ 170 m edge).
    #[arg(long, default_value_t = 9)]
    resolution: u8,
    /// Neighbourhood: the k-ring around each hexagon.
    #[arg(long, default_value_t = 1)]
    k: u32,
    /// How many weeks, ending with --end-week.
    #[arg(long, default_value_t = 52)]
    weeks: u32,
    /// The last ISO week analysed, e.g. 2026-W48.
    #[arg(long, value_name = "YYYY-Www")]
    end_week: String,
    /// GeoJSON with one hexagon per cell of the study region.
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
}

/// Runs one `trygg events` command.
pub fn run(command: EventsCommand) -> anyhow::Result<()> {
    match command {
        EventsCommand::Emerging(args) => emerging(&args),
    }
}

fn emerging(args: &EmergingArgs) -> anyhow::Result<()> {
    let resolution = hotspots::resolution(args.resolution)?;
    let end_week = IsoWeek::parse(&args.end_week, "--end-week")?;
    let options = EmergingOptions {
        resolution,
        k: args.k,
        weeks: args.weeks,
        end_week,
    };
    let events = read_events(&args.input)?;
    let map = workflow::emerging(&events, &options)?;
    workflow::write_emerging_cells(hotspots::create(&args.output)?, &map)?;
    let spots = map
        .cells
        .iter()
        .filter(|c| c.pattern != trygg_analysis::events::Pattern::NoPattern)
        .count();
    say!(
        "{} cell(s), {spots} with a pattern, from {} event(s) in {} week(s) to {end_week} ({} outside); wrote {}.",
        map.cells.len(),
        map.used,
        map.weeks.len(),
        map.outside,
        args.output.display()
    );
    Ok(())
}

/// Every event of `file`, or the first broken row by line and column.
fn read_events(file: &Path) -> anyhow::Result<Vec<Event>> {
    let (rows, lines) = files::csv_rows::<EventInput>(file, &COLUMNS)?;
    let mut events = Vec::with_capacity(rows.len());
    for (row, line) in rows.into_iter().zip(lines) {
        let event = Event::parse(row, "").map_err(|e| {
            let column = e.field.clone();
            files::located(file, line, e).in_column(column)
        })?;
        events.push(event);
    }
    Ok(events)
}
