//! The lägesbild's tables as CSV, UTF-8 with a byte-order mark so Excel reads å, ä and ö.
//!
//! [`Dialect::Comma`] is the international form (decimal point); [`Dialect::Semicolon`]
//! is what Swedish Excel opens directly: semicolons between fields and decimal commas.

use std::borrow::Cow;

use trygg_domain::{InvitationCode, Key, Slug};

use crate::model::Lagesbild;
use crate::tables::{flat_tables, trend_rows};

/// A text cell as a spreadsheet will show it rather than run it: a text that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or a full-width
/// `＝`, `＋`, `－` or `＠`) gets a leading `'`, so Excel, LibreOffice and
/// Google Sheets read it as text, not as a formula ("CSV injection", OWASP).
///
/// Every CSV Trygg writes passes its text cells, and only those, through this:
/// a number such as `-3.5` in a numeric column is written as it is, so which
/// cells are neutralised is decided by the column, never by the content.
/// Quoting alone would not help (a quoted `"=1+1"` is still a formula); the
/// CSV writer quotes a cell where the format needs it.
pub fn text_cell(text: &str) -> Cow<'_, str> {
    let formula = text.starts_with([
        '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    ]);
    if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The print shop's CSV of invitation letters, `kod,lank,omrade`: per code the
/// code as printed, the survey's link with the code (`{base_url}/s/{slug}?kod=…`)
/// and the area the letters go to.
///
/// # Errors
/// Only if writing to memory fails.
pub fn invitation_letters(
    codes: &[InvitationCode],
    base_url: &str,
    slug: &Slug,
    area: Option<&Key>,
) -> Result<Vec<u8>, ::csv::Error> {
    let base = base_url.trim_end_matches('/');
    let area = area.map(Key::as_str).unwrap_or_default();
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(["kod", "lank", "omrade"])?;
    for code in codes {
        let printed = code.printed();
        let link = format!("{base}/s/{slug}?kod={printed}");
        writer.write_record(
            [text_cell(&printed), text_cell(&link), text_cell(area)]
                .iter()
                .map(|c| c.as_bytes()),
        )?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

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
    let text = |x: &str| text_cell(x).into_owned();
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(BOM.as_bytes().to_vec());
    writer.write_record(HEADER)?;
    let round = lagesbild.survey.round.clone();
    for table in flat_tables(lagesbild) {
        for row in &table.rows {
            writer.write_record([
                text(table.kind),
                text(&table.key),
                text(&table.title),
                text(&row.breakdown),
                text(&row.group),
                text(&row.group_label),
                text(&row.option),
                text(&row.option_label),
                whole(row.n),
                number(row.n_eff),
                whole(row.count),
                number(row.value),
                number(row.low),
                number(row.high),
                if row.uncertain { "ja" } else { "" }.to_owned(),
                text(&row.note),
                text(&round),
            ])?;
        }
    }
    for trend in trend_rows(lagesbild) {
        let change = trend.change;
        writer.write_record([
            "forandring".to_owned(),
            text(&trend.key),
            text(&format!("{} → {}", trend.from, trend.to)),
            String::new(),
            String::new(),
            text(&trend.group_label),
            text(&trend.option),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            number(change.map(|c| c.0)),
            number(change.map(|c| c.1)),
            number(change.map(|c| c.2)),
            String::new(),
            text(&match change {
                Some((_, _, _, p)) => format!("{}; p = {}", trend.flag, number(Some(p))),
                None => trend.flag.clone(),
            }),
            text(&trend.to),
        ])?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_cell_that_a_spreadsheet_would_run_gets_a_leading_apostrophe() {
        let cases = [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("@SUM(1)", "'@SUM(1)"),
            ("+46 70 123", "'+46 70 123"),
            ("-3.5", "'-3.5"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("＝1+1", "'＝1+1"),
            ("Mörkt vid = stationen", "Mörkt vid = stationen"),
            ("3.5", "3.5"),
            ("", ""),
        ];
        for (raw, written) in cases {
            assert_eq!(text_cell(raw), written, "{raw:?}");
        }
    }

    #[test]
    fn the_print_shops_csv_neutralises_its_text_cells() -> Result<(), Box<dyn std::error::Error>> {
        let code = InvitationCode::parse("KX7PAM3QRT", "code")?;
        let slug = Slug::parse("trygghet-2026", "slug")?;
        let area = Key::parse("bro", "area")?;
        let csv = invitation_letters(&[code], "=cmd|' /C calc'!A0", &slug, Some(&area))?;
        assert_eq!(
            String::from_utf8(csv)?,
            "kod,lank,omrade\nKX7PA-M3QRT,'=cmd|' /C calc'!A0/s/trygghet-2026?kod=KX7PA-M3QRT,bro\n"
        );
        Ok(())
    }
}
