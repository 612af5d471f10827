//! xodim-core: the phone's shared core. It keeps the signed-in user's data in a local SQLite
//! file, queues their changes as intents, and syncs both with the server; the Android and iOS
//! apps use it through uniffi.
//!
//! [`XodimCore`] is the entry point. The sync protocol is `xodim_domain::sync`.

#![warn(missing_docs)]

mod api;
mod auth;
mod clock;
mod contact;
mod context;
mod error;
mod feature;
mod inbox;
mod push;
mod records;
mod store;
mod sync;
mod transport;
mod views;

pub use api::XodimCore;
pub use clock::{Clock, IdSource, SystemClock, SystemIds};
pub use contact::ContactView;
pub use error::CoreError;
pub use inbox::InboxView;
pub use push::PushTokenView;
pub use records::{CorrectionRequestView, RecordView};
pub use store::outbox::IntentState;
pub use sync::{SyncListener, SyncReport};
pub use transport::{
    Header, HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};
pub use views::{EmployeeCardView, QueuedIntent, SessionInfo, UnitView};

uniffi::setup_scaffolding!();

#[cfg(test)]
mod tests;
