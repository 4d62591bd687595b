//! The live event stream over WebSocket. The sans-I/O [`Subscription`] decides everything (the
//! cursor to connect with, which frames are new verified events, when to renew the token and how
//! long to wait before reconnecting); this carries frames and sleeps.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

use super::client::HubClient;
use crate::error::{GeoError, GeoResult};
use crate::events::{Event, EventCursor};
use crate::policy::{Backoff, Subscription, SubscriptionStep};

/// Live events for the client's participant. Dropping it closes the connection.
pub struct EventStream {
    rx: mpsc::Receiver<GeoResult<Event>>,
    task: tokio::task::JoinHandle<()>,
    started_after: Arc<AtomicU64>,
    connection: watch::Receiver<Connection>,
}

/// The state of an [`EventStream`]'s connection, for telling a person what is going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Connecting; `failures` connections ended since the hub last greeted one.
    Connecting {
        /// Connections that ended since the last greeting.
        failures: u32,
    },
    /// The hub greeted the connection: events flow.
    Open,
    /// The connection ended; the next attempt starts in `retry_in_ms`.
    Lost {
        /// Connections that ended since the last greeting.
        failures: u32,
        /// Milliseconds until the next attempt.
        retry_in_ms: u64,
    },
}

impl EventStream {
    /// The event id the stream started after, once the hub has greeted it (`None` before): the
    /// `after` it was opened with or, for a stream [from now](HubClient::events_from_now), where
    /// the hub said now was. A reader that keeps the id of the last event it handled resumes from
    /// that id, or from this one while it has handled none.
    pub fn started_after(&self) -> Option<u64> {
        Some(self.started_after.load(Ordering::SeqCst)).filter(|&p| p != u64::MAX)
    }

    /// Watches the connection: lost, reconnecting, open again (e.g. to print progress).
    pub fn connection(&self) -> watch::Receiver<Connection> {
        self.connection.clone()
    }
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl Stream for EventStream {
    type Item = GeoResult<Event>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HubClient {
    /// Subscribes to this participant's events after event id `after` (0: from the first). The
    /// stream reconnects by itself with backoff, renewing tokens as needed, and never repeats or
    /// skips an event. It yields an error for a frame it cannot read (and carries on), and ends after
    /// yielding what retrying cannot fix: a hub signature that fails, a login that is refused.
    /// Call it inside a Tokio runtime (the connection runs as a task of it).
    pub fn events(&self, after: u64) -> EventStream {
        self.stream(EventCursor::after(after))
    }

    /// Subscribes to the events that happen from now on (the hub names where "now" is; see
    /// [`EventStream::started_after`]); otherwise like [`HubClient::events`].
    pub fn events_from_now(&self) -> EventStream {
        self.stream(EventCursor::from_now())
    }

    fn stream(&self, cursor: EventCursor) -> EventStream {
        let (tx, rx) = mpsc::channel(256);
        let (status, connection) = watch::channel(Connection::Connecting { failures: 0 });
        let started_after = Arc::new(AtomicU64::new(u64::MAX));
        let max = self.inner.config.max_reconnect_delay;
        let sub = Subscription::new(
            self.hub().clone(),
            self.pid(),
            cursor,
            Backoff {
                attempts: u32::MAX,
                base_ms: 100,
                max_ms: max.as_millis().try_into().unwrap_or(u64::MAX),
            },
            super::client::jitter(),
        );
        let out = Output {
            tx,
            status,
            started_after: started_after.clone(),
        };
        let task = tokio::spawn(run(self.clone(), sub, out));
        EventStream {
            rx,
            task,
            started_after,
            connection,
        }
    }
}

/// Where a running stream reports.
struct Output {
    tx: mpsc::Sender<GeoResult<Event>>,
    status: watch::Sender<Connection>,
    started_after: Arc<AtomicU64>,
}

impl Output {
    /// Hands `item` to the reader; false once the reader went away.
    async fn deliver(&self, item: GeoResult<Event>) -> bool {
        self.tx.send(item).await.is_ok()
    }
}

/// Why a connection ended.
enum Ended {
    /// Closed, failed, or never opened: the policy decides what next.
    Closed,
    /// The reader went away, or the subscription ended.
    Stop,
}

fn ws_url(client: &HubClient, path: &str) -> String {
    let base = client.url();
    let base = if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}")
    } else {
        base.replacen("http://", "ws://", 1)
    };
    format!("{base}{}{path}", geo_api::BASE)
}

