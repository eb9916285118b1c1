//! Identifiers: UUIDv7, so keys are time-ordered and need no database sequence.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an identifier read back from storage.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A municipality (kommun), the tenant every other row belongs to.
    MunicipalityId
);
id_type!(
    /// An area (kommundel, område).
    AreaId
);
id_type!(
    /// A survey (trygghetsmätning), one round.
    SurveyId
);
id_type!(
    /// One respondent's response.
    ResponseId
);
id_type!(
    /// One pinned unsafe place.
    PinId
);
id_type!(
    /// A focus area (fokusområde) chosen by kommun and polis.
    FocusAreaId
);
id_type!(
    /// A medborgarlöfte (citizen promise).
    PromiseId
);
id_type!(
    /// One countable activity of a promise.
    ActivityId
);
id_type!(
    /// One progress entry of an activity.
    ProgressId
);
id_type!(
    /// An åtgärdsplan (action plan) of a samverkansöverenskommelse.
    ActionPlanId
);
id_type!(
    /// A trygghetsvandring (safety walk).
    WalkId
);
id_type!(
    /// One finding of a safety walk, an action item.
    FindingId
);
id_type!(
    /// A staff member's account (kommun or polis).
    StaffUserId
);
