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

#[tokio::test]
async fn every_page_carries_a_strict_content_security_policy() {
    let app = spawn_app().await;
    let page = app.get("/").await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    app.finish().await;
}

#[tokio::test]
async fn the_overview_lists_municipalities_without_any_answers_or_pins() {
    let app = spawn_app().await;
    let m = trygg_domain::Municipality::parse("testkommun", "Testkommun", true).unwrap();
    app.store.insert_municipality(&m).await.unwrap();
    let body: serde_json::Value = app.get("/api/v1/overview").await.json().await.unwrap();
    assert_eq!(body["municipalities"][0]["slug"], "testkommun");
    assert_eq!(body["municipalities"][0]["synthetic"], true);
    assert_eq!(body["municipalities"][0]["surveys"], serde_json::json!([]));
    app.finish().await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_intake_api_and_its_docs_page_is_served() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
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
async fn the_frontend_is_sent_gzip_compressed_to_clients_that_accept_it() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/css/trygg.css", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    app.finish().await;
}
