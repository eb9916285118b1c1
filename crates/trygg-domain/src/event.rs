//! Händelser: what partners' rapportörer see and report every week (EST, Brå's
//! "Effektiv samordning för trygghet"): a category, when, where and what. Reporters
//! are staff acting in their role, so exact times are kept; the text is about places,
//! not people.

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Weekday};

use crate::ErrorCode;
use crate::{DomainError, Key, Location, Organisation, join_path, parse_long_text};

/// The longest description of an event.
pub const MAX_EVENT_TEXT: usize = 2_000;

/// One reported event as it arrives, from a CSV line (`trygg events import`, a
/// partner's own system) or a JSON object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// When it happened: RFC 3339 with an offset, e.g. `2026-03-14T22:40:00+01:00`.
    pub occurred_at: String,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Latitude (WGS84).
    pub lat: f64,
    /// The category's key, e.g. `skadegorelse`.
    pub category: String,
    /// The reporting organisation, e.g. `Bostadsbolaget`.
    pub organisation: String,
    /// What was seen; may be empty.
    #[serde(default)]
    pub description: String,
}

/// A valid reported event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    occurred_at: OffsetDateTime,
    location: Location,
    category: Key,
    organisation: String,
    description: Option<String>,
}

/// A time in RFC 3339 with an offset, as reports give it, at `field`.
pub(crate) fn parse_time(raw: &str, field: &str) -> Result<OffsetDateTime, DomainError> {
    OffsetDateTime::parse(raw.trim(), &Rfc3339).map_err(|_| {
        DomainError::new(
            ErrorCode::InvalidDate,
            field,
            format!(
                "`{}` is not a time in RFC 3339 with an offset, such as 2026-03-14T22:40:00+01:00",
                raw.trim()
            ),
        )
    })
}

impl Event {
    /// Parses one event, naming fields under `field` (e.g. `rows[3]`).
    pub fn parse(input: EventInput, field: &str) -> Result<Self, DomainError> {
        let at = |name: &str| join_path(field, name);
        let occurred_at = parse_time(&input.occurred_at, &at("occurred_at"))?;
        let description = input.description.trim();
        Ok(Self {
            occurred_at,
            location: Location::parse(input.lon, input.lat, &at("lon"))?,
            category: Key::parse(input.category.trim(), &at("category"))?,
            organisation: Organisation::parse_name(&input.organisation, &at("organisation"))?,
            description: (!description.is_empty())
                .then(|| parse_long_text(description, MAX_EVENT_TEXT, &at("description")))
                .transpose()?,
        })
    }

    /// When it happened, in the offset it was reported with.
    pub const fn occurred_at(&self) -> OffsetDateTime {
        self.occurred_at
    }

    /// Where it happened.
    pub const fn location(&self) -> Location {
        self.location
    }

    /// Its category.
    pub const fn category(&self) -> &Key {
        &self.category
    }

    /// The reporting organisation.
    pub fn organisation(&self) -> &str {
        &self.organisation
    }

    /// What was seen, when anything was written.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The ISO week it happened in, by the local date it was reported with.
    pub fn week(&self) -> IsoWeek {
        IsoWeek::of(self.occurred_at.date())
    }
}

/// An ISO 8601 week, e.g. `2026-W11`: the unit of the weekly EST picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    monday: Date,
}

impl IsoWeek {
    /// The week a date falls in.
    pub fn of(date: Date) -> Self {
        let back = i64::from(date.weekday().number_days_from_monday());
        Self {
            monday: date.saturating_sub(time::Duration::days(back)),
        }
    }

    /// Parses `YYYY-Www` (e.g. `2026-W09`).
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        let invalid = || {
            DomainError::new(
                ErrorCode::InvalidDate,
                field,
                format!("`{raw}` is not an ISO week such as 2026-W09"),
            )
        };
        let (year, week) = raw.trim().split_once("-W").ok_or_else(invalid)?;
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let week: u8 = week.parse().map_err(|_| invalid())?;
        let monday =
            Date::from_iso_week_date(year, week, Weekday::Monday).map_err(|_| invalid())?;
        Ok(Self { monday })
    }

    /// The week's Monday.
    pub const fn monday(self) -> Date {
        self.monday
    }

    /// The week `n` weeks earlier.
    #[must_use]
    pub fn minus(self, n: u32) -> Self {
        Self {
            monday: self
                .monday
                .saturating_sub(time::Duration::weeks(i64::from(n))),
        }
    }

    /// Whole weeks from `earlier` to this week (negative when `earlier` is later).
    pub fn weeks_since(self, earlier: Self) -> i64 {
        (self.monday - earlier.monday).whole_weeks()
    }
}

impl std::fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, week, _) = self.monday.to_iso_week_date();
        write!(f, "{year}-W{week:02}")
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    fn input(occurred_at: &str) -> EventInput {
        EventInput {
            occurred_at: occurred_at.to_owned(),
            lon: 17.6335,
            lat: 59.512,
            category: "klotter".to_owned(),
            organisation: "Bostadsbolaget".to_owned(),
            description: "  ".to_owned(),
        }
    }

    #[test]
    fn an_event_keeps_its_exact_time_and_falls_in_its_local_iso_week() {
        // Monday 00:30 in Sweden is week 12, though it is still Sunday in UTC.
        let event = Event::parse(input("2026-03-16T00:30:00+01:00"), "").unwrap();
        assert_eq!(event.week().to_string(), "2026-W12");
        assert_eq!(event.occurred_at().minute(), 30);
        assert_eq!(event.description(), None);
    }

    #[test]
    fn a_time_without_an_offset_is_refused_by_its_field() {
        let error = Event::parse(input("2026-03-15 23:30"), "rows[2]").unwrap_err();
        assert_eq!(error.field, "rows[2].occurred_at");
        assert_eq!(error.code, ErrorCode::InvalidDate);
    }

    #[test]
    fn iso_weeks_parse_print_and_count_across_a_new_year() {
        let week = IsoWeek::parse("2027-W01", "week").unwrap();
        assert_eq!(week.monday().to_string(), "2027-01-04");
        assert_eq!(week.minus(1).to_string(), "2026-W53");
        assert_eq!(
            week.weeks_since(IsoWeek::parse("2026-W01", "").unwrap()),
            53
        );
        assert!(IsoWeek::parse("2026-W54", "week").is_err());
        assert!(IsoWeek::parse("2026-11", "week").is_err());
    }
}
