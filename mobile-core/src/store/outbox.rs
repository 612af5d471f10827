//! The outbox: every intent the user made on this device, with its state, in the order made.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, Transaction, params};
use serde_json::Value;
use uuid::Uuid;

use crate::error::Result;

/// Where an intent is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum IntentState {
    /// Waiting to be sent (perhaps not before a back-off time).
    Queued,
    /// Sent; the answer has not arrived yet.
    Sending,
    /// The server applied it.
    Applied,
    /// The server refused it for good.
    Rejected,
    /// The data changed since the user decided; they decide again.
    Conflict,
}

impl IntentState {
    fn as_str(self) -> &'static str {
        match self {
            IntentState::Queued => "queued",
            IntentState::Sending => "sending",
            IntentState::Applied => "applied",
            IntentState::Rejected => "rejected",
            IntentState::Conflict => "conflict",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "queued" => IntentState::Queued,
            "sending" => IntentState::Sending,
            "applied" => IntentState::Applied,
            "rejected" => IntentState::Rejected,
            "conflict" => IntentState::Conflict,
            _ => return None,
        })
    }

    /// Whether the server has not decided it yet.
    pub(crate) fn is_pending(self) -> bool {
        matches!(self, IntentState::Queued | IntentState::Sending)
    }
}

/// One stored intent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutboxRow {
    /// Local order of creation.
    pub seq: i64,
    /// The intent id the server knows it by.
    pub intent_id: Uuid,
    /// The command, e.g. `contact.update`.
    pub kind: String,
    /// The aggregate it acts on.
    pub aggregate: String,
    /// The version the user saw.
    pub expectation: Option<i64>,
    /// The command's arguments.
    pub args: Value,
    /// When the user acted.
    pub client_time: DateTime<Utc>,
    /// Its state.
    pub state: IntentState,
    /// How many sends got no answer.
    pub attempts: u32,
    /// Not to be sent before this time.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why it was refused or conflicted (wire code).
    pub code: Option<String>,
    /// The server's explanation.
    pub message: Option<String>,
    /// On conflict, the aggregate as the server has it.
    pub current: Option<Value>,
    /// On success, the cursor from which its effects are visible.
    pub visible_at: Option<String>,
}

/// What a new intent needs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewIntent {
    /// Its id.
    pub intent_id: Uuid,
    /// The command.
    pub kind: String,
    /// The aggregate.
    pub aggregate: String,
    /// The version the user saw.
    pub expectation: Option<i64>,
    /// The arguments.
    pub args: Value,
    /// When the user acted.
    pub client_time: DateTime<Utc>,
}

/// How the outcome of a send changes an intent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Settlement {
    /// Back to the queue, not to be sent before `not_before`.
    Retry {
        /// Sends so far that got no answer.
        attempts: u32,
        /// The back-off time.
        not_before: DateTime<Utc>,
    },
    /// A final decision.
    Final {
        /// `Applied`, `Rejected` or `Conflict`.
        state: IntentState,
        /// The wire code.
        code: Option<String>,
        /// The server's explanation.
        message: Option<String>,
        /// The aggregate now (conflict).
        current: Option<Value>,
        /// Where its effects are visible (applied).
        visible_at: Option<String>,
    },
}

fn ms(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

/// A stored value this code cannot read.
fn unreadable(what: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, what.into())
}

fn time(ms: i64) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| unreadable(format!("time {ms}")))
}

