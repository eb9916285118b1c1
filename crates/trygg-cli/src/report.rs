//! `trygg analyse lagesbild`: the situation report of one or more survey rounds, from
//! the store or from files of any survey tool, with weighting, suppression and trends.
//!
//! Input files are checked before anything is computed; an error names the file, the
//! line and the column, and the command exits with a failure status.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use trygg_analysis::stats::{
    Dataset, DontKnow, EstimateOptions, IndicatorTable, IntervalMethod, Margin, Measure,
    RakingOptions, ReportSettings, SituationReport, SuppressionRules, Values, rake,
};
use trygg_domain::{
    Answer, Background, Key, MunicipalityId, QuestionKind, RawAnswer, Survey, SurveyInput,
};
use trygg_server::Settings;

/// `trygg analyse …`
#[derive(Debug, Subcommand)]
pub enum AnalyseCommand {
    /// The lägesbild: indicators and every choice question with 95 % intervals, by
    /// district, suppressed for publication, and the change since the first round.
    Lagesbild(LagesbildArgs),
}

/// Arguments of `trygg analyse lagesbild`.
#[derive(Debug, Args)]
pub struct LagesbildArgs {
    /// A survey round in the store, by slug; repeat for several rounds, oldest first.
    #[arg(long = "survey", value_name = "SLUG", conflicts_with = "definition")]
    pub surveys: Vec<String>,
    /// A survey definition (JSON), for responses from files.
    #[arg(long, value_name = "FILE", requires = "responses")]
    pub definition: Option<PathBuf>,
    /// Responses to the definition (CSV: one row per respondent, a column per question key).
    #[arg(long, value_name = "FILE", requires = "definition")]
    pub responses: Option<PathBuf>,
    /// Responses of an earlier round of the same definition, to measure change against.
    #[arg(long, value_name = "FILE", requires = "definition")]
    pub compare: Option<PathBuf>,
    /// Population margins for raking (CSV `variable,category,population`).
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
    /// Trim raked weights above this multiple of the mean weight, then rake again.
    #[arg(long, value_name = "CAP", requires = "population")]
    pub trim: Option<f64>,
    /// Breakdown variables, comma-separated question keys (default: the area question).
    #[arg(long, value_delimiter = ',', value_name = "KEYS")]
    pub by: Option<Vec<String>>,
    /// Confidence interval method.
    #[arg(long, value_enum, default_value_t = Method::Wilson)]
    pub method: Method,
    /// Count "vet ej" as an ordinary answer instead of leaving it out of the base.
    #[arg(long)]
    pub include_dont_know: bool,
    /// Smallest base (and effective base) that is published.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub min_base: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Interval methods.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Method {
    /// Wilson score interval.
    Wilson,
    /// Clopper–Pearson exact interval.
    ClopperPearson,
    /// Agresti–Coull interval.
    AgrestiCoull,
}

/// Report formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// A Markdown summary of the indicators per round and district, and their change.
    Md,
    /// Every round's `SituationReport` as JSON; the last carries the trends.
    Json,
    /// The current round in long format, one row per cell.
    Csv,
}

