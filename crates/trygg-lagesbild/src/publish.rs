//! Publishing a round: its public release is built and checked in one place,
//! [`prepare_release`], and stored as a frozen snapshot by [`publish`].
//!
//! A release is everything the public sees of a round: the public lägesbild
//! ([`public::redact`](crate::public::redact)) as the results page's JSON, its
//! tables as CSV in both dialects, and the figures the public follow-up page takes
//! from the round ([`FollowUpFigures`], the area breakdowns of the indicators as the
//! results page shows them, so they pass the same suppression). Only a closed round
//! is published, so no new answer can change what was released; the public pages
//! serve the stored snapshot and never recompute it, so late imports, corrections
//! and retention change no public figure until someone publishes again, which is
//! an explicit, audited action (`republish_results`).

use std::future::Future;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use trygg_analysis::stats::{IndicatorCell, IndicatorTable};
use trygg_domain::{AuditAction, ErrorCode};
use trygg_domain::{Background, StaffUserId, Survey};
use trygg_store::{Publication, Snapshot, Store, StoreError};

use crate::csv::Dialect;
use crate::disclosure::DisclosureFailure;
use crate::{Lagesbild, LagesbildError, Options, Sources};

/// Audit action of a first publication.
pub const PUBLISH_ACTION: AuditAction = AuditAction::PublishResults;
/// Audit action of a publication that replaces the snapshot published before.
pub const REPUBLISH_ACTION: AuditAction = AuditAction::RepublishResults;

/// Why a round cannot be published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The round still takes answers, or has no closing day: its figures would
    /// change with every new answer, and two versions would single one out.
    #[error("{}", open_message(*.closes_on))]
    Open {
        /// The round's last day, if it has one.
        closes_on: Option<Date>,
    },
    /// Publishing again was asked for, but the round is not published.
    #[error("the round is not published; publish it first")]
    NotPublished,
    /// The lägesbild cannot be built.
    #[error(transparent)]
    Lagesbild(#[from] LagesbildError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A part of the release cannot be written.
    #[error("the release cannot be written: {0}")]
    Render(String),
    /// The disclosure audit found hidden cells that the release lets anyone
    /// work out; the message names them.
    #[error("the release would let hidden cells be worked out, so it is not published: {0}")]
    Disclosure(DisclosureFailure),
}

fn open_message(closes_on: Option<Date>) -> String {
    closes_on.map_or_else(
        || "the round has no closing day, so it never closes; only a closed round can be published: set its closing day".to_owned(),
        |day| format!("the round is open until {day}; only a closed round can be published, from the day after it closes"),
    )
}

impl PublishError {
    /// Whether the caller is at fault (the round's state), not the system.
    pub const fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::Open { .. } | Self::NotPublished | Self::Disclosure(_)
        )
    }

    /// A snake_case code for a refusal.
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::Open { .. } => ErrorCode::RoundOpen,
            Self::NotPublished => ErrorCode::NotPublished,
            Self::Disclosure(_) => ErrorCode::DisclosureRisk,
            Self::Lagesbild(_) | Self::Store(_) | Self::Render(_) => ErrorCode::Internal,
        }
    }

    /// The field a refusal is about.
    pub const fn field(&self) -> Option<&'static str> {
        match self {
            Self::Open { .. } => Some("closes_on"),
            Self::Disclosure(_) => Some("tables"),
            _ => None,
        }
    }
}

/// Refuses a round that is not closed on `today`.
///
/// # Errors
/// [`PublishError::Open`].
pub fn check_closed(survey: &Survey, today: Date) -> Result<(), PublishError> {
    if survey.is_closed_on(today) {
        Ok(())
    } else {
        Err(PublishError::Open {
            closes_on: survey.closes_on,
        })
    }
}

/// The figures the public follow-up page shows from one published round: each
/// indicator by area, as the round's public page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpFigures {
    /// The round's label, e.g. `2023`.
    pub round: String,
    /// The indicators' keys with Swedish and English labels.
    pub indicator_labels: Vec<(String, String, Option<String>)>,
    /// The key of the area question, if the round has one.
    pub area_question: Option<String>,
    /// The indicators broken down by area, suppressed as on the public page.
    pub by_area: Vec<IndicatorTable>,
}

