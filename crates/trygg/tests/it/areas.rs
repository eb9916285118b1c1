//! `trygg areas population`: population figures per area × gender × age band from
//! a CSV file, all or nothing, with errors naming the file, line and field.

use super::{Env, stderr};

async fn figures(env: &Env) -> i64 {
    env.scalar("SELECT COUNT(*) AS n FROM area_population")
        .await
}

#[tokio::test]
async fn a_population_file_is_stored_and_a_second_one_replaces_it() {
    let env = Env::new().await;
    env.with_survey();
    let file = env.file(
        "befolkning.csv",
        "area,gender,age_band,population\nbro,kvinna,a16_24,586\nbro,man,a16_24,635\nkungsangen,kvinna,a16_24,620\n",
    );
    let out = env.ok(&["areas", "population", "--file", file.to_str().unwrap()]);
    assert!(out.contains("Stored 3 population figure(s)"), "{out}");
    assert_eq!(figures(&env).await, 3);
    let total = env
        .scalar("SELECT CAST(SUM(population) AS BIGINT) AS n FROM area_population")
        .await;
    assert_eq!(total, 586 + 635 + 620);

    let again = env.file(
        "befolkning-2.csv",
        "area;gender;age_band;population\nlassa;kvinna;a65_84;210\n",
    );
    env.ok(&["areas", "population", "--file", again.to_str().unwrap()]);
    assert_eq!(
        figures(&env).await,
        1,
        "a new file replaces the old figures"
    );
    env.finish().await;
}

#[tokio::test]
async fn a_bad_line_in_a_population_file_names_file_line_and_field_and_stores_nothing() {
    let env = Env::new().await;
    env.with_survey();
    let cases = [
        (
            "a count that is not a number",
            "bro,man,a16_24,många",
            3,
            "population",
        ),
        ("a negative count", "bro,man,a16_24,-4", 3, "population"),
        ("an unknown area", "atlantis,man,a16_24,4", 3, "area"),
        (
            "a gender that is not a key",
            "bro,Man,a16_24,4",
            3,
            "gender",
        ),
        ("the same cell twice", "bro,kvinna,a16_24,9", 3, "area"),
    ];
    for (what, line, at, field) in cases {
        let file = env.file(
            "befolkning.csv",
            &format!("area,gender,age_band,population\nbro,kvinna,a16_24,586\n{line}\nbro,man,a25_44,1642\n"),
        );
        let out = env.run(&["areas", "population", "--file", file.to_str().unwrap()]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{what}");
        assert!(err.contains("befolkning.csv"), "{what}: {err}");
        assert!(err.contains(&format!("line {at}")), "{what}: {err}");
        assert!(err.contains(&format!("`{field}`")), "{what}: {err}");
        assert_eq!(figures(&env).await, 0, "{what}");
    }
    let file = env.file("fel.csv", "omrade,kon,alder,antal\nbro,kvinna,a16_24,586\n");
    let out = env.run(&["areas", "population", "--file", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("line 1") && err.contains("area,gender,age_band,population"),
        "{err}"
    );
    env.finish().await;
}
