//! Promises, activities, progress, action plans and walks against a real database.

use serde_json::json;
use time::macros::date;
use trygg_domain::{
    ActionPlan, ActionPlanInput, Activity, ActivityInput, Finding, FindingInput, FindingStatus,
    FocusArea, FocusAreaInput, ModerationStatus, Municipality, ProgressEntry, ProgressInput,
    Promise, PromiseInput, SafetyWalk, StaffTextSource, Status, StatusInput, WalkInput,
};
use trygg_store::testing::TestDatabase;
use trygg_store::{StaffText, Store};

use super::{decision, municipality};

/// A migrated store holding the test municipality.
async fn with_municipality(db: &TestDatabase) -> (Store, Municipality) {
    let store = db.migrated().await.unwrap();
    let m = municipality();
    store.insert_municipality(&m).await.unwrap();
    (store, m)
}

async fn focus_area(store: &Store, m: &Municipality) -> FocusArea {
    let input: FocusAreaInput = serde_json::from_value(json!({
        "name": "Bro centrum kvällstid", "kind": "place", "area_code": "bro",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "rationale": "Högst andel otrygga kvällstid och flest nålar i lägesbilden"
    }))
    .unwrap();
    let f = FocusArea::parse(input, m.id).unwrap();
    store.insert_focus_area(&f).await.unwrap();
    f
}

fn promise(m: &Municipality, f: &FocusArea) -> Promise {
    let input: PromiseInput = serde_json::from_value(json!({
        "focus_area_id": f.id.as_uuid(), "title": {"sv": "Tryggare Bro centrum", "en": "A safer Bro centre"},
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "parties": ["Polisen", "Kommunen"],
        "expected_effect": {"sv": "Färre otrygga kvällstid"},
        "indicator": {"indicator": "evening_unsafe", "baseline_survey": "trygghet-2023", "area_code": "bro"}
    }))
    .unwrap();
    Promise::parse(input, m.id).unwrap()
}

fn activity(p: &Promise, target: u32, due: &str) -> Activity {
    let input: ActivityInput = serde_json::from_value(json!({
        "title": {"sv": "Gemensamma insatser"}, "owner": "Polisen", "target": target,
        "unit": "insatser", "due_on": due
    }))
    .unwrap();
    Activity::parse(input, p).unwrap()
}

/// A stored promise of `f` with one activity of `target`, due 2026-10-01.
async fn promise_with_activity(
    store: &Store,
    m: &Municipality,
    f: &FocusArea,
    target: u32,
) -> (Promise, Activity) {
    let mut p = promise(m, f);
    let a = activity(&p, target, "2026-10-01");
    p.activities.push(a.clone());
    store.insert_promise(&p).await.unwrap();
    (p, a)
}

fn progress(a: &Activity, on: &str, amount: u32) -> ProgressEntry {
    let input: ProgressInput = serde_json::from_value(
        json!({"on": on, "amount": amount, "text": "Insats vid stationen", "note": "Internt"}),
    )
    .unwrap();
    ProgressEntry::parse(input, a, date!(2026 - 12 - 31)).unwrap()
}

