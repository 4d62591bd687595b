//! `geo-load`: drives a GEO hub from outside with signed payments, the way a community would.
//!
//! A seeded [`community`] (scale-free trust graph with triadic closure, Zipf-popular payees,
//! lognormal amounts with a multi-path tail) is registered on the hub ([`setup`]); every payment
//! is signed before the timed phase, so the generator's own cost is one HTTP request per payment.
//! A run is **open-loop** (Poisson arrivals at a fixed rate; latency measured from each request's
//! intended send time, so a stalled hub is charged for the requests it delayed) or **closed-loop**
//! (a fixed number of clients, each sending its next payment when the previous one is answered),
//! see [`drive`]. The [`report`] gives committed/s and latency percentiles, and the committed count
//! the hub itself reports, read back after the run; given the hub's process id, also the hub's CPU
//! time and bytes written per committed payment ([`usage`]).

pub mod community;
pub mod drive;
pub mod report;
pub mod setup;
pub mod usage;
