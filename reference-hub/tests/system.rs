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
    // An operator page may send the admin token, and pages may read Retry-After and Date.
    let r = hub
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/admin/equivalents/EUR", hub.url),
        )
        .header("origin", "https://app.example")
        .header("access-control-request-method", "PUT")
        .header(
            "access-control-request-headers",
            "x-admin-token,content-type",
        )
        .send()
        .await
        .unwrap();
    let allowed = r
        .headers()
        .get("access-control-allow-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("x-admin-token"), "{allowed}");
    let r = hub
        .http
        .get(format!("{}/api/v1/hub", hub.url))
        .header("origin", "https://app.example")
        .send()
        .await
        .unwrap();
    let exposed = r
        .headers()
        .get("access-control-expose-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("retry-after") && exposed.contains("date"),
        "{exposed}"
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

/// A hub process, killed (SIGKILL) when dropped, so a failing test leaves nothing running.
struct HubProcess(std::process::Child);

impl HubProcess {
    fn kill(&mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `geo-hub` process with its data in `dir`, listening on `port`.
/// Where a `geo-hub` process will live: its folder, its database (a file there, or a fresh
/// PostgreSQL database), a free loopback port and the API's base URL on it.
async fn hub_site(backend: support::Backend) -> (tempfile::TempDir, String, u16, String) {
    let dir = tempfile::tempdir().unwrap();
    let database_url = match backend {
        support::Backend::Sqlite => format!("sqlite:{}", dir.path().join("hub.db").display()),
        support::Backend::Postgres => support::fresh_postgres_url().await,
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    (dir, database_url, port, base)
}

fn spawn_hub(dir: &std::path::Path, port: u16, extra: &[&str]) -> HubProcess {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_geo-hub"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args([
            "--admin-token",
            "crash-test",
            "--rate-limit-per-second",
            "0",
        ])
        .args(extra)
        .arg("--data-dir")
        .arg(dir)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start geo-hub");
    HubProcess(child)
}

async fn hub_pid_at(http: &reqwest::Client, base: &str) -> geo_protocol::Pid {
    // Up to 30 s: a PostgreSQL hub started while other tests load the machine can take long.
    for _ in 0..600 {
        if let Ok(r) = http.get(format!("{base}/hub")).send().await {
            let info: Value = r.json().await.unwrap();
            return info["hub_pid"].as_str().unwrap().parse().unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the hub did not start");
}

/// Waits until the server has dropped the writer lock of a hub killed on `database_url` (it does
/// once it notices the dead process's connection closed): a hub started before then is refused as
/// a second writer.
async fn writer_lock_released(database_url: &str) {
    let held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    let started = std::time::Instant::now();
    while count(database_url, held).await > 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the server releases the killed hub's writer lock"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

async fn count(database_url: &str, sql: &str) -> i64 {
    use sqlx::{Connection, Row};
    if database_url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(database_url).await.unwrap();
        let n = sqlx::query(sql).fetch_one(&mut conn).await.unwrap().get(0);
        conn.close().await.unwrap();
        n
    } else {
        let mut conn = sqlx::SqliteConnection::connect(database_url).await.unwrap();
        let n = sqlx::query(sql).fetch_one(&mut conn).await.unwrap().get(0);
        conn.close().await.unwrap();
        n
    }
}

/// A hub killed (SIGKILL) with the projections of everything it acknowledged still pending: its
/// database, its address, the three members (A pays C `n` times, through B, `i.01` each time) and
/// the tx_ids it answered `committed` for.
struct KilledHub {
    dir: tempfile::TempDir,
    database_url: String,
    port: u16,
    base: String,
    people: Vec<support::Client>,
    tx_ids: Vec<String>,
}

async fn killed_with_projections_pending(backend: support::Backend, n: usize) -> KilledHub {
    let (dir, database_url, port, base) = hub_site(backend).await;
    let http = reqwest::Client::new();
    // Projections are applied only every 10 minutes (or when read), so they are pending at the kill.
    let mut hub = spawn_hub(
        dir.path(),
        port,
        &[
            "--database-url",
            database_url.as_str(),
            "--projection-flush-ms",
            "600000",
        ],
    );
    let hub_pid = hub_pid_at(&http, &base).await;
    let r = http
        .put(format!("{base}/admin/equivalents/UAH"))
        .header("x-admin-token", "crash-test")
        .json(&serde_json::json!({ "precision": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut people = Vec::new();
    for name in ["A", "B", "C"] {
        let mut c = support::Client {
            id: geo_protocol::Identity::generate(),
            base: base.clone(),
            hub_pid: hub_pid.clone(),
            http: http.clone(),
            token: None,
            refresh: None,
        };
        assert_eq!(c.register(name).await.0, 201);
        c.login().await;
        people.push(c);
    }
    let (a, b, c) = (&people[0], &people[1], &people[2]);
    assert_eq!(b.trust(a, "1000").await.0, 200);
    assert_eq!(c.trust(b, "1000").await.0, 200);
    let mut tx_ids = Vec::new();
    for i in 1..=n {
        let (s, v) = a.pay(c, &format!("{i}.01")).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["status"], "committed");
        tx_ids.push(v["tx_id"].as_str().unwrap().to_owned());
    }
    hub.kill();
    assert!(
        count(&database_url, "SELECT COUNT(*) FROM projection_outbox").await > 0,
        "the kill left projections pending (otherwise this test checks nothing)"
    );
    assert_eq!(
        count(&database_url, "SELECT COUNT(*) FROM payments").await,
        0,
        "no payment row was written before the kill"
    );
    KilledHub {
        dir,
        database_url,
        port,
        base,
        people,
        tx_ids,
    }
}

/// Event bodies of payments of `i.01` stored as JSON objects.
const PAYMENT_BODIES: &str =
    "SELECT COUNT(*) FROM event_bodies WHERE data LIKE '{%}' AND data LIKE '%\"amount\":\"%.01\"%'";

// The query tables follow the journal through an outbox; a hub killed (SIGKILL) before applying it
// loses nothing it acknowledged: the next start applies the outbox before serving.
both_backends!(
    killed_hub_keeps_every_acknowledged_payment_visible,
    |backend| async move {
        let KilledHub {
            dir,
            database_url,
            port,
            base,
            people,
            tx_ids,
        } = killed_with_projections_pending(backend, 20).await;
        let db = ["--database-url", database_url.as_str()];
        // Each body is written once, with its journal entry, in the acknowledged transaction: all
        // 20 were durable at the kill, and the outbox rows hold none.
        assert_eq!(count(&database_url, PAYMENT_BODIES).await, 20);
        assert_eq!(
            count(
                &database_url,
                "SELECT COUNT(*) FROM projection_outbox WHERE rows LIKE '%\"bodies\"%'"
            )
            .await,
            0,
            "no outbox row holds a body a second time"
        );

        let http = reqwest::Client::new();
        let mut hub = spawn_hub(dir.path(), port, &db);
        hub_pid_at(&http, &base).await;
        let (a, b, c) = (&people[0], &people[1], &people[2]);
        let mut a = a.clone();
        a.login().await;
        for tx_id in &tx_ids {
            let (s, v) = a.get(&format!("/payments/{tx_id}")).await;
            assert_eq!(s, 200, "{v}");
            assert_eq!(v["status"], "committed");
        }
        let (s, v) = a.get("/payments?limit=100").await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["items"].as_array().map(Vec::len), Some(20), "{v}");
        let mut c = c.clone();
        c.login().await;
        let (_, owed) = c.position(b).await;
        assert_eq!(owed, "210.20", "B owes C the sum of the 20 payments");
        hub.kill();
        assert_eq!(
            count(&database_url, "SELECT COUNT(*) FROM projection_outbox").await,
            0
        );
        let c_pid = c.pid().to_string();
        assert_eq!(
            count(
                &database_url,
                &format!(
                "SELECT COUNT(*) FROM events WHERE pid = '{c_pid}' AND kind = 'payment_received'"
            )
            )
            .await,
            20
        );
        // Each payment's body is kept as the JSON object it was made as.
        assert_eq!(count(&database_url, PAYMENT_BODIES).await, 20);
    }
);

// Outbox rows left by a hub that still wrote event bodies into them (embedded, and not yet in
// `event_bodies`) apply as before: the bodies come back from the outbox.
both_backends!(
    an_outbox_row_holding_bodies_left_by_an_older_hub_still_applies,
    |backend| async move {
        let KilledHub {
            dir,
            database_url,
            port,
            base,
            people,
            ..
        } = killed_with_projections_pending(backend, 5).await;
        // Make it the database of such a hub: every body moved into the first outbox row.
        let older = match backend {
            support::Backend::Sqlite => {
                "UPDATE projection_outbox SET rows = json_set(rows, '$.bodies', json((SELECT \
                 json_group_array(json_array(journal_seq, json(data))) FROM event_bodies))) \
                 WHERE id = (SELECT MIN(id) FROM projection_outbox)"
            }
            support::Backend::Postgres => {
                // `json`, not `jsonb`: each body's text is kept as it is.
                "UPDATE projection_outbox SET rows = '{\"bodies\":' || (SELECT \
                 json_agg(json_build_array(journal_seq, data::json) ORDER BY journal_seq) \
                 FROM event_bodies)::text || ',' || substr(rows, 2) \
                 WHERE id = (SELECT MIN(id) FROM projection_outbox)"
            }
        };
        execute(&database_url, &[older, "DELETE FROM event_bodies"]).await;
        assert_eq!(
            count(
                &database_url,
                "SELECT COUNT(*) FROM projection_outbox WHERE rows LIKE '%\"bodies\"%'"
            )
            .await,
            1
        );
        assert_eq!(count(&database_url, PAYMENT_BODIES).await, 0);

        let http = reqwest::Client::new();
        let mut hub = spawn_hub(dir.path(), port, &["--database-url", database_url.as_str()]);
        hub_pid_at(&http, &base).await;
        hub.kill();
        assert_eq!(
            count(&database_url, "SELECT COUNT(*) FROM projection_outbox").await,
            0
        );
        // C's stream (its events joined with their entries' bodies) tells each payment with its body.
        let c_pid = people[2].pid().to_string();
        assert_eq!(
            count(
                &database_url,
                &format!(
                    "SELECT COUNT(*) FROM events e JOIN event_bodies b ON b.journal_seq = e.journal_seq \
                     WHERE e.pid = '{c_pid}' AND e.kind = 'payment_received' \
                     AND b.data LIKE '%\"amount\":\"%.01\"%'"
                )
            )
            .await,
            5
        );
        assert_eq!(count(&database_url, PAYMENT_BODIES).await, 5);
    }
);

/// Runs statements, in order, on the database at `database_url`.
async fn execute(database_url: &str, statements: &[&str]) {
    use sqlx::Connection;
    if database_url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(database_url).await.unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        conn.close().await.unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(database_url).await.unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        conn.close().await.unwrap();
    }
}

/// One payment of the kill loop: its signed bytes (every resend sends exactly these), its minor units,
/// and whether the hub acknowledged it (answered 200 `committed`).
struct Attempt {
    tx_id: String,
    body: String,
    minor: u64,
    acknowledged: bool,
}

/// Sends a signed payment's exact bytes; `None` when the hub could not be reached (in doubt).
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

// The kill loop: payers keep payments in flight while the hub process is killed (SIGKILL) and
// restarted, `GEO_KILL_CYCLES` times (default 5 on SQLite, 3 on PostgreSQL; the long run is e.g.
// `GEO_KILL_CYCLES=60 cargo nextest run -p reference-hub --test system kill_loop`). Every payment is
// then resent with its exact signed bytes: each answers its one stored outcome, nothing acknowledged
// is lost, nothing is applied twice (the payee's net is exactly the sum), and the journal replays
// with every invariant (`/admin/integrity` and `geo-hub check`).
both_backends!(kill_loop, |backend| async move {
    let cycles: usize = std::env::var("GEO_KILL_CYCLES")
        .ok()
        .map(|v| v.parse().expect("GEO_KILL_CYCLES is a number"))
        .unwrap_or(if backend == support::Backend::Sqlite {
            5
        } else {
            3
        });
    let (dir, database_url, port, base) = hub_site(backend).await;
    let db = ["--database-url", database_url.as_str()];
    let http = reqwest::Client::new();
    let mut hub = spawn_hub(dir.path(), port, &db);
    let hub_pid = hub_pid_at(&http, &base).await;
    let r = http
        .put(format!("{base}/admin/equivalents/UAH"))
        .header("x-admin-token", "crash-test")
        .json(&serde_json::json!({ "precision": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let person = || support::Client {
        id: geo_protocol::Identity::generate(),
        base: base.clone(),
        hub_pid: hub_pid.clone(),
        http: http.clone(),
        token: None,
        refresh: None,
    };
    let mut sink = person();
    assert_eq!(sink.register("sink").await.0, 201);
    sink.login().await;
    let mut payers = Vec::new();
    for i in 0..6 {
        let mut p = person();
        assert_eq!(p.register(&format!("payer{i}")).await.0, 201);
        p.login().await;
        assert_eq!(sink.trust(&p, "10000000").await.0, 200);
        payers.push(p);
    }
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut resent_acknowledged = 0;
    for cycle in 0..=cycles {
        if cycle > 0 {
            if backend == support::Backend::Postgres {
                writer_lock_released(&database_url).await;
            }
            hub = spawn_hub(dir.path(), port, &db);
            hub_pid_at(&http, &base).await;
            sink.login().await;
            for p in &mut payers {
                p.login().await;
            }
            // Resend what was in flight at the kill, and some acknowledged payments, byte for byte.
            let by_payer: std::collections::HashMap<String, &support::Client> =
                payers.iter().map(|p| (p.pid().to_string(), p)).collect();
            for (i, a) in attempts.iter_mut().enumerate() {
                if a.acknowledged && i % 7 != 0 {
                    continue;
                }
                let signer: Value = serde_json::from_str(&a.body).unwrap();
                let payer = by_payer[signer["signer"].as_str().unwrap()];
                let (s, v) = send_payment(payer, &a.body).await.expect("the hub is up");
                assert_eq!(
                    (s, v["tx_id"].as_str(), v["status"].as_str()),
                    (200, Some(a.tx_id.as_str()), Some("committed")),
                    "resending {} after kill {cycle}: {v}",
                    a.tx_id
                );
                resent_acknowledged += usize::from(a.acknowledged);
                a.acknowledged = true;
            }
        }
        if cycle == cycles {
            break;
        }
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
                        let mut req =
                            p.payment(&sink, &format!("{}.{:02}", minor / 100, minor % 100));
                        req.description = Some(format!("kill loop {n}/{k}"));
                        let body = p.sign(req.clone()).to_json();
                        let answer = send_payment(&p, &body).await;
                        if let Some((s, v)) = &answer {
                            assert!(
                                *s == 200 || *s == 503,
                                "a payment is acknowledged or the hub is stopping: {s} {v}"
                            );
                        }
                        let acknowledged =
                            matches!(&answer, Some((200, v)) if v["status"] == "committed");
                        mine.push(Attempt {
                            tx_id: req.tx_id.to_string(),
                            body,
                            minor,
                            acknowledged,
                        });
                        if answer.is_none() {
                            break;
                        }
                    }
                    mine
                })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(
            300 + (cycle as u64 * 131) % 400,
        ))
        .await;
        hub.kill();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in tasks {
            attempts.extend(t.await.unwrap());
        }
    }
    let acknowledged = attempts.iter().filter(|a| a.acknowledged).count();
    assert_eq!(acknowledged, attempts.len(), "every attempt ends committed");
    assert!(
        attempts.len() >= 20 * cycles && resent_acknowledged > 0,
        "the loop ran under load ({} payments, {resent_acknowledged} acknowledged ones resent)",
        attempts.len()
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
        .get(format!("{base}/admin/integrity"))
        .header("x-admin-token", "crash-test")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(integrity["status"], "ok", "{integrity}");
    hub.kill();
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_geo-hub"))
        .arg("check")
        .args(db)
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
});
