//! Starts the reference hub in-process (SQLite, or a throwaway PostgreSQL cluster made with initdb)
//! and runs the suite against it through the library API.
#![allow(dead_code)]

use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use geo_conformance::{embedded_scenarios, run, Level, Outcome, Report, RunConfig};
use reference_hub::app::{self, RunningHub};
use reference_hub::config::Settings;
use reference_hub::faults::Faults;

/// Storage backend of a hub under test.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const ADMIN: &str = "conformance-operator-token";

/// A running hub and its storage, kept alive for the test.
pub struct Hub {
    pub hub: RunningHub,
    _dir: tempfile::TempDir,
}

fn as_postgres(args: &[&str]) -> Command {
    // initdb and postgres refuse to run as root; use the postgres account when we are root.
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

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// `GEO_TEST_DATABASE_URL`, or a cluster on a free loopback port for this test process, stopped by a
/// watchdog when the process exits.
fn postgres_base() -> &'static Result<String, String> {
    static BASE: OnceLock<Result<String, String>> = OnceLock::new();
    BASE.get_or_init(|| {
        if let Ok(url) = std::env::var("GEO_TEST_DATABASE_URL") {
            return Ok(url);
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let dir = std::env::temp_dir().join(format!("geo-conf-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        if is_root() {
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .map_err(|e| e.to_string())?;
        }
        let data = dir.join("data");
        let d = data.to_str().ok_or("path")?;
        let out = as_postgres(&["initdb", "-D", d, "--auth=trust", "-U", "postgres", "--no-sync"])
            .output()
            .map_err(|e| format!("initdb: {e} (is PostgreSQL installed?)"))?;
        if !out.status.success() {
            return Err(format!("initdb: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={} -c max_connections=200",
            dir.display()
        );
        let log = dir.join("pg.log");
        let out = as_postgres(&["pg_ctl", "-D", d, "-l", log.to_str().ok_or("path")?, "-o", &opts, "-w", "start"])
            .output()
            .map_err(|e| format!("pg_ctl: {e}"))?;
        if !out.status.success() {
            return Err(format!("pg_ctl start: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let stop = format!(
            "while kill -0 {} 2>/dev/null; do sleep 0.5; done; {} pg_ctl -D {d} -m immediate stop >/dev/null 2>&1; rm -rf {}",
            std::process::id(),
            if is_root() { "runuser -u postgres --" } else { "" },
            dir.display()
        );
        Command::new("sh")
            .args(["-c", &stop])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
    })
}

async fn fresh_postgres_url() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let base = postgres_base()
        .as_ref()
        .expect("a PostgreSQL server for the tests");
    let name = format!(
        "geo_conf_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("a database in the URL");
    format!("{prefix}/{name}")
}

/// Starts a reference hub with these faults (none for a healthy hub).
pub async fn start(backend: Backend, faults: Faults) -> Hub {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = match backend {
        Backend::Sqlite => String::new(),
        Backend::Postgres => fresh_postgres_url().await,
    };
    let settings = Settings {
        listen: "127.0.0.1:0".parse().expect("address"),
        data_dir: dir.path().to_path_buf(),
        database_url,
        admin_token: ADMIN.into(),
        rate_limit_per_second: 0,
        faults,
        ..Settings::default()
    };
    let hub = app::start(settings).await.expect("the hub starts");
    Hub { hub, _dir: dir }
}

/// Runs the embedded suite (all levels, with the operator token) against a hub.
pub async fn run_suite(hub: &Hub, filter: Option<&str>) -> Report {
    let scenarios = embedded_scenarios().expect("the embedded scenarios parse");
    run(
        &RunConfig {
            hub: hub.hub.url(),
            operator_token: Some(ADMIN.into()),
            filter: filter.map(str::to_owned),
            level: Level::Full,
            jobs: 6,
        },
        &scenarios,
    )
    .await
    .expect("the hub answers discovery")
}

/// Ids of the scenarios that ended with `outcome`.
pub fn ids(report: &Report, outcome: Outcome) -> Vec<String> {
    report
        .results
        .iter()
        .filter(|r| r.outcome == outcome)
        .map(|r| r.id.clone())
        .collect()
}
