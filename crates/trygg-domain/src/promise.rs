//! Focus areas, medborgarlöften (citizen promises) with countable activities,
//! progress entries and the derived status, and the åtgärdsplan (action plan)
//! of a samverkansöverenskommelse.
//!
//! The shape follows the Swedish texts: kommun and polis choose a few focus
//! areas from the lägesbild, promise countable activities ("minst åtta
//! gemensamma insatser") with an owner and a due date, record progress during
//! the year, and follow the agreement up in chefssamråd and a mid-term review.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::ErrorCode;
use crate::{
    ActionPlanId, ActivityId, DomainError, FocusAreaId, Key, LocalizedText, MunicipalityId,
    ProgressId, PromiseId, Slug, join_path, parse_label, parse_long_text,
};

time::serde::format_description!(pub(crate) iso_date, Date, "[year]-[month]-[day]");

/// Longest rationale, expected effect or review text.
pub const MAX_LONG_TEXT: usize = 4_000;
/// Longest public progress text: a short update, like a post.
pub const MAX_PROGRESS_TEXT: usize = 280;
/// Largest countable target of one activity.
pub const MAX_TARGET: u32 = 100_000;

/// A period of whole days, both ends included: it never ends before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    #[serde(with = "iso_date")]
    starts_on: Date,
    #[serde(with = "iso_date")]
    ends_on: Date,
}

impl Period {
    /// A period that ends on or after the day it starts; `field` names the end.
    pub fn parse(starts_on: Date, ends_on: Date, field: &str) -> Result<Self, DomainError> {
        if ends_on < starts_on {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                field,
                "must be on or after the start date",
            ));
        }
        Ok(Self { starts_on, ends_on })
    }

    /// The first day.
    pub const fn starts_on(&self) -> Date {
        self.starts_on
    }

    /// The last day.
    pub const fn ends_on(&self) -> Date {
        self.ends_on
    }

    /// Whether `day` lies within the period.
    pub fn contains(&self, day: Date) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }

    /// The mid-term day, when the samverkansöverenskommelse says the whole agreement
    /// is followed up ("efter halva tiden"): the start plus half the days, rounded down.
    pub fn midpoint(&self) -> Date {
        let half = (self.ends_on - self.starts_on) / 2;
        self.starts_on + half
    }

    /// The last day of each calendar quarter that ends within the period, and the
    /// period's own last day if a quarter is still running then: the default dates
    /// of the kvartalsvisa avstämningar.
    pub fn quarterly_checks(&self) -> Vec<Date> {
        let mut out = Vec::new();
        let mut year = self.starts_on.year();
        let mut quarter_end_month = quarter_end(self.starts_on.month());
        while let Some(end) = last_day_of(year, quarter_end_month) {
            if end > self.ends_on {
                if out.last() != Some(&self.ends_on) {
                    out.push(self.ends_on);
                }
                break;
            }
            out.push(end);
            (year, quarter_end_month) = match quarter_end_month {
                Month::December => (year + 1, Month::March),
                m => (year, m.nth_next(3)),
            };
        }
        out
    }
}

fn quarter_end(month: Month) -> Month {
    match month as u8 {
        1..=3 => Month::March,
        4..=6 => Month::June,
        7..=9 => Month::September,
        _ => Month::December,
    }
}

fn last_day_of(year: i32, month: Month) -> Option<Date> {
    Date::from_calendar_date(year, month, month.length(year)).ok()
}

/// What a focus area is about: a place, a problem or a group of people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FocusKind {
    /// A place, such as "Bro centrum kvällstid".
    Place,
    /// A problem, such as "narkotika".
    Problem,
    /// A group, such as "unga".
    Group,
}

impl FocusKind {
    /// The stored key.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Place => "place",
            Self::Problem => "problem",
            Self::Group => "group",
        }
    }

    /// Parses a stored key.
    pub fn parse(raw: &str, field: &str) -> Result<Self, DomainError> {
        match raw {
            "place" => Ok(Self::Place),
            "problem" => Ok(Self::Problem),
            "group" => Ok(Self::Group),
            _ => Err(DomainError::new(
                ErrorCode::UnknownOption,
                field,
                format!("`{raw}` is not a kind of focus area: use place, problem or group"),
            )),
        }
    }
}

