//! `POST /api/v1/sync/intents`: commands from devices, each decided once.
//!
//! An intent's effect, its change-log entries and its stored outcome are written in one
//! transaction, so a retry after a lost response finds the outcome and never applies twice.
//! Rejections and conflicts are stored too: a device that resends them gets the same answer.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use xodim_domain::contact::CONTACT_UPDATE;
use xodim_domain::records::CORRECTION_SUBMIT;
use xodim_domain::sync::{
    Cursor, Intent, IntentBatch, IntentOutcome, IntentResults, IntentStatus, Scope,
};
use xodim_domain::{DomainError, ErrorCode, Locale};

use super::log::Entry;
use super::{contact, log, scopes};
use crate::auth::Actor;
use crate::db::entities::sync_intent;
use crate::error::{ApiError, ApiResult, locale_of};
use crate::records::requests;
use crate::state::AppState;

/// Most intents in one batch.
pub const MAX_BATCH: usize = 100;

/// What an aggregate decided about an intent.
pub struct Decision {
    status: IntentStatus,
    code: Option<ErrorCode>,
    detail: Option<String>,
    current: Option<Value>,
    entries: Vec<Entry>,
}

impl Decision {
    /// Applied, with what it writes to the change log.
    pub fn applied(entries: Vec<Entry>) -> Self {
        Self {
            status: IntentStatus::Applied,
            code: None,
            detail: None,
            current: None,
            entries,
        }
    }

    /// The aggregate had moved on and the intent could not do what it asked, but the
    /// aggregate records that it was tried (an approval that sends a request to conflict):
    /// `current` is what it is now, `entries` what the attempt wrote.
    pub fn conflict_recorded(entries: Vec<Entry>, current: Value) -> Self {
        Self {
            entries,
            ..Self::conflict(Some(current))
        }
    }

    /// Refused for good.
    pub fn rejected(err: DomainError) -> Self {
        Self {
            status: IntentStatus::Rejected,
            code: Some(err.code),
            detail: Some(err.detail),
            current: None,
            entries: Vec::new(),
        }
    }

    /// The change-log entries of an applied decision, for callers outside the intent route.
    pub fn into_entries(self) -> Vec<Entry> {
        self.entries
    }

    /// The aggregate moved on; `current` is what it is now.
    pub fn conflict(current: Option<Value>) -> Self {
        Self {
            status: IntentStatus::Conflict,
            code: Some(ErrorCode::VersionConflict),
            detail: None,
            current,
            entries: Vec::new(),
        }
    }
}

/// The outcome as stored, without the message, which is rendered in each caller's language.
#[derive(Serialize, Deserialize)]
struct Stored {
    status: IntentStatus,
    code: Option<ErrorCode>,
    detail: Option<String>,
    current: Option<Value>,
    visible_at: Option<String>,
}

fn fingerprint(intent: &Intent) -> String {
    let text = format!(
        "{}\n{}\n{:?}\n{}",
        intent.kind, intent.aggregate, intent.expectation, intent.args
    );
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn render(id: uuid::Uuid, stored: Stored, locale: Locale) -> IntentOutcome {
    IntentOutcome {
        id,
        status: stored.status,
        message: stored.code.map(|c| c.message(locale).to_owned()),
        code: stored.code,
        current: stored.current,
        visible_at: stored.visible_at,
    }
}

/// Decides every intent of the batch in order.
#[utoipa::path(post, path = "/api/v1/sync/intents", tag = "sync",
    request_body(content = Value, description = "IntentBatch"),
    responses((status = 200, description = "IntentResults, one per intent in order")),
    security(("bearer" = [])))]
pub(crate) async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<IntentBatch>,
) -> ApiResult<HttpResponse> {
    if body.intents.len() > MAX_BATCH {
        return Err(ApiError::new(
            ErrorCode::TooManyIntents,
            format!("at most {MAX_BATCH} intents a batch"),
        ));
    }
    let locale = locale_of(&req);
    let mut results = Vec::with_capacity(body.intents.len());
    for intent in &body.intents {
        results.push(process(&state, &actor, intent, locale).await?);
    }
    Ok(HttpResponse::Ok().json(IntentResults { results }))
}

