//! When to send a request again, and after how long: exponential backoff with full
//! jitter, capped, the service's own `x-acs-retry-after` hint first. The jitter is an
//! input (the library has no random source).

use std::time::Duration;

use super::service_error::ServiceError;

/// A retry policy: up to `max_attempts` tries in all, the n-th retry waiting up to
/// `base * 2^(n-1)`, never more than `cap`.
///
/// ```
/// use std::time::Duration;
/// use ecs_ramrole::{ErrorCode, RetryPolicy, ServiceError};
///
/// let policy = RetryPolicy::new(Duration::from_millis(100), Duration::from_secs(10), 4);
/// let mut throttled = ServiceError::new(400, ErrorCode::ThrottlingUser);
/// // Full jitter: a uniform draw in [0, 1) from the caller's own source scales the backoff.
/// assert_eq!(policy.delay(1, &throttled, 0.5), Some(Duration::from_millis(50)));
/// assert_eq!(policy.delay(3, &throttled, 0.5), Some(Duration::from_millis(200)));
/// // The service's hint comes first.
/// throttled.retry_after_ms = Some(1500);
/// assert_eq!(policy.delay(1, &throttled, 0.5), Some(Duration::from_millis(1500)));
/// // Not retryable, or out of attempts: no retry.
/// assert_eq!(policy.delay(4, &throttled, 0.5), None);
/// assert_eq!(policy.delay(1, &ServiceError::new(404, ErrorCode::InvalidRamRoleNotFound), 0.5), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    base: Duration,
    cap: Duration,
    max_attempts: u32,
}

impl RetryPolicy {
    /// A policy with this first backoff, this longest wait, and this many tries in all
    /// (the first included).
    pub fn new(base: Duration, cap: Duration, max_attempts: u32) -> Self {
        Self {
            base,
            cap,
            max_attempts,
        }
    }

    /// How long to wait before retry number `retry` (1 for the first retry) after
    /// `error`, or `None` when the error is not retryable or the attempts are spent.
    /// `jitter` is a uniform draw from `[0, 1)`; values outside are clamped. A hint from
    /// the service is honoured as given, even past `cap`: the service knows its limits.
    pub fn delay(&self, retry: u32, error: &ServiceError, jitter: f64) -> Option<Duration> {
        if retry == 0 || retry >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        if let Some(ms) = error.retry_after_ms {
            return Some(Duration::from_millis(ms));
        }
        let doubled = 2_u32
            .checked_pow(retry - 1)
            .and_then(|factor| self.base.checked_mul(factor))
            .unwrap_or(self.cap);
        Some(doubled.min(self.cap).mul_f64(jitter.clamp(0.0, 1.0)))
    }
}

impl Default for RetryPolicy {
    /// 100 ms, doubled per retry, capped at 20 s, 5 tries in all.
    fn default() -> Self {
        Self::new(Duration::from_millis(100), Duration::from_secs(20), 5)
    }
}
