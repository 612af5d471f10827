//! Short-lived shared state: counters in a time window and flags with an expiry.
//!
//! Redis when configured, so that every instance sees the same counters and revocations; an
//! in-process map otherwise, which is right for a single instance. Redis is a cache and a
//! relay, never the record: while it is away the server runs degraded (see [`shared`]).

mod memory;
pub mod shared;

use std::sync::Arc;
use std::time::Duration;

pub use memory::MemoryKv;
use shared::{Kept, SharedKv};

/// A key-value store with expiry.
#[derive(Clone)]
pub enum Kv {
    /// Shared by every instance.
    Redis(Arc<SharedKv>),
    /// Private to this process.
    Memory(Arc<MemoryKv>),
}

const RAISE_SCRIPT: &str = "local c = tonumber(redis.call('GET', KEYS[1]) or '-1') \
    if c < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end return 0";

const LIST_SCRIPT: &str = "local version = redis.call('GET', KEYS[1]) or '' \
    local list = redis.call('GET', KEYS[2]) \
    if not list then return {version} end \
    local sep = string.find(list, '|', 1, true) \
    if not sep or string.sub(list, 1, sep - 1) ~= version then return {version} end \
    local items = string.sub(list, sep + 1) \
    local out = {version, items} \
    for item in string.gmatch(items, '[^,]+') do \
      out[#out + 1] = redis.call('GET', ARGV[1] .. item) or false \
    end \
    return out";

/// A list cached as `<version>|<item>,<item>…`, read with the current version and, when the
/// list is of that version, the value kept for each item.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct VersionedList {
    /// The current version (empty when none was ever set).
    pub version: String,
    /// The items, when the cached list is of the current version.
    pub items: Option<Vec<String>>,
    /// The value of each item, in order.
    pub values: Vec<Option<String>>,
}

impl VersionedList {
    fn from_reply(mut reply: Vec<Option<String>>) -> Self {
        let values = reply.split_off(reply.len().min(2));
        let mut reply = reply.into_iter();
        let version = reply.next().flatten().unwrap_or_default();
        let items = reply.next().flatten().map(|list| {
            list.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        });
        Self {
            version,
            items,
            values,
        }
    }
}

