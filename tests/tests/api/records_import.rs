//! Importing the personnel records of many employees from one CSV file: all rows or none, with
//! every bad row named in the caller's language.

use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::{ErrorCode, Locale};
use xodim_tests::fixtures::{PASSWORD, Person, Tree, new_pinfl};
use xodim_tests::{TestApp, error_code};

const HEADER: &str = "pinfl,section,institution,level,specialty,start_year,end_year,honours,relation,full_name,birth_year,residence";

struct Office {
    app: TestApp,
    tree: Tree,
    first: Person,
    second: Person,
}

/// Two servants in unit A and an HR officer over the whole tree.
async fn office() -> Office {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let first = app.person(tree.unit_a, "ri.first", &[]).await;
    let second = app.person(tree.unit_a, "ri.second", &[]).await;
    app.hr_officer(tree.root, "ri.hr").await;
    Office {
        app,
        tree,
        first,
        second,
    }
}

fn education_row(pinfl: &str, institution: &str, start_year: &str) -> String {
    format!("{pinfl},education,{institution},bachelor,Iqtisodiyot,{start_year},2012,yes,,,,")
}

fn relative_row(pinfl: &str, full_name: &str) -> String {
    format!("{pinfl},relative,,,,,,,mother,{full_name},1961,Toshkent shahri")
}

fn file(rows: &[String]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

async fn upload(app: &TestApp, login: &str, language: &str, csv: String) -> reqwest::Response {
    let token = app.token(login, PASSWORD).await;
    app.authed(Method::POST, "/api/v1/hr/records/import", &token)
        .header("content-type", "text/csv")
        .header("accept-language", language)
        .body(csv)
        .send()
        .await
        .unwrap()
}

async fn records_of(app: &TestApp, employee: Uuid) -> Vec<Value> {
    let token = app.token("ri.hr", PASSWORD).await;
    app.records_of(&token, employee).await
}

/// The `(line, code)` of every bad row, after checking the refusal.
async fn bad_rows(response: reqwest::Response) -> (Vec<(u64, String)>, Value) {
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "import_rejected");
    let rows = body["details"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (rows, body)
}

#[tokio::test]
async fn an_hr_officer_imports_education_and_relatives_of_two_employees_in_their_subtree() {
    let o = office().await;
    let csv = file(&[
        education_row(&o.first.pinfl, "TDIU", "2008"),
        relative_row(&o.first.pinfl, "Karimova Dilbar"),
        education_row(&o.second.pinfl, "TATU", "2007"),
        relative_row(&o.second.pinfl, "Rahimova Nodira"),
    ]);

    let response = upload(&o.app, "ri.hr", "en", csv).await;

    assert_eq!(response.status(), 201);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["imported"], 4);
    let items = records_of(&o.app, o.first.employee).await;
    let sections: Vec<&str> = items
        .iter()
        .map(|i| i["section"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["education", "relative"]);
    assert!(items.iter().all(|i| i["source"] == "integration"));
    assert_eq!(items[0]["fields"]["institution"], "TDIU");
    assert_eq!(items[0]["fields"]["start_year"], 2008);
    assert_eq!(items[0]["fields"]["honours"], true);
    assert_eq!(items[1]["fields"]["full_name"], "Karimova Dilbar");
    let items = records_of(&o.app, o.second.employee).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["fields"]["institution"], "TATU");
    assert_eq!(items[1]["fields"]["birth_year"], 1961);
}

#[tokio::test]
async fn a_file_with_bad_rows_among_good_ones_names_every_bad_line_and_writes_nothing() {
    let o = office().await;
    let relation_in_education = format!(
        "{},education,TATU,bachelor,,2007,2012,,mother,,,",
        o.second.pinfl
    );
    let csv = file(&[
        education_row(&o.first.pinfl, "TDIU", "2008"),
        education_row(&o.first.pinfl, "Litsey", "2O04"),
        relative_row(&new_pinfl(), "Begona Odam"),
        relation_in_education,
        relative_row(&o.second.pinfl, "Rahimova Nodira"),
    ]);

    let (rows, body) = bad_rows(upload(&o.app, "ri.hr", "uz-Cyrl", csv).await).await;

    let expected = [(3, "invalid_field"), (4, "not_found"), (5, "invalid_field")];
    let expected: Vec<(u64, String)> = expected
        .iter()
        .map(|(l, c)| (*l, (*c).to_owned()))
        .collect();
    assert_eq!(rows, expected);
    let details = &body["details"]["rows"];
    assert!(
        details[0]["detail"]
            .as_str()
            .unwrap()
            .contains("start_year")
    );
    assert!(details[2]["detail"].as_str().unwrap().contains("relation"));
    assert!(
        records_of(&o.app, o.first.employee).await.is_empty(),
        "nothing was written"
    );
    assert!(
        records_of(&o.app, o.second.employee).await.is_empty(),
        "nothing was written"
    );
}

