//! A standby hub: a second `geo-hub` on the same database that waits for the writer lock and takes
//! over when the active hub dies.
//!
//! With `standby = true` a hub whose database is locked by another hub does not exit: it listens at
//! once and answers every request `503 E_UNAVAILABLE` with `Retry-After` (`/readyz` too, so a load
//! balancer sends nothing to it; `/healthz` answers 200 with `"role": "standby"`, the process being
//! healthy). Meanwhile it tries the writer lock every [`POLL`]. PostgreSQL releases the active hub's
//! advisory lock when its connection ends (at once when the process dies and its socket closes; after
//! the TCP keepalive timeout when its machine vanishes), so the standby then opens the store,
//! replays the journal and starts the writer on the same listening socket, like any start.
//!
//! Nothing acknowledged is lost and nothing applies twice: the active hub answered only what was
//! committed, the standby rebuilds from exactly that, and clients resend the unanswered requests
//! with the same signed bytes (payments are idempotent by `tx_id`, other messages by nonce). Two
//! writers can never both append: each batch checks, in its transaction and before its commit, that
//! its writer still holds the lock (and the journal's sequence number is its primary key), so a
//! writer that lost its lock without noticing fails its next batch and stops.

mod follower;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use geo_protocol::ErrorCode;
use tokio::net::TcpListener;

use crate::api::HubError;
use crate::app::{Loaded, StartError};
use crate::config::Settings;
use crate::storage::{FailureKind, StorageError, Store};
use crate::throttle::Throttle;
pub use follower::Follower;

/// How often a standby tries the writer lock (the takeover delay after the lock is released is at
/// most this, plus the replay).
pub const POLL: Duration = Duration::from_millis(250);

/// Seconds a client is told to wait before sending again to a standby.
const RETRY_AFTER: &str = "1";

fn unavailable(detail: &'static str) -> Response {
    let mut r = HubError::new(ErrorCode::Unavailable, detail).into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
    r
}

/// Why a hub waits before it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// A standby: another hub holds the writer lock.
    Standby,
    /// A hub whose database failed under it ([`crate::outage`]): it waits for the database to
    /// answer again (and for the writer lock, which another hub may have taken meanwhile).
    Outage,
}

impl Waiting {
    fn role(self) -> &'static str {
        match self {
            Waiting::Standby => "standby",
            Waiting::Outage => "recovering",
        }
    }

    fn detail(self) -> &'static str {
        match self {
            Waiting::Standby => "this hub is a standby; the active hub serves (send again shortly)",
            Waiting::Outage => {
                "the hub's database is unavailable; the hub resumes when it answers (send the same \
                 request again shortly)"
            }
        }
    }
}

/// What a waiting hub answers: healthy, not ready, and every other request `503` with `Retry-After`.
/// A standby that follows the journal says how far in `/healthz` (`journal_seq`).
pub fn router(waiting: Waiting, followed: Option<Arc<AtomicU64>>) -> Router {
    Router::new()
        .route(
            "/healthz",
            get(move || {
                let mut health = serde_json::json!({ "status": "ok", "role": waiting.role() });
                if let Some(seq) = &followed {
                    health["journal_seq"] = seq.load(Ordering::Relaxed).into();
                }
                async move { Json(health) }
            }),
        )
        .route(
            "/readyz",
            get(move || async move {
                unavailable(match waiting {
                    Waiting::Standby => "standby: another hub is the writer",
                    Waiting::Outage => "recovering: the database is unavailable",
                })
            }),
        )
        .fallback(move || async move { unavailable(waiting.detail()) })
}

