//! The audit trail: every change to a personnel record and every decision on a correction
//! request becomes an event, written in the transaction of the change so that neither exists
//! without the other.
//!
//! Events form a hash chain: each carries the hash of the one before it and a hash over all of
//! its own fields (see [`event_hash`] for the encoding). A one-row head keeps the last seq and
//! hash; appending locks it, so concurrent writers get consecutive seqs in commit order and the
//! chain has no gaps. [`verify`] walks the chain and names the first event where it breaks.

mod chain;
mod verify;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, IntoActiveModel};
use serde_json::Value;
use uuid::Uuid;

pub use chain::{GENESIS_HASH, event_hash};
pub use verify::{Verification, verify};

use crate::db::entities::audit_event;

/// The id of the single row of `audit_head`.
const HEAD_ID: i32 = 1;

/// What happened, by whom, to what. `before` and `after` are snapshots of the entity (absent
/// for a creation, a deletion or a read).
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// The account that acted.
    pub actor: Option<Uuid>,
    /// The account on whose behalf it acted, e.g. the servant whose request HR applied.
    pub on_behalf_of: Option<Uuid>,
    /// The device session the action came from.
    pub device: Option<Uuid>,
    /// E.g. `record.update`, `correction.approve`, `record.read_relatives`.
    pub action: &'a str,
    /// E.g. `record`, `correction_request`, `employee`.
    pub entity: &'a str,
    /// The id of the entity acted on.
    pub entity_id: Uuid,
    /// The entity before the action.
    pub before: Option<Value>,
    /// The entity after the action.
    pub after: Option<Value>,
    /// The sync intent that carried the action, if it came from a phone's outbox.
    pub intent_id: Option<Uuid>,
    /// When the client says the action happened.
    pub client_time: Option<DateTime<Utc>>,
}

/// Appends in the caller's transaction; returns the event's seq.
///
/// The head row stays locked until the transaction ends, so audited transactions run one at a
/// time from this call to their commit. Writers append before they bump sync scopes
/// ([`crate::sync::log::record`]); keep that order, since two transactions taking the same
/// locks in opposite orders could deadlock.
pub async fn append(txn: &impl ConnectionTrait, event: AuditEvent<'_>) -> Result<i64, DbErr> {
    let (seq, prev_hash) = claim(txn).await?;
    let mut row = stored(event, seq, prev_hash);
    row.hash = event_hash(&row);
    let hash = row.hash.clone();
    audit_event::Entity::insert(row.into_active_model().reset_all())
        .exec_without_returning(txn)
        .await?;
    let head = Query::update()
        .table("audit_head")
        .value("hash", hash)
        .and_where(Expr::col("id").eq(HEAD_ID))
        .to_owned();
    txn.execute(&head).await?;
    Ok(seq)
}

/// Takes the next seq and the hash to link to. The update locks the head row on PostgreSQL (a
/// concurrent appender waits, then sees the committed head) and, being a write, takes SQLite's
/// write lock at once rather than upgrading a read snapshot that may be stale by then.
async fn claim(txn: &impl ConnectionTrait) -> Result<(i64, String), DbErr> {
    let statement = Query::update()
        .table("audit_head")
        .value("seq", Expr::col("seq").add(1))
        .and_where(Expr::col("id").eq(HEAD_ID))
        .returning(Query::returning().columns(["seq", "hash"]))
        .to_owned();
    let row = txn
        .query_one(&statement)
        .await?
        .ok_or_else(|| DbErr::Custom("the audit head row is missing".into()))?;
    Ok((row.try_get("", "seq")?, row.try_get("", "hash")?))
}

/// The row as the database will give it back, without its hash yet.
fn stored(event: AuditEvent<'_>, seq: i64, prev_hash: String) -> audit_event::Model {
    audit_event::Model {
        seq,
        prev_hash,
        hash: String::new(),
        actor_account: event.actor,
        on_behalf_of: event.on_behalf_of,
        device_session: event.device,
        action: event.action.to_owned(),
        entity: event.entity.to_owned(),
        entity_id: event.entity_id,
        before: event.before.as_ref().map(Value::to_string),
        after: event.after.as_ref().map(Value::to_string),
        intent_id: event.intent_id,
        client_time: event.client_time.map(chain::to_micros),
        server_time: chain::to_micros(Utc::now()),
    }
}
