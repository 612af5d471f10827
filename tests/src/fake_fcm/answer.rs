//! What the fake FCM answers to one `messages:send`, in FCM's own words.

use std::time::Duration;

use actix_web::HttpResponse;
use serde_json::{Value, json};
use uuid::Uuid;

use super::PROJECT_ID;

/// How the fake answers one `messages:send`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 200 with the message's name.
    Ok,
    /// 429 with this `Retry-After` value (seconds or an HTTP date).
    TooManyRequests(String),
    /// 503 with this `Retry-After` value.
    Unavailable(String),
    /// 500.
    ServerError,
    /// 404 `UNREGISTERED`: the app was uninstalled.
    Unregistered,
    /// 400 `INVALID_ARGUMENT` with a field violation on `message.token`.
    InvalidToken,
    /// 403 `PERMISSION_DENIED`.
    PermissionDenied,
    /// 401 `UNAUTHENTICATED`, whatever the access token.
    Unauthenticated,
    /// No answer for a minute: the client's timeout must end the wait.
    Hang,
}

pub(super) fn status_of(answer: &Answer) -> u16 {
    match answer {
        Answer::Ok => 200,
        Answer::TooManyRequests(_) => 429,
        Answer::Unavailable(_) => 503,
        Answer::ServerError => 500,
        Answer::Unregistered => 404,
        Answer::InvalidToken => 400,
        Answer::PermissionDenied => 403,
        Answer::Unauthenticated => 401,
        Answer::Hang => 504,
    }
}

/// A Google API error body as FCM writes it.
fn google_error(code: u16, status: &str, fcm_code: Option<&str>, field: Option<&str>) -> Value {
    let mut details = Vec::new();
    if let Some(fcm_code) = fcm_code {
        details.push(json!({
            "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
            "errorCode": fcm_code,
        }));
    }
    if let Some(field) = field {
        details.push(json!({
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": field, "description": "Invalid registration token"}],
        }));
    }
    json!({"error": {"code": code, "message": "fake", "status": status, "details": details}})
}

pub(super) async fn respond(answer: Answer) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status_of(&answer)).unwrap();
    let mut response = HttpResponse::build(status);
    match answer {
        Answer::Ok => response.json(json!({
            "name": format!("projects/{PROJECT_ID}/messages/{}", Uuid::new_v4().simple()),
        })),
        Answer::TooManyRequests(after) | Answer::Unavailable(after) => response
            .insert_header(("Retry-After", after))
            .json(google_error(
                429,
                "RESOURCE_EXHAUSTED",
                Some("QUOTA_EXCEEDED"),
                None,
            )),
        Answer::ServerError => response.json(google_error(500, "INTERNAL", Some("INTERNAL"), None)),
        Answer::Unregistered => {
            response.json(google_error(404, "NOT_FOUND", Some("UNREGISTERED"), None))
        }
        Answer::InvalidToken => response.json(google_error(
            400,
            "INVALID_ARGUMENT",
            Some("INVALID_ARGUMENT"),
            Some("message.token"),
        )),
        Answer::PermissionDenied => {
            response.json(google_error(403, "PERMISSION_DENIED", None, None))
        }
        Answer::Unauthenticated => response.json(google_error(401, "UNAUTHENTICATED", None, None)),
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            response.finish()
        }
    }
}
