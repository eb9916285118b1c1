//! The municipality's areas (kommundelar) and population figures as staff
//! change them: outlines uploaded as GeoJSON (parsed by the same domain parser
//! as `trygg areas import`, so an error names the feature), renamed, and the
//! population figures replaced from a CSV file whose errors name the line and
//! the column. Each change is audited.

use trygg_domain::AuditAction;
use trygg_domain::{AreaId, AreaProperties, areas_from_geojson, parse_label, parse_population_csv};
use trygg_store::Store;

use crate::workflow::{Actor, WorkflowError};

/// Stores the areas of `collection`: an area whose code exists gets the new
/// name and outline; others are added.
///
/// # Errors
/// A feature that breaks a rule, naming it.
pub async fn upload(
    store: &Store,
    actor: &Actor,
    collection: &::geojson::FeatureCollection,
) -> Result<(), WorkflowError> {
    let areas = areas_from_geojson(actor.municipality(), collection, AreaProperties::default())?;
    let upload = store.upload_areas(actor.municipality(), &areas).await?;
    let target = format!("{} added, {} replaced", upload.added, upload.replaced);
    actor
        .audit(store, AuditAction::AreasUploaded, &target)
        .await?;
    Ok(())
}

/// Renames area `raw` (an id) of the municipality.
///
/// # Errors
/// No such area, or an empty or too long name.
pub async fn rename(
    store: &Store,
    actor: &Actor,
    raw: &str,
    name: &str,
) -> Result<(), WorkflowError> {
    let not_found = || WorkflowError::NotFound(format!("there is no area `{raw}`"));
    let area_id = uuid::Uuid::parse_str(raw)
        .map(AreaId::from_uuid)
        .map_err(|_| not_found())?;
    let name = parse_label(name, 120, "name")?;
    if !store
        .rename_area(actor.municipality(), area_id, &name)
        .await?
    {
        return Err(not_found());
    }
    actor.audit(store, AuditAction::AreaRenamed, &name).await?;
    Ok(())
}

/// Replaces the population figures with those of a CSV file
/// (`area,gender,age_band,population`); an error's field is `line[N].column`.
///
/// # Errors
/// A line that breaks a rule, or names an area the municipality lacks.
pub async fn replace_population(
    store: &Store,
    actor: &Actor,
    text: &str,
) -> Result<(), WorkflowError> {
    let codes: Vec<_> = store
        .areas(actor.municipality())
        .await?
        .into_iter()
        .map(|a| a.code)
        .collect();
    let figures = parse_population_csv(text, &codes).map_err(|e| {
        let line = e.line.unwrap_or(1);
        let field = trygg_domain::join_path(&format!("line[{line}]"), &e.error.field);
        let message = format!("line {line}: {}", e.error.message);
        WorkflowError::invalid(e.error.code, field, message)
    })?;
    store
        .replace_population(actor.municipality(), &figures)
        .await?;
    let target = format!("{} figures", figures.len());
    actor
        .audit(store, AuditAction::PopulationReplaced, &target)
        .await?;
    Ok(())
}
