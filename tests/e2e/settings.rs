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
