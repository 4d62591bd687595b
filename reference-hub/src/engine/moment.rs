//! The writer's clock reading, with millisecond resolution. Journal entries and the wire keep whole
//! seconds (`Timestamp`); a deadline computed from a moment is rounded *up* to the next whole second,
//! so a hold of `n` seconds never lapses before `n` seconds have passed (a 1 s hold prepared at
//! 10:00:00.500 lapses at 10:00:02, not at 10:00:01).

use geo_protocol::Timestamp;

/// An instant in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment {
    unix_millis: i64,
}

impl Moment {
    /// From milliseconds since the Unix epoch.
    pub fn from_unix_millis(unix_millis: i64) -> Self {
        Moment { unix_millis }
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(self) -> i64 {
        self.unix_millis
    }

    /// The whole second this moment falls in (what journal entries record).
    pub fn timestamp(self) -> Timestamp {
        Timestamp::from_unix(self.unix_millis.div_euclid(1000)).expect("the clock is in 1970..9999")
    }

    /// The earliest whole second at least `seconds` after this moment.
    pub fn deadline_after(self, seconds: u32) -> Timestamp {
        let ceil =
            self.unix_millis.div_euclid(1000) + i64::from(self.unix_millis.rem_euclid(1000) > 0);
        Timestamp::from_unix(ceil)
            .expect("the clock is in 1970..9999")
            .plus_seconds(i64::from(seconds))
    }

    /// How long from this moment until `at` (zero when `at` has passed).
    pub fn until(self, at: Timestamp) -> std::time::Duration {
        let millis = at.unix().saturating_mul(1000) - self.unix_millis;
        std::time::Duration::from_millis(millis.max(0) as u64)
    }
}

impl From<Timestamp> for Moment {
    fn from(t: Timestamp) -> Self {
        Moment::from_unix_millis(t.unix() * 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_round_up_and_whole_seconds_stay() {
        let t = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        let whole = Moment::from(t);
        assert_eq!(whole.timestamp(), t);
        assert_eq!(whole.deadline_after(1), t.plus_seconds(1));
        let mid = Moment::from_unix_millis(t.unix() * 1000 + 500);
        assert_eq!(mid.timestamp(), t);
        assert_eq!(mid.deadline_after(1), t.plus_seconds(2));
        let late = Moment::from_unix_millis(t.unix() * 1000 + 999);
        assert_eq!(late.deadline_after(0), t.plus_seconds(1));
        assert_eq!(mid.until(t.plus_seconds(1)).as_millis(), 500);
        assert_eq!(mid.until(t).as_millis(), 0);
    }
}
