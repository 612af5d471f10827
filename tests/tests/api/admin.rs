use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use xodim_domain::Role;
use xodim_server::db::entities::employee;
use xodim_tests::fixtures::{PASSWORD, new_pinfl};
use xodim_tests::{TestApp, error_code};

async fn send(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> reqwest::Response {
    app.authed(method, path, token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_administrator_builds_a_unit_hires_an_employee_and_the_employee_signs_in() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.root, "org.admin", &[(Role::OrgAdmin, tree.root)])
        .await;
    let admin = app.token("org.admin", PASSWORD).await;

    let unit: Value = send(
        &app,
        &admin,
        Method::POST,
        "/api/v1/admin/org-units",
        json!({
            "parent_id": tree.unit_a, "code": "a-sector-1",
            "name": { "uz_latn": "Tahlil sektori", "ru": "Сектор анализа" }
        }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(unit["code"], "A-SECTOR-1");
    let post: Value = send(
        &app,
        &admin,
        Method::POST,
        "/api/v1/admin/positions",
        json!({
            "unit_id": unit["id"], "code": "A-SEC-01", "title": { "uz_latn": "Sektor mudiri" },
            "category": "other", "civil_service": true
        }),
    )
    .await
    .json()
    .await
    .unwrap();
    let pinfl = new_pinfl();
    let hired = send(&app, &admin, Method::POST, "/api/v1/admin/employees", json!({
        "pinfl": pinfl, "name_latn": { "last": "Soliyev", "first": "Jasur", "patronymic": "Karimovich" },
        "name_cyrl": { "last": "Солиев", "first": "Жасур", "patronymic": "Каримович" },
        "birth_date": "1990-01-01", "tabel_no": "1044", "hire_date": "2024-03-01", "position_id": post["id"]
    })).await;
    assert_eq!(hired.status(), 201);
    let employee: Value = hired.json().await.unwrap();
    let created: Value = send(
        &app,
        &admin,
        Method::POST,
        "/api/v1/admin/accounts",
        json!({
            "employee_id": employee["id"], "login": "J.Soliyev", "locale": "ru"
        }),
    )
    .await
    .json()
    .await
    .unwrap();
    let head = send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/v1/admin/org-units/{}", unit["id"].as_str().unwrap()),
        json!({ "head_position_id": post["id"] }),
    )
    .await;
    assert_eq!(head.status(), 200);

    let code = created["activation_code"]["code"].as_str().unwrap();
    let activated = app
        .request(Method::POST, "/api/v1/auth/activate")
        .json(&json!({ "login": pinfl, "code": code, "password": "my own secret phrase" }))
        .send()
        .await
        .unwrap();
    assert_eq!(activated.status(), 204);
    let token = app.token("j.soliyev", "my own secret phrase").await;
    let me: Value = app.get_json("/api/v1/me", &token).await;
    assert_eq!(me["account"]["locale"], "ru");
    assert_eq!(me["unit"]["name"]["ru"], "Сектор анализа");
    assert_eq!(me["employee"]["person"]["gender"], "male");
    assert!(
        me["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"] == "manager")
    );
}

#[tokio::test]
async fn a_post_holds_one_employee_and_a_pinfl_one_person() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let existing = app.person(tree.unit_a, "first.holder", &[]).await;
    app.hr_officer(tree.root, "hr.root").await;
    let hr = app.token("hr.root", PASSWORD).await;
    let hire = |pinfl: String, position: uuid::Uuid| {
        json!({
            "pinfl": pinfl, "name_latn": { "last": "Ikkinchi", "first": "Odam" },
            "name_cyrl": { "last": "Иккинчи", "first": "Одам" },
            "birth_date": "1990-01-01", "tabel_no": "5", "hire_date": "2020-01-01", "position_id": position
        })
    };

    let occupied = send(
        &app,
        &hr,
        Method::POST,
        "/api/v1/admin/employees",
        hire(new_pinfl(), existing.position),
    )
    .await;
    let vacant = app.post(tree.unit_a).await;
    let same_person = send(
        &app,
        &hr,
        Method::POST,
        "/api/v1/admin/employees",
        hire(existing.pinfl.clone(), vacant.id),
    )
    .await;

    assert_eq!(error_code(occupied, 409).await, "position_occupied");
    assert_eq!(error_code(same_person, 409).await, "pinfl_taken");
}

