//! The routes that act on a target in a unit, and the fresh targets they are called on.

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::records::Section;
use xodim_domain::{Permission, Role};
use xodim_tests::TestApp;
use xodim_tests::fixtures::new_pinfl;
use xodim_tests::records::{education, sha256};

pub use super::cast::Shared;

/// Fresh objects in one unit, so that every call finds what it needs untouched.
pub struct Target {
    pub unit: Uuid,
    pub post: Uuid,
    pub vacant_post: Uuid,
    pub employee: Uuid,
    pub account: Uuid,
    pub grant: Uuid,
    pub employee_without_account: Uuid,
    pub vacant_code: String,
    pub pinfl: String,
    pub record: Uuid,
    /// An open correction request of someone in the unit, with an evidence file.
    pub request: Uuid,
    pub evidence: String,
}

pub async fn target(app: &TestApp, unit: Uuid, n: usize, shared: &Shared) -> Target {
    let person = app.person(unit, &format!("target.{n}"), &[]).await;
    let vacant = app.post(unit).await;
    Target {
        unit,
        post: person.position,
        vacant_post: vacant.id,
        employee: person.employee,
        account: person.account,
        grant: app.grant(person.account, Role::Servant, unit).await,
        employee_without_account: app.employee_without_account(unit).await,
        vacant_code: vacant.code,
        record: app
            .record(person.employee, Section::Education, education("TDIU"))
            .await
            .id,
        pinfl: person.pinfl,
        request: shared.request,
        evidence: shared.evidence.clone(),
    }
}

impl Target {
    /// The same target with every id and key replaced by one that names nothing.
    pub fn unknown() -> Self {
        Self {
            unit: Uuid::now_v7(),
            post: Uuid::now_v7(),
            vacant_post: Uuid::now_v7(),
            employee: Uuid::now_v7(),
            account: Uuid::now_v7(),
            grant: Uuid::now_v7(),
            employee_without_account: Uuid::now_v7(),
            vacant_code: format!("NONE-{}", Uuid::now_v7().simple()),
            pinfl: new_pinfl(),
            record: Uuid::now_v7(),
            request: Uuid::now_v7(),
            evidence: sha256(Uuid::now_v7().as_bytes()),
        }
    }
}

pub enum Body {
    None,
    Json(Value),
    Csv(String),
}

pub struct Route {
    pub name: &'static str,
    pub permission: Permission,
    pub call: fn(&Target) -> (Method, String, Body),
}

fn new_employee(t: &Target) -> Value {
    json!({
        "pinfl": new_pinfl(), "name_latn": { "last": "Olimov", "first": "Bek" },
        "name_cyrl": { "last": "Олимов", "first": "Бек" }, "birth_date": "1990-01-01",
        "tabel_no": "900", "hire_date": "2020-01-01", "position_id": t.vacant_post
    })
}

fn import_csv(t: &Target) -> String {
    format!(
        "pinfl,last_name_latn,first_name_latn,patronymic_latn,last_name_cyrl,first_name_cyrl,patronymic_cyrl,birth_date,tabel_no,hire_date,position_code,login,locale\n\
         {},Olimov,Bek,,Олимов,Бек,,1990-01-01,901,2020-01-01,{},,\n",
        new_pinfl(),
        t.vacant_code
    )
}

/// Every route the matrix calls: the admin ones here, the HR and evidence ones beside.
pub fn routes() -> Vec<Route> {
    let mut all = admin_routes();
    all.extend(super::hr_routes::routes());
    all
}