/// An input file is wrong at a place a person can find.
#[derive(Debug)]
struct FileError {
    file: PathBuf,
    line: Option<u64>,
    column: Option<(usize, String)>,
    message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some((number, name)) = &self.column {
            write!(f, ", column {number} (`{name}`)")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FileError {}

fn file_error(
    file: &Path,
    line: Option<u64>,
    column: Option<(usize, &str)>,
    message: String,
) -> anyhow::Error {
    FileError {
        file: file.to_owned(),
        line,
        column: column.map(|(n, name)| (n, name.to_owned())),
        message,
    }
    .into()
}

/// A round ready to analyse.
struct Round {
    survey: Survey,
    dataset: Dataset,
}

/// Runs `trygg analyse …`.
pub async fn run(settings: &Settings, command: AnalyseCommand) -> anyhow::Result<()> {
    let AnalyseCommand::Lagesbild(args) = command;
    let mut rounds = Vec::new();
    if let (Some(definition), Some(responses)) = (&args.definition, &args.responses) {
        let survey = read_definition(definition)?;
        if let Some(earlier) = &args.compare {
            let mut before = survey.clone();
            before.round = file_label(earlier);
            let dataset = read_responses(&survey, earlier)?;
            rounds.push(Round {
                survey: before,
                dataset,
            });
        }
        let dataset = read_responses(&survey, responses)?;
        rounds.push(Round { survey, dataset });
    } else if args.surveys.is_empty() {
        anyhow::bail!(
            "name the rounds with --survey SLUG (repeatable), or give --definition and --responses files"
        );
    } else {
        let store = super::open(settings).await?;
        for slug in &args.surveys {
            let survey = super::find_survey(&store, slug).await?;
            let responses = store.responses(&survey).await?;
            let dataset = Dataset::from_survey(&survey, &responses)?;
            rounds.push(Round { survey, dataset });
        }
    }
    let margins = match &args.population {
        Some(file) => Some((file, read_population(rounds_survey(&rounds)?, file)?)),
        None => None,
    };
    let group_by = args.by.clone().unwrap_or_else(|| {
        rounds_survey(&rounds)
            .ok()
            .and_then(|s| {
                s.questions
                    .iter()
                    .find(|q| q.background == Some(Background::Area))
            })
            .map(|q| vec![q.key.to_string()])
            .unwrap_or_default()
    });
    let report_settings = ReportSettings {
        group_by,
        estimates: EstimateOptions {
            method: match args.method {
                Method::Wilson => IntervalMethod::Wilson,
                Method::ClopperPearson => IntervalMethod::ClopperPearson,
                Method::AgrestiCoull => IntervalMethod::AgrestiCoull,
            },
            confidence: 0.95,
            dont_know: if args.include_dont_know {
                DontKnow::Include
            } else {
                DontKnow::Exclude
            },
        },
        suppression: SuppressionRules {
            min_base: args.min_base,
            min_effective_base: args.min_base as f64,
            ..SuppressionRules::default()
        },
    };
    let mut reports = Vec::with_capacity(rounds.len());
    for Round { survey, dataset } in rounds {
        let (dataset, weighting) = match &margins {
            Some((file, margins)) => {
                let options = RakingOptions {
                    cap: args.trim,
                    ..RakingOptions::default()
                };
                check_reachable(file, margins, &dataset, &survey.round)?;
                let raking = rake(&dataset, &margins.margins, &options).map_err(|e| {
                    file_error(file, None, None, format!("round {}: {e}", survey.round))
                })?;
                (dataset.with_weights(raking.weights)?, Some(raking.summary))
            }
            None => (dataset, None),
        };
        reports.push(SituationReport::build(
            &survey,
            &dataset,
            weighting,
            report_settings.clone(),
        )?);
    }
    if let (Some(first), Some(last)) = (reports.first().cloned(), reports.pop()) {
        let last = if reports.is_empty() {
            last
        } else {
            last.compare_with(&first)?
        };
        reports.push(last);
    }
    let text = match args.format {
        ReportFormat::Md => markdown(&reports),
        ReportFormat::Json => serde_json::to_string_pretty(&reports)? + "\n",
        ReportFormat::Csv => long_csv(reports.last())?,
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

fn rounds_survey(rounds: &[Round]) -> anyhow::Result<&Survey> {
    rounds
        .last()
        .map(|r| &r.survey)
        .context("there is no round to analyse")
}

fn file_label(file: &Path) -> String {
    file.file_stem().map_or_else(
        || "earlier".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    )
}

fn read_definition(file: &Path) -> anyhow::Result<Survey> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let input: SurveyInput = serde_json::from_str(&text).map_err(|e| {
        file_error(
            file,
            Some(e.line() as u64),
            Some((e.column(), "json")),
            format!("not a valid survey definition here: {e}"),
        )
    })?;
    Survey::parse(input, MunicipalityId::new()).map_err(|e| {
        file_error(
            file,
            None,
            None,
            format!("field `{}`: {}", e.field, e.message),
        )
    })
}

/// Reads responses: a header row of question keys, then one respondent per row.
fn read_responses(survey: &Survey, file: &Path) -> anyhow::Result<Dataset> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let headers = reader
        .headers()
        .map_err(|e| file_error(file, Some(1), None, e.to_string()))?
        .clone();
    let mut questions = Vec::with_capacity(headers.len());
    for (i, name) in headers.iter().enumerate() {
        let question = survey.question(name);
        let ignored = matches!(name, "response_id" | "submitted_hour");
        let usable = question.is_some_and(|q| {
            !matches!(
                q.kind,
                QuestionKind::Map { .. } | QuestionKind::FreeText { .. }
            )
        });
        // Free-text and map columns belong to the survey but carry no statistics.
        if !ignored && question.is_none() {
            return Err(file_error(
                file,
                Some(1),
                Some((i + 1, name)),
                format!("the survey definition has no question `{name}`"),
            ));
        }
        questions.push(question.filter(|_| usable));
    }
    let mut answers: Vec<BTreeMap<Key, Answer>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            file_error(
                file,
                e.position().map(csv::Position::line),
                None,
                e.to_string(),
            )
        })?;
        let line = record.position().map(csv::Position::line);
        let mut row = BTreeMap::new();
        for (i, (question, cell)) in questions.iter().zip(record.iter()).enumerate() {
            let Some(question) = question else {
                continue;
            };
            let raw = match &question.kind {
                QuestionKind::Number { .. } if !cell.is_empty() => {
                    RawAnswer::Number(cell.replace(',', ".").parse().map_err(|_| {
                        file_error(
                            file,
                            line,
                            Some((i + 1, question.key.as_str())),
                            format!("`{cell}` is not a number"),
                        )
                    })?)
                }
                _ => RawAnswer::Text(cell.to_owned()),
            };
            let answer = question
                .parse_answer(raw, question.key.as_str())
                .map_err(|e| {
                    file_error(file, line, Some((i + 1, question.key.as_str())), e.message)
                })?;
            if let Some(answer) = answer {
                row.insert(question.key.clone(), answer);
            }
        }
        answers.push(row);
    }
    let rows: Vec<&BTreeMap<Key, Answer>> = answers.iter().collect();
    Ok(Dataset::from_answers(survey, &rows)?)
}

