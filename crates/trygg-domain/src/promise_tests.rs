#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use serde_json::json;
use time::macros::date;

use super::*;

const START: time::Date = date!(2026 - 01 - 01);
const DUE: time::Date = date!(2026 - 12 - 31);

#[test]
fn status_follows_the_target_the_due_date_and_the_pace() {
    use Status::{Behind, Done, OnTrack};
    // 364 days from 2026-01-01 to 2026-12-31; target 4 is due at a pace of one per 91 days.
    let on_pace = START + time::Duration::days(91);
    // (target, achieved, the day asked about, status expected) of an activity through 2026.
    let cases = [
        // Done exactly at target and above it, whatever the date.
        (8, 8, START, Done),
        (8, 9, date!(2026 - 03 - 01), Done),
        (8, 8, date!(2027 - 06 - 01), Done),
        // Short of target on or past the due day is behind.
        (8, 7, DUE, Behind),
        (4, 3, date!(2027 - 01 - 01), Behind),
        (4, 0, date!(2030 - 01 - 01), Behind),
        // The day before due follows the pace: 363 of 364 days elapsed asks for
        // 8 × 363 / 364 ≈ 7.98.
        (8, 7, date!(2026 - 12 - 30), Behind),
        (364, 363, date!(2026 - 12 - 30), OnTrack),
        // Exactly on pace is on track, and one day later is behind.
        (4, 1, on_pace, OnTrack),
        (4, 1, on_pace + time::Duration::days(1), Behind),
        (4, 0, START + time::Duration::days(1), Behind),
        // With zero elapsed time it is on track even with nothing done.
        (8, 0, START, OnTrack),
        (8, 0, date!(2025 - 06 - 01), OnTrack),
    ];
    for (target, achieved, today, expected) in cases {
        let got = status(target, achieved, START, DUE, today);
        assert_eq!(got, expected, "{achieved} of {target} on {today}");
    }
}

#[test]
fn status_of_a_one_day_activity_is_on_track_before_and_behind_or_done_from_that_day() {
    let day = date!(2026 - 05 - 01);
    assert_eq!(
        status(1, 0, day, day, date!(2026 - 04 - 30)),
        Status::OnTrack
    );
    assert_eq!(status(1, 0, day, day, day), Status::Behind);
    assert_eq!(status(1, 1, day, day, day), Status::Done);
}

fn promise() -> Promise {
    let input: PromiseInput = serde_json::from_value(json!({
        "focus_area_id": uuid::Uuid::now_v7(),
        "title": {"sv": "Tryggare Bro centrum"},
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "parties": ["Polisen", "Upplands-Bro kommun"],
        "expected_effect": {"sv": "Färre känner sig otrygga kvällstid"},
        "indicator": {"indicator": "evening_unsafe", "baseline_survey": "trygghet-2023", "area_code": "bro"}
    }))
    .unwrap();
    Promise::parse(input, MunicipalityId::new()).unwrap()
}

fn activity(promise: &Promise, target: u32) -> Activity {
    let input: ActivityInput = serde_json::from_value(json!({
        "title": {"sv": "Gemensamma insatser"}, "owner": "Polisen",
        "target": target, "unit": "insatser", "due_on": "2026-12-31"
    }))
    .unwrap();
    Activity::parse(input, promise).unwrap()
}

fn progress(activity: &Activity, on: &str, amount: u32) -> ProgressEntry {
    let input: ProgressInput =
        serde_json::from_value(json!({"on": on, "amount": amount, "text": "Insats i centrum"}))
            .unwrap();
    ProgressEntry::parse(input, activity, date!(2026 - 12 - 31)).unwrap()
}

#[test]
fn an_activity_counts_only_progress_dated_up_to_the_day_asked_about() {
    let p = promise();
    let mut a = activity(&p, 2);
    assert_eq!(a.starts_on, p.period.starts_on());
    a.progress.push(progress(&a, "2026-03-01", 1));
    a.progress.push(progress(&a, "2026-09-01", 1));
    assert_eq!(a.status(date!(2026 - 06 - 01)), Status::OnTrack);
    assert_eq!(a.status(date!(2026 - 08 - 31)), Status::Behind);
    assert_eq!(a.status(date!(2026 - 09 - 01)), Status::Done);
    assert_eq!(a.achieved(), 2);
}

