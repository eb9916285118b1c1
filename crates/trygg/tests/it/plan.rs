//! `trygg plan …`: an åtgärdsplan from JSON, a chefssamråd with decisions and
//! the CSV export, with broken input named by file and field.

use crate::Env;

#[tokio::test]
async fn a_plan_is_added_gets_a_meeting_and_is_exported_as_csv() {
    let env = Env::new().await;
    env.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
    let bad = env.file(
        "bad.json",
        r#"{"title": "Plan", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "areas": [], "check_dates": ["2027-01-15"]}"#,
    );
    let err = env.fails(&["plan", "add", "--file", bad.to_str().unwrap()]);
    assert!(err.contains("bad.json: field `check_dates[0]`"), "{err}");
    assert_eq!(env.count("action_plan").await, 0);

    let good = env.file(
        "plan.json",
        r#"{"title": "Åtgärdsplan 2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "areas": [{"name": "Trygghet på offentlig plats", "activities": [
              {"title": "Gemensamma insatser", "owner": "Polisen", "follow_up": "antal per kvartal"}]}]}"#,
    );
    let added = env.ok(&["plan", "add", "--file", good.to_str().unwrap()]);
    let id = added
        .trim()
        .rsplit('(')
        .next()
        .unwrap()
        .trim_end_matches(").")
        .to_owned();
    let meeting = |more: &[&'static str]| {
        let mut args = vec![
            "plan",
            "meeting",
            "--id",
            id.as_str(),
            "--date",
            "2026-02-10",
        ];
        args.extend(more);
        args
    };
    let err = env.fails(&meeting(&["--kind", " "]));
    assert!(err.contains("--kind"), "{err}");
    env.ok(&meeting(&[
        "--decision",
        "Bro centrum blir fokusområde.",
        "--decision",
        "Trygghetsvandring i september.",
    ]));
    let csv = env.ok(&["plan", "export", "--id", &id]);
    let csv = csv.trim_start_matches('\u{feff}');
    assert!(
        csv.starts_with("section,date,area,text,owner,follow_up\n"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "activity,,Trygghet på offentlig plats,Gemensamma insatser,Polisen,antal per kvartal\n"
        ),
        "{csv}"
    );
    assert!(csv.contains("check,2026-03-31,,,,\n"), "{csv}");
    assert!(
        csv.contains("decision,2026-02-10,Chefssamråd,Trygghetsvandring i september.,,\n"),
        "{csv}"
    );
    assert!(env.ok(&["plan", "list"]).contains("Åtgärdsplan 2026"));
    env.finish().await;
}
