//! What the delivery worker hands to a sender, and what a sender answers.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use uuid::Uuid;

/// One message to one device token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushMessage {
    /// The delivery's id: the same on every attempt, so that logs and the provider can tell a
    /// retry from a new message.
    pub id: Uuid,
    /// The device's registration token.
    pub token: String,
    /// The data payload: ids only (`kind`, `scope`, `entity`, `id`), never a name, a personal
    /// number or a text from a record.
    pub data: BTreeMap<String, String>,
    /// The visible alert, a fixed text per kind in the device's language; `None` sends a
    /// silent data message.
    pub alert: Option<Alert>,
    /// Messages with one key replace each other on the device: a burst shows as one alert.
    pub collapse_key: String,
    /// Delivered at once even to a sleeping device (high priority).
    pub urgent: bool,
    /// How long the provider may keep trying to reach the device.
    pub time_to_live: Duration,
}

/// A visible alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// Title line.
    pub title: String,
    /// Body line.
    pub body: String,
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Accepted by the provider.
    Sent,
    /// Failed for now (429, 5xx, a timeout, a lost connection): try again, not before `after`
    /// when the provider named a delay (`Retry-After`).
    Retry {
        /// The provider's requested delay.
        after: Option<Duration>,
        /// What happened, for the log and the metrics; no personal data.
        reason: String,
    },
    /// The token is no longer valid (`UNREGISTERED`, a token-level `INVALID_ARGUMENT`): it is
    /// removed and never used again.
    TokenGone {
        /// The provider's error status.
        reason: String,
    },
    /// Refused for good for another reason (bad credentials, a malformed message): marked
    /// failed with the reason, never retried.
    Failed {
        /// The provider's error status or the local cause.
        reason: String,
    },
}

/// Delivers messages to devices. Implementations never panic and never log personal data.
#[async_trait]
pub trait PushSender: Send + Sync {
    /// A short name for logs and metrics (`fcm`, `log`).
    fn name(&self) -> &'static str;

    /// Makes one attempt to deliver one message.
    async fn send(&self, message: &PushMessage) -> SendOutcome;
}
