//! Imports from files. Each file is read and checked completely by [`crate::files`]
//! before anything is written, and then written in one transaction: a bad row
//! means nothing lands.

use std::path::Path;

use trygg_domain::{AreaProperties, DomainError, ErrorCode, Municipality, Survey};
use trygg_store::{Store, StoreError};

use crate::files::{self, InputError};

/// What an error in a file to import says after its place and message.
const NOTHING: &str = "nothing was imported";

/// An error of reading a file to import, saying that nothing was imported.
pub(crate) fn refused(file: &Path) -> impl Fn(anyhow::Error) -> anyhow::Error + '_ {
    move |error| match error.downcast::<InputError>() {
        Ok(input) => anyhow::anyhow!("{input}; {NOTHING}"),
        Err(other) => other.context(format!("{}: {NOTHING}", file.display())),
    }
}

/// A store conflict (a duplicate code or slug) as an error in `file`.
fn conflict(file: &Path) -> impl Fn(StoreError) -> anyhow::Error + '_ {
    move |error| match error {
        StoreError::Conflict { field, message } => {
            let input = files::located(
                file,
                None,
                DomainError::new(ErrorCode::Duplicate, field, message),
            );
            anyhow::anyhow!("{input}; {NOTHING}")
        }
        other => anyhow::Error::from(other),
    }
}

/// Imports area polygons from a GeoJSON FeatureCollection.
pub async fn areas(
    store: &Store,
    municipality: &Municipality,
    file: &Path,
    properties: AreaProperties<'_>,
) -> anyhow::Result<usize> {
    let areas = files::areas(municipality.id, file, properties).map_err(refused(file))?;
    store.insert_areas(&areas).await.map_err(conflict(file))?;
    Ok(areas.len())
}

/// Imports population figures per area × gender × age band from a CSV file
/// (`area,gender,age_band,population`), replacing the municipality's earlier figures.
pub async fn population(
    store: &Store,
    municipality: &Municipality,
    file: &Path,
) -> anyhow::Result<usize> {
    let codes: Vec<_> = store
        .areas(municipality.id)
        .await?
        .into_iter()
        .map(|a| a.code)
        .collect();
    let figures = files::population(file, &codes).map_err(refused(file))?;
    store.replace_population(municipality.id, &figures).await?;
    Ok(figures.len())
}

/// Imports a survey definition.
pub async fn survey(
    store: &Store,
    municipality: &Municipality,
    file: &Path,
) -> anyhow::Result<Survey> {
    let survey = files::survey(municipality.id, file).map_err(refused(file))?;
    store.insert_survey(&survey).await.map_err(conflict(file))?;
    Ok(survey)
}

/// Imports responses from CSV: one row per respondent, a column per question key.
pub async fn responses(store: &Store, survey: &Survey, file: &Path) -> anyhow::Result<usize> {
    let boundary = store.boundary(survey.municipality_id).await?;
    let read = files::responses(survey, file, &boundary).map_err(refused(file))?;
    store.insert_responses(&read.responses, &boundary).await?;
    Ok(read.responses.len())
}

/// Imports pins from a GeoJSON FeatureCollection of points, not linked to responses.
pub async fn pins(store: &Store, survey: &Survey, file: &Path) -> anyhow::Result<usize> {
    let boundary = store.boundary(survey.municipality_id).await?;
    let pins: Vec<_> = files::pins(survey, file, &boundary)
        .map_err(refused(file))?
        .into_iter()
        .map(|p| p.pin)
        .collect();
    store.insert_loose_pins(survey, &pins, &boundary).await?;
    Ok(pins.len())
}
