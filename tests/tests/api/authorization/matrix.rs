//! Every admin and HR route, called by a holder of each role, on a target inside and outside
//! the unit the role was granted on: inside it succeeds when the role carries the permission
//! and the body shows the target and nothing of another unit; outside it answers like an
//! unknown id (`not_found`); a role without the permission anywhere is `forbidden` wherever
//! the target is. The callers outside are, among others, HR officers of another unit.

use serde_json::Value;
use xodim_domain::Role;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;

use super::cast::{Shared, shared};
use super::routes::{
    HIDDEN_WITHOUT_ROLE, Route, Target, UNTARGETED, call, refusal, routes, target,
};

fn ids(body: &Value) -> Vec<String> {
    let rows = body["items"].as_array().or(body.as_array());
    rows.into_iter()
        .flatten()
        .filter_map(|row| row["id"].as_str().map(str::to_owned))
        .collect()
}

/// What an allowed read must show of the target, and what of the other unit it must not.
fn shows(route: &Route, t: &Target, foreign: &Shared, body: &Value) -> Result<(), String> {
    let wanted = match route.name {
        "get unit" => Some(t.unit.to_string()),
        "get position" => Some(t.post.to_string()),
        "get employee" => Some(t.employee.to_string()),
        "get account" => Some(t.account.to_string()),
        "get request" | "list requests" => Some(t.request.to_string()),
        "list positions" => Some(t.post.to_string()),
        "list employees" => Some(t.employee.to_string()),
        "read records" => Some(t.record.to_string()),
        "list grants" => Some(t.grant.to_string()),
        _ => None,
    };
    let Some(wanted) = wanted else {
        return Ok(());
    };
    let shown = match route.name {
        name if name.starts_with("get ") => {
            vec![body["id"].as_str().unwrap_or_default().to_owned()]
        }
        _ => ids(body),
    };
    // A unit's list holds only the unit's rows; the target is on it unless on a later page.
    let rows = body["items"].as_array().into_iter().flatten();
    let units: Vec<&Value> = match route.name {
        "list positions" => rows.map(|row| &row["unit_id"]).collect(),
        "list employees" => rows.map(|row| &row["position"]["unit_id"]).collect(),
        _ => Vec::new(),
    };
    let unit = Value::from(t.unit.to_string());
    if let Some(stray) = units.iter().find(|row_unit| ***row_unit != unit) {
        return Err(format!("a row of unit {stray} among those of {}", t.unit));
    }
    let paged_on = !body["next_after"].is_null();
    if !shown.contains(&wanted) && !paged_on {
        return Err(format!("{wanted} missing from {body}"));
    }
    let text = body.to_string();
    for other in [foreign.request.to_string(), foreign.subject.to_string()] {
        if text.contains(&other) {
            return Err(format!("shows {other} of another unit: {body}"));
        }
    }
    Ok(())
}

#[tokio::test]
async fn every_admin_and_hr_route_checks_the_role_and_the_scope_of_its_caller() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let inside_shared = shared(&app, tree.unit_a, "a").await;
    let outside_shared = shared(&app, tree.unit_b, "b").await;
    let mut n = 0;
    let mut failures = Vec::new();
    for role in Role::ALL.iter().copied() {
        let login = format!("caller.{}", role.as_str().replace('_', "-"));
        app.person(tree.unit_a, &login, &[(role, tree.unit_a)])
            .await;
        let token = app.token(&login, PASSWORD).await;
        for route in routes() {
            for (inside, unit) in [(true, tree.unit_a), (false, tree.unit_b)] {
                if !inside && UNTARGETED.contains(&route.name) {
                    continue;
                }
                n += 1;
                let (own, other) = match inside {
                    true => (&inside_shared, &outside_shared),
                    false => (&outside_shared, &inside_shared),
                };
                let target = target(&app, unit, n, own).await;
                let (status, body) = call(&app, &token, &route, &target).await;
                let hidden = HIDDEN_WITHOUT_ROLE.contains(&route.name);
                let expected = match (role.allows(route.permission), inside) {
                    (true, true) => None,
                    (true, false) => Some("not_found"),
                    (false, _) if hidden => Some("not_found"),
                    (false, _) => Some("forbidden"),
                };
                let outcome = match expected {
                    None if (200..300).contains(&status) => {
                        match shows(&route, &target, other, &body) {
                            Ok(()) => continue,
                            Err(wrong) => wrong,
                        }
                    }
                    None => format!("expected success, got {status} {body}"),
                    Some(code) if refusal(status, &body).as_deref() == Some(code) => continue,
                    Some(code) => format!("expected {code}, got {status} {body}"),
                };
                let place = if inside { "inside" } else { "outside" };
                failures.push(format!(
                    "{} as {} {place}: {outcome}",
                    route.name,
                    role.as_str()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} calls wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
