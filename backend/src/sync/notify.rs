//! After a commit: the cached scope heads move forward and live clients are poked.
//!
//! A poke carries only a scope key, never data: the client pulls for the truth. With Redis the
//! pokes travel over pub/sub so that a client connected to any instance hears of a write on any
//! other; without Redis they stay in this process.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::broadcast;
use xodim_domain::sync::Scope;

use crate::error::{ApiError, ApiResult};
use crate::kv::Kv;

/// How long a cached head lives without being raised; it bounds the staleness left by a writer
/// that died between its commit and raising the cache.
const HEAD_TTL: Duration = Duration::from_secs(60);

/// Fans pokes out to the live connections of this instance.
pub struct Notifier {
    local: broadcast::Sender<String>,
    redis: Option<(redis::Client, String)>,
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
        Self { local, redis }
    }

    /// Listens for pokes of every instance and hands them to this instance's connections.
    pub fn spawn_relay(&self) -> Option<tokio::task::JoinHandle<()>> {
        let (client, prefix) = self.redis.clone()?;
        let local = self.local.clone();
        Some(tokio::spawn(async move {
            loop {
                if let Err(err) = relay(&client, &format!("{prefix}pokes"), &local).await {
                    tracing::warn!(error = %err, "poke relay lost Redis; reconnecting");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }))
    }

    /// A receiver of scope keys that moved.
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.local.subscribe()
    }

    /// Records new heads and pokes listeners; call after the transaction committed.
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
    /// hears it), otherwise straight to this instance's listeners.
    async fn poke(&self, kv: &Kv, scope: &Scope) {
        match kv.publish("pokes", &scope.key()).await {
            Ok(true) => {}
            Ok(false) => {
                let _ = self.local.send(scope.key());
            }
            Err(err) => tracing::warn!(error = %err, "poke not published"),
        }
    }
}

async fn relay(
    client: &redis::Client,
    channel: &str,
    local: &broadcast::Sender<String>,
) -> redis::RedisResult<()> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(channel).await?;
    let mut messages = pubsub.on_message();
    while let Some(message) = messages.next().await {
        if let Ok(scope) = message.get_payload::<String>() {
            let _ = local.send(scope);
        }
    }
    Ok(())
}

/// Cached heads of the scopes, `None` where the cache has none.
pub async fn cached_heads(kv: &Kv, scopes: &[Scope]) -> ApiResult<Vec<Option<i64>>> {
    let keys: Vec<String> = scopes.iter().map(head_key).collect();
    let values = kv.get_many(&keys).await.map_err(ApiError::internal)?;
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
