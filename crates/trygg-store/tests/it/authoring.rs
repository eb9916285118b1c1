//! Drafts, publishing, rounds and moderation against a real database.

use serde_json::json;
use time::macros::{date, datetime};
use trygg_domain::{
    CommentSource, ModerationStatus, MunicipalityId, RetentionDays, Survey, SurveyId, SurveyStatus,
    new_round,
};
use trygg_store::testing::TestDatabase;
use trygg_store::{AuthoredSurvey, Comment, CommentFilter, Store, StoreError, SurveySettings};

use super::{decision, seeded, sorted, submit, survey};

/// The survey `id` of `m` as staff see it in the editor; it must be there.
async fn authored(store: &Store, m: MunicipalityId, id: SurveyId) -> AuthoredSurvey {
    store.authored_survey(m, id).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_draft_is_invisible_to_intake_until_it_is_published() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, _, _) = seeded(&db).await;
    let draft = survey(&m, "trygghet-2025");
    let retention = RetentionDays::parse(365, "retention_days").unwrap();
    let settings = SurveySettings {
        copied_from: None,
        retention: Some(retention),
    };
    store.insert_draft(&draft, settings).await.unwrap();
    assert_eq!(store.survey_by_slug("trygghet-2025").await.unwrap(), None);
    let read = authored(&store, m.id, draft.id).await;
    assert_eq!(
        (read.status, &read.survey, read.retention),
        (SurveyStatus::Draft, &draft, Some(retention))
    );

    store.publish_draft(&draft, settings).await.unwrap();
    assert_eq!(
        store.survey_by_slug("trygghet-2025").await.unwrap(),
        Some(draft.clone())
    );
    let read = authored(&store, m.id, draft.id).await;
    assert_eq!(
        (read.status, read.retention),
        (SurveyStatus::Published, Some(retention))
    );
    assert!(matches!(
        store.publish_draft(&draft, SurveySettings::default()).await,
        Err(StoreError::Conflict { ref field, .. }) if field == "status"
    ));
    super::finish(store, db).await;
}

#[tokio::test]
async fn a_draft_cannot_take_the_slug_of_a_survey_or_another_draft() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, _, _) = seeded(&db).await;
    let insert_draft = async |slug: &str| {
        let draft = survey(&m, slug);
        store.insert_draft(&draft, SurveySettings::default()).await
    };
    let taken = insert_draft("trygghet-2023").await.unwrap_err();
    super::assert_conflict(&taken, "slug");
    insert_draft("utkast").await.unwrap();
    let again = insert_draft("utkast").await.unwrap_err();
    super::assert_conflict(&again, "slug");
    super::finish(store, db).await;
}

#[tokio::test]
async fn another_municipality_sees_neither_drafts_nor_surveys() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, _, published) = seeded(&db).await;
    let draft = survey(&m, "utkast");
    store
        .insert_draft(&draft, SurveySettings::default())
        .await
        .unwrap();
    let other = trygg_domain::Municipality::parse("annan", "Annan kommun", false).unwrap();
    store.insert_municipality(&other).await.unwrap();
    assert!(store.authored_surveys(other.id).await.unwrap().is_empty());
    assert_eq!(
        store.authored_survey(other.id, draft.id).await.unwrap(),
        None
    );
    assert_eq!(
        store.authored_survey(other.id, published.id).await.unwrap(),
        None
    );
    assert!(!store.delete_draft(other.id, draft.id).await.unwrap());
    assert_eq!(store.authored_surveys(m.id).await.unwrap().len(), 2);
    super::finish(store, db).await;
}

#[tokio::test]
async fn a_new_round_is_a_draft_that_remembers_its_source_and_keeps_its_keys() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, _, source) = seeded(&db).await;
    let round = new_round(
        &source,
        "trygghet-2024",
        "2024",
        date!(2024 - 10 - 01),
        None,
        m.id,
    )
    .unwrap();
    store
        .insert_draft(
            &round,
            SurveySettings {
                copied_from: Some(source.id),
                retention: None,
            },
        )
        .await
        .unwrap();
    let read = authored(&store, m.id, round.id).await;
    assert_eq!(read.copied_from, Some(source.id));
    let keys = |s: &Survey| {
        s.questions
            .iter()
            .map(|q| q.key.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&read.survey), keys(&source));
    super::finish(store, db).await;
}

