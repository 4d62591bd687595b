//! Connection limits: a header section must arrive in time (silent, idle kept-alive and byte-at-a-time
//! clients are closed), and connections over the cap are refused with a problem document while the
//! hub keeps serving once they close.

mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Backend, TestHub};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn connect(hub: &TestHub) -> TcpStream {
    TcpStream::connect(hub.url.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Reads until the hub closes the connection; what it sent, or `None` if it is still open at `limit`.
async fn read_until_closed(s: &mut TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

const GET_HUB: &[u8] = b"GET /api/v1/hub HTTP/1.1\r\nhost: hub\r\n\r\n";

#[tokio::test]
async fn silent_and_idle_connections_are_closed() {
    let hub = TestHub::start_with(Backend::Sqlite, |s| s.header_read_timeout_ms = 500).await;
    // A connection that never sends a byte.
    let mut silent = connect(&hub).await;
    let opened = Instant::now();
    let got = read_until_closed(&mut silent, Duration::from_secs(10))
        .await
        .expect("a silent connection is closed");
    assert!(got.is_empty(), "nothing is answered to nothing");
    assert!(
        opened.elapsed() >= Duration::from_millis(400),
        "not before the timeout"
    );
    // A kept-alive connection, idle after one answered request.
    let mut kept = connect(&hub).await;
    kept.write_all(GET_HUB).await.unwrap();
    let got = read_until_closed(&mut kept, Duration::from_secs(10))
        .await
        .expect("an idle kept-alive connection is closed");
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 200 "), "{text}");
    assert!(
        text.contains("\"hub_pid\""),
        "the request was answered in full: {text}"
    );
}

#[tokio::test]
async fn a_byte_at_a_time_header_sender_is_cut_off() {
    let hub = TestHub::start_with(Backend::Sqlite, |s| s.header_read_timeout_ms = 500).await;
    let mut s = connect(&hub).await;
    let started = Instant::now();
    let mut sent = 0;
    for b in GET_HUB {
        if s.write_all(&[*b]).await.is_err() {
            break;
        }
        sent += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let got = read_until_closed(&mut s, Duration::from_secs(5))
        .await
        .expect("the connection is closed");
    let text = String::from_utf8_lossy(&got);
    assert!(
        !text.contains(" 200 "),
        "a header section sent at 10 bytes/s for {:?} ({sent} bytes) must not be served: {text}",
        started.elapsed()
    );
}

#[tokio::test]
async fn connections_over_the_cap_are_refused_clearly() {
    let hub = TestHub::start_with(Backend::Sqlite, |s| s.max_client_connections = 4).await;
    // Open idle connections until one is refused (the test hub's own client may hold a slot).
    let mut held = Vec::new();
    let refusal = loop {
        assert!(held.len() <= 4, "the cap of 4 is enforced");
        let mut s = connect(&hub).await;
        if let Some(got) = read_until_closed(&mut s, Duration::from_millis(800)).await {
            break String::from_utf8_lossy(&got).into_owned();
        }
        held.push(s);
    };
    assert!(held.len() >= 3, "{} connections were served", held.len());
    let (head, body) = refusal.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
    let head = head.to_ascii_lowercase();
    assert!(head.contains("retry-after: 1"), "{head}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    let problem: Value = serde_json::from_str(body).unwrap();
    assert_eq!(problem["code"], "E_UNAVAILABLE", "{problem}");
    // An ordinary client sees the same refusal.
    let fresh = || {
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap()
    };
    let r = fresh().get(hub.api_url("/hub")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    // Once the idle connections close, the hub serves again.
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let r = fresh().get(hub.api_url("/hub")).send().await.unwrap();
        if r.status() == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "GET /hub still refused: {}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
