//! How the core reads the server's sync answers.
//!
//! These mirror `xodim_domain::sync::{ChangesPage, IntentResults}` but keep kinds, scopes and
//! codes as text, so that an app already installed keeps syncing when the server learns a new
//! entity kind, scope kind or error code.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use uuid::Uuid;

/// One change of a pulled page.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WireChange {
    /// The scope.
    pub scope: String,
    /// The entity kind.
    pub kind: String,
    /// The entity id.
    pub id: String,
    /// The scope's version at this change.
    pub version: i64,
    /// The entity, or `None` when it left the scope. Kept as the server's text: the store
    /// saves it as is, so parsing it into a tree only to print it again would be wasted.
    #[serde(default)]
    pub data: Option<Box<RawValue>>,
}

/// A pulled page.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WirePage {
    /// The changes.
    pub changes: Vec<WireChange>,
    /// The cursor to store.
    pub cursor: String,
    /// Whether to pull again at once.
    pub has_more: bool,
    /// Scopes the device lost: delete their data.
    #[serde(default)]
    pub removed_scopes: Vec<String>,
    /// Scopes to delete and fill again from the following changes.
    #[serde(default)]
    pub reset_scopes: Vec<String>,
}

/// The server's decision on one intent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct WireOutcome {
    /// The intent.
    pub id: Uuid,
    /// `applied`, `rejected` or `conflict`.
    pub status: String,
    /// The wire code of a refusal.
    #[serde(default)]
    pub code: Option<String>,
    /// The explanation in the request's language.
    #[serde(default)]
    pub message: Option<String>,
    /// The aggregate now (conflict).
    #[serde(default)]
    pub current: Option<Value>,
    /// Where the effects are visible (applied).
    #[serde(default)]
    pub visible_at: Option<String>,
}

/// The answer to a batch of intents.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct WireResults {
    /// One outcome per intent.
    pub results: Vec<WireOutcome>,
}
