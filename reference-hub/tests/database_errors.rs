//! What a hub does with each kind of database error ([`FailureKind`]), provoked on a real server.
//!
//! The classification is checked against errors a real PostgreSQL server and a real SQLite file
//! return: a statement timeout, a read-only transaction, a missing table, a duplicate key, a closed
//! port, a file that is not a database, a SQLite file that may not grow, and PostgreSQL's own `RAISE … USING ERRCODE` for the codes
//! that cannot be provoked on demand (`XX000` internal error, `XX001`/`XX002` corruption, `53100`
//! disk full, `58030` I/O error). Then two real `geo-hub` processes under load meet such errors from
//! their database, raised by triggers on the tables the hub writes: an internal error (`XX000`,
//! which is how PostgreSQL reports an operating system failure it has no code for, e.g. `EFBIG`), a
//! full disk (`53100`) and a refusal (`42501`) are waited out in outage mode, in the same process,
//! even when they recur while the hub recovers; data reported damaged (`XX001`, or a journal page
//! overwritten on disk) stops the hub with exit code 1 and a log line that says so; every
//! connection of the hub cut by the server (`57P01`), three times under load, is waited out. None
//! loses anything acknowledged.

mod support;

use std::time::{Duration, Instant};

use reference_hub::storage::{FailureKind, StorageError};
use sqlx::Connection;
use support::outage::{self, Community, PgHub};

async fn kind_of(conn: &mut sqlx::PgConnection, sql: &str) -> FailureKind {
    let e = sqlx::raw_sql(sql).execute(&mut *conn).await.expect_err(sql);
    StorageError::Database(e).kind()
}

fn raise(code: &str) -> String {
    format!("DO $$ BEGIN RAISE EXCEPTION 'provoked {code}' USING ERRCODE = '{code}'; END $$")
}