async fn run(client: HubClient, mut sub: Subscription, out: Output) {
    let mut step = SubscriptionStep::Reconnect(0);
    let mut generation = None;
    loop {
        match step {
            SubscriptionStep::Renew => {
                let r = client.renew(generation).await;
                match sub.on_renewed(r) {
                    Ok(next) => step = next,
                    Err(e) => {
                        out.deliver(Err(e)).await;
                        return;
                    }
                }
                continue;
            }
            SubscriptionStep::Reconnect(ms) if ms > 0 => {
                let failures = sub.failures();
                out.status.send_replace(Connection::Lost {
                    failures,
                    retry_in_ms: ms,
                });
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(ms)) => {}
                    _ = out.tx.closed() => return,
                }
                out.status.send_replace(Connection::Connecting { failures });
            }
            SubscriptionStep::Reconnect(_) => {}
        }
        if out.tx.is_closed() {
            return;
        }
        let token = match client.token_or_login().await {
            Ok(t) => t,
            Err(e) => {
                // No token: the policy decides whether to try again later.
                match sub.on_renewed(Err(e)) {
                    Ok(next) => step = next,
                    Err(e) => {
                        out.deliver(Err(e)).await;
                        return;
                    }
                }
                continue;
            }
        };
        generation = Some(token.1);
        match connection(&client, &token.0, &mut sub, &out).await {
            Ended::Stop => return,
            Ended::Closed => step = sub.on_closed(),
        }
    }
}

async fn connection(
    client: &HubClient,
    token: &str,
    sub: &mut Subscription,
    out: &Output,
) -> Ended {
    let Ok(mut req) = ws_url(client, &sub.path()).into_client_request() else {
        out.deliver(Err(GeoError::Protocol {
            message: "the hub URL is not a valid WebSocket URL".into(),
        }))
        .await;
        return Ended::Stop;
    };
    let Ok(value) = HeaderValue::from_str(&format!("Bearer {token}")) else {
        return Ended::Closed;
    };
    req.headers_mut().insert("authorization", value);
    let timeout = client.inner.config.request_timeout;
    let mut socket =
        match tokio::time::timeout(timeout, tokio_tungstenite::connect_async(req)).await {
            Ok(Ok((socket, _))) => socket,
            // Refused (401 included: the policy renews when no greeting came) or unreachable.
            Ok(Err(_)) | Err(_) => return Ended::Closed,
        };
    sub.on_open();
    // Ping the hub if it stays silent; a dead connection must not hang the stream forever.
    let idle = Duration::from_secs(45);
    let mut pinged = false;
    loop {
        let frame = tokio::select! {
            f = tokio::time::timeout(idle, socket.next()) => f,
            _ = out.tx.closed() => {
                let _ = socket.close(None).await;
                return Ended::Stop;
            }
        };
        let msg = match frame {
            Err(_) if !pinged => {
                pinged = true;
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return Ended::Closed;
                }
                continue;
            }
            Err(_) | Ok(None) | Ok(Some(Err(_))) => return Ended::Closed,
            Ok(Some(Ok(m))) => m,
        };
        pinged = false;
        let text = match msg {
            Message::Text(t) => t,
            Message::Close(_) => return Ended::Closed,
            _ => continue,
        };
        let item = match sub.on_text(text.as_str()) {
            Ok(Some(event)) => Ok(event),
            Ok(None) => {
                if let Some(after) = sub.started_after() {
                    out.started_after.store(after, Ordering::SeqCst);
                }
                if sub.failures() == 0 && *out.status.borrow() != Connection::Open {
                    out.status.send_replace(Connection::Open);
                }
                continue;
            }
            // A frame that cannot be read is reported and the connection kept; a bad signature or
            // a stream for someone else ends the subscription.
            Err(e) => Err(e),
        };
        if !out.deliver(item).await || sub.ended() {
            let _ = socket.close(None).await;
            return Ended::Stop;
        }
    }
}
