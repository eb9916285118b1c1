//! Population margins for raking, from the municipality's stored figures per
//! area × gender × age band.
//!
//! The figures form a full cross table, so a filtered lägesbild (say, women in Bro)
//! is raked to the population of that group alone: the rows outside the filter are
//! left out before the one-way margins are summed.
//!
//! Two situations the figures do not cover are handled the usual way:
//! - a category that respondents chose but the figures do not count (SCB counts two
//!   genders; respondents may answer "annat" or "vill ej uppge") keeps its sample
//!   share, and the counted categories share the rest of the population;
//! - a counted category that no respondent of the selection chose is left out, and
//!   the other categories of that margin are scaled up to the same total, since a
//!   category without respondents cannot be given weight.

use std::collections::BTreeMap;

use trygg_analysis::stats::{Dataset, Margin, Values};
use trygg_domain::{Background, PopulationFigure, QuestionKind, Survey};

use crate::model::Filters;

/// The three background variables of a figure.
const VARIABLES: [Background; 3] = [Background::Area, Background::Gender, Background::AgeBand];

fn value(figure: &PopulationFigure, background: Background) -> &str {
    match background {
        Background::Area => figure.area.as_str(),
        Background::Gender => figure.gender.as_str(),
        _ => figure.age_band.as_str(),
    }
}

fn filter_value(filters: &Filters, background: Background) -> Option<&str> {
    match background {
        Background::Area => filters.area.as_deref(),
        Background::Gender => filters.gender.as_deref(),
        _ => filters.age_band.as_deref(),
    }
}

/// The margins to weight `respondents` (those `filters` keep) to, from the
/// municipality's population figures; `None` when the figures do not fit the
/// survey's background questions or a respondent lacks a background answer.
pub fn margins_for(
    survey: &Survey,
    figures: &[PopulationFigure],
    respondents: &Dataset,
    filters: &Filters,
) -> Option<Vec<Margin>> {
    // The survey's background questions the figures can weight, with their options.
    let questions: Vec<(Background, &trygg_domain::Key, Vec<&str>)> = VARIABLES
        .iter()
        .filter_map(|&background| {
            let question = survey
                .questions
                .iter()
                .find(|q| q.background == Some(background))?;
            let QuestionKind::SingleChoice { options, .. } = &question.kind else {
                return None;
            };
            let keys = options.iter().map(|o| o.key.as_str()).collect();
            Some((background, &question.key, keys))
        })
        .collect();
    if questions.is_empty() {
        return None;
    }
    let frame: Vec<&PopulationFigure> = figures
        .iter()
        .filter(|f| {
            questions
                .iter()
                .all(|(background, _, keys)| keys.contains(&value(f, *background)))
                && VARIABLES.iter().all(|&background| {
                    filter_value(filters, background).is_none_or(|v| v == value(f, background))
                })
        })
        .collect();
    let total: f64 = frame.iter().map(|f| f64::from(f.population)).sum();
    if total <= 0.0 || respondents.is_empty() {
        return None;
    }
    let n = respondents.len() as f64;
    let mut margins = Vec::with_capacity(questions.len());
    for (background, key, options) in &questions {
        let column = respondents.column(key.as_str()).ok()?;
        let Values::Single(codes) = &column.values else {
            return None;
        };
        let mut chosen: BTreeMap<&str, usize> = BTreeMap::new();
        for &code in codes {
            // A respondent without this answer cannot be raked on it.
            let option = column.options.get(usize::from(code))?;
            *chosen.entry(option.key.as_str()).or_default() += 1;
        }
        let mut counted: BTreeMap<&str, f64> = BTreeMap::new();
        for f in &frame {
            *counted.entry(value(f, *background)).or_default() += f64::from(f.population);
        }
        let uncovered: usize = chosen
            .iter()
            .filter(|(option, _)| counted.get(*option).is_none_or(|p| *p <= 0.0))
            .map(|(_, count)| count)
            .sum();
        let covered_total: f64 = counted
            .iter()
            .filter(|(option, _)| chosen.contains_key(*option))
            .map(|(_, p)| p)
            .sum();
        if covered_total <= 0.0 {
            return None;
        }
        let covered_share = 1.0 - uncovered as f64 / n;
        let population = options
            .iter()
            .filter_map(|option| {
                let count = *chosen.get(option)?;
                let people = match counted.get(option) {
                    Some(p) if *p > 0.0 => total * covered_share * p / covered_total,
                    _ => total * count as f64 / n,
                };
                Some(((*option).to_owned(), people))
            })
            .collect();
        margins.push(Margin {
            variable: key.to_string(),
            population,
        });
    }
    Some(margins)
}
