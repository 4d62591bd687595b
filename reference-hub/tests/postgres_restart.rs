//! PostgreSQL itself crashes and comes back under load, as real processes: a `geo-hub` on a
//! PostgreSQL cluster of the test's own, payers keeping payments in flight, and the server stopped
//! as a crash does (`pg_ctl stop -m immediate`) mid-load, then started again. Meanwhile the hub
//! answers every request `503 E_UNAVAILABLE` with `Retry-After` (never a hang or a `500`) and says
//! it is recovering; once PostgreSQL is back it serves again without being restarted, with the same
//! sessions. Every payment it acknowledged is in the database, and resending any payment's signed
//! bytes gets the stored result (`GEO_PG_RESTART_CYCLES`, default 2; the long run is e.g.
//! `GEO_PG_RESTART_CYCLES=20 cargo nextest run -p reference-hub --test postgres_restart`).

mod support;

use std::time::Duration;

use support::outage::{self, PgHub};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_hub_serves_again_when_postgresql_comes_back_after_a_crash_under_load() {
    let cycles: usize = std::env::var("GEO_PG_RESTART_CYCLES")
        .ok()
        .map(|v| v.parse().expect("GEO_PG_RESTART_CYCLES is a number"))
        .unwrap_or(2);
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let PgHub {
        dir: _dir,
        root,
        http,
        process: mut hub,
        community,
        ..
    } = PgHub::start(&cluster.url()).await;

    let mut attempts = Vec::new();
    let mut back = Vec::new();
    for cycle in 0..cycles {
        let load = community.load();
        load.acknowledged(1).await;
        tokio::time::sleep(Duration::from_millis(200 + (cycle as u64 * 173) % 400)).await;
        cluster.crash().unwrap();
        // Requests meet the outage: the hub stops acknowledging and says it is recovering.
        outage::recovering(&http, &root, Duration::from_secs(30)).await;
        load.next_refusal(Duration::from_secs(15)).await;
        cluster.resume().unwrap();
        back.push(outage::ready(&http, &root, Duration::from_secs(30)).await);
        hub.assert_running();
        // Payments flow again, on the sessions from before the crash.
        let payer = &community.payers[0];
        let req = payer.payment(&community.sink, "1.00");
        let body = payer.sign(req.clone()).to_json();
        let (s, v) = payer.post_raw("/payments", body.clone()).await;
        assert_eq!((s, v["status"].as_str()), (200, Some("committed")), "{v}");
        attempts.push(outage::Attempt {
            tx_id: req.tx_id.to_string(),
            body,
            payer: 0,
            minor: 100,
            acknowledged: true,
        });
        let tried = load.finish().await;
        assert!(
            tried.iter().any(|a| a.acknowledged),
            "payments were acknowledged before the crash in cycle {cycle}"
        );
        attempts.extend(tried);
    }
    let resent = community.settle(&mut attempts).await;
    println!(
        "{cycles} PostgreSQL crashes, {} payments ({resent} acknowledged ones resent); PostgreSQL start to hub ready: {back:?}",
        attempts.len()
    );
    assert!(resent > 0);
    hub.assert_running();
}

/// The database fails again while the recovering hub, the writer lock retaken, loads its state: the
/// hub goes back to waiting (still `503`, still the same process) and serves once the database
/// answers. Made deterministic with PostgreSQL's own means: the test holds the nonces table
/// (`LOCK TABLE … ACCESS EXCLUSIVE`), which the hub reads only after restoring its ledger, cuts the
/// hub's writer lock connection (`pg_terminate_backend`, as a restart does) so that it recovers, and
/// terminates the hub's connection waiting on that table, as a crash at that moment would.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_failure_while_the_recovering_hub_loads_its_state_sends_it_back_to_waiting() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let PgHub {
        dir: _dir,
        root,
        http,
        process: mut hub,
        community,
        ..
    } = PgHub::start(&cluster.url()).await;

    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(&cluster.url())
        .await
        .unwrap();
    let mut held = db.begin().await.unwrap();
    sqlx::query("LOCK TABLE nonces IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *held)
        .await
        .unwrap();
    let cut = sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(cut.len(), 1, "the hub held its writer lock");
    // The hub notices, retakes the lock, restores its ledger and waits on the nonces table.
    let waiting_on_nonces = || async {
        let started = std::time::Instant::now();
        loop {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the hub reads the nonces table after retaking its writer lock"
            );
            // The hub's read of the nonces (not, say, a pruning it may have left waiting).
            let waiting: Vec<i32> = sqlx::query_scalar(
                "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
                 WHERE l.relation = 'nonces'::regclass AND NOT l.granted \
                 AND a.query LIKE 'SELECT signer, nonce%'",
            )
            .fetch_all(&db)
            .await
            .unwrap();
            let locked: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted",
            )
            .fetch_one(&db)
            .await
            .unwrap();
            if let ([pid], 1) = (&waiting[..], locked) {
                return *pid;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let loading = waiting_on_nonces().await;
    sqlx::query("SELECT pg_terminate_backend($1)")
        .bind(loading)
        .execute(&db)
        .await
        .unwrap();
    // Back to waiting, not out of the process: it says it is recovering and tries again.
    outage::recovering(&http, &root, Duration::from_secs(30)).await;
    hub.assert_running();
    let again = waiting_on_nonces().await;
    assert_ne!(again, loading, "a new attempt on a new connection");
    hub.assert_running();

    held.commit().await.unwrap();
    outage::ready(&http, &root, Duration::from_secs(30)).await;
    hub.assert_running();
    // It serves, with the sessions from before.
    let payer = &community.payers[0];
    let req = payer.payment(&community.sink, "1.00");
    let (s, v) = payer.post_raw("/payments", payer.sign(req).to_json()).await;
    assert_eq!((s, v["status"].as_str()), (200, Some("committed")), "{v}");
}
