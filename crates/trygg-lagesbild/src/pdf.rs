//! The PDF report "Lägesbild {kommun} {omgång}", in Swedish, ready to attach to a
//! medborgarlöfte decision: method and response summary, the indicators with 95 %
//! intervals and their trend across rounds, what changed, the hotspot map, area
//! profiles, and every question as a bar chart with interval whiskers.
//!
//! Why krilla: it is a well-kept, pure-Rust PDF writer (by a typst developer, and the
//! PDF backend typst itself uses) that embeds and subsets TrueType fonts, so the file
//! looks the same everywhere and its text can be searched and extracted. Typst through
//! a crate would give a template language, but it builds several hundred crates and
//! adds minutes to every cold CI build on two cores; printpdf's default features pull in
//! an HTML layout engine and system font discovery. Charts and the map are drawn as
//! vectors from the same [`Lagesbild`] value, so they stay sharp when printed.
//! The font is DejaVu Sans (Bitstream Vera licence, in `assets/`), which covers å, ä, ö.
//!
//! Layout is a simple display list: the writer places text, rectangles and polygons on
//! A4 pages, breaking pages when the next block does not fit, and [`report`] then turns
//! the list into PDF.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use trygg_analysis::stats::IndicatorTable;

use crate::model::Lagesbild;
use crate::tables::flag_sv;
use crate::text::{percent_sv, share_sv};

const REGULAR: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/DejaVuSans-Bold.ttf");

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const TEXT: Colour = (33, 37, 41);
const MUTED: Colour = (90, 96, 104);
const ACCENT: Colour = (0, 84, 147);
const LIGHT: Colour = (222, 226, 230);
/// Height of the hotspot map's box.
const MAP_HEIGHT: f32 = 420.0;

type Colour = (u8, u8, u8);

/// Why a PDF cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The embedded font could not be read.
    #[error("the embedded font cannot be read")]
    Font,
    /// krilla refused the document.
    #[error("the PDF cannot be written: {0}")]
    Write(String),
}

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: Colour,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Colour,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        colour: Colour,
    },
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Colour,
        stroke: Option<Colour>,
    },
}

