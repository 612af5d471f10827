//! The served OpenAPI document says what the server does: the shapes it answers, the error
//! answers of every route and the closed sets and patterns it enforces.

use reqwest::Method;
use serde_json::Value;
use xodim_domain::{ErrorCode, Role};
use xodim_server::api_contract::{parameter_constraints, schema_constraints};
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;

async fn document(app: &TestApp) -> Value {
    app.request(Method::GET, "/api-docs/openapi.json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn schema<'a>(doc: &'a Value, reference: &Value) -> &'a Value {
    let name = reference["$ref"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    &doc["components"]["schemas"][name]
}

#[tokio::test]
async fn the_profile_answer_has_every_property_the_document_requires() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.hr_officer(tree.unit_a, "contract.me").await;
    let token = app.token("contract.me", PASSWORD).await;
    let doc = document(&app).await;

    let me: Value = app.get_json("/api/v1/me", &token).await;

    let answer = &doc["paths"]["/api/v1/me"]["get"]["responses"]["200"];
    let me_schema = schema(&doc, &answer["content"]["application/json"]["schema"]);
    for (property, part) in me_schema["properties"].as_object().unwrap() {
        if part.get("$ref").is_none() {
            continue;
        }
        let part_schema = schema(&doc, part);
        for required in part_schema["required"].as_array().into_iter().flatten() {
            let required = required.as_str().unwrap();
            assert!(
                me[property].get(required).is_some(),
                "{property}.{required} is required by the document but missing from {me}"
            );
        }
    }
    assert_eq!(me["account"]["login"], "contract.me");
}

#[tokio::test]
async fn every_route_states_its_error_answers_with_the_error_body() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;

    let create = &doc["paths"]["/api/v1/admin/employees"]["post"]["responses"];
    for status in ["400", "401", "403", "409", "413", "414", "415", "503"] {
        assert!(
            create.get(status).is_some(),
            "POST employees lacks {status}"
        );
    }
    let get = &doc["paths"]["/api/v1/admin/employees/{id}"]["get"]["responses"];
    assert_eq!(get["404"]["$ref"], "#/components/responses/NotFound");
    let login = &doc["paths"]["/api/v1/auth/login"]["post"]["responses"];
    assert_eq!(
        login["429"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    let rate_limited = &doc["components"]["responses"]["RateLimited"];
    assert!(rate_limited["headers"].get("Retry-After").is_some());
    let codes = doc["components"]["schemas"]["Error"]["properties"]["code"]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(codes.len(), ErrorCode::ALL.len());
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("security").is_some() {
                assert!(
                    operation["responses"].get("401").is_some(),
                    "{method} {path} lacks 401"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_document_states_the_sets_and_patterns_the_server_enforces() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;

    for (schema, property, constraint) in schema_constraints() {
        let served = &doc["components"]["schemas"][schema]["properties"][property];
        for (key, value) in constraint.as_object().unwrap() {
            assert_eq!(&served[key], value, "{schema}.{property}.{key}");
        }
    }
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        doc["components"]["schemas"]["CreateGrant"]["properties"]["role"]["enum"],
        serde_json::json!(roles)
    );
    let mut constrained = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for operation in item.as_object().unwrap().values() {
            for param in operation["parameters"].as_array().into_iter().flatten() {
                let found = parameter_constraints()
                    .into_iter()
                    .find(|(name, prefix, _)| param["name"] == *name && path.starts_with(prefix));
                if let Some((_, _, schema)) = found {
                    assert_eq!(param["schema"], schema, "{path} {}", param["name"]);
                    constrained += 1;
                }
            }
        }
    }
    assert!(
        constrained >= 8,
        "only {constrained} parameters constrained"
    );
    let list = &doc["paths"]["/api/v1/admin/employees"]["get"]["parameters"];
    let limit = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["schema"]["type"], "integer");
    assert_eq!(limit["schema"]["maximum"], 200);
}
