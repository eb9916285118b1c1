//! The `trygg` command line: serve, migrate, import, export and demo data.
//!
//! Every command reads [`Settings`] (defaults, then `trygg.toml`, then
//! `TRYGG__SECTION__KEY` variables), opens the [`Store`] and works through domain
//! types. Import errors name the file, line, column and field, and an import
//! writes all of a file or nothing.

#![expect(clippy::print_stdout, reason = "a command line prints its results")]

mod crime;
pub mod demo;
mod export;
mod follow_up;
mod hotspots;
mod import;
mod invitations;
mod lagesbild;
mod plan;
mod report;
mod retention;
mod users;

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use trygg_domain::Municipality;
use trygg_server::{Application, Settings, telemetry};
use trygg_store::Store;

/// Trygg: safety surveys, unsafe places and citizen promises for kommun and polis.
#[derive(Debug, Parser)]
#[command(name = "trygg", version, about, propagate_version = true)]
pub struct Cli {
    /// Settings file (default: `trygg.toml` in the current folder, if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Municipality to work in (its slug); may be left out when the server holds only one.
    #[arg(long, global = true, env = "TRYGG_MUNICIPALITY", value_name = "SLUG")]
    pub municipality: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (migrates the database first unless told not to).
    Serve {
        /// Load the synthetic demo municipality if it is not there yet.
        #[arg(long)]
        demo: bool,
        /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Do not run pending migrations on start (production runs `trygg migrate` first).
        #[arg(long)]
        no_migrate: bool,
    },
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
    /// Statistics for analysts: the lägesbild with intervals, weighting, suppression and trends.
    #[command(subcommand)]
    Analyse(report::AnalyseCommand),
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
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref()).context("cannot read the settings")?;
    telemetry::init(&settings.log);
    match cli.command {
        Command::Serve {
            demo,
            bind,
            no_migrate,
        } => serve(settings, bind, demo, no_migrate).await,
        Command::Migrate => {
            let store = connect(&settings).await?;
            let pending = store.pending_migrations().await?;
            store.migrate().await.context("migration failed")?;
            println!("Applied {} migration(s).", pending.len());
            Ok(())
        }
        Command::Municipality(command) => {
            let store = open(&settings).await?;
            match command {
                MunicipalityCommand::Add { slug, name } => {
                    let m = Municipality::parse(&slug, &name, false)?;
                    store.insert_municipality(&m).await?;
                    println!("Added municipality {} ({}).", m.slug, m.name);
                }
                MunicipalityCommand::List => {
                    for m in store.municipalities().await? {
                        let note = if m.synthetic {
                            "  [synthetic demo data]"
                        } else {
                            ""
                        };
                        println!("{}\t{}{note}", m.slug, m.name);
                    }
                }
            }
            Ok(())
        }
        Command::Areas(command) => {
            let store = open(&settings).await?;
            let municipality = pick_municipality(&store, cli.municipality.as_deref()).await?;
            match command {
                AreasCommand::Import {
                    file,
                    name_property,
                    code_property,
                } => {
                    let count =
                        import::areas(&store, &municipality, &file, &name_property, &code_property)
                            .await?;
                    println!("Imported {count} area(s) into {}.", municipality.slug);
                }
                AreasCommand::List => {
                    for area in store.areas(municipality.id).await? {
                        println!("{}\t{}", area.code, area.name);
                    }
                }
                AreasCommand::Population { file } => {
                    let count = import::population(&store, &municipality, &file).await?;
                    println!(
                        "Stored {count} population figure(s) for {}.",
                        municipality.slug
                    );
                }
            }
            Ok(())
        }
        Command::Survey(command) => {
            let store = open(&settings).await?;
            match command {
                SurveyCommand::Import { file } => {
                    let municipality =
                        pick_municipality(&store, cli.municipality.as_deref()).await?;
                    let survey = import::survey(&store, &municipality, &file).await?;
                    println!(
                        "Imported survey {} (round {}, {} questions).",
                        survey.slug,
                        survey.round,
                        survey.questions.len()
                    );
                }
                SurveyCommand::List => {
                    let surveys = store.surveys().await?;
                    if surveys.is_empty() {
                        println!(
                            "No surveys yet. Import one with `trygg survey import FILE.json`, or run `trygg demo load`."
                        );
                    }
                    println!(
                        "{:<28} {:<6} {:<24} {:>9} {:>6}  title",
                        "slug", "round", "municipality", "responses", "pins"
                    );
                    for s in surveys {
                        println!(
                            "{:<28} {:<6} {:<24} {:>9} {:>6}  {}",
                            s.slug, s.round, s.municipality, s.responses, s.pins, s.title
                        );
                    }
                }
                SurveyCommand::Show { slug, json } => {
                    let survey = find_survey(&store, &slug).await?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&survey)?);
                    } else {
                        print_survey(&survey, store.count_responses(&survey).await?);
                    }
                }
            }
            Ok(())
        }
        Command::Responses(ResponsesCommand::Import { survey, file }) => {
            let store = open(&settings).await?;
            let survey = find_survey(&store, &survey).await?;
            let count = import::responses(&store, &survey, &file).await?;
            println!("Imported {count} response(s) into {}.", survey.slug);
            Ok(())
        }
        Command::Pins(PinsCommand::Import { survey, file }) => {
            let store = open(&settings).await?;
            let survey = find_survey(&store, &survey).await?;
            let count = import::pins(&store, &survey, &file).await?;
            println!("Imported {count} pin(s) into {}.", survey.slug);
            Ok(())
        }
        Command::Export(command) => {
            let store = open(&settings).await?;
            match command {
                ExportCommand::Responses {
                    survey,
                    format,
                    output,
                } => {
                    let survey = find_survey(&store, &survey).await?;
                    export::responses(&store, &survey, format, output.as_deref()).await
                }
                ExportCommand::Pins {
                    survey,
                    format,
                    output,
                } => {
                    let survey = find_survey(&store, &survey).await?;
                    export::pins(&store, &survey, format, output.as_deref()).await
                }
                ExportCommand::Lagesbild(args) => lagesbild::run(&store, args).await,
            }
        }
        Command::Hotspots(command) => hotspots::run(command),
        Command::Analyse(command) => report::run(&settings, command).await,
        Command::User(command) => {
            let store = open(&settings).await?;
            let municipality = pick_municipality(&store, cli.municipality.as_deref()).await?;
            users::run(&store, &municipality, command).await
        }
        Command::Promise(command) => {
            let store = open(&settings).await?;
            let m = pick_municipality(&store, cli.municipality.as_deref()).await?;
            follow_up::promise(&store, &m, command).await
        }
        Command::Walk(command) => {
            let store = open(&settings).await?;
            let m = pick_municipality(&store, cli.municipality.as_deref()).await?;
            follow_up::walk(&store, &m, command).await
        }
        Command::Invitations(command) => {
            let store = open(&settings).await?;
            invitations::run(&store, command).await
        }
        Command::Retention(command) => {
            let store = open(&settings).await?;
            retention::run(&store, command).await
        }
        Command::Plan(command) => {
            let store = open(&settings).await?;
            let m = pick_municipality(&store, cli.municipality.as_deref()).await?;
            plan::run(&store, &m, command).await
        }
        Command::Crime(command) => {
            let store = open(&settings).await?;
            let m = pick_municipality(&store, cli.municipality.as_deref()).await?;
            crime::run(&store, &m, command).await
        }
        Command::Demo(DemoCommand::Load) => {
            let store = open(&settings).await?;
            report_demo(demo::load(&store).await?);
            Ok(())
        }
    }
}

