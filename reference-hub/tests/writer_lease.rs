//! The PostgreSQL writer lock can be waited for without end by nothing: a writer that holds it but
//! has stopped (its process stopped with SIGSTOP: its machine still answers TCP, so the server
//! never drops its connection) is ended by a waiting hub once its lease has run out, and the
//! waiting hub takes over; the stopped writer, run again, steps down and acknowledges nothing.
//! Meanwhile the waiting hub says whom it waits for. Every hub session names its process and asks
//! the server to drop it when its peer falls silent (TCP keepalive and `tcp_user_timeout`), which
//! bounds how long a writer cut off by the network keeps its lock. A writer cut off from the
//! database by a partition (a proxy that stops forwarding, [`support::partition`]) stops
//! acknowledging, and a standby takes over, or it resumes itself once the partition heals.

mod support;

use std::time::{Duration, Instant};

use geo_protocol::Timestamp;
use reference_hub::engine::journal::{genesis_hash, JournalEntry, JournalEvent};
use reference_hub::storage::{
    FailureKind, PersistBatch, StorageError, Store, HOLD_FOR, RENEW_EVERY,
};
use support::outage::{self, Community};
use support::partition::Partition;

/// The lease the test hubs are started with (seconds).
const LEASE_S: u64 = 3;

async fn setting(pool: &sqlx::PgPool, name: &str) -> String {
    sqlx::query_scalar("SELECT setting FROM pg_settings WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_session_names_its_hub_and_a_locked_start_says_who_holds_the_lock() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let flush = Duration::from_millis(500);
    let first = Store::open(&cluster.url(), 2, flush, None).await.unwrap();
    let Store::Postgres(pool, _) = &first else {
        panic!("a PostgreSQL store");
    };
    for (name, value) in [
        ("tcp_keepalives_idle", "5"),
        ("tcp_keepalives_interval", "2"),
        ("tcp_keepalives_count", "3"),
        ("tcp_user_timeout", "10000"),
    ] {
        assert_eq!(setting(pool, name).await, value, "{name}");
    }
    let name: String = sqlx::query_scalar("SELECT current_setting('application_name')")
        .fetch_one(pool)
        .await
        .unwrap();
    let ours = format!("geo-hub {} s", std::process::id());
    assert!(name.starts_with(&ours), "{name}");

    // A second writer is refused, told which session holds the lock and that it is alive: the
    // holder renews its lease every 0.5 s, so after longer than a lease of 3 s it is still heard.
    tokio::time::sleep(Duration::from_secs(LEASE_S + 1)).await;
    let lease = Some(Duration::from_secs(LEASE_S));
    let Err(StorageError::Locked(why)) = Store::open(&cluster.url(), 2, flush, lease).await else {
        panic!("the second writer is refused");
    };
    assert!(why.contains("backend pid"), "{why}");
    assert!(
        why.contains(&format!("application_name \"{name}\"")),
        "{why}"
    );
    assert!(!why.contains("lease ran out"), "{why}");
    let heard: f64 = why
        .split("last heard ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("says when the holder was last heard: {why}"));
    assert!(heard < 2.5, "the holder renews its lease: {why}");
    assert!(first.holds_writer_lock().await);
    first.close().await.unwrap();
}

/// One batch: the journal's first entry.
fn first_batch() -> PersistBatch {
    let event = JournalEvent::EquivalentSet {
        code: "UAH".parse().unwrap(),
        precision: 2,
        description: String::new(),
        active: true,
    };
    let at = Timestamp::from_unix(1_800_000_000).unwrap();
    PersistBatch {
        entries: vec![JournalEntry::seal(1, at, event, genesis_hash())],
        ..PersistBatch::default()
    }
}

async fn journal_entries(db: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM journal")
        .fetch_one(db)
        .await
        .unwrap()
}

/// Ends every session named `name` (as a waiting hub does to a writer whose lease ran out).
async fn end_sessions(db: &mut sqlx::PgConnection, name: &str) -> i64 {
    sqlx::query_scalar(
        "WITH doomed AS MATERIALIZED (SELECT pid FROM pg_stat_activity \
         WHERE application_name = $1 AND pid <> pg_backend_pid()) \
         SELECT count(*) FROM doomed WHERE pg_terminate_backend(pid)",
    )
    .bind(name)
    .fetch_one(db)
    .await
    .unwrap()
}

/// Opens a writer store on `url`, trying again while another still holds the lock.
async fn open_when_free(url: &str, lease: Option<Duration>) -> Store {
    let started = Instant::now();
    loop {
        match Store::open(url, 2, Duration::from_millis(500), lease).await {
            Ok(store) => return store,
            Err(StorageError::Locked(why)) => assert!(
                started.elapsed() < Duration::from_secs(60),
                "the lock is never free: {why}"
            ),
            Err(e) => panic!("{e}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A writer taken over while it did not run (its sessions ended, another writer holding the lock)
/// and that has not yet noticed commits no batch when it runs again, even though its pool connects
/// anew: each batch checks, before its commit, that this writer still holds the lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_that_lost_its_lock_commits_no_batch_on_a_new_connection() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let url = cluster.url();
    let old = Store::open(&url, 2, Duration::from_millis(500), None)
        .await
        .unwrap();
    let Store::Postgres(pool, _) = &old else {
        panic!("a PostgreSQL store");
    };
    let name: String = sqlx::query_scalar("SELECT current_setting('application_name')")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    assert!(end_sessions(&mut db, &name).await >= 1);
    let new = open_when_free(&url, Some(Duration::from_secs(LEASE_S))).await;

    let (_, result) = old.persist(first_batch()).await;
    let err = result.expect_err("the old writer's batch is refused");
    assert!(err.to_string().contains("writer lock is lost"), "{err}");
    assert_eq!(err.kind(), FailureKind::Unavailable, "{err}");
    assert_eq!(journal_entries(&mut db).await, 0, "nothing committed");
    assert!(!old.holds_writer_lock().await);

    // The new writer appends the same position.
    let (_, result) = new.persist(first_batch()).await;
    result.unwrap();
    assert_eq!(journal_entries(&mut db).await, 1);
    new.close().await.unwrap();
}

/// A transaction of an earlier writer still holding the journal (its process stopped or cut off
/// mid-batch, its lock gone) is waited for by the next writer before it reads the journal, and
/// ended once it outlasts the lease: its append never lands, and the next writer starts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fence_ends_an_earlier_writers_open_transaction_after_the_lease() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let url = cluster.url();
    Store::open(&url, 2, Duration::from_millis(500), None)
        .await
        .unwrap()
        .close()
        .await
        .unwrap();
    // The earlier writer's batch: journal appended, not committed, on a session named unlike any
    // lock holder's (so only the fence can end it).
    let mut stray = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query("BEGIN").execute(&mut stray).await.unwrap();
    sqlx::query(
        "INSERT INTO journal (seq, recorded_at, kind, body, prev_hash, hash) \
         VALUES (1, 0, 'equivalent_set', '{}', 'x', 'y')",
    )
    .execute(&mut stray)
    .await
    .unwrap();

    let started = Instant::now();
    let next = open_when_free(&url, Some(Duration::from_secs(LEASE_S))).await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(LEASE_S),
        "the fence waited for the transaction ({waited:?})"
    );
    let gone = sqlx::query("COMMIT").execute(&mut stray).await;
    assert!(gone.is_err(), "the earlier writer's session is ended");
    let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    assert_eq!(journal_entries(&mut db).await, 0, "its append never lands");
    let (_, result) = next.persist(first_batch()).await;
    result.unwrap();
    assert_eq!(journal_entries(&mut db).await, 1);
    next.close().await.unwrap();
}

/// A `geo-hub --standby true` on `database` with a 3 s writer lease, logging to `log`.
fn standby_hub(
    database: &str,
    dir: &std::path::Path,
    port: u16,
    log: &std::path::Path,
) -> outage::HubProcess {
    let lease = LEASE_S.to_string();
    let extra = ["--standby", "true", "--writer-lease-seconds", &lease];
    outage::postgres_hub(database, dir, port, &extra, log, "info")
}

/// Payments that cannot be answered yet (their hub is stopped, or cut off from its database):
/// sent now, each with the task awaiting its answer.
fn pay_unanswerable(community: &Community) -> Vec<(outage::Attempt, Answer)> {
    (0..8)
        .map(|i| {
            let (p, sink) = (community.payers[i % 4].clone(), community.sink.clone());
            let minor = 300 + i as u64;
            let req = p.payment(&sink, &format!("{}.{:02}", minor / 100, minor % 100));
            let body = p.sign(req.clone()).to_json();
            let attempt = outage::Attempt {
                tx_id: req.tx_id.to_string(),
                body: body.clone(),
                payer: i % 4,
                minor,
                acknowledged: false,
            };
            let answer = tokio::spawn(async move { outage::post_payment(&p, &body).await });
            (attempt, answer)
        })
        .collect()
}

type Answer = tokio::task::JoinHandle<Result<(u16, serde_json::Value), reqwest::Error>>;

/// Asserts each of `sent` was refused `503 E_UNAVAILABLE` or had its connection cut (as its hub
/// stopped serving), never acknowledged; the attempts, to settle later.
async fn not_acknowledged(sent: Vec<(outage::Attempt, Answer)>) -> Vec<outage::Attempt> {
    let mut attempts = Vec::new();
    for (attempt, answer) in sent {
        if let Ok((status, v)) = answer.await.unwrap() {
            assert_eq!(
                (status, v["code"].as_str()),
                (503, Some("E_UNAVAILABLE")),
                "a payment its hub could not commit is not acknowledged: {v}"
            );
        }
        attempts.push(attempt);
    }
    attempts
}

/// Asserts every one of `attempts` (all acknowledged by now) is committed exactly once on the
/// journal, and nothing else is.
async fn journaled_once(url: &str, attempts: &[outage::Attempt]) {
    let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap();
    let committed: Vec<String> =
        sqlx::query_scalar("SELECT body FROM journal WHERE kind = 'payment_committed'")
            .fetch_all(&mut db)
            .await
            .unwrap();
    assert_eq!(committed.len(), attempts.len());
    for a in attempts {
        let times = committed.iter().filter(|b| b.contains(&a.tx_id)).count();
        assert_eq!(times, 1, "{} is journaled once", a.tx_id);
    }
}

/// Moves the community's clients to the hub at `root` (sessions live in the writer: they log in
/// again).
async fn move_to(community: &mut Community, root: &str) {
    let base = format!("{root}/api/v1");
    community.root = root.to_owned();
    for c in community.payers.iter_mut().chain([&mut community.sink]) {
        c.base = base.clone();
        c.login().await;
    }
}

fn signal(hub: &outage::HubProcess, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &hub.0.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig}");
}

/// Waits until `log` has a line containing every one of `parts`; that line.
async fn logged(log: &std::path::Path, parts: &[&str], within: Duration) -> String {
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap();
        if let Some(l) = text.lines().find(|l| parts.iter().all(|p| l.contains(p))) {
            return l.to_owned();
        }
        assert!(
            started.elapsed() < within,
            "no line with {parts:?} within {within:?}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Where a writer A and a standby B of one community run: their shared data folder, each one's
/// log, port and root URL, and a client for both.
struct Pair {
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
    log_a: std::path::PathBuf,
    log_b: std::path::PathBuf,
    port_a: u16,
    port_b: u16,
    root_a: String,
    root_b: String,
    http: reqwest::Client,
}

impl Pair {
    fn new() -> Pair {
        let dir = tempfile::tempdir().unwrap();
        let (port_a, port_b) = (outage::free_port(), outage::free_port());
        Pair {
            data: dir.path().join("data"),
            log_a: dir.path().join("a.log"),
            log_b: dir.path().join("b.log"),
            _dir: dir,
            port_a,
            port_b,
            root_a: format!("http://127.0.0.1:{port_a}"),
            root_b: format!("http://127.0.0.1:{port_b}"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap(),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stopped_writer_is_ended_after_its_lease_and_the_standby_takes_over() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let Pair {
        _dir,
        data,
        log_a,
        log_b,
        port_a,
        port_b,
        root_a,
        root_b,
        http,
    } = Pair::new();
    let mut a = standby_hub(&cluster.url(), &data, port_a, &log_a);
    outage::ready(&http, &root_a, Duration::from_secs(60)).await;
    let mut community = Community::set_up(&root_a).await;
    let load = community.load();
    load.acknowledged(20).await;

    let mut b = standby_hub(&cluster.url(), &data, port_b, &log_b);
    // The standby says whom it waits for: A's lock session, by its process id.
    let waiting = logged(
        &log_b,
        &[
            "waiting for the writer lock",
            "backend pid",
            &format!("geo-hub {} s", a.0.id()),
        ],
        Duration::from_secs(60),
    )
    .await;
    println!("{waiting}");

    // Another client's session, which the takeover must leave alone.
    let mut bystander = <sqlx::PgConnection as sqlx::Connection>::connect(&cluster.url())
        .await
        .unwrap();
    signal(&a, "-STOP");
    let stopped = Instant::now();
    // Payments sent to A while it is stopped wait in its sockets: A reads them only once it runs
    // again, after the takeover, with no batch of its own in flight, on the new writer's
    // journal (B writes nothing meanwhile: its clients come later).
    let late = pay_unanswerable(&community);
    let took = outage::ready(&http, &root_b, Duration::from_secs(60)).await;
    println!(
        "stopped writer to the standby ready: {:?}",
        stopped.elapsed()
    );
    // The lease runs from the last renewal, at most a second before the stop.
    assert!(
        stopped.elapsed() >= Duration::from_secs(LEASE_S - 1),
        "the lease is waited out ({took:?})"
    );
    logged(
        &log_b,
        &["has not renewed its lease"],
        Duration::from_secs(1),
    )
    .await;
    let alive: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut bystander)
        .await
        .expect("only the stopped writer's sessions are ended");
    assert_eq!(alive, 1);

    // A runs again: it finds its lock gone, steps down and waits; it acknowledges nothing sent to
    // it while it was stopped.
    signal(&a, "-CONT");
    outage::recovering(&http, &root_a, Duration::from_secs(30)).await;
    a.assert_running();
    logged(&log_a, &["the writer lock is lost"], Duration::from_secs(1)).await;
    // The load's payments, the last of them answered by A once it ran again.
    let mut attempts = load.finish().await;
    attempts.extend(not_acknowledged(late).await);

    // The clients go to B; every fifth payment
    // resent answers its stored result, the sink's net is the sum of all payments, integrity ok.
    move_to(&mut community, &root_b).await;
    let resent = community.settle(&mut attempts).await;
    assert!(resent > 0);
    b.assert_running();
    journaled_once(&cluster.url(), &attempts).await;
    outage::recovering(&http, &root_a, Duration::from_secs(5)).await;
}

/// A partition-to-be between the hub and `cluster`, and the cluster's URL through it.
async fn link_to(cluster: &geo_testkit::Cluster) -> (Partition, String) {
    let url = cluster.url();
    let host = url
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("postgres://user@host:port/db")
        .to_owned();
    let link = Partition::start(&host).await;
    let via = url.replace(&host, &format!("127.0.0.1:{}", link.port));
    (link, via)
}

/// A writer counts on its lock only for `HOLD_FOR` after sending its last answered lease renewal:
/// cut off from its database (nothing answered, nothing refused) it knows its lock lost within
/// that, before the shortest lease a waiting hub may be given (3 s) runs out, and without any
/// statement of its own failing first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_cut_off_knows_its_lock_lost_before_any_lease_runs_out() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let (link, via) = link_to(&cluster).await;
    let store = Store::open(&via, 2, Duration::from_millis(500), None)
        .await
        .unwrap();
    // Answered renewals keep the lock past `HOLD_FOR`.
    tokio::time::sleep(HOLD_FOR + RENEW_EVERY).await;
    assert!(store.holds_writer_lock().await);

    link.cut();
    let cut = Instant::now();
    let why = tokio::time::timeout(Duration::from_secs(30), store.writer_lock_lost())
        .await
        .expect("the lost lock is noticed");
    let noticed = cut.elapsed();
    println!("cut to the lock known lost: {noticed:?} ({why})");
    assert!(why.contains("has not answered"), "{why}");
    // The last answered renewal was sent at most `RENEW_EVERY` (plus its round trip) before the cut.
    assert!(
        noticed >= HOLD_FOR - RENEW_EVERY - Duration::from_millis(200),
        "not before its deadline ({noticed:?})"
    );
    assert!(
        noticed < Duration::from_secs(LEASE_S),
        "before a lease could run out ({noticed:?})"
    );
    assert!(!store.holds_writer_lock().await);
    link.heal();
}

/// A writer cut off from PostgreSQL by a partition (nothing forwarded, nothing closed) stops
/// acknowledging: its lock connection no longer answers, so it steps down and answers 503, and
/// nothing sent to it during the cut is acknowledged. The standby, which still reaches the
/// database, hears no lease renewal, ends the cut-off writer's sessions and takes over; once the
/// partition heals the old writer stays a waiting hub. Every acknowledged payment is on the
/// journal exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_writer_cut_off_from_its_database_stops_acknowledging_and_the_standby_takes_over() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let (link, via) = link_to(&cluster).await;
    let Pair {
        _dir,
        data,
        log_a,
        log_b,
        port_a,
        port_b,
        root_a,
        root_b,
        http,
    } = Pair::new();
    let mut a = standby_hub(&via, &data, port_a, &log_a);
    outage::ready(&http, &root_a, Duration::from_secs(60)).await;
    let mut community = Community::set_up(&root_a).await;
    let load = community.load();
    load.acknowledged(20).await;
    let mut b = standby_hub(&cluster.url(), &data, port_b, &log_b);
    logged(
        &log_b,
        &["waiting for the writer lock", "backend pid"],
        Duration::from_secs(60),
    )
    .await;

    link.cut();
    let cut = Instant::now();
    let late = pay_unanswerable(&community);
    outage::recovering(&http, &root_a, Duration::from_secs(60)).await;
    let refusing = cut.elapsed();
    println!("cut to the writer refusing: {refusing:?}");
    // It counts on its lock for 2 s after its last answered renewal (sent at most 0.5 s before
    // the cut), then answers 503 without waiting on the database: about 2 s, bounded generously
    // for a busy machine (it took about 11 s when the hub waited out its lock check's 5 s ping
    // and its abandon's graces against the cut-off database).
    assert!(
        refusing < Duration::from_secs(6),
        "a cut-off writer refuses within a few seconds ({refusing:?})"
    );
    // Its lease renewal went unanswered: it stopped acknowledging and says so.
    logged(
        &log_a,
        &["storage failed: the hub answers 503"],
        Duration::from_secs(1),
    )
    .await;
    outage::ready(&http, &root_b, Duration::from_secs(60)).await;
    println!("cut to the standby ready: {:?}", cut.elapsed());
    logged(
        &log_b,
        &["has not renewed its lease"],
        Duration::from_secs(1),
    )
    .await;
    let mut attempts = load.finish().await;
    attempts.extend(not_acknowledged(late).await);

    link.heal();
    // Healed, A finds the lock B's and waits as a standby would.
    logged(
        &log_a,
        &["waiting for the writer lock", "backend pid"],
        Duration::from_secs(60),
    )
    .await;
    outage::recovering(&http, &root_a, Duration::from_secs(5)).await;
    move_to(&mut community, &root_b).await;
    let resent = community.settle(&mut attempts).await;
    assert!(resent > 0);
    a.assert_running();
    b.assert_running();
    journaled_once(&cluster.url(), &attempts).await;
}

/// A writer alone, cut off from PostgreSQL for a while, stops acknowledging during the cut and
/// serves again by itself once the partition heals (it ends its own old sessions after the
/// lease if they are still there); nothing acknowledged is lost and nothing is journaled twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_writer_cut_off_from_its_database_resumes_when_the_partition_heals() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let (link, via) = link_to(&cluster).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("a.log");
    let port = outage::free_port();
    let root = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut a = standby_hub(&via, &dir.path().join("data"), port, &log);
    outage::ready(&http, &root, Duration::from_secs(60)).await;
    let community = Community::set_up(&root).await;
    let load = community.load();
    load.acknowledged(20).await;

    link.cut();
    let late = pay_unanswerable(&community);
    outage::recovering(&http, &root, Duration::from_secs(60)).await;
    let sent_in_cut = not_acknowledged(late).await;
    link.heal();
    let healed = Instant::now();
    outage::ready(&http, &root, Duration::from_secs(60)).await;
    println!("healed to ready: {:?}", healed.elapsed());
    load.acknowledged(20).await;
    let mut attempts = load.finish().await;
    attempts.extend(sent_in_cut);
    // Sessions outlive the resume: the clients go on as they were.
    let resent = community.settle(&mut attempts).await;
    assert!(resent > 0);
    a.assert_running();
    journaled_once(&cluster.url(), &attempts).await;
}
