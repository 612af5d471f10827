use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::Role;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::{TestApp, error_code};

#[tokio::test]
async fn a_servant_signs_in_by_login_and_sees_their_profile() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "a.karimov", &[]).await;

    let token = app.token("a.karimov", PASSWORD).await;
    let me: Value = app
        .authed(Method::GET, "/api/v1/me", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(me["account"]["login"], "a.karimov");
    assert_eq!(me["employee"]["person"]["pinfl"], servant.pinfl);
    assert_eq!(
        me["employee"]["position"]["title"]["ru"],
        "Главный специалист"
    );
    assert_eq!(me["unit"]["id"], tree.unit_a.to_string());
    assert_eq!(me["organization"]["name"]["en"], "Ministry of Testing");
    assert_eq!(me["roles"][0]["role"], "servant");
}

#[tokio::test]
async fn a_servant_can_sign_in_with_their_pinfl() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "b.aliyev", &[]).await;

    let response = app.login(&servant.pinfl, PASSWORD).await;

    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn the_manager_of_a_servant_is_the_head_of_their_unit() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let head = app.person(tree.unit_a, "head.a", &[]).await;
    app.make_head(tree.unit_a, head.position).await;
    app.person(tree.unit_a, "servant.a", &[]).await;

    let token = app.token("servant.a", PASSWORD).await;
    let me: Value = app
        .authed(Method::GET, "/api/v1/me", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let head_token = app.token("head.a", PASSWORD).await;
    let head_me: Value = app
        .authed(Method::GET, "/api/v1/me", &head_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(me["manager"]["employee_id"], head.employee.to_string());
    assert_eq!(me["manager"]["full_name_latn"], "Testov Ali Valiyevich");
    let roles: Vec<&str> = head_me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"manager"),
        "the head manages the unit: {roles:?}"
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_the_language_asked_for() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "c.rahimov", &[]).await;

    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5")
        .json(&json!({ "login": "c.rahimov", "password": "not the password" }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "invalid_credentials");
    assert_eq!(
        body["message"],
        xodim_domain::ErrorCode::InvalidCredentials.message(xodim_domain::Locale::Ru)
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('а'..='я').contains(&c))
    );
}

#[tokio::test]
async fn an_unknown_login_gets_the_same_answer_as_a_wrong_password() {
    let app = TestApp::spawn().await;

    let response = app.login("nobody.here", PASSWORD).await;

    assert_eq!(error_code(response, 401).await, "invalid_credentials");
}

#[tokio::test]
async fn repeated_wrong_passwords_are_rate_limited_until_the_window_passes() {
    let app = TestApp::spawn_with(|s| {
        s.login_attempts_per_account = 3;
        s.login_window_secs = 2;
    })
    .await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "d.usmonov", &[]).await;

    for _ in 0..3 {
        assert_eq!(
            error_code(app.login("d.usmonov", "wrong password").await, 401).await,
            "invalid_credentials"
        );
    }
    let limited = app.login("d.usmonov", PASSWORD).await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(error_code(limited, 429).await, "rate_limited");

    tokio::time::sleep(std::time::Duration::from_millis(2200)).await;
    assert_eq!(app.login("d.usmonov", PASSWORD).await.status(), 200);
}

async fn tokens(app: &TestApp, login: &str) -> Value {
    app.login(login, PASSWORD).await.json().await.unwrap()
}

