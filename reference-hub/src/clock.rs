//! The hub's clock, passed in: the writer reads time only through a [`Clock`], so a seeded
//! simulation can drive the engine and the writer with time it controls.
//!
//! The hub's time never goes back ([`Monotone`]): a wall clock stepped back (by an operator, or by
//! NTP correcting a bad forward step) makes it stand still until the wall clock passes its last
//! reading, so journal times, receipts and events never run backwards, and holds last longer, never
//! shorter. A forward step is taken at once: nothing tells it from a correction. At start the hub
//! never reads earlier than its journal's last entry ([`never_before`]).

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

/// A clock that never goes back: each reading is the later of its source's and the latest reading
/// given before.
#[derive(Debug)]
pub struct Monotone<C> {
    source: C,
    latest: AtomicI64,
}

impl<C: Clock> Monotone<C> {
    /// `source`, made monotone.
    pub const fn new(source: C) -> Self {
        Monotone {
            source,
            latest: AtomicI64::new(i64::MIN),
        }
    }

    /// The clock it reads.
    pub fn source(&self) -> &C {
        &self.source
    }

    /// From now on no reading is earlier than `floor`.
    pub fn never_before(&self, floor: Moment) {
        self.latest.fetch_max(floor.unix_millis(), Ordering::SeqCst);
    }
}

impl<C: Clock> Clock for Monotone<C> {
    fn moment(&self) -> Moment {
        let now = self.source.moment().unix_millis();
        let before = self.latest.fetch_max(now, Ordering::SeqCst);
        Moment::from_unix_millis(now.max(before))
    }
}

/// The process's hub time: the operating system's wall clock, made [`Monotone`]. Every reader in
/// the hub (the writer, request validity windows, sessions) reads this one.
static HUB_TIME: Monotone<SystemClock> = Monotone::new(SystemClock);

/// The hub's clock (the process-wide [`Monotone`] wall clock), for the writer.
#[derive(Debug, Default, Clone, Copy)]
pub struct HubClock;

impl Clock for HubClock {
    fn moment(&self) -> Moment {
        HUB_TIME.moment()
    }
}

/// From now on the hub's time is never earlier than `floor` (the journal's last entry at start).
pub fn never_before(floor: Moment) {
    HUB_TIME.never_before(floor);
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

/// The hub's time as a protocol timestamp (for request handling outside the writer).
pub fn now() -> Timestamp {
    HubClock.now()
}

/// The hub's time with millisecond resolution.
pub fn moment() -> Moment {
    HubClock.moment()
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

    #[test]
    fn a_monotone_clock_stands_still_through_a_backward_step_and_follows_a_forward_one() {
        let start = Moment::from_unix_millis(1_800_000_000_000);
        let clock = Monotone::new(ManualClock::new(start));
        assert_eq!(clock.moment(), start);
        // Stepped back an hour: the time stays where it was until the source passes it.
        clock
            .source
            .set(Moment::from_unix_millis(start.unix_millis() - 3_600_000));
        assert_eq!(clock.moment(), start);
        clock.source.advance(Duration::from_secs(3_599));
        assert_eq!(clock.moment(), start);
        clock.source.advance(Duration::from_secs(2));
        assert_eq!(clock.moment().unix_millis(), start.unix_millis() + 1_000);
        // Stepped forward a day: taken at once.
        clock.source.advance(Duration::from_secs(86_400));
        assert_eq!(
            clock.moment().unix_millis(),
            start.unix_millis() + 86_401_000
        );
        // A floor (the journal's last entry) holds it even before any reading.
        let floored = Monotone::new(ManualClock::new(start));
        floored.never_before(Moment::from_unix_millis(start.unix_millis() + 5_000));
        assert_eq!(floored.moment().unix_millis(), start.unix_millis() + 5_000);
        floored.never_before(start);
        assert_eq!(floored.moment().unix_millis(), start.unix_millis() + 5_000);
    }
}
