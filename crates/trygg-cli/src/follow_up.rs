//! `trygg promise …` and `trygg walk …`: focus areas, medborgarlöften and their
//! progress, the effect follow-up, safety walks and their findings, with CSV and
//! XLSX exports. The same rules as the staff API, through the same domain parsers.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use trygg_analysis::stats::{DidGroups, Group, area_groups, difference_in_differences};
use trygg_domain::{
    ActivityId, Finding, FindingId, FindingInput, FocusArea, FocusAreaInput, Municipality,
    ProgressEntry, ProgressInput, Promise, PromiseId, PromiseInput, SafetyWalk, StatusInput,
    WalkId, WalkInput, parse_date,
};
use trygg_store::Store;

/// `trygg promise …`
#[derive(Debug, Subcommand)]
pub enum PromiseCommand {
    /// List focus areas.
    FocusAreas,
    /// Add a focus area from a JSON file (name, kind, area_code, starts_on, ends_on, rationale).
    AddFocusArea {
        /// The JSON file.
        file: PathBuf,
    },
    /// List promises with their activities, progress against target and status.
    List {
        /// The day the status is judged on (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
    },
    /// Add a promise from a JSON file (focus_area_id, title, period, parties, expected_effect, indicator).
    Add {
        /// The JSON file.
        file: PathBuf,
    },
    /// Add an activity to a promise from a JSON file (title, owner, target, unit, due_on).
    AddActivity {
        /// The promise's id.
        #[arg(long)]
        promise: uuid::Uuid,
        /// The JSON file.
        file: PathBuf,
    },
    /// Record progress on an activity.
    Progress {
        /// The activity's id.
        #[arg(long)]
        activity: uuid::Uuid,
        /// The day the work was done (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        /// How many units it adds.
        #[arg(long)]
        amount: u32,
        /// A short public text (at most 280 characters).
        #[arg(long)]
        text: String,
    },
    /// The effect follow-up: difference-in-differences of the linked indicator,
    /// focus area against the rest of the municipality, baseline against a later round.
    Effect {
        /// The promise's id.
        promise: uuid::Uuid,
        /// The later round's survey slug.
        #[arg(long)]
        later: String,
        /// Another baseline round than the promise's own.
        #[arg(long)]
        baseline: Option<String>,
    },
    /// Export promises, one row per activity.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
        format: TableFormat,
        /// The file to write (standard output for CSV when left out).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// `trygg walk …`
#[derive(Debug, Subcommand)]
pub enum WalkCommand {
    /// List walks with their findings.
    List,
    /// Plan a walk from a JSON file (title, area_code, walked_on, route or stops, participants).
    Add {
        /// The JSON file.
        file: PathBuf,
    },
    /// Record a finding from a JSON file (location, category, note, responsible, due_on).
    Finding {
        /// The walk's id.
        #[arg(long)]
        walk: uuid::Uuid,
        /// The JSON file.
        file: PathBuf,
    },
    /// Change a finding's status: reported, planned, fixed or wont_fix (with --reason).
    Status {
        /// The finding's id.
        finding: uuid::Uuid,
        /// The new status.
        #[arg(long)]
        status: String,
        /// Why it will not be fixed.
        #[arg(long)]
        reason: Option<String>,
        /// The day it was fixed (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        fixed_on: Option<String>,
    },
    /// Export findings, one row each: the walk protocol's action list.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
        format: TableFormat,
        /// The file to write (standard output for CSV when left out).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// Table export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TableFormat {
    /// Comma-separated values, UTF-8, header row.
    Csv,
    /// An Excel workbook with one sheet.
    Xlsx,
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn day(raw: Option<&str>, flag: &str) -> anyhow::Result<time::Date> {
    raw.map_or_else(
        || Ok(today()),
        |d| parse_date(d, flag).map_err(anyhow::Error::from),
    )
}

/// Reads a JSON file into `T`, naming the file, line and column of a syntax or shape error.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(file: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        anyhow::anyhow!(
            "{}:{}:{}: field `{}`: {}",
            file.display(),
            inner.line(),
            inner.column(),
            e.path(),
            inner
        )
    })
}

