//! Database access: connecting, migrating and the entities.

pub mod entities;

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use xodim_migrations::{Migrator, MigratorTrait};

/// How long a write on SQLite waits for another connection's write lock before failing. It is
/// far longer than the longest single write: bulk imports commit a chunk of rows at a time, so
/// a sign-in beside an import (in the server or at the command line) waits at most one chunk.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens the pool. SQLite runs in WAL mode with a busy timeout so that readers never block the
/// single writer and a held write lock is waited for instead of failing the request.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout(url))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
        });
    Database::connect(options).await
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), waiting for it with the busy timeout: a transaction that first reads and then
/// writes would otherwise fail with "database is locked" when another connection (another
/// process, such as an import at the command line) committed in between, because SQLite cannot
/// upgrade a read snapshot that is no longer the newest. PostgreSQL begins as usual.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Brings the schema up to date; safe to run on every start.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether a database error is a unique-constraint violation, which callers turn into a
/// "taken" answer instead of a server error.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// How long a request waits for a pooled connection. PostgreSQL gets a short wait so that a
/// database that went away is answered `503 unavailable` within about two seconds instead of
/// after the pool's retries; SQLite has no server to lose and waits as long as its writer may.
fn acquire_timeout(url: &str) -> Duration {
    if url.starts_with("postgres") {
        Duration::from_secs(2)
    } else {
        Duration::from_secs(10)
    }
}

/// Whether a database error means the database cannot be reached right now (refused or lost
/// connections, a server shutting down, a pool that found no connection in time), which the
/// client is told as `503 unavailable`, to retry later.
pub fn is_unavailable(err: &DbErr) -> bool {
    let runtime = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let sea_orm::RuntimeErr::SqlxError(sqlx) = runtime else {
        return false;
    };
    use sea_orm::sqlx::Error as E;
    match sqlx.as_ref() {
        E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => true,
        // Class 08 is a connection exception; 57P01–57P03 a server shutting down or starting.
        E::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}
