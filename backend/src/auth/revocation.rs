//! Ending device sessions, and whether an access token's session has ended.
//!
//! The database is the record: a revoked session has `revoked_at` set, and an access token of a
//! disabled account is refused as well. The key-value store (Redis, or this process's memory)
//! is a cache in front of it: a revocation sets the flag `revoked:session:<id>` for as long as
//! an access token can live, and a flag that is missing (after a restart, a Redis that lost its
//! data, or a Redis that fails or is slow to answer) sends the check to the database, which
//! refills the flag.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;
use xodim_domain::{AccountId, SessionId};

use crate::db::{self, entities::account, entities::session};
use crate::error::ApiResult;
use crate::state::AppState;

/// How long the revocation check waits for the cache before it asks the database instead.
const CACHE_WAIT: Duration = Duration::from_millis(250);

/// Ends sessions: refresh tokens stop working at once, access tokens at the next request.
pub async fn revoke(state: &AppState, sessions: &[Uuid], reason: &str) -> ApiResult<()> {
    if sessions.is_empty() {
        return Ok(());
    }
    {
        let _turn = state.write_turn().await;
        let txn = db::begin_write(&state.db).await?;
        mark_revoked(&txn, sessions, reason, Utc::now()).await?;
        txn.commit().await?;
    }
    forget_access(state, sessions).await;
    Ok(())
}

/// Ends every session of an account (disabled account, password reset).
pub async fn revoke_all(state: &AppState, account: AccountId, reason: &str) -> ApiResult<()> {
    let sessions: Vec<Uuid> = {
        let _turn = state.write_turn().await;
        let txn = db::begin_write(&state.db).await?;
        let sessions = session::Entity::find()
            .select_only()
            .column(session::Column::Id)
            .filter(session::Column::AccountId.eq(account.as_uuid()))
            .filter(session::Column::RevokedAt.is_null())
            .into_tuple()
            .all(&txn)
            .await?;
        mark_revoked(&txn, &sessions, reason, Utc::now()).await?;
        txn.commit().await?;
        sessions
    };
    forget_access(state, &sessions).await;
    Ok(())
}

/// Marks sessions revoked in the database and forgets their push tokens, inside the caller's
/// transaction.
pub(super) async fn mark_revoked(
    db: &impl ConnectionTrait,
    sessions: &[Uuid],
    reason: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if sessions.is_empty() {
        return Ok(());
    }
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokeReason, Expr::value(reason))
        .filter(session::Column::Id.is_in(sessions.iter().copied()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    // A revoked session's push token is never used again.
    crate::push::outbox::forget_sessions(db, sessions).await?;
    Ok(())
}

/// Caches revocations that are committed in the database. The flag lives as long as an access
/// token could, and no longer. A cache that cannot take it costs a database read per request
/// of that session, never a refusal of the revocation.
pub(super) async fn forget_access(state: &AppState, sessions: &[Uuid]) {
    let ttl = Duration::from_secs(state.tokens.ttl_secs() + 60);
    for session in sessions {
        let flagged =
            tokio::time::timeout(CACHE_WAIT, state.kv.set_flag(&revoked_key(*session), ttl)).await;
        if !matches!(flagged, Ok(Ok(()))) {
            tracing::warn!(session = %session, "revocation not cached; the database still has it");
        }
    }
}

/// The key under which a revoked session is cached.
pub fn revoked_key(session: Uuid) -> String {
    format!("revoked:session:{session}")
}

/// Whether access tokens of this session are refused: a cached revocation answers at once,
/// anything else is decided by the database.
pub async fn is_revoked(state: &AppState, session: SessionId) -> ApiResult<bool> {
    let key = revoked_key(session.as_uuid());
    match tokio::time::timeout(CACHE_WAIT, state.kv.exists(&key)).await {
        Ok(Ok(true)) => return Ok(true),
        Ok(Ok(false)) => {}
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "revocation cache failed; asking the database")
        }
        Err(_) => tracing::warn!("revocation cache did not answer in time; asking the database"),
    }
    let ended = ended_in_database(&state.db, session.as_uuid()).await?;
    if ended {
        forget_access(state, &[session.as_uuid()]).await;
    }
    Ok(ended)
}

/// A session has ended when it is revoked, unknown, or its account is disabled or gone.
async fn ended_in_database(db: &impl ConnectionTrait, session: Uuid) -> ApiResult<bool> {
    let Some(found) = session::Entity::find_by_id(session).one(db).await? else {
        return Ok(true);
    };
    if found.revoked_at.is_some() {
        return Ok(true);
    }
    let disabled: Option<Option<DateTime<Utc>>> = account::Entity::find_by_id(found.account_id)
        .select_only()
        .column(account::Column::DisabledAt)
        .into_tuple()
        .one(db)
        .await?;
    Ok(disabled.is_none_or(|at| at.is_some()))
}
