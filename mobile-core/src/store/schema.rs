//! The database schema and its upgrades, versioned by `PRAGMA user_version`.
//!
//! A new database gets [`CURRENT`] in one step; an older one runs the numbered upgrade steps
//! from its version. The upgrade test proves both roads end at the same schema.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// The schema version this code writes.
pub(crate) const VERSION: u32 = 3;

/// The whole schema of [`VERSION`], for a new database.
const CURRENT: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE entities (
    scope   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (scope, kind, id)
) WITHOUT ROWID;

CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    intent_id       TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL,
    aggregate       TEXT NOT NULL,
    expectation     INTEGER,
    args            TEXT NOT NULL,
    client_time     INTEGER NOT NULL,
    state           TEXT NOT NULL
        CHECK (state IN ('queued', 'sending', 'applied', 'rejected', 'conflict')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    code            TEXT,
    message         TEXT,
    current         TEXT,
    visible_at      TEXT
);

CREATE INDEX entities_by_kind ON entities (kind, id);
CREATE INDEX outbox_by_aggregate ON outbox (aggregate, seq);

-- Files attached to correction requests, kept until the server has them and the intents
-- naming them are decided. A rowid table: rows hold blobs of up to 5 MiB.
CREATE TABLE evidence (
    hash         TEXT PRIMARY KEY NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded     INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1)),
    attached_at  INTEGER NOT NULL
);
";

/// The evidence table, new in version 3.
const EVIDENCE: &str = "
CREATE TABLE evidence (
    hash         TEXT PRIMARY KEY NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded     INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1)),
    attached_at  INTEGER NOT NULL
);
";

/// Upgrades a database of `version` to `version + 1`.
fn upgrade_step(version: u32) -> Option<&'static str> {
    match version {
        // Lists by kind (team, units) and the per-aggregate walk of the outbox stop scanning.
        1 => Some(
            "CREATE INDEX entities_by_kind ON entities (kind, id);
             CREATE INDEX outbox_by_aggregate ON outbox (aggregate, seq);",
        ),
        // Evidence waits on the device until it is uploaded before the intents naming it.
        2 => Some(EVIDENCE),
        _ => None,
    }
}

/// Sets the connection up and brings the schema to [`VERSION`] in one transaction.
pub(crate) fn prepare(conn: &mut Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL lets readers of the app's other threads run while a sync writes; FULL keeps a queued
    // intent across a power cut, which the outbox promises.
    // `journal_mode` answers with the mode it set, so it needs the checking variant.
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Deleted rows are overwritten with zeros, not only unlinked: a signed-out user's data and
    // a lost scope's rows leave nothing readable in the file (the WAL is truncated after them,
    // see `Store::scrub`).
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut version: u32 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > VERSION {
        return Err(Error::Corrupt(format!(
            "database schema {version} is newer than this app ({VERSION})"
        )));
    }
    if version == 0 {
        tx.execute_batch(CURRENT)?;
        version = VERSION;
    }
    while version < VERSION {
        let step = upgrade_step(version)
            .ok_or_else(|| Error::Corrupt(format!("no upgrade from schema {version}")))?;
        tx.execute_batch(step)?;
        version += 1;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema as version 1 shipped it. Frozen: never edit.
    const V1: &str = "
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE entities (
        scope   TEXT NOT NULL,
        kind    TEXT NOT NULL,
        id      TEXT NOT NULL,
        version INTEGER NOT NULL,
        data    TEXT NOT NULL,
        PRIMARY KEY (scope, kind, id)
    ) WITHOUT ROWID;

    CREATE TABLE outbox (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        intent_id       TEXT NOT NULL UNIQUE,
        type            TEXT NOT NULL,
        aggregate       TEXT NOT NULL,
        expectation     INTEGER,
        args            TEXT NOT NULL,
        client_time     INTEGER NOT NULL,
        state           TEXT NOT NULL
            CHECK (state IN ('queued', 'sending', 'applied', 'rejected', 'conflict')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        code            TEXT,
        message         TEXT,
        current         TEXT,
        visible_at      TEXT
    );
    PRAGMA user_version = 1;
    ";

    /// What version 2 added to version 1. Frozen: never edit.
    const V2_STEP: &str = "
    CREATE INDEX entities_by_kind ON entities (kind, id);
    CREATE INDEX outbox_by_aggregate ON outbox (aggregate, seq);
    PRAGMA user_version = 2;
    ";

    /// Every schema object with its normalised SQL, and the version.
    fn schema_of(conn: &Connection) -> (u32, Vec<(String, String, String)>) {
        let version = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name",
            )
            .unwrap();
        let objects = stmt
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get::<_, String>(2)?))
            })
            .unwrap()
            .map(|object| {
                let (kind, name, sql): (String, String, String) = object.unwrap();
                (
                    kind,
                    name,
                    sql.split_whitespace().collect::<Vec<_>>().join(" "),
                )
            })
            .collect();
        (version, objects)
    }

    #[test]
    fn a_version_1_database_upgraded_equals_a_new_one() {
        let mut fresh = Connection::open_in_memory().unwrap();
        prepare(&mut fresh).unwrap();

        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(V1).unwrap();
        old.execute(
            "INSERT INTO outbox (intent_id, type, aggregate, args, client_time, state)
             VALUES ('i', 'contact.update', 'contact:a', '{}', 0, 'queued')",
            [],
        )
        .unwrap();
        prepare(&mut old).unwrap();

        assert_eq!(schema_of(&old), schema_of(&fresh));
        let kept: i64 = old
            .query_row("SELECT count(*) FROM outbox", [], |row| row.get(0))
            .unwrap();
        assert_eq!(kept, 1, "an upgrade keeps queued intents");
    }

    #[test]
    fn a_version_2_database_upgraded_equals_a_new_one_and_keeps_its_data() {
        let mut fresh = Connection::open_in_memory().unwrap();
        prepare(&mut fresh).unwrap();

        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(V1).unwrap();
        old.execute_batch(V2_STEP).unwrap();
        old.execute(
            "INSERT INTO entities (scope, kind, id, version, data)
             VALUES ('own:a', 'record', 'r', 3, '{}')",
            [],
        )
        .unwrap();
        prepare(&mut old).unwrap();

        assert_eq!(schema_of(&old), schema_of(&fresh));
        let kept: i64 = old
            .query_row("SELECT count(*) FROM entities", [], |row| row.get(0))
            .unwrap();
        assert_eq!(kept, 1, "an upgrade keeps synced entities");
        old.execute(
            "INSERT INTO evidence (hash, content_type, content, attached_at)
             VALUES ('h', 'application/pdf', x'25504446', 0)",
            [],
        )
        .unwrap();
    }

    #[test]
    fn a_database_of_a_newer_app_is_refused_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
        assert!(matches!(prepare(&mut conn), Err(Error::Corrupt(_))));
        assert_eq!(schema_of(&conn), (99, vec![]));
    }

    #[test]
    fn opening_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        prepare(&mut conn).unwrap();
        let first = schema_of(&conn);
        prepare(&mut conn).unwrap();
        assert_eq!(schema_of(&conn), first);
        assert_eq!(first.0, VERSION);
    }
}
