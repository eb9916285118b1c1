//! The weekly lägesbild of händelser the EST meeting reads: this week's
//! reports by area and category, each count set against the four weeks before
//! and against the same time last year with an exact conditional Poisson test
//! (as statsmodels `test_poisson_2indep(…, method="exact-cond")`, exposure in
//! weeks), so "more than usual" is said only when chance is an unlikely
//! explanation.
//!
//! Merged reports do not count (the report they were merged into does). A
//! report counts in the ISO week of the local date it was reported with, and
//! in the area whose outline holds its point; a report given only in words
//! counts under no area.

use std::collections::BTreeMap;

use serde::Serialize;
use trygg_analysis::events::poisson_exact_cond;
use trygg_domain::{Boundary, EventReport, IsoWeek, MunicipalityId, ReportStatus};
use trygg_store::Store;
use utoipa::ToSchema;

use crate::csv::text_cell;
use crate::workflow::WorkflowError;

/// The level below which a change is called more or fewer than usual.
pub const CHANGE_ALPHA: f64 = 0.05;

/// Weeks before this week that make its usual level.
pub const PREVIOUS_WEEKS: u32 = 4;

/// Weeks around the same week a year earlier (52 weeks back, two either side).
pub const LAST_YEAR_WEEKS: u32 = 5;

/// What a count says against a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// More than the baseline, at p < [`CHANGE_ALPHA`].
    More,
    /// Fewer than the baseline, at p < [`CHANGE_ALPHA`].
    Fewer,
    /// Within what chance gives.
    AsUsual,
}

/// This week's count against one baseline.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Comparison {
    /// Reports in the baseline's weeks.
    count: u64,
    /// How many weeks the baseline spans.
    weeks: u32,
    /// Reports a week in the baseline.
    per_week: f64,
    /// The exact conditional test's two-sided p-value.
    p: f64,
    change: Change,
}

impl Comparison {
    fn new(this_week: u64, count: u64, weeks: u32) -> Self {
        let p = poisson_exact_cond(this_week, 1.0, count, f64::from(weeks));
        let per_week = count as f64 / f64::from(weeks);
        let change = if p >= CHANGE_ALPHA {
            Change::AsUsual
        } else if this_week as f64 > per_week {
            Change::More
        } else {
            Change::Fewer
        };
        Self {
            count,
            weeks,
            per_week,
            p,
            change,
        }
    }

    /// More, fewer or as usual.
    pub const fn change(&self) -> Change {
        self.change
    }
}

/// One line of the weekly picture: an area, a category, or one of each.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WeekLine {
    /// The area's code; `null` for reports with no point in an area, or for a
    /// line of all areas.
    area: Option<String>,
    /// The area's name, as the municipality's areas give it.
    area_name: Option<String>,
    /// The category; `null` for a line of all categories.
    category: Option<String>,
    /// Reports this week.
    this_week: u64,
    /// Against the four weeks before.
    previous: Comparison,
    /// Against the same weeks a year earlier.
    last_year: Comparison,
}

impl WeekLine {
    /// Reports this week.
    pub const fn this_week(&self) -> u64 {
        self.this_week
    }

    /// Against the four weeks before.
    pub const fn previous(&self) -> &Comparison {
        &self.previous
    }

    /// The area's code.
    pub fn area(&self) -> Option<&str> {
        self.area.as_deref()
    }

    /// The category.
    pub fn category(&self) -> Option<&str> {
        self.category.as_deref()
    }
}

/// The weekly picture.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WeekPicture {
    /// E.g. `2026-W49`.
    week: String,
    /// The weeks the "before" baseline spans, e.g. `2026-W45 – 2026-W48`.
    previous_weeks: String,
    /// The weeks the "last year" baseline spans.
    last_year_weeks: String,
    /// Every report of the week.
    total: WeekLine,
    /// Per area, most reports first.
    areas: Vec<WeekLine>,
    /// Per category, most reports first.
    categories: Vec<WeekLine>,
    /// Per area and category with a report this week or a change, most first.
    cells: Vec<WeekLine>,
}

impl WeekPicture {
    /// Every report of the week.
    pub const fn total(&self) -> &WeekLine {
        &self.total
    }

    /// Per area and category.
    pub fn cells(&self) -> &[WeekLine] {
        &self.cells
    }
}

impl WeekPicture {
    fn lines_mut(&mut self) -> impl Iterator<Item = &mut WeekLine> {
        std::iter::once(&mut self.total)
            .chain(&mut self.areas)
            .chain(&mut self.categories)
            .chain(&mut self.cells)
    }

    /// Every line with what it sums: `total`, `area`, `category` or `cell`.
    fn lines(&self) -> impl Iterator<Item = (&'static str, &WeekLine)> {
        std::iter::once(("total", &self.total))
            .chain(self.areas.iter().map(|l| ("area", l)))
            .chain(self.categories.iter().map(|l| ("category", l)))
            .chain(self.cells.iter().map(|l| ("cell", l)))
    }