/// A failure of the shared store.
#[derive(Debug, thiserror::Error)]
pub enum KvError {
    /// Redis refused or failed the call.
    #[error("key-value store: {0}")]
    Redis(#[from] redis::RedisError),
    /// Redis is unreachable; the call was not tried.
    #[error("key-value store: unreachable, running degraded")]
    Away,
    /// Redis did not answer in time.
    #[error("key-value store: no answer within {0:?}")]
    TimedOut(Duration),
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

fn raise_script(key: &str, value: i64, ttl: Duration) -> redis::Cmd {
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(RAISE_SCRIPT)
        .arg(1)
        .arg(key)
        .arg(value)
        .arg(millis(ttl));
    cmd
}

impl Kv {
    /// Opens Redis (connecting on first use, so that the server starts degraded while Redis is
    /// down), or returns the in-process store when no URL is given.
    pub async fn connect(url: Option<&str>, prefix: &str) -> Result<Self, KvError> {
        match url {
            Some(url) => Ok(Self::Redis(SharedKv::open(url, prefix)?)),
            None => Ok(Self::Memory(Arc::default())),
        }
    }

    /// Adds one to the counter, starting a window of `window` if there was none. While Redis
    /// is away the count is this process's own, and the addition reaches Redis on its return.
    pub async fn increment(&self, key: &str, window: Duration) -> Result<u64, KvError> {
        match self {
            Self::Redis(store) => {
                let full = store.key(key);
                let mut pipe = redis::pipe();
                pipe.atomic()
                    .incr(&full, 1)
                    .cmd("PEXPIRE")
                    .arg(&full)
                    .arg(millis(window))
                    .arg("NX")
                    .ignore();
                match store.pipe::<(u64,)>(&pipe).await {
                    Ok((count,)) => Ok(count),
                    Err(_) => {
                        let add = Kept::Add {
                            by: 1,
                            window,
                            reset: false,
                        };
                        store.keep(key, add);
                        Ok(store.local.increment(key, window))
                    }
                }
            }
            Self::Memory(map) => Ok(map.increment(key, window)),
        }
    }

    /// The counter and the time left in its window, if a window is open (this process's own
    /// count while Redis is away).
    pub async fn counter(&self, key: &str) -> Result<Option<(u64, Duration)>, KvError> {
        match self {
            Self::Redis(store) => {
                let full = store.key(key);
                let mut pipe = redis::pipe();
                pipe.get(&full).cmd("PTTL").arg(&full);
                match store.pipe::<(Option<u64>, i64)>(&pipe).await {
                    Ok((count, ttl)) => {
                        let left = Duration::from_millis(u64::try_from(ttl).unwrap_or(0));
                        Ok(count.map(|count| (count, left)))
                    }
                    Err(_) => Ok(store.local.counter(key)),
                }
            }
            Self::Memory(map) => Ok(map.counter(key)),
        }
    }

    /// Sets a flag that disappears after `ttl`; while Redis is away it is set on its return.
    pub async fn set_flag(&self, key: &str, ttl: Duration) -> Result<(), KvError> {
        match self {
            Self::Redis(store) => {
                let cmd = redis::Cmd::pset_ex(store.key(key), 1, millis(ttl));
                if store.cmd::<()>(&cmd).await.is_err() {
                    store.keep(key, Kept::Flag { ttl });
                }
                Ok(())
            }
            Self::Memory(map) => {
                map.set(key, "1", ttl);
                Ok(())
            }
        }
    }

    /// Whether a flag or counter is present; an error at once while Redis is away.
    pub async fn exists(&self, key: &str) -> Result<bool, KvError> {
        match self {
            Self::Redis(store) => store.cmd(&redis::Cmd::exists(store.key(key))).await,
            Self::Memory(map) => Ok(map.counter(key).is_some()),
        }
    }

    /// Removes a key; while Redis is away it is removed on its return.
    pub async fn remove(&self, key: &str) -> Result<(), KvError> {
        match self {
            Self::Redis(store) => {
                store.local.remove(key);
                if store
                    .cmd::<()>(&redis::Cmd::del(store.key(key)))
                    .await
                    .is_err()
                {
                    store.keep(key, Kept::Delete);
                }
                Ok(())
            }
            Self::Memory(map) => {
                map.remove(key);
                Ok(())
            }
        }
    }

    /// A text value, if present; an error at once while Redis is away.
    pub async fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        match self {
            Self::Redis(store) => store.cmd(&redis::Cmd::get(store.key(key))).await,
            Self::Memory(map) => Ok(map.get(key).map(|(value, _)| value)),
        }
    }

    /// Several text values in one round trip, in the order of `keys`.
    pub async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<String>>, KvError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Self::Redis(store) => {
                let keys: Vec<String> = keys.iter().map(|k| store.key(k)).collect();
                // MGET always answers an array, even for one key.
                store.cmd(redis::cmd("MGET").arg(&keys)).await
            }
            Self::Memory(map) => Ok(keys
                .iter()
                .map(|k| map.get(k).map(|(value, _)| value))
                .collect()),
        }
    }

    /// Reads the list cached under `list_key`, the current value of `version_key` and, if the
    /// list was cached in that version, the value under `item_prefix` + each item: one round
    /// trip in Redis. (The script reads keys it is not given, so it needs a single Redis node,
    /// not a cluster.)
    pub async fn versioned_list(
        &self,
        version_key: &str,
        list_key: &str,
        item_prefix: &str,
    ) -> Result<VersionedList, KvError> {
        let reply: Vec<Option<String>> = match self {
            Self::Redis(store) => {
                let mut cmd = redis::cmd("EVAL");
                cmd.arg(LIST_SCRIPT)
                    .arg(2)
                    .arg(store.key(version_key))
                    .arg(store.key(list_key))
                    .arg(store.key(item_prefix));
                store.cmd(&cmd).await?
            }
            Self::Memory(map) => map.versioned_list(version_key, list_key, item_prefix),
        };
        Ok(VersionedList::from_reply(reply))
    }

    /// Stores a text value that disappears after `ttl`; an error (the value is not kept)
    /// while Redis is away.
    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), KvError> {
        match self {
            Self::Redis(store) => {
                let cmd = redis::Cmd::pset_ex(store.key(key), value, millis(ttl));
                store.cmd(&cmd).await
            }
            Self::Memory(map) => {
                map.set(key, value, ttl);
                Ok(())
            }
        }
    }

    /// Raises a number to `value` unless it is already higher, so that writers finishing out
    /// of order never move it backwards; the value lives `ttl` from its last raise. While
    /// Redis is away the raise is made on its return.
    pub async fn raise(&self, key: &str, value: i64, ttl: Duration) -> Result<(), KvError> {
        match self {
            Self::Redis(store) => {
                let cmd = raise_script(&store.key(key), value, ttl);
                if store.cmd::<()>(&cmd).await.is_err() {
                    store.keep(key, Kept::Raise { value, ttl });
                }
                Ok(())
            }
            Self::Memory(map) => {
                map.raise(key, value, ttl);
                Ok(())
            }
        }
    }

    /// Publishes a message on a pub/sub channel; false when the store is in-process and has
    /// no channels, so the caller delivers locally.
    pub async fn publish(&self, channel: &str, message: &str) -> Result<bool, KvError> {
        match self {
            Self::Redis(store) => {
                let cmd = redis::Cmd::publish(store.key(channel), message);
                store.cmd::<()>(&cmd).await?;
                Ok(true)
            }
            Self::Memory(_) => Ok(false),
        }
    }

    /// Checks that the store answers (for `/ready`); while away, an error at once.
    pub async fn ping(&self) -> Result<(), KvError> {
        match self {
            Self::Redis(store) if store.is_away() => Err(KvError::Away),
            Self::Redis(store) => store.probe().await,
            Self::Memory(_) => Ok(()),
        }
    }

    /// Whether the state is shared between instances.
    pub fn is_shared(&self) -> bool {
        matches!(self, Self::Redis(_))
    }

    /// Whether the server runs degraded because Redis is away.
    pub fn is_degraded(&self) -> bool {
        matches!(self, Self::Redis(store) if store.is_away())
    }

    /// A counter that moves each time Redis answers again after an absence (and every write
    /// kept meanwhile has reached it); `None` without Redis.
    pub fn returned(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        match self {
            Self::Redis(store) => Some(store.returned()),
            Self::Memory(_) => None,
        }
    }
}