/// A focus area as it arrives, before checking.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusAreaInput {
    /// Name, e.g. "Bro centrum".
    pub name: String,
    /// Place, problem or group.
    pub kind: FocusKind,
    /// The area (kommundel) code a place lies in; it links the focus area to the survey's breakdowns.
    #[serde(default)]
    pub area_code: Option<String>,
    /// First day.
    #[serde(with = "iso_date")]
    pub starts_on: Date,
    /// Last day.
    #[serde(with = "iso_date")]
    pub ends_on: Date,
    /// Why it was chosen, with reference to the evidence.
    pub rationale: String,
}

/// What kommun and polis decided to work on for a period (fokusområde).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FocusArea {
    /// Stable identifier.
    pub id: FocusAreaId,
    /// The municipality.
    pub municipality_id: MunicipalityId,
    /// Name shown to people.
    pub name: String,
    /// Place, problem or group.
    pub kind: FocusKind,
    /// The area code, when the focus area is a place within one district.
    pub area_code: Option<Key>,
    /// When it applies.
    pub period: Period,
    /// Why it was chosen.
    pub rationale: String,
}

impl FocusArea {
    /// Parses a new focus area.
    pub fn parse(
        input: FocusAreaInput,
        municipality_id: MunicipalityId,
    ) -> Result<Self, DomainError> {
        let FocusAreaInput {
            name,
            kind,
            area_code,
            starts_on,
            ends_on,
            rationale,
        } = input;
        Ok(Self {
            id: FocusAreaId::new(),
            municipality_id,
            name: parse_label(&name, 120, "name")?,
            kind,
            area_code: optional_key(area_code, "area_code")?,
            period: Period::parse(starts_on, ends_on, "ends_on")?,
            rationale: parse_long_text(&rationale, MAX_LONG_TEXT, "rationale")?,
        })
    }
}

fn optional_key(raw: Option<String>, field: &str) -> Result<Option<Key>, DomainError> {
    match raw {
        Some(code) if !code.trim().is_empty() => Ok(Some(Key::parse(code.trim(), field)?)),
        _ => Ok(None),
    }
}

/// The survey indicator a promise is meant to move, as it arrives.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorLinkInput {
    /// The indicator key, shared by every round, e.g. `evening_unsafe`.
    pub indicator: String,
    /// The round the baseline is taken from (a survey slug).
    pub baseline_survey: String,
    /// The area whose value is watched, e.g. `bro`; the rest of the municipality is the comparison.
    pub area_code: String,
}

/// The survey indicator a promise watches: its value in `area_code` at the
/// baseline round and in later rounds, against the rest of the municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorLink {
    /// The indicator key.
    pub indicator: Key,
    /// The baseline round's survey slug.
    pub baseline_survey: Slug,
    /// The watched area.
    pub area_code: Key,
}

impl IndicatorLink {
    /// Parses a link, naming fields under `field`.
    pub fn parse(input: IndicatorLinkInput, field: &str) -> Result<Self, DomainError> {
        Ok(Self {
            indicator: Key::parse(&input.indicator, &join_path(field, "indicator"))?,
            baseline_survey: Slug::parse(
                &input.baseline_survey,
                &join_path(field, "baseline_survey"),
            )?,
            area_code: Key::parse(&input.area_code, &join_path(field, "area_code"))?,
        })
    }
}

/// A promise as it arrives, before checking. Activities are added one by one.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromiseInput {
    /// The focus area it belongs to.
    pub focus_area_id: uuid::Uuid,
    /// The promise in a sentence.
    pub title: LocalizedText,
    /// First day.
    #[serde(with = "iso_date")]
    pub starts_on: Date,
    /// Last day.
    #[serde(with = "iso_date")]
    pub ends_on: Date,
    /// Who promises: "Polisen", "Upplands-Bro kommun", a housing company.
    pub parties: Vec<String>,
    /// The expected effect in words ("Förväntad effekt").
    pub expected_effect: LocalizedText,
    /// The survey indicator to watch, if any.
    #[serde(default)]
    pub indicator: Option<IndicatorLinkInput>,
}

