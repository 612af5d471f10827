//! Several phones (xodim-core clients) against one real server.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::json;
use xodim_core::{
    Clock, CoreError, HttpRequest, HttpResponse, IntentState, ReqwestTransport, SystemIds,
    Transport, TransportError, XodimCore,
};
use xodim_domain::Role;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;

/// A network that can fail: drop requests before they reach the server, or drop the answer
/// after the server has acted on it.
#[derive(Default)]
struct Flaky {
    offline: AtomicBool,
    lose_next_answer: AtomicBool,
    http: Mutex<Option<ReqwestTransport>>,
}

impl Transport for Flaky {
    fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.offline.load(Ordering::SeqCst) {
            return Err(TransportError::Network {
                reason: "offline".into(),
            });
        }
        let mut http = self.http.lock().unwrap();
        let http = http.get_or_insert_with(|| ReqwestTransport::new().unwrap());
        let response = http.execute(request)?;
        if self.lose_next_answer.swap(false, Ordering::SeqCst) {
            return Err(TransportError::Network {
                reason: "answer lost".into(),
            });
        }
        Ok(response)
    }
}

/// A clock the test moves by hand, so back-off waits need no sleeping.
struct HandClock(AtomicI64);

impl HandClock {
    fn new() -> Self {
        Self(AtomicI64::new(Utc::now().timestamp_millis()))
    }
    fn advance(&self, by: Duration) {
        self.0.fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }
}

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::SeqCst)).unwrap()
    }
}

struct Phone {
    core: Arc<XodimCore>,
    net: Arc<Flaky>,
    clock: Arc<HandClock>,
}

fn phone_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "xodim-phone-{name}-{}.db",
        uuid::Uuid::new_v4().simple()
    ))
}

/// Opens a phone; the blocking core runs on a blocking thread, as apps run it off the UI thread.
async fn phone(app: &TestApp, login: &str) -> Phone {
    let (url, login) = (app.address.clone(), login.to_owned());
    tokio::task::spawn_blocking(move || {
        let (net, clock) = (Arc::new(Flaky::default()), Arc::new(HandClock::new()));
        let path = phone_file(&login);
        let core = XodimCore::open_with(
            &path.to_string_lossy(),
            &url,
            "en",
            net.clone(),
            clock.clone(),
            Arc::new(SystemIds),
        )
        .unwrap();
        core.login(login, PASSWORD.into()).unwrap();
        Phone { core, net, clock }
    })
    .await
    .unwrap()
}

async fn on<T: Send + 'static>(
    core: &Arc<XodimCore>,
    f: impl FnOnce(&XodimCore) -> T + Send + 'static,
) -> T {
    let core = core.clone();
    tokio::task::spawn_blocking(move || f(&core)).await.unwrap()
}

async fn sync(core: &Arc<XodimCore>) -> Result<xodim_core::SyncReport, CoreError> {
    on(core, |c| c.sync(None)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn two_phones_of_one_servant_converge() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "two.phones", &[]).await;
    app.publish_all().await;
    let (phone, tablet) = (
        phone(&app, "two.phones").await,
        phone(&app, "two.phones").await,
    );
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
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "lost.answer", &[]).await;
    app.publish_all().await;
    let phone = phone(&app, "lost.answer").await;
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
    let stored = xodim_server::sync::contact::current(
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
    let tree = app.tree().await;
    app.person(tree.unit_a, "rejected.one", &[]).await;
    app.publish_all().await;
    let phone = phone(&app, "rejected.one").await;
    sync(&phone.core).await.unwrap();
    // Two devices race: the phone's change is decided against a version that moved on.
    let other = self::phone(&app, "rejected.one").await;
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
    let head = app.person(tree.unit_a, "phone.head", &[]).await;
    app.make_head(tree.unit_a, head.position).await;
    let mover = app.person(tree.unit_a, "phone.mover", &[]).await;
    app.person(tree.root, "phone.hr", &[(Role::HrOfficer, tree.root)])
        .await;
    app.publish_all().await;
    let manager = phone(&app, "phone.head").await;
    sync(&manager.core).await.unwrap();
    let team = on(&manager.core, |c| c.team()).await;
    assert!(
        team.iter()
            .any(|card| card.employee_id == mover.employee.to_string())
    );

    let hr = app.token("phone.hr", PASSWORD).await;
    let post = app.post(tree.unit_b).await;
    let moved = app
        .authed(
            Method::POST,
            &format!("/api/v1/admin/employees/{}/transfer", mover.employee),
            &hr,
        )
        .json(&json!({ "position_id": post.id }))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    sync(&manager.core).await.unwrap();

    let team = on(&manager.core, |c| c.team()).await;
    assert!(
        team.iter()
            .all(|card| card.employee_id != mover.employee.to_string()),
        "{team:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_who_loses_the_unit_keeps_nothing_of_it_on_the_phone() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let head = app.person(tree.unit_a, "ex.head", &[]).await;
    app.make_head(tree.unit_a, head.position).await;
    app.person(tree.unit_a, "ex.staff", &[]).await;
    app.person(tree.root, "ex.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    app.publish_all().await;
    let manager = phone(&app, "ex.head").await;
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
    let tree = app.tree().await;
    app.person(tree.unit_a, "wiped", &[]).await;
    app.publish_all().await;
    let phone = phone(&app, "wiped").await;
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
