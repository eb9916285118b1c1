//! The lägesbild's tables as CSV, UTF-8 with a byte-order mark so Excel reads å, ä and ö.
//!
//! [`Dialect::Comma`] is the international form (decimal point); [`Dialect::Semicolon`]
//! is what Swedish Excel opens directly: semicolons between fields and decimal commas.

use crate::model::Lagesbild;
use crate::tables::{flat_tables, trend_rows};

/// The byte-order mark that tells Excel the file is UTF-8.
pub const BOM: &str = "\u{feff}";

/// CSV flavours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `,` between fields, `.` in numbers.
    Comma,
    /// `;` between fields, `,` in numbers (Swedish Excel).
    Semicolon,
}

/// The header of the tables CSV.
pub const HEADER: [&str; 17] = [
    "typ",
    "nyckel",
    "rubrik",
    "indelning",
    "grupp",
    "gruppnamn",
    "alternativ",
    "alternativnamn",
    "n",
    "n_eff",
    "antal",
    "andel",
    "ki_lag",
    "ki_hog",
    "osaker",
    "anmarkning",
    "omgang",
];

/// Every table, one row per cell, then the changes since the compared round.
///
/// # Errors
/// Only if writing to memory fails.
pub fn tables(lagesbild: &Lagesbild, dialect: Dialect) -> Result<Vec<u8>, ::csv::Error> {
    let delimiter = match dialect {
        Dialect::Comma => b',',
        Dialect::Semicolon => b';',
    };
    let number = |x: Option<f64>| {
        x.map_or_else(String::new, |x| {
            let text = format!("{x:.6}");
            match dialect {
                Dialect::Comma => text,
                Dialect::Semicolon => text.replace('.', ","),
            }
        })
    };
    let whole = |x: Option<u64>| x.map_or_else(String::new, |x| x.to_string());
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(BOM.as_bytes().to_vec());
    writer.write_record(HEADER)?;
    let round = lagesbild.survey.round.clone();
    for table in flat_tables(lagesbild) {
        for row in &table.rows {
            writer.write_record([
                table.kind.to_owned(),
                table.key.clone(),
                table.title.clone(),
                row.breakdown.clone(),
                row.group.clone(),
                row.group_label.clone(),
                row.option.clone(),
                row.option_label.clone(),
                whole(row.n),
                number(row.n_eff),
                whole(row.count),
                number(row.value),
                number(row.low),
                number(row.high),
                if row.uncertain { "ja" } else { "" }.to_owned(),
                row.note.clone(),
                round.clone(),
            ])?;
        }
    }
    for trend in trend_rows(lagesbild) {
        let change = trend.change;
        writer.write_record([
            "forandring".to_owned(),
            trend.key.clone(),
            format!("{} → {}", trend.from, trend.to),
            String::new(),
            String::new(),
            trend.group_label.clone(),
            trend.option.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            number(change.map(|c| c.0)),
            number(change.map(|c| c.1)),
            number(change.map(|c| c.2)),
            String::new(),
            match change {
                Some((_, _, _, p)) => format!("{}; p = {}", trend.flag, number(Some(p))),
                None => trend.flag.clone(),
            },
            trend.to.clone(),
        ])?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}