/// A medborgarlöfte: a public, countable commitment by kommun and polis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Promise {
    /// Stable identifier.
    pub id: PromiseId,
    /// The municipality.
    pub municipality_id: MunicipalityId,
    /// The focus area.
    pub focus_area_id: FocusAreaId,
    /// The promise in a sentence.
    pub title: LocalizedText,
    /// When it applies.
    pub period: Period,
    /// Who promises, at least one.
    pub parties: Vec<String>,
    /// The expected effect in words.
    pub expected_effect: LocalizedText,
    /// The indicator to watch.
    pub indicator: Option<IndicatorLink>,
    /// The countable activities, in the order they were added.
    pub activities: Vec<Activity>,
}

impl Promise {
    /// Parses a new promise without activities.
    pub fn parse(
        input: PromiseInput,
        municipality_id: MunicipalityId,
    ) -> Result<Self, DomainError> {
        let PromiseInput {
            focus_area_id,
            title,
            starts_on,
            ends_on,
            parties,
            expected_effect,
            indicator,
        } = input;
        if parties.is_empty() {
            return Err(DomainError::new(
                ErrorCode::Required,
                "parties",
                "a promise needs at least one party",
            ));
        }
        if parties.len() > 10 {
            return Err(DomainError::new(
                ErrorCode::TooMany,
                "parties",
                "a promise has at most 10 parties",
            ));
        }
        let parties = parties
            .iter()
            .enumerate()
            .map(|(i, p)| parse_label(p, 120, &format!("parties[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            id: PromiseId::new(),
            municipality_id,
            focus_area_id: FocusAreaId::from_uuid(focus_area_id),
            title: LocalizedText::parse(title, 300, "title")?,
            period: Period::parse(starts_on, ends_on, "ends_on")?,
            parties,
            expected_effect: LocalizedText::parse_long(
                expected_effect,
                MAX_LONG_TEXT,
                "expected_effect",
            )?,
            indicator: indicator
                .map(|i| IndicatorLink::parse(i, "indicator"))
                .transpose()?,
            activities: Vec::new(),
        })
    }

    /// The promise's status on `today`: done when every activity is done, behind
    /// when any activity is behind, otherwise on track. A promise without
    /// activities is on track, since nothing countable has been promised yet.
    pub fn status(&self, today: Date) -> Status {
        let statuses: Vec<Status> = self.activities.iter().map(|a| a.status(today)).collect();
        if statuses.contains(&Status::Behind) {
            Status::Behind
        } else if !statuses.is_empty() && statuses.iter().all(|s| *s == Status::Done) {
            Status::Done
        } else {
            Status::OnTrack
        }
    }
}

/// An activity as it arrives, before checking.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    /// What is done, e.g. "Gemensamma insatser med synlig närvaro".
    pub title: LocalizedText,
    /// Who is responsible, e.g. "Polisen".
    pub owner: String,
    /// How many, e.g. 8.
    pub target: u32,
    /// Of what, e.g. "insatser".
    pub unit: String,
    /// First day the work counts from; the promise's first day when left out.
    #[serde(default, with = "iso_date::option")]
    pub starts_on: Option<Date>,
    /// The day the target is due.
    #[serde(with = "iso_date")]
    pub due_on: Date,
}

/// One countable activity of a promise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    /// Stable identifier.
    pub id: ActivityId,
    /// The promise.
    pub promise_id: PromiseId,
    /// What is done.
    pub title: LocalizedText,
    /// Who is responsible.
    pub owner: String,
    /// The countable target, at least 1.
    pub target: u32,
    /// The unit of the target.
    pub unit: String,
    /// From when progress is expected.
    #[serde(with = "iso_date")]
    pub starts_on: Date,
    /// When the target is due.
    #[serde(with = "iso_date")]
    pub due_on: Date,
    /// Progress entries, oldest first.
    pub progress: Vec<ProgressEntry>,
}

