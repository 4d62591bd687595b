//! The live event stream over WebSocket: reconnects with backoff, renews tokens, and resumes after
//! the last delivered event, so nothing is lost or seen twice.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use super::client::HubClient;
use crate::error::{GeoError, GeoResult};
use crate::events::{parse_frame, Event, EventCursor, EventKind, Frame};

/// Live events for the client's participant. Dropping it closes the connection.
pub struct EventStream {
    rx: mpsc::Receiver<GeoResult<Event>>,
    task: tokio::task::JoinHandle<()>,
    started_after: Arc<AtomicU64>,
}

impl EventStream {
    /// The event id the stream started after, once the hub has greeted it (`None` before): the
    /// `after` it was opened with or, for a stream [from now](HubClient::events_from_now), where
    /// the hub said now was. A reader that keeps the id of the last event it handled resumes from
    /// that id, or from this one while it has handled none.
    pub fn started_after(&self) -> Option<u64> {
        Some(self.started_after.load(Ordering::SeqCst)).filter(|&p| p != u64::MAX)
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

/// Why a connection ended.
enum Ended {
    /// Try again after a pause.
    Retry,
    /// The token was refused: renew it, then reconnect at once.
    Unauthorized(Option<u64>),
    /// The reader went away.
    Stop,
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
    /// [`EventStream::position`]); otherwise like [`HubClient::events`].
    pub fn events_from_now(&self) -> EventStream {
        self.stream(EventCursor::from_now())
    }

    fn stream(&self, cursor: EventCursor) -> EventStream {
        let (tx, rx) = mpsc::channel(256);
        let client = self.clone();
        let started_after = Arc::new(AtomicU64::new(u64::MAX));
        let shared = started_after.clone();
        let task = tokio::spawn(async move { run(client, cursor, tx, shared).await });
        EventStream {
            rx,
            task,
            started_after,
        }
    }
}

fn ws_url(client: &HubClient, cursor: u64) -> String {
    let base = client.url();
    let base = if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}")
    } else {
        base.replacen("http://", "ws://", 1)
    };
    format!(
        "{base}{}{}",
        geo_api::BASE,
        crate::requests::read::events(cursor).path
    )
}

async fn run(
    client: HubClient,
    mut cursor: EventCursor,
    tx: mpsc::Sender<GeoResult<Event>>,
    started_after: Arc<AtomicU64>,
) {
    let max = client.inner.config.max_reconnect_delay;
    let mut delay = Duration::from_millis(100);
    let mut auth_failures = 0u32;
    loop {
        let token = match client.access_token() {
            Some(t) => t,
            None => match client.renew(None).await {
                Ok(()) => match client.access_token() {
                    Some(t) => t,
                    None => continue,
                },
                Err(e) if e.is_retryable() => {
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(max);
                    continue;
                }
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            },
        };
        let ended = connection(
            &client,
            (&token.0, token.1),
            (&mut cursor, &started_after),
            &tx,
            &mut delay,
        )
        .await;
        match ended {
            Ended::Stop => return,
            Ended::Unauthorized(generation) => {
                auth_failures += 1;
                match client.renew(generation).await {
                    Ok(()) if auth_failures < 5 => continue,
                    Ok(()) => {}
                    Err(e) if !e.is_retryable() => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                    Err(_) => {}
                }
            }
            Ended::Retry => auth_failures = 0,
        }
        if tx.is_closed() {
            return;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(max);
    }
}

async fn connection(
    client: &HubClient,
    (token, generation): (&str, u64),
    (cursor, started_after): (&mut EventCursor, &AtomicU64),
    tx: &mpsc::Sender<GeoResult<Event>>,
    delay: &mut Duration,
) -> Ended {
    let Ok(mut req) = ws_url(client, cursor.position()).into_client_request() else {
        let _ = tx
            .send(Err(GeoError::Protocol {
                message: "the hub URL is not a valid WebSocket URL".into(),
            }))
            .await;
        return Ended::Stop;
    };
    let Ok(value) = HeaderValue::from_str(&format!("Bearer {token}")) else {
        return Ended::Unauthorized(Some(generation));
    };
    req.headers_mut().insert("authorization", value);
    let timeout = client.inner.config.request_timeout;
    let mut socket =
        match tokio::time::timeout(timeout, tokio_tungstenite::connect_async(req)).await {
            Ok(Ok((socket, _))) => socket,
            Ok(Err(WsError::Http(resp))) if resp.status().as_u16() == 401 => {
                return Ended::Unauthorized(Some(generation))
            }
            Ok(Err(_)) | Err(_) => return Ended::Retry,
        };
    // Ping the hub if it stays silent; a dead connection must not hang the stream forever.
    let idle = Duration::from_secs(45);
    let mut pinged = false;
    loop {
        let frame = tokio::select! {
            f = tokio::time::timeout(idle, socket.next()) => f,
            _ = tx.closed() => {
                let _ = socket.close(None).await;
                return Ended::Stop;
            }
        };
        let msg = match frame {
            Err(_) if !pinged => {
                pinged = true;
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return Ended::Retry;
                }
                continue;
            }
            Err(_) => return Ended::Retry,
            Ok(None) | Ok(Some(Err(_))) => return Ended::Retry,
            Ok(Some(Ok(m))) => m,
        };
        pinged = false;
        let text = match msg {
            Message::Text(t) => t,
            Message::Close(_) => return Ended::Retry,
            _ => continue,
        };
        match parse_frame(text.as_str()) {
            Ok(Frame::Hello {
                pid,
                cursor: greeting,
            }) => {
                if pid != client.pid() {
                    let _ = tx
                        .send(Err(GeoError::invalid(
                            "the event stream is for someone else",
                        )))
                        .await;
                    return Ended::Stop;
                }
                cursor.greeted(greeting);
                // The first greeting says where the stream started.
                let _ = started_after.compare_exchange(
                    u64::MAX,
                    cursor.position(),
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                );
                *delay = Duration::from_millis(100);
            }
            Ok(Frame::Event(event)) => {
                if !cursor.accept(event.id) {
                    continue; // already delivered before a reconnect
                }
                let item = verify(client, event);
                let fatal = item.is_err();
                if tx.send(item).await.is_err() || fatal {
                    return Ended::Stop;
                }
            }
            Err(e) => {
                // A frame we cannot read: report it, keep the connection.
                if tx.send(Err(e)).await.is_err() {
                    return Ended::Stop;
                }
            }
        }
    }
}

/// Clearing receipts inside events are checked against the hub's key before delivery.
fn verify(client: &HubClient, event: Event) -> GeoResult<Event> {
    if let EventKind::ClearingCommitted {
        receipt: Some(json),
        clearing_id,
        ..
    } = &event.kind
    {
        let r = client.hub().verify_clearing_receipt(json)?;
        if &r.payload().clearing_id.to_string() != clearing_id {
            return Err(GeoError::InvalidSignature {
                message: "a clearing event with another clearing's receipt".into(),
            });
        }
    }
    Ok(event)
}