#[tokio::test]
async fn database_errors_are_classified_by_what_waiting_can_cure() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let mut conn = sqlx::PgConnection::connect(&cluster.url()).await.unwrap();
    use FailureKind::*;
    // Provoked for real. A setting applies from the next statement on: each is its own call.
    let set = |sql: &'static str| sqlx::raw_sql(sql);
    set("SET statement_timeout = 10")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(kind_of(&mut conn, "SELECT pg_sleep(1)").await, Unavailable);
    set("SET statement_timeout = 0")
        .execute(&mut conn)
        .await
        .unwrap();
    set("SET default_transaction_read_only = on")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        kind_of(&mut conn, "CREATE TABLE t (x int)").await,
        Unavailable,
        "a read-only server (a replica, or one in recovery)"
    );
    set("SET default_transaction_read_only = off")
        .execute(&mut conn)
        .await
        .unwrap();
    for (sql, kind) in [
        ("SELECT * FROM no_such_table", Refused),
        (
            "CREATE TABLE u (x int PRIMARY KEY); INSERT INTO u VALUES (1), (1)",
            Refused,
        ),
        ("SELECT 1 / 0", Refused),
    ] {
        assert_eq!(kind_of(&mut conn, sql).await, kind, "{sql}");
    }
    // Raised by the server with the code itself: codes no statement provokes on demand.
    for (code, kind) in [
        ("XX000", Unavailable),
        ("XX001", Corruption),
        ("XX002", Corruption),
        ("53100", DiskFull),
        ("53200", Unavailable),
        ("58030", Unavailable),
        ("57P01", Unavailable),
        ("40001", Unavailable),
        ("40P01", Unavailable),
        ("42501", Refused),
        ("23505", Refused),
    ] {
        assert_eq!(kind_of(&mut conn, &raise(code)).await, kind, "{code}");
    }
    conn.close().await.unwrap();
    // A server that is gone.
    cluster.crash().unwrap();
    let gone = sqlx::PgConnection::connect(&cluster.url())
        .await
        .expect_err("the server is stopped");
    assert_eq!(StorageError::Database(gone).kind(), Unavailable);

    // SQLite: a file that is not a database is damaged data, on both drivers the hub uses.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.db");
    std::fs::write(&file, vec![0x5a; 8192]).unwrap();
    let e = rusqlite::Connection::open(&file)
        .and_then(|c| {
            c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .expect_err("not a database");
    assert_eq!(StorageError::Sqlite(e).kind(), Corruption);
    // sqlx may meet it when it sets its pragmas on connecting, or at the first query.
    let e = match sqlx::SqliteConnection::connect(&format!("sqlite:{}", file.display())).await {
        Err(e) => e,
        Ok(mut c) => sqlx::query("SELECT count(*) FROM sqlite_master")
            .fetch_one(&mut c)
            .await
            .map(|_| ())
            .expect_err("not a database"),
    };
    assert_eq!(StorageError::Database(e).kind(), Corruption);

    // SQLite: a database that may not grow (`max_page_count`) fails as a full disk does
    // (`SQLITE_FULL`), on both drivers; a constraint is a refusal.
    let full = dir.path().join("full.db");
    let c = rusqlite::Connection::open(&full).unwrap();
    c.execute_batch("CREATE TABLE t (x BLOB UNIQUE); PRAGMA max_page_count = 8;")
        .unwrap();
    let e = c
        .execute("INSERT INTO t VALUES (zeroblob(1000000))", [])
        .expect_err("the database is full");
    assert_eq!(StorageError::Sqlite(e).kind(), DiskFull);
    c.execute("INSERT INTO t VALUES (x'01')", []).unwrap();
    let e = c
        .execute("INSERT INTO t VALUES (x'01')", [])
        .expect_err("a unique constraint");
    assert_eq!(StorageError::Sqlite(e).kind(), Refused);
    drop(c);
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", full.display()))
        .await
        .unwrap();
    let e = sqlx::raw_sql("PRAGMA max_page_count = 8; INSERT INTO t VALUES (zeroblob(1000000))")
        .execute(&mut c)
        .await
        .expect_err("the database is full");
    assert_eq!(StorageError::Database(e).kind(), DiskFull);
}

#[test]
fn failure_kinds_have_stable_distinct_codes() {
    use FailureKind::*;
    let codes = [Unavailable, DiskFull, Corruption, Refused].map(FailureKind::code);
    assert_eq!(
        codes,
        [
            "database_unavailable",
            "database_disk_full",
            "database_corrupt",
            "database_refused"
        ]
    );
    assert_eq!(
        [Unavailable, DiskFull, Corruption, Refused].map(FailureKind::is_transient),
        [true, true, false, false]
    );
}

/// Makes every `INSERT` into `table` fail with SQLSTATE `code` (a statement trigger).
async fn fail_inserts(db: &sqlx::PgPool, table: &str, code: &str) {
    sqlx::raw_sql(&format!(
        "CREATE OR REPLACE FUNCTION geo_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN RAISE EXCEPTION 'provoked failure %', TG_ARGV[0] USING ERRCODE = TG_ARGV[0]; END $$; \
         CREATE TRIGGER geo_test_fail_{table} BEFORE INSERT ON {table} \
         FOR EACH STATEMENT EXECUTE FUNCTION geo_test_fail('{code}');"
    ))
    .execute(db)
    .await
    .unwrap();
}

async fn heal(db: &sqlx::PgPool, tables: &[&str]) {
    for table in tables {
        sqlx::raw_sql(&format!("DROP TRIGGER geo_test_fail_{table} ON {table}"))
            .execute(db)
            .await
            .unwrap();
    }
}

/// One hub under load meets, in turn, an internal error (`XX000`), a full disk (`53100`) and a
/// refusal an operator must fix (`42501`, a permission) from its database: each is waited out in
/// outage mode (`503 E_UNAVAILABLE`), in the same process, even when it recurs while the hub
/// recovers, and logged with its kind's stable code; the hub serves again once the cause is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn database_errors_short_of_damage_are_waited_out_and_the_hub_resumes_in_process() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let PgHub {
        dir: _dir,
        log,
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

    let load = community.load();
    for (code, kind) in [
        ("XX000", FailureKind::Unavailable),
        ("53100", FailureKind::DiskFull),
        ("42501", FailureKind::Refused),
    ] {
        load.acknowledged(5).await;
        // Projections fail first (acknowledgements go on: the outbox keeps them), then the
        // journal: the writer stops, and the recovering hub meets the error again when it applies
        // the outbox.
        fail_inserts(&db, "payments", code).await;
        load.acknowledged(5).await;
        fail_inserts(&db, "journal", code).await;
        let failed = Instant::now();
        load.next_refusal(Duration::from_secs(15)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let committed = load.committed();
        load.next_refusal(Duration::from_secs(15)).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        load.next_refusal(Duration::from_secs(15)).await;
        assert_eq!(
            load.committed(),
            committed,
            "{code}: nothing is acknowledged while the journal cannot be written"
        );
        outage::recovering(&http, &root, Duration::from_secs(15)).await;
        hub.assert_running();
        let logged = std::fs::read_to_string(&log).unwrap();
        let waiting = logged
            .lines()
            .filter(|l| {
                l.contains("still waiting") && l.contains(&format!("provoked failure {code}"))
            })
            .collect::<Vec<_>>();
        assert!(
            waiting.iter().any(|l| l.contains(kind.code())),
            "{code}: the recovering hub met the error, waits and logs its kind ({}): {logged}",
            kind.code()
        );
        // Said at once, then after 1, 2, 4, … s (not at every try, 4 a second): at most one line
        // per doubling of the wait so far, plus the first.
        let waited = failed.elapsed().as_secs_f64();
        let bound = (waited + 1.0).log2().floor() as usize + 2;
        assert!(
            waiting.len() <= bound,
            "{code}: {} \"still waiting\" lines in {waited:.1} s (at most {bound}): {waiting:#?}",
            waiting.len()
        );

        heal(&db, &["journal", "payments"]).await;
        let healed = Instant::now();
        outage::ready(&http, &root, Duration::from_secs(30)).await;
        load.acknowledged(5).await;
        hub.assert_running();
        println!(
            "{code}: healed to ready and 5 payments: {:?}",
            healed.elapsed()
        );
    }
    let mut attempts = load.finish().await;
    let resent = community.settle(&mut attempts).await;
    println!(
        "{} payments ({resent} acknowledged ones resent)",
        attempts.len()
    );
    assert!(resent > 0);
    hub.assert_running();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn data_the_database_reports_damaged_stops_the_hub_with_a_clear_log_line() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let PgHub {
        dir,
        data,
        log,
        port,
        root,
        http,
        process: mut hub,
        mut community,
    } = PgHub::start(&cluster.url()).await;
    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(&cluster.url())
        .await
        .unwrap();

    let load = community.load();
    load.acknowledged(10).await;
    fail_inserts(&db, "journal", "XX001").await;
    let status = exit_within(&mut hub, Duration::from_secs(30)).await;
    let mut attempts = load.finish().await;
    assert_eq!(status.code(), Some(1), "exit code 1");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("the database reports damaged data: the hub stops")
            && logged.contains("provoked failure XX001"),
        "the log says why: {logged}"
    );

    // Repaired, the hub starts again with everything it acknowledged.
    heal(&db, &["journal"]).await;
    let hub2 = dir.path().join("hub2.log");
    let _hub = outage::postgres_hub(&cluster.url(), &data, port, &[], &hub2, "warn");
    outage::ready(&http, &root, Duration::from_secs(30)).await;
    // Sessions live in the process: log in again.
    community.sink.login().await;
    for p in &mut community.payers {
        p.login().await;
    }
    let resent = community.settle(&mut attempts).await;
    assert!(resent > 0);
}

