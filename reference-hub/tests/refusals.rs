//! Every refusal is an RFC 9457 problem document with a stable code, including the ones made before a
//! handler runs: bad path parameters, a plain GET of the event stream, bodies that are not JSON, and
//! requests hyper cannot parse (over-long targets, too many headers, garbage).

mod support;

use geo_api::routes::{Access, Body, ALL};
use serde_json::Value;
use support::{Backend, TestHub};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends raw bytes on a fresh connection and reads the whole answer: (status, content type, body).
async fn raw(hub: &TestHub, request: &[u8]) -> (u16, String, Value) {
    let addr = hub.url.trim_start_matches("http://").to_owned();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        s.read_to_end(&mut answer),
    )
    .await
    .expect("the hub answers and closes")
    .unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let status = head[9..12].parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default();
    (
        status,
        content_type,
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

#[track_caller]
fn assert_problem_document(got: &(u16, String, Value), status: u16, code: &str) {
    assert_eq!(
        (got.0, got.1.as_str(), got.2["code"].as_str()),
        (status, "application/problem+json", Some(code)),
        "{got:?}"
    );
    assert_eq!(got.2["status"], status, "{got:?}");
}

#[tokio::test]
async fn refusals_before_any_handler_are_problem_documents() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let a = hub.participant("A").await;
    let token = a.token.clone().unwrap();
    let get = |target: String, extra: &str| {
        format!("GET {target} HTTP/1.1\r\nhost: hub\r\nauthorization: Bearer {token}\r\n{extra}connection: close\r\n\r\n")
    };
    // A path parameter that is not UTF-8.
    let bad_utf8 = raw(
        &hub,
        get("/api/v1/participants/%FF%FE".into(), "").as_bytes(),
    )
    .await;
    assert_problem_document(&bad_utf8, 400, "E_MALFORMED");
    // The event stream without the WebSocket upgrade.
    let plain_get = raw(&hub, get("/api/v1/events".into(), "").as_bytes()).await;
    assert_problem_document(&plain_get, 400, "E_MALFORMED");
    // A 64 KiB request target: hyper refuses it itself.
    let long = format!("/api/v1/hub?x={}", "a".repeat(64 * 1024));
    let too_long = raw(&hub, get(long, "").as_bytes()).await;
    assert_problem_document(&too_long, 414, "E_URI_TOO_LONG");
    // More header fields than hyper reads.
    let many: String = (0..120).map(|i| format!("x-h{i}: v\r\n")).collect();
    let too_many = raw(&hub, get("/api/v1/hub".into(), &many).as_bytes()).await;
    assert_problem_document(&too_many, 431, "E_HEADERS_TOO_LARGE");
    // Not HTTP at all.
    let garbage = raw(&hub, b"HELLO\0THERE\r\n\r\n").await;
    assert_problem_document(&garbage, 400, "E_MALFORMED");
    // And the hub still serves.
    let ok = raw(&hub, get("/api/v1/hub".into(), "").as_bytes()).await;
    assert_eq!(ok.0, 200, "{ok:?}");
}

#[tokio::test]
async fn bodies_must_be_json_on_every_route_that_takes_one() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let a = hub.participant("A").await;
    let b = hub.participant("B").await;
    b.trust(&a, "100").await;
    // A correctly signed payment, sent as text/plain (what a page on another site can send without
    // asking), changes nothing.
    let payment = a.sign(a.payment(&b, "1")).to_json();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut req = hub
            .http
            .post(hub.api_url("/payments"))
            .bearer_auth(a.token.clone().unwrap())
            .body(payment.clone());
        if let Some(t) = content_type {
            req = req.header("content-type", t);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            (status, v["code"].as_str()),
            (415, Some("E_UNSUPPORTED_MEDIA_TYPE")),
            "{content_type:?}: {v}"
        );
    }
    assert_eq!(a.position(&b).await.0, "0.00", "nothing was paid");
    // The same bytes as application/json (with a charset parameter) are accepted.
    let r = hub
        .http
        .post(hub.api_url("/payments"))
        .bearer_auth(a.token.clone().unwrap())
        .header("content-type", "application/json; charset=utf-8")
        .body(payment)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Every route with a body refuses text/plain the same way.
    let mut checked = 0;
    for e in ALL.iter().filter(|e| !matches!(e.body, Body::None)) {
        let args: Vec<&str> = e.path_params().iter().map(|_| "x").collect();
        let method = reqwest::Method::from_bytes(e.method.as_str().as_bytes()).unwrap();
        let mut req = hub
            .http
            .request(method, hub.api_url(&e.path_with(&args)))
            .header("content-type", "text/plain")
            .body("{}");
        req = match e.access {
            Access::Bearer => req.bearer_auth(a.token.clone().unwrap()),
            Access::Operator => req.header("x-admin-token", &hub.admin),
            Access::Public => req,
        };
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            (status, v["code"].as_str()),
            (415, Some("E_UNSUPPORTED_MEDIA_TYPE")),
            "{} {}: {v}",
            e.method.as_str(),
            e.path
        );
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} routes take a body");
}
