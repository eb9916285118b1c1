//! The `trygg` commands other than `serve`: migrate, import, export, analyse and
//! demo data. The `trygg` binary (crate `trygg`) adds `serve` from `trygg-server`;
//! this library knows no HTTP.
//!
//! Every command reads [`Settings`] (defaults, then `trygg.toml`, then
//! `TRYGG__SECTION__KEY` variables), opens the [`Store`] and calls the domain, the
//! store or `trygg_lagesbild`: parse the arguments, call, print. Import errors name
//! the file, line, column and field, and an import writes all of a file or nothing.

mod crime;
pub mod demo;
mod events;
mod export;
mod files;
mod follow_up;
mod hotspots;
mod import;
mod invitations;
mod lagesbild;
mod plan;
mod report;
mod results;
pub mod retention;
mod settings;
pub mod terminal;
mod users;

use crate::terminal::say;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use trygg_domain::Municipality;
use trygg_store::Store;

pub use settings::{Settings, init_logging};

/// This library's commands with their options, for running them in-process (the
/// tests do); the `trygg` binary parses its own, which adds `serve`.
#[derive(Debug, Parser)]
#[command(name = "trygg")]
pub struct Cli {
    /// The options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Parses `args` (the first is the program's name) and runs the command.
///
/// # Errors
/// The arguments' error, or the command's.
pub async fn run_args<I, T>(args: I) -> anyhow::Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::try_parse_from(args)?;
    run(cli.global, cli.command).await
}

/// The options every command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Settings file (default: `trygg.toml` in the current folder, if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Municipality to work in (its slug); may be left out when the server holds only one.
    #[arg(long, global = true, env = "TRYGG_MUNICIPALITY", value_name = "SLUG")]
    pub municipality: Option<String>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending database migrations.
    Migrate,
    /// Municipalities (tenants) on this server.
    #[command(subcommand)]
    Municipality(MunicipalityCommand),
    /// Areas (kommundelar) of a municipality.
    #[command(subcommand)]
    Areas(AreasCommand),
    /// Survey definitions (trygghetsmätningar).
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// Responses to a survey.
    #[command(subcommand)]
    Responses(ResponsesCommand),
    /// Pins (otrygga platser) of a survey.
    #[command(subcommand)]
    Pins(PinsCommand),
    /// Export responses or pins.
    #[command(subcommand)]
    Export(ExportCommand),
    /// The synthetic demo municipality.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Hotspots of pins from a file: density clusters, Gi* hexagons, heat surfaces.
    #[command(subcommand)]
    Hotspots(hotspots::HotspotsCommand),
    /// EST händelser from a file: emerging hot spots week by week.
    #[command(subcommand)]
    Events(events::EventsCommand),
    /// Statistics for analysts: the lägesbild with intervals, weighting, suppression and trends.
    #[command(subcommand)]
    Analyse(report::AnalyseCommand),
    /// The public results page of a closed round: publish (a frozen snapshot) or withdraw.
    #[command(subcommand)]
    Results(results::ResultsCommand),
    /// Staff accounts (kommun and polis) of a municipality.
    #[command(subcommand)]
    User(users::UserCommand),
    /// Focus areas and medborgarlöften: activities, progress, effect follow-up, exports.
    #[command(subcommand)]
    Promise(follow_up::PromiseCommand),
    /// Trygghetsvandringar: walks, findings as action items, exports.
    #[command(subcommand)]
    Walk(follow_up::WalkCommand),
    /// Data retention: deletes free text and exact pin locations after a survey's period.
    #[command(subcommand)]
    Retention(retention::RetentionCommand),
    /// Police-reported crime counts per area, evidence for choosing focus areas.
    #[command(subcommand)]
    Crime(crime::CrimeCommand),
    /// Invitation codes for a postal sample: the print shop's CSV and response rates.
    #[command(subcommand)]
    Invitations(invitations::InvitationsCommand),
    /// The åtgärdsplan: samverkansområden, insatser, checks, mid-term review and chefssamråd.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
}

/// `trygg municipality …`
#[derive(Debug, Subcommand)]
pub enum MunicipalityCommand {
    /// Add a municipality.
    Add {
        /// Short name for URLs and the CLI, e.g. `upplands-bro`.
        slug: String,
        /// Name shown to people, e.g. "Upplands-Bro kommun".
        #[arg(long)]
        name: String,
    },
    /// List municipalities.
    List,
}