/// The journal damaged on disk while PostgreSQL is down (a page of its table overwritten, as a
/// failing disk does): the recovering hub reads it back, finds the damage and stops with exit code
/// 1 and the log line, rather than waiting or serving from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_journal_damaged_on_disk_stops_the_recovering_hub_with_a_clear_log_line() {
    use std::io::{Seek, SeekFrom, Write};
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let PgHub {
        dir: _dir,
        log,
        process: mut hub,
        community,
        ..
    } = PgHub::start(&cluster.url()).await;
    let load = community.load();
    load.acknowledged(10).await;
    load.finish().await;

    // The journal's first page is on disk (a checkpoint), and nothing after it rewrites that page.
    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&cluster.url())
        .await
        .unwrap();
    sqlx::query("CHECKPOINT").execute(&db).await.unwrap();
    let file: String = sqlx::query_scalar(
        "SELECT current_setting('data_directory') || '/' || pg_relation_filepath('journal')",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    db.close().await;
    cluster.crash().unwrap();
    // The first row sits at the end of the page; its last column is its hash, in hex.
    let mut f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    f.seek(SeekFrom::Start(8192 - 40)).unwrap();
    f.write_all(b"zzzzzzzzzzzzzzzz").unwrap();
    f.sync_all().unwrap();
    drop(f);
    cluster.resume().unwrap();

    let status = exit_within(&mut hub, Duration::from_secs(60)).await;
    assert_eq!(status.code(), Some(1), "exit code 1");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("the database reports damaged data: the hub stops"),
        "the log says why: {logged}"
    );
}

