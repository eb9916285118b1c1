//! `trygg retention set|run`: a survey's retention period, and the run that deletes
//! free text and exact pin locations of surveys past it (also daily in `serve`).

use crate::terminal::say;
use std::time::Duration;

use clap::Subcommand;
use time::{Date, OffsetDateTime};
use trygg_domain::{RetentionDays, parse_date};
use trygg_store::Store;

/// `trygg retention …`
#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Set a published survey's retention period: this many days after it closes,
    /// its free text and exact pin locations are deleted (pins are kept as H3 cells).
    Set {
        /// The survey, by slug.
        #[arg(long)]
        survey: String,
        /// Days after closing, 1 to 3650.
        #[arg(long, conflicts_with = "off", required_unless_present = "off")]
        days: Option<i64>,
        /// Keep the survey's data without a period.
        #[arg(long)]
        off: bool,
    },
    /// Delete free text and exact pin locations of every survey past its period.
    Run {
        /// Run as if today were this day (YYYY-MM-DD); default today (UTC).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
}

/// Runs `trygg retention …`.
pub async fn run(store: &Store, command: RetentionCommand) -> anyhow::Result<()> {
    match command {
        RetentionCommand::Set { survey, days, off } => {
            let survey = super::find_survey(store, &survey).await?;
            let retention = if off {
                None
            } else {
                days.map(|d| RetentionDays::parse(d, "--days"))
                    .transpose()
                    .map_err(|e| anyhow::anyhow!("--days: {}", e.message))?
            };
            store.set_retention(&survey, retention).await?;
            tell_retention(&survey, retention);
            Ok(())
        }
        RetentionCommand::Run { today } => {
            let today = match today {
                Some(raw) => parse_date(&raw, "--today")
                    .map_err(|e| anyhow::anyhow!("--today: {}", e.message))?,
                None => OffsetDateTime::now_utc().date(),
            };
            run_once(store, today).await
        }
    }
}

fn tell_retention(survey: &trygg_domain::Survey, retention: Option<RetentionDays>) {
    match (retention, survey.closes_on) {
        (Some(r), Some(closes_on)) => say!(
            "{}: free text and exact places are deleted on {} ({} days after closing on {closes_on}).",
            survey.slug,
            r.due_on(closes_on),
            r.days()
        ),
        (Some(r), None) => say!(
            "{}: free text and exact places are deleted {} days after the survey closes (it has no closing day yet).",
            survey.slug,
            r.days()
        ),
        (None, _) => say!("{}: no retention period.", survey.slug),
    }
}

async fn run_once(store: &Store, today: Date) -> anyhow::Result<()> {
    let done = trygg_lagesbild::retention::run(store, today).await?;
    if done.is_empty() {
        say!("No survey is past its retention period on {today}.");
    }
    for (due, retained) in done {
        say!(
            "{}: deleted {} free-text answers, kept {} pins as H3 cells, cleared {} described places (due {}).",
            due.survey.slug,
            retained.text_answers,
            retained.pins,
            retained.described_places,
            due.due_on
        );
    }
    Ok(())
}

/// Runs retention once now and then once a day for as long as the server runs.
/// A failed run is logged and tried again the next day.
pub fn spawn_daily(store: Store) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
        loop {
            interval.tick().await;
            let today: Date = OffsetDateTime::now_utc().date();
            match trygg_lagesbild::retention::run(&store, today).await {
                Ok(done) => {
                    for (due, retained) in done {
                        tracing::info!(
                            survey = %due.survey.slug,
                            text_answers = retained.text_answers,
                            pins = retained.pins,
                            "retention applied"
                        );
                    }
                }
                Err(error) => tracing::error!(%error, "the daily retention run failed"),
            }
        }
    });
}
