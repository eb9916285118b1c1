//! The demo's published results: the 2023 round is on the public results page
//! `/r/trygghetsmatning-2023`, as an analyst would publish it when the round closed,
//! as a frozen snapshot like any publication.

use anyhow::Context;
use trygg_domain::Survey;
use trygg_store::Store;

/// Slug of the round whose results the demo publishes.
pub const PUBLISHED_SLUG: &str = "trygghetsmatning-2023";

/// Publishes the 2023 round's results on the day after it closed.
pub async fn publish(
    store: &Store,
    rounds: &[(Survey, Vec<trygg_domain::Response>)],
) -> anyhow::Result<()> {
    let Some((survey, _)) = rounds
        .iter()
        .find(|(s, _)| s.slug.as_str() == PUBLISHED_SLUG)
    else {
        return Ok(());
    };
    let day = survey
        .closes_on
        .and_then(time::Date::next_day)
        .context("the demo's 2023 round has no closing day")?;
    trygg_lagesbild::publish::publish(store, survey, false, None, day.midnight().assume_utc())
        .await
        .context("cannot publish the demo's 2023 results")?;
    Ok(())
}