#[tokio::test]
async fn promises_read_back_as_written_and_their_status_holds_at_the_edges_of_target_and_date() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m) = with_municipality(&db).await;
    let f = focus_area(&store, &m).await;
    let mut p = promise(&m, &f);
    // Due 2026-12-31, 364 days after the start: a target of 4 is on pace at one per 91 days.
    let mut paced = activity(&p, 4, "2026-12-31");
    paced.progress.push(progress(&paced, "2026-02-01", 1));
    let exact = activity(&p, 2, "2026-06-30");
    p.activities = vec![paced.clone()];
    store.insert_promise(&p).await.unwrap();
    store.insert_activity(m.id, &exact).await.unwrap();
    let first = progress(&exact, "2026-03-01", 1);
    store.insert_progress(m.id, &first).await.unwrap();

    let back = store.promise(m.id, p.id).await.unwrap().unwrap();
    assert_eq!(back.title, p.title);
    assert_eq!(back.indicator, p.indicator);
    assert_eq!(back.parties, p.parties);
    assert_eq!(back.activities.len(), 2);
    assert_eq!(back.activities[0], paced);
    let stored_exact = &back.activities[1];
    assert_eq!(stored_exact.progress, vec![first]);

    let paced = &back.activities[0];
    for (day, status, why) in [
        (date!(2026 - 01 - 01), Status::OnTrack, "zero elapsed"),
        (date!(2026 - 04 - 02), Status::OnTrack, "exactly on pace"),
        (date!(2026 - 04 - 03), Status::Behind, "a day behind pace"),
        (date!(2026 - 12 - 31), Status::Behind, "due today, short"),
        (date!(2027 - 02 - 01), Status::Behind, "past due"),
    ] {
        assert_eq!(paced.status(day), status, "{why}");
    }

    // One short of target on the due day, then exactly at target on it.
    assert_eq!(stored_exact.status(date!(2026 - 06 - 30)), Status::Behind);
    let second = progress(stored_exact, "2026-06-30", 1);
    store.insert_progress(m.id, &second).await.unwrap();
    let back = store.promise(m.id, p.id).await.unwrap().unwrap();
    for (day, status) in [
        (date!(2026 - 06 - 30), Status::Done),
        (date!(2026 - 04 - 01), Status::OnTrack),
        (date!(2026 - 04 - 02), Status::Behind),
    ] {
        assert_eq!(back.activities[1].status(day), status, "{day}");
    }
    // The promise lags with its first activity although the second is done.
    assert_eq!(back.status(date!(2026 - 06 - 30)), Status::Behind);
    assert_eq!(back.status(date!(2026 - 01 - 01)), Status::OnTrack);
    assert_eq!(store.promises_as_written(m.id).await.unwrap(), vec![back]);
}

#[tokio::test]
async fn another_municipality_sees_none_of_the_promises_walks_or_plans() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m) = with_municipality(&db).await;
    let other = Municipality::parse("annan", "Annan kommun", false).unwrap();
    store.insert_municipality(&other).await.unwrap();
    let f = focus_area(&store, &m).await;
    let (p, a) = promise_with_activity(&store, &m, &f, 3).await;
    let w = walk(&store, &m).await;

    assert!(store.focus_areas(other.id).await.unwrap().is_empty());
    assert!(store.focus_area(other.id, f.id).await.unwrap().is_none());
    assert!(store.promises(other.id).await.unwrap().is_empty());
    assert!(store.promise(other.id, p.id).await.unwrap().is_none());
    let promise_of_activity = async |m| {
        let promise = store.promise_of_activity(m, a.id).await.unwrap();
        promise.map(|p| p.id)
    };
    assert_eq!(promise_of_activity(other.id).await, None);
    assert!(!store.delete_promise(other.id, p.id).await.unwrap());
    assert!(store.walks(other.id).await.unwrap().is_empty());
    assert!(store.walk(other.id, w.id).await.unwrap().is_none());
    assert!(store.findings(other.id, None).await.unwrap().is_empty());
    assert!(store.staff_texts(other.id, None).await.unwrap().is_empty());
    assert_eq!(promise_of_activity(m.id).await, Some(p.id));
    assert!(store.delete_promise(m.id, p.id).await.unwrap());
    assert!(store.promises(m.id).await.unwrap().is_empty());
}

async fn walk(store: &Store, m: &Municipality) -> SafetyWalk {
    let input: WalkInput = serde_json::from_value(json!({
        "title": "Trygghetsvandring Bro centrum", "area_code": "bro", "walked_on": "2026-10-06",
        "route": [[17.632, 59.511], [17.636, 59.513]], "stops": ["Stationen", "Torget"],
        "participants": ["Polisen", "Kommunen", "Bostadsbolaget"]
    }))
    .unwrap();
    let w = SafetyWalk::parse(input, m.id).unwrap();
    store.insert_walk(&w).await.unwrap();
    w
}

