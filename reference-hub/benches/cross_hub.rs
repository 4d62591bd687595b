//! Cross-hub payments (`spec/federation.md` §6) measured from outside: two release `geo-hub`
//! processes, A on SQLite and B on SQLite or PostgreSQL (`--database-url`), linked both ways over
//! loopback; members of A pay members of B with many in flight, then (the baseline, same hub, same
//! amounts) members of A pay A's account of B locally. Each payment is counted when A answered it
//! `committed`, that is after B committed and A verified B's fulfil and committed in turn.
//!
//! `cargo bench -p reference-hub --bench cross_hub -- [--payments N] [--members N]
//!  [--concurrency N] [--database-url URL] [--quick]`

#[path = "support/args.rs"]
mod bench_args;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use geo_protocol::geo_uri::HubUrl;
use geo_protocol::*;
use serde_json::{json, Value};

struct Args {
    members: usize,
    payments: usize,
    concurrency: usize,
    database_url: Option<String>,
}

fn args() -> Args {
    let a = bench_args::BenchArgs::parse(
        &["--members", "--payments", "--concurrency", "--database-url"],
        &[],
    );
    Args {
        members: a.number("--members", 100, 20),
        payments: a.number("--payments", 5_000, 500),
        concurrency: a.number("--concurrency", 64, 16),
        database_url: a.text("--database-url"),
    }
}

static NONCE: AtomicU64 = AtomicU64::new(0);

fn sign<P: Message>(id: &Identity, hub: &Pid, payload: P) -> String {
    let n = NONCE.fetch_add(1, Ordering::Relaxed);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    Envelope::new(
        id.pid(),
        Some(hub.clone()),
        Nonce::parse(&format!("bench-{n:016}")).unwrap(),
        Timestamp::from_unix(now).unwrap(),
        600,
        payload,
    )
    .sign(id)
    .unwrap()
    .to_json()
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

/// One hub process and what the bench needs of it.
struct Hub {
    key: Identity,
    base: String,
    url: HubUrl,
    process: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn address(key: &Identity, port: u16) -> String {
    geo_uri::ParticipantAddress {
        hub: HubUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        pid: key.pid(),
    }
    .to_string()
}

async fn start(
    http: &reqwest::Client,
    key: Identity,
    port: u16,
    link: String,
    database_url: Option<&str>,
) -> Hub {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("hub.key");
    let hex: String = key.seed().iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(&key_file, hex).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_geo-hub"));
    cmd.args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--rate-limit-per-second", "0", "--admin-token", "bench"])
        .args(["--federation-links", &link])
        .args(["--federation-margin-seconds", "2"])
        .args(["--clearing-interval-seconds", "0"])
        .arg("--hub-key-file")
        .arg(&key_file)
        .arg("--data-dir")
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null());
    if let Some(url) = database_url {
        cmd.args(["--database-url", url]);
    }
    cmd.arg("serve");
    let process = cmd.spawn().expect("start geo-hub");
    let root = format!("http://127.0.0.1:{port}");
    let base = format!("{root}/api/v1");
    while http.get(format!("{base}/hub")).send().await.is_err() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let r = http
        .put(format!("{base}/admin/equivalents/UAH"))
        .header("x-admin-token", "bench")
        .json(&json!({"precision": 2}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    Hub {
        key,
        base,
        url: HubUrl::parse(&root).unwrap(),
        process,
        _dir: dir,
    }
}

/// Registers `id` at `hub` (as `kind`, unless it is there already) and logs it in: its token.
async fn join(http: &reqwest::Client, hub: &Hub, id: &Identity, kind: ParticipantKind) -> String {
    let hub_pid = hub.key.pid();
    if id.pid() != hub_pid {
        let reg = ParticipantRegister {
            public_key: id.public_key(),
            display_name: "p".into(),
            kind,
            profile: None,
        };
        let url = format!("{}/participants", hub.base);
        let (s, v) = post(http, &url, None, sign(id, &hub_pid, reg)).await;
        assert_eq!(s, 201, "{v}");
    }
    let url = format!("{}/auth/challenge", hub.base);
    let (_, c) = post(http, &url, None, json!({"pid": id.pid()}).to_string()).await;
    let login = Login {
        challenge: c["challenge"].as_str().unwrap().into(),
    };
    let url = format!("{}/auth/login", hub.base);
    let (s, t) = post(http, &url, None, sign(id, &hub_pid, login)).await;
    assert_eq!(s, 200, "{t}");
    t["access_token"].as_str().unwrap().to_owned()
}

async fn trust(http: &reqwest::Client, hub: &Hub, creditor: &Identity, token: &str, debtor: &Pid) {
    let set = TrustLineSet {
        debtor: debtor.clone(),
        equivalent: "UAH".parse().unwrap(),
        limit: "100000000".parse().unwrap(),
        policy: None,
    };
    let url = format!("{}/trust-lines", hub.base);
    let (s, v) = post(http, &url, Some(token), sign(creditor, &hub.key.pid(), set)).await;
    assert_eq!(s, 200, "{v}");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Sends `work` (payer's token, signed request) to A with `concurrency` in flight: how many A
/// answered committed, the time it took, and the latencies.
async fn run(
    http: &reqwest::Client,
    url: String,
    work: Vec<(String, String)>,
    concurrency: usize,
) -> (u64, Duration, Vec<Duration>) {
    let work = Arc::new(work);
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (work, next, http, url) = (work.clone(), next.clone(), http.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut committed) = (Vec::new(), 0u64);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                let Some((token, body)) = work.get(i) else {
                    break;
                };
                let t = Instant::now();
                let (s, v) = post(&http, &url, Some(token), body.clone()).await;
                lat.push(t.elapsed());
                if s == 200 && v["status"] == "committed" {
                    committed += 1;
                }
            }
            (lat, committed)
        }));
    }
    let (mut lat, mut committed) = (Vec::new(), 0);
    for t in tasks {
        let (l, c) = t.await.unwrap();
        lat.extend(l);
        committed += c;
    }
    let took = started.elapsed();
    lat.sort_unstable();
    (committed, took, lat)
}

