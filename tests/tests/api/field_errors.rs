//! A field that breaks a rule is named, on the server and on the phone alike, so that a form
//! can mark it: a day that does not exist is `invalid_date` of that field.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::{Value, json};
use xodim_core::CoreError;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::phones::on;

fn certificate(issued_at: &str) -> Value {
    json!({ "provider": "Davlat boshqaruvi akademiyasi", "course_title": "Etika", "issued_at": issued_at })
}

#[tokio::test]
async fn the_server_names_the_field_of_an_invalid_date_in_a_record() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "fe.servant", &[]).await;
    app.hr_officer(tree.root, "fe.hr").await;
    let hr = app.token("fe.hr", PASSWORD).await;
    let path = format!("/api/v1/hr/employees/{}/records", servant.employee);

    let refused = app
        .authed(Method::POST, &path, &hr)
        .header("Accept-Language", "en")
        .json(&json!({ "section": "certificate", "fields": certificate("2024-02-30") }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["details"]["field"].as_str()),
        (Some("invalid_date"), Some("issued_at")),
        "{body}"
    );

    let created = app
        .authed(Method::POST, &path, &hr)
        .json(&json!({ "section": "certificate", "fields": certificate("2024-02-29") }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let item: Value = created.json().await.unwrap();
    let mut expired = certificate("2024-02-29");
    expired["expires_at"] = json!("2023-01-01");
    let refused = app
        .authed(
            Method::PUT,
            &format!("/api/v1/hr/records/{}", item["id"].as_str().unwrap()),
            &hr,
        )
        .json(&json!({ "version": 1, "fields": expired }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["details"]["field"].as_str()),
        (Some("invalid_date"), Some("expires_at")),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_phone_names_the_field_of_an_invalid_date_in_a_proposal() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.person(tree.unit_a, "fe.phone", &[]).await;
    let device = app.phone("fe.phone").await;
    let err = on(&device.core, |c| {
        let fields: HashMap<String, String> = [
            ("provider", "Davlat boshqaruvi akademiyasi"),
            ("course_title", "Etika"),
            ("issued_at", "2024-02-30"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        c.propose_correction(
            "certificate".into(),
            "add".into(),
            None,
            fields,
            "The certificate is missing".into(),
            Vec::new(),
        )
    })
    .await
    .unwrap_err();
    let CoreError::Validation {
        code, field_name, ..
    } = err
    else {
        panic!("not a validation error: {err:?}");
    };
    assert_eq!(
        (code.as_str(), field_name.as_deref()),
        ("invalid_date", Some("issued_at"))
    );
    assert!(on(&device.core, |c| c.intents()).await.is_empty());
}
