//! Pure planning: what to send, how answers change the outbox, how a pulled page changes the
//! store. Nothing here does I/O; `apply` carries the plans out.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::ErrorCode;

use crate::error::{Error, Result};
use crate::store::entities::EntityRow;
use crate::store::outbox::{IntentState, OutboxRow, Settlement};
use crate::sync::batch::{self, Budget};
use crate::sync::wire::{WireOutcome, WirePage};

/// The first back-off after a send without an answer.
const BACKOFF_BASE_SECS: u64 = 1;
/// The longest back-off.
const BACKOFF_MAX_SECS: u64 = 300;

/// A change to the outbox: which intent, and how it ends (for now).
pub(crate) type OutboxUpdate = (Uuid, Settlement);

/// The intents to send now, oldest first, from the outbox in creation order: at most one per
/// aggregate, and only once every earlier intent on its aggregate has been decided; within the
/// budget's count and bytes.
///
/// A later intent was decided by the user on top of the earlier ones; if an earlier one
/// conflicts, the later one's expectation could match a version another device made and
/// silently overwrite it. Waiting for each decision lets a failure settle the rest of the
/// aggregate first (see [`plan_outcomes`]). An intent that must wait (back-off, full batch)
/// holds back its aggregate; other aggregates go on. An intent larger than the whole budget
/// goes alone, so that only it can be refused for its size.
pub(crate) fn plan_push(
    outbox: &[OutboxRow],
    now: DateTime<Utc>,
    budget: Budget,
) -> Vec<OutboxRow> {
    let mut held: HashSet<&str> = HashSet::new();
    let mut batch = Vec::new();
    let mut bytes = batch::envelope_size();
    for row in outbox.iter().filter(|row| row.state.is_pending()) {
        let due = row.next_attempt_at.is_none_or(|at| at <= now);
        if due && batch.len() < budget.intents && !held.contains(row.aggregate.as_str()) {
            let size = batch::wire_size(row).saturating_add(usize::from(!batch.is_empty()));
            if batch.is_empty() || bytes.saturating_add(size) <= budget.bytes {
                batch.push(row.clone());
                bytes = bytes.saturating_add(size);
            }
            if bytes > budget.bytes {
                break;
            }
        }
        held.insert(&row.aggregate);
    }
    batch
}

/// The server refused the batch as a whole, but it held more than one intent: they go back to
/// the queue as they were, to be sent again at once in smaller batches.
pub(crate) fn plan_resend(batch: &[OutboxRow], now: DateTime<Utc>) -> Vec<OutboxUpdate> {
    batch
        .iter()
        .map(|row| {
            let settlement = Settlement::Retry {
                attempts: row.attempts,
                not_before: now,
            };
            (row.intent_id, settlement)
        })
        .collect()
}

