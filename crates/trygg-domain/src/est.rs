//! EST (Brå's "Effektiv samordning för trygghet"): the partner organisations
//! whose rapportörer report händelser every week, and the reports as the EST
//! coordinator reviews them. Rapportörer are staff acting in their role, so a
//! report keeps its exact time; its text is about places, not people.

use serde::Deserialize;
use time::OffsetDateTime;

use crate::ErrorCode;
use crate::event::parse_time;
use crate::{
    ActivityId, DomainError, EventReportId, Key, Location, OrganisationId, StaffUserId, join_path,
    parse_label, parse_long_text,
};

/// The categories a municipality starts with: what EST rapportörer report.
pub const EVENT_CATEGORIES: [&str; 11] = [
    "skadegorelse",
    "klotter",
    "brand",
    "nedskrapning",
    "buskorning",
    "narkotika",
    "vald_och_hot",
    "ordningsstorning",
    "otrygg_plats",
    "incident_mot_personal",
    "arrangemang",
];

/// The most people a report may say were involved.
pub const MAX_PEOPLE: u32 = 10_000;

/// The longest name of an organisation.
const MAX_ORGANISATION_NAME: usize = 120;

/// The longest place described in words.
const MAX_PLACE_TEXT: usize = 200;

/// A partner organisation as it arrives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    /// E.g. `Bostadsbolaget` or `Fältassistenterna`.
    pub name: String,
}

/// A partner organisation of the municipality's EST work (a bostadsbolag, a
/// bevakningsföretag, the fältassistenter, a school …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    id: OrganisationId,
    name: String,
}

impl Organisation {
    /// Parses a new organisation.
    pub fn parse(input: &OrganisationInput) -> Result<Self, DomainError> {
        Ok(Self::stored(
            OrganisationId::new(),
            Self::parse_name(&input.name, "name")?,
        ))
    }

    /// An organisation's name as a report or an import file gives it, at `field`.
    pub fn parse_name(raw: &str, field: &str) -> Result<String, DomainError> {
        parse_label(raw, MAX_ORGANISATION_NAME, field)
    }

    /// An organisation as it was stored.
    pub const fn stored(id: OrganisationId, name: String) -> Self {
        Self { id, name }
    }

    /// Its id.
    pub const fn id(&self) -> OrganisationId {
        self.id
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// One report as a rapportör sends it (or corrects it), from the form or a
/// partner's own system.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventReportInput {
    /// One of the municipality's categories, e.g. `klotter`.
    pub category: String,
    /// When it happened (or began): RFC 3339 with an offset.
    pub occurred_at: String,
    /// When it ended, for a span of time.
    #[serde(default)]
    pub occurred_until: Option<String>,
    /// Where, on the map or by the phone's position: longitude (WGS84).
    #[serde(default)]
    pub lon: Option<f64>,
    /// Latitude (WGS84), with `lon`.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Where, in words: a named place or an address of a building.
    #[serde(default)]
    pub place: Option<String>,
    /// What was seen.
    #[serde(default)]
    pub description: Option<String>,
    /// How many people were involved, when known.
    #[serde(default)]
    pub people: Option<u32>,
    /// Whether the police were called.
    #[serde(default)]
    pub police_called: bool,
}

/// What a report says: a valid [`EventReportInput`].
#[derive(Debug, Clone, PartialEq)]
pub struct EventDetails {
    category: Key,
    occurred_at: OffsetDateTime,
    occurred_until: Option<OffsetDateTime>,
    location: Option<Location>,
    place: Option<String>,
    description: Option<String>,
    people: Option<u32>,
    police_called: bool,
}

fn optional_text(
    raw: Option<&str>,
    max: usize,
    field: &str,
) -> Result<Option<String>, DomainError> {
    raw.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| parse_long_text(t, max, field))
        .transpose()
}