#[test]
fn a_promise_is_behind_when_any_activity_is_and_done_when_all_are() {
    let mut p = promise();
    assert_eq!(p.status(date!(2026 - 06 - 01)), Status::OnTrack);
    let mut a = activity(&p, 1);
    let b = activity(&p, 1);
    a.progress.push(progress(&a, "2026-02-01", 1));
    p.activities = vec![a.clone(), b];
    assert_eq!(p.status(date!(2026 - 12 - 31)), Status::Behind);
    let mut b = activity(&p, 1);
    b.progress.push(progress(&b, "2026-02-01", 1));
    p.activities = vec![a, b];
    assert_eq!(p.status(date!(2026 - 12 - 31)), Status::Done);
}

#[test]
fn broken_promise_rules_name_their_field() {
    let p = promise();
    let cases = [
        (
            "a zero target",
            json!({"title": {"sv": "x"}, "owner": "P", "target": 0, "unit": "st", "due_on": "2026-06-01"}),
            "target",
        ),
        (
            "a due date after the promise",
            json!({"title": {"sv": "x"}, "owner": "P", "target": 1, "unit": "st", "due_on": "2027-01-01"}),
            "due_on",
        ),
        (
            "a blank owner",
            json!({"title": {"sv": "x"}, "owner": " ", "target": 1, "unit": "st", "due_on": "2026-06-01"}),
            "owner",
        ),
        (
            "a start after the due date",
            json!({"title": {"sv": "x"}, "owner": "P", "target": 1, "unit": "st", "starts_on": "2026-07-01", "due_on": "2026-06-01"}),
            "due_on",
        ),
    ];
    for (what, input, field) in cases {
        let input: ActivityInput = serde_json::from_value(input).unwrap();
        let err = Activity::parse(input, &p).unwrap_err();
        assert_eq!(err.field, field, "{what}");
    }
    let a = activity(&p, 3);
    let future: ProgressInput =
        serde_json::from_value(json!({"on": "2027-01-02", "amount": 1, "text": "x"})).unwrap();
    assert_eq!(
        ProgressEntry::parse(future, &a, date!(2027 - 01 - 01))
            .unwrap_err()
            .field,
        "on"
    );
    let long: ProgressInput = serde_json::from_value(
        json!({"on": "2026-02-01", "amount": 1, "text": "x".repeat(MAX_PROGRESS_TEXT + 1)}),
    )
    .unwrap();
    assert_eq!(
        ProgressEntry::parse(long, &a, date!(2026 - 12 - 31))
            .unwrap_err()
            .field,
        "text"
    );
    let no_parties: PromiseInput = serde_json::from_value(json!({
        "focus_area_id": uuid::Uuid::now_v7(), "title": {"sv": "x"}, "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "parties": [], "expected_effect": {"sv": "y"}
    }))
    .unwrap();
    assert_eq!(
        Promise::parse(no_parties, MunicipalityId::new())
            .unwrap_err()
            .field,
        "parties"
    );
}

#[test]
fn the_action_plan_gets_quarterly_checks_and_a_midpoint_from_its_period() {
    let input: ActionPlanInput = serde_json::from_value(json!({
        "title": "Åtgärdsplan 2020", "starts_on": "2020-02-01", "ends_on": "2020-12-31",
        "areas": [{"name": "Trygghet på offentlig plats",
                   "activities": [{"title": "Trygghetsvandringar", "owner": "Kommunen"}]}],
        "meetings": [{"held_on": "2020-09-01", "kind": "Chefssamråd", "decisions": ["Fler insatser i Bro"]},
                     {"held_on": "2020-03-01", "kind": "Chefssamråd"}]
    }))
    .unwrap();
    let plan = ActionPlan::parse(input, MunicipalityId::new()).unwrap();
    assert_eq!(
        plan.check_dates,
        vec![
            date!(2020 - 03 - 31),
            date!(2020 - 06 - 30),
            date!(2020 - 09 - 30),
            date!(2020 - 12 - 31)
        ]
    );
    assert_eq!(plan.period.midpoint(), date!(2020 - 07 - 17));
    assert_eq!(plan.meetings[0].held_on(), date!(2020 - 03 - 01));
    assert_eq!(
        plan.next_check(date!(2020 - 07 - 01)),
        Some(date!(2020 - 09 - 30))
    );
    let short = Period::parse(date!(2026 - 11 - 15), date!(2027 - 01 - 20), "").unwrap();
    assert_eq!(
        short.quarterly_checks(),
        vec![date!(2026 - 12 - 31), date!(2027 - 01 - 20)]
    );
}

