//! The demo's EST händelser: 52 weeks, up to last week, reported by four partner
//! organisations, with the year's rhythm (more in the dark half of the year, more on
//! Friday and Saturday evenings), around the places the residents' pins cluster at,
//! and a hotspot that emerges in Brunna in the last ten weeks (klotter, skadegörelse
//! and bränder around the centre), which the weekly picture and the emerging hot spot
//! analysis should both find.

use anyhow::Context;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Poisson, StandardNormal};
use time::{Duration, OffsetDateTime, Time, UtcOffset};
use trygg_domain::{
    EventDetails, EventReport, EventReportInput, IsoWeek, Municipality, Organisation,
    OrganisationInput,
};
use trygg_store::Store;

const SEED: u64 = 2026_1206;

/// Weeks of reports, up to and including last week.
pub const WEEKS: u32 = 52;

/// Weeks at the end in which the Brunna hotspot grows.
pub const EMERGING_WEEKS: u32 = 10;

/// Where the Brunna hotspot grows: by the centre, from 5 reports a week to 14.
pub const BRUNNA: (f64, f64) = (17.778, 59.5135);

/// A partner organisation and what its rapportörer mostly report.
struct Partner {
    name: &'static str,
    categories: &'static [&'static str],
}

const PARTNERS: [Partner; 4] = [
    Partner {
        name: "Bostadsbolaget (demo)",
        categories: &["klotter", "skadegorelse", "nedskrapning", "otrygg_plats"],
    },
    Partner {
        name: "Väktarbolaget (demo)",
        categories: &[
            "ordningsstorning",
            "narkotika",
            "incident_mot_personal",
            "skadegorelse",
        ],
    },
    Partner {
        name: "Fältassistenterna",
        categories: &[
            "ordningsstorning",
            "vald_och_hot",
            "otrygg_plats",
            "narkotika",
        ],
    },
    Partner {
        name: "Räddningstjänsten",
        categories: &["brand", "brand", "skadegorelse"],
    },
];

/// The known hotspots (as the residents' pins), with reports a week at their
/// yearly mean.
const HOTSPOTS: [(f64, f64, f64); 4] = [
    (17.6335, 59.512, 2.2),  // Bro centrum
    (17.642, 59.5075, 1.4),  // Bro station
    (17.751, 59.4785, 1.6),  // Kungsängen centrum
    (17.7465, 59.4792, 0.9), // Gångtunneln vid Kungsängens station
];

/// About 100 m in degrees of latitude at 59.5° N (and of longitude, scaled).
const SPREAD_LAT: f64 = 0.0009;
const SPREAD_LON: f64 = 0.0018;

