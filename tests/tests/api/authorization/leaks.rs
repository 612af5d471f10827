//! A caller who may not see a target learns nothing from the answer: not its contents, not that
//! it exists. Every route is authorised before versions are compared or input is checked
//! against what is stored, so a stale version, a foreign id and an unknown id answer alike.

use reqwest::Method;
use serde_json::{Value, json};
use xodim_domain::Role;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::records::education;

use super::cast::{Shared, shared};
use super::routes::{Target, UNTARGETED, call, routes, target};

/// Moves the target's item to version 2, so the version 1 the routes send is stale.
async fn make_stale(app: &TestApp, hr: &str, target: &Target) {
    let response = app
        .authed(
            Method::PUT,
            &format!("/api/v1/hr/records/{}", target.record),
            hr,
        )
        .json(&json!({ "version": 1, "fields": education("Samarqand davlat universiteti") }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// What of the target a body must never hold.
fn secrets(target: &Target) -> Vec<String> {
    vec![
        target.employee.to_string(),
        target.account.to_string(),
        target.record.to_string(),
        target.post.to_string(),
        target.pinfl.clone(),
        "Samarqand".to_owned(),
        "target.".to_owned(),
    ]
}

#[tokio::test]
async fn a_caller_without_reach_learns_nothing_about_a_target_even_with_a_stale_version() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.root, "leak.root-hr").await;
    let root_hr = app.token("leak.root-hr", PASSWORD).await;
    let mut callers = Vec::new();
    for (login, role) in [
        ("leak.servant", None),
        ("leak.hr", Some(Role::HrOfficer)),
        ("leak.admin", Some(Role::OrgAdmin)),
        ("leak.auditor", Some(Role::Auditor)),
    ] {
        let grants: Vec<_> = role.map(|r| (r, tree.unit_a)).into_iter().collect();
        app.person(tree.unit_a, login, &grants).await;
        callers.push((login, app.token(login, PASSWORD).await));
    }
    let foreign_shared = shared(&app, tree.unit_b, "b").await;
    let updates_before = app.audit_actions("record.update").await;
    let mut n = 0;
    let mut failures = Vec::new();
    for (login, token) in &callers {
        for route in routes() {
            if UNTARGETED.contains(&route.name) {
                continue;
            }
            n += 1;
            let foreign = target(&app, tree.unit_b, 1000 + n, &foreign_shared).await;
            make_stale(&app, &root_hr, &foreign).await;
            let (status, body) = call(&app, token, &route, &foreign).await;
            let (unknown_status, unknown_body) =
                call(&app, token, &route, &Target::unknown()).await;
            let text = body.to_string();
            let leaked: Vec<String> = secrets(&foreign)
                .into_iter()
                .filter(|secret| text.contains(secret.as_str()))
                .collect();
            if (status, &body) != (unknown_status, &unknown_body) || !leaked.is_empty() {
                failures.push(format!(
                    "{} as {login}: {status} {body} (unknown id: {unknown_status} {unknown_body}; leaked {leaked:?})",
                    route.name
                ));
            }
            if !matches!(status, 403 | 404 | 422) {
                failures.push(format!("{} as {login}: not refused, {status}", route.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        app.audit_actions("record.update").await - updates_before,
        i64::try_from(n).unwrap(),
        "only the staling edits changed an item"
    );
    assert_eq!(app.audit_actions("record.delete").await, 0);
}

#[tokio::test]
async fn a_servant_with_a_stale_version_learns_nothing_about_someone_elses_item() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.root, "stale.hr").await;
    let hr = app.token("stale.hr", PASSWORD).await;
    app.person(tree.unit_a, "stale.servant", &[]).await;
    let servant = app.token("stale.servant", PASSWORD).await;
    let manager = target(&app, tree.unit_a, 1, &Shared::none()).await;
    make_stale(&app, &hr, &manager).await;

    let put = app
        .authed(
            Method::PUT,
            &format!("/api/v1/hr/records/{}", manager.record),
            &servant,
        )
        .json(&json!({ "version": 1, "fields": education("TDIU") }))
        .send()
        .await
        .unwrap();
    let delete = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/hr/records/{}?version=1", manager.record),
            &servant,
        )
        .send()
        .await
        .unwrap();

    for response in [put, delete] {
        assert_eq!(response.status(), 403);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "forbidden");
        assert!(body.get("details").is_none(), "{body}");
        assert!(!body.to_string().contains("Samarqand"), "{body}");
    }
    let item = &app.records_of(&hr, manager.employee).await[0];
    assert_eq!(item["version"], 2, "nothing changed");
    assert_eq!(app.audit_actions("record.update").await, 1);
}

#[tokio::test]
async fn hr_in_scope_with_a_stale_version_is_shown_the_current_item_and_a_change_is_audited() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.unit_a, "stale.hr-a").await;
    let hr = app.token("stale.hr-a", PASSWORD).await;
    let subject = target(&app, tree.unit_a, 1, &Shared::none()).await;
    make_stale(&app, &hr, &subject).await;

    let stale = app
        .authed(
            Method::PUT,
            &format!("/api/v1/hr/records/{}", subject.record),
            &hr,
        )
        .json(&json!({ "version": 1, "fields": education("TDIU") }))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["code"], "version_conflict");
    assert_eq!(body["details"]["version"], 2);
    assert_eq!(
        body["details"]["fields"]["institution"],
        "Samarqand davlat universiteti"
    );
    assert_eq!(app.audit_actions("record.update").await, 1);

    let deleted = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/hr/records/{}?version=2", subject.record),
            &hr,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(app.audit_actions("record.delete").await, 1);
    assert!(app.records_of(&hr, subject.employee).await.is_empty());
}