impl Activity {
    /// Parses a new activity of `promise`; it must start and be due within the promise's period.
    pub fn parse(input: ActivityInput, promise: &Promise) -> Result<Self, DomainError> {
        let ActivityInput {
            title,
            owner,
            target,
            unit,
            starts_on,
            due_on,
        } = input;
        if target == 0 || target > MAX_TARGET {
            return Err(DomainError::new(
                ErrorCode::OutOfRange,
                "target",
                format!("must be a whole number from 1 to {MAX_TARGET}"),
            ));
        }
        let starts_on = starts_on.unwrap_or(promise.period.starts_on());
        if !promise.period.contains(starts_on) {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                "starts_on",
                "must lie within the promise's period",
            ));
        }
        if !promise.period.contains(due_on) {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                "due_on",
                "must lie within the promise's period",
            ));
        }
        let period = Period::parse(starts_on, due_on, "due_on")?;
        Ok(Self {
            id: ActivityId::new(),
            promise_id: promise.id,
            title: LocalizedText::parse(title, 300, "title")?,
            owner: parse_label(&owner, 120, "owner")?,
            target,
            unit: parse_label(&unit, 40, "unit")?,
            starts_on: period.starts_on(),
            due_on: period.ends_on(),
            progress: Vec::new(),
        })
    }

    /// The sum of all progress entries.
    pub fn achieved(&self) -> u64 {
        self.progress.iter().map(|p| u64::from(p.amount)).sum()
    }

    /// The sum of progress entries dated on or before `day`.
    pub fn achieved_by(&self, day: Date) -> u64 {
        self.progress
            .iter()
            .filter(|p| p.on <= day)
            .map(|p| u64::from(p.amount))
            .sum()
    }

    /// The status on `today` by [`status`], counting progress dated up to `today`.
    pub fn status(&self, today: Date) -> Status {
        status(
            u64::from(self.target),
            self.achieved_by(today),
            self.starts_on,
            self.due_on,
            today,
        )
    }
}

/// Where an activity stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Progress keeps pace with the time that has passed (i rätt takt).
    OnTrack,
    /// Progress lags the time that has passed, or the due date has gone by (efter plan).
    Behind,
    /// The target is reached (klart).
    Done,
}

impl Status {
    /// The stored key.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OnTrack => "on_track",
            Self::Behind => "behind",
            Self::Done => "done",
        }
    }
}

/// The derived status of an activity with countable `target`, `achieved` so far,
/// running from `starts_on` to `due_on` (both included), on the day `today`.
///
/// # Rule
/// 1. **Done** when `achieved ≥ target`, whatever the date (early is done, too).
/// 2. Otherwise **behind** when `today ≥ due_on`: on the due day itself the target
///    should already be met, because progress is recorded for work done, and a
///    promise that still misses its count on its last day is not on track.
/// 3. Otherwise **on track** when `today ≤ starts_on`: no time has elapsed, so nothing
///    is expected yet.
/// 4. Otherwise pro rata: the expected amount grows linearly from 0 on `starts_on` to
///    `target` on `due_on`, and the activity is **on track** when
///    `achieved × (due_on − starts_on) ≥ target × (today − starts_on)` in days, else **behind**.
///    The comparison is exact integer arithmetic, so "exactly on pace" is on track.
///
/// An activity that starts and is due on the same day is therefore on track
/// before that day, and done or behind from it.
pub fn status(target: u64, achieved: u64, starts_on: Date, due_on: Date, today: Date) -> Status {
    if achieved >= target {
        return Status::Done;
    }
    if today >= due_on {
        return Status::Behind;
    }
    if today <= starts_on {
        return Status::OnTrack;
    }
    // Both spans are positive here: starts_on < today < due_on.
    let elapsed = u128::from((today - starts_on).whole_days().unsigned_abs());
    let total = u128::from((due_on - starts_on).whole_days().unsigned_abs());
    if u128::from(achieved) * total >= u128::from(target) * elapsed {
        Status::OnTrack
    } else {
        Status::Behind
    }
}

