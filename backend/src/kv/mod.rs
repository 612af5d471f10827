//! Short-lived shared state: counters in a time window and flags with an expiry.
//!
//! Redis when configured, so that every instance sees the same counters and revocations; an
//! in-process map otherwise, which is right for a single instance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::AsyncCommands;
use redis::aio::ConnectionManager;

/// A key-value store with expiry.
#[derive(Clone)]
pub enum Kv {
    /// Shared by every instance.
    Redis {
        conn: ConnectionManager,
        prefix: String,
    },
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
#[error("key-value store: {0}")]
pub struct KvError(#[from] redis::RedisError);

impl Kv {
    /// Connects to Redis, or returns the in-process store when no URL is given.
    pub async fn connect(url: Option<&str>, prefix: &str) -> Result<Self, KvError> {
        match url {
            Some(url) => {
                let client = redis::Client::open(url)?;
                let conn = ConnectionManager::new(client).await?;
                Ok(Self::Redis {
                    conn,
                    prefix: prefix.to_owned(),
                })
            }
            None => Ok(Self::Memory(Arc::default())),
        }
    }

    /// Adds one to the counter, starting a window of `window` if there was none.
    pub async fn increment(&self, key: &str, window: Duration) -> Result<u64, KvError> {
        match self {
            Self::Redis { conn, prefix } => {
                let key = format!("{prefix}{key}");
                let millis = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
                let (count,): (u64,) = redis::pipe()
                    .atomic()
                    .incr(&key, 1)
                    .cmd("PEXPIRE")
                    .arg(&key)
                    .arg(millis)
                    .arg("NX")
                    .ignore()
                    .query_async(&mut conn.clone())
                    .await?;
                Ok(count)
            }
            Self::Memory(map) => Ok(map.increment(key, window)),
        }
    }

    /// The counter and the time left in its window, if a window is open.
    pub async fn counter(&self, key: &str) -> Result<Option<(u64, Duration)>, KvError> {
        match self {
            Self::Redis { conn, prefix } => {
                let key = format!("{prefix}{key}");
                let (count, ttl): (Option<u64>, i64) = redis::pipe()
                    .get(&key)
                    .cmd("PTTL")
                    .arg(&key)
                    .query_async(&mut conn.clone())
                    .await?;
                let left = Duration::from_millis(u64::try_from(ttl).unwrap_or(0));
                Ok(count.map(|count| (count, left)))
            }
            Self::Memory(map) => Ok(map.counter(key)),
        }
    }

    /// Sets a flag that disappears after `ttl`.
    pub async fn set_flag(&self, key: &str, ttl: Duration) -> Result<(), KvError> {
        match self {
            Self::Redis { conn, prefix } => {
                let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
                let _: () = conn
                    .clone()
                    .pset_ex(format!("{prefix}{key}"), 1, millis)
                    .await?;
                Ok(())
            }
            Self::Memory(map) => {
                map.set(key, "1", ttl);
                Ok(())
            }
        }
    }

    /// Whether a flag or counter is present.
    pub async fn exists(&self, key: &str) -> Result<bool, KvError> {
        match self {
            Self::Redis { conn, prefix } => {
                Ok(conn.clone().exists(format!("{prefix}{key}")).await?)
            }
            Self::Memory(map) => Ok(map.counter(key).is_some()),
        }
    }

    /// Removes a key.
    pub async fn remove(&self, key: &str) -> Result<(), KvError> {
        match self {
            Self::Redis { conn, prefix } => {
                let _: () = conn.clone().del(format!("{prefix}{key}")).await?;
                Ok(())
            }
            Self::Memory(map) => {
                map.remove(key);
                Ok(())
            }
        }
    }

    /// A text value, if present.
    pub async fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        match self {
            Self::Redis { conn, prefix } => Ok(conn.clone().get(format!("{prefix}{key}")).await?),
            Self::Memory(map) => Ok(map.get(key).map(|(value, _)| value)),
        }
    }

    /// Several text values in one round trip, in the order of `keys`.
    pub async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<String>>, KvError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Self::Redis { conn, prefix } => {
                let keys: Vec<String> = keys.iter().map(|k| format!("{prefix}{k}")).collect();
                // MGET always answers an array, even for one key.
                Ok(redis::cmd("MGET")
                    .arg(&keys)
                    .query_async(&mut conn.clone())
                    .await?)
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
            Self::Redis { conn, prefix } => {
                redis::cmd("EVAL")
                    .arg(LIST_SCRIPT)
                    .arg(2)
                    .arg(format!("{prefix}{version_key}"))
                    .arg(format!("{prefix}{list_key}"))
                    .arg(format!("{prefix}{item_prefix}"))
                    .query_async(&mut conn.clone())
                    .await?
            }
            Self::Memory(map) => map.versioned_list(version_key, list_key, item_prefix),
        };
        Ok(VersionedList::from_reply(reply))
    }

