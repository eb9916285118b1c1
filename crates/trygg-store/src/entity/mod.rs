//! Hand-written sea-orm entities, private to the store. The migrations are the
//! authority on the schema; the round-trip tests catch any drift.

pub mod action_plan;
pub mod activity;
pub mod answer;
pub mod area;
pub mod area_population;
pub mod audit_event;
pub mod comment_moderation;
pub mod crime_count;
pub mod described_place;
pub mod focus_area;
pub mod invitation;
pub mod municipality;
pub mod pin;
pub mod place;
pub mod progress_entry;
pub mod promise;
pub mod published_result;
pub mod published_snapshot;
pub mod response;
pub mod safety_walk;
pub mod staff_session;
pub mod staff_text_moderation;
pub mod staff_user;
pub mod survey;
pub mod survey_draft;
pub mod survey_policy;
pub mod walk_finding;
