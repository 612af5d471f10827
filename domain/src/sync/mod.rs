//! The sync protocol shared by the server and the phone: scopes, the opaque cursor, the wire
//! shapes of a pull and of an intent batch. Features (contact, records, …) own their intents.
//!
//! The server is authoritative. The phone sends *intents* (named commands with the version it
//! saw) and pulls *changes* (entity versions per scope) until it holds the server's view.

pub mod address;
pub mod cursor;
pub mod scope;
pub mod wire;

pub use address::{namespace_of, parse_address};
pub use cursor::Cursor;
pub use scope::Scope;
pub use wire::*;
