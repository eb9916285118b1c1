//! Trygg's persistence: a [`Store`] that reads and writes domain values on
//! SQLite (the embedded default) or PostgreSQL (production), chosen by the URL.
//!
//! Entities are private; callers only see domain types, so the schema can change
//! without the rest of Trygg noticing. Every multi-row write is one transaction:
//! an import either lands whole or not at all.
//!
//! ```no_run
//! # async fn run() -> Result<(), trygg_store::StoreError> {
//! let store = trygg_store::Store::connect(&"sqlite://trygg.db".into()).await?;
//! store.migrate().await?;
//! # Ok(()) }
//! ```

mod areas;
mod authoring;
mod bulk;
mod connect;
mod crime;
mod entity;
mod error;
mod est;
mod invitations;
mod moderation;
mod promises;
mod published;
mod read;
mod retention;
mod rows;
mod staff;
mod staff_texts;
mod tenant;
pub mod testing;
mod walks;
mod write;

pub use areas::AreaUpload;
pub use authoring::{AuthoredSurvey, SurveySettings};
pub use connect::Backend;
pub use error::StoreError;
pub use invitations::{Consumed, InvitationCount};
pub use moderation::{Comment, CommentFilter, PublicComment};
pub use published::{Publication, PublishedFollowUp, Snapshot};
pub use read::{AnswerValue, PinValue, StoredPin, SurveySummary};
pub use retention::{Retained, RetentionDue};
pub use staff::{
    AuditEvent, CLI_ACTOR, NewSession, SessionSummary, StaffCredentials, StaffSession,
};
pub use staff_texts::StaffText;
pub use write::{Incoming, Stored};

use sea_orm::{ConnectionTrait, DatabaseConnection};
use secrecy::SecretString;
use trygg_migrations::{Migrator, MigratorTrait};

/// A connection pool to Trygg's database.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
}

impl Store {
    /// Connects to the database at `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &SecretString) -> Result<Self, StoreError> {
        let (db, backend) = connect::open(url).await?;
        Ok(Self { db, backend })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Rolls back every migration; used by the tests that run them up, down and up.
    pub async fn migrate_down(&self) -> Result<(), StoreError> {
        Migrator::down(&self.db, None).await?;
        Ok(())
    }

    /// Names of the migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StoreError> {
        Ok(Migrator::get_pending_migrations(&self.db)
            .await?
            .iter()
            .map(|m| m.name().to_owned())
            .collect())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    /// The backend in use.
    pub const fn backend(&self) -> Backend {
        self.backend
    }

    /// The raw connection, for tests and reports that check numbers with plain SQL.
    pub const fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }
}