#[tokio::test]
async fn walks_and_findings_read_back_and_a_finding_moves_through_its_statuses() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m) = with_municipality(&db).await;
    let w = walk(&store, &m).await;
    assert_eq!(store.walks(m.id).await.unwrap(), vec![w.clone()]);
    let input: FindingInput = serde_json::from_value(json!({
        "location": [17.633, 59.512], "category": "belysning", "note": "Trasig lampa i gångtunneln",
        "responsible": "Tekniska förvaltningen", "due_on": "2026-12-01"
    }))
    .unwrap();
    let mut f = Finding::parse(input, &w).unwrap();
    store.save_finding(m.id, &f).await.unwrap();
    assert_eq!(
        store.findings(m.id, Some(w.id)).await.unwrap(),
        vec![f.clone()]
    );

    let wont: StatusInput = serde_json::from_value(
        json!({"status": "wont_fix", "reason": "Privat mark; ägaren informerad"}),
    )
    .unwrap();
    f.update(&wont, date!(2026 - 10 - 20)).unwrap();
    store.save_finding(m.id, &f).await.unwrap();
    assert_eq!(store.finding(m.id, f.id).await.unwrap().unwrap(), f);
    let fixed: StatusInput =
        serde_json::from_value(json!({"status": "fixed", "fixed_on": "2026-11-02"})).unwrap();
    f.update(&fixed, date!(2026 - 11 - 05)).unwrap();
    store.save_finding(m.id, &f).await.unwrap();
    let back = store.finding(m.id, f.id).await.unwrap().unwrap();
    assert_eq!(
        back.status,
        FindingStatus::Fixed {
            fixed_on: date!(2026 - 11 - 02)
        }
    );
    assert_eq!(store.findings(m.id, None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_action_plan_reads_back_whole_and_is_replaced_whole() {
    let db = TestDatabase::create().await.unwrap();
    let (store, m) = with_municipality(&db).await;
    let input: ActionPlanInput = serde_json::from_value(json!({
        "title": "Åtgärdsplan 2026", "starts_on": "2026-02-01", "ends_on": "2026-12-31",
        "areas": [{"name": "Trygghet på offentlig plats",
                   "activities": [{"title": "Trygghetsvandringar i Bro", "owner": "Kommunen", "follow_up": "antal per år"}]},
                  {"name": "Insatser mot droghandel och öppna drogscener", "activities": []}],
        "meetings": [{"held_on": "2026-03-10", "kind": "Chefssamråd", "decisions": ["Fokus på Bro centrum"]}]
    }))
    .unwrap();
    let mut plan = ActionPlan::parse(input, m.id).unwrap();
    store.save_action_plan(&plan).await.unwrap();
    assert_eq!(
        store.action_plan(m.id, plan.id).await.unwrap().unwrap(),
        plan
    );
    let review = trygg_domain::MidtermReviewInput {
        held_on: date!(2026 - 07 - 15),
        cooperation: "Samverkan fungerar väl".into(),
        implementation: "Sex av åtta insatser genomförda".into(),
        results: "Otryggheten kvällstid har minskat något".into(),
    };
    plan.record_review(trygg_domain::MidtermReview::parse(review, "").unwrap())
        .unwrap();
    store.save_action_plan(&plan).await.unwrap();
    assert_eq!(store.action_plans(m.id).await.unwrap(), vec![plan]);
}

/// Records a moderator's decision of `kind` on `text`, with an edited `edit`
/// (for a redaction) and a `reason`.
async fn decide(
    store: &Store,
    m: &Municipality,
    text: &StaffText,
    kind: &str,
    edit: Option<&str>,
    reason: Option<&str>,
) {
    let decision = decision(kind, edit, reason, &text.text);
    store
        .decide_staff_text(m.id, text, &decision, None)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_progress_text_that_looks_like_personal_data_is_not_public_until_a_moderator_approves_it()
{
    let db = TestDatabase::create().await.unwrap();
    let (store, m) = with_municipality(&db).await;
    let f = focus_area(&store, &m).await;
    let (_, a) = promise_with_activity(&store, &m, &f, 10).await;
    let plain = progress(&a, "2026-03-01", 2);
    let personal: ProgressInput = serde_json::from_value(json!({
        "on": "2026-03-02", "amount": 1,
        "text": "Pratade med Eva som bor på Storgatan 12, ring 070-123 45 67"
    }))
    .unwrap();
    let personal = ProgressEntry::parse(personal, &a, date!(2026 - 12 - 31)).unwrap();
    store.insert_progress(m.id, &plain).await.unwrap();
    store.insert_progress(m.id, &personal).await.unwrap();

    let public = |promises: Vec<Promise>| -> Vec<(u32, String, Option<String>)> {
        promises[0].activities[0]
            .progress
            .iter()
            .map(|e| (e.amount, e.text.clone(), e.note.clone()))
            .collect()
    };
    // The amount still counts; the text waits, and internal notes never leave.
    assert_eq!(
        public(store.promises(m.id).await.unwrap()),
        vec![
            (2, "Insats vid stationen".to_owned(), None),
            (1, String::new(), None)
        ]
    );
    assert_eq!(
        public(store.promises_as_written(m.id).await.unwrap())[1].1,
        personal.text,
        "staff see what they wrote"
    );
    let pending = store
        .staff_texts(m.id, Some(ModerationStatus::Pending))
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, personal.id.as_uuid());
    assert_eq!(pending[0].source, StaffTextSource::ProgressText);
    assert_eq!(pending[0].context, "Gemensamma insatser");

    let edit = Some("Pratade med en boende");
    decide(
        &store,
        &m,
        &pending[0],
        "redact",
        edit,
        Some("Namn och adress"),
    )
    .await;
    assert_eq!(
        public(store.promises(m.id).await.unwrap())[1].1,
        "Pratade med en boende"
    );
    let text = store
        .staff_text(m.id, personal.id.as_uuid())
        .await
        .unwrap()
        .unwrap();
    decide(&store, &m, &text, "approve", None, None).await;
    assert_eq!(
        public(store.promises(m.id).await.unwrap())[1].1,
        personal.text
    );
    assert!(
        store
            .staff_texts(m.id, Some(ModerationStatus::Pending))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_finding_whose_note_looks_like_personal_data_is_left_out_of_public_reads_until_approved()
{
    let db = TestDatabase::create().await.unwrap();
    let (store, m) = with_municipality(&db).await;
    let w = walk(&store, &m).await;
    let finding = |note: &str| {
        let input: FindingInput = serde_json::from_value(json!({
            "location": [17.633, 59.512], "category": "belysning", "note": note,
            "responsible": "Tekniska förvaltningen"
        }))
        .unwrap();
        Finding::parse(input, &w).unwrap()
    };
    let plain = finding("Trasig lampa i gångtunneln");
    let personal = finding("Grannen som heter Anders Berg klagar på lampan");
    store.save_finding(m.id, &plain).await.unwrap();
    store.save_finding(m.id, &personal).await.unwrap();

    let notes =
        |findings: Vec<Finding>| -> Vec<String> { findings.into_iter().map(|f| f.note).collect() };
    assert_eq!(
        notes(store.findings(m.id, None).await.unwrap()),
        vec![plain.note.clone()]
    );
    assert_eq!(
        notes(store.findings_as_written(m.id, None).await.unwrap()),
        vec![plain.note.clone(), personal.note.clone()]
    );
    let held = store
        .staff_text(m.id, personal.id.as_uuid())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(held.status, ModerationStatus::Pending);
    assert_eq!(held.source, StaffTextSource::FindingNote);
    assert_eq!(held.context, w.title);

    // Rejecting keeps it out; a moderator may also hold back a text nothing flagged.
    decide(&store, &m, &held, "reject", None, Some("Namn")).await;
    assert_eq!(
        notes(store.findings(m.id, Some(w.id)).await.unwrap()),
        vec![plain.note.clone()]
    );
    let unflagged = store
        .staff_text(m.id, plain.id.as_uuid())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unflagged.status, ModerationStatus::Approved);
    decide(&store, &m, &unflagged, "reject", None, Some("Fel promenad")).await;
    assert!(store.findings(m.id, None).await.unwrap().is_empty());

    decide(&store, &m, &held, "approve", None, None).await;
    assert_eq!(
        notes(store.findings(m.id, None).await.unwrap()),
        vec![personal.note.clone()]
    );
}
