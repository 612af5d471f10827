//! What the lists and the intents of this module read: the signed-in account's synced records
//! and requests with its outbox, and the requests as the user should see them.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use xodim_domain::records::{
    CORRECTION_SUBMIT, CorrectionRequest, RecordData, RecordItem, RequestAddress,
};
use xodim_domain::sync::Cursor;

use super::overlay::{self, Shown, Viewer};
use super::{RECORD, REQUEST};
use crate::error::{Error, Result};
use crate::store::entities;
use crate::store::meta::{self, Key};
use crate::store::outbox::{self, OutboxRow};

/// The stored data of this module, read at one moment.
pub(crate) struct Snapshot {
    /// The signed-in account.
    pub account: Uuid,
    /// Every intent made on this device.
    pub outbox: Vec<OutboxRow>,
    /// The items of the account's own file.
    pub records: Vec<RecordItem>,
    cursor: Cursor,
    own: BTreeMap<Uuid, CorrectionRequest>,
    reviewed: BTreeMap<Uuid, CorrectionRequest>,
}

/// Entities of `kind` in the scopes `keep` accepts. One this version cannot read is skipped
/// rather than hiding the whole list.
pub(crate) fn entities_of<T: DeserializeOwned>(
    conn: &Connection,
    kind: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<T>> {
    Ok(entities::list_with_scope(conn, kind)?
        .into_iter()
        .filter(|(scope, _)| keep(scope))
        .filter_map(|(_, data)| serde_json::from_str(&data).ok())
        .collect())
}

/// The signed-in account's id.
pub(crate) fn account(conn: &Connection) -> Result<Uuid> {
    let text = meta::get(conn, Key::AccountId)?.ok_or(Error::SignedOut)?;
    Uuid::parse_str(&text).map_err(|err| Error::Corrupt(format!("account id: {err}")))
}

impl Snapshot {
    /// Reads the snapshot; fails with `SignedOut` when no one is signed in.
    pub fn load(conn: &Connection) -> Result<Snapshot> {
        let account = account(conn)?;
        let own_scope = format!("own:{account}");
        let is_own = |scope: &str| scope == own_scope;
        let by_id =
            |requests: Vec<CorrectionRequest>| requests.into_iter().map(|r| (r.id, r)).collect();
        let cursor = meta::get(conn, Key::Cursor)?.unwrap_or_default();
        Ok(Snapshot {
            account,
            outbox: outbox::all(conn)?,
            records: entities_of(conn, RECORD, is_own)?,
            // A cursor this version cannot read covers nothing: applied steps stay on top until
            // the server's copies are pulled again.
            cursor: Cursor::decode(&cursor).unwrap_or_default(),
            own: by_id(entities_of(conn, REQUEST, is_own)?),
            reviewed: by_id(entities_of(conn, REQUEST, |s| s.starts_with("hr:"))?),
        })
    }

    /// An item of the account's own file.
    pub fn record(&self, id: Uuid) -> Option<&RecordItem> {
        self.records.iter().find(|item| item.id == id)
    }

    /// The account's own requests, the ones only queued on this device included.
    pub fn own_requests(&self) -> Vec<Shown> {
        let queued = self
            .outbox
            .iter()
            .filter(|row| row.kind == CORRECTION_SUBMIT)
            .filter_map(|row| row.aggregate.parse().ok())
            .map(|RequestAddress(id)| id);
        let ids: BTreeSet<Uuid> = self.own.keys().copied().chain(queued).collect();
        ids.into_iter()
            .filter_map(|id| self.own_request(id))
            .collect()
    }

    /// One of the account's own requests.
    pub fn own_request(&self, id: Uuid) -> Option<Shown> {
        self.shown(self.own.get(&id).cloned(), id, true)
    }

    /// The requests of other people the user reviews that are still open on the server.
    ///
    /// A request about the user's own file is left out even when their grant covers their own
    /// unit: nobody reviews their own request.
    pub fn review_queue(&self) -> Vec<Shown> {
        self.reviewed
            .values()
            .filter(|request| !request.state.is_final() && !self.own.contains_key(&request.id))
            .filter_map(|request| self.shown(Some(request.clone()), request.id, false))
            .collect()
    }

    /// A request the user sees as a reviewer, and whether it is about their own file.
    pub fn reviewed_request(&self, id: Uuid) -> Option<(Shown, bool)> {
        let request = self.reviewed.get(&id)?.clone();
        let subject = self.own.contains_key(&id);
        Some((self.shown(Some(request), id, subject)?, subject))
    }

    fn shown(&self, base: Option<CorrectionRequest>, id: Uuid, subject: bool) -> Option<Shown> {
        let aggregate = RequestAddress(id).to_string();
        let rows: Vec<&OutboxRow> = self
            .outbox
            .iter()
            .filter(|row| row.aggregate == aggregate)
            .collect();
        let viewer = Viewer {
            account: self.account,
            subject,
        };
        let base_of = |record: Uuid| -> Option<RecordData> {
            self.record(record).map(|item| item.data.clone())
        };
        overlay::replay(base, &rows, &self.cursor, viewer, &base_of)
    }
}