/// Reads population margins, `variable,category,population`, checking every row against
/// the survey and that all variables add up to the same population.
fn read_population(survey: &Survey, file: &Path) -> anyhow::Result<Population> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let headers = reader
        .headers()
        .map_err(|e| file_error(file, Some(1), None, e.to_string()))?
        .clone();
    let expected = ["variable", "category", "population"];
    for (i, name) in expected.iter().enumerate() {
        if headers.get(i) != Some(*name) {
            return Err(file_error(
                file,
                Some(1),
                Some((i + 1, headers.get(i).unwrap_or(""))),
                "the header must be `variable,category,population`".to_owned(),
            ));
        }
    }
    // Margins in file order, each with the line where it starts.
    let mut margins: Vec<(Margin, u64)> = Vec::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            file_error(
                file,
                e.position().map(csv::Position::line),
                None,
                e.to_string(),
            )
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let field = |i: usize| record.get(i).unwrap_or("");
        let (variable, category, population) = (field(0), field(1), field(2));
        let question = survey
            .question(variable)
            .filter(|q| matches!(q.kind, QuestionKind::SingleChoice { .. }))
            .ok_or_else(|| {
                file_error(
                    file,
                    Some(line),
                    Some((1, "variable")),
                    format!("the survey has no single-choice question `{variable}`"),
                )
            })?;
        if question.option(category).is_none() {
            return Err(file_error(
                file,
                Some(line),
                Some((2, "category")),
                format!("`{category}` is not an option of `{variable}`"),
            ));
        }
        let count: f64 = population
            .parse()
            .ok()
            .filter(|p: &f64| p.is_finite() && *p >= 0.0)
            .ok_or_else(|| {
                file_error(
                    file,
                    Some(line),
                    Some((3, "population")),
                    format!("`{population}` is not a population count of at least 0"),
                )
            })?;
        rows.push((variable.to_owned(), category.to_owned(), count, line));
        match margins.iter_mut().find(|(m, _)| m.variable == variable) {
            Some((margin, _)) => margin.population.push((category.to_owned(), count)),
            None => margins.push((
                Margin {
                    variable: variable.to_owned(),
                    population: vec![(category.to_owned(), count)],
                },
                line,
            )),
        }
    }
    let total = |m: &Margin| m.population.iter().map(|(_, p)| p).sum::<f64>();
    if let Some((first, _)) = margins.first() {
        let expected = total(first);
        for (margin, line) in &margins {
            let sum = total(margin);
            if (sum - expected).abs() > 1e-9 * expected.max(1.0) {
                return Err(file_error(
                    file,
                    Some(*line),
                    Some((3, "population")),
                    format!(
                        "the margin of `{}` adds up to {sum}, but that of `{}` to {expected}; every margin must count the same population",
                        margin.variable, first.variable
                    ),
                ));
            }
        }
    }
    Ok(Population {
        margins: margins.into_iter().map(|(m, _)| m).collect(),
        rows,
    })
}

