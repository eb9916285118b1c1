//! Trygg's domain: the types and rules of a trygghetsmätning, with no I/O.
//!
//! Everything from outside (HTTP bodies, CSV rows, GeoJSON files) is parsed into
//! these types once, at the edge; a value of a domain type is valid by
//! construction. A broken rule is a [`DomainError`] naming the field path, e.g.
//! `answers.evening_safety` or `pins[2].location`.
//!
//! ```
//! use trygg_domain::{Location, Key};
//! let here = Location::parse(17.6335, 59.512, "location").unwrap();
//! assert_eq!(here.lat(), 59.512);
//! assert!(Key::parse("Evening Safety", "answers").is_err());
//! ```

mod area_file;
mod authoring;
mod codes;
mod common_passwords;
mod crime;
mod error;
mod est;
mod event;
mod focus;
mod id;
mod invitation;
mod moderation;
mod municipality;
mod place;
mod population;
mod promise;
mod response;
mod staff;
mod survey;
mod text;
mod walk;

pub use area_file::{AreaProperties, areas_from_geojson, key_from_label};
pub use authoring::{
    BankEntry, RetentionDays, SurveyStatus, Topic, area_question, check_revision, new_round,
    question_bank, to_input,
};
pub use codes::{AuditAction, ErrorCode};
pub use crime::{CrimeCount, CrimeCountInput, MAX_CRIME_COUNT, MAX_CRIME_ROWS, parse_crime_counts};
pub use error::{DomainError, InputError, join_path};
pub use est::{
    EVENT_CATEGORIES, EventDetails, EventReport, EventReportInput, MAX_PEOPLE, Organisation,
    OrganisationInput, ReportStatus,
};
pub use event::{Event, EventInput, IsoWeek, MAX_EVENT_TEXT};
pub use focus::{AreaEvidence, Ranked, Signal, rank_areas};
pub use id::{
    ActionPlanId, ActivityId, AnswerId, AreaId, DescribedPlaceId, EventReportId, FindingId,
    FocusAreaId, MunicipalityId, OrganisationId, PinId, ProgressId, PromiseId, ResponseId,
    StaffUserId, SurveyId, WalkId,
};
pub use invitation::{CODE_CHARS, InvitationCode};
pub use moderation::{
    CommentSource, Decision, DecisionInput, Flag, FlagKind, ModerationStatus, REDACTED, Segment,
    StaffTextSource, personal_data_flags, publishable_staff_text, redact_flagged, segments,
    staff_text_status,
};
pub use municipality::Municipality;
pub use place::{Area, Boundary, Location, NamedPlace, RawLocation, parse_boundary};
pub use population::{POPULATION_HEADER, PopulationFigure, parse_population_csv};
pub use promise::{
    ActionPlan, ActionPlanInput, Activity, ActivityInput, CooperationArea, CooperationAreaInput,
    FocusArea, FocusAreaInput, FocusKind, IndicatorLink, IndicatorLinkInput, MAX_LONG_TEXT,
    MAX_PROGRESS_TEXT, MAX_TARGET, Meeting, MeetingInput, MidtermReview, MidtermReviewInput,
    Period, PlanActivity, ProgressEntry, ProgressInput, Promise, PromiseInput, Status, parse_date,
    status,
};
pub use response::{
    Answer, DescribedPlace, Language, MAX_COMMENT_CHARS, MAX_DESCRIPTION_CHARS, Pin, PinInput,
    RawAnswer, Response, ResponseInput, SubmittedHour, TimeOfDay,
};
pub use staff::{
    Email, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, NewPassword, Permission, Role, StaffUser,
};
pub use survey::{
    Background, ChoiceOption, Indicator, IndicatorInput, IndicatorKind, MAX_PINS_LIMIT,
    OptionInput, Question, QuestionInput, QuestionKind, QuestionKindInput, Survey, SurveyInput,
};
pub use text::{
    Key, Lines, LocalizedText, Slug, parse_label, parse_long_text, plain_fields, plain_json,
    plain_text,
};
pub use walk::{
    DEFAULT_DUE_DAYS, Finding, FindingCategory, FindingInput, FindingStatus, MAX_NOTE_CHARS,
    MAX_ROUTE_POINTS, SafetyWalk, StatusInput, WalkInput, stored_status,
};

#[cfg(test)]
mod promise_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod text_tests;
