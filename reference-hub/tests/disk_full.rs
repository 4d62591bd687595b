//! A full disk under load, as a real process: a `geo-hub` on SQLite whose writes start failing
//! while payers keep payments in flight, then succeed again. The disk is made full with the file
//! size limit (`RLIMIT_FSIZE`, set on the running hub with `prlimit`: no mount or privilege
//! needed), below which no database file may grow, so every commit fails (`EFBIG`, as a full disk
//! fails with `ENOSPC`; `SIGXFSZ` is ignored, as a real full disk sends none). Meanwhile nothing is
//! acknowledged and payments are refused `503 E_UNAVAILABLE` with `Retry-After`; when space returns
//! the hub serves again without being restarted, nothing acknowledged is lost and every resend of
//! a payment's signed bytes gets the stored result.
//!
//! The same on PostgreSQL, with a real full disk: the test's cluster lives alone on a small tmpfs
//! (mounted for it: the test needs root, as CI has) that the test fills with a file, so the server's
//! writes fail with `ENOSPC` (`53100 disk_full`; a failed write-ahead log write makes it PANIC and
//! stop). Writes that find room in pages already allocated may still commit, so here the test
//! asserts what holds on any full disk: payments are refused `503 E_UNAVAILABLE`, again and again,
//! the hub process stays up, serves again once the file is removed (the server started again if it
//! stopped), and nothing it acknowledged is lost. A third test makes PostgreSQL itself crash on a
//! full disk: its write-ahead log alone on a small tmpfs, in 1 MiB segments, so the server PANICs
//! at its next segment. `GEO_DISK_FULL_CYCLES` (default 1) sets the cycles of all three tests.

mod support;

use std::time::Duration;

use support::outage::{self, Community, PgHub};

