use serde_json::Value;
use xodim_server::auth::password;
use xodim_server::demo::seed_if_empty;
use xodim_tests::TestApp;

#[tokio::test]
async fn the_demo_ministry_lets_every_demo_login_sign_in_once_seeded() {
    let app = TestApp::spawn().await;
    let hash = password::hash("demo password 1".into()).await.unwrap();
    let today = chrono::Utc::now().date_naive();

    let accounts = seed_if_empty(&app.state.db, &hash, today)
        .await
        .unwrap()
        .unwrap();
    let again = seed_if_empty(&app.state.db, &hash, today).await.unwrap();

    assert!(again.is_none(), "a second seed leaves the data alone");
    let logins: Vec<&str> = accounts.iter().map(|a| a.login.as_str()).collect();
    for login in ["demo-admin", "demo-hr", "demo-manager", "demo-servant"] {
        assert!(logins.contains(&login), "{login} missing");
    }
    let servant = app.token("demo-servant", "demo password 1").await;
    let me: Value = app.get_json("/api/v1/me", &servant).await;
    let manager = app.token("demo-manager", "demo password 1").await;
    let manager_me: Value = app.get_json("/api/v1/me", &manager).await;
    assert_eq!(me["manager"]["employee_id"], manager_me["employee"]["id"]);
    let roles: Vec<&str> = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["servant"],
        "an explicit grant equal to the implied one shows once"
    );
    let hr = app.token("demo-hr", "demo password 1").await;
    let staff: Value = app.get_json("/api/v1/admin/employees?limit=200", &hr).await;
    assert!(
        staff["items"].as_array().unwrap().len() >= 40,
        "the ministry has its staff"
    );
}
