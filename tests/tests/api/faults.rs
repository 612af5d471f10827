//! Faults of the parts the server runs on: a PostgreSQL and a Redis of the test's own are
//! stopped and started again. These run in the PostgreSQL + Redis run only.

use std::time::{Duration, Instant};

use reqwest::{Method, Response};
use serde_json::{Value, json};
use xodim_domain::sync::{IntentBatch, IntentResults, IntentStatus};
use xodim_server::sync::scopes;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::intents::contact_update;
use xodim_tests::services::{OwnPostgres, OwnRedis, in_postgres_and_redis_run};

/// Sends a request and returns its answer with how long it took.
async fn timed(request: reqwest::RequestBuilder) -> (Response, Duration) {
    let started = Instant::now();
    let response = request.send().await.unwrap();
    (response, started.elapsed())
}

/// Asks `/ready` until its `status` is `expected`, for at most `limit`; returns the body.
async fn ready_becomes(app: &TestApp, expected: &str, limit: Duration) -> Value {
    let deadline = Instant::now() + limit;
    loop {
        let body: Value = app
            .request(Method::GET, "/ready")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if body["status"] == expected {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "/ready did not become {expected}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A 503 `unavailable` that tells the client when to try again, answered within `limit`.
async fn assert_unavailable(response: Response, took: Duration, limit: Duration) {
    assert!(took < limit, "answered after {took:?}");
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "unavailable", "{body}");
    assert!(body["request_id"].is_string(), "{body}");
}

#[tokio::test]
async fn a_stopped_database_is_answered_503_unavailable_within_seconds_and_serves_again_after_restart()
 {
    if !in_postgres_and_redis_run("a_stopped_database_is_answered_503") {
        return;
    }
    let pg = OwnPostgres::start();
    let url = pg.url();
    let app = TestApp::spawn_with(|s| {
        s.database_url = url;
        s.redis_url = None;
    })
    .await;
    let tree = app.tree().await;
    let person = app.person(tree.unit_a, "db.servant", &[]).await;
    let token = app.token("db.servant", PASSWORD).await;

    pg.stop();
    let (me, took) = timed(app.authed(Method::GET, "/api/v1/me", &token)).await;
    assert_unavailable(me, took, Duration::from_secs(3)).await;
    let started = Instant::now();
    let sign_in = app.login("db.servant", PASSWORD).await;
    assert_unavailable(sign_in, started.elapsed(), Duration::from_secs(3)).await;
    let (ready, took) = timed(app.request(Method::GET, "/ready")).await;
    assert!(took < Duration::from_secs(2), "/ready took {took:?}");
    assert_eq!(ready.status(), 503);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "unavailable", "{ready}");
    assert!(ready["database"]["error"].is_string(), "{ready}");

    pg.resume();
    ready_becomes(&app, "ok", Duration::from_secs(10)).await;
    let me = app
        .authed(Method::GET, "/api/v1/me", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["account"]["id"], person.account.to_string(), "{me}");
    assert_eq!(app.login("db.servant", PASSWORD).await.status(), 200);
}

/// A sign-in of `login` with `password`, with how long it took.
async fn timed_login(app: &TestApp, login: &str, password: &str) -> (Response, Duration) {
    let started = Instant::now();
    let response = app.login(login, password).await;
    (response, started.elapsed())
}

#[tokio::test]
async fn with_redis_stopped_sign_in_answers_at_once_failures_are_limited_in_process_and_ready_says_degraded()
 {
    if !in_postgres_and_redis_run("with_redis_stopped_sign_in_answers_at_once") {
        return;
    }
    let mut redis = OwnRedis::start();
    let url = redis.url();
    let app = TestApp::spawn_with(|s| {
        s.redis_url = Some(url);
        s.login_attempts_per_account = 3;
    })
    .await;
    let tree = app.tree().await;
    let person = app.person(tree.unit_a, "kv.servant", &[]).await;
    let token = app.token("kv.servant", PASSWORD).await;

    redis.stop();
    let (signed_in, took) = timed_login(&app, "kv.servant", PASSWORD).await;
    assert!(took < Duration::from_secs(1), "sign-in took {took:?}");
    assert_eq!(signed_in.status(), 200);
    let signed_in: Value = signed_in.json().await.unwrap();
    assert!(signed_in["access_token"].is_string(), "{signed_in}");
    for _ in 0..3 {
        let (refused, took) = timed_login(&app, "kv.servant", "wrong password").await;
        assert!(took < Duration::from_secs(1), "a refusal took {took:?}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "invalid_credentials", "{body}");
    }
    let (limited, took) = timed_login(&app, "kv.servant", PASSWORD).await;
    assert!(took < Duration::from_secs(1), "the limit took {took:?}");
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited", "{body}");

    let (ready, took) = timed(app.request(Method::GET, "/ready")).await;
    assert!(took < Duration::from_secs(1), "/ready took {took:?}");
    assert_eq!(ready.status(), 200, "a degraded instance keeps serving");
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "degraded", "{ready}");
    assert_eq!(ready["database"], "ok", "{ready}");
    assert!(ready["redis"]["error"].is_string(), "{ready}");

    // What the revocation check and the scope cache rely on: Redis reads fail at once, and the
    // scopes come from the database.
    let started = Instant::now();
    assert!(app.state.kv.exists("revoked:session:none").await.is_err());
    assert!(started.elapsed() < Duration::from_millis(500));
    let account = xodim_domain::AccountId::from_uuid(person.account);
    let (held, heads) = scopes::scopes_with_heads(&app.state.db, &app.state.kv, account)
        .await
        .unwrap();
    assert_eq!(held, scopes::compute(&app.state.db, account).await.unwrap());
    assert!(
        heads.iter().all(Option::is_none),
        "no head is read from a cache that is away"
    );

    redis.resume();
    let ready = ready_becomes(&app, "ok", Duration::from_secs(5)).await;
    assert_eq!(ready["redis"], "ok", "{ready}");
    let me = app
        .authed(Method::GET, "/api/v1/me", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["account"]["id"], person.account.to_string(), "{me}");
    // The failures counted while Redis was away reached it on its return.
    let (still_limited, _) = timed_login(&app, "kv.servant", PASSWORD).await;
    assert_eq!(still_limited.status(), 429);
}

/// Reads the event stream until a poke arrives, for at most five seconds.
async fn next_poke(live: &mut Response) -> String {
    let mut text = String::new();
    while !text.contains("event: poke") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), live.chunk())
            .await
            .expect("a poke within five seconds")
            .unwrap()
            .expect("the stream stays open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text
}