    /// The picture as CSV, one line per total, area, category and cell.
    ///
    /// # Errors
    /// Writing failed.
    pub fn write_csv(&self, out: impl std::io::Write) -> Result<(), ::csv::Error> {
        let mut csv = ::csv::Writer::from_writer(out);
        csv.write_record([
            "week",
            "sums",
            "area",
            "category",
            "this_week",
            "previous_count",
            "previous_weeks",
            "previous_p",
            "previous_change",
            "last_year_count",
            "last_year_weeks",
            "last_year_p",
            "last_year_change",
        ])?;
        for (sums, l) in self.lines() {
            let [pc, pw, pp, pch] = l.previous.cells();
            let [yc, yw, yp, ych] = l.last_year.cells();
            csv.write_record([
                self.week.as_str(),
                sums,
                &text_cell(l.area.as_deref().unwrap_or_default()),
                &text_cell(l.category.as_deref().unwrap_or_default()),
                &l.this_week.to_string(),
                &pc,
                &pw,
                &pp,
                &pch,
                &yc,
                &yw,
                &yp,
                &ych,
            ])?;
        }
        csv.flush()?;
        Ok(())
    }

    /// The picture as Markdown in Swedish, for the EST meeting's notes.
    pub fn markdown(&self) -> String {
        use std::fmt::Write as _;
        let mut out = format!(
            "# Händelser vecka {}\n\nJämfört med veckorna {} och samma tid förra året ({}). \"Fler\" och \"färre\" sägs bara när p < 0,05 (exakt betingat Poisson-test).\n\n| | Område | Kategori | Denna vecka | Snitt före | Mot före | Förra året, snitt | Mot förra året |\n|---|---|---|---:|---:|---|---:|---|\n",
            self.week, self.previous_weeks, self.last_year_weeks
        );
        for (sums, l) in self.lines() {
            let what = match sums {
                "total" => "Alla",
                "area" => "Område",
                "category" => "Kategori",
                _ => "",
            };
            let _ = writeln!(
                out,
                "| {what} | {} | {} | {} | {} | {} | {} | {} |",
                l.area_name.as_deref().or(l.area.as_deref()).unwrap_or("–"),
                l.category.as_deref().unwrap_or("–"),
                l.this_week,
                decimal_sv(l.previous.per_week),
                l.previous.change.sv(),
                decimal_sv(l.last_year.per_week),
                l.last_year.change.sv(),
            );
        }
        out
    }
}

/// `x` with one decimal and a decimal comma, as Swedish writes it.
fn decimal_sv(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

impl Comparison {
    /// Count, weeks, p and change, as CSV cells.
    fn cells(&self) -> [String; 4] {
        [
            self.count.to_string(),
            self.weeks.to_string(),
            format!("{:.6}", self.p),
            self.change.as_str().to_owned(),
        ]
    }
}

impl Change {
    /// The snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::More => "more",
            Self::Fewer => "fewer",
            Self::AsUsual => "as_usual",
        }
    }

    /// In Swedish, for the meeting's notes.
    const fn sv(self) -> &'static str {
        match self {
            Self::More => "**fler**",
            Self::Fewer => "**färre**",
            Self::AsUsual => "som vanligt",
        }
    }
}

/// Where a counted report falls.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Counted {
    /// Its ISO week.
    pub week: IsoWeek,
    /// Its area's code.
    pub area: Option<String>,
    /// Its category.
    pub category: String,
}

/// Which baseline a week falls in, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    ThisWeek,
    Previous,
    LastYear,
}

fn slot(week: IsoWeek, of: IsoWeek) -> Option<Slot> {
    match of.weeks_since(week) {
        0 => Some(Slot::ThisWeek),
        1..=4 => Some(Slot::Previous),
        50..=54 => Some(Slot::LastYear),
        _ => None,
    }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    this_week: u64,
    previous: u64,
    last_year: u64,
}

impl Tally {
    fn add(&mut self, slot: Slot) {
        match slot {
            Slot::ThisWeek => self.this_week += 1,
            Slot::Previous => self.previous += 1,
            Slot::LastYear => self.last_year += 1,
        }
    }

    fn line(self, area: Option<String>, category: Option<String>) -> WeekLine {
        WeekLine {
            area,
            area_name: None,
            category,
            this_week: self.this_week,
            previous: Comparison::new(self.this_week, self.previous, PREVIOUS_WEEKS),
            last_year: Comparison::new(self.this_week, self.last_year, LAST_YEAR_WEEKS),
        }
    }
}

fn lines<K: Ord>(
    tallies: BTreeMap<K, Tally>,
    name: impl Fn(K) -> (Option<String>, Option<String>),
) -> Vec<WeekLine> {
    let mut lines: Vec<WeekLine> = tallies
        .into_iter()
        .map(|(key, tally)| {
            let (area, category) = name(key);
            tally.line(area, category)
        })
        .collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.this_week));
    lines
}

