//! When a hub that waits (for the database, the writer lock, an earlier writer) says so again: the
//! first time at once, then after 1 s, 2 s, 4 s, … up to one line a minute, so an hour of waiting
//! logs 65 lines, not one per try (14,400: a waiting hub tries every 250 ms). Each line says how
//! long the wait has lasted.

use std::time::{Duration, Instant};

/// The first gap between two lines.
const FIRST_GAP: Duration = Duration::from_secs(1);

/// The longest gap between two lines.
const MAX_GAP: Duration = Duration::from_secs(60);

/// Decides which of a repeated "still waiting" line's occurrences are logged.
#[derive(Debug, Clone)]
pub struct Throttle {
    since: Instant,
    next: Instant,
    gap: Duration,
    skipped: u64,
}

impl Throttle {
    /// A wait that began at `since`; its first line is due at once.
    pub fn new(since: Instant) -> Throttle {
        Throttle {
            since,
            next: since,
            gap: FIRST_GAP,
            skipped: 0,
        }
    }

    /// `Some(how long the wait has lasted, lines skipped since the last)` when the line is due at
    /// `now` (the next is then due after twice the last gap), else `None`.
    pub fn due(&mut self, now: Instant) -> Option<(Duration, u64)> {
        if now < self.next {
            self.skipped += 1;
            return None;
        }
        self.next = now + self.gap;
        self.gap = (self.gap * 2).min(MAX_GAP);
        let skipped = std::mem::take(&mut self.skipped);
        Some((now.saturating_duration_since(self.since), skipped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines due while a wait is tried every `poll` for `total`.
    fn logged(poll: Duration, total: Duration) -> Vec<(Duration, u64)> {
        let start = Instant::now();
        let mut t = Throttle::new(start);
        let mut out = Vec::new();
        let mut at = start;
        while at <= start + total {
            out.extend(t.due(at));
            at += poll;
        }
        out
    }

    #[test]
    fn the_first_line_at_once_then_doubling_gaps_with_the_elapsed_time() {
        let ms = Duration::from_millis;
        let lines = logged(ms(250), Duration::from_secs(20));
        let at: Vec<Duration> = lines.iter().map(|l| l.0).collect();
        assert_eq!(at, [ms(0), ms(1000), ms(3000), ms(7000), ms(15000)]);
        // Each line says how many tries went unlogged since the one before.
        let skipped: Vec<u64> = lines.iter().map(|l| l.1).collect();
        assert_eq!(skipped, [0, 3, 7, 15, 31]);
    }

    #[test]
    fn an_hour_of_waiting_logs_65_lines_not_fourteen_thousand() {
        let lines = logged(Duration::from_millis(250), Duration::from_secs(3600));
        // 0, 1, 3, 7, 15, 31, 63 s, then one a minute.
        assert_eq!(lines.len(), 7 + (3600 - 63) / 60);
        let gaps: Vec<Duration> = lines.windows(2).map(|w| w[1].0 - w[0].0).collect();
        assert!(gaps.iter().all(|g| *g <= MAX_GAP), "{gaps:?}");
    }
}
