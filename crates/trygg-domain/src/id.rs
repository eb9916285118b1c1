//! Identifiers, made in the application so keys need no database sequence.
//!
//! There are two kinds, and the type says which:
//!
//! - **Resident ids** ([`ResponseId`], [`AnswerId`], [`PinId`],
//!   [`DescribedPlaceId`]) are random UUIDv4. They carry no time: a
//!   UUIDv7 would give a resident's submission time to the millisecond, beside a
//!   response that otherwise keeps only its hour. Anything a resident's
//!   submission creates takes one of these; never a v7.
//! - **Staff ids** (municipalities, areas, surveys, promises, walks, accounts…)
//!   are UUIDv7, so keys are time-ordered; the time a staff member made
//!   something is no secret.
//!
//! Since resident ids are random, sorting by them gives no arrival order, and
//! lists of resident data sort by the submitted hour, then the id. The rows of
//! one response take consecutive ids from one random start
//! ([`AnswerId::many_in_order`]), so they share index pages.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
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

/// An id of something staff make: a time-ordered UUIDv7.
macro_rules! staff_id {
    ($(#[$doc:meta])* $name:ident) => {
        id_type!($(#[$doc])* $name);

        impl $name {
            /// A fresh, time-ordered identifier (UUIDv7). Only for what staff
            /// make; a resident's data takes a random resident id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }
    };
}

/// An id of something a resident's submission creates: a random UUIDv4 that
/// carries no time.
macro_rules! resident_id {
    ($(#[$doc:meta])* $name:ident) => {
        id_type!($(#[$doc])* $name);

        impl $name {
            /// A fresh random identifier (UUIDv4), with no time in it.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }

            /// `n` fresh identifiers for the rows of one response, consecutive
            /// from a random start (a UUIDv4 with its last 16 bits cleared):
            /// stored with these, the rows read back in the order they were
            /// given when sorted by id, and they sit side by side in the
            /// database's index, so storing a response writes one index page
            /// for its rows instead of one per row. The start is random, so
            /// they carry no time and no arrival order.
            pub fn many_in_order(n: usize) -> Vec<Self> {
                if n > 1 << 16 {
                    let mut ids: Vec<Self> = (0..n).map(|_| Self::new()).collect();
                    ids.sort_unstable();
                    return ids;
                }
                let start = Uuid::new_v4().as_u128() & !0xFFFF;
                (0..n as u128).map(|i| Self(Uuid::from_u128(start + i))).collect()
            }
        }
    };
}

staff_id!(
    /// A municipality (kommun), the tenant every other row belongs to.
    MunicipalityId
);
staff_id!(
    /// An area (kommundel, område).
    AreaId
);
staff_id!(
    /// A survey (trygghetsmätning), one round.
    SurveyId
);
resident_id!(
    /// One respondent's response.
    ResponseId
);
resident_id!(
    /// One answer row of a response: a question's answer, or one chosen option.
    AnswerId
);
resident_id!(
    /// One pinned unsafe place.
    PinId
);
resident_id!(
    /// One place a respondent described in words.
    DescribedPlaceId
);
staff_id!(
    /// A focus area (fokusområde) chosen by kommun and polis.
    FocusAreaId
);
staff_id!(
    /// A medborgarlöfte (citizen promise).
    PromiseId
);
staff_id!(
    /// One countable activity of a promise.
    ActivityId
);
staff_id!(
    /// One progress entry of an activity.
    ProgressId
);
staff_id!(
    /// An åtgärdsplan (action plan) of a samverkansöverenskommelse.
    ActionPlanId
);
staff_id!(
    /// A trygghetsvandring (safety walk).
    WalkId
);
staff_id!(
    /// One finding of a safety walk, an action item.
    FindingId
);
staff_id!(
    /// A staff member's account (kommun or polis).
    StaffUserId
);
staff_id!(
    /// A partner organisation of the EST work.
    OrganisationId
);
staff_id!(
    /// One händelse reported by an EST rapportör.
    EventReportId
);

#[cfg(test)]
#[expect(clippy::indexing_slicing, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_are_random_and_staff_ids_are_time_ordered() {
        assert_eq!(ResponseId::new().as_uuid().get_version_num(), 4);
        assert_eq!(AnswerId::new().as_uuid().get_version_num(), 4);
        assert_eq!(PinId::new().as_uuid().get_version_num(), 4);
        assert_eq!(DescribedPlaceId::default().as_uuid().get_version_num(), 4);
        assert_eq!(SurveyId::new().as_uuid().get_version_num(), 7);
        assert_eq!(PromiseId::new().as_uuid().get_version_num(), 7);
    }

    #[test]
    fn ids_for_the_rows_of_one_response_come_in_ascending_order() {
        let ids = PinId::many_in_order(50);
        assert_eq!(ids.len(), 50);
        assert!(ids.is_sorted(), "{ids:?}");
        assert!(ids.iter().all(|id| id.as_uuid().get_version_num() == 4));
        assert!(
            ids.iter()
                .all(|id| id.as_uuid().get_variant() == uuid::Variant::RFC4122)
        );
        // Side by side, from a random start: two responses' rows never interleave.
        let other = PinId::many_in_order(50);
        assert_ne!(ids[0], other[0]);
        let last = ids[49].as_uuid().as_u128();
        assert_eq!(last - ids[0].as_uuid().as_u128(), 49);
    }
}
