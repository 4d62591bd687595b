//! End-to-end throughput of the hub, measured from outside: the release `geo-hub` binary runs as its own
//! process on a fresh data directory; this program registers a community, opens trust lines, pre-signs
//! payment requests (so client signing is not timed), then sends them over HTTP with many in flight and
//! counts payments that the hub acknowledged as committed (durably, before answering).
//!
//! `cargo bench -p reference-hub --bench throughput -- [--payments N] [--participants N] [--concurrency N]
//!  [--database-url URL] [--quick]`
//!
//! `GEO_BENCH_HUB=path` measures another hub binary; with `GEO_BENCH_CALLGRIND=1` that binary is
//! expected to run the hub under `valgrind --tool=callgrind --instr-atstart=no` (exec'd, so the pid
//! is the hub's), and only the timed phase is counted.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use geo_load::usage::ProcessUsage;
use geo_protocol::*;
use serde_json::{json, Value};

struct Args {
    participants: usize,
    payments: usize,
    concurrency: usize,
    database_url: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        participants: 1000,
        payments: 60_000,
        concurrency: 256,
        database_url: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => {
                a.participants = 100;
                a.payments = 2_000;
                a.concurrency = 64;
            }
            "--participants" => a.participants = it.next().unwrap().parse().unwrap(),
            "--payments" => a.payments = it.next().unwrap().parse().unwrap(),
            "--concurrency" => a.concurrency = it.next().unwrap().parse().unwrap(),
            "--database-url" => a.database_url = it.next(),
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// The hub under test: `GEO_BENCH_HUB` (any build, e.g. an older commit's, to compare), else the
/// `geo-hub` Cargo built for this bench.
fn hub_binary() -> std::path::PathBuf {
    std::env::var_os("GEO_BENCH_HUB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_BIN_EXE_geo-hub")))
}

static NONCE: AtomicU64 = AtomicU64::new(0);

fn sign<P: Message>(id: &Identity, hub: &Pid, payload: P) -> String {
    let n = NONCE.fetch_add(1, Ordering::Relaxed);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let nonce = Nonce::parse(&format!("bench-{n:016}")).unwrap();
    Envelope::new(
        id.pid(),
        Some(hub.clone()),
        nonce,
        Timestamp::from_unix(now).unwrap(),
        600,
        payload,
    )
    .sign(id)
    .unwrap()
    .to_json()
}