/// `trygg areas …`
#[derive(Debug, Subcommand)]
pub enum AreasCommand {
    /// Import area polygons from a GeoJSON FeatureCollection (WGS84).
    Import {
        /// The GeoJSON file.
        file: PathBuf,
        /// Feature property holding the area's name.
        #[arg(long, value_name = "P", default_value = "name")]
        name_property: String,
        /// Feature property holding the area's code (made URL-safe: "Kungsängen" becomes `kungsangen`).
        #[arg(long, value_name = "P", default_value = "code")]
        code_property: String,
    },
    /// List areas.
    List,
    /// Replace the population figures per area × gender × age band with a CSV file
    /// (`area,gender,age_band,population`; gender and age band are the option keys of
    /// the surveys' background questions), used to weight the lägesbild.
    Population {
        /// The CSV file.
        #[arg(long)]
        file: PathBuf,
    },
}

/// `trygg survey …`
#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Import a survey definition (JSON).
    Import {
        /// The definition file.
        file: PathBuf,
    },
    /// List surveys with their response and pin counts.
    List,
    /// Show one survey's definition.
    Show {
        /// The survey's slug.
        slug: String,
        /// Print the definition as JSON, in the format `survey import` reads.
        #[arg(long)]
        json: bool,
    },
}

/// `trygg responses …`
#[derive(Debug, Subcommand)]
pub enum ResponsesCommand {
    /// Import responses from CSV: one row per respondent, columns named by question
    /// key, several options joined by `;`. A bad row stops the import and nothing is written.
    Import {
        /// The survey's slug.
        #[arg(long)]
        survey: String,
        /// The CSV file.
        file: PathBuf,
    },
}

/// `trygg pins …`
#[derive(Debug, Subcommand)]
pub enum PinsCommand {
    /// Import pins from a GeoJSON FeatureCollection of points with properties
    /// `category`, `time_of_day` and optional `comment`. All or nothing.
    Import {
        /// The survey's slug.
        #[arg(long)]
        survey: String,
        /// The GeoJSON file.
        file: PathBuf,
    },
}

/// `trygg export …`
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Export responses, one per row (CSV, the format `responses import` reads) or line (JSON lines).
    Responses {
        /// The survey's slug.
        #[arg(long)]
        survey: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ResponsesFormat::Csv)]
        format: ResponsesFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Export pins with their comments (staff only: comments are not moderated here).
    Pins {
        /// The survey's slug.
        #[arg(long)]
        survey: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PinsFormat::Geojson)]
        format: PinsFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Export the lägesbild of a round: Excel, CSV, PDF report, GeoJSON or JSON.
    Lagesbild(lagesbild::LagesbildExport),
}

/// Formats for responses.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ResponsesFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Formats for pins.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PinsFormat {
    /// A GeoJSON FeatureCollection (EPSG:4326).
    Geojson,
    /// Comma-separated values with lon and lat columns.
    Csv,
}

/// `trygg demo …`
#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load the synthetic demo municipality (three survey rounds) unless it is there.
    Load,
}

/// Runs one command.
pub async fn run(global: Global, command: Command) -> anyhow::Result<()> {
    let settings = Settings::load(global.config.as_deref()).context("cannot read the settings")?;
    init_logging(&settings.log);
    let slug = global.municipality.as_deref();
    match command {
        Command::Migrate => migrate(&settings).await,
        Command::Municipality(command) => municipality(&open(&settings).await?, command).await,
        Command::Areas(command) => areas(&settings, slug, command).await,
        Command::Survey(command) => survey(&settings, slug, command).await,
        Command::Responses(ResponsesCommand::Import { survey, file }) => {
            let (store, survey) = open_survey(&settings, &survey).await?;
            let count = import::responses(&store, &survey, &file).await?;
            say!("Imported {count} response(s) into {}.", survey.slug);
            Ok(())
        }
        Command::Pins(PinsCommand::Import { survey, file }) => {
            let (store, survey) = open_survey(&settings, &survey).await?;
            let count = import::pins(&store, &survey, &file).await?;
            say!("Imported {count} pin(s) into {}.", survey.slug);
            Ok(())
        }
        Command::Export(command) => export(&open(&settings).await?, command).await,
        Command::Hotspots(command) => hotspots::run(command),
        Command::Events(events::EventsCommand::Emerging(args)) => events::emerging(&args),
        Command::Events(c) => in_municipality(&settings, slug, events::run, c).await,
        Command::Analyse(command) => report::run(&settings, command).await,
        Command::Results(command) => results::run(&open(&settings).await?, command).await,
        Command::User(command) => in_municipality(&settings, slug, users::run, command).await,
        Command::Promise(c) => in_municipality(&settings, slug, follow_up::promise, c).await,
        Command::Walk(c) => in_municipality(&settings, slug, follow_up::walk, c).await,
        Command::Invitations(c) => invitations::run(&open(&settings).await?, &settings, c).await,
        Command::Retention(c) => retention::run(&open(&settings).await?, c).await,
        Command::Plan(c) => in_municipality(&settings, slug, plan::run, c).await,
        Command::Crime(c) => in_municipality(&settings, slug, crime::run, c).await,
        Command::Demo(DemoCommand::Load) => {
            report_demo(demo::load(&open(&settings).await?).await?);
            Ok(())
        }
    }
}

