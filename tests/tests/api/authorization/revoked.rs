//! Access lasts as long as the grant: once it is revoked, the same session sees nothing of
//! what the grant opened.

use reqwest::Method;
use xodim_domain::Role;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;

use super::cast::shared;

async fn status(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let response = app.authed(Method::GET, path, token).send().await.unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn an_hr_officer_sees_requests_and_evidence_only_until_the_grant_is_revoked() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let request = shared(&app, tree.unit_a, "a").await;
    let officer = app.person(tree.unit_a, "rev.hr", &[]).await;
    let grant = app
        .grant(officer.account, Role::HrOfficer, tree.unit_a)
        .await;
    app.person(tree.root, "rev.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    let hr = app.token("rev.hr", PASSWORD).await;
    let admin = app.token("rev.admin", PASSWORD).await;
    let paths = [
        format!("/api/v1/hr/requests/{}", request.request),
        format!("/api/v1/evidence/{}", request.evidence),
        format!("/api/v1/hr/employees/{}/records", request.subject),
    ];
    for path in &paths {
        assert_eq!(status(&app, &hr, path).await.0, 200, "{path}");
    }

    let revoked = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/admin/role-grants/{grant}"),
            &admin,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);

    assert_eq!(
        status(&app, &hr, &paths[0]).await,
        (403, "forbidden".into())
    );
    assert_eq!(
        status(&app, &hr, &paths[1]).await,
        (404, "not_found".into())
    );
    assert_eq!(
        status(&app, &hr, &paths[2]).await,
        (403, "forbidden".into())
    );
    assert_eq!(
        status(&app, &hr, "/api/v1/hr/requests").await,
        (403, "forbidden".into())
    );
}