/// A tiny deterministic PRNG (splitmix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn post(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: String,
) -> (u16, Value) {
    let mut r = http
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let resp = r.send().await.unwrap();
    let s = resp.status().as_u16();
    (s, resp.json().await.unwrap_or(Value::Null))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = std::process::Command::new(hub_binary());
    cmd.args([
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--rate-limit-per-second",
        "0",
        "--admin-token",
        "bench",
    ])
    .arg("--data-dir")
    .arg(dir.path())
    .env("RUST_LOG", "warn")
    .stdout(std::process::Stdio::null());
    if let Some(url) = &a.database_url {
        cmd.args(["--database-url", url]);
    }
    let mut hub = cmd.spawn().expect("start geo-hub");
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.concurrency)
        .build()
        .unwrap();
    let info: Value = loop {
        if let Ok(r) = http.get(format!("{base}/hub")).send().await {
            break r.json().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let hub_pid = Pid::parse(info["hub_pid"].as_str().unwrap()).unwrap();
    let backend = info["backend"].as_str().unwrap().to_owned();
    let r = http
        .put(format!("{base}/admin/equivalents/UAH"))
        .header("x-admin-token", "bench")
        .json(&json!({"precision": 2}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());

    // Community: a ring lattice where everyone trusts its 4 nearest neighbours on each side.
    let n = a.participants;
    let ids: Vec<Identity> = (0..n)
        .map(|i| Identity::from_seed(&Digest::of(format!("bench {i}").as_bytes()).to_bytes()))
        .collect();
    let mut tokens = Vec::with_capacity(n);
    for id in &ids {
        let reg = ParticipantRegister {
            public_key: id.public_key(),
            display_name: "p".into(),
            kind: ParticipantKind::Person,
            profile: None,
        };
        let (s, v) = post(
            &http,
            &format!("{base}/participants"),
            None,
            sign(id, &hub_pid, reg),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        let (_, c) = post(
            &http,
            &format!("{base}/auth/challenge"),
            None,
            json!({"pid": id.pid()}).to_string(),
        )
        .await;
        let login = Login {
            challenge: c["challenge"].as_str().unwrap().into(),
        };
        let (s, t) = post(
            &http,
            &format!("{base}/auth/login"),
            None,
            sign(id, &hub_pid, login),
        )
        .await;
        assert_eq!(s, 200);
        tokens.push(t["access_token"].as_str().unwrap().to_owned());
    }
    for i in 0..n {
        for k in 1..=4 {
            for j in [(i + k) % n, (i + n - k) % n] {
                let set = TrustLineSet {
                    debtor: ids[j].pid(),
                    equivalent: "UAH".parse().unwrap(),
                    limit: "1000000".parse().unwrap(),
                    policy: None,
                };
                let (s, v) = post(
                    &http,
                    &format!("{base}/trust-lines"),
                    Some(&tokens[i]),
                    sign(&ids[i], &hub_pid, set),
                )
                .await;
                assert_eq!(s, 200, "{v}");
            }
        }
    }

    // Pre-sign the payments: a payer pays someone 1 to 12 places along the ring (1 to 3 hops).
    let mut rng = Rng(42);
    let started_signing = Instant::now();
    let work: Vec<(usize, String)> = (0..a.payments)
        .map(|_| {
            let from = rng.below(n as u64) as usize;
            let dist = 1 + rng.below(12) as usize;
            let to = if rng.below(2) == 0 {
                (from + dist) % n
            } else {
                (from + n - dist) % n
            };
            let req = PaymentRequest {
                tx_id: TxId::from_random_bytes(
                    rng.next().to_le_bytes().repeat(2).try_into().unwrap(),
                ),
                payee: ids[to].pid(),
                payee_hub: None,
                equivalent: "UAH".parse().unwrap(),
                amount: format!("{}.{:02}", 1 + rng.below(50), rng.below(100))
                    .parse()
                    .unwrap(),
                description: None,
                constraints: None,
                hold_seconds: None,
                invoice_id: None,
            };
            (from, sign(&ids[from], &hub_pid, req))
        })
        .collect();
    let signing = started_signing.elapsed();

    let metric = |text: &str, name: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let before = http
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    println!("timed phase starts (hub pid {})", hub.id());
    // A hub run under `valgrind --tool=callgrind --instr-atstart=no` counts the timed phase only.
    let callgrind = std::env::var_os("GEO_BENCH_CALLGRIND").is_some();
    if callgrind {
        callgrind_control(hub.id(), "--instr=on");
    }
    let usage_before = ProcessUsage::of(hub.id());
    let work = Arc::new(work);
    let next = Arc::new(AtomicU64::new(0));
    let tokens = Arc::new(tokens);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..a.concurrency {
        let (work, next, tokens, http, url) = (
            work.clone(),
            next.clone(),
            tokens.clone(),
            http.clone(),
            format!("{base}/payments"),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let (mut ok, mut refused, mut other) = (0u64, 0u64, 0u64);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                if i >= work.len() {
                    break;
                }
                let (from, body) = &work[i];
                let t = Instant::now();
                let resp = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .bearer_auth(&tokens[*from])
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = resp.status().as_u16();
                let _ = resp.bytes().await;
                lat.push(t.elapsed());
                match status {
                    200 => ok += 1,
                    422 => refused += 1,
                    _ => other += 1,
                }
            }
            (lat, ok, refused, other)
        }));
    }
    let mut lat = Vec::new();
    let (mut ok, mut refused, mut other) = (0, 0, 0);
    for t in tasks {
        let (l, o, r, x) = t.await.unwrap();
        lat.extend(l);
        ok += o;
        refused += r;
        other += x;
    }
    let elapsed = started.elapsed();
    let usage = usage_before.and_then(|b| Some(ProcessUsage::of(hub.id())?.since(&b)));
    if callgrind {
        callgrind_control(hub.id(), "--dump");
        callgrind_control(hub.id(), "--instr=off");
    }
    lat.sort();
    let metrics = http
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let delta = |name: &str| metric(&metrics, name) - metric(&before, name);
    let (entries, batches) = (
        delta("geo_batch_entries_sum"),
        delta("geo_batch_entries_count"),
    );
    let (apply, persist) = (
        delta("geo_batch_apply_seconds_sum"),
        delta("geo_batch_persist_seconds_sum"),
    );
    hub.kill().ok();
    hub.wait().ok();
    println!("backend: {backend}; participants: {n}; trust lines: {}; payments sent: {}; concurrency: {}", n * 8, a.payments, a.concurrency);
    println!(
        "pre-signing {} requests took {:.2?} (not timed)",
        a.payments, signing
    );
    println!(
        "committed: {ok}; refused (capacity): {refused}; other: {other}; elapsed {:.2?}; committed/s: {:.0}",
        elapsed,
        ok as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency p50 {:.2?} p90 {:.2?} p99 {:.2?} max {:.2?}",
        percentile(&lat, 0.5),
        percentile(&lat, 0.9),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or_default()
    );
    println!(
        "writer during the timed phase: {batches:.0} batches, {:.0} journal entries per batch; applying {apply:.2} s, persisting {persist:.2} s ({:.0} µs per entry)",
        entries / batches.max(1.0),
        persist * 1e6 / entries.max(1.0)
    );
    if let Some(u) = usage {
        println!(
            "hub process during the timed phase: {:.0} µs of CPU and {:.1} KiB written per committed payment",
            u.cpu.as_secs_f64() * 1e6 / ok.max(1) as f64,
            u.written_bytes as f64 / 1024.0 / ok.max(1) as f64
        );
    }
    assert_eq!(
        other, 0,
        "every request was either committed or refused for capacity"
    );
}

/// Asks the callgrind instance running the hub to start counting, dump or stop (`GEO_BENCH_CALLGRIND`).
fn callgrind_control(pid: u32, what: &str) {
    let status = std::process::Command::new("callgrind_control")
        .arg(what)
        .arg(pid.to_string())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run callgrind_control");
    assert!(status.success(), "callgrind_control {what} failed");
}
