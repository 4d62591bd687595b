//! `geo-hub check` only reads: run as a user who may only read a hub's SQLite data folder (an
//! auditor's account, a backup host's), it verifies the journal and changes no byte there, creates
//! nothing and applies nothing. The hub itself, started there as that user, stops at once with a
//! typed refusal (`database_refused`, the path, what to do) and exit code 1, not a panic.
//!
//! Root ignores file modes, so when the test runs as root the hub runs as `nobody` (uid and gid
//! 65534, through `setpriv`); otherwise as the test's own user, from whom the write permission on
//! the folder is taken. Nothing is skipped either way.

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{Backend, TestHub};

/// The user an unprivileged hub runs as when the test is root.
const NOBODY: &str = "65534";

fn is_root() -> bool {
    std::fs::metadata("/proc/self").unwrap().uid() == 0
}

/// Runs `geo-hub` with `args` as a user who may not write the test's folders: `nobody` when the
/// test is root, else the test's own user.
fn unprivileged(args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_geo-hub");
    let mut _copy = None;
    let mut command = if is_root() {
        let (dir, copy) = reachable_by_nobody(Path::new(bin));
        let mut c = Command::new("setpriv");
        c.arg(format!("--reuid={NOBODY}"))
            .arg(format!("--regid={NOBODY}"))
            .arg("--clear-groups")
            .arg(&copy);
        _copy = Some(dir);
        c
    } else {
        Command::new(bin)
    };
    command
        .args(args)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .output()
        .expect("run geo-hub")
}

/// A copy of the binary `bin` that `nobody` may run, in a folder of its own that goes when the
/// copy is dropped: the build's own may lie below a folder only root may enter (a checkout in
/// root's home).
fn reachable_by_nobody(bin: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let copy = dir.path().join("geo-hub");
    std::fs::copy(bin, &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    (dir, copy)
}

/// What a file is, for "not a byte changed": mode, owner, length, modification time, contents.
type Contents = BTreeMap<PathBuf, (u32, u32, u64, i64, i64, Vec<u8>)>;

/// Every file and folder below `dir`, with what it is.
fn contents(dir: &Path) -> Contents {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let m = std::fs::symlink_metadata(&path).unwrap();
            let bytes = if m.is_dir() {
                todo.push(path.clone());
                Vec::new()
            } else {
                std::fs::read(&path).unwrap()
            };
            let seen = (m.mode(), m.uid(), m.len(), m.mtime(), m.mtime_nsec(), bytes);
            out.insert(path, seen);
        }
    }
    out
}

/// Sets the mode of `dir` and everything below it: `folders` on folders, `files` on files.
fn set_modes(dir: &Path, folders: u32, files: u32) {
    for (path, _) in contents(dir) {
        let mode = if path.is_dir() { folders } else { files };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(folders)).unwrap();
}

/// A folder anyone may read and no one but root may write, until dropped (then writable again, so
/// that it can be removed).
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn make(dir: &Path) -> ReadOnly {
        set_modes(dir, 0o555, 0o444);
        ReadOnly(dir.to_path_buf())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        set_modes(&self.0, 0o755, 0o644);
    }
}

/// A stopped SQLite hub's folder with a few payments in its journal; the hub, to keep the folder.
async fn stopped_hub() -> TestHub {
    let mut hub = TestHub::start(Backend::Sqlite).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    assert_eq!(b.trust(&a, "100").await.0, 200);
    for _ in 0..3 {
        assert_eq!(a.pay(&b, "2").await.0, 200);
    }
    hub.hub.take().unwrap().shutdown().await.unwrap();
    // The stopped hub's connections close behind it (the last one folds the write-ahead log into
    // the file): wait until the folder is at rest.
    let dir = hub.settings.data_dir.clone();
    let mut seen = contents(&dir);
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = contents(&dir);
        if now == seen {
            break;
        }
        seen = now;
    }
    hub
}

fn data_dir(hub: &TestHub) -> &str {
    hub.settings.data_dir.to_str().unwrap()
}

