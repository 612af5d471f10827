//! Evidence files waiting on the device: attached to a correction request, uploaded before the
//! intents that name them, and deleted once those intents are decided.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::Result;

/// A stored file waiting for upload, content included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EvidenceFile {
    /// The SHA-256 of the content, lowercase hex.
    pub hash: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// A stored file without its content, for deciding what to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EvidenceEntry {
    /// The content hash.
    pub hash: String,
    /// When the user attached it.
    pub attached_at: DateTime<Utc>,
}

/// Stores a file; attaching the same content again keeps the first copy and its upload state.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    hash: &str,
    content_type: &str,
    content: &[u8],
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO evidence (hash, content_type, content, attached_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (hash) DO UPDATE SET attached_at = excluded.attached_at",
        params![hash, content_type, content, now.timestamp_millis()],
    )?;
    Ok(())
}

/// Whether the server has the file; `None` when it is not on the device.
pub(crate) fn uploaded(conn: &Connection, hash: &str) -> Result<Option<bool>> {
    Ok(conn
        .query_row(
            "SELECT uploaded FROM evidence WHERE hash = ?1",
            [hash],
            |row| row.get(0),
        )
        .optional()?)
}

/// A file with its content, if it is on the device and the server does not have it yet.
pub(crate) fn awaiting_upload(conn: &Connection, hash: &str) -> Result<Option<EvidenceFile>> {
    Ok(conn
        .query_row(
            "SELECT hash, content_type, content FROM evidence WHERE hash = ?1 AND uploaded = 0",
            [hash],
            |row| {
                Ok(EvidenceFile {
                    hash: row.get(0)?,
                    content_type: row.get(1)?,
                    content: row.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Every stored file, without content.
pub(crate) fn entries(conn: &Connection) -> Result<Vec<EvidenceEntry>> {
    let mut stmt = conn.prepare("SELECT hash, attached_at FROM evidence ORDER BY hash")?;
    let rows = stmt
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(hash, ms)| EvidenceEntry {
            hash,
            // A time this code did not write reads as long ago, so the file may be cleaned up.
            attached_at: DateTime::from_timestamp_millis(ms).unwrap_or_default(),
        })
        .collect())
}

/// Records that the server has the file.
pub(crate) fn mark_uploaded(tx: &Transaction<'_>, hash: &str) -> Result<()> {
    tx.execute("UPDATE evidence SET uploaded = 1 WHERE hash = ?1", [hash])?;
    Ok(())
}

/// Deletes files.
pub(crate) fn delete(tx: &Transaction<'_>, hashes: &[String]) -> Result<()> {
    let mut stmt = tx.prepare("DELETE FROM evidence WHERE hash = ?1")?;
    for hash in hashes {
        stmt.execute([hash])?;
    }
    Ok(())
}