/// Runs `command` of a module that works in one municipality.
async fn in_municipality<C>(
    settings: &Settings,
    slug: Option<&str>,
    run: impl AsyncFnOnce(&Store, &Municipality, C) -> anyhow::Result<()>,
    command: C,
) -> anyhow::Result<()> {
    let store = open(settings).await?;
    let municipality = pick_municipality(&store, slug).await?;
    run(&store, &municipality, command).await
}

async fn open_survey(
    settings: &Settings,
    slug: &str,
) -> anyhow::Result<(Store, trygg_domain::Survey)> {
    let store = open(settings).await?;
    let survey = find_survey(&store, slug).await?;
    Ok((store, survey))
}

async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let store = connect(settings).await?;
    let pending = store.pending_migrations().await?;
    store.migrate().await.context("migration failed")?;
    say!("Applied {} migration(s).", pending.len());
    Ok(())
}

async fn municipality(store: &Store, command: MunicipalityCommand) -> anyhow::Result<()> {
    match command {
        MunicipalityCommand::Add { slug, name } => {
            let m = Municipality::parse(&slug, &name, false)?;
            store.insert_municipality(&m).await?;
            say!("Added municipality {} ({}).", m.slug, m.name);
        }
        MunicipalityCommand::List => {
            for m in store.municipalities().await? {
                let note = if m.synthetic {
                    "  [synthetic demo data]"
                } else {
                    ""
                };
                say!("{}\t{}{note}", m.slug, m.name);
            }
        }
    }
    Ok(())
}

async fn areas(
    settings: &Settings,
    slug: Option<&str>,
    command: AreasCommand,
) -> anyhow::Result<()> {
    let store = open(settings).await?;
    let m = pick_municipality(&store, slug).await?;
    match command {
        AreasCommand::Import {
            file,
            name_property,
            code_property,
        } => {
            let properties = trygg_domain::AreaProperties {
                name: &name_property,
                code: &code_property,
            };
            let count = import::areas(&store, &m, &file, properties).await?;
            say!("Imported {count} area(s) into {}.", m.slug);
        }
        AreasCommand::List => {
            for area in store.areas(m.id).await? {
                say!("{}\t{}", area.code, area.name);
            }
        }
        AreasCommand::Population { file } => {
            let count = import::population(&store, &m, &file).await?;
            say!("Stored {count} population figure(s) for {}.", m.slug);
        }
    }
    Ok(())
}

async fn survey(
    settings: &Settings,
    slug: Option<&str>,
    command: SurveyCommand,
) -> anyhow::Result<()> {
    let store = open(settings).await?;
    match command {
        SurveyCommand::Import { file } => {
            let municipality = pick_municipality(&store, slug).await?;
            let survey = import::survey(&store, &municipality, &file).await?;
            say!(
                "Imported survey {} (round {}, {} questions).",
                survey.slug,
                survey.round,
                survey.questions.len()
            );
        }
        SurveyCommand::List => list_surveys(&store.surveys().await?),
        SurveyCommand::Show { slug, json } => {
            let survey = find_survey(&store, &slug).await?;
            if json {
                say!("{}", serde_json::to_string_pretty(&survey)?);
            } else {
                print_survey(&survey, store.count_responses(&survey).await?);
            }
        }
    }
    Ok(())
}

fn list_surveys(surveys: &[trygg_store::SurveySummary]) {
    if surveys.is_empty() {
        say!(
            "No surveys yet. Import one with `trygg survey import FILE.json`, or run `trygg demo load`."
        );
    }
    let (slug, round, municipality) = ("slug", "round", "municipality");
    say!(
        "{slug:<28} {round:<6} {municipality:<24} {:>9} {:>6}  title",
        "responses",
        "pins"
    );
    for s in surveys {
        say!(
            "{:<28} {:<6} {:<24} {:>9} {:>6}  {}",
            s.slug,
            s.round,
            s.municipality,
            s.responses,
            s.pins,
            s.title
        );
    }
}

async fn export(store: &Store, command: ExportCommand) -> anyhow::Result<()> {
    match command {
        ExportCommand::Responses {
            survey,
            format,
            output,
        } => {
            let survey = find_survey(store, &survey).await?;
            export::responses(store, &survey, format, output.as_deref()).await
        }
        ExportCommand::Pins {
            survey,
            format,
            output,
        } => {
            let survey = find_survey(store, &survey).await?;
            export::pins(store, &survey, format, output.as_deref()).await
        }
        ExportCommand::Lagesbild(args) => lagesbild::run(store, args).await,
    }
}

