//! What a change writes into the outbox, in its own transaction.

use serde_json::json;
use xodim_domain::sync::IntentStatus;
use xodim_tests::fixtures::PASSWORD;

use super::{office_without_worker, outbox, register, set_notifications};

#[tokio::test]
async fn a_decided_correction_queues_one_delivery_per_device_of_the_servant() {
    let o = office_without_worker().await;
    let second_phone = o.app.token(&o.servant.login, PASSWORD).await;
    assert_eq!(
        register(&o.app, &o.servant_token, "servant-phone-1")
            .await
            .status(),
        204
    );
    assert_eq!(
        register(&o.app, &second_phone, "servant-phone-2")
            .await
            .status(),
        204
    );
    let (_, request) = o.propose("TDIU (kechki)").await;

    let decided = o
        .step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(decided.status, IntentStatus::Applied);

    let rows = outbox(&o.app).await;
    let decided: Vec<_> = rows
        .iter()
        .filter(|r| r.kind == "correction_decided")
        .collect();
    assert_eq!(decided.len(), 2, "one delivery per device token");
    assert!(decided.iter().all(|r| r.account_id == o.servant.account));
    assert_ne!(decided[0].session_id, decided[1].session_id);
    assert!(
        decided
            .iter()
            .all(|r| r.entity == "inbox" && r.state == "pending")
    );
    assert_eq!(decided[0].scope, format!("own:{}", o.servant.account));
    assert!(decided.iter().all(|r| r.expires_at > r.created_at));
}

#[tokio::test]
async fn a_submitted_request_queues_a_delivery_to_the_hr_officer_in_scope() {
    let o = office_without_worker().await;
    register(&o.app, &o.hr_token, "hr-phone").await;
    let (_, request) = o.propose("TDIU (kechki)").await;

    let rows = outbox(&o.app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].kind.as_str(),
            rows[0].account_id,
            rows[0].entity_id.clone()
        ),
        ("correction_waiting", o.hr.account, request.to_string())
    );
    assert_eq!(rows[0].scope, format!("hr:{}", o.servant.unit));
}

#[tokio::test]
async fn a_rejected_intent_queues_nothing() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    let (_, request) = o.propose("TDIU (kechki)").await;

    // The servant may not approve their own request.
    let refused = o
        .step(&o.servant_token, "correction.approve", request, json!({}))
        .await;
    assert_ne!(refused.status, IntentStatus::Applied);
    assert!(outbox(&o.app).await.is_empty());
}

#[tokio::test]
async fn a_rolled_back_transaction_queues_nothing() {
    use sea_orm::TransactionTrait;
    use xodim_domain::AccountId;
    use xodim_domain::notify::NotificationKind;
    use xodim_domain::sync::{EntityKind, Scope};
    use xodim_server::sync::engine::Publication;

    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    let account = AccountId::from_uuid(o.servant.account);
    let mut publication = Publication::default();
    publication.notify(
        account,
        NotificationKind::CorrectionDecided,
        Scope::Own(account),
        EntityKind::Inbox,
        uuid::Uuid::now_v7(),
    );
    let txn = o.app.state.db.begin().await.unwrap();
    let written = publication.write(&txn).await.unwrap();
    let _ = written.into_heads();
    assert_eq!(
        super::outbox(&o.app).await.len(),
        0,
        "not visible before commit"
    );
    txn.rollback().await.unwrap();

    assert!(outbox(&o.app).await.is_empty());
    let (worker, sender) = super::worker(&o.app);
    worker.drain(chrono::Utc::now()).await.unwrap();
    assert!(sender.received().is_empty());
}

#[tokio::test]
async fn a_turned_off_kind_queues_no_delivery_but_the_inbox_entry_still_syncs() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    let settings = set_notifications(
        &o.app,
        &o.servant_token,
        json!({"kinds": [{"kind": "correction_decided", "enabled": false}]}),
    )
    .await;
    assert_eq!(
        settings["kinds"],
        json!([
            {"kind": "correction_decided", "enabled": false},
            {"kind": "correction_waiting", "enabled": true},
        ])
    );
    let (_, request) = o.propose("TDIU (kechki)").await;

    o.step(
        &o.hr_token,
        "correction.reject",
        request,
        json!({"note": "No diploma"}),
    )
    .await;

    assert!(outbox(&o.app).await.is_empty());
    let page = o.app.pull(&o.servant_token, "").await;
    let inbox = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "inbox")
        .count();
    assert_eq!(inbox, 1, "the decision is in the servant's inbox");
}

#[tokio::test]
async fn a_question_alerts_the_servant_and_the_answer_alerts_hr_again() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    register(&o.app, &o.hr_token, "hr-phone").await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    o.step(&o.hr_token, "correction.claim", request, json!({}))
        .await;
    let asked = o
        .step(
            &o.hr_token,
            "correction.ask",
            request,
            json!({"note": "Which year?"}),
        )
        .await;
    assert_eq!(asked.status, IntentStatus::Applied);
    let answered = o
        .step(
            &o.servant_token,
            "correction.answer",
            request,
            json!({"note": "2015"}),
        )
        .await;
    assert_eq!(answered.status, IntentStatus::Applied);

    let kinds: Vec<(String, uuid::Uuid)> = outbox(&o.app)
        .await
        .into_iter()
        .map(|r| (r.kind, r.account_id))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("correction_waiting".to_owned(), o.hr.account),
            ("correction_decided".to_owned(), o.servant.account),
            ("correction_waiting".to_owned(), o.hr.account),
        ],
        "submitted, asked, answered"
    );
}
