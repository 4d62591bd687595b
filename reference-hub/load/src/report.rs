//! What one run measured: outcomes, committed/s and latency percentiles.

use std::time::Duration;

/// The outcome of one request, as the hub answered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 200: committed (durably, before the answer).
    Committed,
    /// 422: refused for lack of capacity (nothing changed).
    Refused,
    /// Anything else (another status or a transport error).
    Failed,
}

impl Outcome {
    /// Classifies an HTTP status.
    pub fn of_status(status: u16) -> Outcome {
        match status {
            200 => Outcome::Committed,
            422 => Outcome::Refused,
            _ => Outcome::Failed,
        }
    }
}

/// One answered request: its outcome, when it was (meant to be) sent and its latency from then.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Intended (open loop) or actual (closed loop) send time, from the start of the run.
    pub sent: Duration,
    /// How the hub answered.
    pub outcome: Outcome,
    /// The HTTP status (0 when the request got no answer).
    pub status: u16,
    /// From the intended send time (open loop) or the actual send (closed loop) to the answer.
    pub latency: Duration,
}

/// Totals and percentiles of a run.
#[derive(Debug, Clone)]
pub struct Report {
    /// Requests committed, refused for capacity, and failed otherwise.
    pub committed: u64,
    pub refused: u64,
    pub failed: u64,
    /// Failed requests by HTTP status (0: no answer), most frequent first.
    pub failures: Vec<(u16, u64)>,
    /// From the first intended send to the last answer.
    pub elapsed: Duration,
    /// Latency percentiles over every answered request (p50, p99, p99.9) and the maximum.
    pub p50: Duration,
    pub p99: Duration,
    pub p999: Duration,
    pub max: Duration,
    /// Every sample, in send order (for `--samples`: when the slow answers happened).
    pub samples: Vec<Sample>,
}

impl Report {
    /// Summarises samples of a run that lasted `elapsed`.
    pub fn of(samples: &[Sample], elapsed: Duration) -> Report {
        let mut lat: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
        lat.sort_unstable();
        let at = |p: f64| {
            if lat.is_empty() {
                Duration::ZERO
            } else {
                // Nearest rank: the smallest latency with at least p of the samples at or below it.
                lat[((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1]
            }
        };
        let count = |o: Outcome| samples.iter().filter(|s| s.outcome == o).count() as u64;
        let mut failures: Vec<(u16, u64)> = Vec::new();
        for x in samples.iter().filter(|s| s.outcome == Outcome::Failed) {
            match failures.iter_mut().find(|f| f.0 == x.status) {
                Some(f) => f.1 += 1,
                None => failures.push((x.status, 1)),
            }
        }
        failures.sort_by_key(|f| (std::cmp::Reverse(f.1), f.0));
        let mut in_order = samples.to_vec();
        in_order.sort_by_key(|s| s.sent);
        Report {
            samples: in_order,
            failures,
            committed: count(Outcome::Committed),
            refused: count(Outcome::Refused),
            failed: count(Outcome::Failed),
            elapsed,
            p50: at(0.50),
            p99: at(0.99),
            p999: at(0.999),
            max: lat.last().copied().unwrap_or_default(),
        }
    }

    /// The samples as CSV: send time and latency in microseconds, HTTP status.
    pub fn samples_csv(&self) -> String {
        let mut out = String::from("sent_us,latency_us,status\n");
        for s in &self.samples {
            out.push_str(&format!(
                "{},{},{}\n",
                s.sent.as_micros(),
                s.latency.as_micros(),
                s.status
            ));
        }
        out
    }

    /// Committed payments per second of the run.
    pub fn committed_per_second(&self) -> f64 {
        self.committed as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "committed {} refused {} failed {} in {:.2?}: {:.0} committed/s; latency p50 {:.2?} p99 {:.2?} p99.9 {:.2?} max {:.2?}",
            self.committed,
            self.refused,
            self.failed,
            self.elapsed,
            self.committed_per_second(),
            self.p50,
            self.p99,
            self.p999,
            self.max
        )?;
        for (status, n) in &self.failures {
            write!(f, "; {n} failed with status {status}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank_and_counts_by_outcome() {
        let samples: Vec<Sample> = (1..=1000u64)
            .map(|i| Sample {
                sent: Duration::from_millis(1000 - i),
                status: if i % 10 == 0 { 422 } else { 200 },
                outcome: if i % 10 == 0 {
                    Outcome::Refused
                } else {
                    Outcome::Committed
                },
                latency: Duration::from_millis(i),
            })
            .collect();
        let r = Report::of(&samples, Duration::from_secs(2));
        assert_eq!((r.committed, r.refused, r.failed), (900, 100, 0));
        assert_eq!(r.p50, Duration::from_millis(500));
        assert_eq!(r.p99, Duration::from_millis(990));
        assert_eq!(r.p999, Duration::from_millis(999));
        assert_eq!(r.max, Duration::from_millis(1000));
        assert_eq!(r.committed_per_second(), 450.0);
        let csv = r.samples_csv();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("sent_us,latency_us,status"));
        assert_eq!(lines.next(), Some("0,1000000,422"));
        assert_eq!(lines.next(), Some("1000,999000,200"));
        assert_eq!(lines.count(), 998);
    }
}