impl EventDetails {
    /// Parses a report, naming fields under `field`; `now` bounds when it can
    /// have happened (a day ahead at the most, for clocks that are off).
    pub fn parse(
        input: &EventReportInput,
        now: OffsetDateTime,
        field: &str,
    ) -> Result<Self, DomainError> {
        let at = |name: &str| join_path(field, name);
        let category = input.category.trim();
        if !EVENT_CATEGORIES.contains(&category) {
            return Err(DomainError::new(
                ErrorCode::Invalid,
                at("category"),
                format!(
                    "`{category}` is not a category; use one of {}",
                    EVENT_CATEGORIES.join(", ")
                ),
            ));
        }
        let occurred_at = parse_time(&input.occurred_at, &at("occurred_at"))?;
        if occurred_at > now + time::Duration::days(1) {
            return Err(DomainError::new(
                ErrorCode::OutOfRange,
                at("occurred_at"),
                "an event cannot have happened more than a day from now",
            ));
        }
        let occurred_until = input
            .occurred_until
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| parse_time(t, &at("occurred_until")))
            .transpose()?;
        if occurred_until.is_some_and(|until| until < occurred_at) {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                at("occurred_until"),
                "the end of the span is before its start",
            ));
        }
        let location = match (input.lon, input.lat) {
            (Some(lon), Some(lat)) => Some(Location::parse(lon, lat, &at("lon"))?),
            (None, None) => None,
            (None, Some(_)) | (Some(_), None) => {
                return Err(DomainError::new(
                    ErrorCode::Required,
                    at(if input.lon.is_none() { "lon" } else { "lat" }),
                    "a position needs both lon and lat",
                ));
            }
        };
        let place = optional_text(input.place.as_deref(), MAX_PLACE_TEXT, &at("place"))?;
        if location.is_none() && place.is_none() {
            return Err(DomainError::new(
                ErrorCode::Required,
                at("place"),
                "say where it happened: a point on the map, your position, or the place in words",
            ));
        }
        if input.people.is_some_and(|n| n > MAX_PEOPLE) {
            return Err(DomainError::new(
                ErrorCode::OutOfRange,
                at("people"),
                format!("at most {MAX_PEOPLE} people"),
            ));
        }
        Ok(Self {
            category: Key::parse(category, &at("category"))?,
            occurred_at,
            occurred_until,
            location,
            place,
            description: optional_text(
                input.description.as_deref(),
                crate::MAX_EVENT_TEXT,
                &at("description"),
            )?,
            people: input.people,
            police_called: input.police_called,
        })
    }

    /// Its category.
    pub const fn category(&self) -> &Key {
        &self.category
    }

    /// When it happened (or began).
    pub const fn occurred_at(&self) -> OffsetDateTime {
        self.occurred_at
    }

    /// When it ended, for a span.
    pub const fn occurred_until(&self) -> Option<OffsetDateTime> {
        self.occurred_until
    }

    /// Where, as a point.
    pub const fn location(&self) -> Option<Location> {
        self.location
    }

    /// Where, in words.
    pub fn place(&self) -> Option<&str> {
        self.place.as_deref()
    }

    /// What was seen.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// How many people were involved.
    pub const fn people(&self) -> Option<u32> {
        self.people
    }

    /// Whether the police were called.
    pub const fn police_called(&self) -> bool {
        self.police_called
    }
}

/// Where a report is in the coordinator's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    /// Not yet read by the coordinator.
    New,
    /// Read, and corrected where needed.
    Reviewed,
    /// The same event as another report, which it was merged into.
    Merged(EventReportId),
}

impl ReportStatus {
    /// The snake_case name stored and sent.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Reviewed => "reviewed",
            Self::Merged(_) => "merged",
        }
    }

    /// The status stored as `status` with `merged_into`; `None` for anything else.
    pub fn stored(status: &str, merged_into: Option<EventReportId>) -> Option<Self> {
        match (status, merged_into) {
            ("new", None) => Some(Self::New),
            ("reviewed", None) => Some(Self::Reviewed),
            ("merged", Some(into)) => Some(Self::Merged(into)),
            _ => None,
        }
    }
}

/// A stored report: who reported it for which organisation, what it says and
/// where it is in the review.
#[derive(Debug, Clone, PartialEq)]
pub struct EventReport {
    id: EventReportId,
    organisation: OrganisationId,
    reported_by: Option<StaffUserId>,
    details: EventDetails,
    status: ReportStatus,
    activity: Option<ActivityId>,
}

