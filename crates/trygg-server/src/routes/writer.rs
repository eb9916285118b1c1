//! Group commit for the intake: responses that arrive together are stored in
//! one transaction.
//!
//! A commit costs a flush to disk whether it holds one response or fifty, so
//! storing each response in its own transaction caps the intake at the disk's
//! flush rate. Handlers hand their accepted response to a writer task and wait
//! for its answer; a writer takes every response that is waiting (up to
//! [`MAX_BATCH`]), stores them with [`Store::insert_responses_once`], and only
//! then answers each handler, so a 201 still means "committed". Nothing waits
//! on purpose: a lone response is written at once, and batches grow only while
//! the previous commit is under way.
//!
//! The writer also asks, once per batch, whether the survey of the responses
//! sent without an invitation code takes them, rather than every handler
//! asking the database on its own (see `invitation.rs`).

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc, oneshot};
use trygg_domain::{Response, SurveyId};
use trygg_store::{Backend, Incoming, Store, StoreError, Stored};

use super::surveys::Published;
use crate::error::ApiError;

/// The most responses in one transaction; large enough to amortise the flush,
/// small enough that one batch stays well within a request's deadline.
const MAX_BATCH: usize = 64;

/// How many accepted responses may wait for a writer before handlers wait to
/// hand theirs over (and, past their deadline, answer 503).
const QUEUE: usize = 1024;

struct Job {
    published: Arc<Published>,
    response: Response,
    key: String,
    fingerprint: String,
    /// Sent without an invitation code: stored only if its survey needs none.
    without_code: bool,
    reply: oneshot::Sender<Result<Stored, ApiError>>,
}

/// The handle handlers use to store a response through the writers.
#[derive(Clone)]
pub struct IntakeWriter(mpsc::Sender<Job>);

impl IntakeWriter {
    /// Starts the writer tasks on the current Tokio runtime: one on SQLite,
    /// which has a single writer anyway, four on PostgreSQL, whose commits can
    /// overlap.
    pub fn start(store: Store) -> Self {
        let writers = match store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        let (sender, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..writers {
            tokio::spawn(write_batches(store.clone(), receiver.clone()));
        }
        Self(sender)
    }

    /// Stores `response` once per `key` and answers when it is committed.
    ///
    /// # Errors
    /// 403 `invitation_required` for a response `without_code` to a survey
    /// that needs one; 503 while the database is unavailable.
    pub async fn store(
        &self,
        published: Arc<Published>,
        response: Response,
        key: String,
        fingerprint: String,
        without_code: bool,
    ) -> Result<Stored, ApiError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            published,
            response,
            key,
            fingerprint,
            without_code,
            reply,
        };
        let gone = || ApiError::Unexpected(anyhow::anyhow!("the intake writer has stopped"));
        self.0.send(job).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

async fn write_batches(store: Store, receiver: Arc<Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        {
            let mut receiver = receiver.lock().await;
            if receiver.recv_many(&mut jobs, MAX_BATCH).await == 0 {
                // Every sender is gone: the server has stopped.
                return;
            }
        }
        let jobs = refuse_without_code(&store, jobs).await;
        if jobs.is_empty() {
            continue;
        }
        let results = {
            let batch: Vec<Incoming<'_>> = jobs
                .iter()
                .map(|job| Incoming {
                    response: &job.response,
                    boundary: job.published.boundary(),
                    key: &job.key,
                    fingerprint: &job.fingerprint,
                })
                .collect();
            store.insert_responses_once(&batch).await
        };
        for (job, result) in jobs.into_iter().zip(results) {
            // A handler that gave up at its deadline no longer listens; its
            // client retries with the same key and is answered from the store.
            let _ = job.reply.send(result.map_err(ApiError::from));
        }
    }
}

/// Answers the jobs sent without a code to a survey that needs one, and keeps
/// the others: one query per survey in the batch (nearly always one), however
/// many responses it holds.
async fn refuse_without_code(store: &Store, jobs: Vec<Job>) -> Vec<Job> {
    let mut surveys: Vec<SurveyId> = jobs
        .iter()
        .filter(|job| job.without_code)
        .map(|job| job.response.survey_id)
        .collect();
    surveys.sort_unstable_by_key(|survey| survey.as_uuid());
    surveys.dedup();
    let mut needs: HashMap<SurveyId, Result<bool, StoreError>> = HashMap::new();
    for survey in surveys {
        let needed = store.needs_invitation(survey).await;
        needs.insert(survey, needed);
    }
    let mut kept = Vec::with_capacity(jobs.len());
    for job in jobs {
        let refusal = if job.without_code {
            match needs.get(&job.response.survey_id) {
                Some(Ok(false)) => None,
                Some(Ok(true)) => Some(super::invitation::required()),
                Some(Err(error)) => Some(ApiError::from(error.again())),
                None => Some(ApiError::Unexpected(anyhow::anyhow!(
                    "the survey of a response without a code was not asked"
                ))),
            }
        } else {
            None
        };
        match refusal {
            None => kept.push(job),
            Some(error) => {
                let _ = job.reply.send(Err(error));
            }
        }
    }
    kept
}
