//! The lägesbild as a Markdown summary for a terminal or a notebook: each indicator
//! per round of the series and per area, with 95 % intervals, then its change since
//! the compared round, and how the respondents were weighted.

use std::fmt::Write as _;

use trygg_analysis::stats::{IndicatorCell, Measure, Trend};

use crate::model::Lagesbild;

/// The summary. Suppressed cells say why; cells with fewer than 60 respondents are
/// marked uncertain.
pub fn summary(lagesbild: &Lagesbild) -> String {
    let mut out = String::new();
    let report = &lagesbild.report;
    let _ = writeln!(out, "# Lägesbild: {}\n", report.survey);
    let mut keys: Vec<&str> = Vec::new();
    for table in &report.indicators {
        if !keys.contains(&table.key.as_str()) {
            keys.push(&table.key);
        }
    }
    for key in keys {
        indicator(&mut out, lagesbild, key);
    }
    if let Some(w) = report.weighting {
        let _ = writeln!(
            out,
            "Weighted by raking: {} sweeps, largest margin error {:.1e}, {} weights trimmed, design effect {:.3}, effective n {:.1}.",
            w.iterations, w.max_relative_error, w.trimmed, w.design_effect, w.n_eff
        );
    }
    out
}

/// One indicator: a row per round and group, then its changes.
fn indicator(out: &mut String, lagesbild: &Lagesbild, key: &str) {
    let label = lagesbild
        .report
        .indicators
        .iter()
        .find(|t| t.key == key)
        .map_or(key, |t| t.label.as_str());
    let _ = writeln!(out, "## {label} ({key})\n");
    let _ = writeln!(out, "| round | group | n | value | 95 % CI | note |");
    let _ = writeln!(out, "|---|---|---:|---:|---|---|");
    for round in &lagesbild.series {
        for table in round.indicators.iter().filter(|t| t.key == key) {
            for cell in &table.cells {
                row(out, &round.round, table.measure, cell);
            }
        }
    }
    let trends: Vec<&Trend> = lagesbild
        .report
        .trends
        .iter()
        .filter(|t| t.key == key && t.option.is_none() && t.group_by.len() <= 1)
        .collect();
    if !trends.is_empty() {
        let _ = writeln!(out);
    }
    for trend in trends {
        change(out, trend);
    }
    let _ = writeln!(out);
}

fn row(out: &mut String, round: &str, measure: Measure, cell: &IndicatorCell) {
    let group = group_name(&cell.group);
    let Some(e) = &cell.estimate else {
        let reason = cell.suppressed.map_or_else(String::new, |r| r.describe());
        let _ = writeln!(out, "| {round} | {group} | | suppressed | | {reason} |");
        return;
    };
    let show = |x: f64| match measure {
        Measure::Share => format!("{:.1} %", 100.0 * x),
        Measure::Mean => format!("{x:.2}"),
    };
    let note = if cell.uncertain {
        "uncertain (n < 60)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "| {round} | {group} | {} | {} | {} – {} | {note} |",
        e.n,
        show(e.value),
        show(e.interval.low),
        show(e.interval.high)
    );
}

fn change(out: &mut String, trend: &Trend) {
    let (from, to, group) = (&trend.from_round, &trend.to_round, group_name(&trend.group));
    let _ = match &trend.change {
        Some(c) => writeln!(
            out,
            "- Change {from} → {to}, {group}: {:+.1} percentage points (95 % CI {:+.1} to {:+.1}, p = {:.3}): {}",
            100.0 * c.difference,
            100.0 * c.interval.low,
            100.0 * c.interval.high,
            c.p_value,
            c.flag.describe()
        ),
        None => writeln!(
            out,
            "- Change {from} → {to}, {group}: not shown, a round's value is suppressed"
        ),
    };
}

fn group_name(group: &[String]) -> String {
    if group.is_empty() {
        "alla".to_owned()
    } else {
        group.join(" × ")
    }
}
