//! The `messages:send` request for one message, and what its answer means.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::push::{PushMessage, SendOutcome};

/// The body of `POST …/messages:send`. Android and APNs each get the collapse key, the
/// priority and the time to live in their own terms; `now` dates the APNs expiry.
pub(super) fn request_body(message: &PushMessage, now: DateTime<Utc>) -> Value {
    let ttl = message.time_to_live.as_secs();
    let expires = now
        .timestamp()
        .saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX));
    // APNs refuses priority 10 for a message without an alert: a silent one always goes at 5.
    let apns_priority = if message.urgent && message.alert.is_some() {
        "10"
    } else {
        "5"
    };
    let mut apns = json!({
        "headers": {
            "apns-collapse-id": message.collapse_key,
            "apns-priority": apns_priority,
            "apns-expiration": expires.to_string(),
        },
    });
    if message.alert.is_none() {
        // Wakes the app in the background to pull; without it iOS drops a data-only message.
        apns["payload"] = json!({"aps": {"content-available": 1}});
    }
    let mut body = json!({
        "token": message.token,
        "data": message.data,
        "android": {
            "priority": if message.urgent { "high" } else { "normal" },
            "collapse_key": message.collapse_key,
            "ttl": format!("{ttl}s"),
        },
        "apns": apns,
    });
    if let Some(alert) = &message.alert {
        body["notification"] = json!({"title": alert.title, "body": alert.body});
    }
    json!({ "message": body })
}

/// What one answer of `messages:send` means, apart from 401, which the caller handles by
/// refreshing its access token. `retry_after` is the header's value, if any.
pub(super) fn classify(
    status: StatusCode,
    retry_after: Option<&str>,
    body: &str,
    now: DateTime<Utc>,
) -> SendOutcome {
    if status.is_success() {
        return SendOutcome::Sent;
    }
    let error = FcmError::parse(body);
    let reason = error.reason(status);
    match status {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => SendOutcome::Retry {
            after: retry_after.and_then(|v| parse_retry_after(v, now)),
            reason,
        },
        s if s.is_server_error() => SendOutcome::Retry {
            after: None,
            reason,
        },
        _ if error.names_the_token() => SendOutcome::TokenGone { reason },
        _ => SendOutcome::Failed { reason },
    }
}

/// `Retry-After` as seconds or as an HTTP date; a date in the past means at once.
pub(super) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// The parts of a Google API error that say what went wrong.
#[derive(Debug, Default, Deserialize)]
struct FcmError {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    details: Vec<ErrorDetail>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorDetail {
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    field_violations: Vec<FieldViolation>,
}

#[derive(Debug, Default, Deserialize)]
struct FieldViolation {
    #[serde(default)]
    field: Option<String>,
}

#[derive(Deserialize)]
struct Envelope {
    error: FcmError,
}

impl FcmError {
    fn parse(body: &str) -> Self {
        serde_json::from_str::<Envelope>(body)
            .map(|e| e.error)
            .unwrap_or_default()
    }

    /// FCM's own error code (`UNREGISTERED`, `SENDER_ID_MISMATCH`), else the API status, else
    /// the HTTP status: never the error's message, which may quote the request.
    fn reason(&self, status: StatusCode) -> String {
        self.details
            .iter()
            .find_map(|d| d.error_code.clone())
            .or_else(|| self.status.clone())
            .unwrap_or_else(|| format!("HTTP {}", status.as_u16()))
    }

    /// `UNREGISTERED`, or `INVALID_ARGUMENT` whose field violation is the token itself (an
    /// invalid argument elsewhere is a malformed message, not a dead token).
    fn names_the_token(&self) -> bool {
        let code = |c: &str| {
            self.details
                .iter()
                .any(|d| d.error_code.as_deref() == Some(c))
        };
        let on_token = self
            .details
            .iter()
            .flat_map(|d| &d.field_violations)
            .any(|v| v.field.as_deref() == Some("message.token"));
        code("UNREGISTERED")
            || (on_token && (code("INVALID_ARGUMENT") || self.is("INVALID_ARGUMENT")))
    }

    fn is(&self, status: &str) -> bool {
        self.status.as_deref() == Some(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        assert_eq!(
            parse_retry_after("30", now()),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun, 01 Mar 2026 10:02:00 GMT", now()),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 01 Mar 2026 09:00:00 GMT", now()),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now()), None);
    }

    #[test]
    fn an_invalid_argument_elsewhere_than_the_token_is_a_failure_not_a_dead_token() {
        let body = r#"{"error": {"code": 400, "status": "INVALID_ARGUMENT", "details": [
            {"errorCode": "INVALID_ARGUMENT"},
            {"fieldViolations": [{"field": "message.data[0].value"}]}]}}"#;
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, None, body, now()),
            SendOutcome::Failed {
                reason: "INVALID_ARGUMENT".into()
            }
        );
    }

    #[test]
    fn an_answer_that_is_not_json_is_named_by_its_status() {
        assert_eq!(
            classify(StatusCode::BAD_GATEWAY, None, "<html>", now()),
            SendOutcome::Retry {
                after: None,
                reason: "HTTP 502".into()
            }
        );
        assert_eq!(
            classify(StatusCode::FORBIDDEN, None, "", now()),
            SendOutcome::Failed {
                reason: "HTTP 403".into()
            }
        );
    }
}
