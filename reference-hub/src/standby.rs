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
//! writers can never both append: the journal's sequence number is its primary key, so a writer that
//! lost its lock without noticing fails its next batch and stops.

use std::time::Duration;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use geo_protocol::ErrorCode;
use tokio::net::TcpListener;

use crate::api::HubError;
use crate::app::StartError;
use crate::config::Settings;
use crate::storage::{StorageError, Store};

/// How often a standby tries the writer lock (the takeover delay after the lock is released is at
/// most this, plus the replay).
pub const POLL: Duration = Duration::from_millis(250);

/// Seconds a client is told to wait before sending again to a standby.
const RETRY_AFTER: &str = "1";

fn unavailable(detail: &str) -> Response {
    let mut r = HubError::new(ErrorCode::Unavailable, detail).into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
    r
}

/// What a standby answers: healthy, not ready, and every other request `503` with `Retry-After`.
pub fn router() -> Router {
    Router::new()
        .route(
            "/healthz",
            get(|| async { Json(serde_json::json!({ "status": "ok", "role": "standby" })) }),
        )
        .route(
            "/readyz",
            get(|| async { unavailable("standby: another hub is the writer") }),
        )
        .fallback(|| async {
            unavailable("this hub is a standby; the active hub serves (send again shortly)")
        })
}

/// Opens the store as its one writer; while another hub holds the lock, serves the standby answers
/// on `listener` and tries again every [`POLL`]. Returns the store and the listener, now free for
/// the hub's own server.
pub async fn open_when_writer(
    settings: &Settings,
    listener: TcpListener,
) -> Result<(Store, TcpListener), StartError> {
    let url = settings.effective_database_url();
    let flush = Duration::from_millis(settings.projection_flush_ms);
    let open = || Store::open(&url, settings.max_connections, flush);
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| StartError::Io(format!("{}: {e}", settings.data_dir.display())))?;
    match open().await {
        Ok(store) => return Ok((store, listener)),
        Err(StorageError::Locked(_)) => {}
        Err(e) => return Err(e.into()),
    }
    // Serve the standby answers on a duplicate of the socket, so the same one is served afterwards.
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
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::server::serve(duplicate, router(), limits, async {
        let _ = stopped.await;
    }));
    tracing::info!(
        addr = ?std_listener.local_addr().ok(),
        "standby: another hub holds the writer lock; waiting to take over"
    );
    let store = loop {
        tokio::time::sleep(POLL).await;
        match open().await {
            Ok(store) => break store,
            Err(StorageError::Locked(_)) => {}
            Err(e) => {
                tracing::warn!(error = %e, "standby: cannot reach the database; still waiting")
            }
        }
    };
    tracing::info!("standby: the writer lock is ours; taking over");
    let _ = stop.send(());
    // Kept-alive connections to the standby server are closed rather than waited for: their clients
    // reconnect, and reach the hub.
    let mut server = server;
    if tokio::time::timeout(Duration::from_millis(200), &mut server)
        .await
        .is_err()
    {
        server.abort();
    }
    let listener = TcpListener::from_std(std_listener)
        .map_err(|e| StartError::Io(format!("listener: {e}")))?;
    Ok((store, listener))
}
