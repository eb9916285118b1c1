//! Ranking focus-area candidates: the evidence per area put side by side, and
//! a ranking simple enough to state in one paragraph on the page, so staff see
//! why an area comes first and can disagree with it.

use serde::Serialize;

/// One piece of evidence that points at an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// The area's 95 % interval of the main indicator lies wholly above the
    /// municipality's share.
    IndicatorAbove,
    /// A hotspot (Gi* at 95 % or more) lies in the area.
    Hotspot,
    /// More pins than the median area.
    PinsAboveMedian,
    /// Open findings from safety walks.
    OpenFindings,
    /// More police-reported crimes than the median area (only when imported).
    CrimeAboveMedian,
    /// More EST händelser in the last 52 weeks than the median area (only when
    /// any were reported).
    EventsAboveMedian,
}

/// What is known about one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaEvidence {
    /// Area code.
    pub code: String,
    /// The main indicator's share in the area, when shown (not suppressed).
    pub share: Option<f64>,
    /// The lower end of its 95 % interval.
    pub share_low: Option<f64>,
    /// Hotspots in the area.
    pub hotspots: usize,
    /// Pins in the area.
    pub pins: usize,
    /// Open safety-walk findings in the area.
    pub open_findings: usize,
    /// Reported crimes in the latest imported period, when any were imported.
    pub crimes: Option<u64>,
    /// EST händelser in the last 52 weeks, when any were reported.
    pub events: Option<u64>,
}

/// An area's place in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// Area code.
    pub code: String,
    /// 1 for the first; areas with the same signals and share share a rank.
    pub rank: usize,
    /// The signals that point at it.
    pub signals: Vec<Signal>,
}

/// Ranks areas by how many signals point at them, then by the main indicator's
/// share (higher first, a hidden share last), then by pins. `overall` is the
/// municipality's share of the main indicator.
pub fn rank_areas(areas: &[AreaEvidence], overall: Option<f64>) -> Vec<Ranked> {
    let pins_median = median(areas.iter().map(|a| a.pins as f64).collect());
    let median_of = |count: fn(&AreaEvidence) -> Option<u64>| {
        median(areas.iter().filter_map(count).map(|c| c as f64).collect())
    };
    let crime_median = median_of(|a| a.crimes);
    let event_median = median_of(|a| a.events);
    let mut scored: Vec<(Vec<Signal>, &AreaEvidence)> = areas
        .iter()
        .map(|a| {
            let mut signals = Vec::new();
            if let (Some(low), Some(all)) = (a.share_low, overall)
                && low > all
            {
                signals.push(Signal::IndicatorAbove);
            }
            if a.hotspots > 0 {
                signals.push(Signal::Hotspot);
            }
            if pins_median.is_some_and(|m| a.pins as f64 > m) {
                signals.push(Signal::PinsAboveMedian);
            }
            if a.open_findings > 0 {
                signals.push(Signal::OpenFindings);
            }
            if let (Some(c), Some(m)) = (a.crimes, crime_median)
                && c as f64 > m
            {
                signals.push(Signal::CrimeAboveMedian);
            }
            if let (Some(e), Some(m)) = (a.events, event_median)
                && e as f64 > m
            {
                signals.push(Signal::EventsAboveMedian);
            }
            (signals, a)
        })
        .collect();
    let key =
        |s: &(Vec<Signal>, &AreaEvidence)| (s.0.len(), s.1.share.map(|x| (x * 1e6).round() as i64));
    scored.sort_by(|x, y| {
        key(y)
            .cmp(&key(x))
            .then(y.1.pins.cmp(&x.1.pins))
            .then(x.1.code.cmp(&y.1.code))
    });
    let mut out: Vec<Ranked> = Vec::with_capacity(scored.len());
    let mut previous: Option<(usize, Option<i64>)> = None;
    for (i, entry) in scored.iter().enumerate() {
        let k = key(entry);
        let rank = match (previous, out.last()) {
            (Some(p), Some(last)) if p == k => last.rank,
            _ => i + 1,
        };
        previous = Some(k);
        out.push(Ranked {
            code: entry.1.code.clone(),
            rank,
            signals: entry.0.clone(),
        });
    }
    out
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values.get(mid).copied()
    } else {
        Some((values.get(mid - 1)? + values.get(mid)?) / 2.0)
    }
}

#[cfg(test)]
#[expect(clippy::indexing_slicing, reason = "tests fail loudly")]
mod tests {
    use super::*;

    fn area(
        code: &str,
        share: Option<(f64, f64)>,
        hotspots: usize,
        pins: usize,
        open: usize,
        crimes: Option<u64>,
    ) -> AreaEvidence {
        AreaEvidence {
            code: code.to_owned(),
            share: share.map(|s| s.0),
            share_low: share.map(|s| s.1),
            hotspots,
            pins,
            open_findings: open,
            crimes,
            events: crimes.map(|c| c * 2),
        }
    }

    #[test]
    fn the_area_most_signals_point_at_comes_first_and_each_signal_is_named() {
        let ranked = rank_areas(
            &[
                area("brunna", Some((0.20, 0.15)), 0, 10, 0, Some(5)),
                area("bro", Some((0.40, 0.33)), 1, 120, 3, Some(50)),
                area("kungsangen", Some((0.30, 0.24)), 1, 80, 0, Some(30)),
            ],
            Some(0.28),
        );
        assert_eq!(ranked[0].code, "bro");
        assert_eq!(
            ranked[0].signals,
            vec![
                Signal::IndicatorAbove,
                Signal::Hotspot,
                Signal::PinsAboveMedian,
                Signal::OpenFindings,
                Signal::CrimeAboveMedian,
                Signal::EventsAboveMedian
            ]
        );
        assert_eq!(ranked[1].code, "kungsangen");
        assert_eq!(ranked[1].signals, vec![Signal::Hotspot]);
        assert_eq!((ranked[2].code.as_str(), ranked[2].rank), ("brunna", 3));
    }

    #[test]
    fn an_interval_that_reaches_the_municipality_share_is_not_a_signal() {
        let ranked = rank_areas(&[area("a", Some((0.35, 0.28)), 0, 0, 0, None)], Some(0.28));
        assert!(ranked[0].signals.is_empty());
    }

    #[test]
    fn equal_signals_and_shares_share_a_rank_and_a_hidden_share_comes_last() {
        let ranked = rank_areas(
            &[
                area("a", None, 0, 5, 0, None),
                area("b", Some((0.3, 0.2)), 0, 5, 0, None),
                area("c", Some((0.3, 0.2)), 0, 5, 0, None),
            ],
            Some(0.5),
        );
        let ranks: Vec<(&str, usize)> = ranked.iter().map(|r| (r.code.as_str(), r.rank)).collect();
        assert_eq!(ranks, vec![("b", 1), ("c", 1), ("a", 3)]);
    }
}
