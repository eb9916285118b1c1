//! Staff-side hardening (ASVS 5.0 Level 2).
//!
//! The last TOTP time step an account used, so a code (or an earlier one)
//! cannot be used twice.
//!
//! A draft's slug is unique within its municipality only, so one municipality
//! cannot find out another's draft slugs by trying to take them. Published
//! surveys keep their own global unique index: their slugs are public
//! addresses (`/s/{slug}`).
//!
//! SQLite cannot drop a column's inline UNIQUE constraint, so there the table
//! is rebuilt without it.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffUser {
    Table,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum SurveyDraft {
    Table,
    Id,
    MunicipalityId,
    Slug,
    Definition,
    CopiedFrom,
    RetentionDays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyDraftNew {
    Table,
}

const COLUMNS: &str =
    "id, municipality_id, slug, definition, copied_from, retention_days, updated_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StaffUser::Table)
                    .add_column(big_integer_null(StaffUser::TotpLastStep))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                let create = Table::create()
                    .table(SurveyDraftNew::Table)
                    .col(uuid(SurveyDraft::Id).primary_key())
                    .col(uuid(SurveyDraft::MunicipalityId))
                    .col(string(SurveyDraft::Slug))
                    .col(text(SurveyDraft::Definition))
                    .col(uuid_null(SurveyDraft::CopiedFrom))
                    .col(integer_null(SurveyDraft::RetentionDays))
                    .col(timestamp_with_time_zone(SurveyDraft::UpdatedAt))
                    .foreign_key(&mut cascade(
                        "fk_survey_draft_municipality",
                        (SurveyDraftNew::Table, SurveyDraft::MunicipalityId),
                        "municipality",
                    ))
                    .to_owned();
                let create = db.get_database_backend().build(&create).sql;
                // One batch on one connection: a pooled connection still
                // reading the old schema must not see half of the rebuild.
                db.execute_unprepared(&format!(
                    "{create}; \
                     INSERT INTO survey_draft_new ({COLUMNS}) SELECT {COLUMNS} FROM survey_draft; \
                     DROP TABLE survey_draft; \
                     ALTER TABLE survey_draft_new RENAME TO survey_draft; \
                     CREATE UNIQUE INDEX ux_survey_draft_municipality_slug \
                     ON survey_draft (municipality_id, slug);"
                ))
                .await?;
                return Ok(());
            }
            _ => {
                db.execute_unprepared(
                    "ALTER TABLE survey_draft DROP CONSTRAINT IF EXISTS survey_draft_slug_key",
                )
                .await?;
                db.execute_unprepared("DROP INDEX IF EXISTS ux_survey_draft_slug")
                    .await?;
            }
        }
        create_unique_index(
            manager,
            "ux_survey_draft_municipality_slug",
            SurveyDraft::Table,
            [SurveyDraft::MunicipalityId, SurveyDraft::Slug],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_survey_draft_municipality_slug")
                    .table(SurveyDraft::Table)
                    .to_owned(),
            )
            .await?;
        create_unique_index(
            manager,
            "ux_survey_draft_slug",
            SurveyDraft::Table,
            [SurveyDraft::Slug],
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StaffUser::Table)
                    .drop_column(StaffUser::TotpLastStep)
                    .to_owned(),
            )
            .await
    }
}