async fn serve(
    mut settings: Settings,
    bind: Option<String>,
    demo: bool,
    no_migrate: bool,
) -> anyhow::Result<()> {
    if let Some(bind) = bind {
        settings.server.bind = bind;
    }
    let store = connect(&settings).await?;
    if !no_migrate {
        store.migrate().await.context("migration failed")?;
    }
    if demo {
        report_demo(demo::load(&store).await?);
        demo::staff::ensure(&store).await?;
    }
    retention::spawn_daily(store.clone());
    let app = Application::build(&settings, store)
        .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
    let host = settings
        .server
        .bind
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host);
    let host = if host == "0.0.0.0" || host == "[::]" {
        "127.0.0.1"
    } else {
        host
    };
    let url = format!("http://{host}:{}/", app.port());
    println!("Trygg is running at {url}  (Ctrl+C stops it)");
    if demo {
        demo::staff::print_sign_in(&url);
    }
    app.run_until_stopped().await?;
    Ok(())
}

fn report_demo(outcome: demo::Outcome) {
    match outcome {
        demo::Outcome::Loaded { responses, pins } => println!(
            "Loaded the synthetic demo municipality: {responses} responses and {pins} pins in three rounds."
        ),
        demo::Outcome::AlreadyThere => {
            println!("The synthetic demo municipality is already loaded.");
        }
    }
}

async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    Store::connect(&settings.database.url)
        .await
        .context("cannot connect to the database (check database.url / TRYGG__DATABASE__URL)")
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
    println!("{} — {}", survey.slug, survey.title.sv);
    println!(
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
        println!("{:>3}. {} ({kind}{flags}): {}", i + 1, q.key, q.text.sv);
        for o in q.options() {
            println!(
                "       - {}: {}{}",
                o.key,
                o.label.sv,
                if o.dont_know { " (vet ej)" } else { "" }
            );
        }
    }
}