/// Population margins with the line of every row, so errors can point at it.
struct Population {
    margins: Vec<Margin>,
    /// Variable, category, population and line of each row.
    rows: Vec<(String, String, f64, u64)>,
}

/// Refuses, naming its line, a category with population that no respondent of the
/// round belongs to: no weighting can meet it.
fn check_reachable(
    file: &Path,
    population: &Population,
    dataset: &Dataset,
    round: &str,
) -> anyhow::Result<()> {
    for (variable, category, count, line) in &population.rows {
        let column = dataset.column(variable)?;
        let index = column.options.iter().position(|o| &o.key == category);
        let present = match (&column.values, index) {
            (Values::Single(codes), Some(index)) => codes.iter().any(|&c| usize::from(c) == index),
            _ => false,
        };
        if *count > 0.0 && !present {
            return Err(file_error(
                file,
                Some(*line),
                Some((2, "category")),
                format!(
                    "no respondent of round {round} has `{variable}` = `{category}`, so its population of {count} cannot be met"
                ),
            ));
        }
    }
    Ok(())
}

fn percent(x: f64) -> String {
    format!("{:.1} %", 100.0 * x)
}

fn group_name(group: &[String]) -> String {
    if group.is_empty() {
        "alla".to_owned()
    } else {
        group.join(" × ")
    }
}

/// The Markdown summary: each share indicator per round and group, then its change.
fn markdown(reports: &[SituationReport]) -> String {
    let mut out = String::new();
    let Some(current) = reports.last() else {
        return out;
    };
    let _ = writeln!(out, "# Lägesbild: {}\n", current.survey);
    for (i, indicator) in current.indicators.iter().enumerate() {
        let is_first_of_key = current
            .indicators
            .iter()
            .position(|t| t.key == indicator.key)
            == Some(i);
        if !is_first_of_key {
            continue;
        }
        let _ = writeln!(out, "## {} ({})\n", indicator.label, indicator.key);
        let _ = writeln!(out, "| round | group | n | value | 95 % CI | note |");
        let _ = writeln!(out, "|---|---|---:|---:|---|---|");
        for report in reports {
            let tables = report
                .indicators
                .iter()
                .filter(|t| t.key == indicator.key && t.group_by.len() <= 1);
            for table in tables {
                indicator_rows(&mut out, &report.round, table);
            }
        }
        let trends: Vec<_> = current
            .trends
            .iter()
            .filter(|t| t.key == indicator.key && t.option.is_none() && t.group_by.len() <= 1)
            .collect();
        if !trends.is_empty() {
            let _ = writeln!(out);
            for trend in trends {
                let _ = match &trend.change {
                    Some(c) => writeln!(
                        out,
                        "- Change {} → {}, {}: {:+.1} percentage points (95 % CI {:+.1} to {:+.1}, p = {:.3}): {}",
                        trend.from_round,
                        trend.to_round,
                        group_name(&trend.group),
                        100.0 * c.difference,
                        100.0 * c.interval.low,
                        100.0 * c.interval.high,
                        c.p_value,
                        c.flag.describe()
                    ),
                    None => writeln!(
                        out,
                        "- Change {} → {}, {}: not shown, a round's value is suppressed",
                        trend.from_round,
                        trend.to_round,
                        group_name(&trend.group)
                    ),
                };
            }
        }
        let _ = writeln!(out);
    }
    if let Some(weighting) = current.weighting {
        let _ = writeln!(
            out,
            "Weighted by raking: {} sweeps, largest margin error {:.1e}, {} weights trimmed, design effect {:.3}, effective n {:.1}.",
            weighting.iterations,
            weighting.max_relative_error,
            weighting.trimmed,
            weighting.design_effect,
            weighting.n_eff
        );
    }
    out
}