#[tokio::test]
async fn a_pinfl_that_disagrees_with_the_birth_date_is_refused() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.root, "hr.dates").await;
    let hr = app.token("hr.dates", PASSWORD).await;
    let post = app.post(tree.unit_b).await;

    let response = send(&app, &hr, Method::POST, "/api/v1/admin/employees", json!({
        "pinfl": new_pinfl(), "name_latn": { "last": "Sanayev", "first": "Bobur" },
        "name_cyrl": { "last": "Санаев", "first": "Бобур" },
        "birth_date": "1991-05-05", "tabel_no": "6", "hire_date": "2020-01-01", "position_id": post.id
    })).await;

    assert_eq!(error_code(response, 400).await, "pinfl_birth_date_mismatch");
}

#[tokio::test]
async fn a_transfer_moves_the_employee_and_frees_the_old_post() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.root, "hr.transfer").await;
    let mover = app.person(tree.unit_a, "mover", &[]).await;
    let stayer = app.person(tree.unit_a, "stayer", &[]).await;
    let hr = app.token("hr.transfer", PASSWORD).await;
    let new_post = app.post(tree.unit_b).await;

    let moved = send(
        &app,
        &hr,
        Method::POST,
        &format!("/api/v1/admin/employees/{}/transfer", mover.employee),
        json!({ "position_id": new_post.id }),
    )
    .await;

    assert_eq!(moved.status(), 200);
    let token = app.token("mover", PASSWORD).await;
    let me: Value = app.get_json("/api/v1/me", &token).await;
    assert_eq!(me["unit"]["id"], tree.unit_b.to_string());
    let old_post_list: Value = app
        .get_json(
            &format!("/api/v1/admin/employees?unit={}", tree.unit_a),
            &hr,
        )
        .await;
    let left: Vec<&str> = old_post_list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(left, [stayer.employee.to_string()], "unit A after the move");
    let on_old_post = employee::Entity::find()
        .filter(employee::Column::PositionId.eq(mover.position))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(on_old_post, 0, "the old post is vacant");
    let moved_row = employee::Entity::find_by_id(mover.employee)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved_row.position_id, new_post.id);
}

#[tokio::test]
async fn lists_page_through_every_employee_in_scope_exactly_once() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.unit_a, "hr.pages").await;
    for i in 0..6 {
        app.person(tree.unit_a, &format!("staff.{i}"), &[]).await;
    }
    app.person(tree.unit_b, "elsewhere", &[]).await;
    let hr = app.token("hr.pages", PASSWORD).await;

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = after
            .as_ref()
            .map_or(String::new(), |a| format!("&after={a}"));
        let page: Value = app
            .get_json(&format!("/api/v1/admin/employees?limit=3{query}"), &hr)
            .await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_owned()),
        );
        match page["next_after"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }

    assert_eq!(
        seen.len(),
        7,
        "six staff and the officer, nobody from unit B"
    );
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7);
}

#[tokio::test]
async fn an_officer_cannot_grant_beyond_their_units() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "admin.a", &[(Role::OrgAdmin, tree.unit_a)])
        .await;
    let colleague = app.person(tree.unit_a, "colleague", &[]).await;
    let admin = app.token("admin.a", PASSWORD).await;

    let on_root = send(
        &app,
        &admin,
        Method::POST,
        "/api/v1/admin/role-grants",
        json!({ "account_id": colleague.account, "role": "hr_officer", "unit_id": tree.root }),
    )
    .await;
    let on_a = send(
        &app,
        &admin,
        Method::POST,
        "/api/v1/admin/role-grants",
        json!({ "account_id": colleague.account, "role": "hr_officer", "unit_id": tree.unit_a }),
    )
    .await;

    assert_eq!(error_code(on_root, 404).await, "not_found");
    assert_eq!(on_a.status(), 201);
    let token = app.token("colleague", PASSWORD).await;
    let listed = app
        .authed(
            Method::GET,
            &format!("/api/v1/admin/employees?unit={}", tree.unit_a),
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
}