/// Runs `check` as the unprivileged user on `dir` (read-only to it) and asserts it verified the
/// journal and left every file as it was.
fn check_changes_no_byte(dir: &Path) {
    let before = contents(dir);
    let out = unprivileged(&["check", "--data-dir", dir.to_str().unwrap()]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "check failed: {stdout}{stderr}");
    assert!(stdout.contains("ok: "), "{stdout}");
    assert!(stdout.contains("ok: 7 journal entries"), "{stdout}");
    let after = contents(dir);
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, seen)| before.get(*p) != Some(*seen))
        .map(|(p, _)| p)
        .chain(before.keys().filter(|p| !after.contains_key(*p)))
        .collect();
    assert!(changed.is_empty(), "check changed {changed:?}");
}

fn has_wal(dir: &Path) -> bool {
    contents(dir)
        .keys()
        .any(|p| p.to_string_lossy().ends_with("-wal"))
}

#[tokio::test]
async fn check_as_a_user_who_may_only_read_the_folder_verifies_and_changes_no_byte() {
    let hub = stopped_hub().await;
    let dir = hub.settings.data_dir.clone();
    // As the stopped hub left it (with or without its write-ahead log; a running hub's is read in
    // the next test).
    {
        let _read_only = ReadOnly::make(&dir);
        check_changes_no_byte(&dir);
    }
    // The log folded into the file and removed (the last connection closed cleanly): SQLite would
    // have to create the index to read, which this user may not.
    rusqlite::Connection::open(dir.join("hub.db"))
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    assert!(!has_wal(&dir), "{:#?}", contents(&dir).keys());
    let _read_only = ReadOnly::make(&dir);
    check_changes_no_byte(&dir);
}

#[tokio::test]
async fn check_as_a_user_who_may_only_read_the_folder_reads_beside_a_running_hub() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    assert_eq!(b.trust(&a, "100").await.0, 200);
    assert_eq!(a.pay(&b, "2").await.0, 200);
    // The running hub (root, or the test's user) writes; the other user may only read its folder,
    // whose write-ahead log and its index exist (SQLite reads them without writing).
    let dir = hub.settings.data_dir.clone();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let files = contents(&dir);
    assert!(
        files.keys().any(|p| p.to_string_lossy().ends_with("-wal")),
        "{files:#?}"
    );
    let _read_only = (!is_root()).then(|| ReadOnly::make(&dir));

    let out = unprivileged(&["check", "--data-dir", data_dir(&hub)]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "check failed: {stdout}{stderr}");
    assert!(stdout.contains("ok: "), "{stdout}");
    drop(_read_only);
    // The running hub is undisturbed.
    assert_eq!(a.pay(&b, "3").await.0, 200);
}

#[tokio::test]
async fn a_hub_started_by_a_user_who_may_only_read_its_folder_stops_with_a_typed_refusal() {
    let hub = stopped_hub().await;
    let dir = hub.settings.data_dir.clone();
    let _read_only = ReadOnly::make(&dir);
    let before = contents(&dir);

    let out = unprivileged(&["--data-dir", data_dir(&hub), "--listen", "127.0.0.1:0"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "exit code 1: {stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "not a panic: {stderr}");
    let line = stdout
        .lines()
        .find(|l| l.contains("cannot start"))
        .unwrap_or_else(|| panic!("the log says it cannot start: {stdout}{stderr}"));
    assert!(line.contains("database_refused"), "{line}");
    assert!(line.contains("permission denied"), "{line}");
    assert!(line.contains(&format!("{}", dir.display())), "{line}");
    assert!(
        line.contains("geo-hub check"),
        "says what still works: {line}"
    );
    let after = contents(&dir);
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, seen)| before.get(*p) != Some(*seen))
        .map(|(p, _)| p)
        .collect();
    assert!(changed.is_empty(), "the refused start changed {changed:?}");
    assert_eq!(after.len(), before.len(), "and created nothing");
}
