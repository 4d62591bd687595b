//! Black-box test support: a real hub started in-process on SQLite or on a real, throwaway PostgreSQL
//! server, and a small signing client that talks to it over HTTP only.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use geo_api as api;
use geo_protocol::*;
use reference_hub::app::{self, RunningHub};
use reference_hub::config::Settings;
use serde_json::{json, Value};

pub use geo_testkit::Backend;

pub mod outage;
pub mod partition;
pub mod served;

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
    geo_testkit::fresh_postgres_url("geo_test").await
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

    /// The URL of a path below `/api/v1`.
    pub fn api_url(&self, path: &str) -> String {
        format!("{}{}{path}", self.url, api::BASE)
    }

    pub fn hub(&self) -> &RunningHub {
        self.hub.as_ref().unwrap()
    }

    pub async fn set_equivalent(&self, code: &str, precision: u8) {
        let r = self
            .http
            .put(self.api_url(&api::equivalent::SET.path_with(&[code])))
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
            .post(self.api_url(&api::operator::SET_STATUS.path_with(&[pid.as_str()])))
            .header("x-admin-token", &self.admin)
            .json(&json!({ "status": status, "reason": "test" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    /// The hub's key as its discovery document publishes it (what a client verifies against).
    pub async fn published_key(&self) -> PublicKey {
        let info: api::HubInfo = self
            .http
            .get(self.api_url(api::discovery::HUB.path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        PublicKey::from_base64(&info.public_key).unwrap()
    }

    pub async fn integrity(&self) -> Value {
        self.http
            .get(self.api_url(api::operator::INTEGRITY.path))
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
            base: hub.api_url(""),
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
        self.post(api::participant::REGISTER.path, &msg).await
    }

    pub async fn login(&mut self) {
        let (s, c) = self
            .post_raw(
                api::auth::CHALLENGE.path,
                json!({ "pid": self.pid() }).to_string(),
            )
            .await;
        assert_eq!(s, 200, "{c}");
        let msg = self.sign(Login {
            challenge: c["challenge"].as_str().unwrap().into(),
        });
        let (s, t) = self.post(api::auth::LOGIN.path, &msg).await;
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
        self.post(api::trust_line::SET.path, &msg).await
    }

    pub fn payment(&self, to: &Client, amount: &str) -> PaymentRequest {
        PaymentRequest {
            tx_id: TxId::random(),
            payee: to.pid(),
            payee_hub: None,
            equivalent: "UAH".parse().unwrap(),
            amount: amount.parse().unwrap(),
            description: None,
            constraints: None,
            hold_seconds: None,
            invoice_id: None,
        }
    }

    pub async fn pay(&self, to: &Client, amount: &str) -> Answer {
        let msg = self.sign(self.payment(to, amount));
        self.post(api::payment::PAY.path, &msg).await
    }

    pub async fn pay_request(&self, req: PaymentRequest) -> Answer {
        let msg = self.sign(req);
        self.post(api::payment::PAY.path, &msg).await
    }

    /// What `self` owes and is owed, per counterparty name-less: (i_owe, owes_me) towards `other`.
    pub async fn position(&self, other: &Client) -> (String, String) {
        let (s, v) = self.get(&api::balance::DEBTS.path_with(&["UAH"])).await;
        assert_eq!(s, 200, "{v}");
        let debts: Vec<api::Counterparty> = serde_json::from_value(v).unwrap();
        for c in debts {
            if c.pid == other.pid() {
                return (c.i_owe, c.owes_me);
            }
        }
        ("0.00".into(), "0.00".into())
    }

    pub async fn balance(&self) -> Value {
        let (s, v) = self.get(api::balance::TOTALS.path).await;
        assert_eq!(s, 200, "{v}");
        let totals: Vec<api::Balance> = serde_json::from_value(v).unwrap();
        totals
            .into_iter()
            .find(|b| b.equivalent.to_string() == "UAH")
            .map(|b| serde_json::to_value(b).unwrap())
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
        self.post(api::trust_line::SET.path, &msg).await
    }

    /// Closes the line `self → debtor` in UAH.
    pub async fn close(&self, debtor: &Pid) -> Answer {
        let msg = self.sign(TrustLineClose {
            debtor: debtor.clone(),
            equivalent: "UAH".parse().unwrap(),
        });
        self.post(api::trust_line::CLOSE.path, &msg).await
    }

    /// The live lines `self` sees with a query such as `direction=outgoing`.
    pub async fn lines(&self, query: &str) -> Vec<Value> {
        let (s, v) = self
            .get(&format!("{}?{query}", api::trust_line::LIST.path))
            .await;
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
