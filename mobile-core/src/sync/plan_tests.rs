use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::sync::wire::WireChange;

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_800_000_000 + secs, 0).unwrap()
}

fn row(seq: i64, aggregate: &str, state: IntentState) -> OutboxRow {
    OutboxRow::queued(seq, "note.edit", aggregate).in_state(state)
}

fn waiting_until(row: OutboxRow, secs: i64) -> OutboxRow {
    row.backing_off_until(at(secs))
}

fn seqs(batch: &[OutboxRow]) -> Vec<i64> {
    batch.iter().map(|row| row.seq).collect()
}

fn outcome(seq: i64, status: &str) -> WireOutcome {
    WireOutcome {
        id: Uuid::from_u128(seq as u128),
        status: status.to_owned(),
        code: None,
        message: None,
        current: None,
        visible_at: None,
    }
}

fn state_of(updates: &[OutboxUpdate], seq: i64) -> Option<IntentState> {
    updates
        .iter()
        .find(|(id, _)| *id == Uuid::from_u128(seq as u128))
        .map(|(_, settlement)| match settlement {
            Settlement::Final { state, .. } => *state,
            Settlement::Retry { .. } => IntentState::Queued,
        })
}

#[test]
fn each_aggregate_sends_its_oldest_undecided_intent_and_others_are_not_held_up() {
    let outbox = [
        row(1, "contact:a", IntentState::Queued),
        waiting_until(row(2, "contact:b", IntentState::Queued), 60),
        row(3, "contact:a", IntentState::Queued),
        row(4, "contact:b", IntentState::Queued),
        row(5, "contact:c", IntentState::Queued),
    ];
    // b's first intent is backing off and its second waits behind it; a's second waits for
    // the decision on a's first.
    assert_eq!(seqs(&plan_push(&outbox, at(0), Budget::new(None))), [1, 5]);
    assert_eq!(
        seqs(&plan_push(&outbox, at(60), Budget::new(None))),
        [1, 2, 5]
    );
}

#[test]
fn a_decided_intent_no_longer_holds_its_aggregate() {
    let outbox = [
        row(1, "contact:a", IntentState::Rejected),
        row(2, "contact:a", IntentState::Applied),
        row(3, "contact:a", IntentState::Queued),
        row(4, "contact:a", IntentState::Queued),
    ];
    assert_eq!(seqs(&plan_push(&outbox, at(0), Budget::new(None))), [3]);
}

#[test]
fn a_full_batch_leaves_the_rest_for_the_next_one() {
    let outbox = [
        row(1, "contact:a", IntentState::Queued),
        row(2, "contact:b", IntentState::Queued),
        row(3, "contact:c", IntentState::Queued),
    ];
    assert_eq!(
        seqs(&plan_push(
            &outbox,
            at(0),
            Budget {
                intents: 2,
                ..Budget::new(None)
            }
        )),
        [1, 2]
    );
}

fn with_text(row: OutboxRow, chars: usize) -> OutboxRow {
    row.with_args(json!({ "reason": "x".repeat(chars) }))
}

#[test]
fn a_batch_stays_within_the_byte_budget_and_a_smaller_intent_behind_still_fits() {
    let outbox = [
        with_text(row(1, "request:a", IntentState::Queued), 400),
        with_text(row(2, "request:b", IntentState::Queued), 400),
        with_text(row(3, "request:c", IntentState::Queued), 10),
    ];
    let two = batch::body_size(&outbox[..2]);
    let budget = Budget {
        bytes: two - 1,
        ..Budget::new(None)
    };
    let planned = plan_push(&outbox, at(0), budget);
    assert_eq!(seqs(&planned), [1, 3]);
    assert!(batch::body_size(&planned) <= budget.bytes);
    let exact = Budget {
        bytes: two,
        ..Budget::new(None)
    };
    assert_eq!(
        seqs(&plan_push(&outbox[..2], at(0), exact)),
        [1, 2],
        "the limit itself fits"
    );
}

#[test]
fn an_intent_larger_than_the_budget_goes_alone() {
    let outbox = [
        with_text(row(1, "request:a", IntentState::Queued), 2000),
        row(2, "request:b", IntentState::Queued),
    ];
    let budget = Budget {
        bytes: 500,
        ..Budget::new(None)
    };
    assert_eq!(seqs(&plan_push(&outbox, at(0), budget)), [1]);
    assert_eq!(seqs(&plan_push(&outbox[1..], at(0), budget)), [2]);
}

#[test]
fn a_batch_refused_whole_goes_back_unchanged_and_due_at_once() {
    let batch = [waiting_until(row(1, "contact:a", IntentState::Sending), 0)];
    let updates = plan_resend(&batch, at(10));
    let expected = Settlement::Retry {
        attempts: 1,
        not_before: at(10),
    };
    assert_eq!(updates, [(batch[0].intent_id, expected)]);
}

#[test]
fn an_interrupted_send_goes_again() {
    let outbox = [row(1, "contact:a", IntentState::Sending)];
    assert_eq!(seqs(&plan_push(&outbox, at(0), Budget::new(None))), [1]);
}

#[test]
fn backoff_doubles_from_one_second_up_to_five_minutes() {
    let secs: Vec<i64> = [1, 2, 3, 4, 8, 9, 10, 64, u32::MAX]
        .iter()
        .map(|&attempts| backoff(attempts).num_seconds())
        .collect();
    assert_eq!(secs, [1, 2, 4, 8, 128, 256, 300, 300, 300]);
}

