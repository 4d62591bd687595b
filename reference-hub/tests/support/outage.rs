//! A real `geo-hub` process under load through a storage outage: a small community (one sink, four
//! payers it trusts), payers that each keep one payment in flight, and the checks after the outage:
//! every request was answered (`200 committed` or `503 E_UNAVAILABLE` with `Retry-After`, never a
//! hang or a `500`), every resend of the same signed bytes gets the stored result, and the sink's
//! balance is exactly the sum of all payments (nothing acknowledged lost, nothing applied twice).

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Client;

/// The admin token of the hubs these tests start.
pub const ADMIN: &str = "outage-test";

/// Longest a request may take: anything longer is a hang.
pub const NO_HANG: Duration = Duration::from_secs(20);

/// A hub process, killed (SIGKILL) when dropped, so a failing test leaves nothing running.
pub struct HubProcess(pub Child);

impl HubProcess {
    /// Kills the process (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }

    /// Asserts the process is still running (it was not restarted).
    pub fn assert_running(&mut self) {
        assert!(
            self.0.try_wait().unwrap().is_none(),
            "the hub process exited"
        );
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The arguments of a test hub on `port` with its data in `dir`.
pub fn hub_args(dir: &std::path::Path, port: u16) -> Vec<String> {
    vec![
        "--listen".into(),
        format!("127.0.0.1:{port}"),
        "--admin-token".into(),
        ADMIN.into(),
        "--rate-limit-per-second".into(),
        "0".into(),
        "--data-dir".into(),
        dir.display().to_string(),
    ]
}

/// Spawns `command` (a hub) with warnings logged and stdout discarded.
pub fn spawn(mut command: Command) -> HubProcess {
    let child = command
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start geo-hub");
    HubProcess(child)
}

/// A `geo-hub` command with the test hubs' arguments: its data in `data`, listening on `port`.
/// `GEO_TEST_HUB_BIN` runs another build's binary instead (to time two builds side by side).
pub fn hub_command(data: &Path, port: u16) -> Command {
    let bin = std::env::var_os("GEO_TEST_HUB_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_geo-hub").into());
    let mut command = Command::new(bin);
    command.args(hub_args(data, port));
    command
}

/// Spawns `command` (a hub) logging at `level` (`RUST_LOG`), everything it prints (stdout and
/// stderr) written to the file `log`.
pub fn spawn_logged(mut command: Command, log: &Path, level: &str) -> HubProcess {
    let file = std::fs::File::create(log).unwrap();
    let child = command
        .env("RUST_LOG", level)
        .env("NO_COLOR", "1")
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .expect("start geo-hub");
    HubProcess(child)
}

/// Starts a `geo-hub` on the PostgreSQL database at `database_url` with its data in `data`, on
/// `port`, `extra` arguments after the test hubs' own, logging at `level` to the file `log`.
pub fn postgres_hub(
    database_url: &str,
    data: &Path,
    port: u16,
    extra: &[&str],
    log: &Path,
    level: &str,
) -> HubProcess {
    let mut command = hub_command(data, port);
    command.args(["--database-url", database_url]).args(extra);
    spawn_logged(command, log, level)
}

/// A `geo-hub` on a PostgreSQL database, in a folder of its own (its data in `data`, its log at
/// `warn` in `log`), ready, with the community set up on it.
pub struct PgHub {
    /// The folder; removed when dropped.
    pub dir: tempfile::TempDir,
    /// Its data folder (hub key, admin token).
    pub data: PathBuf,
    /// Its log file.
    pub log: PathBuf,
    /// The port it listens on, and its root URL.
    pub port: u16,
    pub root: String,
    /// A client for health and readiness.
    pub http: reqwest::Client,
    /// The process.
    pub process: HubProcess,
    /// The sink and its payers, registered on it.
    pub community: Community,
}

impl PgHub {
    /// Starts the hub on `database_url` and returns once it is ready and its community set up.
    pub async fn start(database_url: &str) -> PgHub {
        let dir = tempfile::tempdir().unwrap();
        let (data, log) = (dir.path().join("data"), dir.path().join("hub.log"));
        let port = free_port();
        let root = format!("http://127.0.0.1:{port}");
        let process = postgres_hub(database_url, &data, port, &[], &log, "warn");
        let http = reqwest::Client::new();
        ready(&http, &root, Duration::from_secs(30)).await;
        let community = Community::set_up(&root).await;
        PgHub {
            dir,
            data,
            log,
            port,
            root,
            http,
            process,
            community,
        }
    }

