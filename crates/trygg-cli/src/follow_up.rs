//! `trygg promise …` and `trygg walk …`: focus areas, medborgarlöften and their
//! progress, the effect follow-up, safety walks and their findings, with CSV and
//! XLSX exports. The same rules as the staff API, through the same domain parsers.

use crate::terminal::say;
use std::path::{Path, PathBuf};
use trygg_lagesbild::csv::text_cell;

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
    let m = municipality;
    match command {
        PromiseCommand::FocusAreas => focus_areas(store, m).await,
        PromiseCommand::AddFocusArea { file } => add_focus_area(store, m, &file).await,
        PromiseCommand::List { on } => list_promises(store, m, day(on.as_deref(), "--on")?).await,
        PromiseCommand::Add { file } => add_promise(store, m, &file).await,
        PromiseCommand::AddActivity { promise, file } => {
            add_activity(store, m, promise, &file).await
        }
        PromiseCommand::Progress {
            activity,
            on,
            amount,
            text,
        } => {
            let on = day(on.as_deref(), "--on")?;
            progress(store, m, activity, on, amount, text).await
        }
        PromiseCommand::Effect {
            promise,
            later,
            baseline,
        } => effect(store, m, promise, &later, baseline).await,
        PromiseCommand::Export { format, output } => {
            let (header, rows) = promise_rows(&store.promises_as_written(m.id).await?, today());
            let table = Table::new(header, &["target", "achieved"], rows, "Medborgarlöften");
            table.write(format, output.as_deref())
        }
    }
}

async fn add_focus_area(store: &Store, m: &Municipality, file: &Path) -> anyhow::Result<()> {
    let input: FocusAreaInput = read_json(file)?;
    let f = in_file(file, FocusArea::parse(input, m.id))?;
    store.insert_focus_area(&f).await?;
    say!("Added focus area {} ({}).", f.name, f.id);
    Ok(())
}

async fn focus_areas(store: &Store, m: &Municipality) -> anyhow::Result<()> {
    for f in store.focus_areas(m.id).await? {
        say!(
            "{}\t{}\t{}\t{} – {}\t{}",
            f.id,
            f.name,
            f.kind.as_str(),
            f.period.starts_on(),
            f.period.ends_on(),
            f.area_code.map_or_else(String::new, |c| c.to_string())
        );
    }
    Ok(())
}

