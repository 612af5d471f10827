//! How long a failed attempt waits before the next one.

use chrono::{DateTime, Duration, SubsecRound, Utc};

/// The first wait.
const BASE_SECS: i64 = 5;
/// The longest wait.
const MAX_SECS: i64 = 3600;

/// Exponential back-off with full jitter over the second half of the window, never shorter
/// than what the provider asked for (`Retry-After`). `attempts` counts the attempt that
/// just failed (1 for the first).
pub fn delay(attempts: i32, provider_asked: Option<std::time::Duration>) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let window = BASE_SECS.saturating_mul(1_i64 << exponent).min(MAX_SECS);
    let millis = window * 1000;
    let jittered = millis / 2 + random_below(millis / 2 + 1);
    let ours = Duration::milliseconds(jittered);
    let theirs = provider_asked
        .and_then(|d| Duration::from_std(d).ok())
        .unwrap_or_else(Duration::zero);
    ours.max(theirs)
}

/// `at` rounded up to the microsecond PostgreSQL keeps, so that a stored wait is never
/// shorter than the one computed.
pub fn not_before(at: DateTime<Utc>) -> DateTime<Utc> {
    let truncated = at.trunc_subsecs(6);
    if truncated < at {
        truncated + Duration::microseconds(1)
    } else {
        truncated
    }
}

/// A random number in `0..bound`; 0 when the system has no randomness to give, which only
/// loses the jitter.
fn random_below(bound: i64) -> i64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() || bound <= 0 {
        return 0;
    }
    let value = u64::from_le_bytes(bytes) % bound.unsigned_abs();
    i64::try_from(value).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_grows_with_each_attempt_within_its_jitter() {
        for attempts in 1..=5 {
            let window = BASE_SECS * (1 << (attempts - 1));
            let wait = delay(attempts, None).num_milliseconds();
            assert!(
                wait >= window * 500 && wait <= window * 1000,
                "{attempts}: {wait}"
            );
        }
    }

    #[test]
    fn the_wait_is_capped_at_an_hour() {
        assert!(delay(40, None) <= Duration::seconds(MAX_SECS));
    }

    #[test]
    fn the_provider_s_retry_after_is_honoured() {
        let asked = std::time::Duration::from_secs(120);
        assert!(delay(1, Some(asked)) >= Duration::seconds(120));
    }
}
