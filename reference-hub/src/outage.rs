//! What a hub does when its database fails under it (PostgreSQL restarted or unreachable, a full
//! disk): it stops acknowledging at once, and resumes in the same process when the database is back.
//!
//! A batch that could not be made durable stops the writer ([`crate::writer`]), and so does a lost
//! writer lock (PostgreSQL drops the advisory lock with its connection, so another hub may already
//! be writing). Memory may then be ahead of the database (a batch may even have committed without
//! its answer arriving), so nothing in memory is trusted: the hub stops serving, releases the lock,
//! and starts again on the same listening socket as a [`crate::standby`] hub does. Meanwhile every
//! request is answered `503 E_UNAVAILABLE` with `Retry-After`, never a hang or a `500`. Once the
//! database answers and the writer lock is its own again, the hub rebuilds its ledger from the
//! newest checkpoint and the journal and serves, with the same sessions. Clients resend what was
//! unanswered with the same signed bytes and get the stored result: nothing acknowledged is lost and
//! nothing applies twice. No supervisor restart is needed.
//!
//! What a failure means is decided by its cause ([`crate::storage::FailureKind`]): the database
//! unavailable (its server down, restarting, an I/O or internal error), its disk full, or a
//! statement it refuses (a permission revoked, a table dropped: an operator's to fix) is waited out
//! as above; only damaged data (PostgreSQL's `XX001`/`XX002`, a corrupt SQLite file, a broken hash
//! chain) stops the process with exit code 1 and a log line saying so, since writing on could
//! spread it.

use std::future::Future;

use crate::app::{self, RunningHub, StartError};
use crate::config::Settings;

/// Serves `hub` until `shutdown` resolves (then stops it gracefully), resuming it after every
/// storage failure. Errors only when the hub cannot start again for a reason that waiting does not
/// cure (a corrupt journal, a broken invariant) or its writer stopped with an error at shutdown.
pub async fn serve(
    mut hub: RunningHub,
    settings: Settings,
    shutdown: impl Future<Output = ()>,
) -> Result<(), String> {
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => {
                tracing::info!("shutting down: finishing in-flight requests and commits");
                return hub.shutdown().await;
            }
            _ = hub.storage_failed() => {}
        }
        if let Some(why) = hub.state.writer.corruption().map(str::to_owned) {
            tracing::error!(
                error = %why,
                "the database reports damaged data: the hub stops rather than write on it; repair \
                 or restore the database (`geo-hub check` verifies the journal), then start the hub"
            );
            let _ = hub.abandon().await;
            return Err(format!("the database reports damaged data: {why}"));
        }
        tracing::error!(
            "storage failed: the hub answers 503 and resumes when the database answers again"
        );
        // Whatever failed first, say when the writer lock went with it (bounded: a lock known lost
        // is not asked again).
        if !hub.state.store.holds_writer_lock().await {
            tracing::error!("the writer lock is lost: another hub may be writing now");
        }
        let started = std::time::Instant::now();
        let resume = hub.abandon().await;
        hub = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            resumed = app::resume(settings.clone(), resume) => resumed.map_err(stopped)?,
        };
        metrics::counter!("geo_storage_resumptions_total").increment(1);
        tracing::info!(
            millis = started.elapsed().as_millis() as u64,
            "the hub resumed after a storage failure"
        );
    }
}

/// Why a recovering hub stops instead of waiting on: the database reports damaged data, or the
/// start failed for a reason that is not the database's (the log line says which).
fn stopped(e: StartError) -> String {
    if let StartError::Storage(s) = &e {
        tracing::error!(
            error = %e,
            kind = s.kind().code(),
            "the database reports damaged data: the hub stops; repair or restore the database \
             (`geo-hub check` verifies the journal), then start the hub"
        );
    }
    e.to_string()
}
