//! What a staff member (or a command run on the server) did, as the audit log
//! names it.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

/// One kind of line in a municipality's audit log. The stored text is
/// [`AuditAction::as_str`]: snake_case, except the survey and moderation
/// actions, which have been written with a dot since they were added and keep
/// that text so old and new lines read alike.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AuditAction {
    Login,
    LoginFailed,
    LoginRefused,
    Logout,
    SessionEnded,
    ReauthenticationFailed,
    RequestRefused,
    PasswordChanged,
    PasswordReset,
    TotpEnabled,
    TotpDisabled,
    UserAdded,
    UserDisabled,
    UserEnabled,
    UserRoleChanged,
    AreasUploaded,
    AreaRenamed,
    PopulationReplaced,
    InvitationsCreated,
    RetentionApplied,
    ExportLagesbild,
    ExportPins,
    PublishResults,
    RepublishResults,
    UnpublishResults,
    FocusAreaAdded,
    PromiseAdded,
    ActionPlanAdded,
    ActionPlanChanged,
    PlanMeetingRecorded,
    PlanMidtermReviewRecorded,
    CrimeCountsImported,
    OrganisationAdded,
    ReporterOrganisationSet,
    EventReported,
    EventCorrected,
    EventReviewed,
    EventMerged,
    EventTurnedIntoActivity,
    EventsImported,
    #[serde(rename = "survey.create")]
    #[strum(serialize = "survey.create")]
    SurveyCreate,
    #[serde(rename = "survey.update")]
    #[strum(serialize = "survey.update")]
    SurveyUpdate,
    #[serde(rename = "survey.delete")]
    #[strum(serialize = "survey.delete")]
    SurveyDelete,
    #[serde(rename = "survey.publish")]
    #[strum(serialize = "survey.publish")]
    SurveyPublish,
    #[serde(rename = "survey.new_round")]
    #[strum(serialize = "survey.new_round")]
    SurveyNewRound,
    #[serde(rename = "comment.moderate")]
    #[strum(serialize = "comment.moderate")]
    CommentModerate,
    #[serde(rename = "staff_text.moderate")]
    #[strum(serialize = "staff_text.moderate")]
    StaffTextModerate,
}

impl AuditAction {
    /// The text stored in the audit log and sent to the pages.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every action, in declaration order.
    pub fn all() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::AuditAction;

    #[test]
    fn every_audit_action_is_stored_as_the_text_serde_sends() {
        for action in AuditAction::all() {
            let json = serde_json::to_value(action).unwrap();
            assert_eq!(json, action.as_str(), "{action:?}");
            let back: AuditAction = serde_json::from_value(json).unwrap();
            assert_eq!(back, action);
        }
        assert_eq!(
            AuditAction::PlanMidtermReviewRecorded.as_str(),
            "plan_midterm_review_recorded"
        );
        assert_eq!(AuditAction::SurveyNewRound.as_str(), "survey.new_round");
    }
}
