//! Push notifications: rows of a transactional outbox, written with the change that causes
//! them, delivered by a worker in every instance through a [`PushSender`] (FCM HTTP v1, or a
//! log sender when no credentials are configured).
//!
//! A notification carries ids only (kind, scope, entity); the app pulls for the truth. A
//! visible alert is a fixed text per kind in the device's language, with no personal data.

pub mod fcm;
pub mod log_sender;
mod sender;

pub use fcm::{FcmConfigError, FcmSender, sender_from_settings};
pub use log_sender::LogSender;
pub use sender::{Alert, PushMessage, PushSender, SendOutcome};
