//! The WebSocket event stream: authentication, what each party is told, and resuming from a cursor.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{json, Value};
use support::{Client, TestHub};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

enum How {
    Header,
    Subprotocol,
}

fn ws_url(c: &Client, cursor: Option<u64>) -> String {
    let base = c.base.replacen("http://", "ws://", 1);
    match cursor {
        Some(n) => format!("{base}/events?cursor={n}"),
        None => format!("{base}/events"),
    }
}

async fn try_connect(c: &Client, how: How, cursor: Option<u64>) -> Result<Socket, WsError> {
    let mut req = ws_url(c, cursor).into_client_request().unwrap();
    if let Some(token) = &c.token {
        let (name, value) = match how {
            How::Header => ("authorization", format!("Bearer {token}")),
            How::Subprotocol => ("sec-websocket-protocol", format!("bearer, {token}")),
        };
        req.headers_mut()
            .insert(name, HeaderValue::from_str(&value).unwrap());
    }
    let connect = tokio_tungstenite::connect_async(req);
    let (socket, _) = tokio::time::timeout(Duration::from_secs(5), connect)
        .await
        .expect("connect in time")?;
    Ok(socket)
}

/// Connects and reads the hello frame.
async fn connect(c: &Client, how: How, cursor: Option<u64>) -> Socket {
    let mut s = try_connect(c, how, cursor).await.expect("upgrade accepted");
    let hello = next(&mut s).await;
    assert_eq!(hello["type"], "hello", "{hello}");
    assert_eq!(hello["pid"], json!(c.pid()));
    assert_eq!(hello["cursor"], json!(cursor.unwrap_or(0)));
    s
}

/// The next JSON frame, within 5 s.
async fn next(s: &mut Socket) -> Value {
    loop {
        let m = tokio::time::timeout(Duration::from_secs(5), s.next())
            .await
            .expect("a frame within 5 s")
            .expect("the stream is open")
            .expect("a valid frame");
        match m {
            Message::Text(t) => return serde_json::from_str(t.as_str()).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

/// Asserts no data frame arrives for a short while.
async fn quiet(s: &mut Socket) {
    loop {
        match tokio::time::timeout(Duration::from_millis(400), s.next()).await {
            Err(_) => return,
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            Ok(other) => panic!("expected nothing more, got {other:?}"),
        }
    }
}

/// The next event of `kind`, skipping none: asserts it is the very next event frame.
async fn expect_event(s: &mut Socket, kind: &str) -> Value {
    let e = next(s).await;
    assert_eq!(
        (e["type"].as_str(), e["kind"].as_str()),
        (Some("event"), Some(kind)),
        "{e}"
    );
    e
}

both_backends!(authentication, |backend| async move {
    let hub = TestHub::start(backend).await;
    let a = hub.participant("A").await;
    // Header and browser-style subprotocol both work.
    let mut s = connect(&a, How::Header, None).await;
    quiet(&mut s).await;
    let s2 = try_connect(&a, How::Subprotocol, None).await;
    let mut s2 = s2.expect("subprotocol bearer accepted");
    let hello = next(&mut s2).await;
    assert_eq!(
        (hello["type"].as_str(), hello["pid"].clone()),
        (Some("hello"), json!(a.pid()))
    );
    // No token, or a garbage one: the upgrade is refused with 401.
    for c in [a.with_token(None), a.with_token(Some("garbage"))] {
        for how in [How::Header, How::Subprotocol] {
            match try_connect(&c, how, None).await {
                Err(WsError::Http(resp)) => {
                    assert_eq!(resp.status(), 401);
                    if let Some(body) = resp.body() {
                        let v: Value = serde_json::from_slice(body).unwrap();
                        assert_eq!(v["code"], "E_UNAUTHORIZED");
                    }
                }
                Err(e) => panic!("expected an HTTP 401 refusal, got {e}"),
                Ok(_) => panic!("the upgrade must be refused without a valid token"),
            }
        }
    }
});

both_backends!(who_is_told_what, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c, d) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
        hub.participant("D").await,
    );
    let mut sa = connect(&a, How::Header, None).await;
    let mut sb = connect(&b, How::Subprotocol, None).await;
    let mut sc = connect(&c, How::Header, None).await;
    let mut sd = connect(&d, How::Header, None).await;

    // A trust line: both its parties hear of it.
    let (_, line) = b.trust(&a, "100").await;
    for s in [&mut sa, &mut sb] {
        let e = expect_event(s, "trust_line_changed").await;
        assert_eq!(e["data"]["line_id"], line["id"]);
        assert_eq!(
            (
                &e["data"]["creditor"],
                &e["data"]["debtor"],
                e["data"]["limit"].as_str()
            ),
            (&json!(b.pid()), &json!(a.pid()), Some("100.00"))
        );
    }
    let (_, line2) = c.trust(&b, "100").await;
    for s in [&mut sb, &mut sc] {
        assert_eq!(
            expect_event(s, "trust_line_changed").await["data"]["line_id"],
            line2["id"]
        );
    }

    // A pays C through B.
    let (s, p) = a.pay(&c, "12.5").await;
    assert_eq!(s, 200, "{p}");
    let tx = p["tx_id"].clone();
    let sent = expect_event(&mut sa, "payment_sent").await;
    let relayed = expect_event(&mut sb, "payment_relayed").await;
    let received = expect_event(&mut sc, "payment_received").await;
    for e in [&sent, &relayed, &received] {
        assert_eq!(e["data"]["tx_id"], tx, "{e}");
        assert_eq!(
            (
                &e["data"]["payer"],
                &e["data"]["payee"],
                e["data"]["amount"].as_str()
            ),
            (&json!(a.pid()), &json!(c.pid()), Some("12.50"))
        );
    }
    assert_eq!(sent["journal_seq"], p["journal_seq"]);
    // Nobody else hears of it, and nobody hears anything twice.
    for s in [&mut sa, &mut sb, &mut sc, &mut sd] {
        quiet(s).await;
    }
});