impl FollowUpFigures {
    /// The figures of a public lägesbild.
    pub fn of(public: &Lagesbild, survey: &Survey) -> Self {
        let area_question = survey
            .questions
            .iter()
            .find(|q| q.background == Some(Background::Area))
            .map(|q| q.key.to_string());
        let by_area = public
            .report
            .indicators
            .iter()
            .filter(|t| {
                area_question
                    .as_ref()
                    .is_some_and(|area| t.group_by.len() == 1 && t.group_by.first() == Some(area))
            })
            .cloned()
            .collect();
        Self {
            round: public.survey.round.clone(),
            indicator_labels: public.indicator_labels.clone(),
            area_question,
            by_area,
        }
    }

    /// The published cell of `indicator` in the area with option key `area`.
    pub fn cell(&self, indicator: &str, area: &str) -> Option<&IndicatorCell> {
        self.by_area
            .iter()
            .find(|t| t.key == indicator)?
            .cells
            .iter()
            .find(|c| c.group.len() == 1 && c.group.first().is_some_and(|g| g == area))
    }

    /// The Swedish and English label of `indicator`, if the round has it.
    pub fn label(&self, indicator: &str) -> Option<(&str, Option<&str>)> {
        self.indicator_labels
            .iter()
            .find(|(key, _, _)| key == indicator)
            .map(|(_, sv, en)| (sv.as_str(), en.as_deref()))
    }
}

/// A round's public release, built and checked, ready to store.
#[derive(Debug, Clone)]
pub struct Release {
    /// The public lägesbild: what `/r/{slug}` shows.
    pub lagesbild: Lagesbild,
    /// The follow-up page's figures of the round.
    pub follow_up: FollowUpFigures,
    /// The tables as CSV with commas.
    pub tables_csv: String,
    /// The tables as CSV with semicolons and decimal commas.
    pub tables_csv_semicolon: String,
}

/// Builds the public release of the round `sources` were read for and checks it:
/// the one place where what is published is decided. Pure computation; a server
/// runs it off its async threads.
///
/// # Errors
/// [`PublishError::Open`] for a round that is not closed on `today`;
/// [`PublishError::Disclosure`] when the disclosure audit finds a hidden cell
/// that the release lets anyone work out more closely than the margin;
/// [`PublishError::Lagesbild`] when the statistics cannot be computed.
pub fn prepare_release(sources: &Sources, today: Date) -> Result<Release, PublishError> {
    prepare_release_with(sources, today, &Options::default())
}

/// [`prepare_release`] with the lägesbild built by `options`; tests use it to
/// show that a release suppressed table by table (`Options::unlinked`) is
/// refused.
///
/// # Errors
/// As [`prepare_release`].
pub fn prepare_release_with(
    sources: &Sources,
    today: Date,
    options: &Options,
) -> Result<Release, PublishError> {
    let survey = sources.survey();
    check_closed(survey, today)?;
    let full = sources.build(options)?;
    let lagesbild = crate::public::redact(full);
    match crate::disclosure::audit_release(sources, &lagesbild) {
        Ok(_) => {}
        Err(DisclosureFailure::Audit(e)) => return Err(e.into()),
        Err(leaks @ DisclosureFailure::Leaks(_)) => return Err(PublishError::Disclosure(leaks)),
    }
    let follow_up = FollowUpFigures::of(&lagesbild, survey);
    let csv = |dialect| {
        let bytes = crate::csv::tables(&lagesbild, dialect)
            .map_err(|e| PublishError::Render(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| PublishError::Render(e.to_string()))
    };
    let tables_csv = csv(Dialect::Comma)?;
    let tables_csv_semicolon = csv(Dialect::Semicolon)?;
    Ok(Release {
        lagesbild,
        follow_up,
        tables_csv,
        tables_csv_semicolon,
    })
}

/// The publication as the public page states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationInfo {
    /// The day the round was first published.
    pub published_on: String,
    /// The day the figures shown were published (later than `published_on` after
    /// a republication).
    pub updated_on: String,
    /// 1, then one more for each republication.
    pub version: u32,
}