/// A progress entry as it arrives.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressInput {
    /// The day the work was done.
    #[serde(with = "iso_date")]
    pub on: Date,
    /// How many units it adds (0 for an update without a count).
    pub amount: u32,
    /// A short public text: what was done.
    pub text: String,
    /// An internal note for staff only, never published.
    #[serde(default)]
    pub note: Option<String>,
}

/// One progress entry: what was done, when, and how much it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressEntry {
    /// Stable identifier.
    pub id: ProgressId,
    /// The activity.
    pub activity_id: ActivityId,
    /// The day the work was done.
    #[serde(with = "iso_date")]
    pub on: Date,
    /// Units added.
    pub amount: u32,
    /// Short public text.
    pub text: String,
    /// Internal note, never shown on public pages.
    pub note: Option<String>,
}

impl ProgressEntry {
    /// Parses a progress entry for `activity`, recorded on `today`: the work must not
    /// be dated in the future, nor before the activity starts.
    pub fn parse(
        input: ProgressInput,
        activity: &Activity,
        today: Date,
    ) -> Result<Self, DomainError> {
        let ProgressInput {
            on,
            amount,
            text,
            note,
        } = input;
        if on > today {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                "on",
                "progress cannot be dated in the future",
            ));
        }
        if on < activity.starts_on {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                "on",
                "progress cannot be dated before the activity starts",
            ));
        }
        if amount > MAX_TARGET {
            return Err(DomainError::new(
                ErrorCode::OutOfRange,
                "amount",
                format!("must be a whole number from 0 to {MAX_TARGET}"),
            ));
        }
        let note = match note {
            Some(n) if !n.trim().is_empty() => Some(parse_long_text(&n, MAX_LONG_TEXT, "note")?),
            _ => None,
        };
        Ok(Self {
            id: ProgressId::new(),
            activity_id: activity.id,
            on,
            amount,
            text: parse_long_text(&text, MAX_PROGRESS_TEXT, "text")?,
            note,
        })
    }
}

/// An åtgärdsplan as it arrives: the whole plan, replaced as one document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionPlanInput {
    /// E.g. "Åtgärdsplan 2020".
    pub title: String,
    /// The agreement's period ("Giltighetstid").
    #[serde(with = "iso_date")]
    pub starts_on: Date,
    /// Last day of the agreement.
    #[serde(with = "iso_date")]
    pub ends_on: Date,
    /// The samverkansområden with their activities.
    pub areas: Vec<CooperationAreaInput>,
    /// The kvartalsvisa avstämningar; the quarter ends within the period when left out.
    #[serde(default)]
    pub check_dates: Option<Vec<String>>,
    /// The mid-term review, once held.
    #[serde(default)]
    pub midterm_review: Option<MidtermReviewInput>,
    /// Chefssamråd and other follow-up meetings with their decisions.
    #[serde(default)]
    pub meetings: Vec<MeetingInput>,
}

/// A samverkansområde as it arrives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CooperationAreaInput {
    /// E.g. "Trygghet på offentlig plats".
    pub name: String,
    /// The insatser under it.
    #[serde(default)]
    pub activities: Vec<PlanActivity>,
}

/// One insats of an åtgärdsplan: what, who, and how it is followed up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanActivity {
    /// What is done.
    pub title: String,
    /// Who is responsible.
    pub owner: String,
    /// How it is followed up, e.g. "antal insatser per kvartal".
    #[serde(default)]
    pub follow_up: Option<String>,
    /// A promise activity this insats is published as, if any.
    #[serde(default)]
    pub activity_id: Option<uuid::Uuid>,
}

/// A samverkansområde of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CooperationArea {
    /// Name.
    pub name: String,
    /// Its insatser.
    pub activities: Vec<PlanActivity>,
}