pub(crate) fn in_file<T>(
    file: &Path,
    result: Result<T, trygg_domain::DomainError>,
) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("{}: field `{}`: {}", file.display(), e.field, e.message))
}

/// Runs `trygg promise …` in `municipality`.
pub async fn promise(
    store: &Store,
    municipality: &Municipality,
    command: PromiseCommand,
) -> anyhow::Result<()> {
    let m = municipality.id;
    match command {
        PromiseCommand::FocusAreas => {
            for f in store.focus_areas(m).await? {
                println!(
                    "{}\t{}\t{}\t{} – {}\t{}",
                    f.id,
                    f.name,
                    f.kind.as_str(),
                    f.period.starts_on,
                    f.period.ends_on,
                    f.area_code.map_or_else(String::new, |c| c.to_string())
                );
            }
        }
        PromiseCommand::AddFocusArea { file } => {
            let input: FocusAreaInput = read_json(&file)?;
            let f = in_file(&file, FocusArea::parse(input, m))?;
            store.insert_focus_area(&f).await?;
            println!("Added focus area {} ({}).", f.name, f.id);
        }
        PromiseCommand::List { on } => {
            let on = day(on.as_deref(), "--on")?;
            for p in store.promises(m).await? {
                println!("{}  {}  [{}]", p.id, p.title.sv, p.status(on).as_str());
                for a in &p.activities {
                    println!(
                        "    {}  {}/{} {}  due {}  [{}]  {}",
                        a.id,
                        a.achieved_by(on),
                        a.target,
                        a.unit,
                        a.due_on,
                        a.status(on).as_str(),
                        a.title.sv
                    );
                }
            }
        }
        PromiseCommand::Add { file } => {
            let input: PromiseInput = read_json(&file)?;
            let p = in_file(&file, Promise::parse(input, m))?;
            if store.focus_area(m, p.focus_area_id).await?.is_none() {
                bail!(
                    "{}: field `focus_area_id`: no focus area {} in {}",
                    file.display(),
                    p.focus_area_id,
                    municipality.slug
                );
            }
            store.insert_promise(&p).await?;
            println!("Added promise {} ({}).", p.title.sv, p.id);
        }
        PromiseCommand::AddActivity { promise, file } => {
            let p = store
                .promise(m, PromiseId::from_uuid(promise))
                .await?
                .with_context(|| format!("no promise {promise} in {}", municipality.slug))?;
            let input = read_json(&file)?;
            let a = in_file(&file, trygg_domain::Activity::parse(input, &p))?;
            store.insert_activity(m, &a).await?;
            println!("Added activity {} ({}).", a.title.sv, a.id);
        }
        PromiseCommand::Progress {
            activity,
            on,
            amount,
            text,
        } => {
            let id = ActivityId::from_uuid(activity);
            let p = store
                .promise_of_activity(m, id)
                .await?
                .with_context(|| format!("no activity {activity} in {}", municipality.slug))?;
            let a = p
                .activities
                .iter()
                .find(|a| a.id == id)
                .context("the activity vanished while reading")?;
            let input = ProgressInput {
                on: day(on.as_deref(), "--on")?,
                amount,
                text,
                note: None,
            };
            let entry = ProgressEntry::parse(input, a, today())
                .map_err(|e| anyhow::anyhow!("--{}: {}", e.field, e.message))?;
            store.insert_progress(m, &entry).await?;
            println!(
                "Recorded {amount} {} on {}: {}/{} now.",
                a.unit,
                entry.on,
                a.achieved() + u64::from(amount),
                a.target
            );
        }
        PromiseCommand::Effect {
            promise,
            later,
            baseline,
        } => {
            let p = store
                .promise(m, PromiseId::from_uuid(promise))
                .await?
                .with_context(|| format!("no promise {promise} in {}", municipality.slug))?;
            let link = p
                .indicator
                .context("the promise has no linked indicator to follow up")?;
            let baseline = baseline.unwrap_or_else(|| link.baseline_survey.to_string());
            let (focus_baseline, rest_baseline) = round_groups(store, &baseline, &link).await?;
            let (focus_later, rest_later) = round_groups(store, &later, &link).await?;
            let did = difference_in_differences(
                &DidGroups {
                    focus_baseline,
                    focus_later,
                    rest_baseline,
                    rest_later,
                },
                0.95,
            )?;
            println!(
                "{} in {} from {baseline} to {later}:",
                link.indicator, link.area_code
            );
            println!(
                "  {}: {:.1} % -> {:.1} % ({:+.1} points, n = {} and {})",
                link.area_code,
                100.0 * focus_baseline.mean,
                100.0 * focus_later.mean,
                100.0 * did.focus_change,
                focus_baseline.n,
                focus_later.n
            );
            println!(
                "  rest of the municipality: {:.1} % -> {:.1} % ({:+.1} points)",
                100.0 * rest_baseline.mean,
                100.0 * rest_later.mean,
                100.0 * did.rest_change
            );
            println!(
                "  difference-in-differences: {:+.1} points, 95 % interval {:+.1} to {:+.1} ({})",
                100.0 * did.estimate,
                100.0 * did.interval.low,
                100.0 * did.interval.high,
                did.flag.describe()
            );
            println!(
                "  This is evidence, not proof: it assumes {} would otherwise have changed like the rest of the municipality.",
                link.area_code
            );
        }
        PromiseCommand::Export { format, output } => {
            let (header, rows) = promise_rows(&store.promises(m).await?, today());
            write_table(&header, &rows, format, output.as_deref(), "Medborgarlöften")?;
        }
    }
    Ok(())
}

