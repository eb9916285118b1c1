//! `trygg invitations create|rates`: single-use codes for a postal sample, as the
//! print shop's CSV, and the response rate per area from the codes used.

use crate::terminal::say;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use trygg_lagesbild::invitations::{self, Batch};
use trygg_lagesbild::workflow::WorkflowError;
use trygg_store::Store;

/// `trygg invitations …`
#[derive(Debug, Subcommand)]
pub enum InvitationsCommand {
    /// Make single-use codes for letters and write the print shop's CSV
    /// (`kod,lank,omrade`); from then on the survey is answered only with a code.
    Create {
        /// The published survey, by slug.
        #[arg(long)]
        survey: String,
        /// How many codes (letters).
        #[arg(long)]
        count: usize,
        /// The area (code) the letters go to, for response rates per area.
        #[arg(long)]
        area: Option<String>,
        /// The server's public address for the links, e.g. https://trygg.kommun.se;
        /// by default the `server.public_url` setting.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// The CSV file to write.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Codes issued and used, and the response rate, per area.
    Rates {
        /// The survey, by slug.
        #[arg(long)]
        survey: String,
    },
}

/// Runs `trygg invitations …`.
pub async fn run(
    store: &Store,
    settings: &crate::Settings,
    command: InvitationsCommand,
) -> anyhow::Result<()> {
    match command {
        InvitationsCommand::Create {
            survey,
            count,
            area,
            base_url,
            output,
        } => {
            // Links come from the configured public address only, never a guess.
            let base = base_url
                .or_else(|| settings.server.public_url.clone())
                .context(
                    "set server.public_url (TRYGG__SERVER__PUBLIC_URL) or --base-url for the letters' links",
                )?;
            let base = trygg_lagesbild::PublicUrl::parse(&base)
                .map_err(|e| anyhow::anyhow!("--base-url: {e}"))?;
            let batch = Batch {
                count,
                area: area.as_deref(),
                base_url: base.as_str(),
            };
            create(store, &survey, batch, &output).await
        }
        InvitationsCommand::Rates { survey } => rates(store, &survey).await,
    }
}

/// Makes the letters' codes and writes the print shop's CSV to `output`.
async fn create(store: &Store, slug: &str, batch: Batch<'_>, output: &Path) -> anyhow::Result<()> {
    let survey = super::find_survey(store, slug).await?;
    let letters = invitations::create(store, &survey, batch, None)
        .await
        .map_err(|e| match e {
            WorkflowError::Invalid(e) => anyhow::anyhow!("--{}: {}", e.field, e.message),
            other => other.into(),
        })?;
    let codes = letters.codes();
    std::fs::write(output, letters.into_csv())
        .with_context(|| format!("cannot write {}", output.display()))?;
    say!(
        "Wrote {codes} codes for {} to {}.",
        survey.slug,
        output.display()
    );
    Ok(())
}

/// Prints the codes issued and used, and the response rate, per area.
async fn rates(store: &Store, slug: &str) -> anyhow::Result<()> {
    let survey = super::find_survey(store, slug).await?;
    let counts = store.invitation_counts(survey.id).await?;
    if counts.is_empty() {
        say!(
            "{} has no invitation codes; it is open to everyone.",
            survey.slug
        );
    }
    say!("area\tissued\tused\tresponse_rate");
    for c in counts {
        say!(
            "{}\t{}\t{}\t{:.3}",
            c.area.as_deref().unwrap_or("-"),
            c.issued,
            c.used,
            c.used as f64 / c.issued.max(1) as f64
        );
    }
    Ok(())
}
