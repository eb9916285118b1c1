//! `trygg invitations create` takes the letters' links from `server.public_url`
//! (or `--base-url`) and refuses to guess one.

use crate::Env;

/// The fixture survey's slug.
const SLUG: &str = "kvallsenkat-2024";

/// `trygg invitations create` for two letters to `koder.csv`.
const CREATE: [&str; 8] = [
    "invitations",
    "create",
    "--survey",
    SLUG,
    "--count",
    "2",
    "-o",
    "koder.csv",
];

#[tokio::test]
async fn the_letters_links_come_from_the_public_url_setting_and_nothing_is_guessed() {
    let env = Env::new().await;
    env.with_survey();
    let without = env.run(&CREATE);
    assert!(!without.status.success());
    let stderr = String::from_utf8_lossy(&without.stderr);
    assert!(stderr.contains("server.public_url"), "{stderr}");

    let out = env
        .command(&CREATE)
        .env(
            "TRYGG__SERVER__PUBLIC_URL",
            "https://trygg.kommun.example.se/",
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(env.dir.path().join("koder.csv")).unwrap();
    let links: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').nth(1))
        .collect();
    assert_eq!(links.len(), 2, "{csv}");
    for link in links {
        assert!(
            link.starts_with(&format!("https://trygg.kommun.example.se/s/{SLUG}?kod=")),
            "{link}"
        );
    }
    let bad = env
        .command(&CREATE)
        .env("TRYGG__SERVER__PUBLIC_URL", "javascript:alert(1)")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    env.finish().await;
}