fn admin_routes() -> Vec<Route> {
    use Permission::*;
    vec![
        Route {
            name: "get unit",
            permission: ViewOrgStructure,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/admin/org-units/{}", t.unit),
                    Body::None,
                )
            },
        },
        Route {
            name: "list units",
            permission: ViewOrgStructure,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/admin/org-units?unit={}", t.unit),
                    Body::None,
                )
            },
        },
        Route {
            name: "create unit",
            permission: ManageOrgStructure,
            call: |t| {
                (
                    Method::POST,
                    "/api/v1/admin/org-units".into(),
                    Body::Json(
                        json!({ "parent_id": t.unit, "code": format!("U{}", Uuid::new_v4().simple()), "name": { "uz_latn": "Sektor" } }),
                    ),
                )
            },
        },
        Route {
            name: "update unit",
            permission: ManageOrgStructure,
            call: |t| {
                (
                    Method::PATCH,
                    format!("/api/v1/admin/org-units/{}", t.unit),
                    Body::Json(json!({ "name": { "uz_latn": "Qayta nomlangan" } })),
                )
            },
        },
        Route {
            name: "get position",
            permission: ViewOrgStructure,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/admin/positions/{}", t.post),
                    Body::None,
                )
            },
        },
        Route {
            name: "list positions",
            permission: ViewOrgStructure,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/admin/positions?unit={}", t.unit),
                    Body::None,
                )
            },
        },
        Route {
            name: "create position",
            permission: ManageOrgStructure,
            call: |t| {
                (
                    Method::POST,
                    "/api/v1/admin/positions".into(),
                    Body::Json(
                        json!({ "unit_id": t.unit, "code": format!("P{}", Uuid::new_v4().simple()), "title": { "uz_latn": "Mutaxassis" }, "category": "other", "civil_service": true }),
                    ),
                )
            },
        },
        Route {
            name: "update position",
            permission: ManageOrgStructure,
            call: |t| {
                (
                    Method::PATCH,
                    format!("/api/v1/admin/positions/{}", t.post),
                    Body::Json(json!({ "category": "deputy_or_central_staff" })),
                )
            },
        },
        Route {
            name: "get employee",
            permission: ViewEmployees,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/admin/employees/{}", t.employee),
                    Body::None,
                )
            },
        },
        Route {
            name: "list employees",
            permission: ViewEmployees,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/admin/employees?unit={}", t.unit),
                    Body::None,
                )
            },
        },
        Route {
            name: "create employee",
            permission: ManageEmployees,
            call: |t| {
                (
                    Method::POST,
                    "/api/v1/admin/employees".into(),
                    Body::Json(new_employee(t)),
                )
            },
        },
        Route {
            name: "transfer employee",
            permission: ManageEmployees,
            call: |t| {
                (
                    Method::POST,
                    format!("/api/v1/admin/employees/{}/transfer", t.employee),
                    Body::Json(json!({ "position_id": t.vacant_post })),
                )
            },
        },
        Route {
            name: "import employees",
            permission: ManageEmployees,
            call: |t| {
                (
                    Method::POST,
                    "/api/v1/admin/employees/import".into(),
                    Body::Csv(import_csv(t)),
                )
            },
        },
        Route {
            name: "create account",
            permission: ManageAccounts,
            call: |t| {
                (
                    Method::POST,
                    "/api/v1/admin/accounts".into(),
                    Body::Json(
                        json!({ "employee_id": t.employee_without_account, "login": format!("u{}", Uuid::new_v4().simple()) }),
                    ),
                )
            },
        },
        Route {
            name: "get account",
            permission: ViewEmployees,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/admin/accounts/{}", t.account),
                    Body::None,
                )
            },
        },
        Route {
            name: "issue activation code",
            permission: ManageAccounts,
            call: |t| {
                (
                    Method::POST,
                    format!("/api/v1/admin/accounts/{}/activation-code", t.account),
                    Body::None,
                )
            },
        },
        Route {
            name: "disable account",
            permission: ManageAccounts,
            call: |t| {
                (
                    Method::POST,
                    format!("/api/v1/admin/accounts/{}/disable", t.account),
                    Body::None,
                )
            },
        },
        Route {
            name: "list grants",
            permission: ViewEmployees,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/admin/accounts/{}/grants", t.account),
                    Body::None,
                )
            },
        },
        Route {
            name: "grant role",
            permission: ManageGrants,
            call: |t| {
                (
                    Method::POST,
                    "/api/v1/admin/role-grants".into(),
                    Body::Json(
                        json!({ "account_id": t.account, "role": "auditor", "unit_id": t.unit }),
                    ),
                )
            },
        },
        Route {
            name: "revoke grant",
            permission: ManageGrants,
            call: |t| {
                (
                    Method::DELETE,
                    format!("/api/v1/admin/role-grants/{}", t.grant),
                    Body::None,
                )
            },
        },
    ]
}

pub async fn call(app: &TestApp, token: &str, route: &Route, target: &Target) -> (u16, Value) {
    let (method, path, body) = (route.call)(target);
    let request = app.authed(method, &path, token);
    let request = match body {
        Body::None => request,
        Body::Json(json) => request.json(&json),
        Body::Csv(csv) => request.header("content-type", "text/csv").body(csv),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Routes that answer `not_found` even to a caller whose roles never allow them: an evidence
/// file is named by its content hash, so not even its existence is told.
pub const HIDDEN_WITHOUT_ROLE: &[&str] = &["download evidence"];

pub fn refusal(status: u16, body: &Value) -> Option<String> {
    match status {
        403 | 404 => body["code"].as_str().map(str::to_owned),
        422 => body["details"]["rows"][0]["code"]
            .as_str()
            .map(str::to_owned),
        _ => None,
    }
}

/// Routes that name no target (a caller's whole inbox): the matrix checks what their bodies
/// hold instead.
pub const UNTARGETED: &[&str] = &["list requests"];
