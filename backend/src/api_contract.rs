//! What the handlers' annotations leave out of the OpenAPI document, declared once: the error
//! body, the error answers every kind of route can give, and the closed sets and patterns the
//! server enforces on its inputs.
//!
//! The rules follow the request pipeline: a secured route can refuse the token (401), a route
//! with inputs can refuse them (400), a route with a path id can miss it (404), a route with a
//! body can refuse its size or media type (413, 415), every route can refuse an overlong URL
//! (414) and every route that reads the database can find it away (503). What depends on the
//! route itself (403, 409, 422, 429) is listed per route.

use serde_json::{Map, Value, json};
use xodim_domain::records::{RequestState, Section};
use xodim_domain::{DevicePlatform, ErrorCode, Locale, PositionCategory, Role};

/// Statuses only some routes answer: (method, path, statuses).
const ROUTE_STATUSES: &[(&str, &str, &[u16])] = &[
    ("post", "/api/v1/auth/login", &[403, 429]),
    ("post", "/api/v1/auth/refresh", &[403]),
    ("post", "/api/v1/auth/activate", &[429]),
    ("post", "/api/v1/admin/org-units", &[409]),
    ("patch", "/api/v1/admin/org-units/{id}", &[409]),
    ("post", "/api/v1/admin/positions", &[409]),
    ("patch", "/api/v1/admin/positions/{id}", &[409]),
    ("post", "/api/v1/admin/employees", &[409]),
    ("post", "/api/v1/admin/employees/{id}/transfer", &[409]),
    ("post", "/api/v1/admin/employees/import", &[422]),
    ("post", "/api/v1/admin/accounts", &[409]),
    ("post", "/api/v1/admin/role-grants", &[409]),
    ("put", "/api/v1/hr/records/{id}", &[409]),
    ("delete", "/api/v1/hr/records/{id}", &[409]),
    ("post", "/api/v1/hr/records/import", &[422]),
];

/// Path prefixes whose routes check a permission of the caller (403 when no role permits).
const PERMISSION_PREFIXES: &[&str] = &["/api/v1/admin/", "/api/v1/hr/", "/api/v1/evidence/"];

/// Routes that touch no database (and so never answer 503).
const WITHOUT_DATABASE: &[&str] = &["/health", "/metrics"];

/// The shared responses: status, component name, description.
const RESPONSES: &[(u16, &str, &str)] = &[
    (
        400,
        "BadRequest",
        "The input is malformed or invalid (`invalid_*`, `missing_field`, …).",
    ),
    (
        401,
        "Unauthenticated",
        "No valid token or credentials (`unauthenticated`, `token_*`, …).",
    ),
    (
        403,
        "Forbidden",
        "No role of the caller permits this (`forbidden`, `out_of_scope`, …).",
    ),
    (
        404,
        "NotFound",
        "No such object, or one the caller may not see (`not_found`).",
    ),
    (
        409,
        "Conflict",
        "The change collides with stored state (`*_taken`, `version_conflict`, …).",
    ),
    (
        413,
        "TooLarge",
        "The body is larger than the route reads (`body_too_large`, …).",
    ),
    (
        414,
        "UrlTooLong",
        "The URL is longer than the server reads (`url_too_long`).",
    ),
    (
        415,
        "UnsupportedMediaType",
        "The body's media type is not the route's.",
    ),
    (
        422,
        "Rejected",
        "The file was checked and rejected whole (`import_rejected`).",
    ),
    (
        429,
        "RateLimited",
        "Too many attempts; try again after `Retry-After` seconds.",
    ),
    (
        503,
        "Unavailable",
        "A dependency is away; try again after `Retry-After` seconds.",
    ),
];

/// Completes the generated document in place.
pub fn complete(doc: &mut Value) {
    add_components(doc);
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            constrain_parameters(path, operation);
            add_responses(method, path, operation);
        }
    }
    constrain_schemas(doc);
    raw_evidence_body(doc);
}

/// An evidence upload is the file's raw bytes, not a JSON array of numbers.
fn raw_evidence_body(doc: &mut Value) {
    let pointer = "/paths/~1api~1v1~1evidence~1{hash}/put/requestBody/content";
    if let Some(content) = doc.pointer_mut(pointer).and_then(Value::as_object_mut) {
        let raw = json!({ "schema": { "type": "string", "format": "binary" } });
        for media in ["application/pdf", "image/jpeg", "image/png"] {
            content.insert(media.to_owned(), raw.clone());
        }
    }
}

/// The statuses an operation may answer besides its own successes.
pub fn error_statuses(method: &str, path: &str, operation: &Value) -> Vec<u16> {
    let has_body = operation.get("requestBody").is_some();
    let has_params = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|params| !params.is_empty());
    let mut statuses = vec![414];
    if operation.get("security").is_some() {
        statuses.push(401);
    }
    let checks_permission = PERMISSION_PREFIXES.iter().any(|p| path.starts_with(p));
    if checks_permission {
        statuses.push(403);
    }
    if has_body || has_params {
        statuses.push(400);
    }
    // A path id, or an id in the query or body of a permission-checked route, may name nothing
    // the caller can see.
    if path.contains('{') || (checks_permission && (has_body || has_params)) {
        statuses.push(404);
    }
    if has_body {
        statuses.extend([413, 415]);
    }
    if !WITHOUT_DATABASE.contains(&path) {
        statuses.push(503);
    }
    for (m, p, extra) in ROUTE_STATUSES {
        if *m == method && *p == path {
            statuses.extend_from_slice(extra);
        }
    }
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

