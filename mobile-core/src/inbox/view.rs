//! What the inbox screen and the badge show, in the user's language.

use rusqlite::Connection;
use xodim_domain::records::InboxItem;
use xodim_domain::sync::Cursor;

use super::{INBOX, overlay};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::meta::{self, Key};
use crate::store::{entities, outbox};

/// An entry of the user's inbox.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InboxView {
    /// The entry.
    pub id: String,
    /// What happened, e.g. `correction_decided`.
    pub kind: String,
    /// The request it is about.
    pub request_id: String,
    /// What to tell the user, in their language.
    pub text: String,
    /// HR's note.
    pub note: Option<String>,
    /// When (Unix milliseconds).
    pub created_at_ms: i64,
    /// Whether the user read it, on this device or another one.
    pub read: bool,
}

/// An entry as stored, and whether the user sees it read.
pub(crate) struct Shown {
    pub item: InboxItem,
    pub read: bool,
}

/// The entries of the signed-in account's own scope, newest first, with their read state.
pub(crate) fn load(conn: &Connection) -> Result<Vec<Shown>> {
    let account = meta::get(conn, Key::AccountId)?.ok_or(Error::SignedOut)?;
    let own = format!("own:{account}");
    let cursor = meta::get(conn, Key::Cursor)?.unwrap_or_default();
    // A cursor this version cannot read covers nothing: the device's reads stay on top.
    let cursor = Cursor::decode(&cursor).unwrap_or_default();
    let read_here = overlay::read_here(&outbox::all(conn)?, &cursor);
    let mut shown: Vec<Shown> = entities::list_with_scope(conn, INBOX)?
        .into_iter()
        .filter(|(scope, _)| *scope == own)
        .filter_map(|(_, data)| serde_json::from_str::<InboxItem>(&data).ok())
        .map(|item| Shown {
            read: item.read_at.is_some() || read_here.contains(&item.id),
            item,
        })
        .collect();
    shown.sort_by_key(|s| std::cmp::Reverse((s.item.created_at, s.item.id)));
    Ok(shown)
}

/// The user's inbox, newest first.
pub(crate) fn inbox(ctx: &Context) -> Result<Vec<InboxView>> {
    let shown = ctx.store.read(load)?;
    let locale = ctx.locale();
    Ok(shown
        .into_iter()
        .map(|Shown { item, read }| InboxView {
            id: item.id.to_string(),
            kind: item.kind,
            request_id: item.request_id.to_string(),
            text: item.state.notice(item.section, locale),
            note: item.note,
            created_at_ms: item.created_at.timestamp_millis(),
            read,
        })
        .collect())
}

/// How many entries the user has not read: the badge.
pub(crate) fn unread_count(ctx: &Context) -> Result<u32> {
    let unread = ctx.store.read(load)?.iter().filter(|s| !s.read).count();
    Ok(u32::try_from(unread).unwrap_or(u32::MAX))
}
