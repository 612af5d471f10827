//! The fake server's endpoints: the real server's protocol, reduced to what the core uses.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use xodim_domain::sync::*;
use xodim_domain::{ErrorCode, Locale};

use super::fake_server::{Entry, LOGIN, PASSWORD, State, Verdict};
use crate::{HttpRequest, HttpResponse};

fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

pub(super) fn respond(status: u16, body: &impl Serialize) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![],
        body: serde_json::to_vec(body).unwrap(),
    }
}

pub(super) fn error(status: u16, code: ErrorCode, locale: Locale) -> HttpResponse {
    let body = json!({"code": code.as_str(), "message": code.message(locale), "detail": ""});
    respond(status, &body)
}

fn query(url: &str, name: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or("");
    let mut bytes = Vec::new();
    let mut rest = raw.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(&tail[..2]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// `503 unavailable`, as a server answers while its database is away.
pub(super) fn unavailable(retry_after: Option<u64>) -> HttpResponse {
    let mut response = error(503, ErrorCode::Unavailable, Locale::En);
    if let Some(secs) = retry_after {
        response
            .headers
            .push(named("Retry-After", &secs.to_string()));
    }
    response
}

fn named(name: &str, value: &str) -> crate::Header {
    crate::Header {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

/// Serves a request within the server's body limit: a larger intent batch is refused whole
/// (the real server's error answers do not name the limit); sync answers name it if told to.
pub fn serve_sized(
    state: &mut State,
    path: &str,
    request: &HttpRequest,
    now: DateTime<Utc>,
) -> HttpResponse {
    if path == "/api/v1/sync/intents" {
        let size = request.body.as_ref().map_or(0, Vec::len);
        let too_large = size > state.max_body;
        state.intent_bodies.push((size, too_large));
        if too_large {
            let locale = Locale::negotiate(header(request, "Accept-Language"));
            return error(413, ErrorCode::BodyTooLarge, locale);
        }
    }
    let mut response = serve(state, path, request, now);
    let ok = (200..300).contains(&response.status);
    if ok && state.advertise_limit && path.starts_with("/api/v1/sync/") {
        let limit = state.max_body.to_string();
        response.headers.push(named("Xodim-Max-Body-Bytes", &limit));
    }
    response
}

fn serve(state: &mut State, path: &str, request: &HttpRequest, now: DateTime<Utc>) -> HttpResponse {
    let locale = Locale::negotiate(header(request, "Accept-Language"));
    // Evidence travels as raw bytes; everything else is JSON.
    let body: Value = request
        .body
        .as_ref()
        .and_then(|b| serde_json::from_slice(b).ok())
        .unwrap_or(Value::Null);
    match path {
        "/api/v1/auth/login" => login(state, &body, now, locale),
        "/api/v1/auth/refresh" => refresh(state, &body, now, locale),
        _ => {
            let token = header(request, "Authorization").and_then(|h| h.strip_prefix("Bearer "));
            match token.and_then(|t| state.access.get(t)) {
                None => return error(401, ErrorCode::TokenInvalid, locale),
                Some(expiry) if *expiry <= now => {
                    return error(401, ErrorCode::TokenExpired, locale);
                }
                Some(_) => {}
            }
            match path {
                "/api/v1/auth/logout" => {
                    state.end_sessions();
                    HttpResponse {
                        status: 204,
                        headers: vec![],
                        body: vec![],
                    }
                }
                "/api/v1/devices/current/push-token" => {
                    push_token(state, &request.method, body, locale)
                }
                "/api/v1/sync/changes" => changes(state, &request.url, locale),
                "/api/v1/sync/intents" => intents(state, body, locale, now),
                _ => match path.strip_prefix("/api/v1/evidence/") {
                    Some(hash) if request.method == "PUT" => {
                        let content_type = header(request, "Content-Type").unwrap_or_default();
                        let bytes = request.body.as_deref().unwrap_or_default();
                        upload(state, hash, content_type, bytes, locale)
                    }
                    _ => error(404, ErrorCode::RouteNotFound, locale),
                },
            }
        }
    }
}

/// `PUT` replaces the session's push token, `DELETE` drops it; both answer 204.
fn push_token(state: &mut State, method: &str, body: Value, locale: Locale) -> HttpResponse {
    match method {
        "PUT" if body["token"].as_str().is_some_and(|t| !t.is_empty()) => {
            state.push_token = Some(body);
        }
        "PUT" => return error(400, ErrorCode::InvalidField, locale),
        _ => state.push_token = None,
    }
    HttpResponse {
        status: 204,
        headers: vec![],
        body: vec![],
    }
}

fn login(state: &mut State, body: &Value, now: DateTime<Utc>, locale: Locale) -> HttpResponse {
    if body["login"] != LOGIN || body["password"] != PASSWORD {
        return error(401, ErrorCode::InvalidCredentials, locale);
    }
    let installation = body["device"]["installation_id"].as_str().unwrap();
    state.installation_ids.push(installation.parse().unwrap());
    let tokens = state.issue(now);
    respond(200, &tokens)
}

fn refresh(state: &mut State, body: &Value, now: DateTime<Utc>, locale: Locale) -> HttpResponse {
    let token = body["refresh_token"].as_str().unwrap_or_default();
    match state.refresh.get(token).copied() {
        None => error(401, ErrorCode::RefreshTokenInvalid, locale),
        Some(true) => {
            state.end_sessions();
            error(401, ErrorCode::RefreshTokenReused, locale)
        }
        Some(false) => {
            state.refresh.insert(token.to_owned(), true);
            let tokens = state.issue(now);
            respond(200, &tokens)
        }
    }
}

fn changes(state: &mut State, url: &str, locale: Locale) -> HttpResponse {
    let text = query(url, "cursor");
    let limit: usize = query(url, "limit").parse().unwrap();
    if state.refuse_cursor_once && !text.is_empty() {
        state.refuse_cursor_once = false;
        return error(400, ErrorCode::InvalidCursor, locale);
    }
    let Ok(sent) = Cursor::decode(&text) else {
        return error(400, ErrorCode::InvalidCursor, locale);
    };
    let held: HashSet<Scope> = state.held.iter().copied().collect();
    let removed_scopes: Vec<Scope> = sent
        .scopes()
        .filter(|s| !held.contains(s))
        .copied()
        .collect();
    let limit = limit.min(state.page_cap);
    let (mut next, mut changes, mut has_more) = (Cursor::default(), Vec::new(), false);
    for scope in &state.held {
        let position = sent.position(scope);
        let mut rows: Vec<(&(EntityKind, Uuid), &Entry)> = state
            .log
            .get(scope)
            .into_iter()
            .flatten()
            .filter(|(_, entry)| entry.version > position)
            .collect();
        rows.sort_by_key(|(_, entry)| entry.version);
        let room = limit - changes.len();
        let mut reached = state.heads.get(scope).copied().unwrap_or(0);
        if rows.len() > room {
            has_more = true;
            rows.truncate(room);
            reached = rows.last().map_or(position, |(_, entry)| entry.version);
        }
        for ((kind, id), entry) in rows {
            let change = Change {
                scope: *scope,
                kind: *kind,
                id: *id,
                version: entry.version,
                data: entry.data.clone(),
            };
            changes.push(change);
        }
        next.set(*scope, reached);
    }
    let page = ChangesPage {
        changes,
        cursor: next.encode(),
        has_more,
        scopes: state.held.clone(),
        removed_scopes,
        reset_scopes: vec![],
    };
    respond(200, &page)
}

fn intents(state: &mut State, body: Value, locale: Locale, now: DateTime<Utc>) -> HttpResponse {
    let batch: IntentBatch = serde_json::from_value(body).unwrap();
    assert!(
        batch.intents.len() <= 100,
        "the core keeps batches within the limit"
    );
    let results = batch
        .intents
        .into_iter()
        .map(|intent| match state.outcomes.get(&intent.id) {
            Some(stored) => stored.clone(),
            None => {
                let outcome = answer(state, &intent, locale, now);
                state.outcomes.insert(intent.id, outcome.clone());
                outcome
            }
        })
        .collect();
    respond(200, &IntentResults { results })
}

/// Answers an intent as the test scripted it.
fn answer(state: &mut State, intent: &Intent, locale: Locale, now: DateTime<Utc>) -> IntentOutcome {
    let refused = |status, code: ErrorCode, current| IntentOutcome {
        id: intent.id,
        status,
        code: Some(code),
        message: Some(code.message(locale).to_owned()),
        current,
        visible_at: None,
    };
    match state.verdict(intent, now) {
        Verdict::Rejected(code) => refused(IntentStatus::Rejected, code, None),
        Verdict::Conflict(current) => {
            refused(IntentStatus::Conflict, ErrorCode::VersionConflict, current)
        }
        Verdict::Applied => {
            state.applications += 1;
            let mut visible = Cursor::default();
            for (scope, head) in &state.heads {
                visible.set(*scope, *head);
            }
            IntentOutcome {
                id: intent.id,
                status: IntentStatus::Applied,
                code: None,
                message: None,
                current: None,
                visible_at: Some(visible.encode()),
            }
        }
    }
}

/// `PUT /api/v1/evidence/{hash}`: stored under its content hash, unless refused as told.
fn upload(
    state: &mut State,
    hash: &str,
    content_type: &str,
    body: &[u8],
    locale: Locale,
) -> HttpResponse {
    if let Some((status, code)) = state.refuse_uploads {
        return error(status, code, locale);
    }
    let digest: String = Sha256::digest(body)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    if digest != hash {
        return error(400, ErrorCode::EvidenceHashMismatch, locale);
    }
    let known = state.evidence.insert(hash.to_owned(), body.to_vec());
    let status = if known.is_some() { 200 } else { 201 };
    let answer = json!({ "hash": hash, "size": body.len(), "content_type": content_type });
    respond(status, &answer)
}
