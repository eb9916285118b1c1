//! Trygghetsvandringar (safety walks) and their findings, which become action
//! items with a responsible party, a status and a due date.
//!
//! The process follows Brå's guide and municipal practice: plan a route, walk
//! it with kommun, polis, property owners and residents, write a protocol with
//! an action list, give each item to whoever is responsible, and keep the list
//! up to date until every item is fixed or declined with a reason.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ErrorCode;
use crate::promise::iso_date;
use crate::{
    DomainError, FindingId, Key, Location, MunicipalityId, RawLocation, WalkId, join_path,
    parse_label, parse_long_text,
};

/// Longest finding note or reason.
pub const MAX_NOTE_CHARS: usize = 1_000;
/// Most points of a drawn route, and most stops of a listed one.
pub const MAX_ROUTE_POINTS: usize = 500;

/// What a finding is about, from the usual walk checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingCategory {
    /// Belysning: broken or weak lighting, dark corners.
    Lighting,
    /// Buskage: overgrown bushes that block the view.
    Vegetation,
    /// Klotter.
    Graffiti,
    /// Skadegörelse: vandalism.
    Vandalism,
    /// Nedskräpning: litter.
    Litter,
    /// Anything else (skymd sikt, trafik, snöröjning …), described in the note.
    Other,
}

impl FindingCategory {
    /// Every category, in checklist order.
    pub const ALL: [Self; 6] = [
        Self::Lighting,
        Self::Vegetation,
        Self::Graffiti,
        Self::Vandalism,
        Self::Litter,
        Self::Other,
    ];

    /// The stored key.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Lighting => "lighting",
            Self::Vegetation => "vegetation",
            Self::Graffiti => "graffiti",
            Self::Vandalism => "vandalism",
            Self::Litter => "litter",
            Self::Other => "other",
        }
    }

    /// The Swedish name used on walk protocols.
    pub const fn swedish(self) -> &'static str {
        match self {
            Self::Lighting => "belysning",
            Self::Vegetation => "buskage",
            Self::Graffiti => "klotter",
            Self::Vandalism => "skadegörelse",
            Self::Litter => "nedskräpning",
            Self::Other => "övrigt",
        }
    }

    /// Parses a stored key or its Swedish name.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        let lower = raw.trim().to_lowercase();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == lower || c.swedish() == lower)
            .ok_or_else(|| {
                DomainError::new(
                    ErrorCode::UnknownOption,
                    field,
                    format!(
                        "`{}` is not a finding category: use lighting, vegetation, graffiti, vandalism, litter or other",
                        raw.chars().take(40).collect::<String>()
                    ),
                )
            })
    }
}

/// Where an action item stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FindingStatus {
    /// Noted on the walk, handed to the responsible party (rapporterad).
    Reported,
    /// The responsible party has planned the work (planerad).
    Planned,
    /// Done (åtgärdad), on this day.
    Fixed {
        /// The day it was fixed.
        #[serde(with = "iso_date")]
        fixed_on: Date,
    },
    /// Declined, with the reason published beside it (åtgärdas inte).
    WontFix {
        /// Why not.
        reason: String,
    },
}

impl FindingStatus {
    /// The stored key.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::Planned => "planned",
            Self::Fixed { .. } => "fixed",
            Self::WontFix { .. } => "wont_fix",
        }
    }

    /// Whether the item is closed, fixed or declined.
    pub const fn is_closed(&self) -> bool {
        matches!(self, Self::Fixed { .. } | Self::WontFix { .. })
    }
}

/// A status change as it arrives.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `reported`, `planned`, `fixed` or `wont_fix`.
    pub status: String,
    /// The day it was fixed; today when left out.
    #[serde(default, with = "iso_date::option")]
    pub fixed_on: Option<Date>,
    /// Why it will not be fixed; required for `wont_fix`.
    #[serde(default)]
    pub reason: Option<String>,
    /// A new due date, if it moves.
    #[serde(default, with = "iso_date::option")]
    pub due_on: Option<Date>,
}

impl FindingStatus {
    /// Parses a status change made on `today`.
    pub fn parse(input: &StatusInput, today: Date) -> Result<Self, DomainError> {
        match input.status.as_str() {
            "reported" => Ok(Self::Reported),
            "planned" => Ok(Self::Planned),
            "fixed" => {
                let fixed_on = input.fixed_on.unwrap_or(today);
                if fixed_on > today {
                    return Err(DomainError::new(
                        ErrorCode::InvalidDates,
                        "fixed_on",
                        "cannot be in the future",
                    ));
                }
                Ok(Self::Fixed { fixed_on })
            }
            "wont_fix" => {
                let reason = input.reason.as_deref().unwrap_or_default();
                if reason.trim().is_empty() {
                    return Err(DomainError::new(
                        ErrorCode::Required,
                        "reason",
                        "say why the finding will not be fixed",
                    ));
                }
                Ok(Self::WontFix {
                    reason: parse_long_text(reason, MAX_NOTE_CHARS, "reason")?,
                })
            }
            other => Err(DomainError::new(
                ErrorCode::UnknownOption,
                "status",
                format!(
                    "`{}` is not a status: use reported, planned, fixed or wont_fix",
                    other.chars().take(40).collect::<String>()
                ),
            )),
        }
    }
}

/// A walk as it arrives, before checking.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkInput {
    /// E.g. "Trygghetsvandring Bro centrum".
    pub title: String,
    /// The area (kommundel) code.
    pub area_code: String,
    /// The day of the walk.
    #[serde(with = "iso_date")]
    pub walked_on: Date,
    /// The route drawn on a map, as points in order.
    #[serde(default)]
    pub route: Vec<RawLocation>,
    /// The route as a list of stops, for those who plan in words.
    #[serde(default)]
    pub stops: Vec<String>,
    /// Who walks: organisations, never named persons.
    #[serde(default)]
    pub participants: Vec<String>,
}

