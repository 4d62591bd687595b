//! The hub's clock, passed in: the writer reads time only through a [`Clock`], so a seeded
//! simulation can drive the engine and the writer with time it controls.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use geo_protocol::Timestamp;

use crate::engine::Moment;

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now, with millisecond resolution.
    fn moment(&self) -> Moment;

    /// Now as a protocol timestamp (the whole second).
    fn now(&self) -> Timestamp {
        self.moment().timestamp()
    }
}

/// The operating system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn moment(&self) -> Moment {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_millis() as i64;
        Moment::from_unix_millis(millis)
    }
}

/// A clock that moves only when told to (tests and simulations).
#[derive(Debug)]
pub struct ManualClock {
    unix_millis: AtomicI64,
}

impl ManualClock {
    /// A clock stopped at `at`.
    pub fn new(at: Moment) -> Self {
        ManualClock {
            unix_millis: AtomicI64::new(at.unix_millis()),
        }
    }

    /// Sets the time.
    pub fn set(&self, at: Moment) {
        self.unix_millis.store(at.unix_millis(), Ordering::SeqCst);
    }

    /// Moves the time forward.
    pub fn advance(&self, by: Duration) {
        self.unix_millis
            .fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn moment(&self) -> Moment {
        Moment::from_unix_millis(self.unix_millis.load(Ordering::SeqCst))
    }
}

/// The wall clock's now as a protocol timestamp (for request handling outside the writer).
pub fn now() -> Timestamp {
    SystemClock.now()
}

/// The wall clock's now with millisecond resolution.
pub fn moment() -> Moment {
    SystemClock.moment()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = Moment::from_unix_millis(1_800_000_000_500);
        let clock = ManualClock::new(start);
        assert_eq!(clock.moment(), start);
        clock.advance(Duration::from_millis(700));
        assert_eq!(clock.moment().unix_millis(), 1_800_000_001_200);
        assert_eq!(clock.now().unix(), 1_800_000_001);
        clock.set(start);
        assert_eq!(clock.moment(), start);
    }
}
