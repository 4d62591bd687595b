//! Test support: a real hub started in-process (SQLite, or a throwaway PostgreSQL cluster), SDK
//! clients for it, and a small TCP proxy that can lose answers or cut connections.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use geo_client::{AdminClient, HubClient, Identity, ParticipantKind};
use reference_hub::app::{self, RunningHub};
use reference_hub::config::Settings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub use geo_testkit::Backend;

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

/// A fresh, empty PostgreSQL database URL.
pub async fn fresh_postgres_url() -> String {
    geo_testkit::fresh_postgres_url("geo_sdk").await
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

/// One request a [`Refuser`] saw.
#[derive(Debug, Clone)]
pub struct Seen {
    /// When its last byte arrived.
    pub at: std::time::Instant,
    /// `METHOD /path HTTP/1.1`.
    pub request_line: String,
    /// The body, byte for byte.
    pub body: Vec<u8>,
    /// The status it was refused with, or `None` if it was passed on to the hub.
    pub refused: Option<u16>,
}

/// A front for the hub, one request per connection: it answers the next requests itself with a
/// refusal (status and `Retry-After`, as an overloaded or rate-limiting hub does) and passes the
/// others on; it records every request it sees.
pub struct Refuser {
    pub url: String,
    refusals: Arc<Mutex<std::collections::VecDeque<(u16, u64)>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for Refuser {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl Refuser {
    pub async fn start(target: SocketAddr) -> Refuser {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let refusals: Arc<Mutex<std::collections::VecDeque<(u16, u64)>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (r2, s2) = (refusals.clone(), seen.clone());
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (refusals, seen) = (r2.clone(), s2.clone());
                tokio::spawn(async move {
                    let _ = serve_one(client, target, refusals, seen).await;
                });
            }
        });
        Refuser {
            url,
            refusals,
            seen,
            accept,
        }
    }

    /// The next requests are answered with these `(status, Retry-After seconds)`, in order.
    pub fn refuse_next(&self, refusals: &[(u16, u64)]) {
        self.refusals
            .lock()
            .unwrap()
            .extend(refusals.iter().copied());
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve_one(
    mut client: TcpStream,
    target: SocketAddr,
    refusals: Arc<Mutex<std::collections::VecDeque<(u16, u64)>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
) -> std::io::Result<()> {
    // The head, then as many body bytes as it announces.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let refusal = refusals.lock().unwrap().pop_front();
    let (request_line, rest) = head.split_once("\r\n").unwrap_or((&head, ""));
    seen.lock().unwrap().push(Seen {
        at: std::time::Instant::now(),
        request_line: request_line.to_owned(),
        body: buf[head_end..head_end + length].to_vec(),
        refused: refusal.map(|(s, _)| s),
    });
    if let Some((status, seconds)) = refusal {
        let code = if status == 429 {
            "E_RATE_LIMITED"
        } else {
            "E_UNAVAILABLE"
        };
        let body = format!(
            r#"{{"type":"about:blank","title":"Refused","status":{status},"code":"{code}","detail":"try again in {seconds} s"}}"#
        );
        let answer = format!(
            "HTTP/1.1 {status} Refused\r\ncontent-type: application/problem+json\r\nretry-after: {seconds}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        client.write_all(answer.as_bytes()).await?;
        return client.shutdown().await;
    }
    // Passed on with `connection: close`, so the hub ends the exchange after its answer.
    let mut server = TcpStream::connect(target).await?;
    server
        .write_all(format!("{request_line}\r\nconnection: close\r\n{rest}").as_bytes())
        .await?;
    server.write_all(&buf[head_end..]).await?;
    tokio::io::copy(&mut server, &mut client).await?;
    client.shutdown().await
}
