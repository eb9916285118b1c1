//! The `trygg` command: `serve` runs the web server of `trygg-server`; every other
//! command is `trygg-cli`'s, which knows no HTTP.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use trygg_cli::terminal::line;
use trygg_server::{Application, Settings, telemetry};

/// Trygg: safety surveys, unsafe places and citizen promises for kommun and polis.
#[derive(Debug, Parser)]
#[command(name = "trygg", version, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: trygg_cli::Global,
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (migrates the database first unless told not to).
    Serve(Serve),
    #[command(flatten)]
    Cli(Box<trygg_cli::Command>),
}

/// Arguments of `trygg serve`.
#[derive(Debug, Args)]
struct Serve {
    /// Load the synthetic demo municipality if it is not there yet.
    #[arg(long)]
    demo: bool,
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    bind: Option<String>,
    /// Do not run pending migrations on start (production runs `trygg migrate` first).
    #[arg(long)]
    no_migrate: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve(cli.global, args).await,
            Command::Cli(command) => trygg_cli::run(cli.global, *command).await,
        }
    });
    trygg_cli::exit_code(outcome)
}

/// Runs the web server until Ctrl+C.
async fn serve(global: trygg_cli::Global, args: Serve) -> anyhow::Result<()> {
    let mut settings =
        Settings::load(global.config.as_deref()).context("cannot read the settings")?;
    telemetry::init(&settings.log);
    if let Some(bind) = args.bind {
        settings.server.bind = bind;
    }
    let store = trygg_cli::connect_to(&settings.database.url).await?;
    if !args.no_migrate {
        store.migrate().await.context("migration failed")?;
    }
    if args.demo {
        trygg_cli::report_demo(trygg_cli::demo::load(&store).await?);
        trygg_cli::demo::staff::ensure(&store).await?;
    }
    trygg_cli::retention::spawn_daily(store.clone());
    let app = Application::build(&settings, store)
        .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
    let address = trygg_lagesbild::PublicUrl::from_bind(None, &settings.server.bind, app.port())
        .map_err(anyhow::Error::msg)?;
    let url = format!("{}/", address.as_str());
    line(&format!("Trygg is running at {url}  (Ctrl+C stops it)"));
    if args.demo {
        trygg_cli::demo::staff::print_sign_in(&url);
    }
    app.run_until_stopped().await?;
    Ok(())
}
