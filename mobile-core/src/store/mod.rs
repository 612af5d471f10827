//! The local store: one SQLite file holding the session, the synced entities, the outbox and
//! the evidence files waiting to be uploaded.
//!
//! One connection behind a mutex serves reads and writes. Writes run in an immediate
//! transaction (the write lock is taken up front, so two writers never deadlock on an upgrade);
//! functions that write take a `&Transaction`, functions that only read take a `&Connection`.

pub(crate) mod entities;
pub(crate) mod evidence;
pub(crate) mod meta;
pub(crate) mod outbox;
pub(crate) mod schema;

use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

/// The opened database.
pub(crate) struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) and upgrades the database at `path`.
    pub fn open(path: &str) -> Result<Store> {
        let mut conn = Connection::open(path)?;
        schema::prepare(&mut conn)?;
        let store = Store {
            conn: Mutex::new(conn),
        };
        // An app killed mid-push leaves intents marked as sending; they go out again on the next
        // sync, which is safe because the server recognises an intent by its id.
        store.write(outbox::requeue_interrupted)?;
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held rolled its transaction back on unwind, so the
        // connection is still consistent and can be used again.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs a read.
    pub fn read<T>(&self, op: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        op(&self.lock())
    }

    /// Runs `op` in one transaction, committed only if it succeeds.
    pub fn write<T>(&self, op: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = op(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Deletes everything a signed-in user had on the device (see [`wipe`]) and leaves none of
    /// it readable in the files.
    pub fn wipe(&self) -> Result<()> {
        self.write(wipe)?;
        self.scrub()
    }

    /// Copies the WAL into the database file and truncates the WAL to nothing, so that pages
    /// with deleted rows live on in neither file. With `secure_delete` the deleted rows are
    /// already zeros in the database pages; the WAL would keep their older copies until it is
    /// overwritten.
    pub fn scrub(&self) -> Result<()> {
        let busy: i64 = self
            .lock()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        if busy != 0 {
            return Err(Error::Corrupt(
                "another connection holds the database: its journal could not be cleared".into(),
            ));
        }
        Ok(())
    }
}

/// Deletes everything a signed-in user had on the device: session, cursor, entities, outbox,
/// evidence files. Only the interface language survives.
pub(crate) fn wipe(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM entities;
         DELETE FROM outbox;
         DELETE FROM evidence;",
    )?;
    meta::clear_all_but_locale(tx)
}
