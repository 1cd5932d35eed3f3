//! How long to wait between attempts at a statement that failed for a
//! transient reason (connection refused or reset, HTTP 429/5xx).
//!
//! Pure arithmetic; the loop that sleeps and retries is in `mod.rs`.

use std::time::Duration;

/// Exponential backoff: `base`, `2·base`, `4·base`, ... capped at `cap`,
/// for at most `attempts` tries in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included; `1` means no retry.
    pub attempts: u32,
    /// The wait after the first failure.
    pub base: Duration,
    /// The longest wait between two tries.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    /// Four tries, waiting 0.5 s, 1 s, 2 s: about 3.5 s before giving up.
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// The wait before try `next` (2 for the first retry), or `None` when
    /// no try is left.
    pub fn delay_before(&self, next: u32) -> Option<Duration> {
        if next < 2 || next > self.attempts {
            return None;
        }
        let doublings = (next - 2).min(30);
        Some(self.base.saturating_mul(1 << doublings).min(self.cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_and_stop_after_the_last_try() {
        let policy = RetryPolicy {
            attempts: 6,
            base: Duration::from_millis(100),
            cap: Duration::from_millis(500),
        };
        let waits: Vec<Option<u64>> = (1..=7)
            .map(|n| policy.delay_before(n).map(|d| d.as_millis() as u64))
            .collect();
        assert_eq!(
            waits,
            [
                None,
                Some(100),
                Some(200),
                Some(400),
                Some(500),
                Some(500),
                None
            ]
        );
    }

    #[test]
    fn one_attempt_means_no_retry() {
        let policy = RetryPolicy {
            attempts: 1,
            ..RetryPolicy::default()
        };
        assert_eq!(policy.delay_before(2), None);
    }
}
