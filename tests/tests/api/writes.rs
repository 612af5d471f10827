//! The profile and admin routes that change or remove what exists: what they answer and what
//! they leave stored.

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::Role;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;

async fn send(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let request = app
        .authed(method, path, token)
        .header("Accept-Language", "en");
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_servant_changes_the_language_of_their_account_and_an_unknown_one_changes_nothing() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "w.servant", &[]).await;
    let token = app.token("w.servant", PASSWORD).await;

    let (saved, _) = send(
        &app,
        &token,
        Method::PATCH,
        "/api/v1/me",
        Some(json!({ "locale": "ru" })),
    )
    .await;
    let (refused, body) = send(
        &app,
        &token,
        Method::PATCH,
        "/api/v1/me",
        Some(json!({ "locale": "xx" })),
    )
    .await;
    let (_, me) = send(&app, &token, Method::GET, "/api/v1/me", None).await;

    assert_eq!(saved, 204);
    assert_eq!(
        (refused, body["code"].as_str()),
        (400, Some("invalid_locale"))
    );
    assert_eq!(me["account"]["locale"], "ru");
}

#[tokio::test]
async fn patching_a_unit_changes_what_was_sent_keeps_the_rest_and_takes_a_head_only_from_its_own_posts()
 {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.root, "w.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    let token = app.token("w.admin", PASSWORD).await;
    let own_post = app.post(tree.unit_a).await;
    let other_post = app.post(tree.unit_b).await;
    let path = format!("/api/v1/admin/org-units/{}", tree.unit_a);
    let (_, before) = send(&app, &token, Method::GET, &path, None).await;

    let (status, renamed) = send(&app, &token, Method::PATCH, &path,
        Some(json!({ "name": { "uz_latn": "Yangi boʻlim", "ru": "Новый отдел" }, "head_position_id": own_post.id }))).await;
    let (refused, body) = send(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({ "head_position_id": other_post.id })),
    )
    .await;
    let (_, stored) = send(&app, &token, Method::GET, &path, None).await;

    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["name"]["uz_latn"], "Yangi boʻlim");
    assert_eq!(renamed["name"]["ru"], "Новый отдел");
    assert_eq!(renamed["code"], before["code"]);
    assert_eq!(renamed["head_position_id"], own_post.id.to_string());
    assert_eq!(
        (refused, body["code"].as_str()),
        (400, Some("invalid_field"))
    );
    assert_eq!(
        stored, renamed,
        "the refused change left the unit as it was"
    );
}

#[tokio::test]
async fn patching_a_post_changes_its_category_and_keeps_its_title() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.root, "w.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    let token = app.token("w.admin", PASSWORD).await;
    let post = app.post(tree.unit_a).await;
    let path = format!("/api/v1/admin/positions/{}", post.id);
    let (_, before) = send(&app, &token, Method::GET, &path, None).await;

    let (status, changed) = send(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({ "category": "deputy_or_central_staff", "civil_service": false })),
    )
    .await;
    let (refused, body) = send(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({ "category": "king" })),
    )
    .await;
    let (_, stored) = send(&app, &token, Method::GET, &path, None).await;

    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["category"], "deputy_or_central_staff");
    assert_eq!(changed["civil_service"], false);
    assert_eq!(changed["title"], before["title"]);
    assert_eq!(refused, 400, "{body}");
    assert_eq!(stored, changed);
}

#[tokio::test]
async fn revoking_a_grant_removes_it_from_the_account_and_a_second_revocation_finds_nothing() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.root, "w.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    let token = app.token("w.admin", PASSWORD).await;
    let holder = app.person(tree.unit_a, "w.holder", &[]).await;
    let grant = app.grant(holder.account, Role::Auditor, tree.unit_a).await;
    let kept = app
        .grant(holder.account, Role::HrOfficer, tree.unit_a)
        .await;
    let path = format!("/api/v1/admin/role-grants/{grant}");

    let (status, _) = send(&app, &token, Method::DELETE, &path, None).await;
    let (again, body) = send(&app, &token, Method::DELETE, &path, None).await;
    let (_, unknown) = send(
        &app,
        &token,
        Method::DELETE,
        &format!("/api/v1/admin/role-grants/{}", Uuid::now_v7()),
        None,
    )
    .await;
    let (_, left) = send(
        &app,
        &token,
        Method::GET,
        &format!("/api/v1/admin/accounts/{}/grants", holder.account),
        None,
    )
    .await;

    assert_eq!(status, 204);
    assert_eq!((again, body["code"].as_str()), (404, Some("not_found")));
    assert_eq!(body, unknown);
    let ids: Vec<&str> = left
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["id"].as_str())
        .collect();
    assert_eq!(ids, [kept.to_string()]);
}
