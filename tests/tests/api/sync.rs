use std::time::Duration;

use chrono::Utc;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::sync::{EntityKind, IntentStatus, Scope};
use xodim_domain::{ErrorCode, Role, UnitId};
use xodim_server::sync::log::{self, Entry};
use xodim_tests::TestApp;
use xodim_tests::fixtures::{PASSWORD, Person, Tree};
use xodim_tests::intents::contact_update;

async fn pull_all(app: &TestApp, token: &str, cursor: &str) -> (Vec<Value>, String, Value) {
    let (mut changes, mut cursor) = (Vec::new(), cursor.to_owned());
    loop {
        let page = app.pull(token, &cursor).await;
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = page["cursor"].as_str().unwrap().to_owned();
        if !page["has_more"].as_bool().unwrap() {
            return (changes, cursor, page);
        }
    }
}

async fn servant() -> (TestApp, Tree, Person, String) {
    let app = TestApp::spawn().await;
    let (tree, person) = app.lone_servant("sync.servant").await;
    let token = app.token("sync.servant", PASSWORD).await;
    (app, tree, person, token)
}

#[tokio::test]
async fn a_first_pull_brings_the_catalogue_and_a_contact_change_comes_back_once() {
    let (app, tree, person, token) = servant().await;
    let (first, cursor, page) = pull_all(&app, &token, "").await;
    assert!(
        first
            .iter()
            .any(|c| c["kind"] == "unit" && c["id"] == tree.unit_a.to_string())
    );
    assert_eq!(
        page["scopes"].as_array().unwrap().len(),
        2,
        "own and the organisation: {page}"
    );

    let intent = contact_update(person.account, 0, "+998 90 123 45 67");
    let outcome = app
        .send_intents(&token, std::slice::from_ref(&intent))
        .await
        .remove(0);
    let replay = app.send_intents(&token, &[intent]).await.remove(0);

    assert_eq!(outcome.status, IntentStatus::Applied);
    assert_eq!(replay, outcome, "a resent intent gets the stored outcome");
    let (changes, _, _) = pull_all(&app, &token, &cursor).await;
    let contact: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "contact").collect();
    assert_eq!(contact.len(), 1);
    assert_eq!(contact[0]["data"]["phone"], "+998901234567");
    assert_eq!(contact[0]["data"]["version"], 1, "applied once");
}

#[tokio::test]
async fn a_change_against_a_stale_version_conflicts_and_shows_the_current_values() {
    let (app, _, person, token) = servant().await;
    app.send_intents(&token, &[contact_update(person.account, 0, "901234567")])
        .await;

    let stale = app
        .send_intents(&token, &[contact_update(person.account, 0, "907654321")])
        .await
        .remove(0);

    assert_eq!(
        (stale.status, stale.code),
        (IntentStatus::Conflict, Some(ErrorCode::VersionConflict))
    );
    let current = stale.current.unwrap();
    assert_eq!(current["phone"], "+998901234567");
    assert_eq!(current["version"], 1);
}

#[tokio::test]
async fn a_bad_phone_is_rejected_for_good_with_a_reason() {
    let (app, _, person, token) = servant().await;
    let intent = contact_update(person.account, 0, "12345");

    let first = app
        .send_intents(&token, std::slice::from_ref(&intent))
        .await
        .remove(0);
    let again = app.send_intents(&token, &[intent]).await.remove(0);

    assert_eq!(
        (first.status, first.code),
        (IntentStatus::Rejected, Some(ErrorCode::InvalidPhone))
    );
    assert!(first.message.as_deref().unwrap().contains("+998"));
    assert_eq!(again, first, "the rejection is recorded, not decided again");
}

#[tokio::test]
async fn nobody_changes_another_servants_contact() {
    let (app, tree, _, token) = servant().await;
    let other = app.person(tree.unit_a, "other.servant", &[]).await;

    let outcome = app
        .send_intents(&token, &[contact_update(other.account, 0, "901234567")])
        .await
        .remove(0);

    assert_eq!(
        (outcome.status, outcome.code),
        (IntentStatus::Rejected, Some(ErrorCode::Forbidden))
    );
}