fn walk() -> SafetyWalk {
    let input: WalkInput = serde_json::from_value(json!({
        "title": "Trygghetsvandring Bro centrum", "area_code": "bro", "walked_on": "2026-10-06",
        "route": [[17.63, 59.51], {"lon": 17.64, "lat": 59.51}], "stops": ["Stationen", "Torget"],
        "participants": ["Polisen", "Kommunen"]
    }))
    .unwrap();
    SafetyWalk::parse(input, MunicipalityId::new()).unwrap()
}

#[test]
fn a_finding_starts_reported_due_in_six_months_and_closes_only_with_a_date_or_reason() {
    let w = walk();
    let input: FindingInput = serde_json::from_value(json!({
        "location": [17.632, 59.512], "category": "belysning", "note": "Trasig lampa i gångtunneln",
        "responsible": "Tekniska förvaltningen"
    }))
    .unwrap();
    let mut f = Finding::parse(input, &w).unwrap();
    assert_eq!(f.category, FindingCategory::Lighting);
    assert_eq!(f.status, FindingStatus::Reported);
    assert_eq!(f.due_on, Some(date!(2027 - 04 - 06)));
    assert!(!f.is_overdue(date!(2027 - 04 - 06)));
    assert!(f.is_overdue(date!(2027 - 04 - 07)));
    let wont: StatusInput = serde_json::from_value(json!({"status": "wont_fix"})).unwrap();
    assert_eq!(
        f.update(&wont, date!(2026 - 11 - 01)).unwrap_err().field,
        "reason"
    );
    assert_eq!(f.status, FindingStatus::Reported);
    let fixed: StatusInput = serde_json::from_value(json!({"status": "fixed"})).unwrap();
    f.update(&fixed, date!(2026 - 11 - 01)).unwrap();
    assert_eq!(
        f.status,
        FindingStatus::Fixed {
            fixed_on: date!(2026 - 11 - 01)
        }
    );
    assert!(!f.is_overdue(date!(2030 - 01 - 01)));
}

#[test]
fn broken_walk_rules_name_their_field() {
    let w = walk();
    let cases = [
        (
            "an unknown category",
            json!({"location": [17.6, 59.5], "category": "ufo", "note": "x", "responsible": "y"}),
            "category",
        ),
        (
            "a latitude off the earth",
            json!({"location": [17.6, 95.0], "category": "klotter", "note": "x", "responsible": "y"}),
            "location",
        ),
        (
            "an empty note",
            json!({"location": [17.6, 59.5], "category": "klotter", "note": "", "responsible": "y"}),
            "note",
        ),
        (
            "a due date before the walk",
            json!({"location": [17.6, 59.5], "category": "klotter", "note": "x", "responsible": "y", "due_on": "2026-01-01"}),
            "due_on",
        ),
    ];
    for (what, input, field) in cases {
        let input: FindingInput = serde_json::from_value(input).unwrap();
        assert_eq!(
            Finding::parse(input, &w).unwrap_err().field,
            field,
            "{what}"
        );
    }
    let bad_route: WalkInput = serde_json::from_value(json!({
        "title": "x", "area_code": "bro", "walked_on": "2026-10-06", "route": [[17.6, 59.5], [200.0, 59.5]]
    }))
    .unwrap();
    assert_eq!(
        SafetyWalk::parse(bad_route, MunicipalityId::new())
            .unwrap_err()
            .field,
        "route[1]"
    );
}