/// Runs `trygg walk …` in `municipality`.
pub async fn walk(
    store: &Store,
    municipality: &Municipality,
    command: WalkCommand,
) -> anyhow::Result<()> {
    let m = municipality.id;
    match command {
        WalkCommand::List => {
            let findings = store.findings(m, None).await?;
            for w in store.walks(m).await? {
                println!("{}  {}  {}  {}", w.id, w.walked_on, w.area_code, w.title);
                for f in findings.iter().filter(|f| f.walk_id == w.id) {
                    println!(
                        "    {}  {:<10} {:<9} {}  ({})",
                        f.id,
                        f.category.as_str(),
                        f.status.as_str(),
                        f.note,
                        f.responsible
                    );
                }
            }
        }
        WalkCommand::Add { file } => {
            let input: WalkInput = read_json(&file)?;
            let w = in_file(&file, SafetyWalk::parse(input, m))?;
            store.insert_walk(&w).await?;
            println!("Planned walk {} on {} ({}).", w.title, w.walked_on, w.id);
        }
        WalkCommand::Finding { walk, file } => {
            let w = store
                .walk(m, WalkId::from_uuid(walk))
                .await?
                .with_context(|| format!("no walk {walk} in {}", municipality.slug))?;
            let input: FindingInput = read_json(&file)?;
            let f = in_file(&file, Finding::parse(input, &w))?;
            store.save_finding(m, &f).await?;
            println!("Recorded finding {} ({}).", f.note, f.id);
        }
        WalkCommand::Status {
            finding,
            status,
            reason,
            fixed_on,
        } => {
            let mut f = store
                .finding(m, FindingId::from_uuid(finding))
                .await?
                .with_context(|| format!("no finding {finding} in {}", municipality.slug))?;
            let input = StatusInput {
                status,
                fixed_on: fixed_on
                    .as_deref()
                    .map(|d| parse_date(d, "--fixed-on"))
                    .transpose()?,
                reason,
                due_on: None,
            };
            f.update(&input, today())
                .map_err(|e| anyhow::anyhow!("--{}: {}", e.field.replace('_', "-"), e.message))?;
            store.save_finding(m, &f).await?;
            println!("Finding {} is now {}.", f.id, f.status.as_str());
        }
        WalkCommand::Export { format, output } => {
            let walks = store.walks(m).await?;
            let findings = store.findings(m, None).await?;
            let (header, rows) = finding_rows(&walks, &findings);
            write_table(&header, &rows, format, output.as_deref(), "Åtgärdslista")?;
        }
    }
    Ok(())
}

