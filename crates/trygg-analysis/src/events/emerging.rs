//! Emerging hot spots: weekly Gi* per hexagon and the trend of its z-scores, classed
//! into the patterns of ArcGIS Pro's Emerging Hot Spot Analysis.

use std::collections::HashMap;

use h3o::CellIndex;

use super::mann_kendall::{MannKendall, Trend, mann_kendall};
use crate::hotspot::gi::gi_links;
use crate::hotspot::hex::k_ring_links;
use crate::hotspot::{GiOptions, HotspotError, study_region};

/// A bin (cell × week) is a significant hot or cold spot below this one-sided p_norm.
pub const BIN_ALPHA: f64 = 0.05;

/// Which side of the mean a pattern is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// High counts among high counts.
    Hot,
    /// Low counts among low counts.
    Cold,
}

/// How a cell's significant weeks fall in time. The rules, for a hot spot (a cold
/// spot mirrors them with hot and cold swapped), over `N` weeks, "significant" meaning
/// Gi* `z > 0` and `p_norm < 0.05`:
///
/// - the final week is not significant: [`Shape::Historical`] when at least 90 % of
///   the weeks are, else no pattern;
/// - the final week is significant and at least 90 % of the weeks are:
///   [`Shape::Intensifying`] when the Mann–Kendall trend of the weekly z-scores is
///   significant (p < 0.05) towards more extreme (rising for hot, falling for cold),
///   [`Shape::Diminishing`] when it is significant the other way, else
///   [`Shape::Persistent`];
/// - under 90 %, tried in this order: [`Shape::New`] when the final week is the only
///   significant one; [`Shape::Consecutive`] when the significant weeks are one
///   uninterrupted final run of at least two; [`Shape::Oscillating`] when some earlier
///   week was a significant spot of the opposite kind; else [`Shape::Sporadic`]
///   (on and off before, never the opposite kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    /// Significant only in the final week.
    New,
    /// One final run of at least two significant weeks, none before.
    Consecutive,
    /// At least 90 % of weeks, the final one too, and getting more extreme.
    Intensifying,
    /// At least 90 % of weeks, the final one too, with no significant trend.
    Persistent,
    /// At least 90 % of weeks, the final one too, and getting less extreme.
    Diminishing,
    /// Significant in the final week and on and off before, under 90 %.
    Sporadic,
    /// Significant in the final week and the opposite kind in some earlier week, under 90 %.
    Oscillating,
    /// At least 90 % of weeks, but not the final one.
    Historical,
}

/// The pattern of one cell: a side and a shape, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pattern {
    /// None of the sixteen patterns.
    NoPattern,
    /// A hot or cold spot pattern.
    Spot(Side, Shape),
}

impl Pattern {
    /// Every pattern, hot ones first, as files and legends list them.
    pub const ALL: [Self; 17] = {
        use Shape::*;
        use Side::*;
        [
            Self::Spot(Hot, New),
            Self::Spot(Hot, Consecutive),
            Self::Spot(Hot, Intensifying),
            Self::Spot(Hot, Persistent),
            Self::Spot(Hot, Diminishing),
            Self::Spot(Hot, Sporadic),
            Self::Spot(Hot, Oscillating),
            Self::Spot(Hot, Historical),
            Self::Spot(Cold, New),
            Self::Spot(Cold, Consecutive),
            Self::Spot(Cold, Intensifying),
            Self::Spot(Cold, Persistent),
            Self::Spot(Cold, Diminishing),
            Self::Spot(Cold, Sporadic),
            Self::Spot(Cold, Oscillating),
            Self::Spot(Cold, Historical),
            Self::NoPattern,
        ]
    };

    /// The snake_case key used in files, e.g. `new_hot_spot`, `no_pattern`.
    pub fn key(self) -> String {
        let Self::Spot(side, shape) = self else {
            return "no_pattern".to_owned();
        };
        let shape = match shape {
            Shape::New => "new",
            Shape::Consecutive => "consecutive",
            Shape::Intensifying => "intensifying",
            Shape::Persistent => "persistent",
            Shape::Diminishing => "diminishing",
            Shape::Sporadic => "sporadic",
            Shape::Oscillating => "oscillating",
            Shape::Historical => "historical",
        };
        let side = match side {
            Side::Hot => "hot",
            Side::Cold => "cold",
        };
        format!("{shape}_{side}_spot")
    }

