//! `trygg plan …`: the åtgärdsplan of a samverkansöverenskommelse, with the
//! same rules as the staff API: add a plan from JSON, list plans, record a
//! chefssamråd with its decisions, and export a plan as CSV.

use std::path::PathBuf;
use trygg_lagesbild::csv::text_cell;

use clap::Subcommand;
use trygg_domain::{
    ActionPlan, ActionPlanId, ActionPlanInput, Meeting, MeetingInput, Municipality, parse_date,
};
use trygg_store::Store;

use crate::follow_up::{in_file, read_json};

/// `trygg plan …`
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Add a plan from a JSON file (title, starts_on, ends_on, areas with activities and owners, check_dates, midterm_review, meetings).
    Add {
        /// The JSON file.
        #[arg(long)]
        file: PathBuf,
    },
    /// List the plans with their next check date.
    List,
    /// Record a follow-up meeting (chefssamråd) and its decisions.
    Meeting {
        /// The plan's id.
        #[arg(long)]
        id: uuid::Uuid,
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// The kind of meeting.
        #[arg(long, default_value = "Chefssamråd")]
        kind: String,
        /// A decision; repeat for several.
        #[arg(long = "decision")]
        decisions: Vec<String>,
    },
    /// Export a plan as CSV: one row per insats, check date, review answer and decision.
    Export {
        /// The plan's id.
        #[arg(long)]
        id: uuid::Uuid,
        /// The file to write; standard output when left out.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// Runs `trygg plan …` in `m`.
pub async fn run(store: &Store, m: &Municipality, command: PlanCommand) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = crate::terminal::stdout();
    match command {
        PlanCommand::Add { file } => {
            let input: ActionPlanInput = read_json(&file)?;
            let plan = in_file(&file, ActionPlan::parse(input, m.id))?;
            store.save_action_plan(&plan).await?;
            writeln!(out, "Added action plan {} ({}).", plan.title, plan.id)?;
        }
        PlanCommand::List => list(store, m, &mut out).await?,
        PlanCommand::Meeting {
            id,
            date,
            kind,
            decisions,
        } => {
            let mut plan = own(store, m, id).await?;
            let held_on = parse_date(&date, "--date")?;
            let meeting = MeetingInput {
                held_on,
                kind,
                decisions,
            };
            let meeting = Meeting::parse(meeting, "")
                .map_err(|e| anyhow::anyhow!("--{}: {}", e.field.replace('_', "-"), e.message))?;
            plan.add_meeting(meeting);
            store.save_action_plan(&plan).await?;
            writeln!(out, "Recorded the meeting of {held_on} in {}.", plan.title)?;
        }
        PlanCommand::Export { id, output } => {
            let bytes = csv_of(&own(store, m, id).await?)?;
            crate::lagesbild::write(output.as_deref(), &bytes)?;
        }
    }
    Ok(())
}

async fn list(store: &Store, m: &Municipality, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let today = time::OffsetDateTime::now_utc().date();
    for p in store.action_plans(m.id).await? {
        let next = p
            .next_check(today)
            .map_or_else(|| "none".to_owned(), |d| d.to_string());
        writeln!(
            out,
            "{}  {} – {}  {}  next check: {next}",
            p.id,
            p.period.starts_on(),
            p.period.ends_on(),
            p.title
        )?;
    }
    Ok(())
}

async fn own(store: &Store, m: &Municipality, id: uuid::Uuid) -> anyhow::Result<ActionPlan> {
    store
        .action_plan(m.id, ActionPlanId::from_uuid(id))
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no action plan {id} in {}", m.slug))
}

/// The plan as CSV (UTF-8 with BOM, so Swedish Excel reads å, ä and ö).
/// Every column is text, dates included, so every cell is neutralised.
fn csv_of(plan: &ActionPlan) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut row = |cells: [&str; 6]| w.write_record(cells.map(|c| text_cell(c).into_owned()));
    row(["section", "date", "area", "text", "owner", "follow_up"])?;
    for area in &plan.areas {
        for a in &area.activities {
            row([
                "activity",
                "",
                &area.name,
                &a.title,
                &a.owner,
                a.follow_up.as_deref().unwrap_or(""),
            ])?;
        }
    }
    for d in &plan.check_dates {
        row(["check", &d.to_string(), "", "", "", ""])?;
    }
    if let Some(r) = &plan.midterm_review {
        let held = r.held_on().to_string();
        for (what, text) in [
            ("cooperation", r.cooperation()),
            ("implementation", r.implementation()),
            ("results", r.results()),
        ] {
            row(["midterm_review", &held, what, text, "", ""])?;
        }
    }
    for m in &plan.meetings {
        let held = m.held_on().to_string();
        for d in m.decisions() {
            row(["decision", &held, m.kind(), d, "", ""])?;
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}
