//! Personnel files through the HR API: who may read and change them, and how changes reach the
//! servant's phone.

use reqwest::Method;
use serde_json::{Value, json};
use xodim_domain::records::{RequestAddress, Section};
use xodim_domain::sync::IntentStatus;
use xodim_tests::TestApp;
use xodim_tests::fixtures::{PASSWORD, Person, Tree};
use xodim_tests::records::{education, relative};

struct Staff {
    app: TestApp,
    tree: Tree,
    servant: Person,
}

async fn staff() -> Staff {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.manager(tree.unit_a, "r.manager").await;
    let servant = app.person(tree.unit_a, "r.servant", &[]).await;
    app.hr_officer(tree.root, "r.hr").await;
    app.hr_officer(tree.unit_b, "r.hr-b").await;
    app.record(servant.employee, Section::Education, education("TDIU"))
        .await;
    app.record(
        servant.employee,
        Section::Relative,
        relative("Karimova Dilbar"),
    )
    .await;
    Staff { app, tree, servant }
}

async fn read(app: &TestApp, login: &str, employee: uuid::Uuid) -> reqwest::Response {
    let token = app.token(login, PASSWORD).await;
    app.authed(
        Method::GET,
        &format!("/api/v1/hr/employees/{employee}/records"),
        &token,
    )
    .header("Accept-Language", "uz-Cyrl")
    .send()
    .await
    .unwrap()
}

#[tokio::test]
async fn an_hr_officer_reads_the_file_of_someone_in_their_subtree_and_the_read_of_relatives_is_audited()
 {
    let s = staff().await;
    let response = read(&s.app, "r.hr", s.servant.employee).await;
    assert_eq!(response.status(), 200);
    let items: Vec<Value> = response.json().await.unwrap();
    let sections: Vec<&str> = items
        .iter()
        .map(|i| i["section"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["education", "relative"]);
    let reads = s.app.audit_actions("record.read_relatives").await;
    assert_eq!(reads, 1);
}

#[tokio::test]
async fn a_servant_asking_for_another_servants_file_is_refused() {
    let s = staff().await;
    s.app.person(s.tree.unit_a, "r.colleague", &[]).await;
    let response = read(&s.app, "r.colleague", s.servant.employee).await;
    assert_eq!(xodim_tests::error_code(response, 403).await, "forbidden");
}

#[tokio::test]
async fn a_manager_never_sees_a_subordinates_relatives() {
    let s = staff().await;
    let response = read(&s.app, "r.manager", s.servant.employee).await;
    assert_eq!(xodim_tests::error_code(response, 403).await, "forbidden");
    assert_eq!(s.app.audit_actions("record.read_relatives").await, 0);
}

#[tokio::test]
async fn an_hr_officer_outside_the_subtree_is_answered_as_if_the_file_did_not_exist() {
    let s = staff().await;
    let foreign = read(&s.app, "r.hr-b", s.servant.employee).await;
    assert_eq!(foreign.status(), 404);
    let foreign: serde_json::Value = foreign.json().await.unwrap();
    let unknown = read(&s.app, "r.hr-b", uuid::Uuid::now_v7()).await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(foreign["code"], "not_found");
    assert_eq!(foreign, unknown.json::<serde_json::Value>().await.unwrap());
}

#[tokio::test]
async fn hr_adds_changes_and_deletes_items_guarded_by_the_version_seen() {
    let s = staff().await;
    let token = s.app.token("r.hr", PASSWORD).await;
    let created = s
        .app
        .authed(Method::POST, &format!("/api/v1/hr/employees/{}/records", s.servant.employee), &token)
        .json(&json!({ "section": "knowledge_test", "fields": {
            "kind": "attestation", "taken_at": "2026-03-01", "score": 82, "max_score": 100, "passed": true
        }}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let item: Value = created.json().await.unwrap();
    assert_eq!(
        (item["version"].as_i64(), item["source"].as_str()),
        (Some(1), Some("hr"))
    );
    let path = format!("/api/v1/hr/records/{}", item["id"].as_str().unwrap());
    let fields = json!({ "kind": "attestation", "taken_at": "2026-03-01", "score": 85, "max_score": 100, "passed": true });
    let changed = s
        .app
        .authed(Method::PUT, &path, &token)
        .json(&json!({ "version": 1, "fields": fields }))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let stale = s
        .app
        .authed(Method::PUT, &path, &token)
        .json(&json!({ "version": 1, "fields": fields }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        xodim_tests::error_code(stale, 409).await,
        "version_conflict"
    );
    let deleted = s
        .app
        .authed(Method::DELETE, &format!("{path}?version=2"), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let left = s.app.records_of(&token, s.servant.employee).await;
    assert_eq!(
        left.len(),
        2,
        "the test result is gone, the seeded items stay"
    );
}

#[tokio::test]
async fn an_invalid_item_is_refused_with_a_code_and_a_message_in_the_callers_language() {
    let s = staff().await;
    let token = s.app.token("r.hr", PASSWORD).await;
    let response = s
        .app
        .authed(Method::POST, &format!("/api/v1/hr/employees/{}/records", s.servant.employee), &token)
        .header("Accept-Language", "ru")
        .json(&json!({ "section": "education", "fields": { "institution": "TDIU", "level": "bachelor", "start_year": 2012, "end_year": 2008 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["details"]["field"].as_str()),
        (Some("invalid_date"), Some("end_year")),
        "a graduation before the start is a date error of the end year"
    );
    assert_eq!(
        body["message"],
        xodim_domain::ErrorCode::InvalidDate.message(xodim_domain::Locale::Ru)
    );
}

#[tokio::test]
async fn the_servant_pulls_their_whole_file_and_a_deletion_removes_the_item() {
    let s = staff().await;
    let token = s.app.token("r.servant", PASSWORD).await;
    let page = s.app.pull(&token, "").await;
    let records: Vec<&Value> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "record")
        .collect();
    assert_eq!(records.len(), 2);
    let hr = s.app.token("r.hr", PASSWORD).await;
    let relative = records
        .iter()
        .find(|c| c["data"]["section"] == "relative")
        .unwrap();
    let id = relative["id"].as_str().unwrap();
    let deleted = s
        .app
        .authed(
            Method::DELETE,
            &format!("/api/v1/hr/records/{id}?version=1"),
            &hr,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let next = s.app.pull(&token, page["cursor"].as_str().unwrap()).await;
    let removal = next["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == json!(id))
        .unwrap();
    assert_eq!(removal["data"], Value::Null);
}

#[tokio::test]
async fn hr_reading_a_request_about_a_relative_is_audited_too() {
    let s = staff().await;
    let servant = s.app.token("r.servant", PASSWORD).await;
    let hr = s.app.token("r.hr", PASSWORD).await;
    let mother = s
        .app
        .record(
            s.servant.employee,
            Section::Relative,
            relative("Karimova Dilbar"),
        )
        .await;
    let request = uuid::Uuid::now_v7();
    let outcome = s
        .app
        .intent(
            &servant,
            "correction.submit",
            RequestAddress(request),
            json!({
                "section": "relative", "op": "edit", "record_id": mother.id, "base_version": 1,
                "proposed": relative("Karimova Dilnoza"), "reason": "Passport spelling"
            }),
        )
        .await;
    assert_eq!(outcome.status, IntentStatus::Applied);
    let before = s.app.audit_actions("record.read_relatives").await;
    let view = s.app.request_view(&hr, request).await;
    assert_eq!(view["proposed"]["fields"]["full_name"], "Karimova Dilnoza");
    assert_eq!(
        s.app.audit_actions("record.read_relatives").await,
        before + 1
    );
}