    /// The pattern of a series of weekly Gi* z-scores and one-sided normal p-values,
    /// oldest first, with the Mann–Kendall test of the z-scores (rules: [`Shape`]).
    pub fn classify(z: &[f64], p: &[f64], trend: &MannKendall) -> Self {
        let significant = |side: Side| -> Vec<bool> {
            z.iter()
                .zip(p)
                .map(|(&z, &p)| {
                    p < BIN_ALPHA
                        && match side {
                            Side::Hot => z > 0.0,
                            Side::Cold => z < 0.0,
                        }
                })
                .collect()
        };
        let (hot, cold) = (significant(Side::Hot), significant(Side::Cold));
        match (hot.last(), cold.last()) {
            (Some(true), _) => Self::Spot(Side::Hot, shape(&hot, &cold, Side::Hot, trend)),
            (_, Some(true)) => Self::Spot(Side::Cold, shape(&cold, &hot, Side::Cold, trend)),
            _ if most(&hot) => Self::Spot(Side::Hot, Shape::Historical),
            _ if most(&cold) => Self::Spot(Side::Cold, Shape::Historical),
            _ => Self::NoPattern,
        }
    }
}

/// At least 90 % of the weeks.
fn most(flags: &[bool]) -> bool {
    let count = flags.iter().filter(|&&f| f).count();
    !flags.is_empty() && 10 * count >= 9 * flags.len()
}

/// The shape of a side whose final week is significant.
fn shape(own: &[bool], opposite: &[bool], side: Side, trend: &MannKendall) -> Shape {
    if most(own) {
        let towards_extreme = match side {
            Side::Hot => Trend::Increasing,
            Side::Cold => Trend::Decreasing,
        };
        return match trend.trend {
            Trend::NoTrend => Shape::Persistent,
            t if t == towards_extreme => Shape::Intensifying,
            _ => Shape::Diminishing,
        };
    }
    let count = own.iter().filter(|&&f| f).count();
    let final_run = own.iter().rev().take_while(|&&f| f).count();
    let before_final = opposite.len().saturating_sub(1);
    if count == 1 {
        Shape::New
    } else if final_run == count {
        Shape::Consecutive
    } else if opposite.iter().take(before_final).any(|&f| f) {
        Shape::Oscillating
    } else {
        Shape::Sporadic
    }
}

/// One cell of an emerging hot spot analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct EmergingCell {
    /// The hexagon.
    pub cell: CellIndex,
    /// Events in the cell, all weeks together.
    pub events: u32,
    /// Gi* z-score per week, oldest first; 0 in a week with no variance (no events
    /// anywhere, or the same count everywhere).
    pub z: Vec<f64>,
    /// One-sided normal p-value per week (esda's `p_norm`); 1 where `z` is 0 for want of variance.
    pub p: Vec<f64>,
    /// The Mann–Kendall test of the weekly z-scores.
    pub trend: MannKendall,
    /// The cell's pattern.
    pub pattern: Pattern,
}

