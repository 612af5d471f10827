use reqwest::Method;
use serde_json::{Value, json};
use xodim_domain::{ErrorCode, Locale, Role};
use xodim_tests::fixtures::{PASSWORD, Tree};
use xodim_tests::{TestApp, error_code};

async fn admin_app() -> (TestApp, Tree, String) {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.root, "err.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    let token = app.token("err.admin", PASSWORD).await;
    (app, tree, token)
}

#[tokio::test]
async fn malformed_json_is_refused_with_invalid_json() {
    let app = TestApp::spawn().await;

    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "application/json")
        .body("{\"login\": \"x\", ")
        .send()
        .await
        .unwrap();

    assert_eq!(error_code(response, 400).await, "invalid_json");
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_named_in_the_error() {
    let app = TestApp::spawn().await;

    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "login": 42, "password": "x" }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "invalid_field");
    assert!(
        body["detail"].as_str().unwrap().contains("invalid type"),
        "{body}"
    );
}

#[tokio::test]
async fn a_missing_field_is_named_in_the_error() {
    let app = TestApp::spawn().await;

    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "login": "someone" }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "missing_field");
    assert!(body["detail"].as_str().unwrap().contains("password"));
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read() {
    let app = TestApp::spawn_with(|s| s.max_json_bytes = 1024).await;

    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "login": "x".repeat(4096), "password": "x" }))
        .send()
        .await
        .unwrap();

    assert_eq!(error_code(response, 413).await, "body_too_large");
}

#[tokio::test]
async fn a_json_body_sent_as_text_is_refused_with_the_media_type() {
    let app = TestApp::spawn().await;

    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "text/plain")
        .body(r#"{"login":"a","password":"b"}"#)
        .send()
        .await
        .unwrap();

    assert_eq!(error_code(response, 415).await, "unsupported_media_type");
}

#[tokio::test]
async fn a_bad_pinfl_is_refused_with_its_own_code() {
    let (app, tree, token) = admin_app().await;
    let post = app.post(tree.unit_a).await;

    let response = app
        .authed(Method::POST, "/api/v1/admin/employees", &token)
        .json(&json!({
            "pinfl": "1234567890123",
            "name_latn": { "last": "Karimov", "first": "Aziz" },
            "name_cyrl": { "last": "Каримов", "first": "Азиз" },
            "birth_date": "1990-01-01", "tabel_no": "77", "hire_date": "2015-01-01",
            "position_id": post.id
        }))
        .send()
        .await
        .unwrap();

    assert_eq!(error_code(response, 400).await, "invalid_pinfl");
}

#[tokio::test]
async fn bad_paging_is_refused() {
    let (app, _, token) = admin_app().await;

    for query in ["limit=0", "limit=1000", "limit=ten", "after=not-a-uuid"] {
        let response = app
            .authed(
                Method::GET,
                &format!("/api/v1/admin/employees?{query}"),
                &token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(response, 400).await,
            "invalid_paging",
            "for {query}"
        );
    }
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_told_apart() {
    let (app, _, token) = admin_app().await;

    let unknown = app
        .authed(
            Method::GET,
            &format!("/api/v1/admin/employees/{}", uuid::Uuid::now_v7()),
            &token,
        )
        .send()
        .await
        .unwrap();
    let malformed = app
        .authed(Method::GET, "/api/v1/admin/employees/42", &token)
        .send()
        .await
        .unwrap();

    assert_eq!(error_code(unknown, 404).await, "not_found");
    assert_eq!(error_code(malformed, 400).await, "invalid_id");
}

#[tokio::test]
async fn an_unknown_route_answers_with_a_code() {
    let app = TestApp::spawn().await;

    let response = app
        .request(Method::GET, "/api/v1/no-such-thing")
        .send()
        .await
        .unwrap();

    assert_eq!(error_code(response, 404).await, "route_not_found");
}

#[tokio::test]
async fn error_messages_follow_accept_language_in_all_four_languages() {
    let app = TestApp::spawn().await;
    let cases = [
        ("uz-Latn", Locale::UzLatn),
        ("uz-Cyrl", Locale::UzCyrl),
        ("ru", Locale::Ru),
        ("en-GB,en;q=0.8", Locale::En),
        ("fr", Locale::UzLatn),
    ];
    for (header, locale) in cases {
        let response = app
            .request(Method::GET, "/api/v1/me")
            .header("Accept-Language", header)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-language"], locale.tag());
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["message"],
            ErrorCode::Unauthenticated.message(locale),
            "for {header}"
        );
    }
}

