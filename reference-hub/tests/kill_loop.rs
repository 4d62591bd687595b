//! The hub process killed (SIGKILL) under load and started again, over and over, on SQLite and on
//! PostgreSQL: four payers keep a payment in flight each, the hub is killed at a different point
//! of the load every cycle (so some payments are cut in flight, some committed without their
//! answer arriving), and a new process starts on the same data. After the last cycle every
//! unanswered payment and every fifth answered one is resent byte for byte and must answer
//! `committed` (its stored result, or made now); the payee's balance must equal the sum of all
//! payments exactly (nothing acknowledged lost, nothing applied twice) and the hub's integrity check
//! (the hash chain and every invariant of the ledger) must pass.
//!
//! CI runs 3 cycles per database (`GEO_KILL_CYCLES`); the long run is
//! `GEO_KILL_CYCLES=60 cargo nextest run -p reference-hub --test kill_loop --no-capture`.

mod support;

use std::time::{Duration, Instant};

use support::outage::{self, Community, HubProcess};

fn cycles() -> usize {
    std::env::var("GEO_KILL_CYCLES")
        .ok()
        .map(|v| v.parse().expect("GEO_KILL_CYCLES is a number"))
        .unwrap_or(3)
}

/// A hub on `data` (and `database_url`, else SQLite in `data`), listening on `port`.
fn hub(data: &std::path::Path, port: u16, database_url: Option<&str>) -> HubProcess {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_geo-hub"));
    command.args(outage::hub_args(data, port));
    if let Some(url) = database_url {
        command.args(["--database-url", url]);
    }
    outage::spawn(command)
}

/// Kills the hub `cycles()` times under load, each time starting it again once `released` says
/// the killed process's writer lock is gone; then settles every payment.
async fn kill_loop<F, Fut>(database_url: Option<&str>, released: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = outage::free_port();
    let root = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut process = hub(&data, port, database_url);
    outage::ready(&http, &root, Duration::from_secs(60)).await;
    let mut community = Community::set_up(&root).await;

    let mut attempts = Vec::new();
    let mut restarts = Vec::new();
    let cycles = cycles();
    for cycle in 0..cycles {
        let load = community.load();
        // A different point of the load each cycle.
        let target = 3 + (cycle * 7) % 17;
        let started = Instant::now();
        while load.committed() < target {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "payments flow after restart {cycle}"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // No new payment from here; those in flight are cut by the kill.
        load.stop();
        process.0.kill().unwrap();
        process.0.wait().unwrap();
        drop(process);
        attempts.extend(load.finish().await);

        released().await;
        let killed = Instant::now();
        process = hub(&data, port, database_url);
        outage::ready(&http, &root, Duration::from_secs(60)).await;
        restarts.push(killed.elapsed());
        // Sessions live in the process: log in again.
        community.sink.login().await;
        for p in &mut community.payers {
            p.login().await;
        }
    }
    let unanswered = attempts.iter().filter(|a| !a.acknowledged).count();
    let acknowledged = attempts.len() - unanswered;
    let resent = community.settle(&mut attempts).await;
    restarts.sort();
    println!(
        "{cycles} kills ({}): {} payments, {acknowledged} acknowledged, {unanswered} cut in flight, \
         {resent} acknowledged ones resent and answered their stored result; start to ready \
         min {:?} / median {:?} / max {:?}",
        if database_url.is_some() { "PostgreSQL" } else { "SQLite" },
        attempts.len(),
        restarts[0],
        restarts[restarts.len() / 2],
        restarts[restarts.len() - 1]
    );
    assert!(
        unanswered > 0,
        "some payments were in flight at a kill (otherwise the loop checks less than it says)"
    );
    assert!(resent > 0);
    process.assert_running();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_hub_killed_under_load_again_and_again_loses_nothing() {
    // The kernel releases the killed process's lock file with the process.
    kill_loop(None, || async {}).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgresql_hub_killed_under_load_again_and_again_loses_nothing() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let url = cluster.url();
    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    // The server drops the advisory writer lock once it notices the killed process's connection
    // closed: a new hub started before then would find the lock taken.
    let released = || async {
        let started = Instant::now();
        loop {
            let held: i64 =
                sqlx::query_scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
                    .fetch_one(&db)
                    .await
                    .unwrap();
            if held == 0 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server releases the killed hub's writer lock"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    kill_loop(Some(&url), released).await;
}
