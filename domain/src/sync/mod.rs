//! The sync protocol shared by the server and the phone: scopes, the opaque cursor, the wire
//! shapes of a pull and of an intent batch, and the aggregates that travel as intents.
//!
//! The server is authoritative. The phone sends *intents* (named commands with the version it
//! saw) and pulls *changes* (entity versions per scope) until it holds the server's view.

pub mod contact;
pub mod cursor;
pub mod scope;
pub mod wire;

pub use contact::{ContactDecision, ContactDetails, Email, Phone, decide_contact_update};
pub use cursor::Cursor;
pub use scope::Scope;
pub use wire::*;
