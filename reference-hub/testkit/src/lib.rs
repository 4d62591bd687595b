//! Test support shared by the hub's, the SDK's and the conformance suite's black-box tests: a real
//! PostgreSQL server for the test process, and a fresh database on it per test.
//!
//! The server is `GEO_TEST_DATABASE_URL` when set (its user must be allowed to create databases);
//! otherwise a throwaway cluster made with `initdb` on a free loopback port, started once per test
//! process and stopped by a watchdog when the process exits, however it exits.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Which storage backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default.
    Sqlite,
    /// A real PostgreSQL server.
    Postgres,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// `initdb` and `postgres` refuse to run as root: use the `postgres` account when we are root.
fn as_postgres(args: &[&str]) -> Command {
    let mut c = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).args(args);
        c
    } else {
        let mut c = Command::new(args[0]);
        c.args(&args[1..]);
        c
    };
    c.env("LC_ALL", "C");
    c
}

/// A throwaway PostgreSQL cluster (`initdb` in a temporary folder, on a free loopback port) that
/// its owner may crash and start again; removed when dropped, and stopped by a watchdog when the
/// test process ends, however it ends.
#[derive(Debug)]
pub struct Cluster {
    dir: std::path::PathBuf,
    data: String,
    log: String,
    opts: String,
    port: u16,
    /// The mount point of the file system of the cluster's own, if it has one.
    own_disk: Option<std::path::PathBuf>,
}

/// What lives on a cluster's file system of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OwnDisk {
    /// All its files.
    All,
    /// Its write-ahead log alone (`initdb --waldir`), in 1 MiB segments.
    WriteAheadLog,
}

impl Cluster {
    /// Makes a cluster and starts it.
    pub fn start() -> Result<Cluster, String> {
        Cluster::make(None)
    }

    /// Makes a cluster whose files are alone on a file system of `bytes` (a tmpfs mounted for it:
    /// needs root), so that a test can fill it ([`Cluster::fill_disk`]) as a full disk; and starts it.
    pub fn start_on_own_disk(bytes: u64) -> Result<Cluster, String> {
        Cluster::make(Some((bytes, OwnDisk::All)))
    }

    /// Makes a cluster whose write-ahead log alone is on a file system of `bytes` (a tmpfs mounted
    /// for it: needs root), in 1 MiB segments, so that filling it ([`Cluster::fill_disk`]) makes
    /// the server PANIC at its next segment, as PostgreSQL does when its log cannot grow; and starts it.
    pub fn start_with_wal_on_own_disk(bytes: u64) -> Result<Cluster, String> {
        Cluster::make(Some((bytes, OwnDisk::WriteAheadLog)))
    }

