//! The HTTP server: accepts connections and serves HTTP/1.1 (with WebSocket upgrades) on each with
//! hyper, answering even the refusals hyper makes by itself with problem documents
//! ([`problem_io`]). It stops accepting when told to and lets open connections finish.
//!
//! Connections are bounded: a header section must arrive within `header_read_timeout` (on a new
//! connection and between requests on a kept-alive one), so silent or byte-at-a-time clients are
//! closed; at most `max_connections` are open at once (a WebSocket counts until it closes), and one
//! more is answered `503 E_UNAVAILABLE` with `Retry-After` and closed, so idle sockets cannot starve
//! the hub.

pub mod problem_io;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use geo_protocol::ErrorCode;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

use problem_io::ProblemIo;

/// How much a connection may take.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Longest wait for a request's header section (also the idle time between requests).
    pub header_read_timeout: Duration,
    /// Most connections open at once.
    pub max_connections: usize,
}

/// Refusals of connections over the cap being written at once; beyond it they are just closed.
const MAX_REFUSALS_IN_FLIGHT: usize = 64;

/// Serves `app` on `listener` until `stop` resolves, then waits for open connections to finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    stop: impl Future<Output = ()>,
) {
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS_IN_FLIGHT));
    let mut connections = JoinSet::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted.
                    tracing::warn!(%e, "accepting a connection failed");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            _ = &mut stop => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            metrics::counter!("geo_connections_refused_total").increment(1);
            if let Ok(permit) = refusals.clone().try_acquire_owned() {
                tokio::spawn(refuse(stream, permit));
            }
            continue;
        };
        let io = TokioIo::new(ProblemIo::new(stream, slot));
        connections.spawn(connection(io, remote, app.clone(), limits, stopped.clone()));
    }
    drop(listener);
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
}

/// Serves one connection; on shutdown it finishes the request in flight and closes.
async fn connection(
    io: TokioIo<ProblemIo<TcpStream, OwnedSemaphorePermit>>,
    remote: SocketAddr,
    app: Router,
    limits: ConnectionLimits,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) {
    let service = TowerToHyperService::new(app.map_request(
        move |mut req: axum::http::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            req
        },
    ));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let conn = builder.serve_connection(io, service).with_upgrades();
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stopping.wait_for(|s| *s) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// Answers a connection over the cap with `503 E_UNAVAILABLE` and `Retry-After`, then closes it. It
/// reads what the client sent first (briefly), so that closing does not reset the answer away.
async fn refuse(mut stream: TcpStream, _permit: OwnedSemaphorePermit) {
    let answer = problem_io::problem_answer(
        ErrorCode::Unavailable,
        "the hub has as many connections open as it serves; retry shortly",
        "retry-after: 1\r\n",
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let mut buf = [0u8; 4096];
        let _ = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await;
        stream.write_all(&answer).await?;
        stream.shutdown().await?;
        while stream.read(&mut buf).await? > 0 {}
        Ok::<_, std::io::Error>(())
    })
    .await;
}
