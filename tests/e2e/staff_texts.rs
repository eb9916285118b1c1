//! Progress texts and walk findings' notes that look like personal data wait
//! for a moderator before the public follow-up page or its feed shows them.

use serde_json::{Value, json};
use trygg_domain::Role;
use trygg_e2e::{expect_json, spawn_app, strings};

use crate::promises::{kommunen, today};

#[tokio::test]
async fn a_flagged_progress_text_and_finding_note_are_published_only_once_a_moderator_decides() {
    let app = spawn_app().await;
    let (m, seeded) = kommunen(&app).await;
    let partner = app.staff_in(m.id, Role::Partner).await;
    let written = "Pratade med Eva på Storgatan 12, ring 070-123 45 67";
    let recorded = partner
        .post_json(
            &format!("/api/v1/admin/activities/{}/progress", seeded.activity.id),
            &json!({"on": today(), "amount": 2, "text": written}),
        )
        .await;
    let activity = expect_json(recorded, 201).await;
    let entry = &activity["progress"][0];
    assert_eq!(entry["review"], "pending", "the form can say why: {entry}");
    assert_eq!(entry["flags"], json!(["phone", "address"]));
    let note = "Grannen som heter Anders Berg ser allt";
    let finding = partner
        .post_json(
            &format!("/api/v1/admin/walks/{}/findings", seeded.walk.id),
            &json!({"location": [17.633, 59.512], "category": "lighting", "note": note,
                    "responsible": "Tekniska förvaltningen"}),
        )
        .await;
    let finding = expect_json(finding, 201).await;
    assert_eq!(finding["review"], "pending");
    let fixed = partner
        .patch_json(
            &format!("/api/v1/admin/findings/{}", finding["id"].as_str().unwrap()),
            &json!({"status": "fixed"}),
        )
        .await;
    assert_eq!(fixed.status(), 200);

    let public = || async {
        let page = app
            .get("/api/v1/public/kommunen/follow-up")
            .await
            .text()
            .await
            .unwrap();
        let feed = app
            .get("/lofte/kommunen/feed.atom")
            .await
            .text()
            .await
            .unwrap();
        (page, feed)
    };
    let (page, feed) = public().await;
    for shown in [&page, &feed] {
        assert!(!shown.contains("Storgatan"), "{shown}");
        assert!(!shown.contains("070-123"), "{shown}");
        assert!(!shown.contains("Anders"), "{shown}");
    }
    let page: Value = serde_json::from_str(&page).unwrap();
    assert_eq!(
        page["promises"][0]["activities"][0]["achieved"], 2,
        "the amount counts while the text waits"
    );
    assert_eq!(page["promises"][0]["updates"][0]["text"], "");
    assert!(page["findings"].as_array().unwrap().is_empty());

    // The moderator sees both with their flags, then approves one and redacts the other.
    let moderator = app.staff_in(m.id, Role::Moderator).await;
    let queue = moderator
        .get_json("/api/v1/admin/moderation/staff-texts")
        .await;
    assert_eq!(queue["total"], 2, "{queue}");
    let sources = strings(&queue["texts"], "source");
    assert_eq!(sources, ["progress_text", "finding_note"]);
    assert_eq!(
        queue["texts"][1]["suggestion"],
        "Grannen som heter [borttaget] ser allt"
    );
    let decide = |id: &Value, body: Value| {
        let path = format!(
            "/api/v1/admin/moderation/staff-texts/{}",
            id.as_str().unwrap()
        );
        let moderator = &moderator;
        async move { moderator.post_json(&path, &body).await }
    };
    let approved = decide(&queue["texts"][0]["id"], json!({"decision": "approve"})).await;
    assert_eq!(approved.status(), 200);
    let redacted = decide(
        &queue["texts"][1]["id"],
        json!({"decision": "redact", "text": "En granne ser allt", "reason": "Namn"}),
    )
    .await;
    assert_eq!(redacted.status(), 200);
    let missing = decide(
        &json!(uuid::Uuid::new_v4().to_string()),
        json!({"decision": "approve"}),
    )
    .await;
    assert_eq!(missing.status(), 404);

    let (page, feed) = public().await;
    assert!(feed.contains("Storgatan 12"), "approved: {feed}");
    assert!(feed.contains("Åtgärdat: En granne ser allt"), "{feed}");
    assert!(!feed.contains("Anders"));
    let page: Value = serde_json::from_str(&page).unwrap();
    assert_eq!(page["promises"][0]["updates"][0]["text"], written);
    assert_eq!(page["findings"][0]["note"], "En granne ser allt");
    let pending = moderator
        .get_json("/api/v1/admin/moderation/staff-texts")
        .await;
    assert_eq!(pending["total"], 0);
    app.finish().await;
}
