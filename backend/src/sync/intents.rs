//! `POST /api/v1/sync/intents`: commands from devices, each decided once.
//!
//! An intent's effect, its change-log entries and its stored outcome are written in one
//! transaction, so a retry after a lost response finds the outcome and never applies twice.
//! Rejections and conflicts are stored too: a device that resends them gets the same answer.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, EntityTrait, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use xodim_domain::sync::{
    Cursor, Intent, IntentBatch, IntentOutcome, IntentResults, IntentStatus, Scope, namespace_of,
};
use xodim_domain::{DomainError, ErrorCode, Locale};

use super::engine::{Decision, IntentContext, Verdict};
use super::scopes;
use crate::auth::Actor;
use crate::db::entities::sync_intent;
use crate::error::{ApiError, ApiResult, locale_of};
use crate::state::AppState;

/// Most intents in one batch.
pub const MAX_BATCH: usize = 100;

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
        let (verdict, _) = reused.into_parts();
        return Ok(render(row.id, stored_of(verdict, None), locale));
    }
    let stored: Stored = serde_json::from_str(&row.outcome).map_err(ApiError::internal)?;
    Ok(render(row.id, stored, locale))
}

fn stored_of(verdict: Verdict, visible_at: Option<String>) -> Stored {
    Stored {
        status: verdict.status,
        code: verdict.code,
        detail: verdict.detail,
        current: verdict.current,
        visible_at,
    }
}

/// Hands the intent to the feature that owns its namespace.
async fn decide(
    state: &AppState,
    txn: &DatabaseTransaction,
    actor: &Actor,
    intent: &Intent,
) -> ApiResult<Decision> {
    let Some(feature) = state.features.owner(namespace_of(&intent.kind)) else {
        return Ok(Decision::unknown_intent(&intent.kind));
    };
    let cx = IntentContext {
        state,
        txn,
        actor,
        intent,
    };
    feature.decide(&cx).await
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

/// The row that remembers an intent as processed, with its outcome.
fn processed(
    intent: &Intent,
    actor: &Actor,
    print: &str,
    stored: &Stored,
) -> ApiResult<sync_intent::ActiveModel> {
    Ok(sync_intent::ActiveModel {
        id: Set(intent.id),
        account_id: Set(actor.account.as_uuid()),
        device_session_id: Set(actor.session.as_uuid()),
        kind: Set(intent.kind.chars().take(100).collect()),
        aggregate: Set(intent.aggregate.chars().take(200).collect()),
        fingerprint: Set(print.to_owned()),
        outcome: Set(serde_json::to_string(stored).map_err(ApiError::internal)?),
        client_time: Set(intent.client_time),
        processed_at: Set(Utc::now()),
    })
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
    let (verdict, publication) = decide(state, &txn, actor, intent).await?.into_parts();
    let written = publication.write(&txn).await?;
    let visible_at = visible_at(state, actor, written.heads()).await?;
    let stored = stored_of(verdict, visible_at);
    if let Err(err) = processed(intent, actor, &print, &stored)?
        .insert(&txn)
        .await
    {
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
    written.commit_and_poke(state, txn).await?;
    Ok(render(intent.id, stored, locale))
}