// A held payment's note survives its commit: the payee sees it in its history and in its events,
// live and when resuming from the journal; an aborted hold keeps it in the payer's record.
both_backends!(a_held_payment_keeps_its_description, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let mut sb = connect(&b, How::Header, None).await;
    expect_event(&mut sb, "trust_line_changed").await;
    let note = "rent, March";
    let mut held = a.payment(&b, "5");
    held.description = Some(note.into());
    held.hold_seconds = Some(60);
    assert_eq!(a.pay_request(held.clone()).await.0, 200);
    let prepared = expect_event(&mut sb, "payment_prepared").await;
    assert_eq!(prepared["data"]["description"], note, "{prepared}");
    let tx = held.tx_id;
    let (s, p) = a
        .post(
            &format!("/payments/{tx}/commit"),
            &a.sign(geo_protocol::PaymentCommit { tx_id: tx }),
        )
        .await;
    assert_eq!((s, p["description"].as_str()), (200, Some(note)), "{p}");
    let received = expect_event(&mut sb, "payment_received").await;
    assert_eq!(received["data"]["description"], note, "{received}");
    let (_, history) = b.get("/payments?limit=10").await;
    assert_eq!(history["items"][0]["tx_id"], json!(tx.to_string()));
    assert_eq!(history["items"][0]["description"], note, "{history}");
    // Read back as stored on catch-up, the events still carry it.
    drop(sb);
    let mut again = connect(&b, How::Header, Some(0)).await;
    expect_event(&mut again, "trust_line_changed").await;
    let prepared = expect_event(&mut again, "payment_prepared").await;
    assert_eq!(prepared["data"]["description"], note);
    let received = expect_event(&mut again, "payment_received").await;
    assert_eq!(received["data"]["description"], note, "{received}");
    // An aborted hold keeps it too.
    let mut second = a.payment(&b, "1");
    second.description = Some("deposit".into());
    second.hold_seconds = Some(60);
    assert_eq!(a.pay_request(second.clone()).await.0, 200);
    let (s, p) = a
        .post(
            &format!("/payments/{}/abort", second.tx_id),
            &a.sign(geo_protocol::PaymentAbort {
                tx_id: second.tx_id,
                reason: "no".into(),
            }),
        )
        .await;
    assert_eq!(
        (s, p["description"].as_str()),
        (200, Some("deposit")),
        "{p}"
    );
    let (_, got) = a.get(&format!("/payments/{}", second.tx_id)).await;
    assert_eq!(got["description"], "deposit", "{got}");
});

