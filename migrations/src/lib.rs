//! Trygg's schema, as versioned migrations that run on SQLite and PostgreSQL.
//!
//! Each migration is self-contained: it names its own tables and columns and
//! never imports entities, so later changes to the code cannot change what an
//! old migration does. What most tables share (the tenant's `id` and
//! `municipality_id`, cascading foreign keys, indexes) is built by `common`,
//! which for the same reason must never change what it builds. Every migration
//! runs up, down and up again in the store's tests on both databases.

pub use sea_orm_migration::prelude::*;

#[macro_use]
mod common;
mod m20261125_000001_create_municipality;
mod m20261125_000002_create_area;
mod m20261125_000003_create_survey;
mod m20261125_000004_create_response;
mod m20261125_000005_create_answer;
mod m20261125_000006_create_pin;
mod m20261125_000007_add_response_language;
mod m20261125_000008_create_described_place;
mod m20261125_000009_create_place;
mod m20261202_100001_create_staff_user;
mod m20261202_100002_create_staff_session;
mod m20261202_100003_create_audit_event;
mod m20261202_200001_create_survey_draft;
mod m20261202_200002_create_comment_moderation;
mod m20261202_300001_create_published_result;
mod m20261202_400001_create_promises;
mod m20261202_400002_create_walks;
mod m20261203_400001_create_crime_count;
mod m20261203_500001_create_area_population;
mod m20261203_500002_create_invitation;
mod m20261204_100001_rekey_resident_ids;
mod m20261204_200001_create_published_snapshot;
mod m20261204_300001_staff_auth_hardening;
mod m20261204_600001_create_staff_text_moderation;
mod m20261206_100001_create_est;

/// Runs Trygg's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_municipality::Migration),
            Box::new(m20261125_000002_create_area::Migration),
            Box::new(m20261125_000003_create_survey::Migration),
            Box::new(m20261125_000004_create_response::Migration),
            Box::new(m20261125_000005_create_answer::Migration),
            Box::new(m20261125_000006_create_pin::Migration),
            Box::new(m20261125_000007_add_response_language::Migration),
            Box::new(m20261125_000008_create_described_place::Migration),
            Box::new(m20261125_000009_create_place::Migration),
            Box::new(m20261202_100001_create_staff_user::Migration),
            Box::new(m20261202_100002_create_staff_session::Migration),
            Box::new(m20261202_100003_create_audit_event::Migration),
            Box::new(m20261202_200001_create_survey_draft::Migration),
            Box::new(m20261202_200002_create_comment_moderation::Migration),
            Box::new(m20261202_300001_create_published_result::Migration),
            Box::new(m20261202_400001_create_promises::Migration),
            Box::new(m20261202_400002_create_walks::Migration),
            Box::new(m20261203_500001_create_area_population::Migration),
            Box::new(m20261203_400001_create_crime_count::Migration),
            Box::new(m20261203_500002_create_invitation::Migration),
            Box::new(m20261204_100001_rekey_resident_ids::Migration),
            Box::new(m20261204_200001_create_published_snapshot::Migration),
            Box::new(m20261204_600001_create_staff_text_moderation::Migration),
            Box::new(m20261206_100001_create_est::Migration),
            Box::new(m20261204_300001_staff_auth_hardening::Migration),
        ]
    }
}
