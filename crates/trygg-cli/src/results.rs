//! `trygg results publish|withdraw`: the public results page of a closed round,
//! as a frozen snapshot, through the same [`trygg_lagesbild::publish`] as the staff
//! API; an open round is refused, and `--again` replaces the snapshot (audited as
//! `republish_results`).

use crate::terminal::say;
use anyhow::bail;
use clap::Subcommand;
use trygg_domain::AuditAction;
use trygg_store::Store;

/// `trygg results …`
#[derive(Debug, Subcommand)]
pub enum ResultsCommand {
    /// Publish a closed round's results on `/r/{slug}` as they are now; they stay
    /// as published until published again with `--again`.
    Publish {
        /// The round, by slug.
        slug: String,
        /// Replace the published figures with the data as it is now.
        #[arg(long)]
        again: bool,
    },
    /// Withdraw a round's public results page.
    Withdraw {
        /// The round, by slug.
        slug: String,
    },
}

/// Runs `trygg results …`.
pub async fn run(store: &Store, command: ResultsCommand) -> anyhow::Result<()> {
    match command {
        ResultsCommand::Publish { slug, again } => publish(store, &slug, again).await,
        ResultsCommand::Withdraw { slug } => {
            let survey = crate::find_survey(store, &slug).await?;
            store.unpublish_results(&survey).await?;
            let subject = survey.slug.as_str();
            store
                .audit(
                    survey.municipality_id,
                    None,
                    AuditAction::UnpublishResults,
                    subject,
                )
                .await?;
            say!("Withdrew the results of {slug}.");
            Ok(())
        }
    }
}

async fn publish(store: &Store, slug: &str, again: bool) -> anyhow::Result<()> {
    let survey = crate::find_survey(store, slug).await?;
    let now = time::OffsetDateTime::now_utc();
    let outcome = match trygg_lagesbild::publish::publish(store, &survey, again, None, now).await {
        Ok(outcome) => outcome,
        Err(e) if e.is_refusal() => bail!(
            "{slug}: {}{}: {e}",
            e.code(),
            e.field().map(|f| format!(" ({f})")).unwrap_or_default()
        ),
        Err(e) => return Err(e.into()),
    };
    let p = &outcome.publication;
    if outcome.changed {
        say!(
            "Published {slug} at /r/{slug} (version {}, first published {}).",
            p.version,
            p.published_on
        );
    } else {
        say!(
            "{slug} is already published (version {}, {}); `--again` replaces its figures.",
            p.version,
            p.taken_at
        );
    }
    Ok(())
}
