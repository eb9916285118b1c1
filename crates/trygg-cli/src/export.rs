//! Exports of stored responses and pins, to a file or standard output.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde_json::json;
use trygg_domain::{Answer, QuestionKind, Survey};
use trygg_store::Store;

use crate::{PinsFormat, ResponsesFormat};

fn sink(output: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
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
        ResponsesFormat::Csv => {
            let questions: Vec<_> = survey
                .questions
                .iter()
                .filter(|q| !matches!(q.kind, QuestionKind::Map { .. }))
                .collect();
            let mut writer = csv::Writer::from_writer(out);
            let mut header = vec!["response_id".to_owned(), "submitted_hour".to_owned()];
            header.extend(questions.iter().map(|q| q.key.to_string()));
            writer.write_record(&header)?;
            for r in &responses {
                let mut row = vec![r.id.to_string(), hour_text(r.submitted_hour)?];
                row.extend(questions.iter().map(|q| {
                    match r.answers.get(&q.key) {
                        Some(Answer::Choice(k)) => k.to_string(),
                        Some(Answer::Choices(ks)) => ks
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(";"),
                        Some(Answer::Number(n)) => n.to_string(),
                        Some(Answer::Text(t)) => t.clone(),
                        None => String::new(),
                    }
                }));
                writer.write_record(&row)?;
            }
            writer.flush()?;
        }
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
            let features: Vec<_> = pins
                .iter()
                .map(|p| {
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
                })
                .collect();
            serde_json::to_writer(
                &mut out,
                &json!({"type": "FeatureCollection", "features": features}),
            )?;
            writeln!(out)?;
            out.flush()?;
        }
        PinsFormat::Csv => {
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
            for p in &pins {
                writer.write_record([
                    p.pin.location.lon().to_string(),
                    p.pin.location.lat().to_string(),
                    p.pin.category.to_string(),
                    p.pin.time_of_day.as_str().to_owned(),
                    p.area_code.clone().unwrap_or_default(),
                    p.response_id.map(|id| id.to_string()).unwrap_or_default(),
                    p.pin.comment.clone().unwrap_or_default(),
                ])?;
            }
            writer.flush()?;
        }
    }
    Ok(())
}
