//! Redis behind a short timeout, and what this instance does while Redis is away.
//!
//! A call that fails for want of Redis (refused, dropped, or no answer within
//! [`CALL_TIMEOUT`]) marks the store away, once, with one log line. While away no call waits
//! for Redis: reads fail at once (callers use the database instead), counters move to this
//! process, and writes that must reach Redis (raised heads, counters, flags, removals) are kept
//! and written when it answers again. A monitor probes every [`PROBE_EVERY`]; when Redis
//! answers it writes what was kept, logs the return once and tells [`SharedKv::returned`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{FromRedisValue, RedisResult};
use tokio::sync::watch;

use super::KvError;
use super::memory::MemoryKv;

/// The longest a request waits for one Redis call.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(300);
/// How often a store that is away is probed.
const PROBE_EVERY: Duration = Duration::from_millis(250);

/// A write kept while Redis is away, merged per key.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kept {
    /// Raise the number to at least `value`.
    Raise { value: i64, ttl: Duration },
    /// Add `by` to the counter, after deleting it when `reset`.
    Add {
        by: u64,
        window: Duration,
        reset: bool,
    },
    /// Delete the key.
    Delete,
    /// Set the flag.
    Flag { ttl: Duration },
}

impl Kept {
    fn merge(previous: Option<Self>, next: Self) -> Self {
        match (previous, next) {
            (Some(Self::Raise { value: a, .. }), Self::Raise { value: b, ttl }) => Self::Raise {
                value: a.max(b),
                ttl,
            },
            (
                Some(Self::Add { by, reset, .. }),
                Self::Add {
                    by: more, window, ..
                },
            ) => Self::Add {
                by: by + more,
                window,
                reset,
            },
            (Some(Self::Delete), Self::Add { by, window, .. }) => Self::Add {
                by,
                window,
                reset: true,
            },
            (_, next) => next,
        }
    }
}

/// Redis with its fallbacks.
pub struct SharedKv {
    conn: ConnectionManager,
    prefix: String,
    away: AtomicBool,
    /// Counters while Redis is away.
    pub(super) local: MemoryKv,
    kept: Mutex<HashMap<String, Kept>>,
    returned: watch::Sender<u64>,
}

