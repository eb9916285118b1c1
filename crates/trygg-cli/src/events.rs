//! `trygg events emerging|import|weekly`: EST händelser.
//!
//! A file is CSV with the columns `occurred_at,lon,lat,category,organisation,
//! description` (`occurred_at` in RFC 3339 with an offset), as partners' own systems
//! export them. `emerging` needs no database (the workflow is
//! [`trygg_lagesbild::events`]); `import` stores a file's reports in the
//! municipality and `weekly` prints its weekly picture ([`trygg_lagesbild::est`],
//! [`trygg_lagesbild::est_week`]). A broken row is named by file, line and column,
//! and nothing is written.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use std::io::Write as _;

use trygg_domain::{
    Event, EventDetails, EventInput, EventReportInput, IsoWeek, Municipality, Organisation,
};
use trygg_lagesbild::est::{self, ImportRow};
use trygg_lagesbild::est_week;
use trygg_lagesbild::events::{self as workflow, EmergingOptions};
use trygg_store::Store;

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
    /// Import reports from CSV into the municipality, all or nothing; organisations
    /// it lacks are added, and rows imported before are passed over.
    Import {
        /// CSV with `occurred_at,lon,lat,category,organisation,description`.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// The weekly picture the EST meeting reads: the week's reports by area and
    /// category against the four weeks before and the same weeks last year.
    Weekly {
        /// The ISO week, e.g. 2026-W49.
        #[arg(long, value_name = "YYYY-Www")]
        week: String,
        /// json, csv or md (Markdown, in Swedish).
        #[arg(long, default_value = "md")]
        format: WeeklyFormat,
    },
}

/// How `trygg events weekly` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum WeeklyFormat {
    /// The API's JSON.
    Json,
    /// One line per total, area, category and cell.
    Csv,
    /// A Markdown table in Swedish.
    Md,
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

/// Runs `trygg events import|weekly` for municipality `m` (`emerging` is [`emerging`]).
pub async fn run(store: &Store, m: &Municipality, command: EventsCommand) -> anyhow::Result<()> {
    match command {
        EventsCommand::Emerging(args) => emerging(&args),
        EventsCommand::Import { file } => {
            let rows = read_rows(&file)?;
            let done = est::import(store, m.id, &rows)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", file.display()))?;
            say!(
                "Imported {} report(s) for {} from {} ({} imported before){}.",
                done.stored,
                m.slug,
                file.display(),
                done.already,
                if done.organisations.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; added the organisation(s) {}",
                        done.organisations.join(", ")
                    )
                }
            );
            Ok(())
        }
        EventsCommand::Weekly { week, format } => {
            let picture = est_week::week(store, m.id, &week).await?;
            let mut out = crate::terminal::stdout();
            match format {
                WeeklyFormat::Json => serde_json::to_writer_pretty(&mut out, &picture)?,
                WeeklyFormat::Csv => picture.write_csv(&mut out)?,
                WeeklyFormat::Md => out.write_all(picture.markdown().as_bytes())?,
            }
            out.flush()?;
            Ok(())
        }
    }
}

/// Every row of `file` as a report of its organisation, or the first broken row by
/// line and column.
fn read_rows(file: &Path) -> anyhow::Result<Vec<ImportRow>> {
    let (rows, lines) = files::csv_rows::<EventInput>(file, &COLUMNS)?;
    let now = time::OffsetDateTime::now_utc();
    let mut out = Vec::with_capacity(rows.len());
    for (row, line) in rows.into_iter().zip(lines) {
        let located = |e| files::in_field_column(file, line, e);
        let input = EventReportInput {
            category: row.category,
            occurred_at: row.occurred_at,
            lon: Some(row.lon),
            lat: Some(row.lat),
            description: Some(row.description),
            ..EventReportInput::default()
        };
        out.push(ImportRow {
            organisation: Organisation::parse_name(&row.organisation, "organisation")
                .map_err(located)?,
            details: EventDetails::parse(&input, now, "").map_err(located)?,
        });
    }
    Ok(out)
}

/// `trygg events emerging`, which needs no database.
pub fn emerging(args: &EmergingArgs) -> anyhow::Result<()> {
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
        let event = Event::parse(row, "").map_err(|e| files::in_field_column(file, line, e))?;
        events.push(event);
    }
    Ok(events)
}
