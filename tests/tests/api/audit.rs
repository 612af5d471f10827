//! The audit trail: appended in the caller's transaction, hash-chained, and verified link by link.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;
use xodim_server::audit::{self, AuditEvent, GENESIS_HASH, Verification};
use xodim_server::db::entities::{audit_event, audit_head};
use xodim_tests::TestApp;

fn event(n: usize) -> AuditEvent<'static> {
    AuditEvent {
        actor: Some(Uuid::new_v4()),
        on_behalf_of: n.is_multiple_of(2).then(Uuid::new_v4),
        device: Some(Uuid::new_v4()),
        action: "record.update",
        entity: "record",
        entity_id: Uuid::new_v4(),
        before: Some(json!({ "fields": { "school": "TDYU", "year": n } })),
        after: Some(json!({ "fields": { "school": "TDYU", "year": n + 1, "note": "oʻzgardi" } })),
        intent_id: n.is_multiple_of(3).then(Uuid::now_v7),
        client_time: Some(Utc::now()),
    }
}

/// Appends `count` events, each in a transaction of its own.
async fn append_many(db: &DatabaseConnection, count: usize) -> Vec<i64> {
    let mut seqs = Vec::new();
    for n in 0..count {
        let txn = db.begin().await.unwrap();
        seqs.push(audit::append(&txn, event(n)).await.unwrap());
        txn.commit().await.unwrap();
    }
    seqs
}

fn broken_at(verification: &Verification) -> (i64, &str) {
    match verification {
        Verification::Broken { seq, reason } => (*seq, reason),
        Verification::Intact { .. } => panic!("the chain was reported intact"),
    }
}

#[tokio::test]
async fn an_empty_trail_is_intact_with_the_genesis_head() {
    let app = TestApp::spawn().await;
    let verification = audit::verify(&app.state.db).await.unwrap();
    assert_eq!(
        verification,
        Verification::Intact {
            events: 0,
            head: GENESIS_HASH.to_owned()
        }
    );
}

#[tokio::test]
async fn appended_events_get_consecutive_seqs_and_a_linked_chain() {
    let app = TestApp::spawn().await;
    assert_eq!(append_many(&app.state.db, 5).await, [1, 2, 3, 4, 5]);
    let events = audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events[0].prev_hash, GENESIS_HASH);
    for pair in events.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    let verification = audit::verify(&app.state.db).await.unwrap();
    assert_eq!(
        verification,
        Verification::Intact {
            events: 5,
            head: events[4].hash.clone()
        }
    );
    assert_eq!(
        verification.to_string(),
        format!("audit chain intact: 5 events, head {}", events[4].hash)
    );
}

#[tokio::test]
async fn an_event_keeps_what_was_appended_with_times_in_whole_microseconds() {
    let app = TestApp::spawn().await;
    let client_time = DateTime::from_timestamp(1_764_000_000, 123_456_789).unwrap();
    let entity_id = Uuid::new_v4();
    let txn = app.state.db.begin().await.unwrap();
    let before = Utc::now();
    let seq = audit::append(
        &txn,
        AuditEvent {
            client_time: Some(client_time),
            entity_id,
            action: "correction.approve",
            entity: "correction_request",
            ..event(0)
        },
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let stored = audit_event::Entity::find_by_id(seq)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.action.as_str(), stored.entity_id),
        ("correction.approve", entity_id)
    );
    assert_eq!(
        stored.client_time.unwrap().timestamp_subsec_nanos(),
        123_456_000
    );
    assert_eq!(stored.server_time.timestamp_subsec_nanos() % 1000, 0);
    assert!(stored.server_time >= before - chrono::Duration::microseconds(1));
    let after: serde_json::Value = serde_json::from_str(stored.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["fields"]["note"], "oʻzgardi");
    assert_eq!(audit::event_hash(&stored), stored.hash);
}

