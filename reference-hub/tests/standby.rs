//! A standby hub on PostgreSQL, as real processes on a real PostgreSQL server: two `geo-hub`s with
//! `--standby true` on one database. The one holding the writer lock serves; the other answers
//! `503 E_UNAVAILABLE` with `Retry-After` (and is not ready) until the active one is killed
//! (SIGKILL) under load, then takes over within a few seconds. The killed one comes back as the
//! next standby, and the loop repeats (`GEO_STANDBY_CYCLES`, default 3; the long run is e.g.
//! `GEO_STANDBY_CYCLES=20 cargo nextest run -p reference-hub --test standby`). Clients resend what
//! was unanswered, byte for byte, to the new active hub and get the stored result: nothing
//! acknowledged is lost, nothing is applied twice.

mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::outage::{self, free_port, ready, HubProcess};

/// A `geo-hub --standby true` on `database_url`, sharing `dir` (its hub key) with the other one;
/// its log in `dir`, one file per port.
fn spawn_hub(dir: &std::path::Path, port: u16, database_url: &str) -> HubProcess {
    let log = dir.join(format!("hub-{port}.log"));
    outage::postgres_hub(
        database_url,
        dir,
        port,
        &["--standby", "true"],
        &log,
        "warn",
    )
}

/// The journal position a standby has followed (`/healthz`).
async fn followed(http: &reqwest::Client, root: &str) -> u64 {
    let health: Value = http
        .get(format!("{root}/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["role"], "standby", "{health}");
    health["journal_seq"]
        .as_u64()
        .unwrap_or_else(|| panic!("a warm standby says how far it follows: {health}"))
}

/// Waits until the standby at `root` has followed the journal to at least `seq`.
async fn follows_to(http: &reqwest::Client, root: &str, seq: u64) {
    let started = Instant::now();
    while followed(http, root).await < seq {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the standby follows the journal"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the hub at `root` listens as a standby, and checks what it answers.
async fn is_standby(http: &reqwest::Client, root: &str) {
    let mut health = None;
    for _ in 0..600 {
        if let Ok(r) = http.get(format!("{root}/healthz")).send().await {
            health = Some(r.json::<Value>().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(health.expect("the standby listens")["role"], "standby");
    for path in ["/readyz", "/api/v1/hub", "/api/v1/payments"] {
        let r = http.get(format!("{root}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 503, "{path}");
        assert_eq!(
            r.headers()["retry-after"],
            "1",
            "{path}: a client or balancer knows when to try again"
        );
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["code"], "E_UNAVAILABLE", "{path}: {problem}");
    }
}

/// One payment: its signed bytes (every resend sends exactly these), its minor units, and whether
/// a hub acknowledged it (answered 200 `committed`).
struct Attempt {
    tx_id: String,
    body: String,
    minor: u64,
    acknowledged: bool,
}

async fn send_payment(c: &support::Client, body: &str) -> Option<(u16, Value)> {
    let r = c
        .http
        .post(format!("{}/payments", c.base))
        .bearer_auth(c.token.clone().unwrap())
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .ok()?;
    let status = r.status().as_u16();
    Some((status, r.json().await.ok()?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_standby_takes_over_when_the_active_hub_is_killed_under_load() {
    let cycles: usize = std::env::var("GEO_STANDBY_CYCLES")
        .ok()
        .map(|v| v.parse().expect("GEO_STANDBY_CYCLES is a number"))
        .unwrap_or(3);
    let dir = tempfile::tempdir().unwrap();
    let database_url = support::fresh_postgres_url().await;
    let ports = [free_port(), free_port()];
    let roots = ports.map(|p| format!("http://127.0.0.1:{p}"));
    let http = reqwest::Client::new();

    let mut hubs = [Some(spawn_hub(dir.path(), ports[0], &database_url)), None];
    ready(&http, &roots[0], Duration::from_secs(30)).await;
    hubs[1] = Some(spawn_hub(dir.path(), ports[1], &database_url));
    is_standby(&http, &roots[1]).await;
    let mut active = 0;

    let base = |i: usize| format!("{}/api/v1", roots[i]);
    let info: Value = http
        .get(format!("{}/hub", base(active)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hub_pid: geo_protocol::Pid = info["hub_pid"].as_str().unwrap().parse().unwrap();
    let r = http
        .put(format!("{}/admin/equivalents/UAH", base(active)))
        .header("x-admin-token", outage::ADMIN)
        .json(&serde_json::json!({ "precision": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let person = || support::Client {
        id: geo_protocol::Identity::generate(),
        base: base(active),
        hub_pid: hub_pid.clone(),
        http: http.clone(),
        token: None,
        refresh: None,
    };
    let mut sink = person();
    assert_eq!(sink.register("sink").await.0, 201);
    sink.login().await;
    let mut payers = Vec::new();
    for i in 0..4 {
        let mut p = person();
        assert_eq!(p.register(&format!("payer{i}")).await.0, 201);
        p.login().await;
        assert_eq!(sink.trust(&p, "10000000").await.0, 200);
        payers.push(p);
    }

    let mut attempts: Vec<Attempt> = Vec::new();
    // A longer journal for measuring takeovers (BENCHMARKS.md): payments made before the cycles.
    let preload: u64 = std::env::var("GEO_STANDBY_PRELOAD")
        .ok()
        .map(|v| v.parse().expect("GEO_STANDBY_PRELOAD is a number"))
        .unwrap_or(0);
    let preloads: Vec<_> = payers
        .iter()
        .map(|p| {
            let (p, sink) = (p.clone(), sink.clone());
            tokio::spawn(async move {
                let mut mine = Vec::new();
                for _ in 0..preload / 4 {
                    let req = p.payment(&sink, "1.00");
                    let body = p.sign(req.clone()).to_json();
                    let (s, v) = send_payment(&p, &body).await.unwrap();
                    assert_eq!((s, v["status"].as_str()), (200, Some("committed")), "{v}");
                    mine.push(Attempt {
                        tx_id: req.tx_id.to_string(),
                        body,
                        minor: 100,
                        acknowledged: true,
                    });
                }
                mine
            })
        })
        .collect();
    for t in preloads {
        attempts.extend(t.await.unwrap());
    }
    let mut takeovers = Vec::new();
    let mut resent_acknowledged = 0;
    let mut refused_by_standby = 0;
    for cycle in 0..cycles {
        // Load: every payer keeps one payment in flight until the kill.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let tasks: Vec<_> = payers
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let (p, sink, stop) = (p.clone(), sink.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    let mut k = 0u64;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        k += 1;
                        let minor = 100 + (k * 7 + n as u64) % 91;
                        let req = p.payment(&sink, &format!("{}.{:02}", minor / 100, minor % 100));
                        let body = p.sign(req.clone()).to_json();
                        let answer = send_payment(&p, &body).await;
                        if let Some((s, v)) = &answer {
                            assert!(*s == 200 || *s == 503, "{s} {v}");
                        }
                        mine.push(Attempt {
                            tx_id: req.tx_id.to_string(),
                            body,
                            minor,
                            acknowledged: matches!(&answer, Some((200, v)) if v["status"] == "committed"),
                        });
                        if answer.is_none() {
                            break;
                        }
                    }
                    mine
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(300 + (cycle as u64 * 131) % 400)).await;
        // A warm standby follows the journal the active hub appends (unless told not to).
        let follow = std::env::var("GEO_STANDBY_FOLLOW").map_or(true, |v| v != "false");
        if follow {
            let stats: Value = http
                .get(format!("{}/admin/stats", base(active)))
                .header("x-admin-token", outage::ADMIN)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let head = stats["journal_length"]
                .as_u64()
                .unwrap_or_else(|| panic!("{stats}"));
            follows_to(&http, &roots[1 - active], head).await;
        }
        let killed = Instant::now();
        hubs[active].as_mut().unwrap().kill();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in tasks {
            attempts.extend(t.await.unwrap());
        }
        let next = 1 - active;
        ready(&http, &roots[next], Duration::from_secs(30)).await;
        takeovers.push(killed.elapsed());
        // The killed hub comes back as the next standby, and refuses what it is sent.
        hubs[active] = Some(spawn_hub(dir.path(), ports[active], &database_url));
        is_standby(&http, &roots[active]).await;
        if let Some(a) = attempts.iter().find(|a| !a.acknowledged) {
            let mut p = payers[0].clone();
            p.base = base(active);
            p.token = Some("any".into());
            let (s, v) = send_payment(&p, &a.body).await.unwrap();
            assert_eq!((s, v["code"].as_str()), (503, Some("E_UNAVAILABLE")), "{v}");
            refused_by_standby += 1;
        }
        active = next;
        // Clients follow the balancer to the new active hub, log in again (sessions live in the
        // writer's memory) and resend what was unanswered, and some answered payments, byte for byte.
        sink.base = base(active);
        sink.login().await;
        for p in &mut payers {
            p.base = base(active);
            p.login().await;
        }
        let by_payer: std::collections::HashMap<String, &support::Client> =
            payers.iter().map(|p| (p.pid().to_string(), p)).collect();
        for (i, a) in attempts.iter_mut().enumerate() {
            if a.acknowledged && i % 5 != 0 {
                continue;
            }
            let signer: Value = serde_json::from_str(&a.body).unwrap();
            let payer = by_payer[signer["signer"].as_str().unwrap()];
            let (s, v) = send_payment(payer, &a.body)
                .await
                .expect("the new active hub is up");
            assert_eq!(
                (s, v["tx_id"].as_str(), v["status"].as_str()),
                (200, Some(a.tx_id.as_str()), Some("committed")),
                "resending {} after takeover {cycle}: {v}",
                a.tx_id
            );
            resent_acknowledged += usize::from(a.acknowledged);
            a.acknowledged = true;
        }
    }
    assert!(
        attempts.len() >= 10 * cycles && resent_acknowledged > 0 && refused_by_standby > 0,
        "the loop ran under load ({} payments, {resent_acknowledged} acknowledged ones resent)",
        attempts.len()
    );
    let slowest = takeovers.iter().max().unwrap();
    println!(
        "{cycles} takeovers, {} payments; kill to ready: {takeovers:?}",
        attempts.len()
    );
    assert!(
        *slowest < Duration::from_secs(10),
        "a standby takes over within a few seconds: {takeovers:?}"
    );
    // Nothing applied twice, nothing lost: the sink's net is exactly the sum of every payment.
    let total: u64 = attempts.iter().map(|a| a.minor).sum();
    let balance = sink.balance().await;
    assert_eq!(
        balance["net"].as_str(),
        Some(format!("{}.{:02}", total / 100, total % 100).as_str()),
        "{balance}"
    );
    let integrity: Value = http
        .get(format!("{}/admin/integrity", base(active)))
        .header("x-admin-token", outage::ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(integrity["status"], "ok", "{integrity}");
}
