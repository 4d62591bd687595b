//! The per-participant WebSocket event stream with resumable cursors.
//!
//! Connect to `/api/v1/events?cursor=N` with the access token (header, or subprotocols `bearer, TOKEN`).
//! The hub sends `{"type":"hello","pid":…,"cursor":N}`, then every event with an id above the cursor in
//! order — first from storage, then live — each as `{"type":"event","id":…,"kind":…,"journal_seq":…,"data":{…}}`.
//! A client that reconnects with the last id it processed misses nothing and sees nothing twice; a
//! cursor beyond the newest event (e.g. `u64::MAX`) starts from now, and the greeting names that id.

use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use geo_api::event::StreamQuery;
use geo_api::{Event, EventKind, Frame};
use geo_protocol::{ErrorCode, Pid};
use tokio::sync::broadcast::error::RecvError;

use super::extract::{Auth, Query};
use super::AppState;
use crate::api::problem::HubError;
use crate::storage::StoredEvent;

pub async fn stream(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<StreamQuery>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, HubError> {
    let ws = ws.map_err(|e| {
        HubError::new(
            ErrorCode::Malformed,
            format!("the event stream is a WebSocket: {}", e.body_text()),
        )
    })?;
    let cursor = q.cursor.unwrap_or(0);
    Ok(ws
        .protocols(["bearer"])
        .on_upgrade(move |socket| serve(socket, s, auth.0, cursor)))
}

/// The text frame of an event: its body as stored (the `data` the writer serialised once, a
/// committed clearing's with the receipt signed then), written verbatim.
fn frame(e: &StoredEvent) -> Message {
    let frame = Frame::Event(Event {
        id: e.id,
        journal_seq: e.journal_seq,
        kind: EventKind::Other {
            name: e.kind.clone(),
            data: e.data.to_string(),
        },
    });
    Message::Text(
        serde_json::to_string(&frame)
            .expect("frames serialise")
            .into(),
    )
}

/// Sends stored events after `cursor` until storage has no more; returns the last id sent.
async fn catch_up(
    socket: &mut WebSocket,
    s: &AppState,
    pid: &Pid,
    mut cursor: u64,
) -> Result<u64, ()> {
    loop {
        let page = s
            .store
            .events_after(pid, cursor, 500)
            .await
            .map_err(|_| ())?;
        if page.is_empty() {
            return Ok(cursor);
        }
        for e in &page {
            socket.send(frame(e)).await.map_err(|_| ())?;
            cursor = e.id;
        }
    }
}

fn going_away() -> Message {
    Message::Close(Some(axum::extract::ws::CloseFrame {
        code: axum::extract::ws::close_code::AWAY,
        reason: "the hub is shutting down".into(),
    }))
}

async fn serve(mut socket: WebSocket, s: AppState, pid: Pid, cursor: u64) {
    let mut stopping = s.stopping.subscribe();
    if *stopping.borrow_and_update() {
        let _ = socket.send(going_away()).await;
        return;
    }
    // Subscribe before reading storage so nothing published in between is missed.
    let mut live = s.events.subscribe();
    // A cursor beyond the newest event means "from now": the greeting says where that is.
    let Ok(newest) = s.store.max_event_id().await else {
        return;
    };
    let cursor = cursor.min(newest);
    let hello = Frame::Hello {
        pid: pid.clone(),
        cursor,
    };
    let hello = serde_json::to_string(&hello).expect("frames serialise");
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    let Ok(mut last) = catch_up(&mut socket, &s, &pid, cursor).await else {
        return;
    };
    let mut ping = tokio::time::interval(Duration::from_secs(30));
    ping.tick().await;
    loop {
        tokio::select! {
            event = live.recv() => match event {
                Ok(e) => {
                    // Subscribed before catching up, so every later event arrives here (or we lag and re-read).
                    if e.pid == pid && e.id > last {
                        if socket.send(frame(&e)).await.is_err() { return; }
                        last = e.id;
                    }
                }
                Err(RecvError::Lagged(_)) => match catch_up(&mut socket, &s, &pid, last).await {
                    Ok(l) => last = l,
                    Err(()) => return,
                },
                Err(RecvError::Closed) => {
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = stopping.changed() => {
                // The hub is shutting down: say so (1001), so clients reconnect to the next one.
                let _ = socket.send(going_away()).await;
                return;
            }
            _ = ping.tick() => {
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() { return; }
            }
        }
    }
}