    /// Stores a text value that disappears after `ttl`.
    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), KvError> {
        match self {
            Self::Redis { conn, prefix } => {
                let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
                let _: () = conn
                    .clone()
                    .pset_ex(format!("{prefix}{key}"), value, millis)
                    .await?;
                Ok(())
            }
            Self::Memory(map) => {
                map.set(key, value, ttl);
                Ok(())
            }
        }
    }

    /// Raises a number to `value` unless it is already higher, so that writers finishing out
    /// of order never move it backwards; the value lives `ttl` from its last raise.
    pub async fn raise(&self, key: &str, value: i64, ttl: Duration) -> Result<(), KvError> {
        match self {
            Self::Redis { conn, prefix } => {
                let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
                let _: () = redis::cmd("EVAL")
                    .arg(RAISE_SCRIPT)
                    .arg(1)
                    .arg(format!("{prefix}{key}"))
                    .arg(value)
                    .arg(millis)
                    .query_async(&mut conn.clone())
                    .await?;
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
            Self::Redis { conn, prefix } => {
                let _: () = conn
                    .clone()
                    .publish(format!("{prefix}{channel}"), message)
                    .await?;
                Ok(true)
            }
            Self::Memory(_) => Ok(false),
        }
    }

    /// Checks that the store answers (for `/ready`).
    pub async fn ping(&self) -> Result<(), KvError> {
        match self {
            Self::Redis { conn, .. } => {
                let _: String = redis::cmd("PING").query_async(&mut conn.clone()).await?;
                Ok(())
            }
            Self::Memory(_) => Ok(()),
        }
    }

    /// Whether the state is shared between instances.
    pub fn is_shared(&self) -> bool {
        matches!(self, Self::Redis { .. })
    }
}

/// The in-process store: a map of values with their expiry.
#[derive(Default)]
pub struct MemoryKv {
    entries: Mutex<HashMap<String, (String, Instant)>>,
}

impl MemoryKv {
    fn with_live<T>(&self, f: impl FnOnce(&mut HashMap<String, (String, Instant)>) -> T) -> T {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        // Sweeping on a size threshold keeps the map bounded without a background task.
        if entries.len() > 10_000 {
            entries.retain(|_, (_, expires)| *expires > now);
        }
        f(&mut entries)
    }

    fn increment(&self, key: &str, window: Duration) -> u64 {
        let now = Instant::now();
        self.with_live(|entries| {
            let entry = entries
                .entry(key.to_owned())
                .or_insert((String::new(), now + window));
            if entry.1 <= now {
                *entry = (String::new(), now + window);
            }
            let count = entry.0.parse::<u64>().unwrap_or(0) + 1;
            entry.0 = count.to_string();
            count
        })
    }

    fn counter(&self, key: &str) -> Option<(u64, Duration)> {
        self.get(key)
            .map(|(value, left)| (value.parse().unwrap_or(0), left))
    }

    fn get(&self, key: &str) -> Option<(String, Duration)> {
        let now = Instant::now();
        self.with_live(|entries| {
            entries
                .get(key)
                .filter(|(_, expires)| *expires > now)
                .map(|(value, expires)| (value.clone(), *expires - now))
        })
    }

    fn raise(&self, key: &str, value: i64, ttl: Duration) {
        let now = Instant::now();
        self.with_live(|entries| {
            let current = entries
                .get(key)
                .filter(|(_, expires)| *expires > now)
                .and_then(|(v, _)| v.parse::<i64>().ok());
            if current.is_none_or(|c| c < value) {
                entries.insert(key.to_owned(), (value.to_string(), now + ttl));
            }
        });
    }

    fn versioned_list(
        &self,
        version_key: &str,
        list_key: &str,
        item_prefix: &str,
    ) -> Vec<Option<String>> {
        let version = self.get(version_key).map(|(v, _)| v).unwrap_or_default();
        let current = self.get(list_key).and_then(|(list, _)| {
            let (of, items) = list.split_once('|')?;
            (of == version).then(|| items.to_owned())
        });
        let Some(items) = current else {
            return vec![Some(version)];
        };
        let values: Vec<Option<String>> = items
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|item| self.get(&format!("{item_prefix}{item}")).map(|(v, _)| v))
            .collect();
        [Some(version), Some(items)]
            .into_iter()
            .chain(values)
            .collect()
    }

    fn set(&self, key: &str, value: &str, ttl: Duration) {
        self.with_live(|entries| {
            entries.insert(key.to_owned(), (value.to_owned(), Instant::now() + ttl))
        });
    }

    fn remove(&self, key: &str) {
        self.with_live(|entries| entries.remove(key));
    }
}
