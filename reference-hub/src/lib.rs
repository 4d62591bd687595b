//! The GEO reference community hub: a single-writer, journaled ledger of trust lines and debts with
//! multi-path routed two-phase payments, served over HTTP and WebSocket, on SQLite or PostgreSQL.
#![deny(missing_docs)]

pub mod admin;
pub mod api;
pub mod app;
pub mod backup;
pub mod clearing_runner;
pub mod clock;
pub mod config;
pub mod engine;
#[cfg(feature = "fault-injection")]
pub mod faults;
pub mod federation;
pub mod integrity;
pub mod metrics;
pub mod outage;
pub mod recovery;
pub mod secret;
pub mod server;
pub mod standby;
pub mod storage;
pub mod throttle;
pub mod writer;