async fn list_promises(store: &Store, m: &Municipality, on: time::Date) -> anyhow::Result<()> {
    for p in store.promises_as_written(m.id).await? {
        say!("{}  {}  [{}]", p.id, p.title.sv, p.status(on).as_str());
        for a in &p.activities {
            say!(
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
    Ok(())
}

async fn add_promise(store: &Store, m: &Municipality, file: &Path) -> anyhow::Result<()> {
    let input: PromiseInput = read_json(file)?;
    let p = in_file(file, Promise::parse(input, m.id))?;
    if store.focus_area(m.id, p.focus_area_id).await?.is_none() {
        bail!(
            "{}: field `focus_area_id`: no focus area {} in {}",
            file.display(),
            p.focus_area_id,
            m.slug
        );
    }
    store.insert_promise(&p).await?;
    say!("Added promise {} ({}).", p.title.sv, p.id);
    Ok(())
}

async fn add_activity(
    store: &Store,
    m: &Municipality,
    promise: uuid::Uuid,
    file: &Path,
) -> anyhow::Result<()> {
    let p = find_promise(store, m, promise).await?;
    let a = in_file(file, trygg_domain::Activity::parse(read_json(file)?, &p))?;
    store.insert_activity(m.id, &a).await?;
    say!("Added activity {} ({}).", a.title.sv, a.id);
    Ok(())
}

async fn find_promise(store: &Store, m: &Municipality, id: uuid::Uuid) -> anyhow::Result<Promise> {
    store
        .promise(m.id, PromiseId::from_uuid(id))
        .await?
        .with_context(|| format!("no promise {id} in {}", m.slug))
}

async fn progress(
    store: &Store,
    m: &Municipality,
    activity: uuid::Uuid,
    on: time::Date,
    amount: u32,
    text: String,
) -> anyhow::Result<()> {
    let id = ActivityId::from_uuid(activity);
    let p = store
        .promise_of_activity(m.id, id)
        .await?
        .with_context(|| format!("no activity {activity} in {}", m.slug))?;
    let a = p
        .activities
        .iter()
        .find(|a| a.id == id)
        .context("the activity vanished while reading")?;
    let input = ProgressInput {
        on,
        amount,
        text,
        note: None,
    };
    let entry = ProgressEntry::parse(input, a, today())
        .map_err(|e| anyhow::anyhow!("--{}: {}", e.field, e.message))?;
    store.insert_progress(m.id, &entry).await?;
    let now = a.achieved() + u64::from(amount);
    say!(
        "Recorded {amount} {} on {}: {now}/{} now.",
        a.unit,
        entry.on,
        a.target
    );
    Ok(())
}

async fn effect(
    store: &Store,
    m: &Municipality,
    promise: uuid::Uuid,
    later: &str,
    baseline: Option<String>,
) -> anyhow::Result<()> {
    let p = find_promise(store, m, promise).await?;
    let link = p
        .indicator
        .context("the promise has no linked indicator to follow up")?;
    let baseline = baseline.unwrap_or_else(|| link.baseline_survey.to_string());
    let (focus_baseline, rest_baseline) = round_groups(store, &baseline, &link).await?;
    let (focus_later, rest_later) = round_groups(store, later, &link).await?;
    let groups = DidGroups {
        focus_baseline,
        focus_later,
        rest_baseline,
        rest_later,
    };
    let did = difference_in_differences(&groups, 0.95)?;
    say!(
        "{} in {} from {baseline} to {later}:",
        link.indicator,
        link.area_code
    );
    print_effect(link.area_code.as_str(), &groups, &did);
    Ok(())
}

/// The focus area's change, the rest's, and the difference between them.
fn print_effect(area: &str, groups: &DidGroups, did: &trygg_analysis::stats::DidEstimate) {
    let DidGroups {
        focus_baseline,
        focus_later,
        rest_baseline,
        rest_later,
    } = groups;
    say!(
        "  {area}: {:.1} % -> {:.1} % ({:+.1} points, n = {} and {})",
        100.0 * focus_baseline.mean,
        100.0 * focus_later.mean,
        100.0 * did.focus_change,
        focus_baseline.n,
        focus_later.n
    );
    say!(
        "  rest of the municipality: {:.1} % -> {:.1} % ({:+.1} points)",
        100.0 * rest_baseline.mean,
        100.0 * rest_later.mean,
        100.0 * did.rest_change
    );
    say!(
        "  difference-in-differences: {:+.1} points, 95 % interval {:+.1} to {:+.1} ({})",
        100.0 * did.estimate,
        100.0 * did.interval.low,
        100.0 * did.interval.high,
        did.flag.describe()
    );
    say!(
        "  This is evidence, not proof: it assumes {area} would otherwise have changed like the rest of the municipality."
    );
}

/// Runs `trygg walk …` in `municipality`.
pub async fn walk(
    store: &Store,
    municipality: &Municipality,
    command: WalkCommand,
) -> anyhow::Result<()> {
    let m = municipality;
    match command {
        WalkCommand::List => list_walks(store, m).await,
        WalkCommand::Add { file } => {
            let input: WalkInput = read_json(&file)?;
            let w = in_file(&file, SafetyWalk::parse(input, m.id))?;
            store.insert_walk(&w).await?;
            say!("Planned walk {} on {} ({}).", w.title, w.walked_on, w.id);
            Ok(())
        }
        WalkCommand::Finding { walk, file } => add_finding(store, m, walk, &file).await,
        WalkCommand::Status {
            finding,
            status,
            reason,
            fixed_on,
        } => {
            let fixed_on = fixed_on.as_deref().map(|d| parse_date(d, "--fixed-on"));
            let input = StatusInput {
                status,
                fixed_on: fixed_on.transpose()?,
                reason,
                due_on: None,
            };
            set_status(store, m, finding, &input).await
        }
        WalkCommand::Export { format, output } => {
            let walks = store.walks(m.id).await?;
            let findings = store.findings_as_written(m.id, None).await?;
            let (header, rows) = finding_rows(&walks, &findings);
            let table = Table::new(header, &["lon", "lat"], rows, "Åtgärdslista");
            table.write(format, output.as_deref())
        }
    }
}

async fn list_walks(store: &Store, m: &Municipality) -> anyhow::Result<()> {
    let findings = store.findings_as_written(m.id, None).await?;
    for w in store.walks(m.id).await? {
        say!("{}  {}  {}  {}", w.id, w.walked_on, w.area_code, w.title);
        for f in findings.iter().filter(|f| f.walk_id == w.id) {
            say!(
                "    {}  {:<10} {:<9} {}  ({})",
                f.id,
                f.category.as_str(),
                f.status.as_str(),
                f.note,
                f.responsible
            );
        }
    }
    Ok(())
}

async fn add_finding(
    store: &Store,
    m: &Municipality,
    walk: uuid::Uuid,
    file: &Path,
) -> anyhow::Result<()> {
    let w = store
        .walk(m.id, WalkId::from_uuid(walk))
        .await?
        .with_context(|| format!("no walk {walk} in {}", m.slug))?;
    let input: FindingInput = read_json(file)?;
    let f = in_file(file, Finding::parse(input, &w))?;
    store.save_finding(m.id, &f).await?;
    say!("Recorded finding {} ({}).", f.note, f.id);
    Ok(())
}

async fn set_status(
    store: &Store,
    m: &Municipality,
    finding: uuid::Uuid,
    input: &StatusInput,
) -> anyhow::Result<()> {
    let mut f = store
        .finding(m.id, FindingId::from_uuid(finding))
        .await?
        .with_context(|| format!("no finding {finding} in {}", m.slug))?;
    f.update(input, today())
        .map_err(|e| anyhow::anyhow!("--{}: {}", e.field.replace('_', "-"), e.message))?;
    store.save_finding(m.id, &f).await?;
    say!("Finding {} is now {}.", f.id, f.status.as_str());
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

/// The columns of the promise export.
const PROMISE_COLUMNS: [&str; 15] = [
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
];

/// One row per activity: the promise, the activity, its target, progress and status on `on`.
fn promise_rows(promises: &[Promise], on: time::Date) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rows = Vec::new();
    for p in promises {
        for a in &p.activities {
            let latest = a.progress.last();
            rows.push(vec![
                p.id.to_string(),
                p.title.sv.clone(),
                p.period.starts_on().to_string(),
                p.period.ends_on().to_string(),
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
                latest.map_or_else(String::new, |e| format!("{}: {}", e.on, e.text)),
            ]);
        }
    }
    (PROMISE_COLUMNS.map(String::from).to_vec(), rows)
}

/// The columns of the findings export.
const FINDING_COLUMNS: [&str; 13] = [
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
];

/// One row per finding, with its walk: the protocol's action list.
fn finding_rows(walks: &[SafetyWalk], findings: &[Finding]) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = findings
        .iter()
        .map(|f| finding_row(walks.iter().find(|w| w.id == f.walk_id), f))
        .collect();
    (FINDING_COLUMNS.map(String::from).to_vec(), rows)
}

fn finding_row(w: Option<&SafetyWalk>, f: &Finding) -> Vec<String> {
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
}

/// A table to export: its header, the columns that hold numbers, its rows and the
/// name of its sheet in a workbook.
struct Table<'a> {
    header: Vec<String>,
    numeric: &'a [&'a str],
    rows: Vec<Vec<String>>,
    sheet: &'a str,
}

