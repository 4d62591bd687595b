//! How the hub's PostgreSQL sessions present themselves and how soon the server gives up on them.
//!
//! Every connection of one opened store carries the same `application_name` (`geo-hub <os pid>
//! s<n>`), so an operator, or a hub waiting for the writer lock, sees in `pg_stat_activity` which
//! process holds it and can end all of that process's sessions at once.
//!
//! The server drops a session whose client stopped answering within a bound the hub sets per
//! session (these settings need no privilege): TCP keepalive probes after 5 s of silence, every
//! 2 s, 3 unanswered ones ending the connection (≤ 11 s for an idle session), and
//! `tcp_user_timeout` 10 s for one with data unacknowledged. So a writer cut off from the database
//! by the network loses its advisory lock, and its open transactions are rolled back, within about
//! 11 s; a hub waiting for the lock then takes it. (A writer whose process is stopped but whose
//! machine still answers TCP is ended by the waiting hub's lease check instead, see
//! [`super::super::writer_lock`]; the writer itself stops acknowledging sooner, 2 s after its last
//! answered lease renewal.) The settings are ignored on a Unix socket, where a dead peer is
//! seen at once.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::postgres::PgConnectOptions;

/// Seconds of silence before the server's first keepalive probe.
pub const KEEPALIVE_IDLE_S: u32 = 5;
/// Seconds between probes.
pub const KEEPALIVE_INTERVAL_S: u32 = 2;
/// Unanswered probes that end the connection.
pub const KEEPALIVE_COUNT: u32 = 3;
/// Milliseconds sent data may stay unacknowledged before the server ends the connection.
pub const USER_TIMEOUT_MS: u32 = 10_000;

/// A session name for one opened store: this process and a counter.
pub fn application_name(role: &str) -> String {
    static OPENED: AtomicU64 = AtomicU64::new(0);
    let n = OPENED.fetch_add(1, Ordering::Relaxed) + 1;
    format!("geo-hub {} s{n}{role}", std::process::id())
}

/// `options` with the hub's session name and the server-side liveness bounds above.
pub fn hub_session(options: PgConnectOptions, name: &str) -> PgConnectOptions {
    options.application_name(name).options([
        ("tcp_keepalives_idle", KEEPALIVE_IDLE_S.to_string()),
        ("tcp_keepalives_interval", KEEPALIVE_INTERVAL_S.to_string()),
        ("tcp_keepalives_count", KEEPALIVE_COUNT.to_string()),
        ("tcp_user_timeout", USER_TIMEOUT_MS.to_string()),
    ])
}