impl From<&Publication> for PublicationInfo {
    fn from(p: &Publication) -> Self {
        Self {
            published_on: p.published_on.to_string(),
            updated_on: p.taken_at.date().to_string(),
            version: p.version,
        }
    }
}

/// The public page's data: the publication, then the public lägesbild.
#[derive(Serialize)]
struct PublicResults<'a> {
    publication: PublicationInfo,
    #[serde(flatten)]
    lagesbild: &'a Lagesbild,
}

impl Release {
    /// The snapshot to store for `publication`.
    ///
    /// # Errors
    /// [`PublishError::Render`] if the JSON cannot be written.
    pub fn snapshot(&self, publication: &Publication) -> Result<Snapshot, PublishError> {
        Ok(Snapshot {
            results_json: to_json(&PublicResults {
                publication: publication.into(),
                lagesbild: &self.lagesbild,
            })?,
            tables_csv: self.tables_csv.clone(),
            tables_csv_semicolon: self.tables_csv_semicolon.clone(),
            follow_up_json: to_json(&self.follow_up)?,
        })
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, PublishError> {
    serde_json::to_string(value).map_err(|e| PublishError::Render(e.to_string()))
}

/// What [`publish`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The round's publication now.
    pub publication: Publication,
    /// False when the round was published already and nothing was stored.
    pub changed: bool,
}

/// Publishes `survey` at `at` on behalf of `by` (`None`: the command line):
/// reads the round, builds and checks its release with [`prepare_release`],
/// stores it as the round's snapshot and records an audit event.
///
/// Without `again`, a round published before keeps its snapshot and nothing is
/// stored (publishing twice changes nothing); with `again`, the snapshot is
/// replaced from the data as it is now, audited as [`REPUBLISH_ACTION`].
///
/// # Errors
/// [`PublishError::Open`] for a round that is not closed on `at`'s day,
/// [`PublishError::NotPublished`] for `again` on a round that is not published,
/// otherwise the store's or the statistics' failure.
pub async fn publish(
    store: &Store,
    survey: &Survey,
    again: bool,
    by: Option<StaffUserId>,
    at: OffsetDateTime,
) -> Result<Outcome, PublishError> {
    publish_with(store, survey, again, by, at, |sources, today| async move {
        prepare_release(&sources, today)
    })
    .await
}

/// [`publish`], with [`prepare_release`] run by `prepare` (a server runs it on
/// its blocking pool).
///
/// # Errors
/// As [`publish`].
pub async fn publish_with<F, Fut>(
    store: &Store,
    survey: &Survey,
    again: bool,
    by: Option<StaffUserId>,
    at: OffsetDateTime,
    prepare: F,
) -> Result<Outcome, PublishError>
where
    F: FnOnce(Sources, Date) -> Fut,
    Fut: Future<Output = Result<Release, PublishError>>,
{
    let today = at.date();
    let before = store.publication(survey).await?;
    match (&before, again) {
        (Some(publication), false) => {
            return Ok(Outcome {
                publication: publication.clone(),
                changed: false,
            });
        }
        (None, true) => return Err(PublishError::NotPublished),
        _ => {}
    }
    // Refused before the round is read; `prepare_release` checks again.
    check_closed(survey, today)?;
    let sources = Sources::read(store, survey).await?;
    let release = prepare(sources, today).await?;
    let publication = Publication {
        published_on: before.as_ref().map_or(today, |p| p.published_on),
        version: before.as_ref().map_or(1, |p| p.version.saturating_add(1)),
        taken_at: at,
        taken_by: store.actor_name(by).await?,
    };
    store
        .save_release(survey, &publication, &release.snapshot(&publication)?)
        .await?;
    let action = if again {
        REPUBLISH_ACTION
    } else {
        PUBLISH_ACTION
    };
    store
        .audit(survey.municipality_id, by, action, survey.slug.as_str())
        .await?;
    Ok(Outcome {
        publication,
        changed: true,
    })
}