#[tokio::test]
async fn a_rolled_back_change_leaves_no_event_and_no_gap() {
    let app = TestApp::spawn().await;
    append_many(&app.state.db, 2).await;
    let txn = app.state.db.begin().await.unwrap();
    assert_eq!(audit::append(&txn, event(9)).await.unwrap(), 3);
    txn.rollback().await.unwrap();
    assert_eq!(append_many(&app.state.db, 1).await, [3]);
    let verification = audit::verify(&app.state.db).await.unwrap();
    assert!(matches!(
        verification,
        Verification::Intact { events: 3, .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appenders_produce_one_gap_free_chain() {
    let app = TestApp::spawn().await;
    let writers: Vec<_> = (0..8)
        .map(|_| {
            let db = app.state.db.clone();
            tokio::spawn(async move { append_many(&db, 20).await })
        })
        .collect();
    let mut seqs = Vec::new();
    for writer in writers {
        seqs.extend(writer.await.unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=160).collect::<Vec<i64>>());
    let verification = audit::verify(&app.state.db).await.unwrap();
    assert!(
        matches!(verification, Verification::Intact { events: 160, .. }),
        "{verification}"
    );
}

#[tokio::test]
async fn an_edited_audit_event_is_named_by_verify() {
    let app = TestApp::spawn().await;
    append_many(&app.state.db, 5).await;
    app.state
        .db
        .execute_unprepared(r#"UPDATE audit_events SET "after" = '{"fields":{}}' WHERE seq = 3"#)
        .await
        .unwrap();
    let verification = audit::verify(&app.state.db).await.unwrap();
    assert_eq!(broken_at(&verification).0, 3);
    assert!(
        verification
            .to_string()
            .starts_with("audit chain broken at event 3: "),
        "{verification}"
    );
}

#[tokio::test]
async fn a_deleted_audit_event_is_named_as_a_gap() {
    let app = TestApp::spawn().await;
    append_many(&app.state.db, 5).await;
    app.state
        .db
        .execute_unprepared("DELETE FROM audit_events WHERE seq = 3")
        .await
        .unwrap();
    let verification = audit::verify(&app.state.db).await.unwrap();
    let (seq, reason) = broken_at(&verification);
    assert_eq!(seq, 3);
    assert!(reason.contains("missing"), "{reason}");
}

#[tokio::test]
async fn a_forged_event_with_a_recomputed_hash_breaks_the_link_to_the_next() {
    let app = TestApp::spawn().await;
    append_many(&app.state.db, 5).await;
    let mut forged = audit_event::Entity::find_by_id(3)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    forged.after = Some(r#"{"fields":{"school":"forged"}}"#.to_owned());
    let hash = audit::event_hash(&forged);
    let sql = format!(
        r#"UPDATE audit_events SET "after" = '{}', hash = '{hash}' WHERE seq = 3"#,
        forged.after.unwrap()
    );
    app.state.db.execute_unprepared(&sql).await.unwrap();
    let verification = audit::verify(&app.state.db).await.unwrap();
    let (seq, reason) = broken_at(&verification);
    assert_eq!(seq, 4);
    assert!(reason.contains("prev_hash"), "{reason}");
}

#[tokio::test]
async fn a_wrong_prev_hash_is_named_by_verify() {
    let app = TestApp::spawn().await;
    append_many(&app.state.db, 5).await;
    let sql = format!("UPDATE audit_events SET prev_hash = '{GENESIS_HASH}' WHERE seq = 2");
    app.state.db.execute_unprepared(&sql).await.unwrap();
    let verification = audit::verify(&app.state.db).await.unwrap();
    let (seq, reason) = broken_at(&verification);
    assert_eq!(seq, 2);
    assert!(reason.contains("prev_hash"), "{reason}");
}

#[tokio::test]
async fn a_head_that_does_not_match_the_last_event_is_named_by_verify() {
    let app = TestApp::spawn().await;
    append_many(&app.state.db, 4).await;
    let db = &app.state.db;
    db.execute_unprepared(&format!("UPDATE audit_head SET hash = '{GENESIS_HASH}'"))
        .await
        .unwrap();
    assert_eq!(broken_at(&audit::verify(db).await.unwrap()).0, 4);

    let last = audit_event::Entity::find_by_id(4)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    db.execute_unprepared(&format!("UPDATE audit_head SET hash = '{}'", last.hash))
        .await
        .unwrap();
    db.execute_unprepared("DELETE FROM audit_events WHERE seq = 4")
        .await
        .unwrap();
    let verification = audit::verify(db).await.unwrap();
    assert_eq!(broken_at(&verification).0, 4, "the last event was removed");

    let third = audit_event::Entity::find_by_id(3)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let sql = format!(
        "UPDATE audit_head SET seq = 2, hash = '{}'",
        third.prev_hash
    );
    db.execute_unprepared(&sql).await.unwrap();
    let verification = audit::verify(db).await.unwrap();
    let (seq, reason) = broken_at(&verification);
    assert_eq!(seq, 3, "an event beyond a rolled-back head");
    assert!(reason.contains("beyond the head"), "{reason}");
}

#[tokio::test]
async fn verify_walks_a_chain_longer_than_one_page() {
    let app = TestApp::spawn().await;
    let txn = app.state.db.begin().await.unwrap();
    for n in 0..1203 {
        audit::append(&txn, event(n)).await.unwrap();
    }
    txn.commit().await.unwrap();
    let head = audit_head::Entity::find_by_id(1)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(head.seq, 1203);
    let verification = audit::verify(&app.state.db).await.unwrap();
    assert_eq!(
        verification,
        Verification::Intact {
            events: 1203,
            head: head.hash
        }
    );
}

/// The hash of one event, computed outside xodim from the encoding documented in
/// `docs/security.md` and `backend/src/audit/chain.rs`, with Python's hashlib:
///
/// ```text
/// h = hashlib.sha256(b"xodim.audit.v1")
/// for f in fields:  # the 13 texts below, None for an absent one
///     if f is None: h.update(b"\x00")
///     else: b = f.encode("utf-8"); h.update(b"\x01" + struct.pack(">Q", len(b)) + b)
/// h.hexdigest()
/// ```
const KNOWN_HASH: &str = "2aa3acbbd1dd8369462c058a77a58f48688ae5321d3f64ab7cdfb04c6871a250";

#[test]
fn an_events_hash_is_the_documented_encoding_computed_independently() {
    let id = |text: &str| Uuid::parse_str(text).unwrap();
    let time = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().to_utc();
    let event = audit_event::Model {
        seq: 1,
        prev_hash: GENESIS_HASH.to_owned(),
        hash: String::new(),
        actor_account: Some(id("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")),
        on_behalf_of: None,
        device_session: Some(id("0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5C")),
        action: "record.update".into(),
        entity: "record".into(),
        entity_id: id("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d"),
        before: Some(r#"{"fields":{"institution":"TDIU"}}"#.into()),
        after: Some(r#"{"fields":{"institution":"OʻzMU"}}"#.into()),
        intent_id: None,
        client_time: Some(time("2026-03-01T14:30:00.123456+05:00")),
        server_time: time("2026-03-01T09:30:01.000001Z"),
    };

    assert_eq!(audit::event_hash(&event), KNOWN_HASH);
}
