use reqwest::Method;
use serde_json::Value;
use xodim_tests::TestApp;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;

    let health = app.request(Method::GET, "/health").send().await.unwrap();
    let ready: Value = app
        .request(Method::GET, "/ready")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(health.status(), 200);
    assert_eq!(ready["database"], "ok");
    let redis_expected = if std::env::var("REDIS_URL").is_ok() {
        "ok"
    } else {
        "not configured"
    };
    assert_eq!(ready["redis"], redis_expected);
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_status() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        app.request(Method::GET, "/api/v1/me").send().await.unwrap();
    }

    let text = app
        .request(Method::GET, "/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    let line = text
        .lines()
        .find(|l| {
            l.starts_with("xodim_http_requests_total")
                && l.contains("route=\"/api/v1/me\"")
                && l.contains("status=\"401\"")
        })
        .unwrap_or_else(|| panic!("no counter for /api/v1/me in:\n{text}"));
    assert!(line.ends_with(" 3"), "{line}");
    assert!(text.contains("xodim_http_request_duration_seconds_bucket"));
    assert!(text.contains("xodim_db_pool_connections{state=\"open\"}"));
}

#[tokio::test]
async fn a_second_instance_on_the_same_database_accepts_tokens_of_the_first() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "two.servers", &[]).await;
    let token = app
        .token("two.servers", xodim_tests::fixtures::PASSWORD)
        .await;
    let url = app.state.settings.database_url.clone();

    let second = TestApp::spawn_with(|s| s.database_url = url).await;

    let me = second
        .authed(Method::GET, "/api/v1/me", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn a_cached_list_is_read_with_its_items_only_while_its_version_is_current() {
    use std::time::Duration;
    let app = TestApp::spawn().await;
    let kv = &app.state.kv;
    let ttl = Duration::from_secs(60);
    kv.increment("v", ttl).await.unwrap();
    kv.set("list", "1|a,b", ttl).await.unwrap();
    kv.set("item:a", "10", ttl).await.unwrap();
    let read = kv.versioned_list("v", "list", "item:").await.unwrap();
    assert_eq!(read.version, "1");
    assert_eq!(read.items, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(read.values, vec![Some("10".to_owned()), None]);
    kv.increment("v", ttl).await.unwrap();
    let stale = kv.versioned_list("v", "list", "item:").await.unwrap();
    assert_eq!(
        (stale.version.as_str(), stale.items, stale.values.len()),
        ("2", None, 0)
    );
}
