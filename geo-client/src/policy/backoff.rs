//! How many attempts, and how long to wait between them.

/// Exponential backoff: `attempts` in all, the first resend after `base_ms`, doubling up to `max_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Attempts in all (1: never resend).
    pub attempts: u32,
    /// Delay before the first resend, milliseconds.
    pub base_ms: u64,
    /// Longest delay, milliseconds (also caps a hub's `Retry-After`).
    pub max_ms: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            attempts: 5,
            base_ms: 200,
            max_ms: 5_000,
        }
    }
}

impl Backoff {
    /// The delay before attempt `n` (1-based; attempt 1 has none).
    pub fn delay_ms(&self, attempt: u32) -> u64 {
        let factor = 1u64 << attempt.saturating_sub(2).min(16);
        self.base_ms.saturating_mul(factor).min(self.max_ms)
    }

    /// The delay before attempt `n` when the hub asked for `retry_after` seconds: the longer of the
    /// two, capped at `max_ms`.
    pub fn delay_with_hint(&self, attempt: u32, retry_after: Option<u64>) -> u64 {
        let hinted = retry_after.map_or(0, |s| s.saturating_mul(1000));
        self.delay_ms(attempt).max(hinted).min(self.max_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_and_honours_retry_after_within_it() {
        let b = Backoff {
            attempts: 9,
            base_ms: 100,
            max_ms: 3_000,
        };
        assert_eq!(
            [b.delay_ms(2), b.delay_ms(3), b.delay_ms(4)],
            [100, 200, 400]
        );
        assert_eq!(b.delay_ms(40), 3_000);
        assert_eq!(b.delay_with_hint(2, Some(2)), 2_000);
        assert_eq!(b.delay_with_hint(2, Some(60)), 3_000);
        assert_eq!(b.delay_with_hint(3, None), 200);
    }
}
