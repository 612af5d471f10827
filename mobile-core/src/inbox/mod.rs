//! The user's inbox on the phone: the entries the server publishes in the account's own scope
//! (a decided correction request, …) and their read state.
//!
//! It owns the intent namespace `inbox` (one type, `inbox.read`); every entry is the aggregate
//! `inbox:<entry id>` (the domain's `InboxAddress`). A read shows at once, offline too, and
//! stays: the server keeps the first read of any device, and no step makes an entry unread.

mod api;
mod intents;
mod overlay;
mod view;

use xodim_domain::inbox::NAMESPACE;

pub use view::InboxView;

use crate::feature::Feature;

/// The entity kind of an inbox entry, as the change log names it.
pub(crate) const INBOX: &str = "inbox";

/// The inbox feature, as the registry knows it.
pub(crate) struct Inbox;

impl Feature for Inbox {
    fn namespace(&self) -> &'static str {
        NAMESPACE
    }

    fn shown_in(&self) -> &'static [&'static str] {
        &[INBOX]
    }
}
