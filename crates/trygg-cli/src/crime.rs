//! `trygg crime import|list`: police-reported crime counts per area, the
//! optional fourth kind of evidence on the focus-area candidates page.
//!
//! The file is CSV with the columns `area_code,period,category,count`, one row
//! per area, period and category, e.g. `bro,2025,skadegörelse,41`. An import
//! replaces the rows of every period it names and writes all or nothing; a
//! broken row is named by file, line and column.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use trygg_domain::{CrimeCountInput, Municipality, parse_crime_counts};
use trygg_store::Store;

use crate::files;
use crate::terminal::say;
use trygg_lagesbild::csv::text_cell;

/// `trygg crime …`
#[derive(Debug, Subcommand)]
pub enum CrimeCommand {
    /// Import crime counts from CSV (area_code,period,category,count).
    Import {
        /// The CSV file.
        #[arg(long)]
        file: PathBuf,
    },
    /// List the imported crime counts as CSV.
    List,
}

/// Runs a crime command for municipality `m`.
pub async fn run(store: &Store, m: &Municipality, command: CrimeCommand) -> anyhow::Result<()> {
    match command {
        CrimeCommand::Import { file } => {
            let n = import(store, m, &file).await?;
            say!(
                "Imported {n} crime counts for {} from {}",
                m.slug,
                file.display()
            );
        }
        CrimeCommand::List => {
            let mut out = csv::Writer::from_writer(crate::terminal::stdout());
            out.write_record(["area_code", "period", "category", "count"])?;
            for c in store.crime_counts(m.id).await? {
                out.write_record([
                    text_cell(c.area_code.as_str()).as_ref(),
                    &text_cell(&c.period),
                    &text_cell(&c.category),
                    &c.count.to_string(),
                ])?;
            }
            out.flush()?;
        }
    }
    Ok(())
}

/// Reads, checks and stores `file`; nothing is stored unless every row is valid.
pub async fn import(store: &Store, m: &Municipality, file: &Path) -> anyhow::Result<usize> {
    let (rows, lines) =
        files::csv_rows::<CrimeCountInput>(file, &["area_code", "period", "category", "count"])
            .map_err(crate::import::refused(file))?;
    let areas: BTreeSet<String> = store
        .areas(m.id)
        .await?
        .into_iter()
        .map(|a| a.code.as_str().to_owned())
        .collect();
    let parsed = parse_crime_counts(rows, &areas).map_err(|e| {
        let line = e.row.and_then(|i| lines.get(i).copied().flatten());
        let column = (!e.error.field.is_empty() && e.row.is_some()).then(|| e.error.field.clone());
        let located = e.in_file(file).at_line(line).in_some_column(column);
        crate::import::refused(file)(located.into())
    })?;
    store.replace_crime_counts(m.id, &parsed).await?;
    Ok(parsed.len())
}