fn json(text: Option<String>) -> rusqlite::Result<Option<Value>> {
    text.map(|t| serde_json::from_str(&t).map_err(unreadable))
        .transpose()
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<OutboxRow> {
    let state: String = row.get("state")?;
    let intent_id: String = row.get("intent_id")?;
    Ok(OutboxRow {
        seq: row.get("seq")?,
        intent_id: Uuid::parse_str(&intent_id).map_err(unreadable)?,
        kind: row.get("type")?,
        aggregate: row.get("aggregate")?,
        expectation: row.get("expectation")?,
        args: json(Some(row.get("args")?))?.unwrap_or(Value::Null),
        client_time: time(row.get("client_time")?)?,
        state: IntentState::parse(&state)
            .ok_or_else(|| unreadable(format!("intent state {state:?}")))?,
        attempts: row.get("attempts")?,
        next_attempt_at: row
            .get::<_, Option<i64>>("next_attempt_at")?
            .map(time)
            .transpose()?,
        code: row.get("code")?,
        message: row.get("message")?,
        current: json(row.get("current")?)?,
        visible_at: row.get("visible_at")?,
    })
}

/// Every intent, oldest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<OutboxRow>> {
    let mut stmt = conn.prepare("SELECT * FROM outbox ORDER BY seq")?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Queues a new intent and returns it as stored.
pub(crate) fn insert(tx: &Transaction<'_>, new: &NewIntent) -> Result<OutboxRow> {
    tx.execute(
        "INSERT INTO outbox (intent_id, type, aggregate, expectation, args, client_time, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued')",
        params![
            new.intent_id.to_string(),
            new.kind,
            new.aggregate,
            new.expectation,
            new.args.to_string(),
            ms(new.client_time)
        ],
    )?;
    Ok(OutboxRow {
        seq: tx.last_insert_rowid(),
        intent_id: new.intent_id,
        kind: new.kind.clone(),
        aggregate: new.aggregate.clone(),
        expectation: new.expectation,
        args: new.args.clone(),
        client_time: new.client_time,
        state: IntentState::Queued,
        attempts: 0,
        next_attempt_at: None,
        code: None,
        message: None,
        current: None,
        visible_at: None,
    })
}

/// Marks intents as on their way to the server.
pub(crate) fn mark_sending(tx: &Transaction<'_>, ids: &[Uuid]) -> Result<()> {
    let mut stmt = tx.prepare(
        "UPDATE outbox SET state = 'sending' WHERE intent_id = ?1 AND state IN ('queued', 'sending')",
    )?;
    for id in ids {
        stmt.execute([id.to_string()])?;
    }
    Ok(())
}

/// Records how a send ended for one intent. Only an undecided intent changes: a decision, once
/// stored, is never overwritten.
pub(crate) fn settle(tx: &Transaction<'_>, id: Uuid, settlement: &Settlement) -> Result<()> {
    match settlement {
        Settlement::Retry {
            attempts,
            not_before,
        } => tx.execute(
            "UPDATE outbox SET state = 'queued', attempts = ?2, next_attempt_at = ?3
             WHERE intent_id = ?1 AND state IN ('queued', 'sending')",
            params![id.to_string(), attempts, ms(*not_before)],
        )?,
        Settlement::Final {
            state,
            code,
            message,
            current,
            visible_at,
        } => tx.execute(
            "UPDATE outbox SET state = ?2, code = ?3, message = ?4, current = ?5, visible_at = ?6,
                               next_attempt_at = NULL
             WHERE intent_id = ?1 AND state IN ('queued', 'sending')",
            params![
                id.to_string(),
                state.as_str(),
                code,
                message,
                current.as_ref().map(Value::to_string),
                visible_at
            ],
        )?,
    };
    Ok(())
}

/// Puts intents a killed app left as sending back into the queue.
pub(crate) fn requeue_interrupted(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET state = 'queued' WHERE state = 'sending'",
        [],
    )?;
    Ok(())
}

/// Outbox rows for tests, built from a queued intent and changed one field at a time.
#[cfg(test)]
impl OutboxRow {
    /// A queued intent: its id is `seq`, it expects version 0, has no arguments and was made at
    /// 1 800 000 000 s after the epoch, the tests' usual start.
    pub(crate) fn queued(seq: i64, kind: &str, aggregate: &str) -> OutboxRow {
        OutboxRow {
            seq,
            intent_id: Uuid::from_u128(u128::try_from(seq).unwrap_or_default()),
            kind: kind.to_owned(),
            aggregate: aggregate.to_owned(),
            expectation: Some(0),
            args: Value::Object(serde_json::Map::new()),
            client_time: DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
            state: IntentState::Queued,
            attempts: 0,
            next_attempt_at: None,
            code: None,
            message: None,
            current: None,
            visible_at: None,
        }
    }

    /// In `state`.
    pub(crate) fn in_state(mut self, state: IntentState) -> Self {
        self.state = state;
        self
    }

    /// Expecting `version`.
    pub(crate) fn expecting(mut self, version: i64) -> Self {
        self.expectation = Some(version);
        self
    }

    /// With these arguments.
    pub(crate) fn with_args(mut self, args: Value) -> Self {
        self.args = args;
        self
    }

    /// Made at `time`.
    pub(crate) fn made_at(mut self, time: DateTime<Utc>) -> Self {
        self.client_time = time;
        self
    }

    /// Applied, with its effects visible from `cursor`.
    pub(crate) fn applied_at(mut self, cursor: &str) -> Self {
        self.state = IntentState::Applied;
        self.visible_at = Some(cursor.to_owned());
        self
    }

    /// Sent once without an answer, not to be sent again before `time`.
    pub(crate) fn backing_off_until(mut self, time: DateTime<Utc>) -> Self {
        self.attempts = 1;
        self.next_attempt_at = Some(time);
        self
    }
}
