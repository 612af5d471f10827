//! An organisation never loses its last administrator: not by an admin disabling themself, not
//! by disabling or revoking the last one, not by two admins removing each other at once.

use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::Role;
use xodim_tests::TestApp;
use xodim_tests::fixtures::{PASSWORD, Person};

struct Office {
    app: TestApp,
    first: Person,
    second: Person,
    first_token: String,
    second_token: String,
    auditor_token: String,
}

async fn office() -> Office {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let first = app
        .person(tree.unit_a, "keep.first", &[(Role::OrgAdmin, tree.root)])
        .await;
    let second = app
        .person(tree.unit_b, "keep.second", &[(Role::OrgAdmin, tree.root)])
        .await;
    app.person(tree.root, "keep.auditor", &[(Role::Auditor, tree.root)])
        .await;
    let auditor_token = app.token("keep.auditor", PASSWORD).await;
    let first_token = app.token("keep.first", PASSWORD).await;
    let second_token = app.token("keep.second", PASSWORD).await;
    Office {
        app,
        first,
        second,
        first_token,
        second_token,
        auditor_token,
    }
}

async fn disable(app: &TestApp, token: &str, account: Uuid, lang: &str) -> (u16, Value) {
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/admin/accounts/{account}/disable"),
            token,
        )
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn revoke(app: &TestApp, token: &str, grant: Uuid) -> (u16, Value) {
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/admin/role-grants/{grant}"),
            token,
        )
        .header("Accept-Language", "ru")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn org_admin_grant(app: &TestApp, token: &str, account: Uuid) -> Uuid {
    let grants: Value = app
        .get_json(&format!("/api/v1/admin/accounts/{account}/grants"), token)
        .await;
    let found = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["role"] == "org_admin");
    found.unwrap()["id"].as_str().unwrap().parse().unwrap()
}

async fn disabled(app: &TestApp, token: &str, account: Uuid) -> bool {
    let view: Value = app
        .get_json(&format!("/api/v1/admin/accounts/{account}"), token)
        .await;
    view["disabled"].as_bool().unwrap()
}

#[tokio::test]
async fn an_org_admin_cannot_disable_their_own_account() {
    let o = office().await;

    let (status, body) = disable(&o.app, &o.first_token, o.first.account, "uz-Cyrl").await;

    assert_eq!(status, 409);
    assert_eq!(body["code"], "own_account");
    assert_eq!(body["message"], "Ўз ҳисобингизни блоклай олмайсиз.");
    assert!(!disabled(&o.app, &o.auditor_token, o.first.account).await);
}

#[tokio::test]
async fn the_last_active_org_admin_can_be_neither_disabled_nor_stripped_of_the_role() {
    let o = office().await;
    let (status, body) = disable(&o.app, &o.first_token, o.second.account, "en").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["disabled"], true);
    assert!(disabled(&o.app, &o.auditor_token, o.second.account).await);
    let own_grant = org_admin_grant(&o.app, &o.first_token, o.first.account).await;

    let (status, body) = revoke(&o.app, &o.first_token, own_grant).await;

    assert_eq!(status, 409);
    assert_eq!(body["code"], "last_org_admin");
    assert_eq!(
        body["message"],
        "Это последний активный администратор организации. Сначала назначьте другого."
    );
    assert_eq!(
        org_admin_grant(&o.app, &o.first_token, o.first.account).await,
        own_grant
    );
    let second_grant = org_admin_grant(&o.app, &o.first_token, o.second.account).await;
    let (status, _) = revoke(&o.app, &o.first_token, second_grant).await;
    assert_eq!(status, 204, "a disabled admin's grant may go");
}

#[tokio::test]
async fn two_admins_disabling_each_other_at_once_leave_one_of_them_active() {
    let o = office().await;

    let (a, b) = tokio::join!(
        disable(&o.app, &o.first_token, o.second.account, "en"),
        disable(&o.app, &o.second_token, o.first.account, "en"),
    );

    // The loser is refused as the last admin, or, when the winner was quicker still, finds its
    // own session ended by the disabling.
    let (won, lost) = if a.0 == 200 { (&a, &b) } else { (&b, &a) };
    assert_eq!(won.0, 200, "{a:?} {b:?}");
    assert!(
        matches!(
            (lost.0, lost.1["code"].as_str()),
            (409, Some("last_org_admin")) | (401, Some("token_revoked"))
        ),
        "{a:?} {b:?}"
    );
    let first_disabled = disabled(&o.app, &o.auditor_token, o.first.account).await;
    let second_disabled = disabled(&o.app, &o.auditor_token, o.second.account).await;
    assert!(
        first_disabled != second_disabled,
        "exactly one was disabled"
    );
}

#[tokio::test]
async fn two_admins_revoking_each_others_role_at_once_leave_one_of_them_an_admin() {
    let o = office().await;
    let first_grant = org_admin_grant(&o.app, &o.first_token, o.first.account).await;
    let second_grant = org_admin_grant(&o.app, &o.first_token, o.second.account).await;

    let (a, b) = tokio::join!(
        revoke(&o.app, &o.first_token, second_grant),
        revoke(&o.app, &o.second_token, first_grant),
    );

    // The loser is refused as the last admin, or, when the winner was quicker still, no
    // longer holds a role that may revoke at all.
    let (won, lost) = if a.0 == 204 { (&a, &b) } else { (&b, &a) };
    assert_eq!(won.0, 204, "{a:?} {b:?}");
    assert!(
        matches!(
            (lost.0, lost.1["code"].as_str()),
            (409, Some("last_org_admin")) | (403, Some("forbidden"))
        ),
        "{a:?} {b:?}"
    );
    let left = [
        grant_count(&o.app, &o.auditor_token, o.first.account).await,
        grant_count(&o.app, &o.auditor_token, o.second.account).await,
    ];
    assert_eq!(
        left.iter().sum::<usize>(),
        1,
        "one org admin grant is left: {left:?}"
    );
}

async fn grant_count(app: &TestApp, token: &str, account: Uuid) -> usize {
    let grants: Value = app
        .get_json(&format!("/api/v1/admin/accounts/{account}/grants"), token)
        .await;
    grants
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["role"] == "org_admin")
        .count()
}
