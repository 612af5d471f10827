//! The matrix is tied to what the server serves: the routes registered in the router's source,
//! the served OpenAPI document and the matrix's own routes must agree, so a new route cannot
//! go untested for who may call it.

use std::collections::BTreeSet;
use std::path::Path;

use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;
use xodim_tests::TestApp;

use super::routes::{Target, routes};

type Key = (String, String);

/// Routes that act only on the caller's own data or on nobody's, so no role or unit decides
/// them; every other documented route must be in the matrix.
const SELF_SERVICE: &[(&str, &str)] = &[
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/activate"),
    ("GET", "/api/v1/me"),
    ("PATCH", "/api/v1/me"),
    ("GET", "/api/v1/me/notifications"),
    ("PUT", "/api/v1/me/notifications"),
    ("PUT", "/api/v1/devices/current/push-token"),
    ("DELETE", "/api/v1/devices/current/push-token"),
    ("GET", "/api/v1/sync/changes"),
    ("POST", "/api/v1/sync/intents"),
    ("GET", "/api/v1/sync/live"),
    ("PUT", "/api/v1/evidence/{}"),
];

/// The document itself is not part of the API it describes.
const UNDOCUMENTED: &[&str] = &["/api-docs/openapi.json"];

/// A path with its parameters (named, or filled in with an id or hash) as `{}`.
fn template(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    path.split('/')
        .map(|segment| {
            let hash = segment.len() == 64 && segment.chars().all(|c| c.is_ascii_hexdigit());
            if segment.starts_with('{') || Uuid::parse_str(segment).is_ok() || hash {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn documented(app: &TestApp) -> BTreeSet<Key> {
    let doc: Value = app
        .request(Method::GET, "/api-docs/openapi.json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                found.insert((method.to_uppercase(), template(path)));
            }
        }
    }
    found
}

fn literal_after<'a>(text: &'a str, marker: &str) -> Vec<(usize, &'a str)> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            rest.find('"').map(|end| (at, &rest[..end]))
        })
        .collect()
}

fn method_after(text: &str) -> Option<String> {
    let rest = &text[text.find("web::")? + 5..];
    Some(rest[..rest.find('(')?].to_uppercase())
}

/// Every (method, path relative to its scope) the backend's source registers, and its scopes.
fn registered() -> (BTreeSet<Key>, BTreeSet<String>) {
    let mut routes = BTreeSet::new();
    let mut scopes = BTreeSet::from([String::new()]);
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../backend/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, route) in literal_after(&text, ".route(\"") {
                let method = method_after(&text[at..]).unwrap();
                routes.insert((method, template(route)));
            }
            for (at, resource) in literal_after(&text, "web::resource(\"") {
                let block = &text[at..];
                let block = &block[..block.find("\n}").unwrap_or(block.len())];
                for (inner, _) in block.match_indices(".route(web::") {
                    let method = method_after(&block[inner..]).unwrap();
                    routes.insert((method, template(resource)));
                }
            }
            for (_, scope) in literal_after(&text, "web::scope(\"") {
                scopes.insert(scope.to_owned());
            }
        }
    }
    (routes, scopes)
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_the_router_registers_and_no_other() {
    let app = TestApp::spawn().await;
    let documented = documented(&app).await;
    let (registered, scopes) = registered();
    let full = |(method, path): &Key| {
        scopes
            .iter()
            .map(|scope| (method.clone(), format!("{scope}{path}")))
            .find(|key| documented.contains(key))
    };
    let missing: Vec<_> = registered
        .iter()
        .filter(|(_, path)| !UNDOCUMENTED.contains(&path.as_str()))
        .filter(|key| full(key).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "registered but not documented: {missing:?}"
    );
    let served: BTreeSet<Key> = registered.iter().filter_map(full).collect();
    let phantom: Vec<_> = documented.difference(&served).collect();
    assert!(
        phantom.is_empty(),
        "documented but not registered: {phantom:?}"
    );
    assert!(documented.len() >= 40, "{documented:?}");
}

#[tokio::test]
async fn the_authorization_matrix_calls_every_documented_route_that_acts_on_a_target() {
    let app = TestApp::spawn().await;
    let documented = documented(&app).await;
    let nowhere = Target::unknown();
    let matrix: BTreeSet<Key> = routes()
        .iter()
        .map(|route| {
            let (method, path, _) = (route.call)(&nowhere);
            (method.as_str().to_owned(), template(&path))
        })
        .collect();
    let own: BTreeSet<Key> = SELF_SERVICE
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let untested: Vec<_> = documented
        .iter()
        .filter(|key| !matrix.contains(*key) && !own.contains(*key))
        .collect();
    assert!(
        untested.is_empty(),
        "no authorization case for {untested:?}"
    );
    let unknown: Vec<_> = matrix
        .union(&own)
        .filter(|key| !documented.contains(*key))
        .collect();
    assert!(unknown.is_empty(), "not served: {unknown:?}");
}
