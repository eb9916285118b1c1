//! `trygg serve --demo` starts, prints the URL and answers health checks.

use std::process::Stdio;

use crate::{Env, printed_url};

/// Stops the server even when an assertion fails.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serve_with_demo_prints_the_url_and_is_ready() {
    let env = Env::new().await;
    let mut child = env
        .command(&["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Running(child);
    let url = printed_url(stdout);
    let client = reqwest::Client::new();
    let ready = client
        .get(format!("{url}health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let overview: serde_json::Value = client
        .get(format!("{url}api/v1/overview"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let demo = &overview["municipalities"][0];
    assert_eq!(demo["synthetic"], true);
    assert_eq!(demo["surveys"].as_array().unwrap().len(), 4);
    let page = client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    drop(server);
    env.finish().await;
}
