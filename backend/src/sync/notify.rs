//! After a commit: the cached scope heads move forward and live clients are poked.
//!
//! A poke carries only a scope key, never data: the client pulls for the truth. With Redis the
//! pokes travel over pub/sub so that a client connected to any instance hears of a write on any
//! other; without Redis they stay in this process.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{broadcast, watch};
use xodim_domain::sync::Scope;

use crate::error::{ApiError, ApiResult};
use crate::kv::Kv;

/// How long a cached head lives without being raised; it bounds the staleness left by a writer
/// that died between its commit and raising the cache.
const HEAD_TTL: Duration = Duration::from_secs(60);

/// The poke that stands for every scope: the listener pulls all it holds.
pub const EVERY_SCOPE: &str = "*";

/// How long the relay waits before subscribing again after losing Redis.
const RESUBSCRIBE_AFTER: Duration = Duration::from_millis(250);

/// Fans pokes out to the live connections of this instance.
pub struct Notifier {
    local: broadcast::Sender<String>,
    redis: Option<(redis::Client, String)>,
    subscribed: watch::Sender<bool>,
}

/// Where the cached head of a scope is kept: this prefix and the scope's key.
pub const HEAD_PREFIX: &str = "sync:head:";

fn head_key(scope: &Scope) -> String {
    format!("{HEAD_PREFIX}{scope}")
}

impl Notifier {
    /// A notifier; with a Redis client, pokes are published on `<prefix>pokes`.
    pub fn new(redis: Option<(redis::Client, String)>) -> Self {
        let (local, _) = broadcast::channel(1024);
        // Without Redis every poke is local, so there is nothing to subscribe to.
        let subscribed = watch::Sender::new(redis.is_none());
        Self {
            local,
            redis,
            subscribed,
        }
    }

    /// Listens for pokes of every instance and hands them to this instance's connections;
    /// and, each time Redis returns after an absence, pokes every instance with
    /// [`EVERY_SCOPE`], since pokes published meanwhile were lost.
    pub fn spawn_relay(&self, kv: &Kv) -> Vec<tokio::task::JoinHandle<()>> {
        let Some((client, prefix)) = self.redis.clone() else {
            return Vec::new();
        };
        let relay = Relay {
            client,
            channel: format!("{prefix}pokes"),
            local: self.local.clone(),
            subscribed: self.subscribed.clone(),
        };
        let mut tasks = vec![tokio::spawn(relay.run())];
        if let Some(mut returned) = kv.returned() {
            let kv = kv.clone();
            tasks.push(tokio::spawn(async move {
                while returned.changed().await.is_ok() {
                    if let Err(err) = kv.publish("pokes", EVERY_SCOPE).await {
                        tracing::debug!(error = %err, "catch-up poke not published");
                    }
                }
            }));
        }
        tasks
    }

    /// A receiver of scope keys that moved ([`EVERY_SCOPE`] for all of them).
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.local.subscribe()
    }

    /// Whether the relay is subscribed to the pokes of other instances (always true without
    /// Redis); it turns false while Redis is away.
    pub fn subscription(&self) -> watch::Receiver<bool> {
        self.subscribed.subscribe()
    }

    /// Waits until the relay is subscribed, so that a poke published from now on is heard.
    pub async fn subscribed(&self) {
        let mut subscription = self.subscription();
        let _ = subscription.wait_for(|subscribed| *subscribed).await;
    }

    /// Records new heads and pokes listeners; call after the transaction committed. Neither
    /// fails the write: without Redis the heads are raised on its return.
    pub async fn moved(&self, kv: &Kv, heads: &[(Scope, i64)]) -> ApiResult<()> {
        for (scope, version) in heads {
            kv.raise(&head_key(scope), *version, HEAD_TTL)
                .await
                .map_err(ApiError::internal)?;
            self.poke(kv, scope).await;
        }
        Ok(())
    }

    /// Publishes over the shared store's connection when there is one (every instance's relay
    /// hears it), otherwise straight to this instance's listeners; while Redis is away, this
    /// instance's listeners still hear it, the others get the catch-up poke on its return.
    async fn poke(&self, kv: &Kv, scope: &Scope) {
        match kv.publish("pokes", &scope.key()).await {
            Ok(true) => {}
            Ok(false) => {
                let _ = self.local.send(scope.key());
            }
            Err(err) => {
                tracing::debug!(error = %err, "poke not published; delivered on this instance");
                let _ = self.local.send(scope.key());
            }
        }
    }
}

/// The relay's side of Redis pub/sub.
struct Relay {
    client: redis::Client,
    channel: String,
    local: broadcast::Sender<String>,
    subscribed: watch::Sender<bool>,
}

impl Relay {
    /// Subscribes, forwards, and subscribes again whenever the subscription is lost. A
    /// re-subscription pokes every local listener with [`EVERY_SCOPE`]: a write may have been
    /// published while no one was listening.
    async fn run(self) {
        let mut lost = false;
        loop {
            let result = self.listen(lost).await;
            self.subscribed.send_replace(false);
            if !lost {
                match result {
                    Err(err) => {
                        tracing::warn!(error = %err, "poke relay lost Redis; re-subscribing")
                    }
                    Ok(()) => tracing::warn!("poke relay lost Redis; re-subscribing"),
                }
            }
            lost = true;
            tokio::time::sleep(RESUBSCRIBE_AFTER).await;
        }
    }

    async fn listen(&self, catch_up: bool) -> redis::RedisResult<()> {
        let connect = self.client.get_async_pubsub();
        let mut pubsub = tokio::time::timeout(Duration::from_secs(1), connect)
            .await
            .map_err(|_| {
                redis::RedisError::from(std::io::Error::from(std::io::ErrorKind::TimedOut))
            })??;
        pubsub.subscribe(&self.channel).await?;
        self.subscribed.send_replace(true);
        if catch_up {
            tracing::info!("poke relay subscribed again; catch-up poke sent");
            let _ = self.local.send(EVERY_SCOPE.to_owned());
        }
        let mut messages = pubsub.on_message();
        while let Some(message) = messages.next().await {
            if let Ok(scope) = message.get_payload::<String>() {
                let _ = self.local.send(scope);
            }
        }
        Ok(())
    }
}

/// Cached heads of the scopes, `None` where the cache has none.
pub async fn cached_heads(kv: &Kv, scopes: &[Scope]) -> ApiResult<Vec<Option<i64>>> {
    let keys: Vec<String> = scopes.iter().map(head_key).collect();
    // Without the cache (Redis away) every head is read from the database.
    let values = kv
        .get_many(&keys)
        .await
        .unwrap_or_else(|_| vec![None; keys.len()]);
    Ok(values
        .into_iter()
        .map(|v| v.and_then(|v| v.parse().ok()))
        .collect())
}

/// Remembers heads read from the database.
pub async fn remember(kv: &Kv, heads: &[(Scope, i64)]) -> ApiResult<()> {
    for (scope, version) in heads {
        kv.raise(&head_key(scope), *version, HEAD_TTL)
            .await
            .map_err(ApiError::internal)?;
    }
    Ok(())
}
