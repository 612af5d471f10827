//! The delivery worker: what it sends, when, and what it does with each answer.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Duration as Span, Utc};
use serde_json::json;
use xodim_server::push::{MemorySender, SendOutcome};
use xodim_tests::cast::Office;

use super::{
    office_sending_to, office_without_worker, outbox, register, set_notifications, tokens, worker,
};

/// The servant hears at any hour, has one phone, and HR has decided one request.
async fn decided_for_a_wakeful_servant() -> Office {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    set_notifications(&o.app, &o.servant_token, json!({"quiet_hours": null})).await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    o.step(
        &o.hr_token,
        "correction.approve",
        request,
        json!({"note": "Diploma checked"}),
    )
    .await;
    o
}

#[tokio::test]
async fn a_payload_carries_ids_only_and_the_alert_a_fixed_text() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    register(&o.app, &o.hr_token, "hr-phone").await;
    for access in [&o.servant_token, &o.hr_token] {
        set_notifications(&o.app, access, json!({"quiet_hours": null})).await;
    }
    let (_, request) = o.propose("Toshkent moliya instituti").await;
    o.step(
        &o.hr_token,
        "correction.reject",
        request,
        json!({"note": "Diploma is unreadable"}),
    )
    .await;

    let (worker, sender) = worker(&o.app);
    worker.drain(Utc::now()).await.unwrap();

    let received = sender.received();
    let kinds: BTreeSet<_> = received.iter().map(|m| m.data["kind"].clone()).collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["correction_decided".into(), "correction_waiting".into()])
    );
    let forbidden = [
        "Testov",
        "Тестов",
        "Ali",
        "Valiyevich",
        &o.servant.pinfl,
        "Toshkent moliya",
        "TDIU",
        "Diploma",
        "unreadable",
    ];
    for message in &received {
        let keys: Vec<&str> = message.data.keys().map(String::as_str).collect();
        assert_eq!(keys, ["entity", "id", "kind", "message_id", "scope"]);
        assert_eq!(message.data["message_id"], message.id.to_string());
        let alert = message
            .alert
            .as_ref()
            .expect("every kind today has an alert");
        let text = format!("{:?} {} {}", message.data, alert.title, alert.body);
        for word in forbidden {
            assert!(!text.contains(word), "{word:?} in {text}");
        }
    }
    let servant = received
        .iter()
        .find(|m| m.token == "servant-phone")
        .unwrap();
    assert_eq!(
        servant.alert.as_ref().unwrap().body,
        "Soʻrovingiz boʻyicha qaror bor"
    );
    assert!(outbox(&o.app).await.iter().all(|r| r.state == "sent"));
}

#[tokio::test]
async fn quiet_hours_hold_a_normal_alert_until_they_end() {
    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    // Quiet from an hour ago until two hours from now, Tashkent time.
    let local = Utc::now() + Span::hours(5);
    let hhmm = |t: chrono::DateTime<Utc>| t.format("%H:%M").to_string();
    set_notifications(
        &o.app,
        &o.servant_token,
        json!({"quiet_hours": {"start": hhmm(local - Span::hours(1)), "end": hhmm(local + Span::hours(2))}}),
    )
    .await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    o.step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    let row = outbox(&o.app).await.remove(0);
    let morning = row.not_before;
    assert!(morning > Utc::now() + Span::minutes(118) && morning <= Utc::now() + Span::hours(2));

    let (worker, sender) = worker(&o.app);
    worker.drain(Utc::now()).await.unwrap();
    worker.drain(morning - Span::seconds(1)).await.unwrap();
    assert!(sender.received().is_empty(), "held through the quiet hours");

    worker.drain(morning).await.unwrap();
    assert_eq!(sender.received().len(), 1, "released when they end");
}

#[tokio::test]
async fn a_retry_waits_at_least_as_long_as_the_provider_asked_then_sends_with_the_same_id() {
    let o = decided_for_a_wakeful_servant().await;
    let (worker, sender) = worker(&o.app);
    sender.answer([SendOutcome::Retry {
        after: Some(Duration::from_secs(600)),
        reason: "429".into(),
    }]);
    let now = Utc::now();
    worker.drain(now).await.unwrap();
    let row = outbox(&o.app).await.remove(0);
    assert_eq!((row.state.as_str(), row.attempts), ("pending", 1));
    assert!(row.next_attempt_at >= now + Span::seconds(600));

    worker.drain(now + Span::seconds(599)).await.unwrap();
    assert_eq!(
        sender.received().len(),
        1,
        "not before the provider's delay"
    );
    worker.drain(row.next_attempt_at).await.unwrap();
    let received = sender.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].id, received[1].id,
        "a retry keeps its message id"
    );
    assert_eq!(outbox(&o.app).await[0].state, "sent");
}

#[tokio::test]
async fn a_token_the_provider_no_longer_knows_is_removed() {
    let o = decided_for_a_wakeful_servant().await;
    let (worker, sender) = worker(&o.app);
    sender.answer([SendOutcome::TokenGone {
        reason: "UNREGISTERED".into(),
    }]);
    worker.drain(Utc::now()).await.unwrap();

    assert!(tokens(&o.app).await.is_empty());
    assert_eq!(outbox(&o.app).await[0].state, "dropped");
}

