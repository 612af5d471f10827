//! What the contact screen shows.

use rusqlite::Connection;
use xodim_domain::contact::ContactAddress;
use xodim_domain::sync::Cursor;

use super::CONTACT;
use super::overlay::{self, ContactState};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::entities;
use crate::store::meta::{self, Key};
use crate::store::outbox;

/// The account's contact details as the user should see them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactView {
    /// Phone, `+998…`.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// The version, the user's own queued changes included.
    pub version: i64,
    /// Whether it shows changes the server has not confirmed yet.
    pub pending: bool,
}

/// The contact details of the signed-in account, if any are known.
pub(crate) fn contact(ctx: &Context) -> Result<Option<ContactView>> {
    ctx.store.read(|conn| {
        let Some(account_id) = meta::get(conn, Key::AccountId)? else {
            return Ok(None);
        };
        Ok(contact_state(conn, &account_id)?.map(|state| ContactView {
            phone: state.phone,
            email: state.email,
            address: state.address,
            version: state.version,
            pending: state.pending,
        }))
    })
}

/// The aggregate of the contact details of `account_id`, as stored in the session.
pub(crate) fn address_of(account_id: &str) -> Result<ContactAddress> {
    let account = account_id
        .parse()
        .map_err(|err| Error::Corrupt(format!("account id: {err}")))?;
    Ok(ContactAddress(account))
}

/// The contact details of `account_id` as the user sees them (server data plus the overlay).
pub(crate) fn contact_state(conn: &Connection, account_id: &str) -> Result<Option<ContactState>> {
    let base = entities::find(conn, CONTACT, account_id)?;
    let cursor = meta::get(conn, Key::Cursor)?.unwrap_or_default();
    // A cursor this version cannot read covers nothing; applied changes then stay on top until
    // the server's data is pulled again under a readable cursor.
    let cursor = Cursor::decode(&cursor).unwrap_or_default();
    let outbox = outbox::all(conn)?;
    let aggregate = address_of(account_id)?.to_string();
    overlay::contact(base.as_deref(), &outbox, &aggregate, &cursor)
}
