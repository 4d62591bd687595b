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
}

impl Cluster {
    /// Makes a cluster and starts it.
    pub fn start() -> Result<Cluster, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let dir = std::env::temp_dir().join(format!("geo-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
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
        };
        let out = as_postgres(&[
            "initdb",
            "-D",
            &cluster.data,
            "--auth=trust",
            "-U",
            "postgres",
            "--no-sync",
        ])
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
            "while kill -0 {} 2>/dev/null; do sleep 0.5; done; {} pg_ctl -D {} -m immediate stop >/dev/null 2>&1; rm -rf {}",
            std::process::id(),
            if is_root() { "runuser -u postgres --" } else { "" },
            cluster.data,
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

    /// The server's processes, the postmaster first (none while it is down): for a test that acts
    /// on them, e.g. limits their file size as a full disk does.
    pub fn processes(&self) -> Vec<u32> {
        let Some(postmaster) = std::fs::read_to_string(format!("{}/postmaster.pid", self.data))
            .ok()
            .and_then(|pid| pid.lines().next()?.trim().parse::<u32>().ok())
            .filter(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists())
        else {
            return Vec::new();
        };
        let mut pids = vec![postmaster];
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
            let parent = std::fs::read_to_string(entry.path().join("stat"))
                .ok()
                .and_then(|stat| {
                    let rest = &stat[stat.rfind(')')? + 1..];
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                });
            if parent == Some(postmaster) {
                pids.push(pid);
            }
        }
        pids
    }

    /// Sets the soft file size limit (`RLIMIT_FSIZE`; `None`: unlimited) of every server process,
    /// the postmaster first, so the processes it starts later inherit it: below it no write lands
    /// (`EFBIG`, as a full disk fails with `ENOSPC`; PostgreSQL ignores `SIGXFSZ`). Runs `prlimit`
    /// as the server's own user (no privilege needed); a process that ended meanwhile is passed
    /// over. Returns how many processes it limited.
    pub fn limit_file_size(&self, bytes: Option<u64>) -> Result<usize, String> {
        let soft = bytes.map_or("unlimited".to_owned(), |b| b.to_string());
        let pids = self.processes();
        for &pid in &pids {
            let out = as_postgres(&[
                "prlimit",
                "--pid",
                &pid.to_string(),
                &format!("--fsize={soft}:unlimited"),
            ])
            .output()
            .map_err(|e| format!("prlimit (util-linux): {e}"))?;
            if !out.status.success() && std::path::Path::new(&format!("/proc/{pid}")).exists() {
                return Err(format!("prlimit: {}", String::from_utf8_lossy(&out.stderr)));
            }
        }
        Ok(pids.len())
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
