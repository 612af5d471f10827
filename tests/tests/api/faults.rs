//! Faults of the parts the server runs on: a PostgreSQL and a Redis of the test's own are
//! stopped and started again. These run in the PostgreSQL + Redis run only.

use std::time::{Duration, Instant};

use reqwest::{Method, Response};
use serde_json::Value;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::services::{OwnPostgres, in_postgres_and_redis_run};

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
