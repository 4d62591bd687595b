//! Smoke run against a real hub at tiny scale: a `geo-hub` process on a fresh SQLite data
//! directory, a seeded community registered over HTTP, payments sent open-loop and closed-loop, one
//! by one and in batches.
//! The run's committed count must equal the hub's own, and nothing may fail.

use std::path::PathBuf;
use std::time::Duration;

use geo_load::community::{Community, Shape};
use geo_load::drive::{gather, poisson_offsets, run, Mode, Plan};
use geo_load::setup::Hub;

/// The hub binary: `GEO_HUB_BIN`, else `geo-hub` next to this test's target directory (built
/// with `cargo build -p reference-hub --bin geo-hub` if missing).
fn hub_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("GEO_HUB_BIN") {
        return p.into();
    }
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let bin = dir.join("geo-hub");
    if !bin.exists() {
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "-p", "reference-hub", "--bin", "geo-hub"])
            .status()
            .unwrap();
        assert!(status.success(), "building geo-hub");
    }
    bin
}

struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_and_closed_loop_runs_agree_with_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _hub = Running(
        std::process::Command::new(hub_binary())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--rate-limit-per-second", "0", "--admin-token", "smoke"])
            .arg("--data-dir")
            .arg(dir.path())
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start geo-hub"),
    );
    let hub = Hub {
        base: format!("http://127.0.0.1:{port}/api/v1"),
        admin_token: "smoke".into(),
        equivalent: "LOAD".into(),
    };
    let http = reqwest::Client::new();
    let mut up = false;
    for _ in 0..200 {
        if http.get(format!("{}/hub", hub.base)).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up, "hub did not start");
    let community = Community::generate(Shape::new(30, 11));
    let reg = hub.register(&http, &community, 11).await.unwrap();
    let payments = community.payments(500, 11);
    let work = hub.sign_payments(&reg, &payments, 11, 600).unwrap();
    let (open, rest) = work.split_at(150);
    let (closed, rest) = rest.split_at(150);
    let (batched, gathered) = rest.split_at(100);

    let before = hub.committed(&http).await.unwrap();
    let r = run(
        &http,
        Plan::single(&hub.base, open.to_vec()),
        &reg.tokens,
        Mode::Open {
            rate: 200.0,
            seed: 1,
            window: Duration::ZERO,
        },
    )
    .await;
    println!("open loop: {r}");
    assert_eq!(r.failed, 0, "{r}");
    assert!(r.committed > 0, "{r}");
    assert_eq!(r.committed + r.refused, 150);
    // Poisson at 200/s: 150 arrivals take about 0.75 s, so the run cannot be much shorter.
    assert!(r.elapsed >= Duration::from_millis(400), "{r}");
    let mid = hub.committed(&http).await.unwrap();
    assert_eq!(
        mid - before,
        r.committed,
        "the hub committed what the run counted"
    );

    let r = run(
        &http,
        Plan::single(&hub.base, closed.to_vec()),
        &reg.tokens,
        Mode::Closed { clients: 8 },
    )
    .await;
    println!("closed loop: {r}");
    assert_eq!(r.failed, 0, "{r}");
    assert!(r.committed > 0, "{r}");
    assert_eq!(r.committed + r.refused, 150);
    let after = hub.committed(&http).await.unwrap();
    assert_eq!(after - mid, r.committed);

    // 100 payments in batches of 8 (the last one of 4): one result per payment.
    let plan = Plan::batched(&hub.base, batched.to_vec(), 8);
    assert_eq!(plan.payments(), 100);
    let r = run(&http, plan, &reg.tokens, Mode::Closed { clients: 4 }).await;
    println!("closed loop, batches of 8: {r}");
    assert_eq!(r.failed, 0, "{r}");
    assert!(r.committed > 0, "{r}");
    assert_eq!(r.committed + r.refused, 100);
    assert_eq!(hub.committed(&http).await.unwrap() - after, r.committed);

    // 100 payments arriving at 400/s, gathered into batches of up to 8 within 20 ms: each
    // payment's latency counts from its own arrival, so it includes its wait for the batch.
    let before = hub.committed(&http).await.unwrap();
    let window = Duration::from_millis(20);
    let (rate, seed) = (400.0, 3);
    let r = run(
        &http,
        Plan::batched(&hub.base, gathered.to_vec(), 8),
        &reg.tokens,
        Mode::Open { rate, seed, window },
    )
    .await;
    println!("open loop, batches of up to 8 within 20 ms: {r}");
    assert_eq!(r.failed, 0, "{r}");
    assert!(r.committed > 0, "{r}");
    assert_eq!(r.committed + r.refused, 100);
    assert_eq!(hub.committed(&http).await.unwrap() - before, r.committed);
    let arrivals = poisson_offsets(100, rate, seed);
    let batches = gather(&arrivals, 8, window);
    assert!(batches.len() < 100, "some payments went together");
    assert!(
        batches.iter().any(|(p, _)| p.len() < 8),
        "some batch waited out its window"
    );
    let sent: Vec<Duration> = r.samples.iter().map(|s| s.sent).collect();
    assert_eq!(sent, arrivals, "each payment is timed from its own arrival");
    for (payments, due) in batches {
        for i in payments {
            assert!(r.samples[i].latency >= due - arrivals[i], "payment {i}");
        }
    }
}
