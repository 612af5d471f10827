//! The account's own contact details: the smallest feature, and the one to copy.
//!
//! It owns the intent namespace `contact` (one type, `contact.update`), the `contact` entity the
//! server sends in the account's own scope, the overlay that shows queued changes on top of it,
//! and the view the app reads. The account's details are the aggregate `contact:<account id>`.

mod api;
mod intents;
mod overlay;
mod view;

use xodim_domain::contact::NAMESPACE;

pub use view::ContactView;

use crate::feature::Feature;

/// The entity kind of the contact details, as the change log names it.
pub(crate) const CONTACT: &str = "contact";

/// The contact feature, as the registry knows it.
pub(crate) struct Contact;

impl Feature for Contact {
    fn namespace(&self) -> &'static str {
        NAMESPACE
    }

    fn shown_in(&self) -> &'static [&'static str] {
        &[CONTACT]
    }
}