/// The mid-term review ("halvtidsuppföljning") as it arrives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MidtermReviewInput {
    /// When it was held.
    #[serde(with = "iso_date")]
    pub held_on: Date,
    /// How well the forms of cooperation work.
    pub cooperation: String,
    /// How the insatser have been carried out.
    pub implementation: String,
    /// Their results, and whether they serve the aim of greater safety.
    pub results: String,
}

/// The mid-term review ("halvtidsuppföljning") with its three questions, each
/// answered in a checked text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MidtermReview {
    #[serde(with = "iso_date")]
    held_on: Date,
    cooperation: String,
    implementation: String,
    results: String,
}

/// A follow-up meeting as it arrives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    /// The day.
    #[serde(with = "iso_date")]
    pub held_on: Date,
    /// E.g. "Chefssamråd".
    pub kind: String,
    /// The decisions, one sentence each.
    #[serde(default)]
    pub decisions: Vec<String>,
}

/// A follow-up meeting (chefssamråd, avstämning) and what it decided, in
/// checked texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    #[serde(with = "iso_date")]
    held_on: Date,
    kind: String,
    decisions: Vec<String>,
}

/// The action plan of a samverkansöverenskommelse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionPlan {
    /// Stable identifier.
    pub id: ActionPlanId,
    /// The municipality.
    pub municipality_id: MunicipalityId,
    /// Title.
    pub title: String,
    /// The agreement's period.
    pub period: Period,
    /// Samverkansområden.
    pub areas: Vec<CooperationArea>,
    /// Quarterly check dates, in order.
    #[serde(serialize_with = "iso_dates")]
    pub check_dates: Vec<Date>,
    /// The mid-term review, once held.
    pub midterm_review: Option<MidtermReview>,
    /// Follow-up meetings, oldest first.
    pub meetings: Vec<Meeting>,
}

impl ActionPlan {
    /// Parses a whole plan.
    pub fn parse(
        input: ActionPlanInput,
        municipality_id: MunicipalityId,
    ) -> Result<Self, DomainError> {
        let ActionPlanInput {
            title,
            starts_on,
            ends_on,
            areas,
            check_dates,
            midterm_review,
            meetings,
        } = input;
        let period = Period::parse(starts_on, ends_on, "ends_on")?;
        let mut parsed_areas = Vec::with_capacity(areas.len());
        for (i, area) in areas.into_iter().enumerate() {
            let field = format!("areas[{i}]");
            let mut activities = Vec::with_capacity(area.activities.len());
            for (j, a) in area.activities.into_iter().enumerate() {
                let f = format!("{field}.activities[{j}]");
                activities.push(PlanActivity {
                    title: parse_label(&a.title, 300, &join_path(&f, "title"))?,
                    owner: parse_label(&a.owner, 120, &join_path(&f, "owner"))?,
                    follow_up: a
                        .follow_up
                        .filter(|t| !t.trim().is_empty())
                        .map(|t| parse_long_text(&t, MAX_LONG_TEXT, &join_path(&f, "follow_up")))
                        .transpose()?,
                    activity_id: a.activity_id,
                });
            }
            parsed_areas.push(CooperationArea {
                name: parse_label(&area.name, 200, &join_path(&field, "name"))?,
                activities,
            });
        }
        let check_dates = match check_dates {
            None => period.quarterly_checks(),
            Some(raw) => {
                let mut dates = Vec::with_capacity(raw.len());
                for (i, d) in raw.iter().enumerate() {
                    let field = format!("check_dates[{i}]");
                    let date = parse_date(d, &field)?;
                    if !period.contains(date) {
                        return Err(DomainError::new(
                            ErrorCode::InvalidDates,
                            field,
                            "must lie within the plan's period",
                        ));
                    }
                    dates.push(date);
                }
                dates.sort();
                dates.dedup();
                dates
            }
        };
        let midterm_review = midterm_review
            .map(|r| MidtermReview::parse(r, "midterm_review"))
            .transpose()?;
        let mut parsed_meetings = Vec::with_capacity(meetings.len());
        for (i, m) in meetings.into_iter().enumerate() {
            parsed_meetings.push(Meeting::parse(m, &format!("meetings[{i}]"))?);
        }
        parsed_meetings.sort_by_key(|m| m.held_on);
        Ok(Self {
            id: ActionPlanId::new(),
            municipality_id,
            title: parse_label(&title, 200, "title")?,
            period,
            areas: parsed_areas,
            check_dates,
            midterm_review,
            meetings: parsed_meetings,
        })
    }

