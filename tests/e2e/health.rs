use trygg_e2e::spawn_app;

#[tokio::test]
async fn live_and_ready_answer_200_while_the_database_is_up() {
    let app = spawn_app().await;
    assert_eq!(app.get("/health/live").await.status(), 200);
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    app.finish().await;
}

/// Every route that answers with a page: the start page, a survey, a round's
/// results, the follow-up page, the staff pages, the lägesbild dashboard and the
/// API docs.
const PAGES: [&str; 8] = [
    "/",
    "/s/trygghet-oppen",
    "/r/trygghet-oppen",
    "/lofte/testkommun",
    "/admin",
    "/admin/surveys",
    "/admin/surveys/00000000-0000-0000-0000-000000000000/lagesbild",
    "/api/docs",
];

#[tokio::test]
async fn every_page_carries_a_strict_content_security_policy() {
    let app = spawn_app().await;
    for path in PAGES {
        let page = app.get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        let headers = page.headers();
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path} is not a page"
        );
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-eval"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    }
    app.finish().await;
}

#[tokio::test]
async fn the_overview_lists_municipalities_without_any_answers_or_pins() {
    let app = spawn_app().await;
    let survey = trygg_e2e::seed_surveys(&app.store).await;
    let sent = trygg_e2e::good_response();
    let key = uuid::Uuid::new_v4().to_string();
    let answered = app.submit(survey.slug.as_str(), &key, &sent).await;
    assert_eq!(answered.status(), 201);
    let overview = app.get("/api/v1/overview").await.text().await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&overview).unwrap();
    let municipality = &body["municipalities"][0];
    assert_eq!(municipality["slug"], "testkommun");
    assert_eq!(municipality["synthetic"], false);
    let open = municipality["surveys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == survey.slug.as_str())
        .unwrap();
    // The counts are there, but nothing a resident gave: no answer, no
    // place, no free text.
    assert_eq!(
        (open["responses"].as_u64(), open["pins"].as_u64()),
        (Some(1), Some(2))
    );
    for given in [
        "otrygg",
        "Mörkt vid stationen",
        "Stökigt på kvällarna",
        "17.642",
        "59.5075",
        "grupper",
        "evening",
    ] {
        assert!(
            !overview.contains(given),
            "the overview shows {given:?}: {overview}"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_intake_api_and_its_docs_page_is_served() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let submit = &doc["paths"]["/api/v1/surveys/{slug}/responses"]["post"];
    for status in ["201", "400", "413", "415", "422", "429", "503"] {
        assert!(
            submit["responses"][status].is_object(),
            "status {status} is not documented"
        );
    }
    assert!(doc["components"]["schemas"]["ResponseBody"].is_object());
    let docs = app.get("/api/docs").await;
    assert_eq!(docs.status(), 200);
    assert!(
        docs.text()
            .await
            .unwrap()
            .contains("/vendor/swagger-ui/swagger-ui-bundle.js")
    );
    app.finish().await;
}

#[tokio::test]
async fn every_reference_in_the_openapi_document_names_a_schema_it_defines() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    let mut references = Vec::new();
    collect_references(&doc, &mut references);
    assert!(references.len() > 50, "the document refers to its schemas");
    let missing: Vec<&String> = references
        .iter()
        .filter(|r| {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
            !doc["components"]["schemas"][name].is_object()
        })
        .collect();
    assert!(missing.is_empty(), "unresolvable references: {missing:?}");
    app.finish().await;
}

/// Every `$ref` string anywhere in `value`.
fn collect_references(value: &serde_json::Value, into: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", serde_json::Value::String(r)) => into.push(r.clone()),
                    _ => collect_references(item, into),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_references(i, into)),
        _ => {}
    }
}

#[tokio::test]
async fn the_frontend_is_sent_gzip_compressed_to_clients_that_accept_it() {
    let app = spawn_app().await;
    let response = app
        .get_with_header("/css/trygg.css", "Accept-Encoding", "gzip")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    app.finish().await;
}