/// Opens the store as its one writer, restores the ledger and reads the rest a hub needs ([`Loaded`]);
/// while that cannot be done (another
/// hub holds the lock; for [`Waiting::Outage`] also while the database fails transiently), serves
/// the waiting answers on `listener` and tries again every [`POLL`]. Returns the store, the
/// loaded state and the listener, now free for the hub's own server.
pub async fn open_when_writer(
    settings: &Settings,
    listener: TcpListener,
    waiting: Waiting,
) -> Result<(Store, Loaded, TcpListener), StartError> {
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| StartError::Io(format!("{}: {e}", settings.data_dir.display())))?;
    let wait_through = |e: &StartError, first: bool| match e {
        StartError::Storage(StorageError::Locked(_)) => true,
        // A recovering hub waits through everything but damaged data (`outage.rs`).
        StartError::Storage(e) if waiting == Waiting::Outage => e.kind() != FailureKind::Corruption,
        _ => waiting == Waiting::Standby && !first,
    };
    // A hub resuming after a failure answers 503 at once: its database may not answer for a while
    // (each try is bounded, but a cut-off database makes every try last that long).
    if waiting != Waiting::Outage {
        match open(settings, None).await {
            Ok((store, loaded)) => return Ok((store, loaded, listener)),
            Err(e) if wait_through(&e, true) => {}
            Err(e) => return Err(e),
        }
    }
    // Serve the waiting answers on a duplicate of the socket, so the same one is served afterwards.
    let std_listener = listener
        .into_std()
        .map_err(|e| StartError::Io(format!("listener: {e}")))?;
    let duplicate = std_listener
        .try_clone()
        .and_then(TcpListener::from_std)
        .map_err(|e| StartError::Io(format!("listener: {e}")))?;
    let limits = crate::server::ConnectionLimits {
        header_read_timeout: Duration::from_millis(settings.header_read_timeout_ms),
        max_connections: settings.max_client_connections,
    };
    // A warm standby follows the journal while it waits.
    let mut follower = (waiting == Waiting::Standby && settings.standby_follow)
        .then(|| Follower::new(settings.effective_database_url()));
    let followed = follower.as_ref().map(Follower::followed);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::server::serve(
        duplicate,
        router(waiting, followed),
        limits,
        async {
            let _ = stopped.await;
        },
    ));
    // Stops the waiting server even when this future is dropped (a shutdown while waiting).
    let server = AbortOnDrop(server);
    tracing::info!(
        addr = ?std_listener.local_addr().ok(),
        role = waiting.role(),
        "waiting for the database's writer lock before serving"
    );
    // The last reason to wait, and when it is said again (the first at once, then less often).
    let mut quiet: Option<(&'static str, Throttle)> = None;
    let (store, loaded) = loop {
        if let Some(follower) = &mut follower {
            follower.follow().await;
        }
        tokio::time::sleep(POLL).await;
        // The follower is handed over only once the lock is ours.
        let opened = match open_store(settings).await {
            Err(e) => Err(StartError::from(e)),
            Ok(store) => restore(&store, follower.take())
                .await
                .map(|loaded| (store, loaded)),
        };
        match opened {
            Ok(opened) => break opened,
            Err(e) if wait_through(&e, false) => {
                let (kind, line) = waiting_line(&e);
                if quiet.as_ref().is_none_or(|(k, _)| *k != kind) {
                    quiet = Some((kind, Throttle::new(std::time::Instant::now())));
                }
                let throttle = &mut quiet.as_mut().expect("set above").1;
                let Some((waited, skipped)) = throttle.due(std::time::Instant::now()) else {
                    continue;
                };
                let waited_s = waited.as_secs();
                match line {
                    Line::Error(what) => {
                        tracing::error!(error = %e, kind, waited_s, skipped, "{what}")
                    }
                    Line::Warn(what) => {
                        tracing::warn!(error = %e, kind, waited_s, skipped, "{what}")
                    }
                    Line::Info(what) => {
                        tracing::info!(error = %e, kind, waited_s, skipped, "{what}")
                    }
                }
            }
            Err(e) => return Err(e),
        }
    };
    tracing::info!(
        role = waiting.role(),
        "the writer lock is ours and the ledger restored; taking over"
    );
    let _ = stop.send(());
    // Kept-alive connections to the waiting server are closed rather than waited for: their clients
    // reconnect, and reach the hub.
    let mut server = server;
    if tokio::time::timeout(Duration::from_millis(200), &mut server.0)
        .await
        .is_err()
    {
        server.0.abort();
    }
    let listener = TcpListener::from_std(std_listener)
        .map_err(|e| StartError::Io(format!("listener: {e}")))?;
    Ok((store, loaded, listener))
}

/// How a reason to wait is logged.
enum Line {
    Error(&'static str),
    Warn(&'static str),
    Info(&'static str),
}

/// The kind of a reason to wait (its log lines are throttled together) and its line.
fn waiting_line(e: &StartError) -> (&'static str, Line) {
    match e {
        StartError::Storage(StorageError::Locked(_)) => (
            "locked",
            Line::Info("waiting for the writer lock; still waiting"),
        ),
        StartError::Storage(s) if s.kind() == FailureKind::Corruption => (
            s.kind().code(),
            Line::Error(
                "the database reports damaged data: still waiting as a standby; repair or \
                 restore the database",
            ),
        ),
        StartError::Storage(s) if !s.is_transient() => (
            s.kind().code(),
            Line::Error(
                "the database refuses the hub's statements: still waiting; fix the database \
                 (permissions, schema) and the hub resumes",
            ),
        ),
        StartError::Storage(s) => (
            s.kind().code(),
            Line::Warn("cannot open the database yet; still waiting"),
        ),
        _ => (
            "start",
            Line::Warn("cannot open the database yet; still waiting"),
        ),
    }
}

/// Opens the store as the writer and loads the hub's state from it.
async fn open(
    settings: &Settings,
    follower: Option<Follower>,
) -> Result<(Store, Loaded), StartError> {
    let store = open_store(settings).await?;
    let loaded = restore(&store, follower).await?;
    Ok((store, loaded))
}

/// Rebuilds the ledger of the store just opened as the writer, and reads the rest.
async fn restore(store: &Store, follower: Option<Follower>) -> Result<Loaded, StartError> {
    // A warm standby's ledger and the entries after it, else the newest checkpoint and the
    // journal after it.
    let warm = match follower {
        Some(f) => f.take_over(store).await,
        None => None,
    };
    let restored = match warm {
        Some(restored) => restored,
        None => crate::recovery::restore(store).await?,
    };
    crate::recovery::forget_ignored(store, &restored).await?;
    Ok(Loaded::read(store, restored).await?)
}

async fn open_store(settings: &Settings) -> Result<Store, StorageError> {
    Store::open(
        &settings.effective_database_url(),
        settings.max_connections,
        Duration::from_millis(settings.projection_flush_ms),
        (settings.writer_lease_seconds > 0)
            .then(|| Duration::from_secs(settings.writer_lease_seconds)),
    )
    .await
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
