//! Several phones (xodim-core clients) against one real server.

use std::sync::atomic::Ordering;

use chrono::Duration;
use reqwest::Method;
use serde_json::json;
use xodim_core::{CoreError, IntentState};
use xodim_domain::Role;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::phones::{on, sync};

#[tokio::test(flavor = "multi_thread")]
async fn two_phones_of_one_servant_converge() {
    let app = TestApp::spawn().await;
    app.lone_servant("two.phones").await;
    let (phone, tablet) = (app.phone("two.phones").await, app.phone("two.phones").await);
    sync(&phone.core).await.unwrap();
    sync(&tablet.core).await.unwrap();

    on(&phone.core, |c| {
        c.update_contact(Some("+998901110011".into()), None, None)
    })
    .await
    .unwrap();
    sync(&phone.core).await.unwrap();
    sync(&tablet.core).await.unwrap();
    on(&tablet.core, |c| {
        c.update_contact(None, Some("two@adliya.uz".into()), Some("Navoiy 1".into()))
    })
    .await
    .unwrap();
    sync(&tablet.core).await.unwrap();
    sync(&phone.core).await.unwrap();

    let (a, b) = (
        on(&phone.core, |c| c.contact()).await.unwrap().unwrap(),
        on(&tablet.core, |c| c.contact()).await.unwrap().unwrap(),
    );
    assert_eq!(a, b);
    assert_eq!(
        (a.version, a.phone, a.email.as_deref()),
        (2, None, Some("two@adliya.uz"))
    );
    assert_eq!(on(&phone.core, |c| c.units()).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_intent_whose_answer_was_lost_after_the_commit_is_applied_once() {
    let app = TestApp::spawn().await;
    let (_, servant) = app.lone_servant("lost.answer").await;
    let phone = app.phone("lost.answer").await;
    sync(&phone.core).await.unwrap();

    on(&phone.core, |c| {
        c.update_contact(Some("901234567".into()), None, None)
    })
    .await
    .unwrap();
    phone.net.lose_next_answer.store(true, Ordering::SeqCst);
    assert!(matches!(
        sync(&phone.core).await,
        Err(CoreError::Network { .. })
    ));
    assert_eq!(
        on(&phone.core, |c| c.intents()).await[0].state,
        IntentState::Queued
    );
    phone.clock.advance(Duration::minutes(10));
    let resent = sync(&phone.core).await.unwrap();

    let intents = on(&phone.core, |c| c.intents()).await;
    assert_eq!(intents.len(), 1);
    assert_eq!(intents[0].state, IntentState::Applied);
    assert_eq!(resent.sent, 1, "the intent went out again");
    let stored = xodim_server::contact::current(
        &app.state.db,
        xodim_domain::AccountId::from_uuid(servant.account),
    )
    .await
    .unwrap();
    assert_eq!(stored.version, 1, "applied once on the server");
    assert_eq!(
        on(&phone.core, |c| c.contact())
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_intent_is_shown_with_its_reason_and_never_sent_again() {
    let app = TestApp::spawn().await;
    app.lone_servant("rejected.one").await;
    let phone = app.phone("rejected.one").await;
    sync(&phone.core).await.unwrap();
    // Two devices race: the phone's change is decided against a version that moved on.
    let other = app.phone("rejected.one").await;
    on(&phone.core, |c| {
        c.update_contact(Some("901112222".into()), None, None)
    })
    .await
    .unwrap();
    on(&other.core, |c| {
        c.update_contact(Some("903334444".into()), None, None)
    })
    .await
    .unwrap();
    sync(&other.core).await.unwrap();

    let first = sync(&phone.core).await.unwrap();
    let second = sync(&phone.core).await.unwrap();

    let intent = on(&phone.core, |c| c.intents()).await.remove(0);
    assert_eq!(intent.state, IntentState::Conflict);
    assert_eq!(intent.code.as_deref(), Some("version_conflict"));
    assert!(intent.message.is_some_and(|m| !m.is_empty()));
    assert_eq!(
        (first.sent, second.sent),
        (1, 0),
        "decided intents are not resent"
    );
    let shown = on(&phone.core, |c| c.contact()).await.unwrap().unwrap();
    assert_eq!(
        shown.phone.as_deref(),
        Some("+998903334444"),
        "the phone shows the server's truth"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transferred_servant_disappears_from_the_old_managers_phone() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let head = app.manager(tree.unit_a, "phone.head").await;
    let mover = app.person(tree.unit_a, "phone.mover", &[]).await;
    let stayer = app.person(tree.unit_a, "phone.stayer", &[]).await;
    app.hr_officer(tree.root, "phone.hr").await;
    app.publish_all().await;
    let manager = app.phone("phone.head").await;
    sync(&manager.core).await.unwrap();
    let team = on(&manager.core, |c| c.team()).await;
    assert!(
        team.iter()
            .any(|card| card.employee_id == mover.employee.to_string())
    );

    let hr = app.token("phone.hr", PASSWORD).await;
    app.transfer(&hr, mover.employee, tree.unit_b).await;
    sync(&manager.core).await.unwrap();

    let team = on(&manager.core, |c| c.team()).await;
    let mut held: Vec<String> = team.into_iter().map(|card| card.employee_id).collect();
    held.sort();
    let mut expected = vec![head.employee.to_string(), stayer.employee.to_string()];
    expected.sort();
    assert_eq!(held, expected, "unit A without the mover, nobody else");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_who_loses_the_unit_keeps_nothing_of_it_on_the_phone() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.manager(tree.unit_a, "ex.head").await;
    app.person(tree.unit_a, "ex.staff", &[]).await;
    app.person(tree.root, "ex.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    app.publish_all().await;
    let manager = app.phone("ex.head").await;
    sync(&manager.core).await.unwrap();
    assert!(!on(&manager.core, |c| c.team()).await.is_empty());

    let admin = app.token("ex.admin", PASSWORD).await;
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
    sync(&manager.core).await.unwrap();

    assert!(
        on(&manager.core, |c| c.team()).await.is_empty(),
        "the unit's staff are purged from the phone"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_out_wipes_the_phone() {
    let app = TestApp::spawn().await;
    app.lone_servant("wiped").await;
    let phone = app.phone("wiped").await;
    on(&phone.core, |c| {
        c.update_contact(Some("901234567".into()), None, None)
    })
    .await
    .unwrap();
    sync(&phone.core).await.unwrap();

    on(&phone.core, |c| c.logout()).await.unwrap();

    assert!(!on(&phone.core, |c| c.is_signed_in()).await);
    assert!(on(&phone.core, |c| c.units()).await.is_empty());
    assert!(on(&phone.core, |c| c.intents()).await.is_empty());
    assert!(matches!(
        sync(&phone.core).await,
        Err(CoreError::Unauthorized { .. })
    ));
}
