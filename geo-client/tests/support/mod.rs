//! Test support: a real hub started in-process (SQLite, or a throwaway PostgreSQL cluster), SDK
//! clients for it, and a small TCP proxy that can lose answers or cut connections.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::process::Command;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use geo_client::{AdminClient, HubClient, Identity, ParticipantKind};
use reference_hub::app::{self, RunningHub};
use reference_hub::config::Settings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Which storage backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs an async test body on both backends.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                ($body)(support::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                ($body)(support::Backend::Postgres).await;
            }
        }
    };
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn as_postgres(args: &[&str]) -> Command {
    // initdb and postgres refuse to run as root: use the postgres account when we are root.
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

/// A PostgreSQL server for this test binary: `GEO_TEST_DATABASE_URL` if set, otherwise a throwaway
/// cluster on a free loopback port, stopped by a watchdog when this process exits.
fn cluster_port() -> &'static Result<u16, String> {
    static PORT: OnceLock<Result<u16, String>> = OnceLock::new();
    PORT.get_or_init(|| {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("geo-sdk-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        if is_root() {
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .map_err(|e| e.to_string())?;
        }
        let data = dir.join("data");
        let d = data.to_str().unwrap();
        let out = as_postgres(&["initdb", "-D", d, "--auth=trust", "-U", "postgres", "--no-sync"])
            .output()
            .map_err(|e| format!("initdb: {e} (is PostgreSQL installed and on PATH?)"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={} -c max_connections=200",
            dir.display()
        );
        let log = dir.join("pg.log");
        let out = as_postgres(&[
            "pg_ctl",
            "-D",
            d,
            "-l",
            log.to_str().unwrap(),
            "-o",
            &opts,
            "-w",
            "start",
        ])
        .output()
        .map_err(|e| format!("pg_ctl: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "pg_ctl start failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let pid = std::process::id();
        let stop = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {} pg_ctl -D {d} -m immediate stop >/dev/null 2>&1; rm -rf {}",
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
        Ok(port)
    })
}

static DB_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, empty PostgreSQL database URL.
pub async fn fresh_postgres_url() -> String {
    let base = match std::env::var("GEO_TEST_DATABASE_URL") {
        Ok(url) => url,
        Err(_) => match cluster_port() {
            Ok(port) => format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            Err(e) => panic!("no PostgreSQL for the tests: {e}"),
        },
    };
    let name = format!(
        "geo_sdk_{}_{}",
        std::process::id(),
        DB_COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&base)
        .await
        .expect("connect to the test server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("url has a database");
    format!("{prefix}/{name}")
}

/// A hub running in this process.
pub struct TestHub {
    pub hub: Option<RunningHub>,
    pub settings: Settings,
    pub url: String,
    pub admin: AdminClient,
    _dir: tempfile::TempDir,
}

pub const ADMIN_TOKEN: &str = "test-admin-token";

impl TestHub {
    pub async fn start(backend: Backend) -> TestHub {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestHub {
        let dir = tempfile::tempdir().unwrap();
        let database_url = match backend {
            Backend::Sqlite => String::new(),
            Backend::Postgres => fresh_postgres_url().await,
        };
        let mut settings = Settings {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().to_path_buf(),
            database_url,
            admin_token: ADMIN_TOKEN.into(),
            rate_limit_per_second: 0,
            ..Settings::default()
        };
        tweak(&mut settings);
        let hub = app::start(settings.clone()).await.expect("hub starts");
        // Restarts listen on the same address, so clients keep their URL.
        settings.listen = hub.addr;
        let url = hub.url();
        let t = TestHub {
            admin: AdminClient::new(&url, ADMIN_TOKEN),
            url,
            hub: Some(hub),
            settings,
            _dir: dir,
        };
        t.admin.set_equivalent("UAH", 2, "hryvnia").await.unwrap();
        t
    }

    pub fn addr(&self) -> SocketAddr {
        self.hub.as_ref().unwrap().addr
    }

    /// Stops the hub gracefully and starts it again on the same storage and address.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.start_again().await;
    }

    pub async fn stop(&mut self) {
        let hub = self.hub.take().expect("running");
        tokio::time::timeout(Duration::from_secs(30), hub.shutdown())
            .await
            .expect("the hub shuts down in time (it cannot while a WebSocket client is connected)")
            .expect("clean shutdown");
    }

    pub async fn start_again(&mut self) {
        let mut last = None;
        for _ in 0..50 {
            match app::start(self.settings.clone()).await {
                Ok(hub) => {
                    self.hub = Some(hub);
                    return;
                }
                // The old socket may linger a moment.
                Err(e) => last = Some(e.to_string()),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("hub restarts: {last:?}");
    }

    /// A connected client with a fresh key (not registered).
    pub async fn client(&self) -> HubClient {
        HubClient::connect(&self.url, Identity::generate())
            .await
            .expect("connect")
    }

    /// A registered, logged-in participant.
    pub async fn participant(&self, name: &str) -> HubClient {
        let c = self.client().await;
        c.register(name, ParticipantKind::Person, None)
            .await
            .expect("register");
        c
    }

    /// The hub's own key PID (as the hub process knows it).
    pub fn hub_pid(&self) -> geo_client::Pid {
        self.hub.as_ref().unwrap().state.hub.pid()
    }
}

/// Net position of a client in UAH.
pub async fn net(c: &HubClient) -> String {
    c.balance()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.equivalent.as_str() == "UAH")
        .map(|b| b.net)
        .unwrap_or_else(|| "0.00".into())
}

/// What `c` owes `other` and what `other` owes `c`, in UAH.
pub async fn position(c: &HubClient, other: &HubClient) -> (String, String) {
    c.debts("UAH")
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.pid == other.pid())
        .map(|d| (d.i_owe, d.owes_me))
        .unwrap_or_else(|| ("0.00".into(), "0.00".into()))
}

/// A TCP proxy in front of the hub that can lose answers (the request reaches the hub, the answer
/// never reaches the client) and cut every open connection.
pub struct Proxy {
    pub url: String,
    down: Arc<std::sync::atomic::AtomicBool>,
    lose: Arc<AtomicUsize>,
    pub lost: Arc<AtomicUsize>,
    conns: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}

impl Proxy {
    pub async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let lose = Arc::new(AtomicUsize::new(0));
        let lost = Arc::new(AtomicUsize::new(0));
        let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let conns: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (l2, lost2, c2, d2) = (lose.clone(), lost.clone(), conns.clone(), down.clone());
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if d2.load(Ordering::SeqCst) {
                    drop(client); // the hub is "unreachable"
                    continue;
                }
                let (lose, lost) = (l2.clone(), lost2.clone());
                let task = tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(target).await {
                        pipe(client, server, lose, lost).await;
                    }
                });
                c2.lock().unwrap().push(task.abort_handle());
            }
        });
        Proxy {
            url,
            down,
            lose,
            lost,
            conns,
            accept,
        }
    }

    /// The next `n` answers (first chunks from the hub) are dropped together with their connection.
    pub fn lose_next_answers(&self, n: usize) {
        self.lose.store(n, Ordering::SeqCst);
    }

    /// While down, new connections are closed at once (as if the hub were unreachable).
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }

    /// Closes every open connection.
    pub fn cut(&self) {
        for c in self.conns.lock().unwrap().drain(..) {
            c.abort();
        }
    }
}

async fn pipe(
    client: TcpStream,
    server: TcpStream,
    lose: Arc<AtomicUsize>,
    lost: Arc<AtomicUsize>,
) {
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let up = async {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match cr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if sw.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            }
        }
    };
    let down = async {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match sr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    let drop_it = lose
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| v.checked_sub(1))
                        .is_ok();
                    if drop_it {
                        lost.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    if cw.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            }
        }
    };
    // Either direction ending closes the whole connection.
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}
