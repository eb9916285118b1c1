//! `trygg invitations create|rates`: single-use codes for a postal sample, as the
//! print shop's CSV, and the response rate per area from the codes used.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use trygg_domain::Key;
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
        /// The server's public address, for the links, e.g. https://trygg.kommun.se.
        #[arg(long, value_name = "URL")]
        base_url: String,
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
pub async fn run(store: &Store, command: InvitationsCommand) -> anyhow::Result<()> {
    match command {
        InvitationsCommand::Create {
            survey,
            count,
            area,
            base_url,
            output,
        } => {
            let survey = super::find_survey(store, &survey).await?;
            anyhow::ensure!(
                (1..=50_000).contains(&count),
                "--count: make between 1 and 50000 codes at a time"
            );
            let area = match area {
                Some(raw) => {
                    let key = Key::parse(&raw, "--area")
                        .map_err(|e| anyhow::anyhow!("--area: {}", e.message))?;
                    let known = store
                        .areas(survey.municipality_id)
                        .await?
                        .iter()
                        .any(|a| a.code == key);
                    anyhow::ensure!(
                        known,
                        "--area: `{key}` is not one of the municipality's areas"
                    );
                    Some(key)
                }
                None => None,
            };
            let codes = trygg_server::invitation_codes(count);
            store
                .insert_invitations(&survey, area.as_ref(), &codes)
                .await?;
            let base = base_url.trim_end_matches('/');
            let area_text = area.as_ref().map(Key::as_str).unwrap_or_default();
            let mut csv = String::from("kod,lank,omrade\n");
            for code in &codes {
                csv.push_str(&format!(
                    "{},{base}/s/{}?kod={},{area_text}\n",
                    code.printed(),
                    survey.slug,
                    code.printed()
                ));
            }
            std::fs::write(&output, csv)
                .with_context(|| format!("cannot write {}", output.display()))?;
            println!(
                "Wrote {} codes for {} to {}.",
                codes.len(),
                survey.slug,
                output.display()
            );
        }
        InvitationsCommand::Rates { survey } => {
            let survey = super::find_survey(store, &survey).await?;
            let counts = store.invitation_counts(survey.id).await?;
            if counts.is_empty() {
                println!(
                    "{} has no invitation codes; it is open to everyone.",
                    survey.slug
                );
            }
            println!("area\tissued\tused\tresponse_rate");
            for c in counts {
                println!(
                    "{}\t{}\t{}\t{:.3}",
                    c.area.as_deref().unwrap_or("-"),
                    c.issued,
                    c.used,
                    c.used as f64 / c.issued.max(1) as f64
                );
            }
        }
    }
    Ok(())
}