#[tokio::test]
async fn an_hr_officer_of_another_subtree_is_refused_for_every_employee_outside_their_units() {
    let o = office().await;
    o.app.hr_officer(o.tree.unit_b, "ri.hr-b").await;
    let neighbour = o.app.person(o.tree.unit_b, "ri.neighbour", &[]).await;
    let csv = file(&[
        education_row(&neighbour.pinfl, "TDIU", "2008"),
        education_row(&o.first.pinfl, "TDIU", "2008"),
        relative_row(&o.second.pinfl, "Rahimova Nodira"),
    ]);

    let (rows, _) = bad_rows(upload(&o.app, "ri.hr-b", "en", csv).await).await;

    let expected: Vec<(u64, String)> = [3, 4]
        .iter()
        .map(|l| (*l, "not_found".to_owned()))
        .collect();
    assert_eq!(rows, expected);
    assert!(
        records_of(&o.app, neighbour.employee).await.is_empty(),
        "nothing was written"
    );
}

#[tokio::test]
async fn an_account_without_a_role_over_records_may_not_import_at_all() {
    let o = office().await;
    let csv = file(&[education_row(&o.second.pinfl, "TDIU", "2008")]);

    let response = upload(&o.app, "ri.first", "en", csv).await;

    assert_eq!(error_code(response, 403).await, "forbidden");
    assert!(records_of(&o.app, o.second.employee).await.is_empty());
}

#[tokio::test]
async fn row_errors_are_told_in_the_language_the_caller_accepts() {
    let o = office().await;
    let csv = file(&[
        education_row(&o.first.pinfl, "TDIU", "19x9"),
        relative_row(&new_pinfl(), "Begona Odam"),
    ]);

    for (language, locale) in [
        ("ru", Locale::Ru),
        ("uz-Latn", Locale::UzLatn),
        ("en", Locale::En),
    ] {
        let (_, body) = bad_rows(upload(&o.app, "ri.hr", language, csv.clone()).await).await;
        let messages: Vec<&str> = body["details"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["message"].as_str().unwrap())
            .collect();
        let expected = [
            ErrorCode::InvalidField.message(locale),
            ErrorCode::NotFound.message(locale),
        ];
        assert_eq!(messages, expected, "messages in {language}");
    }
}

#[tokio::test]
async fn a_file_without_a_section_column_is_refused_as_a_whole() {
    let o = office().await;
    let csv = format!("pinfl,institution,level\n{},TDIU,bachelor\n", o.first.pinfl);

    let response = upload(&o.app, "ri.hr", "en", csv).await;

    assert_eq!(error_code(response, 400).await, "invalid_csv");
}

/// How many record items the import wrote for the office's two servants.
async fn imported_items(o: &Office) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use xodim_server::db::entities::record;
    record::Entity::find()
        .filter(record::Column::EmployeeId.is_in([o.first.employee, o.second.employee]))
        .count(&o.app.state.db)
        .await
        .unwrap()
}

/// Signs `person` in, refreshes, and checks that the tokens and `/me` are theirs.
async fn signs_in_as_themselves(app: &TestApp, person: &Person) {
    let response = app.login(&person.login, PASSWORD).await;
    assert_eq!(response.status(), 200, "sign-in of {}", person.login);
    let signed_in: Value = response.json().await.unwrap();
    assert_eq!(signed_in["account_id"], person.account.to_string());
    let response = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .json(&serde_json::json!({ "refresh_token": signed_in["refresh_token"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "refresh of {}", person.login);
    let tokens: Value = response.json().await.unwrap();
    assert_eq!(tokens["session_id"], signed_in["session_id"]);
    let me: Value = app
        .get_json("/api/v1/me", tokens["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me["account"]["login"], person.login.as_str());
    assert_eq!(me["employee"]["id"], person.employee.to_string());
}

#[tokio::test]
async fn fifty_people_sign_in_at_once_while_records_are_imported_on_the_server_and_at_the_command_line()
 {
    const ROWS: usize = 2_000;
    let o = office().await;
    let mut people = Vec::new();
    for n in 0..50 {
        people.push(
            o.app
                .person(o.tree.unit_b, &format!("crowd.{n}"), &[])
                .await,
        );
    }
    let rows: Vec<String> = (0..ROWS)
        .map(|n| {
            let pinfl = if n % 2 == 0 {
                &o.first.pinfl
            } else {
                &o.second.pinfl
            };
            education_row(pinfl, &format!("Institut {n}"), "2008")
        })
        .collect();
    let csv = file(&rows);
    let hr = o.app.token("ri.hr", PASSWORD).await;
    // The command line opens a pool of its own and has no share in the server's write turn.
    let command_line = xodim_server::db::connect(&o.app.state.settings.database_url, 2)
        .await
        .unwrap();
    let server_import = o
        .app
        .authed(Method::POST, "/api/v1/hr/records/import", &hr)
        .header("content-type", "text/csv")
        .body(csv.clone())
        .send();
    let author = xodim_server::records::items::Author::default();
    let cli_import = xodim_server::records::import::run(
        &command_line,
        csv.as_bytes(),
        None,
        &author,
        None,
        &|_| {},
    );
    let crowd = futures_util::future::join_all(
        people
            .iter()
            .map(|person| signs_in_as_themselves(&o.app, person)),
    );

    let (server_import, cli_import, _) = tokio::join!(server_import, cli_import, crowd);

    let server_import = server_import.unwrap();
    assert_eq!(server_import.status(), 201);
    let report: Value = server_import.json().await.unwrap();
    assert_eq!(report["imported"], ROWS);
    assert!(matches!(
        cli_import.unwrap(),
        xodim_server::records::import::Outcome::Imported(ref r) if r.imported == ROWS
    ));
    assert_eq!(imported_items(&o).await, 2 * ROWS as u64);
}