/// Every connection of the hub cut by the server under load (`pg_terminate_backend`: SQLSTATE
/// `57P01`, as an administrator, a connection pooler or a failover does), three times, some of them
/// in the middle of a commit whose outcome the hub then cannot know: each time the hub notices
/// (its writer lock's connection is among them), answers `503` meanwhile, and serves again in the
/// same process; nothing acknowledged is lost, nothing applied twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn connections_cut_by_the_server_under_load_are_waited_out() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let PgHub {
        dir: _dir,
        log,
        root,
        http,
        process: mut hub,
        community,
        ..
    } = PgHub::start(&cluster.url()).await;
    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&cluster.url())
        .await
        .unwrap();
    let failures = || {
        std::fs::read_to_string(&log)
            .unwrap()
            .matches("storage failed: the hub answers 503")
            .count()
    };

    let load = community.load();
    for cut in 1..=3 {
        load.acknowledged(10).await;
        let before = failures();
        let cut_now: Vec<bool> = sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        assert!(cut_now.len() >= 2, "the hub's connections were cut");
        let started = Instant::now();
        while failures() == before {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "the hub notices its writer lock's connection was cut ({cut})"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        outage::ready(&http, &root, Duration::from_secs(30)).await;
        hub.assert_running();
    }
    load.acknowledged(10).await;
    let mut attempts = load.finish().await;
    let resent = community.settle(&mut attempts).await;
    println!(
        "3 cuts, {} payments ({resent} acknowledged ones resent)",
        attempts.len()
    );
    assert!(resent > 0);
    hub.assert_running();
}

/// A SQLite database file damaged while the hub was down (its header overwritten, as a failing
/// disk or a stray write does): the hub refuses to start, exit code 1, and its log names the kind
/// (`database_corrupt`) rather than waiting or serving from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_damaged_sqlite_file_stops_the_start_with_its_kind_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = outage::free_port();
    let root = format!("http://127.0.0.1:{port}");
    let mut hub = outage::spawn_logged(
        outage::hub_command(&data, port),
        &dir.path().join("hub.log"),
        "warn",
    );
    let http = reqwest::Client::new();
    outage::ready(&http, &root, Duration::from_secs(30)).await;
    Community::set_up(&root).await;
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &hub.0.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert_eq!(
        exit_within(&mut hub, Duration::from_secs(30)).await.code(),
        Some(0)
    );
    // Fold the write-ahead log into the file (else its copy of the first page covers the damage).
    rusqlite::Connection::open(data.join("hub.db"))
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    let wal = std::fs::metadata(data.join("hub.db-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "the write-ahead log was folded into the file");

    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(data.join("hub.db"))
        .unwrap();
    f.write_all(&[0x5a; 100]).unwrap();
    f.sync_all().unwrap();
    drop(f);

    let log = dir.path().join("hub2.log");
    let mut hub = outage::spawn_logged(outage::hub_command(&data, port), &log, "warn");
    let status = exit_within(&mut hub, Duration::from_secs(30)).await;
    assert_eq!(status.code(), Some(1), "exit code 1");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("cannot start") && logged.contains("database_corrupt"),
        "the log says why: {logged}"
    );
}

