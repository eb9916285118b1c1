//! Settings come from defaults and a file (environment variables are exercised
//! by the CLI tests, which hand `TRYGG__DATABASE__URL` to the binary).

use trygg_server::Settings;

fn load(toml: &str) -> Settings {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trygg.toml");
    std::fs::write(&path, toml).unwrap();
    Settings::load(Some(&path)).unwrap()
}

#[test]
fn the_database_password_never_shows_in_debug_output() {
    let settings = load("[database]\nurl = \"postgres://trygg:hemligt-losen@db:5432/trygg\"\n");
    let shown = format!("{settings:?}");
    assert!(!shown.contains("hemligt"), "{shown}");
    assert!(shown.contains("REDACTED"), "{shown}");
}

#[test]
fn a_settings_file_overrides_only_what_it_names() {
    let settings = load("[server]\nbind = \"0.0.0.0:9999\"\n");
    assert_eq!(settings.server.bind, "0.0.0.0:9999");
    assert_eq!(settings.log.filter, "info,sqlx=warn,sea_orm=warn");
    assert!(!settings.log.json);
}

#[test]
fn the_public_url_must_be_an_http_address_and_defaults_to_the_listening_address() {
    use trygg_server::config::PublicUrl;
    assert_eq!(
        PublicUrl::parse("https://trygg.kommun.se/")
            .unwrap()
            .as_str(),
        "https://trygg.kommun.se"
    );
    for bad in [
        "trygg.kommun.se",
        "ftp://trygg.kommun.se",
        "javascript:alert(1)",
        "https://",
        "https://trygg.kommun.se/?x=1",
        "https://tr ygg.se",
    ] {
        assert!(PublicUrl::parse(bad).is_err(), "{bad}");
    }
    let settings = load("[server]\nbind = \"0.0.0.0:9999\"\n");
    assert_eq!(
        PublicUrl::from_bind(
            settings.server.public_url.as_deref(),
            &settings.server.bind,
            9999
        )
        .unwrap()
        .as_str(),
        "http://127.0.0.1:9999"
    );
    let settings = load("[server]\npublic_url = \"https://trygg.kommun.se\"\nhsts = true\n");
    assert!(settings.server.hsts);
    assert_eq!(
        PublicUrl::from_bind(
            settings.server.public_url.as_deref(),
            &settings.server.bind,
            8080
        )
        .unwrap()
        .as_str(),
        "https://trygg.kommun.se"
    );
}
