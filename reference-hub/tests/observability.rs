//! Observability: `/metrics` with HELP text, real histograms and the ledger's gauges; an
//! `x-request-id` on every answer (the client's if usable, else a new one); and, from the real
//! binary writing into a pipe, plain (colourless) log lines, one per refused request and per admin
//! action, each with its request id.

mod support;

use std::collections::HashSet;

use support::served::ServedHub;
use support::{Backend, TestHub};

/// The value of one sample line (`name{labels} value`).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn metrics_request_ids_and_the_access_log() {
    let hub = TestHub::start_with(Backend::Sqlite, |s| s.clearing_cycle_len = 0).await;
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    b.trust(&a, "100").await;
    c.trust(&b, "100").await;
    assert_eq!(a.pay(&b, "10").await.0, 200);
    assert_eq!(b.pay(&c, "2.50").await.0, 200);
    hub.admin_status(&c.pid(), "suspended").await;
    let mut held = a.payment(&b, "1");
    held.hold_seconds = Some(60);
    assert_eq!(a.pay_request(held).await.1["status"], "prepared");

    let r = hub
        .http
        .get(format!("{}/metrics", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    // HELP and TYPE for every series; durations are histograms with buckets, not summaries.
    let typed: HashSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split(' ').next())
        .collect();
    for name in &typed {
        assert!(
            text.contains(&format!("# HELP {name} ")),
            "{name} has no HELP\n{text}"
        );
    }
    assert!(
        text.contains("# TYPE geo_http_request_seconds histogram"),
        "{text}"
    );
    assert!(text.contains("geo_http_request_seconds_bucket{"), "{text}");
    assert!(text.contains("le=\"0.005\""), "{text}");
    assert!(!text.contains("quantile="), "no summaries\n{text}");
    // The ledger's gauges, exact.
    assert_eq!(
        sample(&text, "geo_participants{status=\"active\"}"),
        Some(2.0)
    );
    assert_eq!(
        sample(&text, "geo_participants{status=\"suspended\"}"),
        Some(1.0)
    );
    assert_eq!(sample(&text, "geo_open_holds"), Some(1.0));
    assert_eq!(
        sample(
            &text,
            "geo_debt_outstanding_minor_units{equivalent=\"UAH\"}"
        ),
        Some(1250.0),
        "{text}"
    );
    let journal = hub.hub().state.query(|e| e.last_seq()).await as f64;
    assert_eq!(sample(&text, "geo_journal_length"), Some(journal));
    assert_eq!(
        sample(&text, "geo_payments_committed_total{equivalent=\"UAH\"}"),
        Some(2.0)
    );

    // Request ids: generated, or the client's, on successes and refusals alike.
    let id_of = |r: &reqwest::Response| {
        r.headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let r1 = hub
        .http
        .get(format!("{}/healthz", hub.url))
        .send()
        .await
        .unwrap();
    let r2 = hub
        .http
        .get(format!("{}/healthz", hub.url))
        .send()
        .await
        .unwrap();
    let (g1, g2) = (id_of(&r1).unwrap(), id_of(&r2).unwrap());
    assert_eq!(g1.len(), 36, "a UUID: {g1}");
    assert_ne!(g1, g2);
    let r = hub
        .http
        .get(hub.api_url("/no-such-thing"))
        .header("x-request-id", "trace-42.a")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(id_of(&r).as_deref(), Some("trace-42.a"));
    let r = hub
        .http
        .get(format!("{}/healthz", hub.url))
        .header("x-request-id", "not usable: spaces")
        .send()
        .await
        .unwrap();
    let replaced = id_of(&r).unwrap();
    assert_eq!(replaced.len(), 36, "{replaced}");
}

#[test]
fn the_log_is_plain_text_with_one_line_per_refusal_and_admin_action() {
    let dir = tempfile::tempdir().unwrap();
    let hub = ServedHub::start(dir.path(), &[]);
    let token = std::fs::read_to_string(dir.path().join("admin.token")).unwrap();
    let get = |path: &str, headers: &[(&str, &str)]| {
        let addr = hub.url.trim_start_matches("http://").to_owned();
        let mut conn = std::net::TcpStream::connect(&addr).unwrap();
        let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        std::io::Write::write_all(&mut conn, req.as_bytes()).unwrap();
        let mut answer = String::new();
        std::io::Read::read_to_string(&mut conn, &mut answer).unwrap();
        answer
    };
    let answer = get("/api/v1/nothing-here", &[("x-request-id", "req-refused-1")]);
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let answer = get(
        "/api/v1/admin/stats",
        &[
            ("x-request-id", "req-admin-1"),
            ("x-admin-token", token.trim()),
        ],
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.to_lowercase().contains("x-request-id: req-admin-1"),
        "{answer}"
    );
    let log = hub.stop();
    assert!(
        !log.contains('\u{1b}'),
        "no colour codes into a pipe:\n{log}"
    );
    let refused: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("req-refused-1"))
        .collect();
    assert_eq!(refused.len(), 1, "{log}");
    assert!(
        refused[0].contains("request refused") && refused[0].contains("E_NOT_FOUND"),
        "{log}"
    );
    let admin: Vec<&str> = log.lines().filter(|l| l.contains("req-admin-1")).collect();
    assert_eq!(admin.len(), 1, "{log}");
    assert!(
        admin[0].contains("admin action") && admin[0].contains("status=200"),
        "{log}"
    );
    assert!(
        !log.contains(token.trim()),
        "the token never reaches the log"
    );
}
