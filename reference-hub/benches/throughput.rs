//! End-to-end throughput of the hub, measured from outside: the release `geo-hub` binary runs as its own
//! process on a fresh data directory; this program registers a community, opens trust lines, pre-signs
//! payment requests (so client signing is not timed), then sends them over HTTP with many in flight and
//! counts payments that the hub acknowledged as committed (durably, before answering).
//!
//! `cargo bench -p reference-hub --bench throughput -- [--payments N] [--participants N] [--concurrency N]
//!  [--batch N] [--database-url URL] [--quick]`
//!
//! Registration, signing and sending are geo-load's (`reference_hub/load`); `--batch N` sends N
//! payments per `POST /payments/batch` request, `--concurrency` counting requests in flight.
//!
//! `GEO_BENCH_HUB=path` measures another hub binary; with `GEO_BENCH_CALLGRIND=1` that binary is
//! expected to run the hub under `valgrind --tool=callgrind --instr-atstart=no` (exec'd, so the pid
//! is the hub's), and only the timed phase is counted.

#[path = "support/args.rs"]
mod bench_args;

use std::time::{Duration, Instant};

use geo_load::community::{Community, Payment, Rng};
use geo_load::drive::{run, Mode, Plan};
use geo_load::setup::Hub;
use geo_load::usage::ProcessUsage;
use serde_json::Value;

struct Args {
    participants: usize,
    payments: usize,
    concurrency: usize,
    batch: usize,
    database_url: Option<String>,
}

fn args() -> Args {
    let a = bench_args::BenchArgs::parse(
        &[
            "--participants",
            "--payments",
            "--concurrency",
            "--batch",
            "--database-url",
        ],
        &[],
    );
    Args {
        participants: a.number("--participants", 1000, 100),
        payments: a.number("--payments", 60_000, 2_000),
        concurrency: a.number("--concurrency", 256, 64),
        batch: a.number("--batch", 1, 1),
        database_url: a.text("--database-url"),
    }
}

/// The hub under test: `GEO_BENCH_HUB` (any build, e.g. an older commit's, to compare), else the
/// `geo-hub` Cargo built for this bench.
fn hub_binary() -> std::path::PathBuf {
    std::env::var_os("GEO_BENCH_HUB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_BIN_EXE_geo-hub")))
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
    let backend = info["backend"].as_str().unwrap().to_owned();

    // Community: a ring lattice where everyone trusts its 4 nearest neighbours on each side,
    // registered, logged in and trusted through geo-load.
    let n = a.participants;
    let load = Hub {
        base: base.clone(),
        admin_token: "bench".into(),
        equivalent: "UAH".into(),
    };
    let community = Community::ring(n, 4, 100_000_000);
    let reg = load.register(&http, &community, 42).await.expect("setup");

    // Pre-sign the payments: a payer pays someone 1 to 12 places along the ring (1 to 3 hops),
    // 1.00 to 50.99.
    let mut rng = Rng(42);
    let payments: Vec<Payment> = (0..a.payments)
        .map(|_| {
            let payer = rng.below(n);
            let dist = 1 + rng.below(12);
            let payee = if rng.below(2) == 0 {
                (payer + dist) % n
            } else {
                (payer + n - dist) % n
            };
            let amount = (1 + rng.below(50) as u64) * 100 + rng.below(100) as u64;
            Payment {
                payer,
                payee,
                amount,
            }
        })
        .collect();
    let started_signing = Instant::now();
    let work = load
        .sign_payments(&reg, &payments, 42, 600)
        .expect("signing");
    let signing = started_signing.elapsed();
    let plan = match a.batch {
        1 => Plan::single(&base, work),
        size => Plan::batched(&base, work, size),
    };

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
    let report = run(
        &http,
        plan,
        &reg.tokens,
        Mode::Closed {
            clients: a.concurrency,
        },
    )
    .await;
    let (ok, refused, other, elapsed) = (
        report.committed,
        report.refused,
        report.failed,
        report.elapsed,
    );
    let mut lat: Vec<Duration> = report.samples.iter().map(|s| s.latency).collect();
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
    println!("backend: {backend}; participants: {n}; trust lines: {}; payments sent: {}; concurrency: {}; payments per request: {}", community.lines.len(), a.payments, a.concurrency, a.batch);
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
        println!(
            "hub process during the timed phase: {:.0} µs of it in the kernel (system time)",
            u.system.as_secs_f64() * 1e6 / ok.max(1) as f64
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