impl EventReport {
    /// A new report by `reported_by` for `organisation`.
    pub fn new(
        organisation: OrganisationId,
        reported_by: StaffUserId,
        details: EventDetails,
    ) -> Self {
        Self::stored(
            EventReportId::new(),
            organisation,
            Some(reported_by),
            details,
            ReportStatus::New,
        )
    }

    /// A report imported for `organisation` from a partner's own system, by no
    /// account.
    pub fn imported(organisation: OrganisationId, details: EventDetails) -> Self {
        Self::stored(
            EventReportId::new(),
            organisation,
            None,
            details,
            ReportStatus::New,
        )
    }

    /// A report as it was stored (the account that reported it may be gone).
    pub const fn stored(
        id: EventReportId,
        organisation: OrganisationId,
        reported_by: Option<StaffUserId>,
        details: EventDetails,
        status: ReportStatus,
    ) -> Self {
        Self {
            id,
            organisation,
            reported_by,
            details,
            status,
            activity: None,
        }
    }

    /// The report as stored with the activity it was turned into.
    #[must_use]
    pub fn with_stored_activity(self, activity: Option<ActivityId>) -> Self {
        Self { activity, ..self }
    }

    /// The activity the coordinator turned it into.
    pub const fn activity(&self) -> Option<ActivityId> {
        self.activity
    }

    /// The report turned into `activity` (and so read by the coordinator).
    ///
    /// # Errors
    /// A merged report is acted on through the report it was merged into; a
    /// report becomes one activity at the most.
    pub fn turned_into(self, activity: ActivityId) -> Result<Self, DomainError> {
        self.open("status")?;
        if let Some(earlier) = self.activity {
            return Err(DomainError::new(
                ErrorCode::Duplicate,
                "activity",
                format!("the report {} is already the activity {earlier}", self.id),
            ));
        }
        Ok(Self {
            status: ReportStatus::Reviewed,
            activity: Some(activity),
            ..self
        })
    }

    /// Its id.
    pub const fn id(&self) -> EventReportId {
        self.id
    }

    /// The organisation it was reported for.
    pub const fn organisation(&self) -> OrganisationId {
        self.organisation
    }

    /// The account that reported it, while that account exists.
    pub const fn reported_by(&self) -> Option<StaffUserId> {
        self.reported_by
    }

    /// What it says.
    pub const fn details(&self) -> &EventDetails {
        &self.details
    }

    /// Where it is in the review.
    pub const fn status(&self) -> ReportStatus {
        self.status
    }

    /// The report with `details` instead, as corrected by a rapportör or the
    /// coordinator.
    #[must_use]
    pub fn corrected(self, details: EventDetails) -> Self {
        Self { details, ..self }
    }

    /// The report as read by the coordinator.
    ///
    /// # Errors
    /// A merged report stays merged.
    pub fn reviewed(self) -> Result<Self, DomainError> {
        self.open("status")?;
        Ok(Self {
            status: ReportStatus::Reviewed,
            ..self
        })
    }

    /// The report merged into `into`, the report of the same event that is kept.
    ///
    /// # Errors
    /// A report cannot be merged into itself, into a merged report, or twice.
    pub fn merged_into(self, into: &Self) -> Result<Self, DomainError> {
        self.open("status")?;
        if into.id == self.id {
            return Err(DomainError::new(
                ErrorCode::Invalid,
                "into",
                "a report cannot be merged into itself",
            ));
        }
        into.open("into")?;
        Ok(Self {
            status: ReportStatus::Merged(into.id),
            ..self
        })
    }

    fn open(&self, field: &str) -> Result<(), DomainError> {
        match self.status {
            ReportStatus::Merged(into) => Err(DomainError::new(
                ErrorCode::InvalidStatus,
                field,
                format!("the report {} was merged into {into}", self.id),
            )),
            ReportStatus::New | ReportStatus::Reviewed => Ok(()),
        }
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use time::format_description::well_known::Rfc3339;

    use super::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::parse("2026-12-06T12:00:00+01:00", &Rfc3339).unwrap()
    }

    fn input() -> EventReportInput {
        EventReportInput {
            category: "klotter".to_owned(),
            occurred_at: "2026-12-05T22:40:00+01:00".to_owned(),
            lon: Some(17.6335),
            lat: Some(59.512),
            ..EventReportInput::default()
        }
    }