    /// What it has logged so far.
    pub fn logged(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }
}

/// Waits until the hub at `root` answers `/readyz` 200; how long that took.
pub async fn ready(http: &reqwest::Client, root: &str, within: Duration) -> Duration {
    let started = Instant::now();
    while started.elapsed() < within {
        if let Ok(r) = http.get(format!("{root}/readyz")).send().await {
            if r.status() == 200 {
                return started.elapsed();
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{root} was not ready within {within:?}");
}

/// Waits until the hub at `root` says it is recovering (`/healthz` role), and checks that it then
/// refuses reads and writes with `503 E_UNAVAILABLE` and `Retry-After`.
pub async fn recovering(http: &reqwest::Client, root: &str, within: Duration) {
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < within,
            "{root} did not report recovering within {within:?}"
        );
        if let Ok(r) = http.get(format!("{root}/healthz")).send().await {
            if r.json::<Value>().await.unwrap()["role"] == "recovering" {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for path in ["/readyz", "/api/v1/hub", "/api/v1/payments"] {
        let r = http.get(format!("{root}{path}")).send().await.unwrap();
        assert_unavailable(r, path).await;
    }
}

/// Asserts a `503 E_UNAVAILABLE` problem with `Retry-After`.
pub async fn assert_unavailable(r: reqwest::Response, what: &str) {
    assert_eq!(r.status(), 503, "{what}");
    assert!(
        r.headers().contains_key("retry-after"),
        "{what}: a client knows when to try again"
    );
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["code"], "E_UNAVAILABLE", "{what}: {problem}");
}

/// One payment: its signed bytes (every resend sends exactly these), its minor units, and whether
/// the hub acknowledged it (answered 200 `committed`).
pub struct Attempt {
    pub tx_id: String,
    pub body: String,
    pub payer: usize,
    pub minor: u64,
    pub acknowledged: bool,
}

/// The community, on the hub at `root`.
pub struct Community {
    pub http: reqwest::Client,
    pub root: String,
    pub sink: Client,
    pub payers: Vec<Client>,
}

impl Community {
    /// Sets the equivalent UAH and registers the sink and four payers it trusts.
    pub async fn set_up(root: &str) -> Community {
        let http = reqwest::Client::builder().timeout(NO_HANG).build().unwrap();
        let base = format!("{root}/api/v1");
        let info: Value = http
            .get(format!("{base}/hub"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let hub_pid: geo_protocol::Pid = info["hub_pid"].as_str().unwrap().parse().unwrap();
        let r = http
            .put(format!("{base}/admin/equivalents/UAH"))
            .header("x-admin-token", ADMIN)
            .json(&serde_json::json!({ "precision": 2 }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let person = || Client {
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
        for i in 0..4 {
            let mut p = person();
            assert_eq!(p.register(&format!("payer{i}")).await.0, 201);
            p.login().await;
            assert_eq!(sink.trust(&p, "10000000").await.0, 200);
            payers.push(p);
        }
        Community {
            http,
            root: root.to_owned(),
            sink,
            payers,
        }
    }

    /// Starts the load: every payer keeps one payment in flight until [`Load::finish`].
    pub fn load(&self) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let refused = Arc::new(AtomicUsize::new(0));
        let committed = Arc::new(AtomicUsize::new(0));
        let tasks = self
            .payers
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let (p, sink, stop, refused, committed) = (
                    p.clone(),
                    self.sink.clone(),
                    stop.clone(),
                    refused.clone(),
                    committed.clone(),
                );
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    let mut k = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        k += 1;
                        let minor = 100 + (k * 7 + n as u64) % 91;
                        let req = p.payment(&sink, &format!("{}.{:02}", minor / 100, minor % 100));
                        let body = p.sign(req.clone()).to_json();
                        let acknowledged = match send_payment(&p, &body).await {
                            Sent::Committed => {
                                committed.fetch_add(1, Ordering::Relaxed);
                                true
                            }
                            Sent::Unavailable => {
                                refused.fetch_add(1, Ordering::Relaxed);
                                tokio::time::sleep(Duration::from_millis(50)).await;
                                false
                            }
                            Sent::Cut => false,
                        };
                        mine.push(Attempt {
                            tx_id: req.tx_id.to_string(),
                            body,
                            payer: n,
                            minor,
                            acknowledged,
                        });
                    }
                    mine
                })
            })
            .collect();
        Load {
            stop,
            refused,
            committed,
            tasks,
        }
    }

    /// After the outage: resends every unanswered payment and every fifth answered one, byte for
    /// byte, and expects the stored (or now made) `committed` result for each; then checks that
    /// the sink received exactly the sum of all payments and that the hub's integrity check passes.
    /// Returns how many acknowledged payments were resent.
    pub async fn settle(&self, attempts: &mut [Attempt]) -> usize {
        let mut resent_acknowledged = 0;
        for (i, a) in attempts.iter_mut().enumerate() {
            if a.acknowledged && i % 5 != 0 {
                continue;
            }
            let (s, v) = post_payment(&self.payers[a.payer], &a.body)
                .await
                .expect("the hub answers after the outage");
            assert_eq!(
                (s, v["tx_id"].as_str(), v["status"].as_str()),
                (200, Some(a.tx_id.as_str()), Some("committed")),
                "resending {}: {v}",
                a.tx_id
            );
            resent_acknowledged += usize::from(a.acknowledged);
            a.acknowledged = true;
        }
        let total: u64 = attempts.iter().map(|a| a.minor).sum();
        let balance = self.sink.balance().await;
        assert_eq!(
            balance["net"].as_str(),
            Some(format!("{}.{:02}", total / 100, total % 100).as_str()),
            "nothing lost, nothing applied twice: {balance}"
        );
        let integrity: Value = self
            .http
            .get(format!("{}/api/v1/admin/integrity", self.root))
            .header("x-admin-token", ADMIN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(integrity["status"], "ok", "{integrity}");
        resent_acknowledged
    }
}

/// Payments in flight.
pub struct Load {
    stop: Arc<AtomicBool>,
    refused: Arc<AtomicUsize>,
    committed: Arc<AtomicUsize>,
    tasks: Vec<tokio::task::JoinHandle<Vec<Attempt>>>,
}

impl Load {
    /// Payments refused `503 E_UNAVAILABLE` so far.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::Relaxed)
    }

    /// Payments acknowledged so far.
    pub fn committed(&self) -> usize {
        self.committed.load(Ordering::Relaxed)
    }

    /// Waits until `n` more payments have been acknowledged.
    pub async fn acknowledged(&self, n: usize) {
        let (before, started) = (self.committed(), Instant::now());
        while self.committed() < before + n {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "payments are acknowledged"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until a payment is refused `503 E_UNAVAILABLE` after now.
    pub async fn next_refusal(&self, within: Duration) {
        let before = self.refused();
        let started = Instant::now();
        while self.refused() == before {
            assert!(
                started.elapsed() < within,
                "no payment was refused 503 within {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops the load; every payment tried.
    pub async fn finish(self) -> Vec<Attempt> {
        self.stop.store(true, Ordering::Relaxed);
        let mut all = Vec::new();
        for t in self.tasks {
            all.extend(t.await.unwrap());
        }
        all
    }
}

enum Sent {
    Committed,
    Unavailable,
    /// The connection was closed before an answer (the hub stopped serving it to resume).
    Cut,
}

/// Sends a signed payment once; its status and body.
pub async fn post_payment(c: &Client, body: &str) -> Result<(u16, Value), reqwest::Error> {
    let r = c
        .http
        .post(format!("{}/payments", c.base))
        .bearer_auth(c.token.clone().unwrap())
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await?;
    let status = r.status().as_u16();
    let retry_after = r.headers().contains_key("retry-after");
    let v: Value = r.json().await?;
    assert!(
        status != 503 || retry_after,
        "a 503 says when to try again: {v}"
    );
    Ok((status, v))
}

async fn send_payment(c: &Client, body: &str) -> Sent {
    match post_payment(c, body).await {
        Ok((200, v)) if v["status"] == "committed" => Sent::Committed,
        Ok((503, v)) if v["code"] == "E_UNAVAILABLE" => Sent::Unavailable,
        Ok((s, v)) => panic!("a payment during an outage is committed or refused 503: {s} {v}"),
        Err(e) => {
            assert!(!e.is_timeout(), "a payment request hung: {e}");
            Sent::Cut
        }
    }
}
