//! `margins_for`'s two rules for what the population figures do not cover.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use trygg_analysis::stats::{Column, Dataset, Margin, OptionInfo, Values};
use trygg_domain::{Key, MunicipalityId, PopulationFigure, Survey, SurveyInput};
use trygg_lagesbild::Filters;
use trygg_lagesbild::population::margins_for;

/// A survey whose one background question is gender: kvinna, man or annat.
fn survey() -> Survey {
    let input: SurveyInput = serde_json::from_value(serde_json::json!({
        "slug": "trygghet", "round": "2024",
        "title": {"sv": "Trygghetsmätning"},
        "opens_on": "2024-01-01",
        "questions": [
            {"key": "gender", "kind": "single_choice", "background": "gender", "text": {"sv": "Kön"},
             "options": [{"key": "kvinna", "label": {"sv": "Kvinna"}}, {"key": "man", "label": {"sv": "Man"}},
                         {"key": "annat", "label": {"sv": "Annat"}}]}
        ]
    }))
    .unwrap();
    Survey::parse(input, MunicipalityId::new()).unwrap()
}

/// Residents of one area and age band, per gender: 300 women and 100 men.
fn figures() -> Vec<PopulationFigure> {
    let key = |raw: &str| Key::parse(raw, "test").unwrap();
    [("kvinna", 300), ("man", 100)]
        .into_iter()
        .map(|(gender, population)| PopulationFigure {
            area: key("bro"),
            gender: key(gender),
            age_band: key("a16_84"),
            population,
        })
        .collect()
}

/// Respondents who answered the gender question with `genders`.
fn respondents(genders: &[&str]) -> Dataset {
    let options = ["kvinna", "man", "annat"];
    let codes = genders
        .iter()
        .map(|g| u16::try_from(options.iter().position(|o| o == g).unwrap()).unwrap())
        .collect();
    Dataset::new(vec![Column {
        key: "gender".to_owned(),
        options: options.into_iter().map(OptionInfo::new).collect(),
        background: Some(trygg_domain::Background::Gender),
        values: Values::Single(codes),
    }])
    .unwrap()
}

fn gender_margin(genders: &[&str]) -> Vec<(String, f64)> {
    let margins: Vec<Margin> = margins_for(
        &survey(),
        &figures(),
        &respondents(genders),
        &Filters::default(),
    )
    .unwrap();
    assert_eq!(margins.len(), 1);
    assert_eq!(margins[0].variable, "gender");
    margins[0].population.clone()
}

#[test]
fn a_category_the_figures_do_not_count_keeps_its_sample_share_and_the_counted_ones_share_the_rest()
{
    // Half the respondents chose "annat", which the figures do not count: it gets
    // half of the 400 residents, and women and men split the other half 3 : 1.
    let margin = gender_margin(&["kvinna", "man", "annat", "annat"]);
    assert_eq!(
        margin,
        vec![
            ("kvinna".to_owned(), 150.0),
            ("man".to_owned(), 50.0),
            ("annat".to_owned(), 200.0),
        ]
    );
}

#[test]
fn a_counted_category_no_respondent_chose_is_left_out_and_the_others_scaled_to_the_same_total() {
    // Nobody answered "man": the margin has women only, carrying all 400 residents.
    let margin = gender_margin(&["kvinna", "kvinna"]);
    assert_eq!(margin, vec![("kvinna".to_owned(), 400.0)]);
}
