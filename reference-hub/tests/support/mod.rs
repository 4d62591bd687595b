//! Black-box test support: a real hub started in-process on SQLite or on a real, throwaway PostgreSQL
//! server, and a small signing client that talks to it over HTTP only.
#![allow(dead_code)]

use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use geo_protocol::*;
use reference_hub::app::{self, RunningHub};
use reference_hub::config::Settings;
use serde_json::{json, Value};

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

struct Cluster {
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn as_postgres(args: &[&str]) -> Command {
    // initdb and postgres refuse to run as root; use the postgres account when we are root.
    let root = unsafe_is_root();
    let mut c = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]);
        c.args(args);
        c
    } else {
        let mut c = Command::new(args[0]);
        c.args(&args[1..]);
        c
    };
    c.env("LC_ALL", "C");
    c
}

fn unsafe_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A PostgreSQL server for this test binary: `GEO_TEST_DATABASE_URL` if set (an existing server whose
/// user may create databases), otherwise a throwaway cluster made with initdb on a free loopback port,
/// stopped by a watchdog when this process exits.
fn cluster() -> &'static Result<Cluster, String> {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("geo-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        if unsafe_is_root() {
            Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().map_err(|e| e.to_string())?;
        }
        let data = dir.join("data");
        let d = data.to_str().unwrap();
        let out = as_postgres(&["initdb", "-D", d, "--auth=trust", "-U", "postgres", "--no-sync"])
            .output()
            .map_err(|e| format!("initdb: {e} (is PostgreSQL installed and on PATH?)"))?;
        if !out.status.success() {
            return Err(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let opts = format!("-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={} -c max_connections=200 -c fsync=on", dir.display());
        let log = dir.join("pg.log");
        let out = as_postgres(&["pg_ctl", "-D", d, "-l", log.to_str().unwrap(), "-o", &opts, "-w", "start"])
            .output()
            .map_err(|e| format!("pg_ctl: {e}"))?;
        if !out.status.success() {
            return Err(format!("pg_ctl start failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        // Stop the server when this test process ends, however it ends.
        let pid = std::process::id();
        let stop = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {} pg_ctl -D {d} -m immediate stop >/dev/null 2>&1; rm -rf {}",
            if unsafe_is_root() { "runuser -u postgres --" } else { "" },
            dir.display()
        );
        Command::new("sh")
            .args(["-c", &stop])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        Ok(Cluster { port })
    })
}

static DB_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, empty PostgreSQL database URL.
pub async fn fresh_postgres_url() -> String {
    let base = match std::env::var("GEO_TEST_DATABASE_URL") {
        Ok(url) => url,
        Err(_) => match cluster() {
            Ok(c) => format!("postgres://postgres@127.0.0.1:{}/postgres", c.port),
            Err(e) => panic!("no PostgreSQL for the tests: {e}"),
        },
    };
    let name = format!(
        "geo_test_{}_{}",
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

/// A started hub plus what tests need to drive it.
pub struct TestHub {
    pub hub: Option<RunningHub>,
    pub settings: Settings,
    pub url: String,
    pub hub_pid: Pid,
    pub admin: String,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub fn test_settings(dir: &std::path::Path, database_url: String) -> Settings {
    Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        database_url,
        admin_token: "test-admin-token".into(),
        rate_limit_per_second: 0,
        ..Settings::default()
    }
}

impl TestHub {
    pub async fn start(backend: Backend) -> TestHub {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestHub {
        let dir = tempfile::tempdir().unwrap();
        let url = match backend {
            Backend::Sqlite => String::new(),
            Backend::Postgres => fresh_postgres_url().await,
        };
        let mut settings = test_settings(dir.path(), url);
        tweak(&mut settings);
        let hub = app::start(settings.clone()).await.expect("hub starts");
        let t = TestHub {
            url: hub.url(),
            hub_pid: hub.state.hub.pid(),
            admin: settings.admin_token.clone(),
            http: reqwest::Client::new(),
            hub: Some(hub),
            settings,
            _dir: dir,
        };
        t.set_equivalent("UAH", 2).await;
        t
    }

    /// Stops the hub gracefully and starts it again on the same storage.
    pub async fn restart(&mut self) {
        let hub = self.hub.take().expect("running");
        hub.shutdown().await.expect("clean shutdown");
        let hub = app::start(self.settings.clone())
            .await
            .expect("hub restarts");
        self.url = hub.url();
        self.hub = Some(hub);
    }

    /// Starts the hub again on the same storage after a test stopped it itself.
    pub async fn restart_stopped(&mut self) {
        assert!(self.hub.is_none(), "the hub is still running");
        let hub = app::start(self.settings.clone())
            .await
            .expect("hub restarts");
        self.url = hub.url();
        self.hub = Some(hub);
    }

    pub fn hub(&self) -> &RunningHub {
        self.hub.as_ref().unwrap()
    }

    pub async fn set_equivalent(&self, code: &str, precision: u8) {
        let r = self
            .http
            .put(format!("{}/api/v1/admin/equivalents/{code}", self.url))
            .header("x-admin-token", &self.admin)
            .json(&json!({ "precision": precision, "description": code }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    /// Registers and logs in a new participant with a fresh key.
    pub async fn participant(&self, name: &str) -> Client {
        let mut c = Client::new(self, Identity::generate());
        let r = c.register(name).await;
        assert_eq!(r.0, 201, "register {name}: {}", r.1);
        c.login().await;
        c
    }

    pub async fn admin_status(&self, pid: &Pid, status: &str) {
        let r = self
            .http
            .post(format!(
                "{}/api/v1/admin/participants/{pid}/status",
                self.url
            ))
            .header("x-admin-token", &self.admin)
            .json(&json!({ "status": status, "reason": "test" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    pub async fn integrity(&self) -> Value {
        self.http
            .get(format!("{}/api/v1/admin/integrity", self.url))
            .header("x-admin-token", &self.admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

static NONCE: AtomicU64 = AtomicU64::new(0);

/// A participant's signing client over HTTP.
#[derive(Clone)]
pub struct Client {
    pub id: Identity,
    pub base: String,
    pub hub_pid: Pid,
    pub http: reqwest::Client,
    pub token: Option<String>,
    pub refresh: Option<String>,
}

pub type Answer = (u16, Value);

impl Client {
    pub fn new(hub: &TestHub, id: Identity) -> Client {
        Client {
            id,
            base: format!("{}/api/v1", hub.url),
            hub_pid: hub.hub_pid.clone(),
            http: hub.http.clone(),
            token: None,
            refresh: None,
        }
    }

    pub fn pid(&self) -> Pid {
        self.id.pid()
    }

    /// Signs a payload for the hub, valid for 300 s from now, with a fresh nonce.
    pub fn sign<P: Message>(&self, payload: P) -> SignedMessage<P> {
        self.sign_at(payload, reference_hub::writer::now(), 300)
    }

    pub fn sign_at<P: Message>(
        &self,
        payload: P,
        created: Timestamp,
        ttl: i64,
    ) -> SignedMessage<P> {
        let n = NONCE.fetch_add(1, Ordering::Relaxed);
        let nonce = Nonce::parse(&format!("t{}-{n:016}", std::process::id())).unwrap();
        Envelope::new(
            self.pid(),
            Some(self.hub_pid.clone()),
            nonce,
            created,
            ttl,
            payload,
        )
        .sign(&self.id)
        .unwrap()
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<String>) -> Answer {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post_raw(&self, path: &str, body: String) -> Answer {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn post<P: Message>(&self, path: &str, msg: &SignedMessage<P>) -> Answer {
        self.post_raw(path, msg.to_json()).await
    }

    pub async fn register(&mut self, name: &str) -> Answer {
        let msg = self.sign(ParticipantRegister {
            public_key: self.id.public_key(),
            display_name: name.into(),
            kind: ParticipantKind::Person,
            profile: None,
        });
        self.post("/participants", &msg).await
    }

    pub async fn login(&mut self) {
        let (s, c) = self
            .post_raw("/auth/challenge", json!({ "pid": self.pid() }).to_string())
            .await;
        assert_eq!(s, 200, "{c}");
        let msg = self.sign(Login {
            challenge: c["challenge"].as_str().unwrap().into(),
        });
        let (s, t) = self.post("/auth/login", &msg).await;
        assert_eq!(s, 200, "{t}");
        self.token = Some(t["access_token"].as_str().unwrap().into());
        self.refresh = Some(t["refresh_token"].as_str().unwrap().into());
    }

    /// `self` trusts `debtor` up to `limit` (debtor may owe self).
    pub async fn trust(&self, debtor: &Client, limit: &str) -> Answer {
        self.trust_with(debtor, limit, None).await
    }

    pub async fn trust_with(
        &self,
        debtor: &Client,
        limit: &str,
        policy: Option<TrustLinePolicy>,
    ) -> Answer {
        let msg = self.sign(TrustLineSet {
            debtor: debtor.pid(),
            equivalent: "UAH".parse().unwrap(),
            limit: limit.parse().unwrap(),
            policy,
        });
        self.post("/trust-lines", &msg).await
    }

    pub fn payment(&self, to: &Client, amount: &str) -> PaymentRequest {
        PaymentRequest {
            tx_id: TxId::random(),
            payee: to.pid(),
            equivalent: "UAH".parse().unwrap(),
            amount: amount.parse().unwrap(),
            description: None,
            constraints: None,
            hold_seconds: None,
        }
    }

    pub async fn pay(&self, to: &Client, amount: &str) -> Answer {
        let msg = self.sign(self.payment(to, amount));
        self.post("/payments", &msg).await
    }

    pub async fn pay_request(&self, req: PaymentRequest) -> Answer {
        let msg = self.sign(req);
        self.post("/payments", &msg).await
    }

    /// What `self` owes and is owed, per counterparty name-less: (i_owe, owes_me) towards `other`.
    pub async fn position(&self, other: &Client) -> (String, String) {
        let (s, v) = self.get("/balance/UAH/debts").await;
        assert_eq!(s, 200, "{v}");
        for c in v.as_array().unwrap() {
            if c["pid"] == json!(other.pid()) {
                return (
                    c["i_owe"].as_str().unwrap().into(),
                    c["owes_me"].as_str().unwrap().into(),
                );
            }
        }
        ("0.00".into(), "0.00".into())
    }

    pub async fn balance(&self) -> Value {
        let (s, v) = self.get("/balance").await;
        assert_eq!(s, 200, "{v}");
        v.as_array()
            .unwrap()
            .iter()
            .find(|b| b["equivalent"] == "UAH")
            .cloned()
            .unwrap_or(json!({"net": "0.00"}))
    }
}

/// Verifies a hub-signed receipt JSON against the hub's published key.
pub fn verify_receipt(hub: &TestHub, receipt: &Value) -> SignedMessage<PaymentReceipt> {
    let key = hub.hub().state.hub.public_key();
    let msg =
        SignedMessage::<PaymentReceipt>::from_value(receipt.clone()).expect("receipt decodes");
    msg.verify_signature(&key)
        .expect("receipt signature verifies");
    msg
}

// ---------- helpers for the auth, trust line, security and event tests ----------

/// A nonce never used before by this test process.
pub fn fresh_nonce() -> Nonce {
    let n = NONCE.fetch_add(1, Ordering::Relaxed);
    Nonce::parse(&format!("t{}-{n:016}", std::process::id())).unwrap()
}

/// Signs any unsigned envelope object with `key`, whatever it says: the way to build forged,
/// mis-addressed or oddly shaped messages that still carry a valid signature by that key.
pub fn sign_value(key: &Identity, message_type: MessageType, unsigned: &Value) -> Value {
    let bytes = signing_bytes(message_type, unsigned).expect("signable JSON");
    let mut signed = unsigned.clone();
    signed
        .as_object_mut()
        .expect("an envelope is an object")
        .insert(
            "signature".into(),
            Value::String(key.sign_raw(&bytes).to_base64()),
        );
    signed
}

/// Asserts an answer is a problem document with this HTTP status and stable code.
#[track_caller]
pub fn assert_problem(answer: &Answer, status: u16, code: &str) {
    assert_eq!(
        (answer.0, answer.1["code"].as_str()),
        (status, Some(code)),
        "expected {status} {code}, got {}",
        answer.1
    );
    assert_eq!(answer.1["status"], json!(status), "problem status member");
}

impl Client {
    /// The unsigned envelope object `sign` would produce (fresh nonce, valid now), to alter before signing.
    pub fn unsigned<P: Message>(&self, payload: P) -> Value {
        let env = Envelope::new(
            self.pid(),
            Some(self.hub_pid.clone()),
            fresh_nonce(),
            reference_hub::writer::now(),
            300,
            payload,
        );
        serde_json::to_value(&env).expect("envelopes serialise")
    }

    /// A trust line in any equivalent, optionally with a policy.
    pub async fn trust_in(&self, debtor: &Pid, code: &str, limit: &str) -> Answer {
        let msg = self.sign(TrustLineSet {
            debtor: debtor.clone(),
            equivalent: code.parse().unwrap(),
            limit: limit.parse().unwrap(),
            policy: None,
        });
        self.post("/trust-lines", &msg).await
    }

    /// Closes the line `self → debtor` in UAH.
    pub async fn close(&self, debtor: &Pid) -> Answer {
        let msg = self.sign(TrustLineClose {
            debtor: debtor.clone(),
            equivalent: "UAH".parse().unwrap(),
        });
        self.post("/trust-lines/close", &msg).await
    }

    /// The live lines `self` sees with a query such as `direction=outgoing`.
    pub async fn lines(&self, query: &str) -> Vec<Value> {
        let (s, v) = self.get(&format!("/trust-lines?{query}")).await;
        assert_eq!(s, 200, "{v}");
        v["items"].as_array().unwrap().clone()
    }

    /// The same client presenting another bearer token (or none).
    pub fn with_token(&self, token: Option<&str>) -> Client {
        Client {
            token: token.map(str::to_owned),
            ..self.clone()
        }
    }
}
