//! How many attempts, and how long to wait between them.

use crate::policy::Jitter;

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
        self.jittered(attempt, retry_after, &mut Jitter::none())
    }

    /// [`Backoff::delay_with_hint`] spread by `jitter`: the backoff part is drawn from its upper
    /// half (`d/2 ..= d`), a hub's `Retry-After` is never undercut and is lengthened by at most a
    /// tenth, and the result stays within `max_ms`.
    pub fn jittered(&self, attempt: u32, retry_after: Option<u64>, jitter: &mut Jitter) -> u64 {
        let backoff = self.delay_ms(attempt);
        let backoff = backoff - jitter.below(backoff / 2 + 1);
        let hinted = retry_after.map_or(0, |s| s.saturating_mul(1000));
        let hinted = hinted.saturating_add(jitter.below(hinted / 10 + 1));
        backoff.max(hinted).min(self.max_ms)
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
        let capped = Backoff {
            attempts: 10,
            base_ms: 100,
            max_ms: 350,
        };
        assert_eq!(
            capped.delay_ms(4),
            350,
            "the cap falls between two doublings"
        );
    }

    #[test]
    fn jitter_stays_within_its_bounds_and_never_undercuts_retry_after() {
        let b = Backoff::default();
        let mut j = Jitter::seeded(42);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2_000 {
            let d = b.jittered(3, None, &mut j);
            assert!((200..=400).contains(&d), "backoff 400 jittered to {d}");
            seen.insert(d);
            let h = b.jittered(2, Some(1), &mut j);
            assert!(
                (1_000..=1_100).contains(&h),
                "Retry-After 1 s jittered to {h}"
            );
            seen.insert(h);
            let capped = b.jittered(2, Some(60), &mut j);
            assert_eq!(capped, 5_000, "the cap holds");
            assert!(b.jittered(40, None, &mut j) <= 5_000);
        }
        assert!(
            seen.len() > 150,
            "delays are spread: {} distinct",
            seen.len()
        );
        let again: Vec<u64> = {
            let mut j = Jitter::seeded(42);
            (0..5).map(|_| b.jittered(3, None, &mut j)).collect()
        };
        let mut j = Jitter::seeded(42);
        assert_eq!(
            again,
            (0..5)
                .map(|_| b.jittered(3, None, &mut j))
                .collect::<Vec<_>>(),
            "the same seed, the same delays"
        );
    }
}