fn indicator_rows(out: &mut String, round: &str, table: &IndicatorTable) {
    for cell in &table.cells {
        let group = group_name(&cell.group);
        let _ = match (&cell.estimate, &cell.suppressed) {
            (Some(e), _) => {
                let (value, low, high) = match table.measure {
                    Measure::Share => (
                        percent(e.value),
                        percent(e.interval.low),
                        percent(e.interval.high),
                    ),
                    Measure::Mean => (
                        format!("{:.2}", e.value),
                        format!("{:.2}", e.interval.low),
                        format!("{:.2}", e.interval.high),
                    ),
                };
                let note = if cell.uncertain {
                    "uncertain (n < 60)"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "| {round} | {group} | {} | {value} | {low} – {high} | {note} |",
                    e.n
                )
            }
            (None, reason) => writeln!(
                out,
                "| {round} | {group} | | suppressed | | {} |",
                reason.map_or_else(String::new, |r| r.describe())
            ),
        };
    }
}

/// One row per cell: `question,option,group_by,group,n,n_eff,count,share,ci_low,ci_high,suppressed,reason`.
fn long_csv(report: Option<&SituationReport>) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "question",
        "option",
        "group_by",
        "group",
        "n",
        "n_eff",
        "count",
        "share",
        "ci_low",
        "ci_high",
        "suppressed",
        "reason",
    ])?;
    let number = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
    let whole = |x: Option<u64>| x.map_or_else(String::new, |x| x.to_string());
    if let Some(report) = report {
        for table in &report.indicators {
            for cell in &table.cells {
                let e = cell.estimate;
                writer.write_record([
                    table.key.clone(),
                    table.key.clone(),
                    table.group_by.join("×"),
                    cell.group.join("×"),
                    whole(e.map(|e| e.n)),
                    number(e.map(|e| e.n_eff)),
                    whole(e.and_then(|e| e.count)),
                    number(e.map(|e| e.value)),
                    number(e.map(|e| e.interval.low)),
                    number(e.map(|e| e.interval.high)),
                    cell.suppressed.is_some().to_string(),
                    cell.suppressed.map_or_else(String::new, |r| r.describe()),
                ])?;
            }
        }
        for table in &report.tables {
            for cell in &table.cells {
                let e = cell.estimate;
                writer.write_record([
                    table.question.clone(),
                    cell.option.clone(),
                    table.group_by.join("×"),
                    cell.group.join("×"),
                    whole(e.map(|e| e.n)),
                    number(e.map(|e| e.n_eff)),
                    whole(e.map(|e| e.count)),
                    number(e.map(|e| e.share)),
                    number(e.map(|e| e.interval.low)),
                    number(e.map(|e| e.interval.high)),
                    cell.suppressed.is_some().to_string(),
                    cell.suppressed.map_or_else(String::new, |r| r.describe()),
                ])?;
            }
        }
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}
