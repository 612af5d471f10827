//! Every admin and HR route, called by a holder of each role, on a target inside and outside
//! the unit the role was granted on: inside it succeeds when the role carries the permission,
//! outside it answers like an unknown id (`not_found`), and a role without the permission
//! anywhere is `forbidden` wherever the target is.

use xodim_domain::Role;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;

use super::routes::{call, refusal, routes, target};

#[tokio::test]
async fn every_admin_and_hr_route_checks_the_role_and_the_scope_of_its_caller() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let mut n = 0;
    let mut failures = Vec::new();
    for role in Role::ALL.iter().copied() {
        let login = format!("caller.{}", role.as_str().replace('_', "-"));
        app.person(tree.unit_a, &login, &[(role, tree.unit_a)])
            .await;
        let token = app.token(&login, PASSWORD).await;
        for route in routes() {
            for (inside, unit) in [(true, tree.unit_a), (false, tree.unit_b)] {
                n += 1;
                let target = target(&app, unit, n).await;
                let (status, body) = call(&app, &token, &route, &target).await;
                let expected = match (role.allows(route.permission), inside) {
                    (true, true) => None,
                    (true, false) => Some("not_found"),
                    (false, _) => Some("forbidden"),
                };
                let outcome = match expected {
                    None if (200..300).contains(&status) => continue,
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
