//! The inbox's read state: a servant reads an entry on one phone and every phone of theirs
//! shows it read; a read made offline goes with the next sync; reads repeat harmlessly; no one
//! can read, or learn of, another account's entry.

use std::sync::atomic::Ordering;

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::ErrorCode;
use xodim_domain::inbox::{INBOX_READ, InboxAddress};
use xodim_domain::sync::IntentStatus;
use xodim_tests::TestApp;
use xodim_tests::cast::{Office, office};
use xodim_tests::phones::{on, sync};

/// The servant's request, approved by HR: one entry in the servant's inbox.
async fn decided(o: &Office) -> Uuid {
    let (_, request) = o.propose("TDIU (kechki)").await;
    let approved = o
        .step(&o.hr_token, "correction.approve", request, json!({}))
        .await;
    assert_eq!(approved.status, IntentStatus::Applied);
    let entries = inbox_of(&o.app, &o.servant_token).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0]["id"].as_str().unwrap().parse().unwrap()
}

/// The inbox entries the holder of `token` pulls from a first sync, as published last.
async fn inbox_of(app: &TestApp, token: &str) -> Vec<Value> {
    let (mut cursor, mut entries) = (String::new(), Vec::<Value>::new());
    loop {
        let page = app.pull(token, &cursor).await;
        for change in page["changes"].as_array().unwrap() {
            if change["kind"] == "inbox" {
                entries.retain(|e| e["id"] != change["id"]);
                entries.push(change["data"].clone());
            }
        }
        cursor = page["cursor"].as_str().unwrap().to_owned();
        if page["has_more"] != true {
            return entries;
        }
    }
}

async fn read(o: &Office, token: &str, entry: Uuid) -> (IntentStatus, Option<ErrorCode>) {
    let outcome = o
        .app
        .intent(token, INBOX_READ, InboxAddress(entry), json!({}))
        .await;
    (outcome.status, outcome.code)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_on_one_phone_shows_read_on_the_other_phone_after_its_sync() {
    let o = office().await;
    let entry = decided(&o).await;
    let (first, second) = (o.servant_phone().await, o.servant_phone().await);
    for phone in [&first, &second] {
        sync(&phone.core).await.unwrap();
        assert_eq!(on(&phone.core, |c| c.unread_count()).await, 1);
    }

    on(&first.core, move |c| c.mark_read(entry.to_string()))
        .await
        .unwrap();
    assert_eq!(on(&first.core, |c| c.unread_count()).await, 0, "at once");
    sync(&first.core).await.unwrap();
    sync(&second.core).await.unwrap();

    let shown = on(&second.core, |c| c.inbox()).await;
    assert_eq!((shown.len(), shown[0].read), (1, true));
    assert_eq!(on(&second.core, |c| c.unread_count()).await, 0);
    assert_eq!(on(&first.core, |c| c.unread_count()).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_made_offline_shows_at_once_and_reaches_the_server_with_the_next_sync() {
    let o = office().await;
    let entry = decided(&o).await;
    let phone = o.servant_phone().await;
    sync(&phone.core).await.unwrap();

    phone.net.offline.store(true, Ordering::SeqCst);
    on(&phone.core, move |c| c.mark_read(entry.to_string()))
        .await
        .unwrap();
    assert!(sync(&phone.core).await.is_err(), "offline");
    assert!(on(&phone.core, |c| c.inbox()).await[0].read);
    assert!(inbox_of(&o.app, &o.servant_token).await[0]["read_at"].is_null());

    phone.net.offline.store(false, Ordering::SeqCst);
    // The failed send waits out its back-off before it is tried again.
    phone.clock.advance(Duration::minutes(10));
    sync(&phone.core).await.unwrap();
    assert!(on(&phone.core, |c| c.inbox()).await[0].read);
    let on_server = inbox_of(&o.app, &o.servant_token).await;
    assert!(on_server[0]["read_at"].is_string(), "{on_server:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn another_accounts_entry_is_not_found_exactly_like_an_unknown_one() {
    let o = office().await;
    let entry = decided(&o).await;

    let theirs = read(&o, &o.hr_token, entry).await;
    let unknown = read(&o, &o.hr_token, Uuid::now_v7()).await;
    assert_eq!(theirs, (IntentStatus::Rejected, Some(ErrorCode::NotFound)));
    assert_eq!(theirs, unknown);
    let malformed = o
        .app
        .intent(&o.servant_token, INBOX_READ, "inbox:nope", json!({}))
        .await;
    assert_eq!(malformed.code, Some(ErrorCode::InvalidIntent));
    assert!(
        inbox_of(&o.app, &o.servant_token).await[0]["read_at"].is_null(),
        "still unread"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_reads_are_applied_and_the_first_read_stands() {
    let o = office().await;
    let entry = decided(&o).await;

    assert_eq!(
        read(&o, &o.servant_token, entry).await,
        (IntentStatus::Applied, None)
    );
    let first = inbox_of(&o.app, &o.servant_token).await[0]["read_at"].clone();
    assert!(first.is_string());
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(
        read(&o, &o.servant_token, entry).await,
        (IntentStatus::Applied, None)
    );
    assert_eq!(
        inbox_of(&o.app, &o.servant_token).await[0]["read_at"],
        first
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_from_two_phones_at_once_both_apply_and_one_read_time_stands() {
    let o = office().await;
    let entry = decided(&o).await;
    let other_token = o
        .app
        .token(&o.servant.login, xodim_tests::fixtures::PASSWORD)
        .await;

    let (a, b) = tokio::join!(
        read(&o, &o.servant_token, entry),
        read(&o, &other_token, entry)
    );
    assert_eq!(
        (a, b),
        ((IntentStatus::Applied, None), (IntentStatus::Applied, None))
    );
    let seen_by_one = inbox_of(&o.app, &o.servant_token).await;
    let seen_by_other = inbox_of(&o.app, &other_token).await;
    assert!(seen_by_one[0]["read_at"].is_string());
    assert_eq!(seen_by_one[0]["read_at"], seen_by_other[0]["read_at"]);
}
