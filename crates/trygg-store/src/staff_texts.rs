//! Moderation of the texts staff write for the public: a promise's progress
//! texts and a safety-walk finding's notes.
//!
//! A text without a decision is shown as written unless it looks like personal
//! data, in which case it waits for a moderator (`staff_text_status`). Public
//! outputs read promises and findings only through [`Store::promises`] and
//! [`Store::findings`], which apply this; staff pages read them as written
//! through [`Store::promises_as_written`] and [`Store::findings_as_written`].

use std::collections::HashMap;

use sea_orm::ActiveValue::Set;
use time::OffsetDateTime;
use trygg_domain::{
    Decision, ModerationStatus, MunicipalityId, StaffTextSource, publishable_staff_text,
    staff_text_status,
};
use uuid::Uuid;

use crate::entity::staff_text_moderation;
use crate::rows::save;
use crate::tenant::Tenant;
use crate::{Store, StoreError};

/// A text staff wrote for the public, and where it stands in moderation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffText {
    /// The id of the progress entry or finding it belongs to.
    pub id: Uuid,
    /// A progress text or a finding's note.
    pub source: StaffTextSource,
    /// The text as written.
    pub text: String,
    /// What it belongs to: the activity's or the walk's title.
    pub context: String,
    /// Where it stands: pending only when flagged and not yet decided.
    pub status: ModerationStatus,
    /// The moderator's edited text, for a redacted one.
    pub edited_text: Option<String>,
    /// The moderator's reason.
    pub reason: Option<String>,
}

impl StaffText {
    /// The text public pages may show, if any.
    pub fn public_text(&self) -> Option<&str> {
        publishable_staff_text(&self.text, self.status, self.edited_text.as_deref())
    }
}

/// A moderator's decision on one staff text, as the reads need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decided {
    pub(crate) status: ModerationStatus,
    pub(crate) edited_text: Option<String>,
    pub(crate) reason: Option<String>,
}

impl Decided {
    /// The text public pages may show of `written`, decided by `decided` or, without a
    /// decision, by the flags.
    pub(crate) fn public<'a>(decided: Option<&'a Self>, written: &'a str) -> Option<&'a str> {
        let status = staff_text_status(written, decided.map(|d| d.status));
        publishable_staff_text(
            written,
            status,
            decided.and_then(|d| d.edited_text.as_deref()),
        )
    }
}

impl Store {
    /// The moderators' decisions on a municipality's staff texts, by the text's id.
    pub(crate) async fn staff_text_decisions(
        &self,
        m: MunicipalityId,
    ) -> Result<HashMap<Uuid, Decided>, StoreError> {
        let mut out = HashMap::new();
        for row in staff_text_moderation::Entity::of(m).all(&self.db).await? {
            let status = ModerationStatus::parse(&row.status, "staff_text_moderation.status")
                .map_err(StoreError::corrupt)?;
            out.insert(
                row.id,
                Decided {
                    status,
                    edited_text: row.edited_text,
                    reason: row.reason,
                },
            );
        }
        Ok(out)
    }

    /// The moderators' decided statuses of a municipality's staff texts, by the
    /// text's id; a text without one stands as `staff_text_status` says.
    pub async fn staff_text_decided(
        &self,
        m: MunicipalityId,
    ) -> Result<HashMap<Uuid, ModerationStatus>, StoreError> {
        Ok(self
            .staff_text_decisions(m)
            .await?
            .into_iter()
            .map(|(id, d)| (id, d.status))
            .collect())
    }

    /// A municipality's progress texts and finding notes with where each stands,
    /// promises' texts first; only those with `status`, when given.
    pub async fn staff_texts(
        &self,
        m: MunicipalityId,
        status: Option<ModerationStatus>,
    ) -> Result<Vec<StaffText>, StoreError> {
        let mut decisions = self.staff_text_decisions(m).await?;
        let mut out = Vec::new();
        let mut push = |id: Uuid, source, text: &str, context: &str| {
            let decided = decisions.remove(&id);
            let text = StaffText {
                id,
                source,
                text: text.to_owned(),
                context: context.to_owned(),
                status: staff_text_status(text, decided.as_ref().map(|d| d.status)),
                edited_text: decided.as_ref().and_then(|d| d.edited_text.clone()),
                reason: decided.and_then(|d| d.reason),
            };
            if status.is_none_or(|wanted| wanted == text.status) {
                out.push(text);
            }
        };
        for p in self.promises_as_written(m).await? {
            for a in &p.activities {
                for e in &a.progress {
                    push(
                        e.id.as_uuid(),
                        StaffTextSource::ProgressText,
                        &e.text,
                        &a.title.sv,
                    );
                }
            }
        }
        let walks = self.walks(m).await?;
        for f in self.findings_as_written(m, None).await? {
            let walk = walks
                .iter()
                .find(|w| w.id == f.walk_id)
                .map_or("", |w| w.title.as_str());
            push(f.id.as_uuid(), StaffTextSource::FindingNote, &f.note, walk);
        }
        Ok(out)
    }

    /// One staff text of a municipality; another municipality's is `None`.
    pub async fn staff_text(
        &self,
        m: MunicipalityId,
        id: Uuid,
    ) -> Result<Option<StaffText>, StoreError> {
        Ok(self
            .staff_texts(m, None)
            .await?
            .into_iter()
            .find(|t| t.id == id))
    }

    /// Records a moderator's decision on `text`, replacing any earlier one.
    pub async fn decide_staff_text(
        &self,
        m: MunicipalityId,
        text: &StaffText,
        decision: &Decision,
        decided_by: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let row = staff_text_moderation::ActiveModel {
            id: Set(text.id),
            municipality_id: Set(m.as_uuid()),
            source: Set(text.source.as_str().to_owned()),
            status: Set(decision.status().as_str().to_owned()),
            edited_text: Set(decision.edited_text().map(str::to_owned)),
            reason: Set(decision.reason().map(str::to_owned)),
            decided_by: Set(decided_by),
            decided_at: Set(OffsetDateTime::now_utc()),
        };
        save(
            &self.db,
            staff_text_moderation::Entity::one_of(m, text.id),
            row,
        )
        .await
    }
}