/// The focus area's and the rest's outcomes on the linked indicator in one round.
async fn round_groups(
    store: &Store,
    slug: &str,
    link: &trygg_domain::IndicatorLink,
) -> anyhow::Result<(Group, Group)> {
    let survey = store
        .survey_by_slug(slug)
        .await?
        .with_context(|| format!("no survey `{slug}`; `trygg survey list` shows the rounds"))?;
    let responses = store.responses(&survey).await?;
    Ok(area_groups(
        &survey,
        &responses,
        link.indicator.as_str(),
        link.area_code.as_str(),
    )?)
}

/// One row per activity: the promise, the activity, its target, progress and status on `on`.
fn promise_rows(promises: &[Promise], on: time::Date) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "promise_id",
        "promise",
        "period_start",
        "period_end",
        "parties",
        "promise_status",
        "activity_id",
        "activity",
        "owner",
        "target",
        "unit",
        "achieved",
        "due_on",
        "activity_status",
        "latest_update",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    for p in promises {
        for a in &p.activities {
            rows.push(vec![
                p.id.to_string(),
                p.title.sv.clone(),
                p.period.starts_on.to_string(),
                p.period.ends_on.to_string(),
                p.parties.join("; "),
                p.status(on).as_str().to_owned(),
                a.id.to_string(),
                a.title.sv.clone(),
                a.owner.clone(),
                a.target.to_string(),
                a.unit.clone(),
                a.achieved_by(on).to_string(),
                a.due_on.to_string(),
                a.status(on).as_str().to_owned(),
                a.progress
                    .last()
                    .map_or_else(String::new, |e| format!("{}: {}", e.on, e.text)),
            ]);
        }
    }
    (header, rows)
}

/// One row per finding, with its walk: the protocol's action list.
fn finding_rows(walks: &[SafetyWalk], findings: &[Finding]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "walk",
        "walked_on",
        "area",
        "finding_id",
        "category",
        "note",
        "responsible",
        "status",
        "fixed_on",
        "reason",
        "due_on",
        "lon",
        "lat",
    ]
    .map(String::from)
    .to_vec();
    let rows = findings
        .iter()
        .map(|f| {
            let w = walks.iter().find(|w| w.id == f.walk_id);
            let (fixed_on, reason) = match &f.status {
                trygg_domain::FindingStatus::Fixed { fixed_on } => (fixed_on.to_string(), ""),
                trygg_domain::FindingStatus::WontFix { reason } => (String::new(), reason.as_str()),
                _ => (String::new(), ""),
            };
            vec![
                w.map_or_else(String::new, |w| w.title.clone()),
                w.map_or_else(String::new, |w| w.walked_on.to_string()),
                w.map_or_else(String::new, |w| w.area_code.to_string()),
                f.id.to_string(),
                f.category.swedish().to_owned(),
                f.note.clone(),
                f.responsible.clone(),
                f.status.as_str().to_owned(),
                fixed_on,
                reason.to_owned(),
                f.due_on.map_or_else(String::new, |d| d.to_string()),
                f.location.lon().to_string(),
                f.location.lat().to_string(),
            ]
        })
        .collect();
    (header, rows)
}

fn write_table(
    header: &[String],
    rows: &[Vec<String>],
    format: TableFormat,
    output: Option<&Path>,
    sheet: &str,
) -> anyhow::Result<()> {
    match format {
        TableFormat::Csv => {
            let out: Box<dyn std::io::Write> = match output {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(header)?;
            for row in rows {
                writer.write_record(row)?;
            }
            writer.flush()?;
        }
        TableFormat::Xlsx => {
            let path = output.context("an XLSX export needs --output FILE.xlsx")?;
            let mut book = rust_xlsxwriter::Workbook::new();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let ws = book.add_worksheet();
            ws.set_name(sheet)?;
            for (c, h) in header.iter().enumerate() {
                ws.write_with_format(0, u16::try_from(c)?, h, &bold)?;
            }
            for (r, row) in rows.iter().enumerate() {
                let r = u32::try_from(r + 1)?;
                for (c, value) in row.iter().enumerate() {
                    let c = u16::try_from(c)?;
                    // Counts go in as numbers so Excel can sum them.
                    match value.parse::<f64>() {
                        Ok(n) if !value.is_empty() && !value.contains('-') => {
                            ws.write_number(r, c, n)?
                        }
                        _ => ws.write_string(r, c, value)?,
                    };
                }
            }
            ws.autofit();
            book.save(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}
