//! Pins (otrygga platser). Longitude and latitude are plain doubles so both
//! databases hold them without a spatial extension; spatial work happens in Rust.
//! A pin imported from another tool may have no response.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Pin {
    Table,
    Id,
    MunicipalityId,
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
                Table::create()
                    .table(Pin::Table)
                    .col(uuid(Pin::Id).primary_key())
                    .col(uuid(Pin::MunicipalityId))
                    .col(uuid(Pin::SurveyId))
                    .col(uuid_null(Pin::ResponseId))
                    .col(string_null(Pin::AreaCode))
                    .col(double(Pin::Lon))
                    .col(double(Pin::Lat))
                    .col(string(Pin::Category))
                    .col(string(Pin::TimeOfDay))
                    .col(text_null(Pin::Comment))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pin_municipality")
                            .from(Pin::Table, Pin::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pin_survey")
                            .from(Pin::Table, Pin::SurveyId)
                            .to(Survey::Table, Survey::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pin_response")
                            .from(Pin::Table, Pin::ResponseId)
                            .to(Response::Table, Response::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_pin_survey")
                    .table(Pin::Table)
                    .col(Pin::SurveyId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Pin::Table).to_owned())
            .await
    }
}