    fn make(own_disk: Option<(u64, OwnDisk)>) -> Result<Cluster, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let dir = std::env::temp_dir().join(format!("geo-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let mount = own_disk.map(|(_, what)| match what {
            OwnDisk::All => dir.clone(),
            OwnDisk::WriteAheadLog => dir.join("wal"),
        });
        if let (Some((bytes, _)), Some(mount)) = (own_disk, &mount) {
            std::fs::create_dir_all(mount).map_err(|e| e.to_string())?;
            let out = Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
                .arg(mount)
                .output()
                .map_err(|e| format!("mount: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "mount a tmpfs (a disk of the cluster's own needs root): {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        if is_root() {
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .map_err(|e| e.to_string())?;
        }
        let utf8 = |p: std::path::PathBuf| {
            p.to_str()
                .map(str::to_owned)
                .ok_or("a UTF-8 temp path".to_owned())
        };
        let cluster = Cluster {
            data: utf8(dir.join("data"))?,
            log: utf8(dir.join("pg.log"))?,
            opts: format!(
                "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={} -c max_connections=200 -c fsync=on",
                dir.display()
            ),
            dir,
            port,
            own_disk: mount,
        };
        let mut initdb = vec![
            "initdb",
            "-D",
            &cluster.data,
            "--auth=trust",
            "-U",
            "postgres",
            "--no-sync",
        ];
        let waldir = match own_disk {
            Some((_, OwnDisk::WriteAheadLog)) => {
                Some(utf8(cluster.dir.join("wal").join("pg_wal"))?)
            }
            _ => None,
        };
        if let Some(waldir) = &waldir {
            initdb.extend(["--waldir", waldir, "--wal-segsize", "1"]);
        }
        let out = as_postgres(&initdb)
            .output()
            .map_err(|e| format!("initdb: {e} (is PostgreSQL installed and on PATH?)"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        // Stop the server when this test process ends, however it ends.
        let stop = format!(
            "while kill -0 {} 2>/dev/null; do sleep 0.5; done; {} pg_ctl -D {} -m immediate stop >/dev/null 2>&1; {} rm -rf {}",
            std::process::id(),
            if is_root() { "runuser -u postgres --" } else { "" },
            cluster.data,
            match &cluster.own_disk { Some(mount) => format!("umount {};", mount.display()), None => String::new() },
            cluster.dir.display()
        );
        Command::new("sh")
            .args(["-c", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        cluster.resume()?;
        Ok(cluster)
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server (again) and waits until it accepts connections.
    pub fn resume(&self) -> Result<(), String> {
        self.pg_ctl(&["-l", &self.log, "-o", &self.opts, "-w", "start"])
    }

    /// Stops the server as a crash does (`pg_ctl stop -m immediate`: every server process quits at
    /// once, without a checkpoint; the next start recovers from the write-ahead log).
    pub fn crash(&self) -> Result<(), String> {
        self.pg_ctl(&["-m", "immediate", "-w", "stop"])
    }

    /// True while the server runs (`pg_ctl status`).
    pub fn is_running(&self) -> bool {
        self.pg_ctl(&["status"]).is_ok()
    }

    /// Fills the file system of a cluster made with [`Cluster::start_on_own_disk`]: from now on
    /// every write that needs a new block fails with `ENOSPC`, as on a full disk.
    pub fn fill_disk(&self) -> Result<(), String> {
        use std::io::Write;
        let Some(mount) = &self.own_disk else {
            return Err("the cluster has no disk of its own".into());
        };
        let mut filler = std::fs::File::create(mount.join("filler")).map_err(|e| e.to_string())?;
        for chunk in [1 << 20, 4096] {
            let zeros = vec![0u8; chunk];
            while filler.write_all(&zeros).is_ok() {}
        }
        // What the page cache held is now accounted for too.
        let _ = filler.sync_all();
        Ok(())
    }

    /// Frees what [`Cluster::fill_disk`] took.
    pub fn free_disk(&self) -> Result<(), String> {
        let mount = self
            .own_disk
            .as_ref()
            .ok_or("the cluster has no disk of its own")?;
        std::fs::remove_file(mount.join("filler")).map_err(|e| e.to_string())
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let mut all = vec!["pg_ctl", "-D", &self.data];
        all.extend_from_slice(args);
        let out = as_postgres(&all)
            .output()
            .map_err(|e| format!("pg_ctl: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "pg_ctl {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.crash();
        if let Some(mount) = &self.own_disk {
            let _ = Command::new("umount").arg(mount).status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start_cluster() -> Result<String, String> {
    let cluster = Cluster::start()?;
    let url = cluster.url();
    // The shared server lives as long as the test process; its watchdog stops it.
    std::mem::forget(cluster);
    Ok(url)
}

/// The URL of this test process's PostgreSQL server (started on first use).
pub fn postgres_server() -> Result<&'static str, String> {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    SERVER
        .get_or_init(|| match std::env::var("GEO_TEST_DATABASE_URL") {
            Ok(url) => Ok(url),
            Err(_) => start_cluster(),
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// A fresh, empty database on the test server; its name starts with `prefix`.
///
/// Panics when there is no server: a test that needs PostgreSQL cannot run without one.
pub async fn fresh_postgres_url(prefix: &str) -> String {
    use sqlx::Connection;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = postgres_server().unwrap_or_else(|e| panic!("no PostgreSQL for the tests: {e}"));
    let name = format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .expect("connect to the test server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (server, _) = base.rsplit_once('/').expect("the URL names a database");
    format!("{server}/{name}")
}