#[tokio::test]
async fn a_wrong_method_on_a_known_route_is_405_with_the_methods_it_answers() {
    let app = TestApp::spawn().await;

    let me = app
        .request(Method::DELETE, "/api/v1/me")
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    let record = app
        .request(
            Method::GET,
            &format!("/api/v1/hr/records/{}", uuid::Uuid::now_v7()),
        )
        .send()
        .await
        .unwrap();

    assert_eq!(me.status(), 405);
    assert_eq!(me.headers()["allow"], "GET, PATCH");
    let body: Value = me.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
    assert_eq!(
        body["message"],
        ErrorCode::MethodNotAllowed.message(Locale::En)
    );
    let tree = app.tree().await;
    app.person(tree.unit_a, "err.method", &[]).await;
    let token = app.token("err.method", PASSWORD).await;
    let import = app
        .authed(Method::PUT, "/api/v1/hr/records/import", &token)
        .json(&json!({ "version": 1, "fields": {} }))
        .send()
        .await
        .unwrap();

    assert_eq!(record.status(), 405);
    assert_eq!(record.headers()["allow"], "DELETE, PUT");
    assert_eq!(error_code(record, 405).await, "method_not_allowed");
    assert_eq!(import.headers()["allow"], "POST");
    assert_eq!(error_code(import, 405).await, "method_not_allowed");
}

#[tokio::test]
async fn an_unknown_path_stays_404_whatever_the_method() {
    let app = TestApp::spawn().await;

    let response = app
        .request(Method::DELETE, "/api/v1/no-such-thing")
        .send()
        .await
        .unwrap();

    assert!(response.headers().get("allow").is_none());
    assert_eq!(error_code(response, 404).await, "route_not_found");
}

#[tokio::test]
async fn an_oversized_url_gets_the_usual_error_body() {
    let app = TestApp::spawn().await;

    let response = app
        .request(
            Method::GET,
            &format!("/api/v1/admin/employees?after={}", "a".repeat(20_000)),
        )
        .header("Accept-Language", "ru")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 414);
    assert_eq!(response.headers()["content-language"], "ru");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "url_too_long");
    assert_eq!(body["message"], ErrorCode::UrlTooLong.message(Locale::Ru));
    assert!(!body["detail"].as_str().unwrap().contains("aaaa"), "{body}");
}

#[tokio::test]
async fn an_error_detail_never_echoes_unbounded_input() {
    let app = TestApp::spawn().await;
    let long = "ж".repeat(20_000);

    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "login": "someone", "password": "x", "device": {
            "installation_id": uuid::Uuid::now_v7(), "platform": long } }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.chars().count() <= 201, "{} characters", detail.len());
    assert!(detail.ends_with('…'), "{detail}");
}

#[tokio::test]
async fn an_evidence_upload_a_few_bytes_over_the_limit_is_evidence_too_large() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "err.uploader", &[]).await;
    let token = app.token("err.uploader", PASSWORD).await;
    let mut file = b"%PDF-1.7\n".to_vec();
    file.resize(xodim_domain::records::MAX_EVIDENCE_BYTES + 7, b'x');

    let response = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{}", "ab".repeat(32)),
            &token,
        )
        .header("content-type", "application/pdf")
        .header("Accept-Language", "en")
        .body(file)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "evidence_too_large");
    assert_eq!(
        body["message"],
        ErrorCode::EvidenceTooLarge.message(Locale::En)
    );
}
