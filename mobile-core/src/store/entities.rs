//! Entities as the server last sent them, per scope.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::Result;

/// One stored entity version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntityRow {
    /// The scope it came in (`own:…`, `unit:…`, `org:…`).
    pub scope: String,
    /// Its kind (`contact`, `employee_card`, `unit`, or a kind this version does not know).
    pub kind: String,
    /// Its id.
    pub id: String,
    /// The scope's change-log version that carried it.
    pub version: i64,
    /// The entity as JSON.
    pub data: String,
}

/// Inserts or replaces an entity. The statement is cached: a page applies hundreds of rows.
pub(crate) fn upsert(tx: &Transaction<'_>, row: &EntityRow) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO entities (scope, kind, id, version, data) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (scope, kind, id)
         DO UPDATE SET version = excluded.version, data = excluded.data",
    )?
    .execute(params![row.scope, row.kind, row.id, row.version, row.data])?;
    Ok(())
}

/// Removes an entity from one scope.
pub(crate) fn delete(tx: &Transaction<'_>, scope: &str, kind: &str, id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM entities WHERE scope = ?1 AND kind = ?2 AND id = ?3")?
        .execute(params![scope, kind, id])?;
    Ok(())
}

/// Removes every entity of a scope; returns the kinds that had some.
pub(crate) fn purge_scope(tx: &Transaction<'_>, scope: &str) -> Result<BTreeSet<String>> {
    let mut stmt = tx.prepare("DELETE FROM entities WHERE scope = ?1 RETURNING kind")?;
    let kinds = stmt
        .query_map([scope], |row| row.get(0))?
        .collect::<rusqlite::Result<BTreeSet<String>>>()?;
    Ok(kinds)
}

/// Removes every entity; returns the kinds that had some.
pub(crate) fn purge_all(tx: &Transaction<'_>) -> Result<BTreeSet<String>> {
    let mut stmt = tx.prepare("DELETE FROM entities RETURNING kind")?;
    let kinds = stmt
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<BTreeSet<String>>>()?;
    Ok(kinds)
}

/// The data of one entity, from whichever scope sent it last.
pub(crate) fn find(conn: &Connection, kind: &str, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT data FROM entities WHERE kind = ?1 AND id = ?2 ORDER BY version DESC LIMIT 1",
            params![kind, id],
            |row| row.get(0),
        )
        .optional()?)
}

/// The data of every entity of a kind, one per id (an entity held in several scopes once).
pub(crate) fn list(conn: &Connection, kind: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        // SQLite takes the bare `data` from the row holding the max; any copy would do, as the
        // copies in different scopes are the same entity.
        "SELECT data, max(version) FROM entities WHERE kind = ?1 GROUP BY id ORDER BY id",
    )?;
    let rows = stmt
        .query_map([kind], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

/// Every copy of every entity of a kind as `(scope, data)`, by id then scope: for screens that
/// tell scopes apart (the user's own requests from those they review).
pub(crate) fn list_with_scope(conn: &Connection, kind: &str) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT scope, data FROM entities WHERE kind = ?1 ORDER BY id, scope")?;
    let rows = stmt
        .query_map([kind], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
    Ok(rows)
}
