//! Moderating what people wrote before it is public: residents' comments and
//! the texts staff write for the public pages (progress texts, walk findings'
//! notes) go through one workflow, [`decide`], and a moderator sees either as a
//! [`Review`]: the text cut into segments with the ones that look like personal
//! data flagged, and a suggested redaction that blanks every flag.

use std::future::Future;

use serde::Serialize;
use trygg_domain::{
    AuditAction, Decision, DecisionInput, FlagKind, ModerationStatus, MunicipalityId, Segment,
    redact_flagged, segments,
};
use trygg_store::{Comment, StaffText, Store, StoreError};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::workflow::{Actor, WorkflowError, find_own};

/// What a moderator sees of one text, whoever wrote it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Review<'a> {
    /// `pending`, `approved`, `redacted` or `rejected`.
    #[schema(value_type = String)]
    status: ModerationStatus,
    text: &'a str,
    /// The text cut into segments, each flagged or not.
    #[schema(value_type = Vec<Object>)]
    segments: Vec<Segment<'a>>,
    /// The kinds of personal data found, each once.
    #[schema(value_type = Vec<String>)]
    flags: Vec<FlagKind>,
    /// The text with every flagged segment blanked, when anything is flagged.
    suggestion: Option<String>,
    edited_text: Option<&'a str>,
    reason: Option<&'a str>,
}

impl<'a> Review<'a> {
    /// The review of `text`, which stands at `status` with the moderator's
    /// `edited_text` and `reason` so far.
    pub fn new(
        text: &'a str,
        status: ModerationStatus,
        edited_text: Option<&'a str>,
        reason: Option<&'a str>,
    ) -> Self {
        let segments = segments(text);
        let mut flags: Vec<FlagKind> = segments.iter().filter_map(|s| s.flag).collect();
        flags.sort();
        flags.dedup();
        Self {
            status,
            text,
            suggestion: (!flags.is_empty()).then(|| redact_flagged(text)),
            segments,
            flags,
            edited_text,
            reason,
        }
    }
}

/// A kind of text that waits for moderation: how it is found, how a decision
/// on it is kept, and how the decision is audited.
pub trait Moderated: Sized + Send + Sync {
    /// The audit action a decision is logged as.
    const AUDIT: AuditAction;
    /// What the missing row is called in a 404, e.g. "comment".
    const NAME: &'static str;

    /// The row's id.
    fn id(&self) -> Uuid;

    /// The text as written.
    fn text(&self) -> &str;

    /// The moderator's view of the row.
    fn review(&self) -> Review<'_>;

    /// The row `id` of municipality `m`, if there is one.
    fn find(
        store: &Store,
        m: MunicipalityId,
        id: Uuid,
    ) -> impl Future<Output = Result<Option<Self>, StoreError>> + Send;

    /// Keeps `decision` on the row, made by `by`.
    fn keep(
        &self,
        store: &Store,
        m: MunicipalityId,
        decision: &Decision,
        by: Uuid,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// [`Moderated`] for each kind of row, whose fields are named alike: a row
/// `$row => ($audit, $name, $find, $keep)` is audited as `AuditAction::$audit`,
/// called `$name` in a 404, found by the store's `$find` and decided by its `$keep`.
macro_rules! moderated {
    ($($row:ty => ($audit:ident, $name:literal, $find:ident, $keep:ident)),* $(,)?) => {$(
        impl Moderated for $row {
            const AUDIT: AuditAction = AuditAction::$audit;
            const NAME: &'static str = $name;

            fn id(&self) -> Uuid {
                self.id
            }

            fn text(&self) -> &str {
                &self.text
            }

            fn review(&self) -> Review<'_> {
                let (edited, reason) = (self.edited_text.as_deref(), self.reason.as_deref());
                Review::new(&self.text, self.status, edited, reason)
            }

            async fn find(
                store: &Store,
                m: MunicipalityId,
                id: Uuid,
            ) -> Result<Option<Self>, StoreError> {
                store.$find(m, id).await
            }

            async fn keep(
                &self,
                store: &Store,
                m: MunicipalityId,
                decision: &Decision,
                by: Uuid,
            ) -> Result<(), StoreError> {
                store.$keep(m, self, decision, Some(by)).await
            }
        }
    )*};
}

moderated! {
    Comment => (CommentModerate, "comment", comment, decide_comment),
    StaffText => (StaffTextModerate, "progress text or finding", staff_text, decide_staff_text),
}

/// The row `raw` names in the actor's municipality.
///
/// # Errors
/// [`WorkflowError::NotFound`] for an id that is not a UUID or not the
/// municipality's; the store's.
pub async fn find<T: Moderated>(
    store: &Store,
    actor: &Actor,
    raw: &str,
) -> Result<T, WorkflowError> {
    find_own(raw, T::NAME, |id| T::find(store, actor.municipality(), id)).await
}

/// Approves, redacts or rejects the row `raw` names, keeps the decision with
/// its reason, and audits it naming the row and the decision, never its text.
/// Returns the row as it now stands.
///
/// # Errors
/// As [`find`]; a decision that breaks a rule (422, e.g. a redaction that adds
/// words); the store's.
pub async fn decide<T: Moderated>(
    store: &Store,
    actor: &Actor,
    raw: &str,
    input: DecisionInput,
) -> Result<T, WorkflowError> {
    let row: T = find(store, actor, raw).await?;
    let decision = Decision::parse(input, row.text())?;
    row.keep(
        store,
        actor.municipality(),
        &decision,
        actor.user().as_uuid(),
    )
    .await?;
    let target = format!("{} {}", row.id(), decision.status().as_str());
    actor.audit(store, T::AUDIT, &target).await?;
    find(store, actor, raw).await
}
