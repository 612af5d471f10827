use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{EncodingKey, Header};
use reqwest::Method;
use serde_json::{Value, json};
use xodim_domain::Role;
use xodim_server::auth::sessions::revoked_key;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::{TestApp, error_code};

const SECRET: &str = "the-test-signing-secret-of-this-server";

async fn signed_in() -> (TestApp, Value) {
    let app = TestApp::spawn_with(|s| s.jwt_secret = Some(SECRET.into())).await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "token.owner", &[]).await;
    let tokens: Value = app
        .login("token.owner", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    (app, tokens)
}

fn claims(tokens: &Value, exp_offset: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": tokens["account_id"], "sid": tokens["session_id"], "iat": now - 60,
        "exp": now + exp_offset, "jti": uuid::Uuid::new_v4(), "iss": "xodim"
    })
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn me_with(app: &TestApp, token: &str) -> reqwest::Response {
    app.authed(Method::GET, "/api/v1/me", token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_token_signed_by_the_server_key_is_accepted() {
    let (app, tokens) = signed_in().await;

    let forged_by_us = sign(&claims(&tokens, 600), SECRET);

    assert_eq!(me_with(&app, &forged_by_us).await.status(), 200);
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_refused() {
    let (app, tokens) = signed_in().await;

    let token = sign(&claims(&tokens, 600), "some-other-key");

    assert_eq!(
        error_code(me_with(&app, &token).await, 401).await,
        "token_invalid"
    );
}

#[tokio::test]
async fn an_unsigned_token_with_alg_none_is_refused() {
    let (app, tokens) = signed_in().await;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(&tokens, 600).to_string());

    let token = format!("{header}.{payload}.");

    assert_eq!(
        error_code(me_with(&app, &token).await, 401).await,
        "token_invalid"
    );
}

#[tokio::test]
async fn an_expired_token_is_refused_as_expired() {
    let (app, tokens) = signed_in().await;

    let token = sign(&claims(&tokens, -120), SECRET);

    assert_eq!(
        error_code(me_with(&app, &token).await, 401).await,
        "token_expired"
    );
}

#[tokio::test]
async fn a_token_whose_claims_were_changed_is_refused() {
    let (app, tokens) = signed_in().await;
    let real = tokens["access_token"].as_str().unwrap();
    let parts: Vec<&str> = real.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["sub"] = json!(uuid::Uuid::new_v4());

    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );

    assert_eq!(
        error_code(me_with(&app, &tampered).await, 401).await,
        "token_invalid"
    );
}

#[tokio::test]
async fn a_request_without_a_token_is_asked_to_sign_in() {
    let (app, _) = signed_in().await;

    let response = app.request(Method::GET, "/api/v1/me").send().await.unwrap();

    assert_eq!(error_code(response, 401).await, "unauthenticated");
}

/// Restarts the server on the same database, and forgets the cached revocation of `session`
/// as a Redis that lost its data (or the memory of a new process) would.
async fn restart_forgetting(app: &mut TestApp, session: &Value) {
    app.restart().await;
    let session = uuid::Uuid::parse_str(session.as_str().unwrap()).unwrap();
    app.state.kv.remove(&revoked_key(session)).await.unwrap();
}

#[tokio::test]
async fn a_signed_out_token_stays_refused_after_a_restart() {
    let (mut app, tokens) = signed_in().await;
    let access = tokens["access_token"].as_str().unwrap();
    let out = app
        .authed(Method::POST, "/api/v1/auth/logout", access)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(
        error_code(me_with(&app, access).await, 401).await,
        "token_revoked"
    );

    restart_forgetting(&mut app, &tokens["session_id"]).await;

    assert_eq!(
        error_code(me_with(&app, access).await, 401).await,
        "token_revoked"
    );
}

#[tokio::test]
async fn a_token_of_an_account_disabled_since_stays_refused_after_a_restart() {
    let mut app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.root, "restart.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    app.person(tree.unit_a, "restart.leaver", &[]).await;
    let tokens: Value = app
        .login("restart.leaver", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let admin = app.token("restart.admin", PASSWORD).await;
    let access = tokens["access_token"].as_str().unwrap();
    let disabled = app
        .authed(
            Method::POST,
            &format!(
                "/api/v1/admin/accounts/{}/disable",
                tokens["account_id"].as_str().unwrap()
            ),
            &admin,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);
    assert_eq!(
        error_code(me_with(&app, access).await, 401).await,
        "token_revoked"
    );

    restart_forgetting(&mut app, &tokens["session_id"]).await;

    assert_eq!(
        error_code(me_with(&app, access).await, 401).await,
        "token_revoked"
    );
    let admin_me = me_with(&app, &admin).await;
    assert_eq!(
        admin_me.status(),
        200,
        "other sessions live on after the restart"
    );
}