/// The picture of `week` from the counted reports (any weeks; those outside
/// the week and its baselines are passed over).
pub fn picture(week: IsoWeek, counted: &[Counted]) -> WeekPicture {
    let mut total = Tally::default();
    let mut areas: BTreeMap<Option<String>, Tally> = BTreeMap::new();
    let mut categories: BTreeMap<String, Tally> = BTreeMap::new();
    let mut cells: BTreeMap<(Option<String>, String), Tally> = BTreeMap::new();
    for c in counted {
        let Some(slot) = slot(c.week, week) else {
            continue;
        };
        total.add(slot);
        areas.entry(c.area.clone()).or_default().add(slot);
        categories.entry(c.category.clone()).or_default().add(slot);
        cells
            .entry((c.area.clone(), c.category.clone()))
            .or_default()
            .add(slot);
    }
    let span = |from: IsoWeek, to: IsoWeek| format!("{from} – {to}");
    let mut cells = lines(cells, |(area, category)| (area, Some(category)));
    cells.retain(|l| l.this_week > 0 || l.previous.change != Change::AsUsual);
    WeekPicture {
        week: week.to_string(),
        previous_weeks: span(week.minus(PREVIOUS_WEEKS), week.minus(1)),
        last_year_weeks: span(week.minus(54), week.minus(50)),
        total: total.line(None, None),
        areas: lines(areas, |area| (area, None)),
        categories: lines(categories, |category| (None, Some(category))),
        cells,
    }
}

/// Where `report` counts, unless it was merged into another.
pub fn counted(report: &EventReport, boundary: &Boundary) -> Option<Counted> {
    if matches!(report.status(), ReportStatus::Merged(_)) {
        return None;
    }
    let d = report.details();
    Some(Counted {
        week: IsoWeek::of(d.occurred_at().date()),
        area: d
            .location()
            .and_then(|l| boundary.area_of(l))
            .map(|k| k.as_str().to_owned()),
        category: d.category().as_str().to_owned(),
    })
}

/// The weekly picture of the municipality's reports in `raw_week` (`YYYY-Www`).
///
/// # Errors
/// A week that is not one (422 on `week`); the store's.
pub async fn week(
    store: &Store,
    m: MunicipalityId,
    raw_week: &str,
) -> Result<WeekPicture, WorkflowError> {
    let week = IsoWeek::parse(raw_week, "week")?;
    let areas = store.areas(m).await?;
    let boundary = Boundary::of(&areas);
    let counted: Vec<Counted> = store
        .event_reports(m, None)
        .await?
        .iter()
        .filter_map(|r| counted(r, &boundary))
        .collect();
    let names: BTreeMap<&str, &str> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let mut picture = picture(week, &counted);
    for line in picture.lines_mut() {
        line.area_name = line
            .area
            .as_deref()
            .and_then(|code| names.get(code))
            .map(|&name| name.to_owned());
    }
    Ok(picture)
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
mod tests {
    use super::*;

    fn at(week: &str, area: &str, category: &str, n: usize) -> Vec<Counted> {
        let counted = Counted {
            week: IsoWeek::parse(week, "").unwrap(),
            area: Some(area.to_owned()),
            category: category.to_owned(),
        };
        vec![counted; n]
    }

    #[test]
    fn a_week_with_many_more_reports_than_the_four_before_is_called_more() {
        let week = IsoWeek::parse("2026-W49", "").unwrap();
        let mut counted = at("2026-W49", "brunna", "klotter", 12);
        for before in ["2026-W45", "2026-W46", "2026-W47", "2026-W48"] {
            counted.extend(at(before, "brunna", "klotter", 2));
        }
        counted.extend(at("2026-W49", "bro", "brand", 1));
        counted.extend(at("2026-W40", "bro", "brand", 30)); // outside every baseline
        let picture = picture(week, &counted);
        assert_eq!(picture.total().this_week(), 13);
        let brunna = &picture.cells()[0];
        assert_eq!(
            (brunna.area(), brunna.category()),
            (Some("brunna"), Some("klotter"))
        );
        assert_eq!(brunna.previous().change(), Change::More);
        // 12 against 8 in four weeks (poisson_exact_cond's own example).
        assert!(brunna.previous().p < 0.001);
        let bro = &picture.cells()[1];
        assert_eq!(bro.previous().change(), Change::AsUsual);
        assert_eq!(picture.previous_weeks, "2026-W45 – 2026-W48");
        assert_eq!(picture.last_year_weeks, "2025-W47 – 2025-W51");
    }

    #[test]
    fn the_same_weeks_last_year_are_the_baseline_a_year_back() {
        let week = IsoWeek::parse("2026-W49", "").unwrap();
        let mut counted = at("2026-W49", "bro", "brand", 1);
        counted.extend(at("2025-W49", "bro", "brand", 40));
        let picture = picture(week, &counted);
        let line = &picture.cells()[0];
        assert_eq!(line.last_year.count, 40);
        assert_eq!(line.last_year.change, Change::Fewer);
        assert_eq!(line.previous.count, 0);
    }
}