async fn refresh(app: &TestApp, token: &Value) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/auth/refresh")
        .json(&json!({ "refresh_token": token }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_refresh_token_gives_a_new_pair_once() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "e.nazarov", &[]).await;
    let first = tokens(&app, "e.nazarov").await;

    let second: Value = refresh(&app, &first["refresh_token"])
        .await
        .json()
        .await
        .unwrap();

    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(second["session_id"], first["session_id"]);
    let me = app
        .authed(
            Method::GET,
            "/api/v1/me",
            second["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_ends_the_whole_device_session() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "f.tursunov", &[]).await;
    let stolen = tokens(&app, "f.tursunov").await;
    let second: Value = refresh(&app, &stolen["refresh_token"])
        .await
        .json()
        .await
        .unwrap();
    let third: Value = refresh(&app, &second["refresh_token"])
        .await
        .json()
        .await
        .unwrap();

    let replay = refresh(&app, &stolen["refresh_token"]).await;

    assert_eq!(error_code(replay, 401).await, "refresh_token_reused");
    let owner = refresh(&app, &third["refresh_token"]).await;
    assert_eq!(error_code(owner, 401).await, "refresh_token_invalid");
    let me = app
        .authed(
            Method::GET,
            "/api/v1/me",
            third["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(me, 401).await, "token_revoked");
}

#[tokio::test]
async fn a_refresh_retried_after_its_answer_was_lost_keeps_the_phone_signed_in() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "lost.refresh", &[]).await;
    let first = tokens(&app, "lost.refresh").await;
    let never_arrived: Value = refresh(&app, &first["refresh_token"])
        .await
        .json()
        .await
        .unwrap();

    let retried = refresh(&app, &first["refresh_token"]).await;

    assert_eq!(retried.status(), 200);
    let retried: Value = retried.json().await.unwrap();
    assert_eq!(refresh(&app, &retried["refresh_token"]).await.status(), 200);
    let copy = refresh(&app, &never_arrived["refresh_token"]).await;
    assert_eq!(
        error_code(copy, 401).await,
        "refresh_token_reused",
        "the unseen token can never be used"
    );
}

#[tokio::test]
async fn logout_ends_the_session_on_that_device_only() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "g.ergashev", &[]).await;
    let phone = tokens(&app, "g.ergashev").await;
    let tablet = tokens(&app, "g.ergashev").await;
    let phone_access = phone["access_token"].as_str().unwrap();

    let out = app
        .authed(Method::POST, "/api/v1/auth/logout", phone_access)
        .send()
        .await
        .unwrap();

    assert_eq!(out.status(), 204);
    assert_eq!(
        error_code(
            app.authed(Method::GET, "/api/v1/me", phone_access)
                .send()
                .await
                .unwrap(),
            401
        )
        .await,
        "token_revoked"
    );
    assert_eq!(
        error_code(refresh(&app, &phone["refresh_token"]).await, 401).await,
        "refresh_token_invalid"
    );
    let tablet_me = app
        .authed(
            Method::GET,
            "/api/v1/me",
            tablet["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(tablet_me.status(), 200);
}

#[tokio::test]
async fn signing_in_again_on_the_same_device_replaces_its_session() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "h.qodirov", &[]).await;
    let device = json!({ "installation_id": Uuid::new_v4(), "platform": "ios" });
    let sign_in = || async {
        let response = app
            .request(Method::POST, "/api/v1/auth/login")
            .json(&json!({ "login": "h.qodirov", "password": PASSWORD, "device": device }))
            .send()
            .await
            .unwrap();
        response.json::<Value>().await.unwrap()
    };
    let old = sign_in().await;
    let new = sign_in().await;

    assert_ne!(old["session_id"], new["session_id"]);
    assert_eq!(
        error_code(refresh(&app, &old["refresh_token"]).await, 401).await,
        "refresh_token_invalid"
    );
}

#[tokio::test]
async fn an_employee_sets_the_first_password_with_the_code_from_the_administrator() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.root, "admin.one", &[(Role::OrgAdmin, tree.root)])
        .await;
    let newcomer = app.person(tree.unit_a, "newcomer", &[]).await;
    let admin = app.token("admin.one", PASSWORD).await;
    let issued: Value = app
        .authed(
            Method::POST,
            &format!(
                "/api/v1/admin/accounts/{}/activation-code",
                newcomer.account
            ),
            &admin,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = issued["code"].as_str().unwrap().to_lowercase();
    let activate = |code: String, password: &'static str| {
        app.request(Method::POST, "/api/v1/auth/activate")
            .json(&json!({ "login": "newcomer", "code": code, "password": password }))
            .send()
    };

    assert_eq!(
        error_code(activate(code.clone(), "short").await.unwrap(), 400).await,
        "weak_password"
    );
    assert_eq!(
        activate(code.clone(), "a brand new password")
            .await
            .unwrap()
            .status(),
        204
    );

    assert_eq!(
        app.login("newcomer", "a brand new password").await.status(),
        200
    );
    assert_eq!(
        error_code(app.login("newcomer", PASSWORD).await, 401).await,
        "invalid_credentials"
    );
    let again = activate(code, "yet another password").await.unwrap();
    assert_eq!(error_code(again, 401).await, "activation_code_invalid");
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_and_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.root, "admin.two", &[(Role::OrgAdmin, tree.root)])
        .await;
    let leaver = app.person(tree.unit_b, "leaver", &[]).await;
    let leaver_token = app.token("leaver", PASSWORD).await;
    let admin = app.token("admin.two", PASSWORD).await;

    let disabled = app
        .authed(
            Method::POST,
            &format!("/api/v1/admin/accounts/{}/disable", leaver.account),
            &admin,
        )
        .send()
        .await
        .unwrap();

    assert_eq!(disabled.status(), 200);
    assert_eq!(
        error_code(
            app.authed(Method::GET, "/api/v1/me", &leaver_token)
                .send()
                .await
                .unwrap(),
            401
        )
        .await,
        "token_revoked"
    );
    assert_eq!(
        error_code(app.login("leaver", PASSWORD).await, 403).await,
        "account_disabled"
    );
}
