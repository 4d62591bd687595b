//! Operating the hub: health, readiness, metrics, discovery, CORS, the integrity check of a tampered
//! journal, and graceful shutdown that finishes in-flight commits.

mod support;

use serde_json::Value;
use support::TestHub;

both_backends!(
    health_readiness_metrics_and_discovery,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let http = &hub.http;
        let get = |path: &str| http.get(format!("{}{path}", hub.url)).send();
        assert_eq!(get("/healthz").await.unwrap().status(), 200);
        let ready: Value = get("/readyz").await.unwrap().json().await.unwrap();
        assert_eq!(ready["status"], "ready");
        let a = hub.participant("A").await;
        let b = hub.participant("B").await;
        b.trust(&a, "10").await;
        a.pay(&b, "1").await;
        let metrics = get("/metrics").await.unwrap().text().await.unwrap();
        assert!(metrics.contains("geo_journal_entries_total"), "{metrics}");
        assert!(metrics.contains("geo_payments_total"));
        let info: Value = get("/api/v1/hub").await.unwrap().json().await.unwrap();
        assert_eq!(info["protocol"], "geo/1");
        assert_eq!(info["hub_pid"], serde_json::json!(hub.hub_pid));
        assert_eq!(
            info["backend"],
            if backend == support::Backend::Sqlite {
                "sqlite"
            } else {
                "postgres"
            }
        );
        let served: Value = get("/api/v1/openapi.json")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(served, reference_hub::api::openapi::document());
    }
);

both_backends!(
    graceful_shutdown_finishes_in_flight_commits,
    |backend| async move {
        let mut hub = TestHub::start(backend).await;
        let sink = hub.participant("sink").await;
        let mut payers = Vec::new();
        for i in 0..8 {
            let p = hub.participant(&format!("p{i}")).await;
            sink.trust(&p, "1000").await;
            payers.push(p);
        }
        // Fire many payments and stop the hub once some are acknowledged and others still in flight.
        let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = payers
            .iter()
            .flat_map(|p| (0..25).map(move |_| p.clone()))
            .map(|p| {
                let sink = sink.clone();
                let acked = acked.clone();
                tokio::spawn(async move {
                    let req = p.payment(&sink, "1");
                    // Requests that arrive after the listener closed fail to connect: they were never acknowledged.
                    let sent = p
                        .http
                        .post(format!("{}/payments", p.base))
                        .bearer_auth(p.token.clone().unwrap())
                        .header("content-type", "application/json")
                        .body(p.sign(req.clone()).to_json())
                        .send()
                        .await;
                    let status = sent.map(|r| r.status().as_u16()).unwrap_or(0);
                    if status == 200 {
                        acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    (status, req.tx_id)
                })
            })
            .collect();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while acked.load(std::sync::atomic::Ordering::Relaxed) < 5
            && std::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        hub.restart().await;
        let mut acknowledged = Vec::new();
        for t in tasks {
            let (status, tx) = t.await.unwrap();
            if status == 200 {
                acknowledged.push(tx);
            }
        }
        assert!(
            !acknowledged.is_empty(),
            "some payments were acknowledged before the shutdown"
        );
        let mut sink2 = support::Client::new(&hub, sink.id.clone());
        sink2.login().await;
        for tx in &acknowledged {
            let (s, p) = sink2.get(&format!("/payments/{tx}")).await;
            assert_eq!(
                (s, p["status"].as_str()),
                (200, Some("committed")),
                "acknowledged payment {tx} was lost"
            );
        }
        let net: f64 = sink2.balance().await["net"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            net >= acknowledged.len() as f64,
            "every acknowledged payment counts"
        );
        assert_eq!(hub.integrity().await["status"], "ok");
    }
);

#[tokio::test]
async fn cors_is_configurable() {
    let hub = TestHub::start_with(support::Backend::Sqlite, |s| {
        s.cors_origins = vec!["https://app.example".into()]
    })
    .await;
    let r = hub
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/payments", hub.url),
        )
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers().get("access-control-allow-origin").unwrap(),
        "https://app.example"
    );
    let r = hub
        .http
        .get(format!("{}/api/v1/hub", hub.url))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn tampering_with_the_journal_is_detected() {
    let mut hub = TestHub::start(support::Backend::Sqlite).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    a.pay(&b, "10").await;
    let settings = hub.settings.clone();
    hub.hub.take().unwrap().shutdown().await.unwrap();
    let check = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_geo-hub"))
            .arg("check")
            .arg("--data-dir")
            .arg(&settings.data_dir)
            .output()
            .unwrap()
    };
    let ok = check();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("journal entries"));
    // Someone edits a committed payment's amount directly in the database.
    let url = settings.effective_database_url();
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let n = sqlx::query("UPDATE journal SET body = replace(body, '\"amount\":\"1000\"', '\"amount\":\"100\"') WHERE kind = 'payment_committed'")
            .execute(&mut conn)
            .await
            .unwrap()
            .rows_affected();
        assert_eq!(n, 1);
    }
    let bad = check();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("corrupt journal"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    // And the hub refuses to start on it.
    assert!(reference_hub::app::start(settings).await.is_err());
    hub.hub = None;
}