/// A planned or completed trygghetsvandring.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetyWalk {
    /// Stable identifier.
    pub id: WalkId,
    /// The municipality.
    pub municipality_id: MunicipalityId,
    /// Title.
    pub title: String,
    /// The area walked.
    pub area_code: Key,
    /// The day.
    #[serde(with = "iso_date")]
    pub walked_on: Date,
    /// The drawn route.
    pub route: Vec<Location>,
    /// The listed stops.
    pub stops: Vec<String>,
    /// The organisations taking part.
    pub participants: Vec<String>,
}

impl SafetyWalk {
    /// Parses a new walk.
    pub fn parse(input: WalkInput, municipality_id: MunicipalityId) -> Result<Self, DomainError> {
        let WalkInput {
            title,
            area_code,
            walked_on,
            route,
            stops,
            participants,
        } = input;
        if route.len() > MAX_ROUTE_POINTS || stops.len() > MAX_ROUTE_POINTS {
            return Err(DomainError::new(
                ErrorCode::TooMany,
                if route.len() > MAX_ROUTE_POINTS {
                    "route"
                } else {
                    "stops"
                },
                format!("a route has at most {MAX_ROUTE_POINTS} points"),
            ));
        }
        let route = route
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.parse(&format!("route[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let stops = labels(&stops, 200, "stops")?;
        let participants = labels(&participants, 120, "participants")?;
        Ok(Self {
            id: WalkId::new(),
            municipality_id,
            title: parse_label(&title, 200, "title")?,
            area_code: Key::parse(area_code.trim(), "area_code")?,
            walked_on,
            route,
            stops,
            participants,
        })
    }
}

fn labels(raw: &[String], max: usize, field: &str) -> Result<Vec<String>, DomainError> {
    raw.iter()
        .enumerate()
        .map(|(i, s)| parse_label(s, max, &format!("{field}[{i}]")))
        .collect()
}

/// A finding as it arrives, recorded on a phone during the walk.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingInput {
    /// Where.
    pub location: RawLocation,
    /// What kind of problem.
    pub category: String,
    /// What was seen.
    pub note: String,
    /// Who should act: a förvaltning, a housing company, a private owner, polis.
    pub responsible: String,
    /// When it should be dealt with.
    #[serde(default, with = "iso_date::option")]
    pub due_on: Option<Date>,
}

/// One finding of a walk: an action item until fixed or declined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable identifier.
    pub id: FindingId,
    /// The walk it was found on.
    pub walk_id: WalkId,
    /// Where.
    pub location: Location,
    /// Category.
    pub category: FindingCategory,
    /// What was seen.
    pub note: String,
    /// Who should act.
    pub responsible: String,
    /// Where it stands.
    #[serde(flatten)]
    pub status: FindingStatus,
    /// When it should be dealt with.
    #[serde(with = "iso_date::option")]
    pub due_on: Option<Date>,
}

/// How long an action item may take when no due date is given: six months, the
/// target some municipalities set for walk findings.
pub const DEFAULT_DUE_DAYS: i64 = 182;

impl Finding {
    /// Parses a new finding of `walk`; it starts as reported, due six months after the
    /// walk unless a due date is given.
    pub fn parse(input: FindingInput, walk: &SafetyWalk) -> Result<Self, DomainError> {
        let FindingInput {
            location,
            category,
            note,
            responsible,
            due_on,
        } = input;
        let due_on = due_on.unwrap_or(walk.walked_on + time::Duration::days(DEFAULT_DUE_DAYS));
        if due_on < walk.walked_on {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                "due_on",
                "cannot be before the walk",
            ));
        }
        Ok(Self {
            id: FindingId::new(),
            walk_id: walk.id,
            location: location.parse("location")?,
            category: FindingCategory::parse(&category, "category")?,
            note: parse_long_text(&note, MAX_NOTE_CHARS, "note")?,
            responsible: parse_label(&responsible, 120, "responsible")?,
            status: FindingStatus::Reported,
            due_on: Some(due_on),
        })
    }

    /// Whether the item is still open after its due date.
    pub fn is_overdue(&self, today: Date) -> bool {
        !self.status.is_closed() && self.due_on.is_some_and(|due| due < today)
    }

    /// Applies a status change made on `today`; a new due date may come with it.
    pub fn update(&mut self, input: &StatusInput, today: Date) -> Result<(), DomainError> {
        let status = FindingStatus::parse(input, today)?;
        if let Some(due) = input.due_on {
            self.due_on = Some(due);
        }
        self.status = status;
        Ok(())
    }
}

/// Builds a stored finding's status from its columns.
pub fn stored_status(
    status: &str,
    fixed_on: Option<Date>,
    reason: Option<&str>,
    field: &str,
) -> Result<FindingStatus, DomainError> {
    match (status, fixed_on, reason) {
        ("reported", _, _) => Ok(FindingStatus::Reported),
        ("planned", _, _) => Ok(FindingStatus::Planned),
        ("fixed", Some(fixed_on), _) => Ok(FindingStatus::Fixed { fixed_on }),
        ("wont_fix", _, Some(reason)) => Ok(FindingStatus::WontFix {
            reason: reason.to_owned(),
        }),
        _ => Err(DomainError::new(
            ErrorCode::InvalidStatus,
            join_path(field, "status"),
            format!("`{status}` lacks its date or reason"),
        )),
    }
}