/// Emerging hot spots of events on H3 hexagons.
///
/// # Parameters
/// - `weeks`: events per cell for each week, oldest first; cells without events may be
///   left out.
/// - `k`: the k-ring radius of the neighbourhood (1: the six touching hexagons).
///
/// # Returns
/// One [`EmergingCell`] per cell of the study region (every cell with an event in any
/// week and its k-ring), sorted by cell id.
///
/// # Algorithm
/// For each week, Gi* over the whole study region as esda's `G_Local(y, w,
/// transform="B", star=True)` with `w` linking each cell to the cells of its k-ring
/// inside the region; a week whose counts have no variance gives every cell `z = 0`,
/// `p = 1`. Then, per cell, [`mann_kendall`] over its weekly z-scores and
/// [`Pattern::classify`].
///
/// # Errors
/// [`HotspotError::Parameter`] when `k` is 0 or there are no weeks.
pub fn emerging_hotspots(
    weeks: &[HashMap<CellIndex, u32>],
    k: u32,
) -> Result<Vec<EmergingCell>, HotspotError> {
    if k == 0 || weeks.is_empty() {
        return Err(HotspotError::Parameter(
            "an emerging hot spot analysis needs k ≥ 1 and at least one week".to_owned(),
        ));
    }
    let Some(resolution) = weeks
        .iter()
        .flat_map(HashMap::keys)
        .map(|c| c.resolution())
        .next()
    else {
        return Ok(Vec::new());
    };
    let cells = study_region(
        weeks.iter().flat_map(HashMap::keys).copied(),
        &[],
        resolution,
        k,
    )?;
    let links = k_ring_links(&cells, k);
    let options = GiOptions {
        permutations: 0,
        ..GiOptions::default()
    };
    let mut z = vec![Vec::with_capacity(weeks.len()); cells.len()];
    let mut p = vec![Vec::with_capacity(weeks.len()); cells.len()];
    let mut events = vec![0u32; cells.len()];
    for week in weeks {
        let y: Vec<f64> = cells
            .iter()
            .map(|c| f64::from(week.get(c).copied().unwrap_or(0)))
            .collect();
        let gi = gi_links(&y, &links, &options);
        for (i, (&zs, &ps)) in gi.z.iter().zip(&gi.p_norm).enumerate() {
            let defined = zs.is_finite();
            if let (Some(zi), Some(pi)) = (z.get_mut(i), p.get_mut(i)) {
                zi.push(if defined { zs } else { 0.0 });
                pi.push(if defined { ps } else { 1.0 });
            }
        }
        for (total, value) in events.iter_mut().zip(&y) {
            *total += *value as u32;
        }
    }
    Ok(cells
        .into_iter()
        .zip(z)
        .zip(p)
        .zip(events)
        .map(|(((cell, z), p), events)| {
            let trend = mann_kendall(&z);
            let pattern = Pattern::classify(&z, &p, &trend);
            EmergingCell {
                cell,
                events,
                z,
                p,
                trend,
                pattern,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_trend() -> MannKendall {
        mann_kendall(&[0.0; 4])
    }

    fn class(hot_cold: &str) -> Pattern {
        // 'H' hot, 'C' cold, '.' neither; z ±3 with p 0.001, or z 0.5 with p 0.3.
        let z: Vec<f64> = hot_cold
            .chars()
            .map(|c| match c {
                'H' => 3.0,
                'C' => -3.0,
                _ => 0.5,
            })
            .collect();
        let p: Vec<f64> = z
            .iter()
            .map(|z| if z.abs() > 1.0 { 0.001 } else { 0.3 })
            .collect();
        Pattern::classify(&z, &p, &no_trend())
    }

    #[test]
    fn series_of_significant_weeks_get_the_documented_patterns() {
        use Shape::*;
        use Side::*;
        let cases = [
            // The final week alone makes a new hot spot.
            (".........H", Pattern::Spot(Hot, New)),
            // One final run of two or more is consecutive; a spot before it makes it sporadic.
            ("......HHHH", Pattern::Spot(Hot, Consecutive)),
            ("..H...HHHH", Pattern::Spot(Hot, Sporadic)),
            // The opposite kind in an earlier week makes it oscillating.
            ("..C...H.HH", Pattern::Spot(Hot, Oscillating)),
            ("..H...C.CC", Pattern::Spot(Cold, Oscillating)),
            // 90 % of the weeks without the final one is historical; 80 % is nothing.
            ("HHHHHHHHHHHHHHHHHHH.", Pattern::Spot(Hot, Historical)),
            ("HHHHHHHH..", Pattern::NoPattern),
            // 90 % with the final week and no trend is persistent.
            ("CCCCCCCCC.CCCCCCCCCC", Pattern::Spot(Cold, Persistent)),
        ];
        for (weeks, expected) in cases {
            assert_eq!(class(weeks), expected, "{weeks}");
        }
    }

    #[test]
    fn a_falling_z_makes_a_cold_spot_intensify_and_a_hot_spot_diminish() {
        let falling: Vec<f64> = (0..20).map(|i| -2.0 - f64::from(i) / 4.0).collect();
        let p = vec![0.001; 20];
        let trend = mann_kendall(&falling);
        assert_eq!(
            Pattern::classify(&falling, &p, &trend),
            Pattern::Spot(Side::Cold, Shape::Intensifying)
        );
        let hot: Vec<f64> = falling.iter().map(|z| 10.0 + z).collect();
        let trend = mann_kendall(&hot);
        assert_eq!(
            Pattern::classify(&hot, &p, &trend),
            Pattern::Spot(Side::Hot, Shape::Diminishing)
        );
    }

    #[test]
    fn every_pattern_has_its_own_key() {
        let keys: std::collections::BTreeSet<String> =
            Pattern::ALL.iter().map(|p| p.key()).collect();
        assert_eq!(keys.len(), 17);
        assert!(keys.contains("intensifying_cold_spot") && keys.contains("no_pattern"));
    }
}