#[tokio::test]
async fn a_pull_with_nothing_new_is_a_few_hundred_bytes() {
    let (app, _, _, token) = servant().await;
    let (_, cursor, _) = pull_all(&app, &token, "").await;

    let response = app
        .authed(Method::GET, "/api/v1/sync/changes", &token)
        .query(&[("cursor", &cursor)])
        .send()
        .await
        .unwrap();
    let body = response.bytes().await.unwrap();

    let page: Value = serde_json::from_slice(&body).unwrap();
    assert!(page["changes"].as_array().unwrap().is_empty());
    assert_eq!(page["cursor"], cursor.as_str());
    assert!(
        body.len() <= 400,
        "{} bytes: {}",
        body.len(),
        String::from_utf8_lossy(&body)
    );
}

#[tokio::test]
async fn a_garbled_cursor_is_refused_with_its_code() {
    let (app, _, _, token) = servant().await;

    let response = app
        .authed(Method::GET, "/api/v1/sync/changes", &token)
        .query(&[("cursor", "own:nonsense@1")])
        .send()
        .await
        .unwrap();

    assert_eq!(
        xodim_tests::error_code(response, 400).await,
        "invalid_cursor"
    );
}

#[tokio::test]
async fn a_transferred_servant_disappears_from_the_old_managers_pull() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.manager(tree.unit_a, "head.of.a").await;
    let mover = app.person(tree.unit_a, "the.mover", &[]).await;
    app.hr_officer(tree.root, "hr.mover").await;
    app.publish_all().await;
    let manager = app.token("head.of.a", PASSWORD).await;
    let (before, cursor, _) = pull_all(&app, &manager, "").await;
    assert!(
        before
            .iter()
            .any(|c| c["kind"] == "employee_card" && c["id"] == mover.employee.to_string())
    );

    let hr = app.token("hr.mover", PASSWORD).await;
    app.transfer(&hr, mover.employee, tree.unit_b).await;

    let (after, _, _) = pull_all(&app, &manager, &cursor).await;
    let card: Vec<&Value> = after
        .iter()
        .filter(|c| c["id"] == mover.employee.to_string())
        .collect();
    assert_eq!(card.len(), 1, "{after:?}");
    assert!(card[0]["data"].is_null(), "the card leaves unit A's scope");
}

#[tokio::test]
async fn a_manager_who_loses_the_unit_is_told_to_purge_its_scope() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.manager(tree.unit_a, "former.head").await;
    app.person(tree.root, "admin.heads", &[(Role::OrgAdmin, tree.root)])
        .await;
    app.publish_all().await;
    let token = app.token("former.head", PASSWORD).await;
    let (_, cursor, page) = pull_all(&app, &token, "").await;
    let unit_scope = format!("unit:{}", tree.unit_a);
    assert!(
        page["scopes"]
            .as_array()
            .unwrap()
            .contains(&json!(unit_scope))
    );

    let admin = app.token("admin.heads", PASSWORD).await;
    let cleared = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/admin/org-units/{}", tree.unit_a),
            &admin,
        )
        .json(&json!({ "head_position_id": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 200);

    let page = app.pull(&token, &cursor).await;
    assert_eq!(page["removed_scopes"], json!([unit_scope]));
    assert!(
        !page["cursor"]
            .as_str()
            .unwrap()
            .contains(&tree.unit_a.to_string())
    );
}

#[tokio::test]
async fn a_cursor_older_than_the_kept_removals_is_told_to_resync_the_scope() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let head = app.manager(tree.unit_a, "away.head").await;
    let leaver = app.person(tree.unit_a, "leaver.a", &[]).await;
    app.publish_all().await;
    let token = app.token("away.head", PASSWORD).await;
    let (_, cursor, _) = pull_all(&app, &token, "").await;
    let scope = Scope::Unit(UnitId::from_uuid(tree.unit_a));
    let txn = sea_orm::TransactionTrait::begin(&app.state.db)
        .await
        .unwrap();
    let removal = Entry {
        scope,
        kind: EntityKind::EmployeeCard,
        id: leaver.employee,
        data: None,
    };
    let heads = log::record(&txn, vec![removal], Utc::now()).await.unwrap();
    txn.commit().await.unwrap();
    app.state
        .notifier
        .moved(&app.state.kv, &heads)
        .await
        .unwrap();
    log::compact(&app.state.db, Utc::now() + chrono::Duration::seconds(1))
        .await
        .unwrap();

    let page = app.pull(&token, &cursor).await;

    assert_eq!(page["reset_scopes"], json!([scope.key()]));
    let refilled: Vec<&Value> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["scope"] == scope.key())
        .collect();
    assert!(
        refilled
            .iter()
            .any(|c| c["id"] == head.employee.to_string()),
        "the scope is sent again from the start"
    );
}

