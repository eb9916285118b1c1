//! The lägesbild over HTTP: the demo's evening-unsafe share in Bro 2023 is the same
//! number in the dashboard API, the Excel, CSV and PDF exports and on the public
//! page; a partner reads results but is refused the pin file; the public page shows
//! no small cell and no hexagon with fewer than 5 pins.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;
use trygg_domain::Role;
use trygg_e2e::{
    DEMO_ROUND as SLUG, StaffClient, TestApp, expect_error, header, indicator_cell, pdf_text,
    spawn_demo_app, strings,
};

async fn demo_app() -> (TestApp, String) {
    let app = spawn_demo_app().await;
    let survey = app.survey(SLUG).await;
    (app, survey.id.to_string())
}

/// The demo round and every comment in it, moderated or not.
async fn demo_comments(app: &TestApp) -> (trygg_domain::Survey, Vec<trygg_store::Comment>) {
    let survey = app.survey(SLUG).await;
    let comments = app
        .store
        .comments(
            survey.municipality_id,
            trygg_store::CommentFilter {
                survey_id: Some(survey.id),
                status: None,
            },
        )
        .await
        .unwrap();
    (survey, comments)
}

/// The Bro cell of the evening-unsafe indicator by area: (value, low, high, n).
fn bro(report: &Value) -> (f64, f64, f64, u64) {
    let cell = indicator_cell(report, "evening_unsafe", &["area"], &["bro"]);
    let e = &cell["estimate"];
    (
        e["value"].as_f64().unwrap(),
        e["interval"]["low"].as_f64().unwrap(),
        e["interval"]["high"].as_f64().unwrap(),
        e["n"].as_u64().unwrap(),
    )
}

/// The lägesbild at `base` exported as `format`.
async fn export(analyst: &StaffClient, base: &str, format: &str) -> Vec<u8> {
    let answer = analyst.get(&format!("{base}/export?format={format}")).await;
    answer.bytes().await.unwrap().to_vec()
}

fn swedish_percent(x: f64) -> String {
    format!("{:.1} %", 100.0 * x).replace('.', ",")
}

#[tokio::test]
async fn bro_2023_evening_unsafe_is_the_same_in_the_dashboard_the_exports_the_pdf_and_the_public_page()
 {
    let (app, id) = demo_app().await;
    let analyst = app.staff(Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild");

    let dashboard = analyst.get_json(&base).await;
    let (value, low, high, n) = bro(&dashboard);
    assert!(low < value && value < high, "{low} {value} {high}");
    assert!(
        dashboard["published_on"].is_string(),
        "the demo publishes 2023"
    );

    // CSV (comma, UTF-8 with BOM).
    let csv = analyst.get(&format!("{base}/export?format=csv")).await;
    assert_eq!(csv.status(), 200);
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("indikator,evening_unsafe,") && l.contains(",area,bro,Bro,"))
        .unwrap();
    let fields: Vec<&str> = row.rsplitn(10, ',').collect();
    // From the end: omgang, anmarkning, osaker, ki_hog, ki_lag, andel, …
    assert!(
        (fields[5].parse::<f64>().unwrap() - value).abs() < 1e-6,
        "{row}"
    );
    assert!(
        (fields[4].parse::<f64>().unwrap() - low).abs() < 1e-6,
        "{row}"
    );

    // Excel, read back with calamine.
    let xlsx = export(&analyst, &base, "xlsx").await;
    let mut book = Xlsx::new(Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range("evening_unsafe").unwrap();
    let row = range
        .rows()
        .find(|r| r.get(1) == Some(&Data::String("Bro".into())))
        .unwrap();
    assert_eq!(row.get(4), Some(&Data::Float(n as f64)));
    assert!(matches!(row.get(7), Some(Data::Float(v)) if (v - value).abs() < 1e-12));

    // PDF: the same share in its text.
    let pdf = export(&analyst, &base, "pdf").await;
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf, &[]);
    assert!(text.contains(&swedish_percent(value)), "{text}");

    // The public page's data, without signing in.
    let public = app.get_json(&format!("/api/v1/results/{SLUG}")).await;
    assert_eq!(bro(&public), (value, low, high, n));
    let page = app.get(&format!("/r/{SLUG}")).await;
    assert_eq!(page.status(), 200);
    app.finish().await;
}

