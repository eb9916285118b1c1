//! The lägesbild as an Excel workbook (rust_xlsxwriter): an overview sheet, one sheet
//! per indicator and question with counts, shares, 95 % intervals and suppression
//! notes, the changes since the compared round, the hotspots, and the definitions.
//!
//! Shares are stored as numbers between 0 and 1 with a percent format, so Excel shows
//! them in the reader's own locale and they can be computed with.

use std::collections::HashSet;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::model::Lagesbild;
use crate::tables::{DEFINITIONS, flat_tables, trend_rows};

/// Column headers of a table sheet.
pub const TABLE_HEADER: [&str; 12] = [
    "Indelning",
    "Grupp",
    "Alternativ",
    "Alternativ (text)",
    "n",
    "n_eff",
    "Antal",
    "Andel",
    "95 % KI låg",
    "95 % KI hög",
    "Osäker",
    "Anmärkning",
];

/// Writes the workbook to memory.
///
/// # Errors
/// [`XlsxError`] if the workbook cannot be assembled.
pub fn workbook(lagesbild: &Lagesbild) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let share = Format::new().set_num_format("0.0%");
    let decimal = Format::new().set_num_format("0.0");
    let mut used: HashSet<String> = HashSet::new();

    let sheet = book.add_worksheet();
    sheet.set_name(unique_name("Översikt", &mut used))?;
    overview(sheet, lagesbild, &bold, &share)?;

    for table in flat_tables(lagesbild) {
        let sheet = book.add_worksheet();
        sheet.set_name(unique_name(&table.key, &mut used))?;
        sheet.write_string_with_format(0, 0, &table.title, &bold)?;
        sheet.write_string(1, 0, format!("{} · {}", table.kind, table.key))?;
        for (column, title) in (0u16..).zip(TABLE_HEADER) {
            sheet.write_string_with_format(3, column, title, &bold)?;
        }
        let value_format = if table.share { &share } else { &decimal };
        for (row, cell) in (4u32..).zip(&table.rows) {
            sheet.write_string(row, 0, &cell.breakdown)?;
            sheet.write_string(row, 1, &cell.group_label)?;
            sheet.write_string(row, 2, &cell.option)?;
            sheet.write_string(row, 3, &cell.option_label)?;
            if let Some(n) = cell.n {
                sheet.write_number(row, 4, n as f64)?;
            }
            if let Some(n_eff) = cell.n_eff {
                sheet.write_number_with_format(row, 5, n_eff, &decimal)?;
            }
            if let Some(count) = cell.count {
                sheet.write_number(row, 6, count as f64)?;
            }
            for (column, value) in [(7u16, cell.value), (8, cell.low), (9, cell.high)] {
                if let Some(value) = value {
                    sheet.write_number_with_format(row, column, value, value_format)?;
                }
            }
            if cell.uncertain {
                sheet.write_string(row, 10, "ja")?;
            }
            sheet.write_string(row, 11, &cell.note)?;
        }
        sheet.set_freeze_panes(4, 0)?;
        sheet.set_column_width(1, 18)?;
        sheet.set_column_width(3, 28)?;
        sheet.set_column_width(11, 50)?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name(unique_name("Förändringar", &mut used))?;
    let header = [
        "Nyckel",
        "Alternativ",
        "Grupp",
        "Från",
        "Till",
        "Skillnad",
        "95 % KI låg",
        "95 % KI hög",
        "p-värde",
        "Bedömning",
    ];
    for (column, title) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, column, title, &bold)?;
    }
    for (row, trend) in (1u32..).zip(trend_rows(lagesbild)) {
        sheet.write_string(row, 0, &trend.key)?;
        sheet.write_string(row, 1, &trend.option)?;
        sheet.write_string(row, 2, &trend.group_label)?;
        sheet.write_string(row, 3, &trend.from)?;
        sheet.write_string(row, 4, &trend.to)?;
        if let Some((difference, low, high, p)) = trend.change {
            sheet.write_number_with_format(row, 5, difference, &share)?;
            sheet.write_number_with_format(row, 6, low, &share)?;
            sheet.write_number_with_format(row, 7, high, &share)?;
            sheet.write_number(row, 8, p)?;
        }
        sheet.write_string(row, 9, &trend.flag)?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name(unique_name("Hotspots", &mut used))?;
    let header = [
        "Namn",
        "Område",
        "Markeringar",
        "Svarande",
        "Celler",
        "Beskrivning",
    ];
    for (column, title) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, column, title, &bold)?;
    }
    for (row, hotspot) in (1u32..).zip(&lagesbild.map.hotspots) {
        sheet.write_string(row, 0, &hotspot.name)?;
        sheet.write_string(row, 1, hotspot.area.as_deref().unwrap_or(""))?;
        sheet.write_number(row, 2, hotspot.pins as f64)?;
        sheet.write_number(row, 3, hotspot.respondents as f64)?;
        sheet.write_number(row, 4, hotspot.cells.len() as f64)?;
        sheet.write_string(row, 5, &hotspot.sentence)?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name(unique_name("Definitioner", &mut used))?;
    sheet.write_string_with_format(0, 0, "Begrepp", &bold)?;
    sheet.write_string_with_format(0, 1, "Definition", &bold)?;
    for (row, (term, text)) in (1u32..).zip(DEFINITIONS) {
        sheet.write_string(row, 0, term)?;
        sheet.write_string(row, 1, text)?;
    }
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 120)?;
    book.save_to_buffer()
}

fn overview(
    sheet: &mut Worksheet,
    lagesbild: &Lagesbild,
    bold: &Format,
    share: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, lagesbild.title(), bold)?;
    let mut rows: Vec<(&str, String)> = vec![
        ("Enkät", lagesbild.survey.title_sv.clone()),
        ("Omgång", lagesbild.survey.round.clone()),
        ("Urval", lagesbild.filters.describe()),
        (
            "Vägning",
            if lagesbild.weighted { "ja" } else { "nej" }.to_owned(),
        ),
        (
            "Jämförs med",
            lagesbild.compared_with.clone().unwrap_or_default(),
        ),
    ];
    if lagesbild.municipality.synthetic {
        rows.push(("Obs", "syntetiska demodata".to_owned()));
    }
    let mut row = 2u32;
    for (label, value) in rows {
        sheet.write_string_with_format(row, 0, label, bold)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }
    let k = &lagesbild.key_figures;
    for (label, value) in [
        ("Svarande", k.respondents as f64),
        ("Markerade platser", k.pins as f64),
        ("Svarande med markeringar", k.respondents_with_pins as f64),
    ] {
        sheet.write_string_with_format(row, 0, label, bold)?;
        sheet.write_number(row, 1, value)?;
        row += 1;
    }
    if let Some(with_pins) = k.share_with_pins {
        sheet.write_string_with_format(row, 0, "Andel med markeringar", bold)?;
        sheet.write_number_with_format(row, 1, with_pins, share)?;
        row += 1;
    }
    if let (Some(letters), Some(rate)) = (k.invitations, k.response_rate) {
        sheet.write_string_with_format(row, 0, "Inbjudningsbrev", bold)?;
        sheet.write_number(row, 1, letters as f64)?;
        row += 1;
        sheet.write_string_with_format(row, 0, "Svarsfrekvens", bold)?;
        sheet.write_number_with_format(row, 1, rate, share)?;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 60)?;
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn unique_name(wanted: &str, used: &mut HashSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while !used.insert(name.to_lowercase()) {
        name = format!("{clean}_{n}");
        n += 1;
    }
    name
}