/// The exit status of a command's `outcome`, after printing its error. A closed
/// standard output (`trygg … | head`) ends the command quietly: the reader has
/// what it wanted.
pub fn exit_code(outcome: anyhow::Result<()>) -> std::process::ExitCode {
    let Err(error) = outcome else {
        return std::process::ExitCode::SUCCESS;
    };
    if error.chain().any(is_broken_pipe) {
        return std::process::ExitCode::SUCCESS;
    }
    // The message may quote a file or the database; a terminal sees its control
    // characters written out, not obeyed.
    let message = terminal::clean(&format!("error: {error:#}\n")).into_owned();
    let _ = std::io::Write::write_all(&mut std::io::stderr(), message.as_bytes());
    std::process::ExitCode::FAILURE
}

/// Whether `cause` is a write to a closed pipe, as the CSV and JSON writers
/// report it too.
fn is_broken_pipe(cause: &(dyn std::error::Error + 'static)) -> bool {
    let kind = if let Some(e) = cause.downcast_ref::<std::io::Error>() {
        Some(e.kind())
    } else if let Some(e) = cause.downcast_ref::<csv::Error>() {
        match e.kind() {
            csv::ErrorKind::Io(e) => Some(e.kind()),
            _ => None,
        }
    } else {
        cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind)
    };
    kind == Some(std::io::ErrorKind::BrokenPipe)
}

/// Tells how loading the demo went.
pub fn report_demo(outcome: demo::Outcome) {
    match outcome {
        demo::Outcome::Loaded {
            responses,
            pins,
            events,
        } => say!(
            "Loaded the synthetic demo municipality: {responses} responses and {pins} pins in three rounds, and {events} EST händelser in the last 52 weeks."
        ),
        demo::Outcome::AlreadyThere => {
            say!("The synthetic demo municipality is already loaded.");
        }
    }
}

/// Connects to the database of `database_url`.
pub async fn connect_to(database_url: &secrecy::SecretString) -> anyhow::Result<Store> {
    Store::connect(database_url)
        .await
        .context("cannot connect to the database (check database.url / TRYGG__DATABASE__URL)")
}

async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    connect_to(&settings.database.url).await
}

/// Connects and applies pending migrations, so every command works on a fresh database.
async fn open(settings: &Settings) -> anyhow::Result<Store> {
    let store = connect(settings).await?;
    store.migrate().await.context("migration failed")?;
    Ok(store)
}

async fn pick_municipality(store: &Store, slug: Option<&str>) -> anyhow::Result<Municipality> {
    if let Some(slug) = slug {
        return store.municipality_by_slug(slug).await?.with_context(|| {
            format!(
                "no municipality `{slug}`; add it with `trygg municipality add {slug} --name NAME`"
            )
        });
    }
    let mut all = store.municipalities().await?;
    match all.len() {
        0 => bail!(
            "there is no municipality yet; add one with `trygg municipality add SLUG --name NAME`"
        ),
        1 => Ok(all.remove(0)),
        _ => bail!(
            "there are several municipalities ({}); choose one with --municipality SLUG",
            all.iter()
                .map(|m| m.slug.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

async fn find_survey(store: &Store, slug: &str) -> anyhow::Result<trygg_domain::Survey> {
    store
        .survey_by_slug(slug)
        .await?
        .with_context(|| format!("no survey `{slug}`; `trygg survey list` shows the surveys"))
}

fn print_survey(survey: &trygg_domain::Survey, responses: u64) {
    say!("{} — {}", survey.slug, survey.title.sv);
    say!(
        "round {}, open {} to {}, {responses} responses",
        survey.round,
        survey.opens_on,
        survey
            .closes_on
            .map_or_else(|| "(no end)".to_owned(), |d| d.to_string())
    );
    for (i, q) in survey.questions.iter().enumerate() {
        let kind = match &q.kind {
            trygg_domain::QuestionKind::SingleChoice { scale: true, .. } => "scale",
            trygg_domain::QuestionKind::SingleChoice { .. } => "single choice",
            trygg_domain::QuestionKind::MultipleChoice { .. } => "multiple choice",
            trygg_domain::QuestionKind::Number { .. } => "number",
            trygg_domain::QuestionKind::FreeText { .. } => "free text",
            trygg_domain::QuestionKind::Map { .. } => "map",
        };
        let flags = format!(
            "{}{}",
            if q.required { ", required" } else { "" },
            q.background
                .map_or(String::new(), |b| format!(", background {b:?}"))
        );
        say!("{:>3}. {} ({kind}{flags}): {}", i + 1, q.key, q.text.sv);
        for o in q.options() {
            say!(
                "       - {}: {}{}",
                o.key,
                o.label.sv,
                if o.dont_know { " (vet ej)" } else { "" }
            );
        }
    }
}
