use chrono::{DateTime, Utc};
use serde_json::json;

use super::*;
use crate::store::outbox::IntentState;

const ME: Uuid = Uuid::from_u128(0xA);
const REQUEST: Uuid = Uuid::from_u128(0x42);
const OWN: &str = "own:00000000-0000-0000-0000-00000000000a";

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
}

fn row(seq: i64, kind: &str, state: IntentState, args: Value) -> OutboxRow {
    OutboxRow::queued(seq, kind, &RequestAddress(REQUEST).to_string())
        .in_state(state)
        .with_args(args)
        .made_at(at(seq))
}

fn submit(state: IntentState) -> OutboxRow {
    let args = json!({
        "section": "education", "op": "add", "reason": "diplom",
        "proposed": { "institution": "TATU", "level": "master" }, "evidence": [],
    });
    row(1, CORRECTION_SUBMIT, state, args)
}

fn request(state: RequestState) -> CorrectionRequest {
    CorrectionRequest {
        id: REQUEST,
        employee_id: Uuid::from_u128(0xE),
        employee_name: "Xodim".to_owned(),
        section: Section::Education,
        op: CorrectionOp::Add,
        record_id: None,
        base_version: None,
        base: None,
        current: None,
        proposed: None,
        conflicts: Vec::new(),
        reason: "diplom".to_owned(),
        evidence: vec![],
        state,
        reviewer: None,
        note: None,
        answer: None,
        version: 3,
        submitted_at: at(0),
        decided_at: None,
    }
}

fn show(base: Option<CorrectionRequest>, rows: &[OutboxRow], cursor: &str) -> Option<Shown> {
    let rows: Vec<&OutboxRow> = rows.iter().collect();
    let viewer = Viewer {
        account: ME,
        subject: false,
    };
    let cursor = Cursor::decode(cursor).unwrap();
    replay(base, &rows, &cursor, viewer, &|_| None)
}

#[test]
fn a_queued_submission_shows_as_submitted_and_pending() {
    let shown = show(None, &[submit(IntentState::Queued)], "").unwrap();
    assert_eq!(shown.request.state, RequestState::Submitted);
    assert_eq!((shown.request.id, shown.request.version), (REQUEST, 0));
    assert!(shown.pending);
    assert!(shown.request.proposed.is_some());
}

#[test]
fn a_rejected_submission_shows_nothing() {
    assert_eq!(show(None, &[submit(IntentState::Rejected)], ""), None);
}

#[test]
fn once_the_server_sent_the_request_its_copy_is_what_shows() {
    let mut applied = submit(IntentState::Applied);
    applied.visible_at = Some(format!("{OWN}@5"));
    let shown = show(
        Some(request(RequestState::InReview)),
        &[applied],
        &format!("{OWN}@5"),
    );
    let shown = shown.unwrap();
    assert_eq!(
        (shown.request.state, shown.pending),
        (RequestState::InReview, false)
    );
}

#[test]
fn a_queued_decision_shows_at_once_with_its_note() {
    let approve = row(
        2,
        CORRECTION_APPROVE,
        IntentState::Queued,
        json!({ "note": "ok" }),
    );
    let shown = show(Some(request(RequestState::Submitted)), &[approve], "").unwrap();
    assert_eq!(shown.request.state, RequestState::Applied);
    assert_eq!(
        (shown.request.reviewer, shown.request.note.as_deref()),
        (Some(ME), Some("ok"))
    );
    assert!(shown.pending);
}

#[test]
fn approving_an_item_that_moved_since_the_servant_saw_it_shows_as_conflict() {
    let mut moved = request(RequestState::InReview);
    moved.reviewer = Some(ME);
    moved.current = Some(
        RecordData::from_text(Section::Education, [("institution", "X"), ("level", "phd")])
            .unwrap(),
    );
    let approve = row(2, CORRECTION_APPROVE, IntentState::Queued, json!({}));
    let shown = show(Some(moved), &[approve], "").unwrap();
    assert_eq!(shown.request.state, RequestState::Conflict);
}

#[test]
fn a_step_the_state_machine_refuses_does_not_show() {
    let mut claimed = request(RequestState::InReview);
    claimed.reviewer = Some(Uuid::from_u128(0xB));
    let ask = row(
        2,
        CORRECTION_ASK,
        IntentState::Queued,
        json!({ "note": "?" }),
    );
    let shown = show(Some(claimed), &[ask], "").unwrap();
    assert_eq!(
        (shown.request.state, shown.pending),
        (RequestState::InReview, false)
    );
}