#[tokio::test]
async fn a_permanent_failure_is_recorded_and_never_retried() {
    let o = decided_for_a_wakeful_servant().await;
    let (worker, sender) = worker(&o.app);
    sender.answer([SendOutcome::Failed {
        reason: "SENDER_ID_MISMATCH".into(),
    }]);
    worker.drain(Utc::now()).await.unwrap();
    worker.drain(Utc::now() + Span::hours(2)).await.unwrap();

    assert_eq!(sender.received().len(), 1);
    let row = outbox(&o.app).await.remove(0);
    assert_eq!(
        (row.state.as_str(), row.last_error.as_deref()),
        ("failed", Some("SENDER_ID_MISMATCH"))
    );
}

#[tokio::test]
async fn a_notification_older_than_its_time_to_live_is_dropped_unsent() {
    let o = decided_for_a_wakeful_servant().await;
    let (worker, sender) = worker(&o.app);
    worker.drain(Utc::now() + Span::hours(25)).await.unwrap();

    assert!(sender.received().is_empty());
    let row = outbox(&o.app).await.remove(0);
    assert_eq!(
        (row.state.as_str(), row.last_error.as_deref()),
        ("dropped", Some("expired"))
    );
}

#[tokio::test]
async fn two_workers_claiming_at_once_send_each_delivery_once() {
    use sea_orm::TransactionTrait;
    use xodim_domain::AccountId;
    use xodim_domain::notify::NotificationKind;
    use xodim_domain::sync::{EntityKind, Scope};
    use xodim_server::sync::engine::Publication;

    let o = office_without_worker().await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    set_notifications(&o.app, &o.servant_token, json!({"quiet_hours": null})).await;
    let account = AccountId::from_uuid(o.servant.account);
    let mut publication = Publication::default();
    for _ in 0..300 {
        let id = uuid::Uuid::now_v7();
        publication.notify(
            account,
            NotificationKind::CorrectionDecided,
            Scope::Own(account),
            EntityKind::Inbox,
            id,
        );
    }
    let txn = o.app.state.db.begin().await.unwrap();
    let _ = publication
        .write(&txn)
        .await
        .unwrap()
        .commit(txn)
        .await
        .unwrap();

    let (first, one) = worker(&o.app);
    let (second, two) = worker(&o.app);
    let now = Utc::now();
    let (a, b) = tokio::join!(first.drain(now), second.drain(now));
    a.unwrap();
    b.unwrap();

    let mut ids: Vec<_> = one
        .received()
        .iter()
        .chain(two.received().iter())
        .map(|m| m.id)
        .collect();
    assert_eq!(ids.len(), 300, "each delivery sent once in all");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 300);
    assert!(outbox(&o.app).await.iter().all(|r| r.state == "sent"));
}

#[tokio::test]
async fn the_server_s_own_worker_sends_soon_after_the_commit() {
    let sender = Arc::new(MemorySender::new());
    let o = office_sending_to(sender.clone()).await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    set_notifications(&o.app, &o.servant_token, json!({"quiet_hours": null})).await;
    let (_, request) = o.propose("TDIU (kechki)").await;
    o.step(&o.hr_token, "correction.approve", request, json!({}))
        .await;

    for _ in 0..100 {
        let rows = outbox(&o.app).await;
        if !rows.is_empty() && rows.iter().all(|r| r.state == "sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let received = sender.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].data["kind"], "correction_decided");
    let metrics = o
        .app
        .request(reqwest::Method::GET, "/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("xodim_push_sent_total 1"), "{metrics}");
}

/// A provider that takes every message and never answers, as a worker that died mid-send
/// would look from the database.
struct Hanging(MemorySender);

#[async_trait::async_trait]
impl xodim_server::push::PushSender for Hanging {
    fn name(&self) -> &'static str {
        "hanging"
    }

    async fn send(&self, message: &xodim_server::push::PushMessage) -> SendOutcome {
        self.0.send(message).await;
        std::future::pending().await
    }
}

#[tokio::test]
async fn a_claim_whose_worker_died_is_sent_by_another_when_its_lease_ends() {
    let o = decided_for_a_wakeful_servant().await;
    let hanging = Arc::new(Hanging(MemorySender::new()));
    let dying = xodim_server::push::Worker::new(o.app.state.clone(), hanging.clone());
    let now = Utc::now();
    let task = tokio::spawn(async move { dying.drain(now).await });
    for _ in 0..100 {
        if !hanging.0.received().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    task.abort();
    let first = hanging.0.received();
    assert_eq!(first.len(), 1, "the dead worker had the row in flight");

    let (worker, sender) = worker(&o.app);
    worker.drain(now + Span::seconds(30)).await.unwrap();
    assert!(sender.received().is_empty(), "still leased");
    worker.drain(now + Span::seconds(61)).await.unwrap();
    let again = sender.received();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, first[0].id, "the same message id");
    assert_eq!(outbox(&o.app).await[0].state, "sent");
}