async fn replay(
    row: sync_intent::Model,
    actor: &Actor,
    print: &str,
    locale: Locale,
) -> ApiResult<IntentOutcome> {
    if row.account_id != actor.account.as_uuid() || row.fingerprint != print {
        let reused = Decision::rejected(DomainError::new(
            ErrorCode::IntentIdReused,
            "the id belongs to another intent",
        ));
        return Ok(render(row.id, stored_of(reused, None), locale));
    }
    let stored: Stored = serde_json::from_str(&row.outcome).map_err(ApiError::internal)?;
    Ok(render(row.id, stored, locale))
}

fn stored_of(decision: Decision, visible_at: Option<String>) -> Stored {
    Stored {
        status: decision.status,
        code: decision.code,
        detail: decision.detail,
        current: decision.current,
        visible_at,
    }
}

/// The positions at which the caller's devices can pull the effects: only scopes the caller
/// holds, since a device can never reach a position in a scope it does not sync.
async fn visible_at(
    state: &AppState,
    actor: &Actor,
    heads: &[(Scope, i64)],
) -> ApiResult<Option<String>> {
    if heads.is_empty() {
        return Ok(None);
    }
    let held = scopes::scopes_of(&state.db, &state.kv, actor.account).await?;
    let mut cursor = Cursor::default();
    heads
        .iter()
        .filter(|(scope, _)| held.contains(scope))
        .for_each(|(scope, version)| cursor.set(*scope, *version));
    Ok(Some(cursor.encode()))
}

async fn process(
    state: &AppState,
    actor: &Actor,
    intent: &Intent,
    locale: Locale,
) -> ApiResult<IntentOutcome> {
    let print = fingerprint(intent);
    if let Some(row) = sync_intent::Entity::find_by_id(intent.id)
        .one(&state.db)
        .await?
    {
        return replay(row, actor, &print, locale).await;
    }
    let _turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    let mut decision = match intent.kind.as_str() {
        CONTACT_UPDATE => contact::apply(&txn, actor, intent).await?,
        CORRECTION_SUBMIT => requests::submit(&txn, actor, intent).await?,
        kind if kind.starts_with("correction.") => {
            requests::apply_step(state, &txn, actor, intent).await?
        }
        other => Decision::rejected(DomainError::new(
            ErrorCode::UnknownIntent,
            format!("unknown intent type {other:?}"),
        )),
    };
    let heads = log::record(&txn, std::mem::take(&mut decision.entries), Utc::now()).await?;
    let visible_at = visible_at(state, actor, &heads).await?;
    let stored = stored_of(decision, visible_at);
    let row = sync_intent::ActiveModel {
        id: Set(intent.id),
        account_id: Set(actor.account.as_uuid()),
        device_session_id: Set(actor.session.as_uuid()),
        kind: Set(intent.kind.chars().take(100).collect()),
        aggregate: Set(intent.aggregate.chars().take(200).collect()),
        fingerprint: Set(print.clone()),
        outcome: Set(serde_json::to_string(&stored).map_err(ApiError::internal)?),
        client_time: Set(intent.client_time),
        processed_at: Set(Utc::now()),
    };
    if let Err(err) = row.insert(&txn).await {
        drop(txn);
        // Another request decided the same intent first; its outcome is the answer.
        return match sync_intent::Entity::find_by_id(intent.id)
            .one(&state.db)
            .await?
        {
            Some(row) => replay(row, actor, &print, locale).await,
            None => Err(err.into()),
        };
    }
    txn.commit().await?;
    state.notifier.moved(&state.kv, &heads).await?;
    Ok(render(intent.id, stored, locale))
}