#[tokio::test]
async fn a_published_survey_takes_corrections_and_a_retention_period() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, _, mut s) = seeded(&db).await;
    s.title.sv = "Trygghetsenkät".to_owned();
    let retention = RetentionDays::parse(90, "retention_days").unwrap();
    store.update_published(&s, Some(retention)).await.unwrap();
    let read = authored(&store, m.id, s.id).await;
    assert_eq!(
        (read.survey.title.sv.as_str(), read.retention),
        ("Trygghetsenkät", Some(retention))
    );
    store.update_published(&s, None).await.unwrap();
    assert_eq!(authored(&store, m.id, s.id).await.retention, None);
    super::finish(store, db).await;
}

#[tokio::test]
async fn comments_are_held_until_a_moderator_approves_or_redacts_them() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m, a, s) = seeded(&db).await;
    let input = json!({
        "answers": {"gender": "kvinna", "comment": "Ring 070-123 45 67 om mopederna"},
        "pins": [
            {"location": [17.65, 59.52], "category": "grupper", "time_of_day": "evening", "comment": "Stökigt på fredagar"},
            {"location": [17.61, 59.51], "category": "belysning", "time_of_day": "night", "comment": "Han heter Kalle"},
            {"location": [17.62, 59.51], "category": "belysning", "time_of_day": "night"}
        ]
    });
    submit(&store, &s, &a, input, datetime!(2023-10-12 21:00 UTC)).await;
    // Records a moderator's decision of `kind` on `comment`, with an edited
    // `text` (for a redaction) and a `reason`.
    let decide = async |comment: &Comment, kind: &str, text: Option<&str>, reason: Option<&str>| {
        let decision = decision(kind, text, reason, &comment.text);
        store
            .decide_comment(m.id, comment, &decision, None)
            .await
            .unwrap();
    };

    let pending = store
        .comments(m.id, CommentFilter::default())
        .await
        .unwrap();
    assert_eq!(
        pending.len(),
        3,
        "two pin comments and one free-text answer"
    );
    assert!(
        pending
            .iter()
            .all(|c| c.status == ModerationStatus::Pending)
    );
    assert!(
        store.public_comments(&s).await.unwrap().is_empty(),
        "nothing is public before moderation"
    );

    let phone = pending
        .iter()
        .find(|c| c.source == CommentSource::FreeText)
        .unwrap();
    let fridays = pending
        .iter()
        .find(|c| c.text.starts_with("Stökigt"))
        .unwrap();
    let name = pending.iter().find(|c| c.text.contains("Kalle")).unwrap();
    let edit = Some("Ring [borttaget] om mopederna");
    decide(phone, "redact", edit, Some("telefonnummer")).await;
    decide(fridays, "approve", None, None).await;
    decide(name, "reject", None, Some("namn")).await;

    let public = store.public_comments(&s).await.unwrap();
    assert_eq!(
        sorted(public.into_iter().map(|c| c.text)),
        ["Ring [borttaget] om mopederna", "Stökigt på fredagar"]
    );
    let redacted = store.comment(m.id, phone.id).await.unwrap().unwrap();
    assert_eq!(
        (redacted.status, redacted.reason.as_deref()),
        (ModerationStatus::Redacted, Some("telefonnummer"))
    );
    assert_eq!(
        redacted.text, "Ring 070-123 45 67 om mopederna",
        "the original is kept for staff"
    );
    let still_pending = store
        .comments(
            m.id,
            CommentFilter {
                survey_id: Some(s.id),
                status: Some(ModerationStatus::Pending),
            },
        )
        .await
        .unwrap();
    assert!(still_pending.is_empty());

    // A moderator can change their mind; the latest decision counts.
    decide(fridays, "reject", None, Some("fel enkät")).await;
    assert_eq!(store.public_comments(&s).await.unwrap().len(), 1);

    let other = trygg_domain::Municipality::parse("annan", "Annan kommun", false).unwrap();
    store.insert_municipality(&other).await.unwrap();
    assert_eq!(store.comment(other.id, phone.id).await.unwrap(), None);
    assert!(
        store
            .comments(other.id, CommentFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    super::finish(store, db).await;
}
