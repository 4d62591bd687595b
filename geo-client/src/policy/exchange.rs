//! What every policy machine offers its transport, so one loop per transport drives them all.

use geo_protocol::Timestamp;

use crate::error::{GeoError, GeoResult};
use crate::policy::Action;

/// A sans-I/O exchange with the hub: asks for sends, waits and renewals until it is done.
pub trait Exchange {
    /// What it finishes with.
    type Output;

    /// The next thing to do at `now` (the hub's clock, for machines that re-sign).
    fn next_action(&mut self, now: Timestamp) -> Action<Self::Output>;

    /// Reports the hub's answer; `retry_after` is its `Retry-After` header in seconds.
    fn on_response(&mut self, status: u16, body: String, retry_after: Option<u64>, now: Timestamp);

    /// Reports that no answer came (network error, time-out).
    fn on_failure(&mut self, error: GeoError);

    /// Reports the outcome of a renewal asked for with [`Action::Renew`].
    fn on_renewed(&mut self, result: GeoResult<()>);
}