/// The writer runs without Redis, so its poke never reaches the listener's instance, as a write
/// published while the listener's relay was not subscribed would not.
#[tokio::test]
async fn a_write_made_while_the_relay_was_away_is_announced_when_it_subscribes_again() {
    if !in_postgres_and_redis_run("a_write_made_while_the_relay_was_away") {
        return;
    }
    let mut redis = OwnRedis::start();
    let writer = TestApp::spawn_with(|s| s.redis_url = None).await;
    let tree = writer.tree().await;
    let person = writer.person(tree.unit_a, "relay.servant", &[]).await;
    writer.publish_all().await;
    let token = writer.token("relay.servant", PASSWORD).await;
    let (database, url) = (writer.state.settings.database_url.clone(), redis.url());
    let listener = TestApp::spawn_with(|s| {
        s.database_url = database;
        s.redis_url = Some(url);
    })
    .await;
    listener.state.notifier.subscribed().await;
    let mut live = listener
        .authed(Method::GET, "/api/v1/sync/live", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);

    redis.stop();
    let mut subscription = listener.state.notifier.subscription();
    tokio::time::timeout(Duration::from_secs(5), subscription.wait_for(|s| !*s))
        .await
        .expect("the relay notices that Redis is gone")
        .unwrap();
    let pushed = writer
        .send_intents(&token, &[contact_update(person.account, 0, "907778899")])
        .await;
    assert_eq!(pushed[0].status, IntentStatus::Applied, "{pushed:?}");
    redis.resume();

    let poke = next_poke(&mut live).await;
    assert!(
        poke.contains("data: *"),
        "a catch-up poke of every scope: {poke}"
    );
    ready_becomes(&listener, "ok", Duration::from_secs(5)).await;
    let page = listener.pull(&token, "").await;
    let contact = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "contact")
        .cloned();
    assert_eq!(
        contact.as_ref().map(|c| c["data"]["phone"].clone()),
        Some(json!("+998907778899")),
        "{page}"
    );
}

#[tokio::test]
async fn authenticated_requests_are_served_at_once_while_redis_is_away() {
    if !in_postgres_and_redis_run("authenticated_requests_are_served_at_once_while_redis_is_away") {
        return;
    }
    let mut redis = OwnRedis::start();
    let url = redis.url();
    let app = TestApp::spawn_with(|s| s.redis_url = Some(url)).await;
    let tree = app.tree().await;
    let person = app.person(tree.unit_a, "away.servant", &[]).await;
    app.publish_all().await;
    let token = app.token("away.servant", PASSWORD).await;

    redis.stop();
    let (me, took) = timed(app.authed(Method::GET, "/api/v1/me", &token)).await;
    assert!(took < Duration::from_secs(1), "/api/v1/me took {took:?}");
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["account"]["id"], person.account.to_string(), "{me}");
    let push = app
        .authed(Method::POST, "/api/v1/sync/intents", &token)
        .json(&IntentBatch {
            intents: vec![contact_update(person.account, 0, "901234567")],
        });
    let (pushed, took) = timed(push).await;
    assert!(took < Duration::from_secs(1), "the push took {took:?}");
    let pushed: IntentResults = pushed.json().await.unwrap();
    assert_eq!(
        pushed.results[0].status,
        IntentStatus::Applied,
        "{pushed:?}"
    );
    let page = app.pull(&token, "").await;
    assert!(
        page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "contact" && c["data"]["phone"] == "+998901234567"),
        "{page}"
    );
}
