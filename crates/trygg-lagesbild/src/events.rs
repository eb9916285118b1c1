//! Händelser: the workflows of the weekly EST picture that need no database, such as
//! `trygg events emerging` on an events file. The statistics are
//! [`trygg_analysis::events`]; this module turns events into weekly counts per
//! hexagon and writes the result.

use std::collections::HashMap;
use std::io::Write;

use h3o::{CellIndex, Resolution};
use serde_json::{Map, Value};
use trygg_analysis::events::{EmergingCell, emerging_hotspots};
use trygg_analysis::hotspot::{HotspotError, cell_of, hex_ring};
use trygg_domain::{Event, IsoWeek};

use crate::hotspots::FeatureWriter;

/// What an emerging hot spot analysis runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmergingOptions {
    /// The H3 resolution of the cells (9 ≈ 170 m edge).
    pub resolution: Resolution,
    /// The k-ring radius of a cell's neighbourhood.
    pub k: u32,
    /// How many weeks, ending with `end_week`.
    pub weeks: u32,
    /// The last week analysed.
    pub end_week: IsoWeek,
}

/// The result of [`emerging`].
#[derive(Debug, Clone)]
pub struct EmergingMap {
    /// The weeks analysed, oldest first.
    pub weeks: Vec<IsoWeek>,
    /// One entry per cell of the study region, sorted by cell id.
    pub cells: Vec<EmergingCell>,
    /// Events inside the weeks.
    pub used: usize,
    /// Events outside the weeks, left out.
    pub outside: usize,
}

/// Emerging hot spots of `events` over the weeks `options` names.
///
/// # Errors
/// [`HotspotError::Parameter`] when `k` or `weeks` is 0, or a position cannot be put on
/// a hexagon.
pub fn emerging(events: &[Event], options: &EmergingOptions) -> Result<EmergingMap, HotspotError> {
    if options.weeks == 0 {
        return Err(HotspotError::Parameter(
            "an emerging hot spot analysis needs at least one week".to_owned(),
        ));
    }
    let first = options.end_week.minus(options.weeks - 1);
    let weeks: Vec<IsoWeek> = (0..options.weeks)
        .rev()
        .map(|back| options.end_week.minus(back))
        .collect();
    let mut counts: Vec<HashMap<CellIndex, u32>> = vec![HashMap::new(); weeks.len()];
    let mut used = 0;
    for event in events {
        let index = event.week().weeks_since(first);
        let Some(week) = usize::try_from(index).ok().and_then(|i| counts.get_mut(i)) else {
            continue;
        };
        *week
            .entry(cell_of(event.location(), options.resolution)?)
            .or_insert(0) += 1;
        used += 1;
    }
    Ok(EmergingMap {
        cells: emerging_hotspots(&counts, options.k)?,
        weeks,
        used,
        outside: events.len() - used,
    })
}

/// Writes every cell of an emerging hot spot analysis as a GeoJSON hexagon, streaming.
///
/// Properties: `h3`, `events`, `pattern` (e.g. `new_hot_spot`, `no_pattern`), `mk_z` and
/// `mk_p` (the Mann–Kendall test of the weekly z-scores), and `z_w01` … `z_wNN`, each
/// week's Gi* z-score, oldest first.
///
/// # Errors
/// Whatever writing to `out` returns.
pub fn write_emerging_cells(out: impl Write, map: &EmergingMap) -> std::io::Result<()> {
    let mut writer = FeatureWriter::new(out)?;
    let week_keys: Vec<String> = (1..=map.weeks.len())
        .map(|w| format!("z_w{w:02}"))
        .collect();
    for cell in &map.cells {
        let mut properties = Map::new();
        properties.insert("h3".to_owned(), cell.cell.to_string().into());
        properties.insert("events".to_owned(), cell.events.into());
        properties.insert("pattern".to_owned(), cell.pattern.key().into());
        properties.insert("mk_z".to_owned(), number(cell.trend.z));
        properties.insert("mk_p".to_owned(), number(cell.trend.p));
        for (key, &z) in week_keys.iter().zip(&cell.z) {
            properties.insert(key.clone(), number(z));
        }
        writer.polygon(&hex_ring(cell.cell), Value::Object(properties))?;
    }
    writer.finish()
}

fn number(value: f64) -> Value {
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
mod tests {
    use super::*;
    use trygg_domain::EventInput;

    fn event(occurred_at: &str, lon: f64) -> Event {
        let input = EventInput {
            occurred_at: occurred_at.to_owned(),
            lon,
            lat: 59.512,
            category: "klotter".to_owned(),
            organisation: "Bostadsbolaget".to_owned(),
            description: String::new(),
        };
        Event::parse(input, "").unwrap()
    }

    #[test]
    fn events_outside_the_weeks_are_counted_apart_and_each_cell_names_its_weeks() {
        let events = [
            event("2026-03-02T10:00:00+01:00", 17.6335),
            event("2026-03-09T10:00:00+01:00", 17.6335),
            event("2026-03-09T11:00:00+01:00", 17.70),
            event("2025-03-09T11:00:00+01:00", 17.70),
        ];
        let options = EmergingOptions {
            resolution: Resolution::Nine,
            k: 1,
            weeks: 2,
            end_week: IsoWeek::parse("2026-W11", "").unwrap(),
        };
        let map = emerging(&events, &options).unwrap();
        assert_eq!((map.used, map.outside), (3, 1));
        assert_eq!(map.weeks[0].to_string(), "2026-W10");
        let mut out = Vec::new();
        write_emerging_cells(&mut out, &map).unwrap();
        let written: Value = serde_json::from_slice(&out).unwrap();
        let features = written["features"].as_array().unwrap();
        assert_eq!(features.len(), 14, "two cells and their rings");
        let properties = &features[0]["properties"];
        assert!(properties["z_w02"].is_number() && properties.get("z_w03").is_none());
        assert_eq!(
            features
                .iter()
                .map(|f| f["properties"]["events"].as_u64().unwrap())
                .sum::<u64>(),
            3
        );
    }
}
