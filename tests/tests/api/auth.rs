use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::Role;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::{ManualClock, TestApp, error_code};

#[tokio::test]
async fn a_servant_signs_in_by_login_and_sees_their_profile() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "a.karimov", &[]).await;

    let token = app.token("a.karimov", PASSWORD).await;
    let me: Value = app.get_json("/api/v1/me", &token).await;

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
    app.person(tree.unit_a, "b.other", &[]).await;

    let response = app.login(&servant.pinfl, PASSWORD).await;

    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.unwrap();
    assert_eq!(tokens["account_id"], servant.account.to_string());
    let me: Value = app
        .get_json("/api/v1/me", tokens["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me["account"]["login"], "b.aliyev");
    assert_eq!(me["employee"]["id"], servant.employee.to_string());
    assert_eq!(me["employee"]["person"]["pinfl"], servant.pinfl);
}

#[tokio::test]
async fn the_manager_of_a_servant_is_the_head_of_their_unit() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let head = app.manager(tree.unit_a, "head.a").await;
    app.person(tree.unit_a, "servant.a", &[]).await;

    let token = app.token("servant.a", PASSWORD).await;
    let me: Value = app.get_json("/api/v1/me", &token).await;
    let head_token = app.token("head.a", PASSWORD).await;
    let head_me: Value = app.get_json("/api/v1/me", &head_token).await;

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
    // The clock stands at the start of a 15-minute window and only moves when told.
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
        .unwrap()
        .to_utc();
    let clock = ManualClock::at(start);
    let app = TestApp::spawn_with_clock(|s| s.login_attempts_per_account = 3, clock.clone()).await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "d.usmonov", &[]).await;

    for _ in 0..3 {
        assert_eq!(
            error_code(app.login("d.usmonov", "wrong password").await, 401).await,
            "invalid_credentials"
        );
    }
    clock.advance(chrono::Duration::minutes(10));
    let limited = app.login("d.usmonov", PASSWORD).await;
    assert_eq!(limited.headers()["retry-after"], "300");
    assert_eq!(error_code(limited, 429).await, "rate_limited");

    clock.advance(chrono::Duration::seconds(299));
    assert_eq!(
        error_code(app.login("d.usmonov", PASSWORD).await, 429).await,
        "rate_limited",
        "one second before the window passes"
    );
    clock.advance(chrono::Duration::seconds(1));
    let after = app.login("d.usmonov", PASSWORD).await;
    assert_eq!(after.status(), 200, "the window has passed");
}

#[tokio::test]
async fn sign_ins_by_login_and_by_pinfl_share_one_failure_budget() {
    let app = TestApp::spawn_with(|s| s.login_attempts_per_account = 3).await;
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "budget.one", &[]).await;
    let neighbour = app.person(tree.unit_a, "budget.two", &[]).await;

    for identifier in ["budget.one", servant.pinfl.as_str(), "budget.one"] {
        assert_eq!(
            error_code(app.login(identifier, "wrong password").await, 401).await,
            "invalid_credentials"
        );
    }

    for identifier in ["budget.one", servant.pinfl.as_str()] {
        let limited = app.login(identifier, PASSWORD).await;
        assert!(limited.headers().contains_key("retry-after"));
        assert_eq!(
            error_code(limited, 429).await,
            "rate_limited",
            "{identifier}"
        );
    }
    let other: Value = app
        .login(&neighbour.pinfl, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        other["account_id"],
        neighbour.account.to_string(),
        "another account keeps its own budget"
    );
}

#[tokio::test]
async fn sixteen_parallel_sign_ins_of_one_account_all_succeed() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "many.phones", &[]).await;

    let answers =
        futures_util::future::join_all((0..16).map(|_| app.login("many.phones", PASSWORD))).await;

    let mut sessions = std::collections::HashSet::new();
    for answer in answers {
        assert_eq!(answer.status(), 200);
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["account_id"], servant.account.to_string());
        sessions.insert(body["session_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(sessions.len(), 16, "each device has a session of its own");
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
async fn a_successor_spent_by_a_retry_counts_as_reuse_and_ends_the_session() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "spent.successor", &[]).await;
    let r0 = tokens(&app, "spent.successor").await;
    let r1: Value = refresh(&app, &r0["refresh_token"])
        .await
        .json()
        .await
        .unwrap();

    let retried = refresh(&app, &r0["refresh_token"]).await;
    assert_eq!(retried.status(), 200, "the lost-answer retry works once");
    let r1_again: Value = retried.json().await.unwrap();
    assert_eq!(r1_again["session_id"], r0["session_id"]);
    assert_ne!(r1_again["refresh_token"], r1["refresh_token"]);

    let spent = refresh(&app, &r1["refresh_token"]).await;
    assert_eq!(error_code(spent, 401).await, "refresh_token_reused");
    assert_eq!(
        error_code(refresh(&app, &r1_again["refresh_token"]).await, 401).await,
        "refresh_token_invalid",
        "the whole family is revoked"
    );
    let me = app
        .authed(
            Method::GET,
            "/api/v1/me",
            r1_again["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(me, 401).await, "token_revoked");
}

#[tokio::test]
async fn a_refresh_whose_answers_are_lost_again_and_again_still_ends_with_one_working_token() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "twice.retried", &[]).await;
    let r0 = tokens(&app, "twice.retried").await;
    let mut unseen = Vec::new();
    for _ in 0..3 {
        let lost = refresh(&app, &r0["refresh_token"]).await;
        assert_eq!(lost.status(), 200, "each retry of a lost answer is served");
        unseen.push(lost.json::<Value>().await.unwrap());
    }

    let last = unseen.pop().unwrap();
    let next = refresh(&app, &last["refresh_token"]).await;

    assert_eq!(
        next.status(),
        200,
        "the token of the answer that arrived works"
    );
    let voided = refresh(&app, &unseen[0]["refresh_token"]).await;
    assert_eq!(
        error_code(voided, 401).await,
        "refresh_token_reused",
        "a successor whose answer was lost was never handed out: presenting it is a copy"
    );
}

#[tokio::test]
async fn the_predecessor_presented_after_its_successor_was_spent_counts_as_reuse() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "spent.predecessor", &[]).await;
    let r0 = tokens(&app, "spent.predecessor").await;
    let r1: Value = refresh(&app, &r0["refresh_token"])
        .await
        .json()
        .await
        .unwrap();
    let r2: Value = refresh(&app, &r1["refresh_token"])
        .await
        .json()
        .await
        .unwrap();

    let copy = refresh(&app, &r0["refresh_token"]).await;

    assert_eq!(error_code(copy, 401).await, "refresh_token_reused");
    assert_eq!(
        error_code(refresh(&app, &r2["refresh_token"]).await, 401).await,
        "refresh_token_invalid",
        "the whole family is revoked"
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
