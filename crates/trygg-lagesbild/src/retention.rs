//! Data retention: surveys whose retention period has passed lose their free text
//! and exact pin locations. A pin keeps only the H3 cell (at the map's
//! [`RESOLUTION`]) it lay in, stored as the cell's centre, so the lägesbild's
//! indicators and hotspot cells come out the same afterwards.

use h3o::LatLng;
use time::Date;
use trygg_domain::AuditAction;
use trygg_domain::Location;
use trygg_store::{Retained, RetentionDue, Store, StoreError};

use crate::RESOLUTION;

/// The centre of the H3 cell at [`RESOLUTION`] that `location` lies in.
pub fn cell_centre(location: Location) -> Option<Location> {
    let cell = LatLng::new(location.lat(), location.lon())
        .ok()?
        .to_cell(RESOLUTION);
    let centre = LatLng::from(cell);
    Location::parse(centre.lng(), centre.lat(), "location").ok()
}

/// Thins every survey due on `today`, each in its own transaction, and records it
/// in its municipality's audit log.
///
/// # Errors
/// The first store failure; surveys thinned before it stay thinned.
pub async fn run(store: &Store, today: Date) -> Result<Vec<(RetentionDue, Retained)>, StoreError> {
    let mut done = Vec::new();
    for due in store.due_for_retention(today).await? {
        let retained = store
            .apply_retention(due.survey.id, today, cell_centre)
            .await?;
        store
            .audit(
                due.survey.municipality_id,
                None,
                AuditAction::RetentionApplied,
                &format!(
                    "{}: {} free-text answers, {} pins to cells, {} described places",
                    due.survey.slug,
                    retained.text_answers,
                    retained.pins,
                    retained.described_places
                ),
            )
            .await?;
        done.push((due, retained));
    }
    Ok(done)
}