impl SharedKv {
    /// A store that connects on first use, so the server starts (degraded) without Redis; the
    /// client's own timeouts and a single reconnect attempt keep a missing Redis from holding
    /// a request for seconds.
    pub fn open(url: &str, prefix: &str) -> Result<Arc<Self>, KvError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CALL_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(100));
        let conn = ConnectionManager::new_lazy_with_config(client, config)?;
        let store = Arc::new(Self {
            conn,
            prefix: prefix.to_owned(),
            away: AtomicBool::new(false),
            local: MemoryKv::default(),
            kept: Mutex::default(),
            returned: watch::Sender::new(0),
        });
        tokio::spawn(monitor(Arc::downgrade(&store)));
        Ok(store)
    }

    /// The key with this deployment's prefix.
    pub(super) fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Runs a command, at once refused while Redis is away.
    pub(super) async fn cmd<T: FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, KvError> {
        let mut conn = self.conn.clone();
        self.call(cmd.query_async(&mut conn)).await
    }

    /// Runs a pipeline, at once refused while Redis is away.
    pub(super) async fn pipe<T: FromRedisValue>(
        &self,
        pipe: &redis::Pipeline,
    ) -> Result<T, KvError> {
        let mut conn = self.conn.clone();
        self.call(pipe.query_async(&mut conn)).await
    }

    async fn call<T>(&self, call: impl Future<Output = RedisResult<T>>) -> Result<T, KvError> {
        if self.is_away() {
            return Err(KvError::Away);
        }
        self.attempt(call).await
    }

    async fn attempt<T>(&self, call: impl Future<Output = RedisResult<T>>) -> Result<T, KvError> {
        match tokio::time::timeout(CALL_TIMEOUT, call).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => {
                if is_outage(&err) {
                    self.went_away(&err.to_string());
                }
                Err(err.into())
            }
            Err(_) => {
                self.went_away("no answer in time");
                Err(KvError::TimedOut(CALL_TIMEOUT))
            }
        }
    }

    fn went_away(&self, why: &str) {
        if !self.away.swap(true, Ordering::SeqCst) {
            tracing::warn!(
                error = why,
                "Redis is unreachable: running degraded (rate limits in this process, caches \
                 bypassed, pokes of other instances missed) until it answers again"
            );
        }
    }

    /// Whether Redis is away.
    pub fn is_away(&self) -> bool {
        self.away.load(Ordering::SeqCst)
    }

    /// Counts the returns of Redis after an absence.
    pub fn returned(&self) -> watch::Receiver<u64> {
        self.returned.subscribe()
    }

    /// Keeps a write for when Redis answers again.
    pub(super) fn keep(&self, key: &str, write: Kept) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= 100_000 && !kept.contains_key(key) {
            return;
        }
        let previous = kept.remove(key);
        kept.insert(key.to_owned(), Kept::merge(previous, write));
    }

    async fn write(&self, key: &str, write: Kept) -> Result<(), KvError> {
        let key = self.key(key);
        let mut conn = self.conn.clone();
        match write {
            Kept::Raise { value, ttl } => {
                let cmd = super::raise_script(&key, value, ttl);
                self.attempt(cmd.query_async(&mut conn)).await
            }
            Kept::Add { by, window, reset } => {
                let mut pipe = redis::pipe();
                if reset {
                    pipe.del(&key).ignore();
                }
                pipe.incr(&key, by)
                    .ignore()
                    .cmd("PEXPIRE")
                    .arg(&key)
                    .arg(super::millis(window))
                    .arg("NX")
                    .ignore();
                self.attempt(pipe.query_async(&mut conn)).await
            }
            Kept::Delete => {
                let cmd = redis::Cmd::del(&key);
                self.attempt(cmd.query_async(&mut conn)).await
            }
            Kept::Flag { ttl } => {
                let cmd = redis::Cmd::pset_ex(&key, 1, super::millis(ttl));
                self.attempt(cmd.query_async(&mut conn)).await
            }
        }
    }

    /// Writes what was kept; what fails is kept again.
    async fn write_kept(&self) -> Result<(), KvError> {
        let kept: Vec<(String, Kept)> = {
            let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
            kept.drain().collect()
        };
        let mut result = Ok(());
        for (key, write) in kept {
            if result.is_ok() {
                result = self.write(&key, write).await;
                if result.is_ok() {
                    continue;
                }
            }
            self.keep(&key, write);
        }
        result
    }

    /// Answers a `PING`, even while away.
    pub(super) async fn probe(&self) -> Result<(), KvError> {
        let mut conn = self.conn.clone();
        let cmd = redis::cmd("PING");
        self.attempt(cmd.query_async::<String>(&mut conn))
            .await
            .map(|_| ())
    }

    /// One round of the monitor: an absent store is probed and, once it answers and has been
    /// given what was kept, is marked back.
    async fn check(&self) {
        let has_kept = !self
            .kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_empty();
        if !self.is_away() && !has_kept {
            return;
        }
        if self.probe().await.is_err() || self.write_kept().await.is_err() {
            return;
        }
        if self.away.swap(false, Ordering::SeqCst) {
            tracing::info!("Redis answers again: no longer degraded");
            self.returned.send_modify(|n| *n += 1);
        }
    }
}

/// Probes while the store lives.
async fn monitor(store: Weak<SharedKv>) {
    loop {
        tokio::time::sleep(PROBE_EVERY).await;
        let Some(store) = store.upgrade() else {
            return;
        };
        store.check().await;
    }
}

/// Whether an error means Redis cannot be reached (rather than a refused command).
fn is_outage(err: &redis::RedisError) -> bool {
    err.is_io_error()
        || err.is_timeout()
        || err.is_connection_dropped()
        || err.is_connection_refusal()
        || err.is_unrecoverable_error()
}
