use reqwest::Method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::Value;
use xodim_server::db::entities::{
    account, activation_code, audit_event, employee, person, position, role_grant,
};
use xodim_tests::fixtures::{PASSWORD, new_pinfl};
use xodim_tests::{TestApp, error_code};

const HEADER: &str = "pinfl,last_name_latn,first_name_latn,patronymic_latn,last_name_cyrl,first_name_cyrl,patronymic_cyrl,birth_date,tabel_no,hire_date,position_code,login,locale";

async fn upload(app: &TestApp, token: &str, csv: String) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/admin/employees/import", token)
        .header("content-type", "text/csv")
        .header("accept-language", "uz-Cyrl")
        .body(csv)
        .send()
        .await
        .unwrap()
}

async fn employees_in(app: &TestApp, token: &str, unit: uuid::Uuid) -> usize {
    let page: Value = app
        .get_json(
            &format!("/api/v1/admin/employees?unit={unit}&limit=200"),
            token,
        )
        .await;
    page["items"].as_array().unwrap().len()
}

/// The rows of every table an import writes to, to show that a refused one wrote none.
async fn table_rows(app: &TestApp) -> [(&'static str, u64); 7] {
    let db = &app.state.db;
    [
        ("person", person::Entity::find().count(db).await.unwrap()),
        (
            "employee",
            employee::Entity::find().count(db).await.unwrap(),
        ),
        ("account", account::Entity::find().count(db).await.unwrap()),
        (
            "activation_code",
            activation_code::Entity::find().count(db).await.unwrap(),
        ),
        (
            "role_grant",
            role_grant::Entity::find().count(db).await.unwrap(),
        ),
        (
            "position",
            position::Entity::find().count(db).await.unwrap(),
        ),
        (
            "audit_event",
            audit_event::Entity::find().count(db).await.unwrap(),
        ),
    ]
}

#[tokio::test]
async fn a_clean_file_imports_every_row_with_accounts_that_can_be_activated() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.root, "hr.import").await;
    let hr = app.token("hr.import", PASSWORD).await;
    let (p1, p2) = (app.post(tree.unit_a).await, app.post(tree.unit_b).await);
    let csv = format!(
        "{HEADER}\n{},Qosimov,Anvar,Olimovich,Қосимов,Анвар,Олимович,1990-01-01,2001,2019-09-01,{},a.qosimov,ru\n\
         {},Hamidova,Dilnoza,,Ҳамидова,Дилноза,,1990-01-01,2002,2021-01-15,{},,\n",
        new_pinfl(),
        p1.code,
        new_pinfl(),
        p2.code
    );

    let response = upload(&app, &hr, csv).await;

    assert_eq!(response.status(), 201);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["imported"], 2);
    assert_eq!(report["accounts"][0]["login"], "a.qosimov");
    assert_eq!(employees_in(&app, &hr, tree.unit_a).await, 1);
    let code = report["accounts"][0]["activation_code"].as_str().unwrap();
    let activated = app.request(Method::POST, "/api/v1/auth/activate")
        .json(&serde_json::json!({ "login": "a.qosimov", "code": code, "password": "imported and activated" }))
        .send().await.unwrap();
    assert_eq!(activated.status(), 204);
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_reports_every_bad_row() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.root, "hr.strict").await;
    let hr = app.token("hr.strict", PASSWORD).await;
    let (p1, p2, p3) = (
        app.post(tree.unit_a).await,
        app.post(tree.unit_a).await,
        app.post(tree.unit_a).await,
    );
    let duplicate = new_pinfl();
    let csv = format!(
        "{HEADER}\n{},Yaxshi,Qator,,Яхши,Қатор,,1990-01-01,1,2019-09-01,{},,\n\
         12345,Yomon,Pinfl,,Ёмон,Пинфл,,1990-01-01,2,2019-09-01,{},,\n\
         {duplicate},Birinchi,Nusxa,,Биринчи,Нусха,,1990-01-01,3,2019-09-01,{},,\n\
         {duplicate},Ikkinchi,Nusxa,,Иккинчи,Нусха,,1990-01-01,4,2019-09-01,NO-SUCH-POST,,\n",
        new_pinfl(),
        p1.code,
        p2.code,
        p3.code
    );

    let before = table_rows(&app).await;
    let response = upload(&app, &hr, csv).await;

    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "import_rejected");
    let rows: Vec<(u64, &str)> = body["details"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["code"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, vec![(3, "invalid_pinfl"), (5, "not_found")]);
    let message = body["details"]["rows"][0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        xodim_domain::ErrorCode::InvalidPinfl.message(xodim_domain::Locale::UzCyrl)
    );
    assert_eq!(
        employees_in(&app, &hr, tree.unit_a).await,
        0,
        "nothing was written"
    );
    assert_eq!(table_rows(&app).await, before, "no table gained a row");
}

#[tokio::test]
async fn a_pinfl_twice_in_one_file_is_reported_on_its_second_line() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.root, "hr.dupes").await;
    let hr = app.token("hr.dupes", PASSWORD).await;
    let (p1, p2) = (app.post(tree.unit_a).await, app.post(tree.unit_a).await);
    let pinfl = new_pinfl();
    let csv = format!(
        "{HEADER}\n{pinfl},Bir,Odam,,Бир,Одам,,1990-01-01,1,2019-09-01,{},,\n{pinfl},Bir,Odam,,Бир,Одам,,1990-01-01,2,2019-09-01,{},,\n",
        p1.code, p2.code
    );

    let before = table_rows(&app).await;
    let response = upload(&app, &hr, csv).await;

    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "import_rejected");
    assert_eq!(body["details"]["rows"][0]["line"], 3);
    assert_eq!(body["details"]["rows"][0]["code"], "pinfl_taken");
    assert_eq!(
        table_rows(&app).await,
        before,
        "the first line was not kept either"
    );
}

#[tokio::test]
async fn a_file_that_is_not_the_expected_csv_is_refused_as_a_whole() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.root, "hr.csv").await;
    let hr = app.token("hr.csv", PASSWORD).await;

    let before = table_rows(&app).await;
    let response = upload(&app, &hr, "name,age\nAli,30\n".into()).await;

    assert_eq!(error_code(response, 400).await, "invalid_csv");
    assert_eq!(table_rows(&app).await, before);
}