#[test]
fn a_lost_answer_requeues_with_one_more_attempt() {
    let batch = [waiting_until(row(1, "contact:a", IntentState::Sending), 0)];
    let updates = plan_retry(&batch, at(10), None);
    assert_eq!(
        updates,
        [(
            batch[0].intent_id,
            Settlement::Retry {
                attempts: 2,
                not_before: at(12)
            }
        )]
    );
}

#[test]
fn each_outcome_is_recorded_and_a_missing_one_is_retried() {
    let batch = [
        row(1, "contact:a", IntentState::Sending),
        row(2, "contact:b", IntentState::Sending),
        row(3, "contact:c", IntentState::Sending),
        row(4, "contact:d", IntentState::Sending),
    ];
    let mut applied = outcome(1, "applied");
    applied.visible_at = Some("own:x@3".to_owned());
    let outcomes = [applied, outcome(2, "rejected"), outcome(3, "conflict")];
    let updates = plan_outcomes(&batch, &outcomes, &batch, at(0));
    assert_eq!(state_of(&updates, 1), Some(IntentState::Applied));
    assert_eq!(state_of(&updates, 2), Some(IntentState::Rejected));
    assert_eq!(state_of(&updates, 3), Some(IntentState::Conflict));
    assert_eq!(state_of(&updates, 4), Some(IntentState::Queued));
    let Settlement::Final { visible_at, .. } = &updates[0].1 else {
        panic!("applied is final");
    };
    assert_eq!(visible_at.as_deref(), Some("own:x@3"));
}

#[test]
fn an_intent_queued_on_top_of_a_conflicted_one_conflicts_too() {
    let batch = [row(1, "contact:a", IntentState::Sending)];
    let mut outbox = batch.to_vec();
    outbox.push(waiting_until(row(2, "contact:a", IntentState::Queued), 99));
    outbox.push(row(3, "contact:b", IntentState::Queued));
    let mut conflict = outcome(1, "conflict");
    conflict.current = Some(json!({"phone": null, "version": 7}));
    let updates = plan_outcomes(&batch, &[conflict], &outbox, at(0));
    assert_eq!(state_of(&updates, 2), Some(IntentState::Conflict));
    assert_eq!(
        state_of(&updates, 3),
        None,
        "another aggregate is untouched"
    );
    let Settlement::Final { code, current, .. } = &updates[1].1 else {
        panic!("cascaded conflict is final");
    };
    assert_eq!(code.as_deref(), Some("version_conflict"));
    assert_eq!(current, &Some(json!({"phone": null, "version": 7})));
}

#[test]
fn a_refused_batch_rejects_every_intent_in_it() {
    let batch = [
        row(1, "contact:a", IntentState::Sending),
        row(2, "contact:b", IntentState::Sending),
    ];
    let updates = plan_refusal(&batch, "invalid_intent", "bad", &batch, at(0));
    assert_eq!(state_of(&updates, 1), Some(IntentState::Rejected));
    assert_eq!(state_of(&updates, 2), Some(IntentState::Rejected));
}

fn change(scope: &str, id: &str, version: i64, data: Option<Value>) -> WireChange {
    WireChange {
        scope: scope.to_owned(),
        kind: "unit".to_owned(),
        id: id.to_owned(),
        version,
        data: data.map(|v| serde_json::value::RawValue::from_string(v.to_string()).unwrap()),
    }
}

fn page(changes: Vec<WireChange>) -> WirePage {
    WirePage {
        changes,
        cursor: "org:o@2".to_owned(),
        has_more: false,
        removed_scopes: vec![],
        reset_scopes: vec![],
    }
}

#[test]
fn a_page_becomes_purges_then_writes_in_order_then_the_cursor() {
    let mut page = page(vec![
        change("org:o", "u1", 1, Some(json!({"name": "A"}))),
        change("org:o", "u2", 2, None),
        change("unit:gone", "e1", 3, Some(json!({}))),
    ]);
    page.removed_scopes = vec!["unit:gone".to_owned()];
    page.reset_scopes = vec!["org:o".to_owned()];
    let plan = plan_page(page, "").unwrap();
    assert_eq!(plan.purge_scopes, ["unit:gone", "org:o"]);
    assert_eq!(
        plan.writes.len(),
        2,
        "nothing is written into a removed scope"
    );
    assert!(
        matches!(&plan.writes[0], EntityWrite::Upsert(row) if row.id == "u1" && row.version == 1)
    );
    assert!(matches!(&plan.writes[1], EntityWrite::Delete { id, .. } if id == "u2"));
    assert_eq!(plan.cursor.as_deref(), Some("org:o@2"));
    assert_eq!((plan.received, plan.more), (3, false));
}

#[test]
fn a_page_that_promises_more_but_does_not_move_is_refused() {
    let mut stuck = page(vec![]);
    stuck.has_more = true;
    assert!(matches!(
        plan_page(stuck, "org:o@2"),
        Err(Error::Corrupt(_))
    ));
}

#[test]
fn a_refused_cursor_forgets_entities_and_cursor_and_pulls_again() {
    let plan = plan_restart();
    assert!(plan.purge_all && plan.more);
    assert_eq!(plan.cursor, None);
}
