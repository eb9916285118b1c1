//! The report's tables as flat rows: what the CSV, the Excel workbook and the PDF print.

use trygg_analysis::stats::{SuppressionReason, TrendFlag};

use crate::model::Lagesbild;

/// One table: an indicator or a question, with all its breakdowns.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatTable {
    /// Indicator or question key.
    pub key: String,
    /// Swedish label or question text.
    pub title: String,
    /// `indikator` or `fråga`.
    pub kind: &'static str,
    /// Whether values are shares (else means).
    pub share: bool,
    /// Rows.
    pub rows: Vec<Row>,
}

/// One published cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Breakdown variable, empty overall.
    pub breakdown: String,
    /// Group key(s), empty overall.
    pub group: String,
    /// Group label, "alla" overall.
    pub group_label: String,
    /// Option key (questions), or the indicator key.
    pub option: String,
    /// Option label.
    pub option_label: String,
    /// Unweighted base.
    pub n: Option<u64>,
    /// Effective base.
    pub n_eff: Option<f64>,
    /// Unweighted count.
    pub count: Option<u64>,
    /// Share or mean.
    pub value: Option<f64>,
    /// Lower 95 % limit.
    pub low: Option<f64>,
    /// Upper 95 % limit.
    pub high: Option<f64>,
    /// Shown but uncertain (base below 60).
    pub uncertain: bool,
    /// Why the cell is hidden, in Swedish.
    pub note: String,
}

/// One change between two rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    /// Indicator or question key.
    pub key: String,
    /// Option key, empty for an indicator.
    pub option: String,
    /// Group label.
    pub group_label: String,
    /// Earlier round.
    pub from: String,
    /// Later round.
    pub to: String,
    /// Difference in shares, with its 95 % interval and p-value.
    pub change: Option<(f64, f64, f64, f64)>,
    /// In words, Swedish.
    pub flag: String,
}

/// Why a cell is hidden, in Swedish.
pub fn reason_sv(reason: &SuppressionReason) -> String {
    match reason {
        SuppressionReason::NoRespondents => "inga svarande i gruppen".to_owned(),
        SuppressionReason::SmallBase { min } => {
            format!("dold: underlaget är mindre än {min}")
        }
        SuppressionReason::SmallEffectiveBase { min } => {
            format!("dold: effektivt underlag efter vägning är mindre än {min}")
        }
        SuppressionReason::SmallCount { max } => {
            format!("dold: antal från 1 till {max} visas aldrig")
        }
        SuppressionReason::Complementary => {
            "dold så att en annan dold cell inte kan räknas fram".to_owned()
        }
        SuppressionReason::Protected => {
            "dold: litet antal, eller dold så att ett litet antal inte kan räknas fram".to_owned()
        }
    }
}

/// A change's flag in Swedish.
pub const fn flag_sv(flag: TrendFlag) -> &'static str {
    match flag {
        TrendFlag::SignificantIncrease => "signifikant ökning",
        TrendFlag::SignificantDecrease => "signifikant minskning",
        TrendFlag::NoSignificantChange => "ingen signifikant förändring",
    }
}