/// The reports of the 52 weeks before `today`'s week, with their organisations.
///
/// # Errors
/// A generated report that breaks a rule (a bug in the generator).
pub fn generate(today: OffsetDateTime) -> anyhow::Result<(Vec<Organisation>, Vec<EventReport>)> {
    let organisations = PARTNERS
        .iter()
        .map(|p| {
            Organisation::parse(&OrganisationInput {
                name: p.name.to_owned(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let last = IsoWeek::of(today.date()).minus(1);
    let mut reports = Vec::new();
    for back in (0..WEEKS).rev() {
        let week = last.minus(back);
        // More in the dark half of the year: highest around week 50, lowest around 24.
        let (_, number, _) = week.monday().to_iso_week_date();
        let phase = std::f64::consts::TAU * (f64::from(number) - 24.0) / 52.0;
        let season = 1.0 + 0.35 * (1.0 - phase.cos()) / 2.0;
        for &(lon, lat, mean) in &HOTSPOTS {
            for _ in 0..draws(&mut rng, mean * season) {
                reports.push(report(
                    &mut rng,
                    &organisations,
                    week,
                    (lon, lat),
                    None,
                    today,
                )?);
            }
        }
        if back < EMERGING_WEEKS {
            // 5 a week at first, about 14 in the last week.
            let growth = 5.0 + f64::from(EMERGING_WEEKS - 1 - back);
            let brunna: &[&str] = &["klotter", "skadegorelse", "brand"];
            for _ in 0..draws(&mut rng, growth) {
                reports.push(report(
                    &mut rng,
                    &organisations,
                    week,
                    BRUNNA,
                    Some(brunna),
                    today,
                )?);
            }
        }
    }
    Ok((organisations, reports))
}

fn draws(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    Poisson::new(mean).map_or(0, |p| rng.sample::<f64, _>(p) as u64)
}

fn report(
    rng: &mut ChaCha8Rng,
    organisations: &[Organisation],
    week: IsoWeek,
    (lon, lat): (f64, f64),
    categories: Option<&[&str]>,
    today: OffsetDateTime,
) -> anyhow::Result<EventReport> {
    let who = rng.random_range(0..PARTNERS.len());
    let (Some(partner), Some(organisation)) = (PARTNERS.get(who), organisations.get(who)) else {
        anyhow::bail!("the demo has no partner {who}");
    };
    let pick = categories.unwrap_or(partner.categories);
    let category = *pick
        .choose(rng)
        .context("a demo partner without categories")?;
    // Friday and Saturday evenings most, any evening some.
    let day = if rng.random_bool(0.45) {
        rng.random_range(4..6)
    } else {
        rng.random_range(0..7)
    };
    let hour = *[18, 19, 20, 21, 22, 23, 0, 1]
        .choose(rng)
        .context("no hours")?;
    let minute = rng.random_range(0..60);
    let date = week.monday() + Duration::days(day);
    let offset = UtcOffset::from_hms(1, 0, 0)?;
    let at = date
        .with_time(Time::from_hms(hour, minute, 0)?)
        .assume_offset(offset)
        .format(&time::format_description::well_known::Rfc3339)?;
    let jitter = |rng: &mut ChaCha8Rng, spread: f64| rng.sample::<f64, _>(StandardNormal) * spread;
    let input = EventReportInput {
        category: category.to_owned(),
        occurred_at: at,
        lon: Some(lon + jitter(rng, SPREAD_LON)),
        lat: Some(lat + jitter(rng, SPREAD_LAT)),
        description: None,
        people: rng.random_bool(0.4).then(|| rng.random_range(1..8)),
        police_called: rng.random_bool(0.15),
        ..EventReportInput::default()
    };
    let details = EventDetails::parse(&input, today, "demo event")?;
    Ok(EventReport::imported(organisation.id(), details))
}

/// Stores the demo's organisations and reports in `m`.
///
/// # Errors
/// The generator's or the store's.
pub async fn load(store: &Store, m: &Municipality) -> anyhow::Result<usize> {
    let (organisations, reports) = generate(OffsetDateTime::now_utc())?;
    let keyed: Vec<(EventReport, String)> = reports
        .into_iter()
        .enumerate()
        .map(|(i, r)| (r, format!("demo:{i}")))
        .collect();
    store
        .import_event_reports(m.id, &organisations, &keyed)
        .await?;
    Ok(keyed.len())
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use h3o::{LatLng, Resolution};
    use trygg_analysis::events::{Pattern, Shape, Side};
    use trygg_domain::{Event, EventInput, Location};
    use trygg_lagesbild::events::{EmergingOptions, emerging};

    use super::*;

    fn today() -> OffsetDateTime {
        OffsetDateTime::parse(
            "2026-12-06T12:00:00+01:00",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    }

    #[test]
    fn brunna_comes_out_as_a_new_or_consecutive_hot_spot_over_the_demos_year() {
        let (_, reports) = generate(today()).unwrap();
        let events: Vec<Event> = reports
            .iter()
            .map(|r| {
                let d = r.details();
                let at = d.occurred_at();
                let input = EventInput {
                    occurred_at: at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap(),
                    lon: d.location().unwrap().lon(),
                    lat: d.location().unwrap().lat(),
                    category: d.category().as_str().to_owned(),
                    organisation: "demo".to_owned(),
                    description: String::new(),
                };
                Event::parse(input, "").unwrap()
            })
            .collect();
        let options = EmergingOptions {
            resolution: Resolution::Nine,
            k: 1,
            weeks: WEEKS,
            end_week: IsoWeek::of(today().date()).minus(1),
        };
        let map = emerging(&events, &options).unwrap();
        let centre = Location::parse(BRUNNA.0, BRUNNA.1, "").unwrap();
        let brunna = LatLng::new(centre.lat(), centre.lon())
            .unwrap()
            .to_cell(Resolution::Nine);
        let cell = map.cells.iter().find(|c| c.cell == brunna).unwrap();
        assert!(
            matches!(
                cell.pattern,
                Pattern::Spot(Side::Hot, Shape::New | Shape::Consecutive)
            ),
            "{:?}",
            cell.pattern
        );
        // Bro centrum has had reports all year: not new.
        let bro = LatLng::new(59.512, 17.6335)
            .unwrap()
            .to_cell(Resolution::Nine);
        let bro = map.cells.iter().find(|c| c.cell == bro).unwrap();
        assert!(
            !matches!(bro.pattern, Pattern::Spot(_, Shape::New)),
            "{:?}",
            bro.pattern
        );
    }
}