#[tokio::test]
async fn a_live_connection_is_poked_when_a_scope_of_its_own_moves() {
    let (app, _, person, token) = servant().await;
    let mut live = app
        .authed(Method::GET, "/api/v1/sync/live", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(live.headers()["content-type"], "text/event-stream");
    app.state.notifier.subscribed().await;

    app.send_intents(&token, &[contact_update(person.account, 0, "901112233")])
        .await;

    let chunk = tokio::time::timeout(Duration::from_secs(5), live.chunk())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&chunk);
    assert!(
        text.contains("event: poke") && text.contains(&format!("own:{}", person.account)),
        "{text}"
    );
}

/// Writers that commit out of order must never let a reader advance past a change it has not
/// seen. Each writer holds its transaction open for a while after taking its version.
#[tokio::test]
async fn concurrent_writers_never_let_a_reader_skip_a_change() {
    let app = TestApp::spawn_with(|s| s.database_max_connections = 12).await;
    let scope = Scope::Unit(UnitId::from_uuid(Uuid::now_v7()));
    let (writers, per_writer) = (6, 15);
    let mut tasks = Vec::new();
    for w in 0..writers {
        let db = app.state.db.clone();
        tasks.push(tokio::spawn(async move {
            let mut written = Vec::new();
            for i in 0..per_writer {
                let id = Uuid::now_v7();
                let txn = sea_orm::TransactionTrait::begin(&db).await.unwrap();
                let entry = Entry {
                    scope,
                    kind: EntityKind::EmployeeCard,
                    id,
                    data: Some(json!({ "w": w, "i": i })),
                };
                log::record(&txn, vec![entry], Utc::now()).await.unwrap();
                tokio::time::sleep(Duration::from_millis(((w * 7 + i * 3) % 5) as u64)).await;
                txn.commit().await.unwrap();
                written.push(id);
            }
            written
        }));
    }
    let reader_db = app.state.db.clone();
    let reader = tokio::spawn(async move {
        let (mut position, mut seen) = (0i64, std::collections::HashSet::new());
        for _ in 0..2000 {
            for change in log::changes_after(&reader_db, &scope, position, 7)
                .await
                .unwrap()
            {
                seen.insert(change.id);
                position = change.version;
            }
            if seen.len() == writers * per_writer {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        seen
    });
    let mut all = std::collections::HashSet::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let seen = reader.await.unwrap();

    let missed: Vec<_> = all.difference(&seen).collect();
    assert!(
        missed.is_empty(),
        "the reader skipped {} of {} changes",
        missed.len(),
        all.len()
    );
}

/// With Redis, a write on one instance pokes a live connection held by another. Without Redis
/// a single instance is the supported set-up, and this is checked by the test above.
#[tokio::test]
async fn a_poke_crosses_to_another_instance_through_redis() {
    if std::env::var("REDIS_URL").is_err() {
        return;
    }
    let (first, _, person, token) = servant().await;
    let (url, prefix) = (
        first.state.settings.database_url.clone(),
        first.state.settings.redis_prefix.clone(),
    );
    let second = TestApp::spawn_with(|s| {
        s.database_url = url;
        s.redis_prefix = prefix;
    })
    .await;
    let mut live = second
        .authed(Method::GET, "/api/v1/sync/live", &token)
        .send()
        .await
        .unwrap();
    second.state.notifier.subscribed().await;

    first
        .send_intents(&token, &[contact_update(person.account, 0, "905556677")])
        .await;

    let chunk = tokio::time::timeout(Duration::from_secs(5), live.chunk())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&chunk).contains(&format!("own:{}", person.account)));
}