/// Sets the soft file size limit of the running process `pid` (`None`: unlimited).
fn limit_file_size(pid: u32, bytes: Option<u64>) {
    let soft = bytes.map_or("unlimited".to_owned(), |b| b.to_string());
    let out = std::process::Command::new("prlimit")
        .args([
            "--pid",
            &pid.to_string(),
            &format!("--fsize={soft}:unlimited"),
        ])
        .output()
        .expect("prlimit (util-linux) is installed");
    assert!(
        out.status.success(),
        "prlimit: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How many full disks each test goes through (`GEO_DISK_FULL_CYCLES`, default 1).
fn cycles() -> usize {
    std::env::var("GEO_DISK_FULL_CYCLES")
        .ok()
        .map(|v| v.parse().expect("GEO_DISK_FULL_CYCLES is a number"))
        .unwrap_or(1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_disk_refuses_payments_loses_nothing_and_the_hub_resumes_when_space_returns() {
    let dir = tempfile::tempdir().unwrap();
    let port = outage::free_port();
    let root = format!("http://127.0.0.1:{port}");
    let mut command = std::process::Command::new("sh");
    command
        .args(["-c", "trap '' XFSZ; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_geo-hub"))
        .args(outage::hub_args(dir.path(), port));
    let mut hub = outage::spawn(command);
    let pid = hub.0.id();
    let http = reqwest::Client::new();
    outage::ready(&http, &root, Duration::from_secs(30)).await;
    let community = Community::set_up(&root).await;

    let cycles = cycles();
    let mut attempts = Vec::new();
    let mut back = Vec::new();
    for _ in 0..cycles {
        let load = community.load();
        load.acknowledged(1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        // The disk is full: no database page can be written past the first 4 KiB of any file.
        limit_file_size(pid, Some(4096));
        load.next_refusal(Duration::from_secs(15)).await;
        // While it is full nothing is acknowledged; payments are refused, again and again.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let committed = load.committed();
        load.next_refusal(Duration::from_secs(15)).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        load.next_refusal(Duration::from_secs(15)).await;
        assert_eq!(
            load.committed(),
            committed,
            "nothing is acknowledged while the disk is full"
        );
        hub.assert_running();

        limit_file_size(pid, None);
        let freed = std::time::Instant::now();
        let committed = load.committed();
        while load.committed() == committed {
            assert!(
                freed.elapsed() < Duration::from_secs(30),
                "payments flow again once space returns"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        back.push(freed.elapsed());
        hub.assert_running();
        attempts.extend(load.finish().await);
    }
    let resent = community.settle(&mut attempts).await;
    println!(
        "{cycles} full disks, {} payments ({resent} acknowledged ones resent); space back to the next commit: {back:?}",
        attempts.len()
    );
    assert!(resent > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_disk_under_postgresql_refuses_payments_loses_nothing_and_the_hub_resumes() {
    let cluster = geo_testkit::Cluster::start_on_own_disk(256 << 20)
        .expect("a PostgreSQL cluster on a disk of its own (a tmpfs: run as root)");
    let PgHub {
        dir: _dir,
        process: mut hub,
        community,
        ..
    } = PgHub::start(&cluster.url()).await;

    let cycles = cycles();
    let mut attempts = Vec::new();
    let (mut back, mut restarted) = (Vec::new(), 0);
    for _ in 0..cycles {
        let load = community.load();
        load.acknowledged(1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        // The disk is full: payments are refused, again and again; the hub stays up.
        cluster.fill_disk().unwrap();
        load.next_refusal(Duration::from_secs(15)).await;
        load.next_refusal(Duration::from_secs(30)).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        load.next_refusal(Duration::from_secs(30)).await;
        hub.assert_running();

        // Space returns; a server that stopped meanwhile is started again.
        cluster.free_disk().unwrap();
        let freed = std::time::Instant::now();
        let committed = load.committed();
        while load.committed() == committed {
            assert!(
                freed.elapsed() < Duration::from_secs(30),
                "payments flow again once space returns"
            );
            if !cluster.is_running() {
                cluster.resume().unwrap();
                restarted += 1;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        back.push(freed.elapsed());
        hub.assert_running();
        attempts.extend(load.finish().await);
    }
    let resent = community.settle(&mut attempts).await;
    println!(
        "{cycles} full disks under PostgreSQL ({restarted} server restarts), {} payments ({resent} acknowledged ones resent); space back to the next commit: {back:?}",
        attempts.len()
    );
    assert!(resent > 0);
    hub.assert_running();
}

/// PostgreSQL's own crash on a full disk: its write-ahead log alone on a small tmpfs, in 1 MiB
/// segments, filled under load. The server cannot create its next log segment and PANICs (every
/// connection is cut; its crash recovery then fails too while the disk is full, and the server
/// stops). The hub process stays up answering `503`, serves again once space returns and the server
/// is started, and loses nothing it acknowledged.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgresql_panicking_on_a_full_log_disk_loses_nothing_and_the_hub_resumes() {
    let cluster = geo_testkit::Cluster::start_with_wal_on_own_disk(64 << 20)
        .expect("a PostgreSQL cluster whose log is on a disk of its own (a tmpfs: run as root)");
    let PgHub {
        dir: _dir,
        process: mut hub,
        community,
        ..
    } = PgHub::start(&cluster.url()).await;

    let cycles = cycles();
    let mut attempts = Vec::new();
    let mut back = Vec::new();
    for _ in 0..cycles {
        let load = community.load();
        load.acknowledged(1).await;
        let panics = cluster.log().matches("PANIC").count();
        cluster.fill_disk().unwrap();
        // The log cannot grow: the server PANICs at its next segment.
        let full = std::time::Instant::now();
        while cluster.log().matches("PANIC").count() == panics {
            assert!(
                full.elapsed() < Duration::from_secs(60),
                "PostgreSQL PANICs when its log cannot grow: {}",
                cluster.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        load.next_refusal(Duration::from_secs(30)).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        load.next_refusal(Duration::from_secs(30)).await;
        hub.assert_running();

        cluster.free_disk().unwrap();
        let freed = std::time::Instant::now();
        let committed = load.committed();
        while load.committed() == committed {
            assert!(
                freed.elapsed() < Duration::from_secs(60),
                "payments flow again once space returns"
            );
            if !cluster.is_running() {
                cluster.resume().unwrap();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        back.push(freed.elapsed());
        hub.assert_running();
        attempts.extend(load.finish().await);
    }
    let resent = community.settle(&mut attempts).await;
    println!(
        "{cycles} PostgreSQL PANICs on a full log disk, {} payments ({resent} acknowledged ones resent); space back to the next commit: {back:?}",
        attempts.len()
    );
    assert!(resent > 0);
    hub.assert_running();
}
