//! Registers a community on a hub and pre-signs its payments (nothing here is timed).

use std::sync::atomic::{AtomicU64, Ordering};

use geo_protocol::*;
use serde_json::{json, Value};

use crate::community::{Community, Payment};

/// What went wrong while preparing a run.
#[derive(Debug)]
pub struct SetupError(pub String);

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetupError {}

fn fail(what: &str, detail: impl std::fmt::Display) -> SetupError {
    SetupError(format!("{what}: {detail}"))
}

/// A hub to load: its API base (`http://host:port/api/v1`) and operator token.
#[derive(Debug, Clone)]
pub struct Hub {
    /// API base URL, ending in `/api/v1`.
    pub base: String,
    /// The operator token (`x-admin-token`), to create the equivalent and read the totals back.
    pub admin_token: String,
    /// Equivalent code used for the run (precision 2).
    pub equivalent: String,
}

/// A registered community: identities, bearer tokens and the hub's id.
pub struct Registered {
    /// One identity per participant index.
    pub ids: Vec<Identity>,
    /// One bearer token per participant index.
    pub tokens: Vec<String>,
    /// The hub's participant id (the audience of every signed message).
    pub hub_pid: Pid,
}

/// One pre-signed payment: who sends it and the exact request body.
#[derive(Debug, Clone)]
pub struct Signed {
    /// Payer's index (selects the bearer token).
    pub payer: usize,
    /// The signed `PaymentRequest` envelope, JSON text.
    pub body: String,
}

static NONCE: AtomicU64 = AtomicU64::new(0);

fn sign<P: Message>(id: &Identity, hub: &Pid, payload: P, valid_seconds: i64) -> String {
    let n = NONCE.fetch_add(1, Ordering::Relaxed);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    let nonce = Nonce::parse(&format!("load-{}-{n:016}", std::process::id())).expect("nonce");
    Envelope::new(
        id.pid(),
        Some(hub.clone()),
        nonce,
        Timestamp::from_unix(now).expect("timestamp"),
        valid_seconds,
        payload,
    )
    .sign(id)
    .expect("signing")
    .to_json()
}

/// Minor units as the canonical decimal text of a 2-decimal equivalent.
pub fn decimal(minor: u64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

async fn post(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: String,
) -> Result<(u16, Value), SetupError> {
    let mut r = http
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let resp = r.send().await.map_err(|e| fail(url, e))?;
    let status = resp.status().as_u16();
    Ok((status, resp.json().await.unwrap_or(Value::Null)))
}

impl Hub {
    /// Creates the equivalent, registers every participant (seeded identities, so a name is the
    /// same participant in every run with the same `seed`) and opens the community's trust lines.
    pub async fn register(
        &self,
        http: &reqwest::Client,
        community: &Community,
        seed: u64,
    ) -> Result<Registered, SetupError> {
        let base = &self.base;
        let info: Value = http
            .get(format!("{base}/hub"))
            .send()
            .await
            .map_err(|e| fail("hub discovery", e))?
            .json()
            .await
            .map_err(|e| fail("hub discovery", e))?;
        let hub_pid = info["hub_pid"]
            .as_str()
            .and_then(|p| Pid::parse(p).ok())
            .ok_or_else(|| fail("hub discovery", "no hub_pid"))?;
        let r = http
            .put(format!("{base}/admin/equivalents/{}", self.equivalent))
            .header("x-admin-token", &self.admin_token)
            .json(&json!({"precision": 2}))
            .send()
            .await
            .map_err(|e| fail("create equivalent", e))?;
        if !r.status().is_success() {
            return Err(fail("create equivalent", r.status()));
        }
        let ids: Vec<Identity> = (0..community.participants)
            .map(|i| {
                Identity::from_seed(
                    &Digest::of(format!("geo-load {seed} {i}").as_bytes()).to_bytes(),
                )
            })
            .collect();
        let mut tokens = Vec::with_capacity(ids.len());
        for id in &ids {
            let reg = ParticipantRegister {
                public_key: id.public_key(),
                display_name: "load".into(),
                kind: ParticipantKind::Person,
                profile: None,
            };
            let (s, v) = post(
                http,
                &format!("{base}/participants"),
                None,
                sign(id, &hub_pid, reg, 600),
            )
            .await?;
            if s != 201 {
                return Err(fail("register", v));
            }
            let (_, c) = post(
                http,
                &format!("{base}/auth/challenge"),
                None,
                json!({"pid": id.pid()}).to_string(),
            )
            .await?;
            let login = Login {
                challenge: c["challenge"].as_str().unwrap_or_default().into(),
            };
            let (s, t) = post(
                http,
                &format!("{base}/auth/login"),
                None,
                sign(id, &hub_pid, login, 600),
            )
            .await?;
            match (s, t["access_token"].as_str()) {
                (200, Some(token)) => tokens.push(token.to_owned()),
                _ => return Err(fail("login", t)),
            }
        }
        let equivalent: EquivalentCode = self
            .equivalent
            .parse()
            .map_err(|e| fail("equivalent code", e))?;
        for line in &community.lines {
            let set = TrustLineSet {
                debtor: ids[line.debtor].pid(),
                equivalent: equivalent.clone(),
                limit: decimal(line.limit).parse().map_err(|e| fail("limit", e))?,
                policy: None,
            };
            let (s, v) = post(
                http,
                &format!("{base}/trust-lines"),
                Some(&tokens[line.creditor]),
                sign(&ids[line.creditor], &hub_pid, set, 600),
            )
            .await?;
            if s != 200 {
                return Err(fail("trust line", v));
            }
        }
        Ok(Registered {
            ids,
            tokens,
            hub_pid,
        })
    }

    /// Signs every payment now, valid for `valid_seconds` (hubs accept at most 600 s, so a run
    /// must end within that long of signing).
    pub fn sign_payments(
        &self,
        reg: &Registered,
        payments: &[Payment],
        seed: u64,
        valid_seconds: i64,
    ) -> Result<Vec<Signed>, SetupError> {
        let equivalent: EquivalentCode = self
            .equivalent
            .parse()
            .map_err(|e| fail("equivalent code", e))?;
        payments
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let tx =
                    Digest::of(format!("geo-load tx {seed} {} {i}", std::process::id()).as_bytes())
                        .to_bytes();
                let req = PaymentRequest {
                    tx_id: TxId::from_random_bytes(tx[..16].try_into().expect("16 bytes")),
                    payee: reg.ids[p.payee].pid(),
                    payee_hub: None,
                    equivalent: equivalent.clone(),
                    amount: decimal(p.amount).parse().map_err(|e| fail("amount", e))?,
                    description: None,
                    constraints: None,
                    hold_seconds: None,
                    invoice_id: None,
                };
                Ok(Signed {
                    payer: p.payer,
                    body: sign(&reg.ids[p.payer], &reg.hub_pid, req, valid_seconds),
                })
            })
            .collect()
    }

    /// Payments the hub reports as committed (operator totals), to check the run's own count.
    pub async fn committed(&self, http: &reqwest::Client) -> Result<u64, SetupError> {
        let v: Value = http
            .get(format!("{}/admin/stats", self.base))
            .header("x-admin-token", &self.admin_token)
            .send()
            .await
            .map_err(|e| fail("stats", e))?
            .json()
            .await
            .map_err(|e| fail("stats", e))?;
        v["payments_committed"]
            .as_u64()
            .ok_or_else(|| fail("stats", v))
    }
}