fn add_responses(method: &str, path: &str, operation: &mut Value) {
    let statuses = error_statuses(method, path, operation);
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for status in statuses {
        let Some((_, name, _)) = RESPONSES.iter().find(|(s, _, _)| *s == status) else {
            continue;
        };
        let key = status.to_string();
        match responses.get_mut(&key) {
            // A route's own description (which codes) stays; the body is the shared one.
            Some(Value::Object(own)) if !own.contains_key("content") => {
                own.insert("content".into(), error_content());
            }
            Some(_) => {}
            None => {
                let reference = json!({ "$ref": format!("#/components/responses/{name}") });
                responses.insert(key, reference);
            }
        }
    }
}

fn error_content() -> Value {
    json!({ "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } })
}

fn add_components(doc: &mut Value) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    let Some(components) = components else {
        return;
    };
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    let schemas = components.entry("schemas").or_insert_with(|| json!({}));
    schemas["Error"] = json!({
        "description": "Every error answer. `message` is in the `Accept-Language` language.",
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": { "type": "string", "enum": codes },
            "message": { "type": "string" },
            "detail": { "type": "string", "description": "For developers; at most 200 characters of it echo the input." },
            "details": { "description": "Structured data: the current item of a conflict, the rows of a rejected file." },
            "request_id": { "type": ["string", "null"], "description": "Server faults only." }
        }
    });
    let retry_after = json!({ "Retry-After": {
        "description": "Seconds to wait.", "schema": { "type": "integer", "minimum": 0 } } });
    let mut responses = Map::new();
    for (status, name, description) in RESPONSES {
        let mut response = json!({ "description": description, "content": error_content() });
        if matches!(status, 429 | 503) {
            response["headers"] = retry_after.clone();
        }
        responses.insert((*name).to_owned(), response);
    }
    components.insert("responses".into(), Value::Object(responses));
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Value {
    json!(all.iter().map(|v| name(*v)).collect::<Vec<_>>())
}

/// (schema, property, constraint merged into the property's schema).
pub fn schema_constraints() -> Vec<(&'static str, &'static str, Value)> {
    let roles = json!({ "enum": names(Role::ALL, Role::as_str) });
    let categories = json!({ "enum": names(PositionCategory::ALL, PositionCategory::as_str) });
    let sections = json!({ "enum": names(Section::ALL, Section::as_str) });
    let every_platform = [
        DevicePlatform::Android,
        DevicePlatform::Ios,
        DevicePlatform::Web,
        DevicePlatform::Other,
    ];
    let platforms = json!({ "enum": names(&every_platform, DevicePlatform::as_str) });
    let locales: Vec<&str> = Locale::ALL.iter().map(|l| l.tag()).collect();
    let locale = json!({ "enum": locales });
    let pinfl = json!({ "pattern": "^[0-9]{14}$" });
    let date = json!({ "format": "date" });
    vec![
        ("CreateGrant", "role", roles.clone()),
        ("GrantView", "role", roles.clone()),
        ("RoleView", "role", roles),
        ("CreatePosition", "category", categories.clone()),
        ("UpdatePosition", "category", categories.clone()),
        ("PositionView", "category", categories),
        ("NewItem", "section", sections),
        ("DeviceRequest", "platform", platforms),
        ("UpdateMe", "locale", locale.clone()),
        ("CreateAccount", "locale", locale),
        ("CreateEmployee", "pinfl", pinfl.clone()),
        ("PersonView", "pinfl", pinfl),
        ("CreateEmployee", "birth_date", date.clone()),
        ("CreateEmployee", "hire_date", date),
    ]
}

/// (parameter name, path prefix, constraint replacing the parameter's schema).
pub fn parameter_constraints() -> Vec<(&'static str, &'static str, Value)> {
    let states = names(RequestState::ALL, RequestState::as_str);
    vec![
        (
            "limit",
            "/api/v1/sync/changes",
            json!({ "type": "integer", "minimum": 1, "maximum": 1000 }),
        ),
        (
            "limit",
            "/api/v1/",
            json!({ "type": "integer", "minimum": 1, "maximum": xodim_domain::paging::MAX_LIMIT }),
        ),
        (
            "after",
            "/api/v1/",
            json!({ "type": "string", "format": "uuid" }),
        ),
        (
            "state",
            "/api/v1/hr/requests",
            json!({ "type": "string", "enum": states }),
        ),
        (
            "hash",
            "/api/v1/evidence/",
            json!({ "type": "string", "pattern": "^[0-9a-f]{64}$" }),
        ),
    ]
}

fn constrain_schemas(doc: &mut Value) {
    for (schema, property, constraint) in schema_constraints() {
        let target = doc
            .pointer_mut(&format!(
                "/components/schemas/{schema}/properties/{property}"
            ))
            .and_then(Value::as_object_mut);
        if let (Some(target), Some(constraint)) = (target, constraint.as_object()) {
            target.extend(constraint.clone());
        }
    }
}

fn constrain_parameters(path: &str, operation: &mut Value) {
    let Some(params) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let constraints = parameter_constraints();
    for param in params {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let found = constraints
            .iter()
            .find(|(n, prefix, _)| *n == name && path.starts_with(prefix));
        if let Some((_, _, schema)) = found {
            param["schema"] = schema.clone();
        }
    }
}
