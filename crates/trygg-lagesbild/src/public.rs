//! What the public results page may show: the lägesbild without anything that could
//! point at a person.
//!
//! The tables are already suppressed by the statistics (bases under 30, counts 1–4,
//! complementary cells). On the map, a hexagon is published only with at least
//! [`MIN_PINS`] pins; pins of sensitive categories count only in a cell that has at
//! least [`MIN_SENSITIVE_PINS`] of them. Raw pins, hotspot outlines drawn from pin
//! positions, the heat surface and free text are never published.

use crate::model::{Lagesbild, is_sensitive};

/// Fewest pins a published hexagon has.
pub const MIN_PINS: u32 = 5;
/// Fewest pins of sensitive categories a hexagon needs before they are counted.
pub const MIN_SENSITIVE_PINS: u32 = 10;

/// The published count of a cell, or `None` when the cell is not published.
pub const fn published_count(count: u32, sensitive: u32) -> Option<u32> {
    let countable = if sensitive >= MIN_SENSITIVE_PINS {
        count
    } else {
        count.saturating_sub(sensitive)
    };
    if countable >= MIN_PINS {
        Some(countable)
    } else {
        None
    }
}

/// The public subset of a lägesbild.
pub fn redact(mut lagesbild: Lagesbild) -> Lagesbild {
    lagesbild.map.cells = lagesbild
        .map
        .cells
        .into_iter()
        .filter_map(|mut cell| {
            let count = published_count(cell.count, cell.sensitive)?;
            cell.count = count;
            cell.sensitive = 0;
            Some(cell)
        })
        .collect();
    lagesbild.map.heat = None;
    lagesbild
        .map
        .hotspots
        .retain(|h| h.pins >= MIN_PINS as usize);
    for hotspot in &mut lagesbild.map.hotspots {
        hotspot.hull.clear();
        hotspot.cells.clear();
    }
    lagesbild
        .map
        .categories
        .retain(|(key, _, pins)| !is_sensitive(key) || *pins >= MIN_SENSITIVE_PINS as usize);
    lagesbild
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_needs_five_pins_and_sensitive_pins_count_only_from_ten() {
        assert_eq!(published_count(4, 0), None);
        assert_eq!(published_count(5, 0), Some(5));
        assert_eq!(published_count(9, 6), None);
        assert_eq!(published_count(12, 9), None);
        assert_eq!(published_count(14, 9), Some(5));
        assert_eq!(published_count(12, 10), Some(12));
    }
}
