//! Several server instances on one database deliver each notification once, and what an
//! instance that dies was sending is sent by the others.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::TransactionTrait;
use serde_json::json;
use xodim_domain::AccountId;
use xodim_domain::notify::NotificationKind;
use xodim_domain::sync::{EntityKind, Scope};
use xodim_server::Application;
use xodim_server::auth::limiter::SystemClock;
use xodim_server::push::MemorySender;
use xodim_server::sync::engine::Publication;
use xodim_tests::TestApp;
use xodim_tests::cast::office_on;

use super::{outbox, register, set_notifications};

const NOTIFICATIONS: usize = 1000;

/// Another instance on the database of `app`, sending through `sender`.
async fn beside(app: &TestApp, sender: Arc<MemorySender>) -> actix_web::dev::ServerHandle {
    let mut settings = app.state.settings.clone();
    settings.listen = "127.0.0.1:0".into();
    let other = Application::build_with_sender(settings, Arc::new(SystemClock), sender)
        .await
        .unwrap();
    let handle = other.handle();
    tokio::spawn(other.run_until_stopped());
    handle
}

/// Queues `NOTIFICATIONS` deliveries to the servant's one phone in one commit.
async fn queue_many(app: &TestApp, account: uuid::Uuid) {
    let account = AccountId::from_uuid(account);
    let mut publication = Publication::default();
    for _ in 0..NOTIFICATIONS {
        let id = uuid::Uuid::now_v7();
        let scope = Scope::Own(account);
        publication.notify(
            account,
            NotificationKind::CorrectionDecided,
            scope,
            EntityKind::Inbox,
            id,
        );
    }
    let txn = app.state.db.begin().await.unwrap();
    let _ = publication
        .write(&txn)
        .await
        .unwrap()
        .commit(txn)
        .await
        .unwrap();
}

async fn wait_until_all_sent(app: &TestApp) {
    for _ in 0..600 {
        let rows = outbox(app).await;
        if rows.len() == NOTIFICATIONS && rows.iter().all(|r| r.state == "sent") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not every notification was sent");
}

fn counts(senders: &[&MemorySender]) -> HashMap<uuid::Uuid, usize> {
    let mut seen = HashMap::new();
    for sender in senders {
        for message in sender.received() {
            *seen.entry(message.id).or_insert(0) += 1;
        }
    }
    seen
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_notification_once() {
    let first = Arc::new(MemorySender::new());
    let second = Arc::new(MemorySender::new());
    let app = TestApp::spawn_with_sender(
        |s| s.push_poll_interval_ms = 20,
        Arc::new(SystemClock),
        first.clone(),
    )
    .await;
    let o = office_on(app).await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    set_notifications(&o.app, &o.servant_token, json!({"quiet_hours": null})).await;
    let other = beside(&o.app, second.clone()).await;

    queue_many(&o.app, o.servant.account).await;
    wait_until_all_sent(&o.app).await;

    let seen = counts(&[&first, &second]);
    assert_eq!(seen.len(), NOTIFICATIONS);
    assert!(seen.values().all(|&n| n == 1), "each sent once");
    other.stop(false).await;
}

#[tokio::test]
async fn what_a_killed_instance_was_sending_arrives_through_the_other() {
    let first = Arc::new(MemorySender::new());
    let second = Arc::new(MemorySender::new());
    let app = TestApp::spawn_with_sender(
        |s| {
            s.push_poll_interval_ms = 20;
            s.push_lease_secs = 1;
        },
        Arc::new(SystemClock),
        first.clone(),
    )
    .await;
    let o = office_on(app).await;
    register(&o.app, &o.servant_token, "servant-phone").await;
    set_notifications(&o.app, &o.servant_token, json!({"quiet_hours": null})).await;
    let other = beside(&o.app, second.clone()).await;

    queue_many(&o.app, o.servant.account).await;
    for _ in 0..200 {
        if second.received().len() >= 50 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    other.stop(false).await;
    assert!(
        !second.received().is_empty(),
        "the killed instance had begun sending"
    );
    wait_until_all_sent(&o.app).await;

    let seen = counts(&[&first, &second]);
    assert_eq!(seen.len(), NOTIFICATIONS, "every notification arrived");
    let twice = seen.values().filter(|&&n| n > 1).count();
    let in_flight = 4 * o.app.state.settings.push_worker_concurrency;
    assert!(
        twice <= in_flight,
        "{twice} sent twice; at most the {in_flight} in flight"
    );
}