    /// The first check date on or after `today`, if any is left.
    pub fn next_check(&self, today: Date) -> Option<Date> {
        self.check_dates.iter().copied().find(|d| *d >= today)
    }
}

impl MidtermReview {
    /// Checks a review's three texts, naming fields under `field`.
    pub fn parse(raw: MidtermReviewInput, field: &str) -> Result<Self, DomainError> {
        Ok(Self {
            held_on: raw.held_on,
            cooperation: parse_long_text(
                &raw.cooperation,
                MAX_LONG_TEXT,
                &join_path(field, "cooperation"),
            )?,
            implementation: parse_long_text(
                &raw.implementation,
                MAX_LONG_TEXT,
                &join_path(field, "implementation"),
            )?,
            results: parse_long_text(&raw.results, MAX_LONG_TEXT, &join_path(field, "results"))?,
        })
    }

    /// When it was held.
    pub const fn held_on(&self) -> Date {
        self.held_on
    }

    /// How well the forms of cooperation work.
    pub fn cooperation(&self) -> &str {
        &self.cooperation
    }

    /// How the insatser have been carried out.
    pub fn implementation(&self) -> &str {
        &self.implementation
    }

    /// Their results, and whether they serve the aim of greater safety.
    pub fn results(&self) -> &str {
        &self.results
    }
}

impl ActionPlan {
    /// Records a follow-up meeting, keeping the meetings in date order.
    pub fn add_meeting(&mut self, meeting: Meeting) {
        self.meetings.push(meeting);
        self.meetings.sort_by_key(|m| m.held_on);
    }

    /// Records the mid-term review; it must be held within the plan's period.
    pub fn record_review(&mut self, review: MidtermReview) -> Result<(), DomainError> {
        if !self.period.contains(review.held_on) {
            return Err(DomainError::new(
                ErrorCode::InvalidDates,
                "held_on",
                "must lie within the plan's period",
            ));
        }
        self.midterm_review = Some(review);
        Ok(())
    }
}

impl Meeting {
    /// Checks a meeting's texts, naming fields under `field`.
    pub fn parse(raw: MeetingInput, field: &str) -> Result<Self, DomainError> {
        let decisions = raw
            .decisions
            .iter()
            .enumerate()
            .map(|(i, d)| {
                parse_long_text(
                    d,
                    MAX_LONG_TEXT,
                    &join_path(field, &format!("decisions[{i}]")),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            held_on: raw.held_on,
            kind: parse_label(&raw.kind, 120, &join_path(field, "kind"))?,
            decisions,
        })
    }

    /// The day.
    pub const fn held_on(&self) -> Date {
        self.held_on
    }

    /// E.g. "Chefssamråd".
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The decisions, one sentence each.
    pub fn decisions(&self) -> &[String] {
        &self.decisions
    }
}

/// Writes dates as ISO strings, as every other date in the JSON.
fn iso_dates<S: serde::Serializer>(dates: &[Date], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(dates.iter().map(ToString::to_string))
}

/// Parses an ISO date (`2026-12-02`), naming `field` when it is not one.
pub fn parse_date(raw: &str, field: &str) -> Result<Date, DomainError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), &format).map_err(|_| {
        DomainError::new(
            ErrorCode::InvalidDate,
            field,
            format!(
                "`{}` is not a date: use YYYY-MM-DD",
                raw.chars().take(40).collect::<String>()
            ),
        )
    })
}