#[tokio::test]
async fn a_partner_reads_the_lagesbild_and_exports_tables_but_not_the_pin_file() {
    let (app, id) = demo_app().await;
    let partner = app.staff(Role::Partner).await;
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild");
    assert_eq!(partner.get(&base).await.status(), 200);
    assert_eq!(
        partner
            .get(&format!("{base}/export?format=csv"))
            .await
            .status(),
        200
    );
    let refused = partner.get(&format!("{base}/pins.geojson")).await;
    expect_error(refused, 403, "forbidden").await;
    let analyst = app.staff(Role::Analyst).await;
    assert_eq!(
        analyst.get(&format!("{base}/pins.geojson")).await.status(),
        200
    );
    // Publishing is the analyst's.
    let publication = format!("/api/v1/admin/surveys/{id}/publication");
    assert_eq!(
        partner
            .request(reqwest::Method::PUT, &publication)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    app.finish().await;
}

#[tokio::test]
async fn the_public_results_show_no_small_cell_no_hexagon_under_five_pins_and_no_pins() {
    let (app, _) = demo_app().await;
    let public = app.get_json(&format!("/api/v1/results/{SLUG}")).await;
    for table in public["report"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .chain(public["report"]["indicators"].as_array().unwrap())
    {
        for cell in table["cells"].as_array().unwrap() {
            if let Some(n) = cell["estimate"]["n"].as_u64() {
                assert!(n >= 30, "a cell with n = {n} is public: {cell}");
            }
        }
    }
    let cells = public["map"]["cells"].as_array().unwrap();
    assert!(!cells.is_empty());
    let pins = app.store.pins(&app.survey(SLUG).await).await.unwrap();
    for cell in cells {
        let count = cell["count"].as_u64().unwrap();
        assert!(count >= 5, "{cell}");
        let h3: h3o::CellIndex = cell["h3"].as_str().unwrap().parse().unwrap();
        let stored = pins
            .iter()
            .filter(|p| {
                h3o::LatLng::new(p.pin.location.lat(), p.pin.location.lon())
                    .unwrap()
                    .to_cell(h3o::Resolution::Nine)
                    == h3
            })
            .count();
        assert_eq!(stored as u64, count, "{h3}");
    }
    assert!(public["map"]["heat"].is_null());
    let text = public.to_string();
    assert!(!text.contains("\"comment\""));
    // Unpublished rounds answer 404 like missing ones.
    assert_eq!(
        app.get("/api/v1/results/trygghetsmatning-2021")
            .await
            .status(),
        404
    );
    app.finish().await;
}

#[tokio::test]
async fn the_dashboard_shows_only_moderated_comments_and_redacted_ones_as_edited() {
    let (app, id) = demo_app().await;
    let (_, comments) = demo_comments(&app).await;
    assert!(comments.len() > 3, "the demo has comments");
    let analyst = app.staff(Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild");
    let before = analyst.get_json(&base).await;
    assert_eq!(before["comments"], serde_json::json!([]), "none moderated");

    let moderator = app.staff(Role::Moderator).await;
    let decide = |i: usize, body: Value| {
        let path = format!("/api/v1/admin/moderation/{}", comments[i].id);
        let moderator = &moderator;
        async move { moderator.post_json(&path, &body).await.status() }
    };
    assert_eq!(
        decide(0, serde_json::json!({"decision": "approve"})).await,
        200
    );
    assert_eq!(
        decide(
            1,
            serde_json::json!({"decision": "redact", "text": "[borttaget] vid stationen", "reason": "Namn"})
        )
        .await,
        200
    );
    assert_eq!(
        decide(
            2,
            serde_json::json!({"decision": "reject", "reason": "Kränkande"})
        )
        .await,
        200
    );
    let after = analyst.get_json(&base).await;
    let texts = strings(&after["comments"], "text");
    assert_eq!(
        texts,
        [comments[0].text.as_str(), "[borttaget] vid stationen"]
    );
    let shown = after["comments"].to_string();
    // The demo repeats some texts, so only texts unlike the approved one can tell.
    for hidden in comments
        .iter()
        .skip(1)
        .filter(|c| c.text != comments[0].text)
    {
        assert!(!shown.contains(&hidden.text), "{} is shown", hidden.text);
    }
    app.finish().await;
}

#[tokio::test]
async fn the_pdf_wraps_a_long_title_prints_the_problem_index_as_a_percentage_and_no_empty_hotspot()
{
    let (app, id) = demo_app().await;
    let analyst = app.staff(Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild");
    let dashboard = analyst.get_json(&base).await;
    assert_eq!(
        dashboard["problem_indices"],
        serde_json::json!(["problem_index"])
    );
    let hotspots = dashboard["map"]["hotspots"].as_array().unwrap();
    assert!(!hotspots.is_empty());
    assert!(
        hotspots.iter().all(|h| h["pins"].as_u64() > Some(0)),
        "{hotspots:?}"
    );
    let index = indicator_cell(&dashboard, "problem_index", &[], &[])["estimate"]["value"]
        .as_f64()
        .unwrap();
    assert!(0.0 < index && index < 1.0);

    let pdf = export(&analyst, &base, "pdf").await;
    // -layout keeps each printed line a line, and a page's width tells overflow.
    let text = pdf_text(&pdf, &["-layout"]);
    let row = text
        .lines()
        .find(|l| l.contains("Problemindex"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains(&swedish_percent(index)), "{row}");
    assert!(
        !row.contains(&format!("{index:.2}").replace('.', ",")),
        "{row}"
    );
    assert!(!text.contains(" 0 markeringar"), "{text}");
    // The title "Lägesbild Upplands-Bro (syntetiska demodata) 2023" is printed whole,
    // on two lines of the first page, and every glyph stays inside the page.
    let first_page = text.split('\u{c}').next().unwrap();
    assert!(
        first_page.contains("Lägesbild Upplands-Bro"),
        "{first_page}"
    );
    assert!(
        first_page.contains("(syntetiska demodata) 2023"),
        "{first_page}"
    );
    let html = pdf_text(&pdf, &["-bbox", "-f", "1", "-l", "1"]);
    for word in html.split("<word ").skip(1) {
        let x_max: f64 = word
            .split("xMax=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(x_max <= 595.0 - 40.0, "a word ends at {x_max}: {word}");
    }
    app.finish().await;
}

#[tokio::test]
async fn the_dashboards_comments_follow_the_area_filter() {
    let (app, id) = demo_app().await;
    let (survey, comments) = demo_comments(&app).await;
    let moderator = app.staff(Role::Moderator).await;
    for comment in comments.iter().take(40) {
        let path = format!("/api/v1/admin/moderation/{}", comment.id);
        let approve = serde_json::json!({"decision": "approve"});
        assert_eq!(moderator.post_json(&path, &approve).await.status(), 200);
    }
    let public = app.store.public_comments(&survey).await.unwrap();
    let responses = app.store.responses(&survey).await.unwrap();
    let area = trygg_domain::Key::parse("area", "key").unwrap();
    let in_bro = |c: &&trygg_store::PublicComment| {
        responses.iter().any(|r| {
            Some(r.id) == c.response_id
                && matches!(r.answers.get(&area), Some(trygg_domain::Answer::Choice(k)) if k.as_str() == "bro")
        })
    };
    let expected: Vec<&str> = public
        .iter()
        .filter(in_bro)
        .map(|c| c.text.as_str())
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < public.len(),
        "some but not all approved comments are from Bro: {} of {}",
        expected.len(),
        public.len()
    );

    let analyst = app.staff(Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild");
    let all = analyst.get_json(&base).await;
    assert_eq!(all["comments"].as_array().unwrap().len(), public.len());
    let bro = analyst.get_json(&format!("{base}?area=bro")).await;
    let shown = strings(&bro["comments"], "text");
    assert_eq!(shown, expected);
    app.finish().await;
}

#[tokio::test]
async fn a_corrected_question_text_shows_in_the_next_lagesbild_without_waiting() {
    let (app, id) = demo_app().await;
    let analyst = app.staff(Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild");
    let question = |l: &Value| {
        l["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["key"] == "evening_safety")
            .unwrap()["sv"]
            .clone()
    };
    let before = analyst.get_json(&base).await;
    assert_ne!(question(&before), "Hur trygg känner du dig sent en kväll?");

    analyst
        .edit_question(&id, "evening_safety", |evening| {
            evening["text"]["sv"] = "Hur trygg känner du dig sent en kväll?".into();
        })
        .await;

    let after = analyst.get_json(&base).await;
    assert_eq!(question(&after), "Hur trygg känner du dig sent en kväll?");
    app.finish().await;
}

#[tokio::test]
async fn the_key_figures_give_the_response_rate_of_the_invitation_letters() {
    let (app, id) = demo_app().await;
    let analyst = app.staff(Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild");
    let created = analyst
        .post_json(
            &format!("/api/v1/admin/surveys/{id}/invitations"),
            &serde_json::json!({"count": 4, "area": "bro"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let csv = created.text().await.unwrap();
    let code = csv.lines().nth(1).unwrap().split(',').next().unwrap();
    let survey = app.survey(SLUG).await;
    let code = trygg_domain::InvitationCode::parse(code, "code").unwrap();
    app.store
        .consume_invitation(survey.id, &code)
        .await
        .unwrap();

    let figures = |query: &'static str| {
        let (analyst, base) = (analyst.clone(), base.clone());
        async move {
            let l = analyst.get_json(&format!("{base}{query}")).await;
            (
                l["key_figures"]["invitations"].clone(),
                l["key_figures"]["response_rate"].clone(),
            )
        }
    };
    assert_eq!(figures("").await, (4.into(), 0.25.into()));
    assert_eq!(figures("?area=bro").await, (4.into(), 0.25.into()));
    // No letters went to Kungsängen, and letters know no gender.
    assert_eq!(
        figures("?area=kungsangen").await,
        (Value::Null, Value::Null)
    );
    assert_eq!(figures("?gender=kvinna").await, (Value::Null, Value::Null));
    app.finish().await;
}

#[tokio::test]
async fn the_demo_release_passes_the_disclosure_audit_and_the_per_table_suppression_does_not() {
    use trygg_lagesbild::disclosure::{DisclosureFailure, audit_release};
    use trygg_lagesbild::{Options, Sources, public};
    let (app, _) = demo_app().await;
    let survey = app.survey(SLUG).await;
    let sources = Sources::read(&app.store, &survey).await.unwrap();
    let options = Options {
        permutations: Some(0),
        ..Options::default()
    };
    let started = std::time::Instant::now();
    let release = public::redact(sources.build(&options).unwrap());
    let built = started.elapsed();
    let audit = audit_release(&sources, &release).unwrap();
    eprintln!(
        "demo round of {} respondents: built with linked suppression in {built:?}, audited {} hidden cells ({} programmes) in {:?}",
        release.key_figures.respondents,
        audit.checked,
        audit.programmes,
        started.elapsed() - built
    );
    assert!(audit.checked > 0, "the demo has small cells to protect");

    let unlinked = sources
        .build(&Options {
            unlinked: true,
            ..options
        })
        .unwrap();
    let failure = audit_release(&sources, &public::redact(unlinked)).unwrap_err();
    assert!(matches!(failure, DisclosureFailure::Leaks(_)), "{failure}");
    assert!(failure.to_string().starts_with("Cell "), "{failure}");
    eprintln!("per-table suppression: {failure}");
}

#[tokio::test]
async fn publishing_a_release_that_fails_the_disclosure_audit_is_refused_naming_the_cell() {
    use trygg_lagesbild::publish::{PublishError, prepare_release, prepare_release_with};
    use trygg_lagesbild::{Options, Sources};
    let (app, _) = demo_app().await;
    let survey = app.survey(SLUG).await;
    let sources = Sources::read(&app.store, &survey).await.unwrap();
    let after_closing = time::macros::date!(2100 - 01 - 01);
    let per_table = Options {
        unlinked: true,
        ..Options::default()
    };

    let refused = prepare_release_with(&sources, after_closing, &per_table).unwrap_err();

    assert!(matches!(refused, PublishError::Disclosure(_)), "{refused}");
    assert_eq!(refused.code(), "disclosure_risk");
    assert!(refused.is_refusal());
    let message = refused.to_string();
    assert!(message.contains("Cell "), "{message}");
    assert!(message.contains("can be worked out"), "{message}");
    prepare_release(&sources, after_closing).unwrap();
}

#[tokio::test]
async fn every_export_format_downloads_with_its_own_type_and_name_and_an_unknown_one_names_the_field()
 {
    let (app, id) = demo_app().await;
    let analyst = app.staff(Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{id}/lagesbild/export");
    for (format, content_type, extension) in [
        ("csv_semicolon", "text/csv; charset=utf-8", "csv"),
        ("cells", "application/geo+json", "geojson"),
        ("hotspots", "application/geo+json", "geojson"),
    ] {
        let answer = analyst.get(&format!("{base}?format={format}")).await;
        assert_eq!(answer.status(), 200, "{format}");
        assert_eq!(header(&answer, "content-type"), content_type);
        assert_eq!(
            header(&answer, "content-disposition"),
            format!("attachment; filename=\"lagesbild-{SLUG}-{format}.{extension}\"")
        );
    }
    for query in ["?format=docx", "?format=", ""] {
        let refused = analyst.get(&format!("{base}{query}")).await;
        assert_eq!(refused.status(), 400, "{query}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(
            (body["error"].as_str(), body["field"].as_str()),
            (Some("invalid_query"), Some("format")),
            "{query}"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn the_reports_cache_builds_each_options_once_and_keeps_filters_apart() {
    use std::sync::Arc;
    use trygg_lagesbild::{Filters, Options, Reports};

    let (app, _) = demo_app().await;
    let survey = app.survey(SLUG).await;
    let reports = Reports::default();
    let everyone = reports
        .get(&app.store, &survey, Options::default())
        .await
        .unwrap();
    let again = reports
        .get(&app.store, &survey, Options::default())
        .await
        .unwrap();
    assert!(Arc::ptr_eq(&everyone, &again));
    let in_bro = Options {
        filters: Filters {
            area: Some("bro".to_owned()),
            ..Filters::default()
        },
        ..Options::default()
    };
    // Two requests for the same new options at once get one build.
    let (first, second) = tokio::join!(
        reports.get(&app.store, &survey, in_bro.clone()),
        reports.get(&app.store, &survey, in_bro.clone()),
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert!(Arc::ptr_eq(&first, &second));
    assert!(!Arc::ptr_eq(&first, &everyone));
    assert_eq!(first.filters.area.as_deref(), Some("bro"));
    assert!(first.key_figures.respondents < everyone.key_figures.respondents);
    // A filter naming no option is the caller's error, not a cached value.
    let nowhere = Options {
        filters: Filters {
            area: Some("narnia".to_owned()),
            ..Filters::default()
        },
        ..Options::default()
    };
    assert!(matches!(
        reports.get(&app.store, &survey, nowhere).await,
        Err(trygg_lagesbild::LagesbildError::Filter { field: "area", .. })
    ));
    app.finish().await;
}
