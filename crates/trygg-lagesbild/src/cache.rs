//! Lägesbilder kept in memory between requests.
//!
//! [`Reports`] keeps each round's [`Sources`] (a few megabytes even at 100,000
//! responses) and the lägesbilder built from them, one per [`Options`], so the
//! dashboard's first load and every filter after it compute from memory instead of
//! reading the round again. Sources checked more than [`FRESH_FOR`] ago are checked
//! against the store's stamp and read again only when it changed; a round whose
//! survey changed (a corrected question text, a new closing day) is read again at
//! once. Both levels are [`moka`] caches: bounded, safe to share between threads,
//! and computing each entry once however many requests ask for it at the same time.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use moka::ops::compute::Op;
use trygg_domain::{Survey, SurveyId};
use trygg_store::Store;

use crate::{Lagesbild, LagesbildError, Options, Sources};

/// How long read sources are trusted without asking the store whether they changed.
pub const FRESH_FOR: Duration = Duration::from_secs(60);
/// How many rounds' sources are kept at most.
const ROUNDS: u64 = 8;
/// How many built lägesbilder (filter combinations) are kept per round at most.
const KEEP: u64 = 64;

/// One round's sources as read, with the lägesbilder built from them.
struct Round {
    /// The store's stamp when the sources were read.
    stamp: String,
    sources: Arc<Sources>,
    built: Cache<Options, Arc<Lagesbild>>,
}

/// The rounds read and the lägesbilder built from them (see the module).
#[derive(Clone)]
pub struct Reports {
    rounds: Cache<SurveyId, Arc<Round>>,
    /// The rounds whose stamp was checked within [`FRESH_FOR`].
    checked: Cache<SurveyId, ()>,
}

impl Default for Reports {
    fn default() -> Self {
        Self {
            rounds: Cache::new(ROUNDS),
            checked: Cache::builder()
                .max_capacity(ROUNDS)
                .time_to_live(FRESH_FOR)
                .build(),
        }
    }
}

impl Reports {
    /// The sources of `survey`, read again only when the store has changed.
    ///
    /// # Errors
    /// [`LagesbildError::Store`] when the store fails.
    pub async fn sources(
        &self,
        store: &Store,
        survey: &Survey,
    ) -> Result<Arc<Sources>, LagesbildError> {
        Ok(self.round(store, survey).await?.sources.clone())
    }

    /// The lägesbild of `survey` with `options`, built once per options on the
    /// blocking pool from the round's current sources.
    ///
    /// # Errors
    /// [`LagesbildError::Filter`] for a filter naming no option; the store's or the
    /// statistics' failure.
    pub async fn get(
        &self,
        store: &Store,
        survey: &Survey,
        options: Options,
    ) -> Result<Arc<Lagesbild>, LagesbildError> {
        let round = self.round(store, survey).await?;
        if let Some(built) = round.built.get(&options).await {
            return Ok(built);
        }
        let sources = round.sources.clone();
        let key = options.clone();
        round
            .built
            .entry(key)
            .and_try_compute_with(|entry| async move {
                if entry.is_some() {
                    return Ok(Op::Nop);
                }
                let built = blocking(move || sources.build(&options)).await?;
                Ok::<_, LagesbildError>(Op::Put(Arc::new(built)))
            })
            .await?
            .into_entry()
            .map(moka::Entry::into_value)
            .ok_or_else(|| LagesbildError::Blocking("the built lägesbild was not kept".to_owned()))
    }

    /// The kept round of `survey`, checked against the store when it was last
    /// checked more than [`FRESH_FOR`] ago; read (once, however many ask) when
    /// missing, changed or read for the survey as it was before an edit.
    async fn round(&self, store: &Store, survey: &Survey) -> Result<Arc<Round>, LagesbildError> {
        if let Some(round) = self.rounds.get(&survey.id).await
            && round.sources.survey() == survey
            && self.checked.contains_key(&survey.id)
        {
            return Ok(round);
        }
        self.rounds
            .entry(survey.id)
            .and_try_compute_with(|entry| async move {
                let kept = entry
                    .map(moka::Entry::into_value)
                    .filter(|round| round.sources.survey() == survey);
                // Another request may have checked or read it while this one waited.
                if kept.is_some() && self.checked.contains_key(&survey.id) {
                    return Ok(Op::Nop);
                }
                let stamp = Sources::stamp(store, survey).await?;
                self.checked.insert(survey.id, ()).await;
                if kept.is_some_and(|round| round.stamp == stamp) {
                    return Ok(Op::Nop);
                }
                let sources = Sources::read(store, survey).await?;
                Ok::<_, LagesbildError>(Op::Put(Arc::new(Round {
                    stamp,
                    sources: Arc::new(sources),
                    built: Cache::new(KEEP),
                })))
            })
            .await?
            .into_entry()
            .map(moka::Entry::into_value)
            .ok_or_else(|| LagesbildError::Blocking("the read round was not kept".to_owned()))
    }
}

/// Runs `work` on the runtime's blocking pool, so a large computation never
/// stalls the async threads.
///
/// # Errors
/// The work's error, or [`LagesbildError::Blocking`] if the pool fails.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, LagesbildError> + Send + 'static,
) -> Result<T, LagesbildError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| LagesbildError::Blocking(e.to_string()))?
}
