//! The one intent of the feature: a change of the contact details, validated by the domain and
//! queued in the outbox.

use serde_json::json;
use xodim_domain::contact::{CONTACT_UPDATE, ContactDetails};

use super::view;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::meta::{self, Key};
use crate::store::outbox::{self, NewIntent, OutboxRow};

/// Queues a change of the account's contact details, checked by the same rules as the server.
///
/// The expectation is the version the user sees, their own earlier queued changes included, so
/// that consecutive offline edits apply one after the other.
pub(crate) fn update_contact(
    ctx: &Context,
    phone: Option<&str>,
    email: Option<&str>,
    address: Option<&str>,
) -> Result<OutboxRow> {
    let details = ContactDetails::parse(phone, email, address)?;
    let args = json!({
        "phone": details.phone.as_ref().map(|p| p.as_str()),
        "email": details.email.as_ref().map(|e| e.as_str()),
        "address": details.address,
    });
    ctx.store.write(|tx| {
        let account_id = meta::get(tx, Key::AccountId)?.ok_or(Error::SignedOut)?;
        let aggregate = view::address_of(&account_id)?;
        let seen = view::contact_state(tx, &account_id)?.map_or(0, |state| state.version);
        let intent = NewIntent {
            intent_id: ctx.ids.next_intent_id(),
            kind: CONTACT_UPDATE.to_owned(),
            aggregate: aggregate.to_string(),
            expectation: Some(seen),
            args,
            client_time: ctx.clock.now(),
        };
        outbox::insert(tx, &intent)
    })
}
