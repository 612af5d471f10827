//! The xodim domain: identifiers, validated values, access rules and the
//! user-facing error catalogue shared by the server and the phone.
//!
//! Nothing here performs I/O; every rule can be checked in a plain unit test.

#![warn(missing_docs)]

#[macro_use]
mod macros;

pub mod access;
pub mod account;
pub mod contact;
pub mod error;
pub mod ids;
pub mod inbox;
pub mod l10n;
pub mod locale;
pub mod notify;
pub mod org;
pub mod paging;
pub mod person;
pub mod pinfl;
pub mod records;
pub mod sync;

pub use access::*;
pub use account::*;
pub use error::{DomainError, ErrorCode};
pub use ids::*;
pub use locale::Locale;
pub use org::*;
pub use paging::Page;
pub use person::*;
pub use pinfl::Pinfl;
