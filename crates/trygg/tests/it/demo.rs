//! The demo tells the seed story, checked with plain SQL over the stored rows.

use sea_orm::{ConnectionTrait, Statement};

use crate::Env;

#[tokio::test]
async fn survey_list_shows_the_three_demo_rounds_after_demo_load() {
    let env = Env::new().await;
    let loaded = env.ok(&["demo", "load"]);
    assert!(
        loaded.contains("Loaded the synthetic demo municipality"),
        "{loaded}"
    );
    let list = env.ok(&["survey", "list"]);
    for round in [
        "trygghetsmatning-2020",
        "trygghetsmatning-2021",
        "trygghetsmatning-2023",
    ] {
        assert!(list.contains(round), "{list}");
    }
    assert!(list.contains("syntetiska demodata"), "{list}");
    // Loading twice writes nothing more.
    assert!(env.ok(&["demo", "load"]).contains("already loaded"));
    env.finish().await;
}

#[tokio::test]
async fn demo_evening_unsafe_share_is_36_32_and_31_percent_and_the_densest_pin_squares_are_the_seed_places()
 {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let store = env.db.connect().await.unwrap();
    let db = store.connection();
    let backend = db.get_database_backend();

    // Unsafe = fairly or very unsafe, or does not go out; "vet ej" is left out of the base.
    let shares = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT s.round AS round,
                    100.0 * SUM(CASE WHEN a.option_key IN ('ganska_otrygg', 'mycket_otrygg', 'gar_inte_ut') THEN 1 ELSE 0 END)
                          / COUNT(*) AS share,
                    COUNT(*) AS base
             FROM answer a JOIN survey s ON s.id = a.survey_id
             WHERE a.question_key = 'evening_safety' AND a.option_key <> 'vet_ej'
             GROUP BY s.round ORDER BY s.round",
        ))
        .await
        .unwrap();
    let shares: Vec<(String, f64, i64)> = shares
        .iter()
        .map(|row| {
            let share = row
                .try_get::<f64>("", "share")
                .or_else(|_| {
                    row.try_get::<sea_orm::prelude::Decimal>("", "share")
                        .map(|d| d.to_string().parse().unwrap())
                })
                .unwrap();
            (
                row.try_get("", "round").unwrap(),
                share,
                row.try_get("", "base").unwrap(),
            )
        })
        .collect();
    let expected = [("2020", 36.0), ("2021", 32.0), ("2023", 31.0)];
    assert_eq!(shares.len(), 3, "{shares:?}");
    for ((round, share, base), (want_round, want)) in shares.iter().zip(expected) {
        assert_eq!(round, want_round);
        assert!(
            (share - want).abs() <= 2.0,
            "round {round}: {share:.1} % unsafe, expected {want} ± 2"
        );
        assert!(*base > 1_300, "round {round} has only {base} answers");
    }

    // Bin every pin into 200 m squares on a local metric grid and look at the densest.
    let rows = db
        .query_all_raw(Statement::from_string(backend, "SELECT lon, lat FROM pin"))
        .await
        .unwrap();
    let metres_per_degree = 111_320.0_f64;
    let lon_scale = metres_per_degree * 59.5_f64.to_radians().cos();
    let mut squares = std::collections::HashMap::<(i64, i64), usize>::new();
    for row in &rows {
        let (lon, lat): (f64, f64) = (
            row.try_get("", "lon").unwrap(),
            row.try_get("", "lat").unwrap(),
        );
        let key = (
            ((lon - 17.5) * lon_scale / 200.0).floor() as i64,
            ((lat - 59.4) * metres_per_degree / 200.0).floor() as i64,
        );
        *squares.entry(key).or_default() += 1;
    }
    let mut densest: Vec<_> = squares.into_iter().collect();
    densest.sort_by_key(|&(key, n)| (std::cmp::Reverse(n), key));
    let places = [
        ("Bro centrum", 17.6335, 59.512),
        ("Bro station", 17.642, 59.5075),
        ("Kungsängen centrum", 17.751, 59.4785),
    ];
    let nearest = |&((i, j), _): &((i64, i64), usize)| {
        let (x, y) = ((i as f64 + 0.5) * 200.0, (j as f64 + 0.5) * 200.0);
        places
            .iter()
            .map(|(name, lon, lat)| {
                let (px, py) = ((lon - 17.5) * lon_scale, (lat - 59.4) * metres_per_degree);
                (*name, ((x - px).powi(2) + (y - py).powi(2)).sqrt())
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap()
    };
    let top: Vec<_> = densest.iter().take(3).map(nearest).collect();
    for (name, distance) in &top {
        assert!(
            *distance < 300.0,
            "a densest square lies {distance:.0} m from {name}: {top:?}"
        );
    }
    let mut names: Vec<_> = top.iter().map(|(name, _)| *name).collect();
    names.sort_unstable();
    assert_eq!(names, ["Bro centrum", "Bro station", "Kungsängen centrum"]);
    store.close().await.unwrap();
    env.finish().await;
}

#[tokio::test]
async fn the_demo_publishes_its_closed_2023_round_and_the_cli_refuses_to_publish_the_open_one() {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let store = env.db.connect().await.unwrap();
    let published = store
        .survey_by_slug("trygghetsmatning-2023")
        .await
        .unwrap()
        .unwrap();
    let publication = store.publication(&published).await.unwrap().unwrap();
    assert_eq!(publication.published_on.to_string(), "2023-12-11");
    assert_eq!(publication.version, 1);

    let refused = env.run(&["results", "publish", "trygghetsmatning-2026"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("round_open (closes_on)") && stderr.contains("closed round"),
        "{stderr}"
    );
    let open = store
        .survey_by_slug("trygghetsmatning-2026")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.publication(&open).await.unwrap(), None);

    // Publishing a published round again changes nothing without `--again`.
    let again = env.ok(&["results", "publish", "trygghetsmatning-2023"]);
    assert!(again.contains("already published"), "{again}");
    let replaced = env.ok(&["results", "publish", "--again", "trygghetsmatning-2023"]);
    assert!(replaced.contains("version 2"), "{replaced}");
    env.finish().await;
}
