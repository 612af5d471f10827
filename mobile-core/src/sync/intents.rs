//! Making intents: validated by the domain, then queued in the outbox.

use serde_json::json;
use xodim_domain::contact::{CONTACT_UPDATE, ContactDetails};
use xodim_domain::sync::Cursor;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::entities;
use crate::store::meta::{self, Key};
use crate::store::outbox::{self, NewIntent, OutboxRow};
use crate::sync::overlay;

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
        let aggregate = overlay::contact_aggregate(&account_id);
        let seen = contact_state(tx, &account_id)?.map_or(0, |state| state.version);
        let intent = NewIntent {
            intent_id: ctx.ids.next_intent_id(),
            kind: CONTACT_UPDATE.to_owned(),
            aggregate,
            expectation: Some(seen),
            args,
            client_time: ctx.clock.now(),
        };
        outbox::insert(tx, &intent)
    })
}

/// The contact details of `account_id` as the user sees them (server data plus the overlay).
pub(crate) fn contact_state(
    conn: &rusqlite::Connection,
    account_id: &str,
) -> Result<Option<overlay::ContactState>> {
    let base = entities::find(conn, "contact", account_id)?;
    let cursor = meta::get(conn, Key::Cursor)?.unwrap_or_default();
    // A cursor this version cannot read covers nothing; applied changes then stay on top until
    // the server's data is pulled again under a readable cursor.
    let cursor = Cursor::decode(&cursor).unwrap_or_default();
    let outbox = outbox::all(conn)?;
    let aggregate = overlay::contact_aggregate(account_id);
    overlay::contact(base.as_deref(), &outbox, &aggregate, &cursor)
}