impl<'a> Table<'a> {
    const fn new(
        header: Vec<String>,
        numeric: &'a [&'a str],
        rows: Vec<Vec<String>>,
        sheet: &'a str,
    ) -> Self {
        Self {
            header,
            numeric,
            rows,
            sheet,
        }
    }

    /// Writes the table as CSV (to `output` or standard output) or XLSX (to `output`).
    fn write(&self, format: TableFormat, output: Option<&Path>) -> anyhow::Result<()> {
        match format {
            TableFormat::Csv => self.csv(output),
            TableFormat::Xlsx => {
                let path = output.context("an XLSX export needs --output FILE.xlsx")?;
                self.xlsx(path)
            }
        }
    }

    /// In CSV, the numeric columns are written as they are and every other column
    /// as text ([`text_cell`]).
    fn csv(&self, output: Option<&Path>) -> anyhow::Result<()> {
        let out: Box<dyn std::io::Write> = match output {
            Some(path) => Box::new(
                std::fs::File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?,
            ),
            None => crate::terminal::stdout(),
        };
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(&self.header)?;
        for row in &self.rows {
            writer.write_record(row.iter().zip(&self.header).map(|(cell, column)| {
                if self.numeric.contains(&column.as_str()) {
                    std::borrow::Cow::Borrowed(cell.as_str())
                } else {
                    text_cell(cell)
                }
                .into_owned()
            }))?;
        }
        Ok(writer.flush()?)
    }

    fn xlsx(&self, path: &Path) -> anyhow::Result<()> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let ws = book.add_worksheet();
        ws.set_name(self.sheet)?;
        for (c, h) in self.header.iter().enumerate() {
            ws.write_with_format(0, u16::try_from(c)?, h, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
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
            .with_context(|| format!("cannot write {}", path.display()))
    }
}
