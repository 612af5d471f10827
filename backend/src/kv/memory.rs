//! The in-process store: used alone without Redis, and for counters while Redis is away.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

    pub(super) fn increment(&self, key: &str, window: Duration) -> u64 {
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

    pub(super) fn counter(&self, key: &str) -> Option<(u64, Duration)> {
        self.get(key)
            .map(|(value, left)| (value.parse().unwrap_or(0), left))
    }

    pub(super) fn get(&self, key: &str) -> Option<(String, Duration)> {
        let now = Instant::now();
        self.with_live(|entries| {
            entries
                .get(key)
                .filter(|(_, expires)| *expires > now)
                .map(|(value, expires)| (value.clone(), *expires - now))
        })
    }

    pub(super) fn raise(&self, key: &str, value: i64, ttl: Duration) {
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

    pub(super) fn versioned_list(
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

    pub(super) fn set(&self, key: &str, value: &str, ttl: Duration) {
        self.with_live(|entries| {
            entries.insert(key.to_owned(), (value.to_owned(), Instant::now() + ttl))
        });
    }

    pub(super) fn remove(&self, key: &str) {
        self.with_live(|entries| entries.remove(key));
    }
}