/// How long to wait after `attempts` sends without an answer: 1 s, 2 s, 4 s … up to 5 min.
pub(crate) fn backoff(attempts: u32) -> TimeDelta {
    let factor = 1u64
        .checked_shl(attempts.saturating_sub(1))
        .unwrap_or(u64::MAX);
    let secs = BACKOFF_BASE_SECS
        .saturating_mul(factor)
        .min(BACKOFF_MAX_SECS);
    TimeDelta::seconds(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// The batch got no answer, or the server could not decide it now: each intent goes back to
/// the queue with one more attempt, not before the server's `Retry-After` when it named one,
/// else after the back-off.
pub(crate) fn plan_retry(
    batch: &[OutboxRow],
    now: DateTime<Utc>,
    retry_after: Option<TimeDelta>,
) -> Vec<OutboxUpdate> {
    batch
        .iter()
        .map(|row| retry(row, now, retry_after))
        .collect()
}

fn retry(row: &OutboxRow, now: DateTime<Utc>, retry_after: Option<TimeDelta>) -> OutboxUpdate {
    let attempts = row.attempts.saturating_add(1);
    let not_before = now + retry_after.unwrap_or_else(|| backoff(attempts));
    (
        row.intent_id,
        Settlement::Retry {
            attempts,
            not_before,
        },
    )
}

/// The server answered the batch: record each decision.
///
/// An intent queued on top of one that was rejected or conflicted was decided by the user on a
/// state that never came to be, so it conflicts too without being sent.
pub(crate) fn plan_outcomes(
    batch: &[OutboxRow],
    outcomes: &[WireOutcome],
    outbox: &[OutboxRow],
    now: DateTime<Utc>,
) -> Vec<OutboxUpdate> {
    let mut updates = Vec::with_capacity(batch.len());
    let mut failed: HashMap<&str, (i64, Option<Value>)> = HashMap::new();
    for row in batch {
        let decided = outcomes
            .iter()
            .find(|outcome| outcome.id == row.intent_id)
            .and_then(decision);
        let Some(settlement) = decided else {
            // No readable decision for this one: like a lost answer, it goes again later.
            updates.push(retry(row, now, None));
            continue;
        };
        if let Settlement::Final {
            state: IntentState::Rejected | IntentState::Conflict,
            current,
            ..
        } = &settlement
        {
            failed
                .entry(row.aggregate.as_str())
                .or_insert((row.seq, current.clone()));
        }
        updates.push((row.intent_id, settlement));
    }
    updates.extend(cascade(batch, outbox, &failed));
    updates
}

/// The server refused the whole batch (a malformed request): every intent in it is rejected
/// with the server's reason, so the queue cannot wedge on it.
pub(crate) fn plan_refusal(
    batch: &[OutboxRow],
    code: &str,
    message: &str,
    outbox: &[OutboxRow],
    now: DateTime<Utc>,
) -> Vec<OutboxUpdate> {
    let outcomes: Vec<WireOutcome> = batch
        .iter()
        .map(|row| WireOutcome {
            id: row.intent_id,
            status: "rejected".to_owned(),
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
            current: None,
            visible_at: None,
        })
        .collect();
    plan_outcomes(batch, &outcomes, outbox, now)
}

fn decision(outcome: &WireOutcome) -> Option<Settlement> {
    let state = match outcome.status.as_str() {
        "applied" => IntentState::Applied,
        "rejected" => IntentState::Rejected,
        "conflict" => IntentState::Conflict,
        _ => return None,
    };
    let code = match (state, &outcome.code) {
        (IntentState::Conflict, None) => Some(ErrorCode::VersionConflict.as_str().to_owned()),
        (_, code) => code.clone(),
    };
    Some(Settlement::Final {
        state,
        code,
        message: outcome.message.clone(),
        current: outcome.current.clone(),
        visible_at: outcome.visible_at.clone(),
    })
}

fn cascade(
    batch: &[OutboxRow],
    outbox: &[OutboxRow],
    failed: &HashMap<&str, (i64, Option<Value>)>,
) -> Vec<OutboxUpdate> {
    let sent: HashSet<Uuid> = batch.iter().map(|row| row.intent_id).collect();
    outbox
        .iter()
        .filter(|row| row.state.is_pending() && !sent.contains(&row.intent_id))
        .filter_map(|row| {
            let (seq, current) = failed.get(row.aggregate.as_str())?;
            (row.seq > *seq).then(|| {
                let settlement = Settlement::Final {
                    state: IntentState::Conflict,
                    code: Some(ErrorCode::VersionConflict.as_str().to_owned()),
                    // No server message: the catalogue explains it in the user's language.
                    message: None,
                    current: current.clone(),
                    visible_at: None,
                };
                (row.intent_id, settlement)
            })
        })
        .collect()
}

/// A write of one pulled change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EntityWrite {
    /// Store this version.
    Upsert(EntityRow),
    /// The entity left the scope.
    Delete {
        /// Its scope.
        scope: String,
        /// Its kind.
        kind: String,
        /// Its id.
        id: String,
    },
}

/// How one pulled page (or a restart) changes the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PullPlan {
    /// Delete every entity first (the cursor was refused).
    pub purge_all: bool,
    /// Delete these scopes' entities first.
    pub purge_scopes: Vec<String>,
    /// Then these writes, in order.
    pub writes: Vec<EntityWrite>,
    /// The cursor to store; `None` forgets it.
    pub cursor: Option<String>,
    /// How many changes the page carried.
    pub received: u64,
    /// Pull again at once.
    pub more: bool,
}

/// The plan for a page pulled with `sent_cursor`.
pub(crate) fn plan_page(page: WirePage, sent_cursor: &str) -> Result<PullPlan> {
    if page.has_more && page.changes.is_empty() && page.cursor == sent_cursor {
        return Err(Error::Corrupt(
            "the server has more changes but sent none".to_owned(),
        ));
    }
    let removed: HashSet<&str> = page.removed_scopes.iter().map(String::as_str).collect();
    let received = u64::try_from(page.changes.len()).unwrap_or(u64::MAX);
    let mut writes = Vec::with_capacity(page.changes.len());
    // A change in a scope being removed would stay behind for good: nothing purges it later.
    for change in page
        .changes
        .into_iter()
        .filter(|change| !removed.contains(change.scope.as_str()))
    {
        writes.push(match change.data {
            Some(data) => EntityWrite::Upsert(EntityRow {
                scope: change.scope,
                kind: change.kind,
                id: change.id,
                version: change.version,
                data: data.get().to_owned(),
            }),
            None => EntityWrite::Delete {
                scope: change.scope,
                kind: change.kind,
                id: change.id,
            },
        });
    }
    let mut purge_scopes = page.removed_scopes;
    purge_scopes.extend(page.reset_scopes);
    Ok(PullPlan {
        purge_all: false,
        purge_scopes,
        writes,
        cursor: Some(page.cursor),
        received,
        more: page.has_more,
    })
}

/// The plan after the server refused the cursor: forget every synced entity and the cursor,
/// then pull from scratch. The outbox stays: queued intents survive any resync.
pub(crate) fn plan_restart() -> PullPlan {
    PullPlan {
        purge_all: true,
        cursor: None,
        more: true,
        ..PullPlan::default()
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