/// Places blocks top to bottom on A4 pages.
struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` points still fit.
    fn need(&mut self, height: f32) {
        if self.y + height > HEIGHT - MARGIN {
            self.new_page();
        }
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, colour: Colour, text: &str) {
        self.push(Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text: text.to_owned(),
        });
    }

    fn heading(&mut self, text: &str, size: f32) {
        self.need(size * 3.0);
        self.y += size * 0.8;
        self.text_at(MARGIN, self.y + size, size, true, ACCENT, text);
        self.y += size * 1.6;
    }

    /// A paragraph wrapped to the text width. Widths are estimated from the font size;
    /// DejaVu Sans averages a little over half an em per character.
    fn paragraph(&mut self, text: &str, size: f32, colour: Colour) {
        let per_line = ((WIDTH - 2.0 * MARGIN) / (size * 0.55)).floor() as usize;
        for line in wrap(text, per_line.max(20)) {
            self.need(size * 1.5);
            self.text_at(MARGIN, self.y + size, size, false, colour, &line);
            self.y += size * 1.45;
        }
        self.y += size * 0.5;
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Colour) {
        self.push(Op::Rect { x, y, w, h, colour });
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, colour: Colour) {
        self.push(Op::Line {
            from,
            to,
            width,
            colour,
        });
    }
}

fn wrap(text: &str, per_line: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > per_line {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A value as printed: shares and problem indexes as percentages, other means with
/// one decimal.
fn value_text(l: &Lagesbild, table: &IndicatorTable, value: f64) -> String {
    if l.in_percent(table) {
        percent_sv(value)
    } else {
        format!("{value:.1}").replace('.', ",")
    }
}

fn interval_text(l: &Lagesbild, table: &IndicatorTable, low: f64, high: f64) -> String {
    if l.in_percent(table) {
        format!("{}–{} %", share_sv(low), share_sv(high))
    } else {
        format!("{low:.1}–{high:.1}").replace('.', ",")
    }
}

/// Writes the report.
///
/// # Errors
/// [`PdfError`] if the font cannot be read or krilla refuses the document.
pub fn report(lagesbild: &Lagesbild) -> Result<Vec<u8>, PdfError> {
    let mut layout = Layout::new();
    front_page(&mut layout, lagesbild);
    indicators(&mut layout, lagesbild);
    changes(&mut layout, lagesbild);
    map_page(&mut layout, lagesbild);
    area_profiles(&mut layout, lagesbild);
    questions(&mut layout, lagesbild);
    render(layout, lagesbild)
}

fn front_page(layout: &mut Layout, l: &Lagesbild) {
    // A municipality's name can be long ("Upplands-Bro (syntetiska demodata)"), so the
    // title wraps; bold DejaVu Sans at 24 pt fits about 32 characters on a line.
    for line in wrap(&l.title(), 32) {
        layout.text_at(MARGIN, layout.y + 24.0, 24.0, true, ACCENT, &line);
        layout.y += 30.0;
    }
    layout.y += 10.0;
    layout.text_at(
        MARGIN,
        layout.y + 12.0,
        12.0,
        false,
        MUTED,
        &l.survey.title_sv,
    );
    layout.y += 22.0;
    if l.municipality.synthetic {
        layout.text_at(
            MARGIN,
            layout.y + 11.0,
            11.0,
            true,
            (160, 40, 40),
            "Syntetiska demodata: siffrorna beskriver ingen verklig kommun.",
        );
        layout.y += 20.0;
    }
    layout.heading("Metod och svar", 14.0);
    let k = &l.key_figures;
    let period = match &l.survey.closes_on {
        Some(closes) => format!("{} till {}", l.survey.opens_on, closes),
        None => format!("från {}", l.survey.opens_on),
    };
    let mut text = format!(
        "Enkäten var öppen {period}. {} personer svarade{}. {} platser markerades på kartan av {} svarande",
        k.respondents,
        if l.filters.filters_respondents() {
            format!(
                " i urvalet ({}) av {} totalt",
                l.filters.describe(),
                k.respondents_total
            )
        } else {
            String::new()
        },
        k.pins,
        k.respondents_with_pins,
    );
    if let Some(share) = k.share_with_pins {
        text.push_str(&format!(" ({} av de svarande)", percent_sv(share)));
    }
    text.push_str(". ");
    if let (Some(letters), Some(rate)) = (k.invitations, k.response_rate) {
        text.push_str(&format!(
            "Svarsfrekvens {} ({letters} inbjudningsbrev med kod). ",
            percent_sv(rate)
        ));
    }
    text.push_str(
        "Andelar redovisas med 95 % konfidensintervall (Wilson). Svaret \"vet ej\" räknas inte in i andelarna. \
         Grupper med färre än 30 svar, och antal från 1 till 4, visas inte; fler celler döljs i alla tabeller \
         och indikatorer tillsammans tills en granskning visar att ingen dold cell kan räknas fram. \
         Värden med 30–59 svar är osäkra.",
    );
    if l.weighted {
        text.push_str(" Svaren är vägda till befolkningens fördelning (raking).");
    } else {
        text.push_str(" Svaren är ovägda.");
    }
    if let Some(round) = &l.compared_with {
        text.push_str(&format!(
            " Förändringar jämförs med omgången {round} med Newcombes intervall; en förändring är signifikant när intervallet inte innehåller noll."
        ));
    }
    text.push_str(
        " Kartans hotspots är grupper av H3-celler (cirka 170 m) som är heta enligt Getis–Ord Gi* med minst 95 % säkerhet.",
    );
    layout.paragraph(&text, 10.0, TEXT);
}

fn indicators(layout: &mut Layout, l: &Lagesbild) {
    layout.heading("Indikatorer", 14.0);
    let columns = [
        MARGIN,
        MARGIN + 195.0,
        MARGIN + 250.0,
        MARGIN + 335.0,
        MARGIN + 375.0,
    ];
    layout.need(20.0);
    for (x, title) in columns
        .iter()
        .zip(["Indikator", "Värde", "95 % KI", "n", "Förändring"])
    {
        layout.text_at(*x, layout.y + 9.0, 9.0, true, MUTED, title);
    }
    layout.y += 14.0;
    for table in l.report.indicators.iter().filter(|t| t.group_by.is_empty()) {
        let label = l.indicator_sv(&table.key);
        let lines = wrap(&label, 38);
        let trend = l
            .report
            .trends
            .iter()
            .find(|t| t.key == table.key && t.option.is_none() && t.group.is_empty());
        // The change column is the narrowest: about 120 pt, some 22 characters at 9 pt.
        let change_lines = trend
            .and_then(|t| t.change)
            .map_or_else(Vec::new, |change| {
                wrap(
                    &format!(
                        "{:+.1} pe, {}",
                        100.0 * change.difference,
                        flag_sv(change.flag)
                    )
                    .replace('.', ","),
                    22,
                )
            });
        let height = lines.len().max(change_lines.len()).max(2);
        layout.need(12.0 * height as f32 + 6.0);
        layout.line((MARGIN, layout.y), (WIDTH - MARGIN, layout.y), 0.5, LIGHT);
        let top = layout.y;
        for (i, line) in lines.iter().enumerate() {
            layout.text_at(MARGIN, top + 11.0 + 11.0 * i as f32, 9.0, false, TEXT, line);
        }
        let cell = table.cells.first();
        match cell.and_then(|c| c.estimate) {
            Some(e) => {
                let values = [
                    value_text(l, table, e.value),
                    interval_text(l, table, e.interval.low, e.interval.high),
                    e.n.to_string(),
                ];
                for (x, text) in columns.iter().skip(1).zip(values) {
                    layout.text_at(*x, top + 11.0, 9.0, false, TEXT, &text);
                }
            }
            None => layout.text_at(columns[1], top + 11.0, 9.0, false, MUTED, "dold"),
        }
        for (i, line) in change_lines.iter().enumerate() {
            layout.text_at(
                columns[4],
                top + 11.0 + 11.0 * i as f32,
                9.0,
                false,
                TEXT,
                line,
            );
        }
        layout.y = top + 12.0 * height as f32 + 4.0;
    }
    layout.y += 8.0;
    for table in l.share_indicators() {
        trend_chart(layout, l, &table.key);
    }
}

/// The indicator in every round, as dots with interval whiskers.
fn trend_chart(layout: &mut Layout, l: &Lagesbild, key: &str) {
    let points: Vec<(String, f64, f64, f64)> = l
        .series
        .iter()
        .filter_map(|round| {
            let table = round
                .indicators
                .iter()
                .find(|t| t.key == key && t.group_by.is_empty())?;
            let e = table.cells.first()?.estimate?;
            Some((
                round.round.clone(),
                e.value,
                e.interval.low,
                e.interval.high,
            ))
        })
        .collect();
    if points.is_empty() {
        return;
    }
    let height = 140.0;
    layout.need(height + 40.0);
    let title = format!("{}: alla omgångar", l.indicator_sv(key));
    for line in wrap(&title, 90) {
        layout.text_at(MARGIN, layout.y + 10.0, 9.5, true, TEXT, &line);
        layout.y += 13.0;
    }
    let top = layout.y + 6.0;
    let left = MARGIN + 40.0;
    let right = WIDTH - MARGIN - 20.0;
    let high = points.iter().map(|p| p.3).fold(0.0_f64, f64::max).max(0.1);
    let scale = (high * 10.0).ceil() / 10.0;
    let y_of = |v: f64| top + height - (v / scale) as f32 * height;
    for step in 0..=4 {
        let v = scale * f64::from(step) / 4.0;
        let y = y_of(v);
        layout.line((left, y), (right, y), 0.4, LIGHT);
        layout.text_at(MARGIN, y + 3.0, 8.0, false, MUTED, &percent_sv(v));
    }
    let gap = (right - left) / points.len() as f32;
    let mut previous: Option<(f32, f32)> = None;
    for (i, (round, value, low, high)) in points.iter().enumerate() {
        let x = left + gap * (i as f32 + 0.5);
        layout.line((x, y_of(*low)), (x, y_of(*high)), 1.2, MUTED);
        layout.line((x - 4.0, y_of(*low)), (x + 4.0, y_of(*low)), 1.0, MUTED);
        layout.line((x - 4.0, y_of(*high)), (x + 4.0, y_of(*high)), 1.0, MUTED);
        let y = y_of(*value);
        if let Some(from) = previous {
            layout.line(from, (x, y), 1.0, ACCENT);
        }
        previous = Some((x, y));
        layout.rect(x - 3.0, y - 3.0, 6.0, 6.0, ACCENT);
        layout.text_at(x + 7.0, y + 3.0, 8.0, true, TEXT, &percent_sv(*value));
        layout.text_at(x - 10.0, top + height + 12.0, 8.5, false, TEXT, round);
    }
    layout.y = top + height + 26.0;
}

fn changes(layout: &mut Layout, l: &Lagesbild) {
    let Some(round) = &l.compared_with else {
        return;
    };
    layout.heading(&format!("Vad har förändrats sedan {round}"), 14.0);
    let mut significant: Vec<(f64, String)> = l
        .report
        .trends
        .iter()
        .filter(|t| t.group.is_empty())
        .filter_map(|t| {
            let change = t.change?;
            if change.flag == trygg_analysis::stats::TrendFlag::NoSignificantChange {
                return None;
            }
            let what = match &t.option {
                None => l.indicator_sv(&t.key),
                Some(option) => {
                    let question = l.question(&t.key)?;
                    if question
                        .options
                        .iter()
                        .any(|o| &o.key == option && o.dont_know)
                    {
                        return None;
                    }
                    format!("{}: {}", question.sv, question.option_sv(option))
                }
            };
            let text = format!(
                "{what}: {} procentenheter ({} till {}), {}.",
                format!("{:+.1}", 100.0 * change.difference).replace('.', ","),
                format!("{:+.1}", 100.0 * change.interval.low).replace('.', ","),
                format!("{:+.1}", 100.0 * change.interval.high).replace('.', ","),
                flag_sv(change.flag)
            );
            Some((change.difference.abs(), text))
        })
        .collect();
    significant.sort_by(|a, b| b.0.total_cmp(&a.0));
    if significant.is_empty() {
        layout.paragraph(
            "Ingen indikator eller svarsandel har förändrats signifikant sedan förra omgången.",
            10.0,
            TEXT,
        );
    }
    for (_, text) in significant.iter().take(8) {
        layout.paragraph(&format!("• {text}"), 10.0, TEXT);
    }
    for hotspot in l
        .map
        .hotspots
        .iter()
        .filter(|h| h.previous_pins.is_some())
        .take(4)
    {
        layout.paragraph(&format!("• {}.", hotspot.sentence), 10.0, TEXT);
    }
}

fn class_colour(class: &str) -> Colour {
    match class {
        "hot_99" => (178, 24, 43),
        "hot_95" => (214, 96, 77),
        "hot_90" => (244, 165, 130),
        "cold_90" => (146, 197, 222),
        "cold_95" => (67, 147, 195),
        "cold_99" => (33, 102, 172),
        _ => (240, 240, 240),
    }
}

fn map_page(layout: &mut Layout, l: &Lagesbild) {
    // The heading, the map and its legend together, on a new page only when needed.
    layout.need(MAP_HEIGHT + 80.0);
    layout.heading("Otrygga platser: hotspots (Getis–Ord Gi*)", 14.0);
    let cells: Vec<(Vec<(f64, f64)>, &str)> = l
        .map
        .cells
        .iter()
        .filter_map(|c| {
            let index: h3o::CellIndex = c.h3.parse().ok()?;
            let ring = trygg_analysis::hotspot::hex_ring(index);
            Some((ring, c.class.as_str()))
        })
        .collect();
    // The districts' outlines frame the hexagons, so a reader sees where the hot
    // cells lie: at a station, in a centre, at the edge of town.
    let outlines: Vec<&Vec<(f64, f64)>> = l
        .map
        .areas
        .iter()
        .flat_map(|a| a.polygons.iter().filter_map(|rings| rings.first()))
        .collect();
    let (mut west, mut south, mut east, mut north) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for ring in cells
        .iter()
        .map(|(ring, _)| ring)
        .chain(outlines.iter().copied())
    {
        for &(x, y) in ring {
            west = west.min(x);
            east = east.max(x);
            south = south.min(y);
            north = north.max(y);
        }
    }
    if cells.is_empty() {
        layout.paragraph("Inga platser markerades.", 10.0, TEXT);
        return;
    }
    let cos = ((south + north) / 2.0).to_radians().cos();
    let box_w = f64::from(WIDTH - 2.0 * MARGIN);
    let box_h = f64::from(MAP_HEIGHT);
    let scale = (box_w / ((east - west) * cos)).min(box_h / (north - south));
    let top = layout.y;
    let to_page = |(x, y): (f64, f64)| {
        (
            MARGIN + ((x - west) * cos * scale) as f32,
            top + ((north - y) * scale) as f32,
        )
    };
    for (ring, class) in &cells {
        layout.push(Op::Polygon {
            points: ring.iter().map(|&p| to_page(p)).collect(),
            fill: class_colour(class),
            stroke: Some((255, 255, 255)),
        });
    }
    for ring in &outlines {
        for pair in ring.windows(2) {
            if let [from, to] = pair {
                layout.line(to_page(*from), to_page(*to), 0.8, MUTED);
            }
        }
    }
    for area in &l.map.areas {
        // The name at the middle of the area's largest ring's vertices: rough,
        // but inside for the compact districts of a municipality.
        let largest = area
            .polygons
            .iter()
            .filter_map(|rings| rings.first())
            .max_by_key(|ring| ring.len());
        if let Some(ring) = largest
            && !ring.is_empty()
        {
            let n = ring.len() as f64;
            let centre = (
                ring.iter().map(|p| p.0).sum::<f64>() / n,
                ring.iter().map(|p| p.1).sum::<f64>() / n,
            );
            let (x, y) = to_page(centre);
            layout.text_at(x - 15.0, y, 8.0, false, MUTED, &area.name);
        }
    }
    for (i, hotspot) in l.map.hotspots.iter().enumerate() {
        let (x, y) = to_page(hotspot.centroid);
        layout.text_at(x + 4.0, y - 4.0, 9.0, true, TEXT, &(i + 1).to_string());
    }
    layout.y = top + ((north - south) * scale) as f32 + 14.0;
    let legend = [
        ("hot_99", "het 99 %"),
        ("hot_95", "het 95 %"),
        ("hot_90", "het 90 %"),
        ("not_significant", "ej signifikant"),
        ("cold_95", "kall 95 %"),
    ];
    let mut x = MARGIN;
    for (class, label) in legend {
        layout.rect(x, layout.y, 10.0, 10.0, class_colour(class));
        layout.text_at(x + 14.0, layout.y + 9.0, 8.5, false, TEXT, label);
        x += 90.0;
    }
    layout.y += 24.0;
    for (i, hotspot) in l.map.hotspots.iter().enumerate() {
        layout.paragraph(&format!("{}. {}.", i + 1, hotspot.sentence), 10.0, TEXT);
    }
}

fn area_profiles(layout: &mut Layout, l: &Lagesbild) {
    let Some(area) = l
        .questions
        .iter()
        .find(|q| q.background.as_deref() == Some("area"))
    else {
        return;
    };
    layout.heading("Områdesprofiler", 14.0);
    for option in &area.options {
        let mut lines = Vec::new();
        for table in l
            .report
            .indicators
            .iter()
            .filter(|t| t.group_by.len() == 1 && t.group_by.first() == Some(&area.key))
        {
            let Some(cell) = table
                .cells
                .iter()
                .find(|c| c.group.first() == Some(&option.key))
            else {
                continue;
            };
            let text = match cell.estimate {
                Some(e) => format!(
                    "{}: {} ({}, n = {})",
                    l.indicator_sv(&table.key),
                    value_text(l, table, e.value),
                    interval_text(l, table, e.interval.low, e.interval.high),
                    e.n
                ),
                None => format!("{}: dold (för få svar)", l.indicator_sv(&table.key)),
            };
            lines.push(text);
        }
        let hotspots: Vec<&str> = l
            .map
            .hotspots
            .iter()
            .filter(|h| h.area.as_deref() == Some(option.sv.as_str()))
            .map(|h| h.name.as_str())
            .collect();
        if !hotspots.is_empty() {
            lines.push(format!("Hotspots: {}", hotspots.join(", ")));
        }
        layout.need(40.0);
        layout.text_at(MARGIN, layout.y + 11.0, 11.0, true, TEXT, &option.sv);
        layout.y += 17.0;
        for line in lines {
            layout.paragraph(&line, 9.0, TEXT);
        }
    }
}

fn questions(layout: &mut Layout, l: &Lagesbild) {
    layout.new_page();
    layout.heading(
        "Frågorna: andel per svarsalternativ med 95 % intervall",
        14.0,
    );
    for table in l.report.tables.iter().filter(|t| t.group_by.is_empty()) {
        let Some(question) = l.question(&table.question) else {
            continue;
        };
        let bars: Vec<_> = table.cells.iter().filter(|c| !c.dont_know).collect();
        let title = wrap(&question.sv, 95);
        layout.need(16.0 * bars.len() as f32 + 14.0 * title.len() as f32 + 20.0);
        for line in title {
            layout.text_at(MARGIN, layout.y + 10.0, 9.5, true, TEXT, &line);
            layout.y += 13.0;
        }
        let label_w = 170.0;
        let bar_left = MARGIN + label_w;
        let bar_w = WIDTH - 2.0 * MARGIN - label_w - 60.0;
        for cell in bars {
            let y = layout.y + 2.0;
            let label: String = question.option_sv(&cell.option).chars().take(34).collect();
            layout.text_at(MARGIN, y + 9.0, 8.5, false, TEXT, &label);
            layout.rect(bar_left, y, bar_w, 11.0, (245, 246, 247));
            match cell.estimate {
                Some(e) => {
                    let w = bar_w * e.share as f32;
                    layout.rect(bar_left, y, w, 11.0, ACCENT);
                    let low = bar_left + bar_w * e.interval.low as f32;
                    let high = bar_left + bar_w * e.interval.high as f32;
                    layout.line((low, y + 5.5), (high, y + 5.5), 1.0, TEXT);
                    layout.line((low, y + 2.0), (low, y + 9.0), 1.0, TEXT);
                    layout.line((high, y + 2.0), (high, y + 9.0), 1.0, TEXT);
                    layout.text_at(
                        bar_left + bar_w + 6.0,
                        y + 9.0,
                        8.5,
                        false,
                        TEXT,
                        &percent_sv(e.share),
                    );
                }
                None => layout.text_at(bar_left + bar_w + 6.0, y + 9.0, 8.5, false, MUTED, "dold"),
            }
            layout.y += 15.0;
        }
        layout.y += 8.0;
    }
}

fn colour(c: Colour) -> krilla::color::Color {
    rgb::Color::new(c.0, c.1, c.2).into()
}

fn fill(c: Colour) -> Fill {
    Fill {
        paint: colour(c).into(),
        opacity: NormalizedF32::ONE,
        rule: krilla::paint::FillRule::default(),
    }
}

fn render(layout: Layout, l: &Lagesbild) -> Result<Vec<u8>, PdfError> {
    let regular = Font::new(REGULAR.into(), 0).ok_or(PdfError::Font)?;
    let bold = Font::new(BOLD.into(), 0).ok_or(PdfError::Font)?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(l.title())
            .language("sv".to_owned())
            .creator("Trygg".to_owned()),
    );
    let count = layout.pages.len();
    for (number, ops) in layout.pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT)
            .ok_or_else(|| PdfError::Write("page size".to_owned()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let footer = format!("{} · sida {} av {count}", l.title(), number + 1);
        let ops = ops.into_iter().chain(std::iter::once(Op::Text {
            x: MARGIN,
            y: HEIGHT - 25.0,
            size: 8.0,
            bold: false,
            colour: MUTED,
            text: footer,
        }));
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold: is_bold,
                    colour: c,
                    text,
                } => {
                    surface.set_fill(Some(fill(c)));
                    let font = if is_bold {
                        bold.clone()
                    } else {
                        regular.clone()
                    };
                    surface.draw_text(
                        Point::from_xy(x, y),
                        font,
                        size,
                        &text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Rect {
                    x,
                    y,
                    w,
                    h,
                    colour: c,
                } => {
                    let Some(rect) = Rect::from_xywh(x, y, w.max(0.01), h) else {
                        continue;
                    };
                    let mut builder = PathBuilder::new();
                    builder.push_rect(rect);
                    if let Some(path) = builder.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(c)));
                        surface.draw_path(&path);
                    }
                }
                Op::Line {
                    from,
                    to,
                    width,
                    colour: c,
                } => {
                    let mut builder = PathBuilder::new();
                    builder.move_to(from.0, from.1);
                    builder.line_to(to.0, to.1);
                    if let Some(path) = builder.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: colour(c).into(),
                            width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Polygon {
                    points,
                    fill: f,
                    stroke,
                } => {
                    let mut builder = PathBuilder::new();
                    for (i, (x, y)) in points.iter().enumerate() {
                        if i == 0 {
                            builder.move_to(*x, *y);
                        } else {
                            builder.line_to(*x, *y);
                        }
                    }
                    builder.close();
                    if let Some(path) = builder.finish() {
                        surface.set_fill(Some(fill(f)));
                        surface.set_stroke(stroke.map(|c| Stroke {
                            paint: colour(c).into(),
                            width: 0.3,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))
}
