//! A long offline queue against the real server: every valid intent arrives, however many and
//! however long, and only an intent too large to be sent even alone is refused.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use reqwest::Method;
use xodim_core::{IntentState, XodimCore};
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::phones::{on, sync};

/// A reason of `chars` characters, mostly Cyrillic (two bytes each on the wire).
fn long_reason(n: usize, chars: usize) -> String {
    let head = format!("{n} ");
    let fill = chars - head.chars().count();
    head + &"ж".repeat(fill)
}

async fn queue_a_relative(core: &Arc<XodimCore>, n: usize, reason: String) {
    on(core, move |c| {
        let fields = HashMap::from([
            ("relation".to_owned(), "brother".to_owned()),
            ("full_name".to_owned(), format!("Karimov Aka{n}")),
            ("birth_year".to_owned(), "1990".to_owned()),
        ]);
        c.propose_correction(
            "relative".into(),
            "add".into(),
            None,
            fields,
            reason,
            vec![],
        )
    })
    .await
    .unwrap();
}

async fn states(core: &Arc<XodimCore>) -> Vec<IntentState> {
    let intents = on(core, |c| c.intents()).await;
    intents.into_iter().map(|i| i.state).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn eighty_relatives_with_long_reasons_queued_offline_are_all_applied() {
    let app = TestApp::spawn().await;
    app.lone_servant("long.queue").await;
    let phone = app.phone("long.queue").await;
    sync(&phone.core).await.unwrap();
    phone.net.offline.store(true, Ordering::SeqCst);
    for n in 0..80 {
        queue_a_relative(&phone.core, n, long_reason(n, 2000)).await;
    }
    phone.net.offline.store(false, Ordering::SeqCst);

    let report = sync(&phone.core).await.unwrap();

    assert_eq!(
        (report.applied, report.rejected, report.pending),
        (80, 0, 0)
    );
    assert_eq!(states(&phone.core).await, vec![IntentState::Applied; 80]);
    let mine = on(&phone.core, |c| c.correction_requests()).await;
    assert_eq!(mine.len(), 80);
    assert!(mine.iter().all(|r| !r.pending && r.state == "submitted"));
    assert!(mine.iter().all(|r| r.reason.chars().count() == 2000));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sync_routes_name_the_servers_body_limit() {
    let app = TestApp::spawn_with(|s| s.max_json_bytes = 100_000).await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "limit.reader", &[]).await;
    let token = app.token("limit.reader", PASSWORD).await;

    let pulled = app
        .authed(Method::GET, "/api/v1/sync/changes", &token)
        .send()
        .await
        .unwrap();
    let pushed = app
        .authed(Method::POST, "/api/v1/sync/intents", &token)
        .json(&serde_json::json!({ "intents": [] }))
        .send()
        .await
        .unwrap();

    for response in [pulled, pushed] {
        assert_eq!(response.status(), 200);
        let limit = response.headers().get("xodim-max-body-bytes").cloned();
        assert_eq!(limit.unwrap().to_str().unwrap(), "100000");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_with_a_smaller_limit_than_the_phone_assumes_gets_the_queue_split_and_refuses_only_the_oversized_intent()
 {
    let app = TestApp::spawn_with(|s| s.max_json_bytes = 4 * 1024).await;
    app.lone_servant("small.limit").await;
    // Signed in but never synced: the phone does not know the server's limit yet.
    let phone = app.phone("small.limit").await;
    queue_a_relative(&phone.core, 0, "Ukam".into()).await;
    queue_a_relative(&phone.core, 1, long_reason(1, 2000)).await;
    for n in 2..6 {
        queue_a_relative(&phone.core, n, format!("Ukam {n}")).await;
    }

    let report = sync(&phone.core).await.unwrap();

    assert_eq!((report.applied, report.rejected, report.pending), (5, 1, 0));
    let intents = on(&phone.core, |c| c.intents()).await;
    let refused: Vec<_> = intents
        .iter()
        .filter(|i| i.state == IntentState::Rejected)
        .map(|i| (i.code.as_deref(), i.message.as_deref()))
        .collect();
    assert_eq!(
        refused,
        [(
            Some("intent_too_large"),
            Some("This request is too large to send to the server. Shorten the text.")
        )]
    );
    assert_eq!(intents[1].state, IntentState::Rejected);
    let mine = on(&phone.core, |c| c.correction_requests()).await;
    assert_eq!(mine.iter().filter(|r| !r.pending).count(), 5);
}