#[tokio::main]
async fn main() {
    let a = args();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.concurrency)
        .build()
        .unwrap();
    let (ka, kb) = (
        Identity::from_seed(&[0xa1; 32]),
        Identity::from_seed(&[0xb2; 32]),
    );
    let (port_a, port_b) = (free_port(), free_port());
    let hub_a = start(&http, ka.clone(), port_a, address(&kb, port_b), None).await;
    let hub_b = start(
        &http,
        kb.clone(),
        port_b,
        address(&ka, port_a),
        a.database_url.as_deref(),
    )
    .await;
    let (a_at_a, b_at_b) = (
        join(&http, &hub_a, &ka, ParticipantKind::Hub).await,
        join(&http, &hub_b, &kb, ParticipantKind::Hub).await,
    );
    let a_at_b = join(&http, &hub_b, &ka, ParticipantKind::Hub).await;
    let b_at_a = join(&http, &hub_a, &kb, ParticipantKind::Hub).await;
    trust(&http, &hub_a, &ka, &a_at_a, &kb.pid()).await;
    trust(&http, &hub_a, &kb, &b_at_a, &ka.pid()).await;
    trust(&http, &hub_b, &kb, &b_at_b, &ka.pid()).await;
    trust(&http, &hub_b, &ka, &a_at_b, &kb.pid()).await;
    let member = |hub: &str, i: usize| {
        Identity::from_seed(&Digest::of(format!("{hub} {i}").as_bytes()).to_bytes())
    };
    let mut payers = Vec::new();
    for i in 0..a.members {
        let id = member("A", i);
        let token = join(&http, &hub_a, &id, ParticipantKind::Person).await;
        trust(&http, &hub_a, &ka, &a_at_a, &id.pid()).await;
        payers.push((id, token));
    }
    let mut payees = Vec::new();
    for i in 0..a.members {
        let id = member("B", i);
        let token = join(&http, &hub_b, &id, ParticipantKind::Person).await;
        trust(&http, &hub_b, &id, &token, &kb.pid()).await;
        payees.push(id.pid());
    }

    // The same payers and amounts twice: to members of B, then to A's account of B locally.
    let requests = |cross: bool| -> Vec<(String, String)> {
        (0..a.payments)
            .map(|i| {
                let (id, token) = &payers[i % payers.len()];
                let (payee, payee_hub) = if cross {
                    (
                        payees[(i * 7) % payees.len()].clone(),
                        Some(hub_b.url.clone()),
                    )
                } else {
                    (kb.pid(), None)
                };
                let req = PaymentRequest {
                    tx_id: TxId::random(),
                    payee,
                    payee_hub,
                    equivalent: "UAH".parse().unwrap(),
                    amount: format!("{}.{:02}", 1 + i % 50, i % 100).parse().unwrap(),
                    description: None,
                    constraints: None,
                    hold_seconds: None,
                    invoice_id: None,
                };
                (token.clone(), sign(id, &ka.pid(), req))
            })
            .collect()
    };
    let url = format!("{}/payments", hub_a.base);
    let backend_b = if a.database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    println!(
        "A sqlite, B {backend_b}; {} members each side, {} payments, {} in flight",
        a.members, a.payments, a.concurrency
    );
    for (name, cross) in [("cross-hub A → B", true), ("local at A (baseline)", false)] {
        let work = requests(cross);
        let (committed, took, lat) = run(&http, url.clone(), work, a.concurrency).await;
        println!(
            "{name}: {committed}/{} committed in {:.2}s = {:.0}/s; latency p50 {:.1} ms, p99 {:.1} ms",
            a.payments,
            took.as_secs_f64(),
            committed as f64 / took.as_secs_f64(),
            percentile(&lat, 0.5).as_secs_f64() * 1e3,
            percentile(&lat, 0.99).as_secs_f64() * 1e3,
        );
    }
    drop((hub_a, hub_b));
}