    fn report() -> EventReport {
        let details = EventDetails::parse(&input(), now(), "").unwrap();
        EventReport::new(OrganisationId::new(), StaffUserId::new(), details)
    }

    #[test]
    fn a_report_keeps_its_exact_time_and_needs_a_place_on_the_map_or_in_words() {
        let details = EventDetails::parse(&input(), now(), "").unwrap();
        assert_eq!(details.occurred_at().minute(), 40);
        let in_words = EventReportInput {
            lon: None,
            lat: None,
            place: Some("Gångtunneln vid Bro centrum".to_owned()),
            ..input()
        };
        let details = EventDetails::parse(&in_words, now(), "").unwrap();
        assert_eq!(details.place(), Some("Gångtunneln vid Bro centrum"));
        let nowhere = EventReportInput {
            lon: None,
            lat: None,
            ..input()
        };
        let error = EventDetails::parse(&nowhere, now(), "").unwrap_err();
        assert_eq!(
            (error.code, error.field.as_str()),
            (ErrorCode::Required, "place")
        );
    }

    #[test]
    fn broken_reports_are_refused_by_the_field_at_fault() {
        let cases: [(&str, EventReportInput, &str); 5] = [
            (
                "an unknown category",
                EventReportInput {
                    category: "ufo".to_owned(),
                    ..input()
                },
                "category",
            ),
            (
                "a time without offset",
                EventReportInput {
                    occurred_at: "2026-12-05 22:40".to_owned(),
                    ..input()
                },
                "occurred_at",
            ),
            (
                "a week ahead",
                EventReportInput {
                    occurred_at: "2026-12-13T22:40:00+01:00".to_owned(),
                    ..input()
                },
                "occurred_at",
            ),
            (
                "an end before the start",
                EventReportInput {
                    occurred_until: Some("2026-12-05T21:00:00+01:00".to_owned()),
                    ..input()
                },
                "occurred_until",
            ),
            (
                "a longitude alone",
                EventReportInput {
                    lat: None,
                    ..input()
                },
                "lat",
            ),
        ];
        for (what, case, field) in cases {
            let error = EventDetails::parse(&case, now(), "").unwrap_err();
            assert_eq!(error.field, field, "{what}");
        }
    }

    #[test]
    fn a_report_merges_once_into_another_open_report_and_never_into_itself() {
        let kept = report();
        let same = report();
        let merged = same.clone().merged_into(&kept).unwrap();
        assert_eq!(merged.status(), ReportStatus::Merged(kept.id()));
        assert_eq!(
            merged.clone().merged_into(&kept).unwrap_err().code,
            ErrorCode::InvalidStatus
        );
        assert_eq!(
            merged.clone().reviewed().unwrap_err().code,
            ErrorCode::InvalidStatus
        );
        assert_eq!(kept.clone().merged_into(&merged).unwrap_err().field, "into");
        assert_eq!(kept.clone().merged_into(&kept).unwrap_err().field, "into");
        assert_eq!(kept.reviewed().unwrap().status(), ReportStatus::Reviewed);
    }

    #[test]
    fn a_report_becomes_one_activity_and_a_merged_report_none() {
        let activity = ActivityId::new();
        let acted = report().turned_into(activity).unwrap();
        assert_eq!(
            (acted.activity(), acted.status()),
            (Some(activity), ReportStatus::Reviewed)
        );
        let again = acted.clone().turned_into(ActivityId::new()).unwrap_err();
        assert_eq!(
            (again.code, again.field.as_str()),
            (ErrorCode::Duplicate, "activity")
        );
        let merged = report().merged_into(&acted).unwrap();
        assert_eq!(
            merged.turned_into(activity).unwrap_err().code,
            ErrorCode::InvalidStatus
        );
    }

    #[test]
    fn statuses_are_stored_as_text_and_read_back() {
        let into = EventReportId::new();
        for status in [
            ReportStatus::New,
            ReportStatus::Reviewed,
            ReportStatus::Merged(into),
        ] {
            let merged_into = match status {
                ReportStatus::Merged(i) => Some(i),
                _ => None,
            };
            assert_eq!(
                ReportStatus::stored(status.as_str(), merged_into),
                Some(status)
            );
        }
        assert_eq!(ReportStatus::stored("merged", None), None);
    }
}