both_backends!(resume_from_cursor, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "1000").await;
    let mut s = connect(&a, How::Header, None).await;
    let first = expect_event(&mut s, "trust_line_changed").await;
    assert_eq!(a.pay(&b, "1").await.0, 200);
    let seen = expect_event(&mut s, "payment_sent").await;
    let last = seen["id"].as_u64().unwrap();
    assert!(last > first["id"].as_u64().unwrap());
    drop(s);

    // Missed while away.
    let mut missed = Vec::new();
    for i in 2..=4 {
        let (st, p) = a.pay(&b, &i.to_string()).await;
        assert_eq!(st, 200, "{p}");
        missed.push(p["tx_id"].clone());
    }
    let mut s = connect(&a, How::Header, Some(last)).await;
    let mut prev = last;
    for tx in &missed {
        let e = expect_event(&mut s, "payment_sent").await;
        assert_eq!(&e["data"]["tx_id"], tx, "in order");
        let id = e["id"].as_u64().unwrap();
        assert!(id > prev, "ids increase and start after the cursor");
        prev = id;
    }
    quiet(&mut s).await;
    // Live events follow the replayed ones on the same connection.
    let (_, p) = a.pay(&b, "5").await;
    let e = expect_event(&mut s, "payment_sent").await;
    assert_eq!(e["data"]["tx_id"], p["tx_id"]);
    assert!(e["id"].as_u64().unwrap() > prev);
    drop(s);

    // From the start: everything, once, in order.
    let mut s = connect(&a, How::Subprotocol, Some(0)).await;
    let e = expect_event(&mut s, "trust_line_changed").await;
    assert_eq!(e["id"], first["id"]);
    let mut prev = e["id"].as_u64().unwrap();
    for amount in ["1.00", "2.00", "3.00", "4.00", "5.00"] {
        let e = expect_event(&mut s, "payment_sent").await;
        assert_eq!(e["data"]["amount"], amount);
        assert!(e["id"].as_u64().unwrap() > prev);
        prev = e["id"].as_u64().unwrap();
    }
    quiet(&mut s).await;
    // B's stream holds B's own view: its line and five receipts.
    let mut sb = connect(&b, How::Header, None).await;
    expect_event(&mut sb, "trust_line_changed").await;
    for _ in 0..5 {
        expect_event(&mut sb, "payment_received").await;
    }
    quiet(&mut sb).await;
});

// A connected event stream must not hold the hub open: shutdown closes it with 1001 (going away) and
// completes, and every acknowledged change is still there after the restart.
both_backends!(shutdown_closes_event_streams, |backend| async move {
    let mut hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let mut socket = connect(&b, How::Header, None).await;
    assert_eq!(next(&mut socket).await["kind"], "trust_line_changed");
    assert_eq!(a.pay(&b, "5").await.0, 200);
    assert_eq!(next(&mut socket).await["kind"], "payment_received");
    let running = hub.hub.take().unwrap();
    tokio::time::timeout(Duration::from_secs(10), running.shutdown())
        .await
        .expect("shutdown completes while a stream is connected")
        .expect("clean shutdown");
    let close = loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("the stream ends")
        {
            Some(Ok(Message::Close(frame))) => break frame,
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    assert_eq!(close.map(|f| u16::from(f.code)), Some(1001), "going away");
    hub.restart_stopped().await;
    let mut b = b.clone();
    b.base = format!("{}/api/v1", hub.url);
    b.login().await;
    assert_eq!(b.position(&a).await.1, "5.00");
});
