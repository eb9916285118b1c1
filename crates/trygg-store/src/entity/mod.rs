//! Hand-written sea-orm entities, private to the store. The migrations are the
//! authority on the schema; the round-trip tests catch any drift.
//!
//! No entity has relations: the store joins in Rust, so every entity is only its
//! `Model`, declared with [`entity!`], [`tenant_entity!`] or [`decision_entity!`].

/// Declares a table's sea-orm entity from its `Model`: the derives every model
/// has, no relations and the default active-model behaviour.
macro_rules! entity {
    ($(#[$attr:meta])* pub struct Model { $($columns:tt)* }) => {
        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        $(#[$attr])*
        pub struct Model { $($columns)* }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

/// Declares, as [`entity!`] does, a table whose rows each belong to one
/// municipality: its `Model` starts with the key `id` and `municipality_id`.
macro_rules! tenant_entity {
    ($(#[$attr:meta])* pub struct Model { $($columns:tt)* }) => {
        entity! {
            $(#[$attr])*
            pub struct Model {
                #[sea_orm(primary_key, auto_increment = false)]
                pub id: Uuid,
                pub municipality_id: Uuid,
                $($columns)*
            }
        }
    };
}

/// Declares, as [`tenant_entity!`] does, a table of moderators' decisions: its
/// `id` is the decided text's, and its `Model` ends with the decision.
macro_rules! decision_entity {
    ($(#[$attr:meta])* pub struct Model { $($columns:tt)* }) => {
        tenant_entity! {
            $(#[$attr])*
            pub struct Model {
                $($columns)*
                pub source: String,
                pub status: String,
                #[sea_orm(column_type = "Text", nullable)]
                pub edited_text: Option<String>,
                #[sea_orm(column_type = "Text", nullable)]
                pub reason: Option<String>,
                pub decided_by: Option<Uuid>,
                pub decided_at: TimeDateTimeWithTimeZone,
            }
        }
    };
}

pub mod action_plan;
pub mod activity;
pub mod answer;
pub mod area;
pub mod area_population;
pub mod audit_event;
pub mod comment_moderation;
pub mod crime_count;
pub mod described_place;
pub mod event_report;
pub mod focus_area;
pub mod invitation;
pub mod municipality;
pub mod organisation;
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
