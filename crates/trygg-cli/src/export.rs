//! Exports of stored responses and pins, to a file or standard output.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde_json::json;
use trygg_domain::{Answer, QuestionKind, Response, Survey};
use trygg_lagesbild::csv::text_cell;
use trygg_store::{Store, StoredPin};

use crate::{PinsFormat, ResponsesFormat};

fn sink(output: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(crate::terminal::stdout())),
    })
}

fn hour_text(hour: trygg_domain::SubmittedHour) -> anyhow::Result<String> {
    Ok(hour
        .time()
        .format(&time::format_description::well_known::Rfc3339)?)
}

/// Writes every response of `survey`.
pub async fn responses(
    store: &Store,
    survey: &Survey,
    format: ResponsesFormat,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let responses = store.responses(survey).await?;
    let mut out = sink(output)?;
    match format {
        ResponsesFormat::Csv => responses_csv(survey, &responses, out)?,
        ResponsesFormat::Jsonl => {
            for r in &responses {
                let line = json!({
                    "response_id": r.id,
                    "submitted_hour": hour_text(r.submitted_hour)?,
                    "answers": r.answers,
                    "pins": r.pins,
                    "described_places": r.described_places,
                });
                writeln!(out, "{line}")?;
            }
            out.flush()?;
        }
    }
    Ok(())
}

/// One row per response, a column per question (map questions left out), in the
/// format `trygg responses import` reads.
fn responses_csv(
    survey: &Survey,
    responses: &[Response],
    out: Box<dyn Write>,
) -> anyhow::Result<()> {
    let questions: Vec<_> = survey
        .questions
        .iter()
        .filter(|q| !matches!(q.kind, QuestionKind::Map { .. }))
        .collect();
    let mut writer = csv::Writer::from_writer(out);
    let mut header = vec!["response_id".to_owned(), "submitted_hour".to_owned()];
    header.extend(questions.iter().map(|q| q.key.to_string()));
    writer.write_record(&header)?;
    for r in responses {
        let mut row = vec![r.id.to_string(), hour_text(r.submitted_hour)?];
        row.extend(questions.iter().map(|q| answer_cell(r.answers.get(&q.key))));
        writer.write_record(&row)?;
    }
    Ok(writer.flush()?)
}

/// A number question's column holds numbers, written as they are (-3.5 stays
/// -3.5); every other column holds text.
fn answer_cell(answer: Option<&Answer>) -> String {
    match answer {
        Some(Answer::Choice(k)) => text_cell(k.as_str()).into_owned(),
        Some(Answer::Choices(ks)) => {
            let joined = ks.iter().map(ToString::to_string).collect::<Vec<_>>();
            text_cell(&joined.join(";")).into_owned()
        }
        Some(Answer::Number(n)) => n.to_string(),
        Some(Answer::Text(t)) => text_cell(t).into_owned(),
        None => String::new(),
    }
}

/// Writes every pin of `survey`, in WGS84 (EPSG:4326).
pub async fn pins(
    store: &Store,
    survey: &Survey,
    format: PinsFormat,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let pins = store.pins(survey).await?;
    let mut out = sink(output)?;
    match format {
        PinsFormat::Geojson => {
            let features: Vec<_> = pins.iter().map(pin_feature).collect();
            let collection = json!({"type": "FeatureCollection", "features": features});
            serde_json::to_writer(&mut out, &collection)?;
            writeln!(out)?;
            out.flush()?;
        }
        PinsFormat::Csv => pins_csv(&pins, out)?,
    }
    Ok(())
}

/// A pin as a GeoJSON feature, in the format `trygg pins import` reads.
fn pin_feature(p: &StoredPin) -> serde_json::Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [p.pin.location.lon(), p.pin.location.lat()]},
        "properties": {
            "response_id": p.response_id,
            "area_code": p.area_code,
            "category": p.pin.category,
            "time_of_day": p.pin.time_of_day,
            "comment": p.pin.comment,
        }
    })
}

fn pins_csv(pins: &[StoredPin], out: Box<dyn Write>) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "lon",
        "lat",
        "category",
        "time_of_day",
        "area_code",
        "response_id",
        "comment",
    ])?;
    for p in pins {
        writer.write_record([
            p.pin.location.lon().to_string(),
            p.pin.location.lat().to_string(),
            text_cell(p.pin.category.as_str()).into_owned(),
            p.pin.time_of_day.as_str().to_owned(),
            text_cell(p.area_code.as_deref().unwrap_or_default()).into_owned(),
            p.response_id.map(|id| id.to_string()).unwrap_or_default(),
            text_cell(p.pin.comment.as_deref().unwrap_or_default()).into_owned(),
        ])?;
    }
    Ok(writer.flush()?)
}
