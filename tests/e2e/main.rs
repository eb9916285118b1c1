//! End-to-end tests over HTTP, on SQLite by default and on PostgreSQL when
//! `TRYGG_TEST_DATABASE_URL` points at one.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod areas;
mod asvs;
mod authoring;
mod bad_text;
mod cli_and_server;
mod disclosure;
mod est;
mod health;
mod intake;
mod invitations;
mod labels;
mod lagesbild;
mod promises;
mod proof_of_work;
mod publication;
mod roles;
mod settings;
mod staff;
mod staff_texts;
