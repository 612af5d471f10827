//! What every request handler shares.

use sea_orm::DatabaseConnection;

use crate::auth::limiter::LoginLimiter;
use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::kv::Kv;
use crate::metrics::Metrics;
use crate::sync::engine::Registry;
use crate::sync::notify::Notifier;

/// Shared application state, held in `web::Data`.
pub struct AppState {
    /// The configuration the server started with.
    pub settings: Settings,
    /// The database pool.
    pub db: DatabaseConnection,
    /// Counters and revocation flags (Redis or in-process).
    pub kv: Kv,
    /// Access-token signing and checking.
    pub tokens: TokenKeys,
    /// Failed sign-in limits.
    pub limiter: LoginLimiter,
    /// Prometheus instruments.
    pub metrics: Metrics,
    /// Scope heads and live pokes after each commit.
    pub notifier: Notifier,
    /// The features, by the intent namespace each owns.
    pub features: Registry,
    /// Serialises intent transactions on SQLite, whose single writer cannot upgrade a read
    /// transaction once another has committed; PostgreSQL relies on row locks instead.
    pub sqlite_writes: Option<tokio::sync::Mutex<()>>,
    /// Wakes this instance's push delivery worker after a commit that queued notifications.
    pub push_wake: tokio::sync::Notify,
}

impl AppState {
    /// A turn to write, held until the transaction ends: one writer at a time on SQLite, no
    /// wait on PostgreSQL.
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.sqlite_writes {
            Some(gate) => Some(gate.lock().await),
            None => None,
        }
    }
}