/// The database file moved away under a running SQLite hub (an operator's `mv`; `rm` or a backup
/// restored over it are the same to the hub): SQLite would go on writing into the moved file, which
/// the next start does not read. The hub stops at its next commit, before answering it: exit code
/// 1, the kind and the path in its log. With the file back, every payment is resent byte for byte:
/// each acknowledged one is there and every other is applied once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_file_moved_away_under_a_running_hub_stops_it_before_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = outage::free_port();
    let root = format!("http://127.0.0.1:{port}");
    let log = dir.path().join("hub.log");
    let mut hub = outage::spawn_logged(outage::hub_command(&data, port), &log, "warn");
    let http = reqwest::Client::new();
    outage::ready(&http, &root, Duration::from_secs(30)).await;
    let mut community = Community::set_up(&root).await;
    let load = community.load();
    load.acknowledged(20).await;

    let (db, moved) = (data.join("hub.db"), dir.path().join("hub.db.moved"));
    std::fs::rename(&db, &moved).unwrap();
    let status = exit_within(&mut hub, Duration::from_secs(30)).await;
    let mut attempts = load.finish().await;
    assert_eq!(status.code(), Some(1), "exit code 1");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("database_corrupt") && logged.contains("removed or replaced"),
        "the log says why: {logged}"
    );

    std::fs::rename(&moved, &db).unwrap();
    let hub2 = dir.path().join("hub2.log");
    let _hub = outage::spawn_logged(outage::hub_command(&data, port), &hub2, "warn");
    outage::ready(&http, &root, Duration::from_secs(30)).await;
    // Sessions live in the process: log in again.
    community.sink.login().await;
    for p in &mut community.payers {
        p.login().await;
    }
    let acknowledged = attempts.iter().filter(|a| a.acknowledged).count();
    assert!(acknowledged >= 20, "{acknowledged} acknowledged");
    community.settle(&mut attempts).await;
}

/// Waits for the hub process to exit; its status.
async fn exit_within(hub: &mut outage::HubProcess, within: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = hub.0.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < within,
            "the hub exits within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A writer killed with a journal commit in flight: the server may still commit it after the killed
/// writer's lock is gone. The next writer waits for that transaction before it reads the outbox
/// and the journal (else a payment in it would be known to the ledger but not to the idempotency
/// lookup, and a resend applied twice). Here the in-flight writer is a transaction of the test's
/// holding the journal as a writer does: the hub is not ready while it is open, and is once it ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_writer_waits_for_a_killed_writers_commit_in_flight() {
    let cluster = geo_testkit::Cluster::start().expect("a PostgreSQL cluster of the test's own");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = outage::free_port();
    let root = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    // A first hub makes the schema.
    let hub1 = dir.path().join("hub.log");
    let mut hub = outage::postgres_hub(&cluster.url(), &data, port, &[], &hub1, "warn");
    outage::ready(&http, &root, Duration::from_secs(30)).await;
    hub.0.kill().unwrap();
    hub.0.wait().unwrap();

    let db = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(&cluster.url())
        .await
        .unwrap();
    let mut in_flight = db.begin().await.unwrap();
    sqlx::query("LOCK TABLE journal IN ROW EXCLUSIVE MODE")
        .execute(&mut *in_flight)
        .await
        .unwrap();
    let hub2 = dir.path().join("hub2.log");
    let mut hub = outage::postgres_hub(&cluster.url(), &data, port, &[], &hub2, "warn");
    // The hub waits on the journal (seen by the server), and does not serve meanwhile.
    let started = Instant::now();
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_locks WHERE relation = 'journal'::regclass AND NOT granted",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        hub.assert_running();
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the new writer waits for the transaction in flight"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        http.get(format!("{root}/readyz")).send().await.is_err(),
        "not serving while a commit may land"
    );
    in_flight.commit().await.unwrap();
    outage::ready(&http, &root, Duration::from_secs(30)).await;
    hub.assert_running();
}
