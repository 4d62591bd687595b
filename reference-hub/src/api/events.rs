//! The per-participant WebSocket event stream with resumable cursors.
//!
//! Connect to `/api/v1/events?cursor=N` with the access token (header, or subprotocols `bearer, TOKEN`).
//! The hub sends `{"type":"hello","pid":…,"cursor":N}`, then every event with an id above the cursor in
//! order — first from storage, then live — each as `{"type":"event","id":…,"kind":…,"journal_seq":…,"data":{…}}`.
//! A client that reconnects with the last id it processed misses nothing and sees nothing twice.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use geo_protocol::Pid;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::extract::{Auth, Query};
use super::AppState;
use crate::engine::records;
use crate::error::HubError;
use crate::storage::StoredEvent;

/// Query of the stream.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamQuery {
    cursor: Option<u64>,
}

pub async fn stream(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<StreamQuery>,
    ws: WebSocketUpgrade,
) -> Result<Response, HubError> {
    let cursor = q.cursor.unwrap_or(0);
    Ok(ws
        .protocols(["bearer"])
        .on_upgrade(move |socket| serve(socket, s, auth.0, cursor)))
}

/// The precision of a clearing event's equivalent (its receipt needs it).
async fn precision_for(s: &AppState, e: &StoredEvent) -> Option<geo_protocol::Precision> {
    if e.kind != "clearing_committed" {
        return None;
    }
    let data: serde_json::Value = serde_json::from_str(&e.body).ok()?;
    let code: geo_protocol::EquivalentCode = data["equivalent"].as_str()?.parse().ok()?;
    s.engine
        .read()
        .await
        .ledger
        .books
        .get(&code)
        .map(|b| b.precision)
}

fn frame(e: &StoredEvent, s: &AppState, precision: Option<geo_protocol::Precision>) -> Message {
    let mut data: serde_json::Value =
        serde_json::from_str(&e.body).unwrap_or(serde_json::Value::Null);
    if e.kind == "clearing_committed" {
        if let Some(receipt) =
            precision.and_then(|p| super::views::clearing_receipt(&s.hub, &data, e.journal_seq, p))
        {
            data["receipt"] = receipt;
        }
    }
    let text = json!({ "type": "event", "id": e.id, "kind": e.kind, "journal_seq": e.journal_seq, "data": data });
    Message::Text(text.to_string().into())
}

/// Sends stored events after `cursor` until storage has no more; returns the last id sent.
async fn catch_up(
    socket: &mut WebSocket,
    s: &AppState,
    pid: &Pid,
    mut cursor: u64,
) -> Result<u64, ()> {
    loop {
        let mut page = s
            .store
            .events_after(pid, cursor, 500)
            .await
            .map_err(|_| ())?;
        if page.is_empty() {
            return Ok(cursor);
        }
        {
            // Stored events point at their journal entry; rebuild each body from it.
            let engine = s.engine.read().await;
            for e in page.iter_mut() {
                if let Some((at, event)) = e.source.take() {
                    let mine = records::notifications_of(e.journal_seq, at, &event, &engine.ledger)
                        .into_iter()
                        .find(|n| &n.pid == pid);
                    e.body = mine
                        .map(|n| n.body.to_string())
                        .unwrap_or_else(|| "null".into());
                }
            }
        }
        for e in &page {
            let p = precision_for(s, e).await;
            socket.send(frame(e, s, p)).await.map_err(|_| ())?;
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
    let hello = json!({ "type": "hello", "pid": pid, "cursor": cursor });
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
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
                        let p = precision_for(&s, &e).await;
                        if socket.send(frame(&e, &s, p)).await.is_err() { return; }
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
