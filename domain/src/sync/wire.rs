//! What travels between the phone and the server during a sync.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::ErrorCode;
use crate::sync::scope::Scope;

/// The kinds of entity that appear in the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// The account's contact details ([`crate::contact::ContactRecord`]); id = account id.
    Contact,
    /// A staff member as their managers see them ([`EmployeeCard`]); id = employee id.
    EmployeeCard,
    /// An organisational unit of the catalogue ([`UnitRecord`]); id = unit id.
    Unit,
    /// An item of a personnel file ([`crate::records::RecordItem`]); id = item id.
    Record,
    /// A correction request ([`crate::records::CorrectionRequest`]); id = request id.
    CorrectionRequest,
    /// An inbox entry ([`crate::records::InboxItem`]); id = entry id.
    Inbox,
}

/// One entity version in one scope. `data` is absent when the entity left the scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The scope whose log this comes from.
    pub scope: Scope,
    /// What kind of entity.
    pub kind: EntityKind,
    /// The entity's id.
    pub id: Uuid,
    /// The scope's version at this change.
    pub version: i64,
    /// The entity as it is now, or `None` for a removal.
    pub data: Option<Value>,
}

/// Answer to `GET /api/v1/sync/changes?cursor=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesPage {
    /// Changes past the cursor, in version order within each scope.
    pub changes: Vec<Change>,
    /// The cursor to send next time (opaque).
    pub cursor: String,
    /// More changes are waiting: pull again at once.
    pub has_more: bool,
    /// Every scope the account holds now.
    pub scopes: Vec<Scope>,
    /// Scopes in the sent cursor the account no longer holds: delete their data.
    pub removed_scopes: Vec<Scope>,
    /// Scopes whose position was too old to continue from: delete their data; the changes of
    /// this and the following pages fill them again from the start.
    pub reset_scopes: Vec<Scope>,
}

/// The version a client saw when it decided on an intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    /// The aggregate's version; 0 when it did not exist.
    pub version: i64,
}

/// A command from a device: applied at most once, identified by its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// A UUID (v7) the device generated; resending the same id returns the stored result.
    pub id: Uuid,
    /// The command, e.g. `contact.update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The aggregate it acts on, e.g. `contact:<account id>`; intents on one aggregate are
    /// sent in order.
    pub aggregate: String,
    /// What the device saw.
    pub expectation: Option<Expectation>,
    /// Arguments of the command.
    pub args: Value,
    /// When the person acted, by the device's clock.
    pub client_time: Option<DateTime<Utc>>,
}

/// Body of `POST /api/v1/sync/intents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentBatch {
    /// The intents, in the order the device queued them.
    pub intents: Vec<Intent>,
}

/// How the server decided an intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentStatus {
    /// Done; its effects appear in the change log from `visible_at`.
    Applied,
    /// Refused for good; `code` and `message` say why. Never retry it.
    Rejected,
    /// The aggregate changed since the expectation; `current` holds what it is now.
    Conflict,
}

/// The result of one intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentOutcome {
    /// The intent's id.
    pub id: Uuid,
    /// The decision.
    pub status: IntentStatus,
    /// Why it was rejected or conflicted.
    pub code: Option<ErrorCode>,
    /// The reason in the caller's language.
    pub message: Option<String>,
    /// The aggregate as it is now (on conflict).
    pub current: Option<Value>,
    /// Cursor positions at which the effects are visible (on success): once a pull cursor
    /// covers them, the device's optimistic copy can be dropped.
    pub visible_at: Option<String>,
}

/// Answer to `POST /api/v1/sync/intents`, one outcome per intent in the same order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentResults {
    /// The outcomes.
    pub results: Vec<IntentOutcome>,
}

/// A staff member as their managers see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeCard {
    /// The employee.
    pub employee_id: Uuid,
    /// Full name in Latin script.
    pub full_name_latn: String,
    /// Full name in Cyrillic script.
    pub full_name_cyrl: String,
    /// Post title in Uzbek (Latin).
    pub post: String,
    /// The unit.
    pub unit_id: Uuid,
    /// Contact phone, if given.
    pub phone: Option<String>,
    /// Contact e-mail, if given.
    pub email: Option<String>,
}

/// A unit of the organisation catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRecord {
    /// The unit.
    pub unit_id: Uuid,
    /// Its parent, if any.
    pub parent_id: Option<Uuid>,
    /// Its code.
    pub code: String,
    /// Its name in Uzbek (Latin).
    pub name: String,
}
