//! Limits on failed sign-ins, per account and per client address, in fixed windows.
//!
//! A window is a span of `window` aligned to the clock (with 15 minutes: :00, :15, :30 and :45
//! past the hour); each window has counters of its own, so a window passes without anything
//! having to expire. The clock is injected, so the window can be tested without waiting.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use xodim_domain::ErrorCode;

use crate::error::{ApiError, ApiResult};
use crate::kv::Kv;

/// Where the limiter reads the time.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Counts failures and refuses further attempts once a limit is reached in the window.
pub struct LoginLimiter {
    kv: Kv,
    per_account: u64,
    per_address: u64,
    window_ms: i64,
    clock: Arc<dyn Clock>,
}

/// The window an instant falls in, and the time left in it.
struct Window {
    index: i64,
    left: Duration,
}

impl LoginLimiter {
    /// A limiter over the shared store, on the system clock.
    pub fn new(kv: Kv, per_account: u32, per_address: u32, window: Duration) -> Self {
        Self {
            kv,
            per_account: per_account.into(),
            per_address: per_address.into(),
            window_ms: i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1),
            clock: Arc::new(SystemClock),
        }
    }

    /// The same limiter reading the time from `clock`.
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        Self { clock, ..self }
    }

    fn window(&self) -> Window {
        let now = self.clock.now().timestamp_millis();
        let index = now.div_euclid(self.window_ms);
        let end = (index + 1).saturating_mul(self.window_ms);
        let left = u64::try_from(end - now).unwrap_or(0);
        Window {
            index,
            left: Duration::from_millis(left),
        }
    }

    fn keys(account: &str, address: &str, window: &Window) -> [String; 2] {
        [
            format!("login:account:{account}:{}", window.index),
            format!("login:address:{address}:{}", window.index),
        ]
    }

    /// Refuses with `rate_limited` (and when to retry) if either counter is at its limit.
    pub async fn check(&self, account: &str, address: &str) -> ApiResult<()> {
        let window = self.window();
        let [account_key, address_key] = Self::keys(account, address, &window);
        for (key, limit) in [
            (account_key, self.per_account),
            (address_key, self.per_address),
        ] {
            let counter = self.kv.counter(&key).await.map_err(ApiError::internal)?;
            if counter.is_some_and(|(count, _)| count >= limit) {
                let retry_after = window.left.as_millis().div_ceil(1000);
                return Err(
                    ApiError::new(ErrorCode::RateLimited, "too many failed sign-ins")
                        .retry_after(u64::try_from(retry_after).unwrap_or(u64::MAX).max(1)),
                );
            }
        }
        Ok(())
    }

    /// Counts one failure against both the account and the address.
    pub async fn failed(&self, account: &str, address: &str) -> ApiResult<()> {
        let window = self.window();
        // The counter outlives its window a little, in case clocks of instances differ.
        let keep = window.left + Duration::from_secs(60);
        for key in Self::keys(account, address, &window) {
            self.kv
                .increment(&key, keep)
                .await
                .map_err(ApiError::internal)?;
        }
        Ok(())
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub async fn succeeded(&self, account: &str) -> ApiResult<()> {
        let window = self.window();
        let [account_key, _] = Self::keys(account, "", &window);
        self.kv
            .remove(&account_key)
            .await
            .map_err(ApiError::internal)
    }
}
