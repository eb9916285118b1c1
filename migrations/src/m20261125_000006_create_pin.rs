//! Pins (otrygga platser). Longitude and latitude are plain doubles so both
//! databases hold them without a spatial extension; spatial work happens in Rust.
//! A pin imported from another tool may have no response.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{cascade, create_index, drop_tables, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pin {
    Table,
    SurveyId,
    ResponseId,
    AreaCode,
    Lon,
    Lat,
    Category,
    TimeOfDay,
    Comment,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                tenant_table(Pin::Table)
                    .col(uuid(Pin::SurveyId))
                    .col(uuid_null(Pin::ResponseId))
                    .col(string_null(Pin::AreaCode))
                    .col(double(Pin::Lon))
                    .col(double(Pin::Lat))
                    .col(string(Pin::Category))
                    .col(string(Pin::TimeOfDay))
                    .col(text_null(Pin::Comment))
                    .foreign_key(&mut cascade(
                        "fk_pin_survey",
                        (Pin::Table, Pin::SurveyId),
                        "survey",
                    ))
                    .foreign_key(&mut cascade(
                        "fk_pin_response",
                        (Pin::Table, Pin::ResponseId),
                        "response",
                    ))
                    .to_owned(),
            )
            .await?;
        create_index(manager, "ix_pin_survey", Pin::Table, [Pin::SurveyId]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Pin::Table]).await
    }
}