/// Every indicator, then every question, as flat tables.
pub fn flat_tables(lagesbild: &Lagesbild) -> Vec<FlatTable> {
    let mut out: Vec<FlatTable> = Vec::new();
    for table in &lagesbild.report.indicators {
        let breakdown = table.group_by.join("×");
        let rows = table.cells.iter().map(|cell| {
            let e = cell.estimate;
            Row {
                breakdown: breakdown.clone(),
                group: cell.group.join("×"),
                group_label: lagesbild.group_label(&table.group_by, &cell.group),
                option: table.key.clone(),
                option_label: table.label.clone(),
                n: e.map(|e| e.n),
                n_eff: e.map(|e| e.n_eff),
                count: e.and_then(|e| e.count),
                value: e.map(|e| e.value),
                low: e.map(|e| e.interval.low),
                high: e.map(|e| e.interval.high),
                uncertain: cell.uncertain,
                note: note(cell.suppressed.as_ref(), cell.uncertain),
            }
        });
        match out.iter_mut().find(|t| t.key == table.key) {
            Some(existing) => existing.rows.extend(rows),
            None => out.push(FlatTable {
                key: table.key.clone(),
                title: lagesbild.indicator_sv(&table.key),
                kind: "indikator",
                share: lagesbild.in_percent(table),
                rows: rows.collect(),
            }),
        }
    }
    for table in &lagesbild.report.tables {
        let question = lagesbild.question(&table.question);
        let breakdown = table.group_by.join("×");
        let rows = table.cells.iter().map(|cell| {
            let e = cell.estimate;
            Row {
                breakdown: breakdown.clone(),
                group: cell.group.join("×"),
                group_label: lagesbild.group_label(&table.group_by, &cell.group),
                option: cell.option.clone(),
                option_label: question
                    .map_or_else(|| cell.option.clone(), |q| q.option_sv(&cell.option)),
                n: e.map(|e| e.n),
                n_eff: e.map(|e| e.n_eff),
                count: e.map(|e| e.count),
                value: e.map(|e| e.share),
                low: e.map(|e| e.interval.low),
                high: e.map(|e| e.interval.high),
                uncertain: cell.uncertain,
                note: note(cell.suppressed.as_ref(), cell.uncertain),
            }
        });
        match out.iter_mut().find(|t| t.key == table.question) {
            Some(existing) => existing.rows.extend(rows),
            None => out.push(FlatTable {
                key: table.question.clone(),
                title: question.map_or_else(|| table.question.clone(), |q| q.sv.clone()),
                kind: "fråga",
                share: true,
                rows: rows.collect(),
            }),
        }
    }
    out
}

fn note(reason: Option<&SuppressionReason>, uncertain: bool) -> String {
    match reason {
        Some(reason) => reason_sv(reason),
        None if uncertain => "osäker: underlaget är mindre än 60".to_owned(),
        None => String::new(),
    }
}

/// The changes since the compared round.
pub fn trend_rows(lagesbild: &Lagesbild) -> Vec<TrendRow> {
    lagesbild
        .report
        .trends
        .iter()
        .map(|t| TrendRow {
            key: t.key.clone(),
            option: t.option.clone().unwrap_or_default(),
            group_label: lagesbild.group_label(&t.group_by, &t.group),
            from: t.from_round.clone(),
            to: t.to_round.clone(),
            change: t
                .change
                .map(|c| (c.difference, c.interval.low, c.interval.high, c.p_value)),
            flag: t.change.map_or_else(
                || "visas inte: en omgångs värde är dolt".to_owned(),
                |c| flag_sv(c.flag).to_owned(),
            ),
        })
        .collect()
}

/// Definitions printed with every export.
pub const DEFINITIONS: [(&str, &str); 12] = [
    (
        "andel",
        "Andelen av dem som svarat på frågan i gruppen, utan \"vet ej\" (som redovisas för sig).",
    ),
    (
        "n",
        "Underlag: antal svarande i gruppen som besvarat frågan (ovägt).",
    ),
    (
        "n_eff",
        "Effektivt underlag (Kish) efter vägning; lika med n utan vägning.",
    ),
    ("antal", "Antal svarande som valt alternativet (ovägt)."),
    (
        "ki_lag, ki_hog",
        "95 % konfidensintervall (Wilson) för andelen, beräknat på det effektiva underlaget.",
    ),
    (
        "osäker",
        "Underlaget är 30–59: värdet visas men är osäkert.",
    ),
    (
        "dold",
        "Celler med underlag under 30, effektivt underlag under 30 eller antal 1–4 visas inte; fler celler döljs, i alla tabeller, indikatorer och \"vet ej\" tillsammans, så att ingen dold cell kan räknas fram ur det som publiceras. En granskning med linjärprogrammering visar för varje sådan cell att den kan vara 0 eller ligga minst 5 (och 5 procentenheter) åt båda håll.",
    ),
    (
        "förändring",
        "Skillnad mot jämförd omgång i procentenheter med Newcombes 95 % intervall och p-värde (tvåsidigt test av två andelar).",
    ),
    (
        "signifikant",
        "Intervallet för skillnaden innehåller inte noll.",
    ),
    (
        "vägning",
        "Vid vägning räknas svaren upp till befolkningens fördelning (raking/IPF).",
    ),
    (
        "hexagon",
        "H3-cell (upplösning 9, cirka 170 m kant) med antal markerade platser och Getis–Ord Gi*-klass.",
    ),
    (
        "hotspot",
        "Grupp av angränsande celler som är heta med minst 95 % säkerhet (999 permutationer).",
    ),
];
