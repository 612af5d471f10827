//! Limits on failed sign-ins, per account and per client address, in a fixed window.

use std::time::Duration;

use xodim_domain::ErrorCode;

use crate::error::{ApiError, ApiResult};
use crate::kv::Kv;

/// Counts failures and refuses further attempts once a limit is reached in the window.
pub struct LoginLimiter {
    kv: Kv,
    per_account: u64,
    per_address: u64,
    window: Duration,
}

impl LoginLimiter {
    /// A limiter over the shared store.
    pub fn new(kv: Kv, per_account: u32, per_address: u32, window: Duration) -> Self {
        Self {
            kv,
            per_account: per_account.into(),
            per_address: per_address.into(),
            window,
        }
    }

    fn keys(account: &str, address: &str) -> [String; 2] {
        [
            format!("login:account:{account}"),
            format!("login:address:{address}"),
        ]
    }

    /// Refuses with `rate_limited` (and when to retry) if either counter is at its limit.
    pub async fn check(&self, account: &str, address: &str) -> ApiResult<()> {
        let [account_key, address_key] = Self::keys(account, address);
        for (key, limit) in [
            (account_key, self.per_account),
            (address_key, self.per_address),
        ] {
            let counter = self.kv.counter(&key).await.map_err(ApiError::internal)?;
            if let Some((count, left)) = counter
                && count >= limit
            {
                return Err(
                    ApiError::new(ErrorCode::RateLimited, "too many failed sign-ins")
                        .retry_after(left.as_secs().max(1)),
                );
            }
        }
        Ok(())
    }

    /// Counts one failure against both the account and the address.
    pub async fn failed(&self, account: &str, address: &str) -> ApiResult<()> {
        for key in Self::keys(account, address) {
            self.kv
                .increment(&key, self.window)
                .await
                .map_err(ApiError::internal)?;
        }
        Ok(())
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub async fn succeeded(&self, account: &str) -> ApiResult<()> {
        let [account_key, _] = Self::keys(account, "");
        self.kv
            .remove(&account_key)
            .await
            .map_err(ApiError::internal)
    }
}
