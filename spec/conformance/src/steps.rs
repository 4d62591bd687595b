//! One scenario's state (participants, equivalents, ids, remembered values) and what each step does.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use geo_api as api;
use geo_protocol::{Amount, ClearingProposal, ClearingReceipt, Digest, Identity, Precision};
use geo_protocol::{PaymentReceipt, SignedMessage};
use serde_json::{json, Value};

use crate::expect::{self, Answer};
use crate::runner::{Failure, HubInfo};
use crate::scenario::{Expect, Op, Scenario, Side, Step, Tamper};
use crate::signing::{self, Draft};

/// Sends of one request while the hub answers 429 (rate limited).
const RATE_LIMIT_ATTEMPTS: u32 = 6;

/// Why a step failed: what the spec requires and what happened.
struct Miss {
    expected: String,
    actual: String,
}

type StepResult<T> = Result<T, Miss>;

fn miss(expected: impl Into<String>, actual: impl Into<String>) -> Miss {
    Miss {
        expected: expected.into(),
        actual: actual.into(),
    }
}

/// A scenario error in the file itself (not the hub's fault, but reported as a failure).
fn bad_scenario(why: impl Into<String>) -> Miss {
    miss(
        "a usable scenario",
        format!("scenario error: {}", why.into()),
    )
}

struct Party {
    id: Identity,
    token: Option<String>,
    refresh: Option<String>,
}

struct Sent {
    method: reqwest::Method,
    path: String,
    body: String,
}

/// Everything one running scenario knows.
pub struct Ctx {
    http: reqwest::Client,
    api: String,
    hub: Arc<HubInfo>,
    operator: Option<String>,
    prefix: String,
    parties: HashMap<String, Party>,
    order: Vec<String>,
    eqs: HashMap<String, (String, Precision)>,
    txs: HashMap<String, String>,
    request_digests: HashMap<String, String>,
    vars: HashMap<String, Value>,
    messages: HashMap<String, Sent>,
    proposals: HashMap<String, (String, String)>,
    /// A two-hub scenario: this hub's key and the linked hub's (`spec/federation.md`).
    hub_keys: Option<(Identity, Identity)>,
    /// A two-hub scenario, at the hub under test: the linked hub's context.
    peer: Option<Box<Ctx>>,
}

/// The hub's own account in a two-hub scenario (signed with its key, as its operator would).
const THIS_HUB: &str = "this_hub";
/// The linked hub's account at this hub.
const LINKED_HUB: &str = "linked_hub";

impl Ctx {
    /// A context for one scenario; `prefix` makes its equivalent codes unique.
    pub fn new(
        http: reqwest::Client,
        hub: Arc<HubInfo>,
        operator: Option<String>,
        prefix: String,
    ) -> Ctx {
        Ctx {
            http,
            api: format!("{}{}", hub.url, geo_api::BASE),
            hub,
            operator,
            prefix,
            parties: HashMap::new(),
            order: Vec::new(),
            eqs: HashMap::new(),
            txs: HashMap::new(),
            request_digests: HashMap::new(),
            vars: HashMap::new(),
            messages: HashMap::new(),
            proposals: HashMap::new(),
            hub_keys: None,
            peer: None,
        }
    }

    /// Links this context to `peer`'s (the linked hub's), whose key is `peer_key`; `own_key` is this
    /// hub's. Each side gets `this_hub` and `linked_hub` as participants.
    pub fn linked(mut self, mut peer: Ctx, own_key: Identity, peer_key: Identity) -> Ctx {
        peer.hub_keys = Some((peer_key.clone(), own_key.clone()));
        self.hub_keys = Some((own_key, peer_key));
        self.peer = Some(Box::new(peer));
        self
    }

    /// Sets up and runs every step; the first miss ends the scenario.
    pub async fn run(mut self, s: &Scenario) -> Result<(), Failure> {
        let fail = |step: usize, op: &str, note: Option<String>, m: Miss| Failure {
            step,
            op: op.to_owned(),
            note,
            expected: m.expected,
            actual: m.actual,
        };
        let mut outcome = self.setup(s).await.map_err(|m| fail(0, "setup", None, m));
        if outcome.is_ok() {
            for (i, step) in s.steps.iter().enumerate() {
                if let Err(m) = self.step(step).await {
                    outcome = Err(fail(i + 1, step.op.name(), step.note.clone(), m));
                    break;
                }
            }
        }
        self.retire_equivalents(s).await;
        if let Some(peer) = &self.peer {
            peer.retire_equivalents(s).await;
        }
        outcome
    }

    /// Whether this is the linked hub's side of a two-hub scenario.
    fn at_peer(&self) -> bool {
        self.hub_keys.is_some() && self.peer.is_none()
    }

    /// Deactivates the equivalents this scenario created, pass or fail, so that a run leaves no
    /// test units of account for members to pick (best effort: the verdict is the steps').
    async fn retire_equivalents(&self, s: &Scenario) {
        for (e, (code, _)) in s
            .equivalents
            .iter()
            .filter_map(|e| Some((e, self.eqs.get(&e.name)?)))
        {
            let body = json!({
                "precision": e.precision,
                "description": format!("conformance {}", s.id),
                "active": false,
            });
            let path = api::equivalent::SET.path_with(&[code]);
            let _ = self
                .request(
                    reqwest::Method::PUT,
                    &path,
                    None,
                    self.operator.clone(),
                    Some(body.to_string()),
                )
                .await;
        }
    }

    async fn setup(&mut self, s: &Scenario) -> StepResult<()> {
        if let Some(peer) = self.peer.as_mut() {
            Box::pin(peer.setup(s)).await?;
        }
        for e in &s.equivalents {
            let code = format!("{}{}", self.prefix, e.name);
            let a = self
                .request(
                    reqwest::Method::PUT,
                    &api::equivalent::SET.path_with(&[&code]),
                    None,
                    self.operator.clone(),
                    Some(json!({"precision": e.precision, "description": format!("conformance {}", s.id)}).to_string()),
                )
                .await?;
            if a.status != 200 {
                return Err(miss(
                    format!("the operator creates equivalent {code}"),
                    a.describe(),
                ));
            }
            let p = Precision::new(e.precision).map_err(|e| bad_scenario(e.to_string()))?;
            self.eqs.insert(e.name.clone(), (code, p));
        }
        let here = self.at_peer();
        for p in s.participants.iter().filter(|p| p.at_peer() == here) {
            let id = match p.seed_hex() {
                Some(hex) => {
                    Identity::from_seed(&seed(hex).ok_or_else(|| bad_scenario("seed_hex"))?)
                }
                None => Identity::generate(),
            };
            self.order.push(p.alias().to_owned());
            self.parties.insert(
                p.alias().to_owned(),
                Party {
                    id,
                    token: None,
                    refresh: None,
                },
            );
        }
        for p in s
            .participants
            .iter()
            .filter(|p| p.registered() && p.at_peer() == here)
        {
            let alias = p.alias().to_owned();
            let a = self
                .register(&alias, None, None, None, &Tamper::default(), None)
                .await?;
            if a.status != 201 {
                return Err(miss(format!("{alias} registers (201)"), a.describe()));
            }
            let a = self.login(&alias, None, &Tamper::default(), None).await?;
            if a.status != 200 {
                return Err(miss(format!("{alias} logs in (200)"), a.describe()));
            }
        }
        if let Some((own, other)) = self.hub_keys.clone() {
            self.link_hubs(own, other).await?;
        }
        Ok(())
    }

    /// A two-hub scenario's hub accounts at this hub: `this_hub` (its own account, which the hub
    /// registered itself) logs in; `linked_hub` registers as kind `hub` (or already has: hub
    /// accounts outlive scenarios) and logs in.
    async fn link_hubs(&mut self, own: Identity, other: Identity) -> StepResult<()> {
        for (alias, id) in [(THIS_HUB, own), (LINKED_HUB, other)] {
            self.order.push(alias.to_owned());
            self.parties.insert(
                alias.to_owned(),
                Party {
                    id,
                    token: None,
                    refresh: None,
                },
            );
        }
        let a = self
            .register(
                LINKED_HUB,
                Some("linked hub".into()),
                Some("hub".into()),
                None,
                &Tamper::default(),
                None,
            )
            .await?;
        if a.status != 201 && a.code() != Some("E_ALREADY_EXISTS") {
            return Err(miss(
                "the linked hub's account registers (201, or E_ALREADY_EXISTS)",
                a.describe(),
            ));
        }
        for alias in [THIS_HUB, LINKED_HUB] {
            let a = self.login(alias, None, &Tamper::default(), None).await?;
            if a.status != 200 {
                return Err(miss(format!("{alias} logs in (200)"), a.describe()));
            }
        }
        Ok(())
    }

    // ---------- templates ----------

    fn party(&self, alias: &str) -> StepResult<&Party> {
        self.parties
            .get(alias)
            .ok_or_else(|| bad_scenario(format!("no participant {alias:?}")))
    }

    fn pid(&self, alias: &str) -> StepResult<String> {
        Ok(self.party(alias)?.id.pid().to_string())
    }

    fn eq(&self, name: &str) -> StepResult<(String, Precision)> {
        self.eqs
            .get(name)
            .cloned()
            .ok_or_else(|| bad_scenario(format!("no equivalent {name:?}")))
    }

    fn tx(&mut self, alias: &str) -> String {
        self.txs
            .entry(alias.to_owned())
            .or_insert_with(|| geo_protocol::TxId::random().to_string())
            .clone()
    }

    /// The value of one `{{token}}`.
    fn token(&mut self, t: &str) -> StepResult<Value> {
        let t = t.trim();
        if t == "hub" {
            return Ok(self.hub.pid.clone().into());
        }
        if t == "uuid" {
            return Ok(geo_protocol::TxId::random().to_string().into());
        }
        if t == "nonce" {
            return Ok(geo_protocol::Nonce::random().as_str().into());
        }
        if let Some(rest) = t.strip_prefix("now") {
            let offset: i64 = if rest.is_empty() {
                0
            } else {
                rest.trim_start_matches('+')
                    .parse()
                    .map_err(|_| bad_scenario(format!("bad time {t}")))?
            };
            return Ok(signing::timestamp(offset).into());
        }
        if let Some(name) = t.strip_prefix("eq.") {
            return Ok(self.eq(name)?.0.into());
        }
        if let Some(alias) = t.strip_prefix("tx.") {
            return Ok(self.tx(alias).into());
        }
        if let Some(name) = t.strip_prefix("var.") {
            return self
                .vars
                .get(name)
                .cloned()
                .ok_or_else(|| bad_scenario(format!("variable {name} was never saved")));
        }
        if let Some(alias) = t.strip_suffix(".key") {
            return Ok(self.party(alias)?.id.public_key().to_base64().into());
        }
        // A member of the linked hub, named in an expectation (e.g. a payee it previews).
        if let Some(peer) = self
            .peer
            .as_ref()
            .filter(|peer| !self.parties.contains_key(t) && peer.parties.contains_key(t))
        {
            return Ok(peer.pid(t)?.into());
        }
        Ok(self.pid(t)?.into())
    }

    /// Fills `{{…}}` in a string; a string that is one token takes the token's JSON value.
    fn fill_str(&mut self, s: &str) -> StepResult<Value> {
        if let Some(inner) = s.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
            if !inner.contains("{{") {
                return self.token(inner);
            }
        }
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find("}}")
                .ok_or_else(|| bad_scenario(format!("unclosed template in {s:?}")))?;
            match self.token(&rest[start + 2..start + end])? {
                Value::String(v) => out.push_str(&v),
                other => out.push_str(&other.to_string()),
            }
            rest = &rest[start + end + 2..];
        }
        out.push_str(rest);
        Ok(Value::String(out))
    }

    fn fill(&mut self, v: &Value) -> StepResult<Value> {
        Ok(match v {
            Value::String(s) => self.fill_str(s)?,
            Value::Array(a) => {
                Value::Array(a.iter().map(|x| self.fill(x)).collect::<Result<_, _>>()?)
            }
            Value::Object(m) => {
                let mut out = serde_json::Map::new();
                for (k, x) in m {
                    out.insert(k.clone(), self.fill(x)?);
                }
                Value::Object(out)
            }
            other => other.clone(),
        })
    }

    fn text(&mut self, s: &str) -> StepResult<String> {
        match self.fill_str(s)? {
            Value::String(s) => Ok(s),
            other => Ok(other.to_string()),
        }
    }

    /// A participant alias, or a template (e.g. a literal PID).
    /// A payee's PID, and its hub's URL when it is a member of the linked hub (paid through it,
    /// federation.md §6).
    fn payee(&mut self, to: &str) -> StepResult<(String, Option<String>)> {
        let across = (!self.parties.contains_key(to))
            .then_some(self.peer.as_ref())
            .flatten()
            .filter(|peer| peer.parties.contains_key(to))
            .map(|peer| Ok::<_, Miss>((peer.pid(to)?, peer.hub.url.clone())))
            .transpose()?;
        match across {
            Some((pid, hub)) => Ok((pid, Some(hub))),
            None => Ok((self.who(to)?, None)),
        }
    }

    fn who(&mut self, s: &str) -> StepResult<String> {
        if self.parties.contains_key(s) {
            self.pid(s)
        } else {
            self.text(s)
        }
    }

    fn fill_expect(&mut self, e: &Expect) -> StepResult<Expect> {
        Ok(Expect {
            status: e.status,
            code: e.code.clone(),
            body: e.body.as_ref().map(|b| self.fill(b)).transpose()?,
            receipt: e.receipt.clone(),
            peer_receipt: e.peer_receipt,
            absent: e.absent.clone(),
            any_of: e
                .any_of
                .iter()
                .map(|a| self.fill_expect(a))
                .collect::<Result<_, _>>()?,
        })
    }

    fn fill_tamper(&mut self, t: &Tamper) -> StepResult<Tamper> {
        let mut out = t.clone();
        for v in out.set.values_mut() {
            *v = self.fill(v)?;
        }
        for v in out.after.values_mut() {
            *v = self.fill(v)?;
        }
        Ok(out)
    }

    // ---------- HTTP ----------

    async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        bearer: Option<String>,
        admin: Option<String>,
        body: Option<String>,
    ) -> StepResult<Answer> {
        self.request_as(method, path, bearer, admin, body, "application/json")
            .await
    }

    /// A request whose body is sent with `media_type`.
    async fn request_as(
        &self,
        method: reqwest::Method,
        path: &str,
        bearer: Option<String>,
        admin: Option<String>,
        body: Option<String>,
        media_type: &str,
    ) -> StepResult<Answer> {
        // A rate-limited request (429) was refused before any work, so the same bytes are sent
        // again after the hub's `Retry-After` (a few times, each wait capped): a hub with default
        // rate limits is checked, not failed for the suite's own pace.
        let mut attempt = 0;
        let r = loop {
            let mut req = self
                .http
                .request(method.clone(), format!("{}{path}", self.api));
            if let Some(t) = &bearer {
                req = req.bearer_auth(t);
            }
            if let Some(t) = &admin {
                req = req.header("x-admin-token", t);
            }
            if let Some(b) = &body {
                req = req.header("content-type", media_type).body(b.clone());
            }
            let r = req
                .send()
                .await
                .map_err(|e| miss(format!("an answer to {method} {path}"), e.to_string()))?;
            attempt += 1;
            if r.status().as_u16() != 429 || attempt >= RATE_LIMIT_ATTEMPTS {
                break r;
            }
            let wait = r
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(1)
                .clamp(1, 10);
            tokio::time::sleep(Duration::from_secs(wait)).await;
        };
        let status = r.status().as_u16();
        let text = r
            .text()
            .await
            .map_err(|e| miss(format!("a body from {method} {path}"), e.to_string()))?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Answer { status, body })
    }

    fn bearer_of(&self, who: &str, over: Option<&str>) -> StepResult<Option<String>> {
        Ok(match over {
            None => self.party(who)?.token.clone(),
            Some("none") => None,
            Some("invalid") => Some("not-a-token-the-hub-issued".into()),
            Some(other) => self.party(other)?.token.clone(),
        })
    }

    async fn get(&self, who: &str, path: &str) -> StepResult<Answer> {
        let bearer = self.bearer_of(who, None)?;
        self.request(reqwest::Method::GET, path, bearer, None, None)
            .await
    }

    /// Signs `payload` as `who` (with tampering) and sends it.
    #[allow(clippy::too_many_arguments)]
    async fn send_signed(
        &mut self,
        who: &str,
        method: reqwest::Method,
        path: &str,
        message_type: &str,
        payload: Value,
        bearer: Option<String>,
        tamper: &Tamper,
        name: Option<&str>,
    ) -> StepResult<Answer> {
        let tamper = self.fill_tamper(tamper)?;
        let signer = match &tamper.signer {
            Some(alias) => self.pid(alias)?,
            None => self.pid(who)?,
        };
        let key = match &tamper.sign_with {
            Some(alias) => self.party(alias)?.id.clone(),
            None => self.party(who)?.id.clone(),
        };
        let body = signing::sign(
            Draft {
                message_type,
                payload,
                signer,
                audience: self.hub.pid.clone(),
                key: &key,
            },
            &tamper,
        )
        .map_err(bad_scenario)?;
        // The digest of a payment request (§5.3), to check the receipt's request_digest later.
        let request_digest = (message_type == "payment_request")
            .then(|| serde_json::from_str::<Value>(&body).ok())
            .flatten()
            .and_then(|mut v| {
                let tx = v.pointer("/payload/tx_id")?.as_str()?.to_owned();
                v.as_object_mut()?.remove("signature");
                let bytes = signing::signed_bytes(signing::SIGNING_TAG, &v).ok()?;
                Some((tx, Digest::of(&bytes).to_string()))
            });
        if let Some(n) = name {
            self.messages.insert(
                n.to_owned(),
                Sent {
                    method: method.clone(),
                    path: path.to_owned(),
                    body: body.clone(),
                },
            );
        }
        let answer = self.request(method, path, bearer, None, Some(body)).await?;
        if let Some((tx, digest)) = request_digest {
            // The receipt names the request that decided the payment: the first one the hub took.
            if answer.status == 200 || answer.body.get("payment").is_some() {
                self.request_digests.entry(tx).or_insert(digest);
            }
        }
        Ok(answer)
    }

    async fn register(
        &mut self,
        who: &str,
        display_name: Option<Value>,
        kind: Option<String>,
        profile: Option<Value>,
        tamper: &Tamper,
        name: Option<&str>,
    ) -> StepResult<Answer> {
        let key = self.party(who)?.id.public_key().to_base64();
        let mut payload = json!({
            "public_key": key,
            "display_name": display_name.unwrap_or_else(|| who.into()),
            "kind": kind.unwrap_or_else(|| "person".into()),
        });
        if let Some(p) = profile {
            payload["profile"] = p;
        }
        self.send_signed(
            who,
            reqwest::Method::POST,
            api::participant::REGISTER.path,
            "participant_register",
            payload,
            None,
            tamper,
            name,
        )
        .await
    }

    async fn login(
        &mut self,
        who: &str,
        challenge: Option<String>,
        tamper: &Tamper,
        name: Option<&str>,
    ) -> StepResult<Answer> {
        let challenge = match challenge {
            Some(c) => c,
            None => {
                let pid = self.pid(who)?;
                let a = self
                    .request(
                        reqwest::Method::POST,
                        api::auth::CHALLENGE.path,
                        None,
                        None,
                        Some(json!({ "pid": pid }).to_string()),
                    )
                    .await?;
                match a.body.get("challenge").and_then(Value::as_str) {
                    Some(c) if a.status == 200 => c.to_owned(),
                    _ => return Err(miss("a login challenge (200)", a.describe())),
                }
            }
        };
        let a = self
            .send_signed(
                who,
                reqwest::Method::POST,
                api::auth::LOGIN.path,
                "login",
                json!({ "challenge": challenge }),
                None,
                tamper,
                name,
            )
            .await?;
        self.take_tokens(who, &a);
        Ok(a)
    }

    fn take_tokens(&mut self, who: &str, a: &Answer) {
        if a.status != 200 {
            return;
        }
        if let (Some(t), Some(r), Some(p)) = (
            a.body.get("access_token").and_then(Value::as_str),
            a.body.get("refresh_token").and_then(Value::as_str),
            self.parties.get_mut(who),
        ) {
            p.token = Some(t.to_owned());
            p.refresh = Some(r.to_owned());
        }
    }

    fn zero(p: Precision) -> String {
        Amount::from_minor(0, p).to_string()
    }

    fn minor(text: &str, p: Precision) -> StepResult<u64> {
        Amount::parse(text, p).map(|a| a.minor()).map_err(|e| {
            miss(
                format!("an amount at precision {}", p.places()),
                format!("{text:?}: {e}"),
            )
        })
    }

    // ---------- steps ----------

    /// Performs a step here, or at the linked hub for a step with `hub: peer`.
    async fn step(&mut self, step: &Step) -> StepResult<()> {
        let Some(Side::Peer) = step.hub else {
            return self.step_here(step).await;
        };
        let Ctx {
            peer, txs, vars, ..
        } = self;
        let peer = peer
            .as_mut()
            .ok_or_else(|| bad_scenario("a step at the linked hub without one"))?;
        // One scenario: tx aliases and saved values mean the same on both sides.
        peer.txs
            .extend(txs.iter().map(|(k, v)| (k.clone(), v.clone())));
        peer.vars
            .extend(vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        let done = peer.step_here(step).await;
        txs.extend(peer.txs.iter().map(|(k, v)| (k.clone(), v.clone())));
        vars.extend(peer.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        done
    }

    async fn step_here(&mut self, step: &Step) -> StepResult<()> {
        let answer = self.perform(step).await?;
        match answer {
            Some(a) => {
                let expect = match &step.expect {
                    Some(e) => self.fill_expect(e)?,
                    None => Expect::default(),
                };
                expect::check(&expect, &a, &self.hub.key).map_err(|why| {
                    miss(
                        format!("{} ({why})", expect::describe(&expect)),
                        a.describe(),
                    )
                })?;
                if expect.peer_receipt {
                    let peer = self
                        .peer
                        .as_ref()
                        .ok_or_else(|| bad_scenario("peer_receipt without a linked hub"))?;
                    expect::verify_peer_receipt(&a.body, &self.hub.pid, &peer.hub.key).map_err(
                        |why| miss(format!("both hubs' receipts ({why})"), a.describe()),
                    )?;
                }
                for (var, pointer) in &step.save {
                    let v = a.body.pointer(pointer).cloned().ok_or_else(|| {
                        miss(
                            format!("a value at {pointer} to save as {var}"),
                            a.describe(),
                        )
                    })?;
                    self.vars.insert(var.clone(), v);
                }
                Ok(())
            }
            None if step.expect.is_some() || !step.save.is_empty() => Err(bad_scenario(format!(
                "op {} takes no expect or save",
                step.op.name()
            ))),
            None => Ok(()),
        }
    }

    async fn perform(&mut self, step: &Step) -> StepResult<Option<Answer>> {
        use reqwest::Method;
        let name = step.name.as_deref();
        match &step.op {
            Op::Register {
                who,
                display_name,
                kind,
                profile,
                tamper,
            } => {
                let dn = display_name.as_ref().map(|d| self.fill(d)).transpose()?;
                let profile = profile.as_ref().map(|p| self.fill(p)).transpose()?;
                Ok(Some(
                    self.register(who, dn, kind.clone(), profile, tamper, name)
                        .await?,
                ))
            }
            Op::Login {
                who,
                challenge,
                tamper,
            } => {
                let c = challenge.as_deref().map(|c| self.text(c)).transpose()?;
                Ok(Some(self.login(who, c, tamper, name).await?))
            }
            Op::Challenge { pid } => {
                let pid = self.who(pid)?;
                let body = json!({ "pid": pid }).to_string();
                Ok(Some(
                    self.request(
                        Method::POST,
                        api::auth::CHALLENGE.path,
                        None,
                        None,
                        Some(body),
                    )
                    .await?,
                ))
            }
            Op::Refresh { who, refresh_token } => {
                let token = match refresh_token {
                    Some(t) => self.text(t)?,
                    None => self.party(who)?.refresh.clone().unwrap_or_default(),
                };
                let body = json!({ "refresh_token": token }).to_string();
                let a = self
                    .request(
                        Method::POST,
                        api::auth::REFRESH.path,
                        None,
                        None,
                        Some(body),
                    )
                    .await?;
                self.take_tokens(who, &a);
                Ok(Some(a))
            }
            Op::UpdateProfile {
                who,
                display_name,
                profile,
                bearer,
                tamper,
            } => {
                let mut payload = json!({});
                if let Some(d) = display_name {
                    payload["display_name"] = self.fill(d)?;
                }
                if let Some(p) = profile {
                    payload["profile"] = self.fill(p)?;
                }
                let b = self.bearer_of(who, bearer.as_deref())?;
                let a = self
                    .send_signed(
                        who,
                        Method::PATCH,
                        api::participant::UPDATE_ME.path,
                        "participant_update",
                        payload,
                        b,
                        tamper,
                        name,
                    )
                    .await?;
                Ok(Some(a))
            }
            Op::Trust {
                who,
                debtor,
                eq,
                limit,
                policy,
                bearer,
                tamper,
            } => {
                let mut payload = json!({
                    "debtor": self.who(debtor)?,
                    "equivalent": self.eq(eq)?.0,
                    "limit": self.fill(limit)?,
                });
                if let Some(p) = policy {
                    payload["policy"] = self.fill(p)?;
                }
                let b = self.bearer_of(who, bearer.as_deref())?;
                let a = self
                    .send_signed(
                        who,
                        Method::POST,
                        api::trust_line::SET.path,
                        "trust_line_set",
                        payload,
                        b,
                        tamper,
                        name,
                    )
                    .await?;
                Ok(Some(a))
            }
            Op::Close {
                who,
                debtor,
                eq,
                bearer,
                tamper,
            } => {
                let payload = json!({ "debtor": self.who(debtor)?, "equivalent": self.eq(eq)?.0 });
                let b = self.bearer_of(who, bearer.as_deref())?;
                let a = self
                    .send_signed(
                        who,
                        Method::POST,
                        api::trust_line::CLOSE.path,
                        "trust_line_close",
                        payload,
                        b,
                        tamper,
                        name,
                    )
                    .await?;
                Ok(Some(a))
            }
            Op::Pay {
                who,
                to,
                eq,
                amount,
                tx,
                constraints,
                hold_seconds,
                description,
                bearer,
                tamper,
            } => {
                let tx_id = match tx {
                    Some(alias) => self.tx(alias),
                    None => geo_protocol::TxId::random().to_string(),
                };
                let (payee, across) = self.payee(to)?;
                let mut payload = json!({
                    "tx_id": tx_id,
                    "payee": payee,
                    "equivalent": self.eq(eq)?.0,
                    "amount": self.fill(amount)?,
                });
                if let Some(hub) = across {
                    payload["payee_hub"] = hub.into();
                }
                if let Some(c) = constraints {
                    payload["constraints"] = self.fill(c)?;
                }
                if let Some(h) = hold_seconds {
                    payload["hold_seconds"] = self.fill(h)?;
                }
                if let Some(d) = description {
                    payload["description"] = self.fill_str(d)?;
                }
                let b = self.bearer_of(who, bearer.as_deref())?;
                let a = self
                    .send_signed(
                        who,
                        Method::POST,
                        api::payment::PAY.path,
                        "payment_request",
                        payload,
                        b,
                        tamper,
                        name,
                    )
                    .await?;
                Ok(Some(a))
            }
            Op::Commit {
                who,
                tx,
                bearer,
                tamper,
            } => {
                let tx_id = self.tx(tx);
                let b = self.bearer_of(who, bearer.as_deref())?;
                let path = api::payment::COMMIT.path_with(&[&tx_id.to_string()]);
                let a = self
                    .send_signed(
                        who,
                        Method::POST,
                        &path,
                        "payment_commit",
                        json!({ "tx_id": tx_id }),
                        b,
                        tamper,
                        name,
                    )
                    .await?;
                Ok(Some(a))
            }
            Op::Abort {
                who,
                tx,
                reason,
                bearer,
                tamper,
            } => {
                let tx_id = self.tx(tx);
                let b = self.bearer_of(who, bearer.as_deref())?;
                let path = api::payment::ABORT.path_with(&[&tx_id.to_string()]);
                let reason = reason.clone().unwrap_or_else(|| "changed my mind".into());
                let payload = json!({ "tx_id": tx_id, "reason": reason });
                let a = self
                    .send_signed(
                        who,
                        Method::POST,
                        &path,
                        "payment_abort",
                        payload,
                        b,
                        tamper,
                        name,
                    )
                    .await?;
                Ok(Some(a))
            }
            Op::Consent {
                who,
                proposal,
                decision,
                tamper,
            } => {
                let (id, digest) = self
                    .proposals
                    .get(proposal)
                    .cloned()
                    .ok_or_else(|| bad_scenario(format!("no proposal named {proposal}")))?;
                let payload =
                    json!({ "clearing_id": id, "proposal_digest": digest, "decision": decision });
                let b = self.bearer_of(who, None)?;
                let path = api::clearing::CONSENT.path_with(&[&id.to_string()]);
                let a = self
                    .send_signed(
                        who,
                        Method::POST,
                        &path,
                        "clearing_consent",
                        payload,
                        b,
                        tamper,
                        name,
                    )
                    .await?;
                Ok(Some(a))
            }
            Op::Signed {
                who,
                method,
                path,
                message_type,
                payload,
                bearer,
                tamper,
            } => {
                let method = parse_method(method.as_deref().unwrap_or("POST"))?;
                let path = self.text(path)?;
                let payload = self.fill(payload)?;
                let b = self.bearer_of(who, bearer.as_deref())?;
                let a = self
                    .send_signed(who, method, &path, message_type, payload, b, tamper, name)
                    .await?;
                Ok(Some(a))
            }
            Op::Resend { who, message } => {
                let sent = self
                    .messages
                    .get(message)
                    .ok_or_else(|| bad_scenario(format!("no message named {message}")))?;
                let (m, p, body) = (sent.method.clone(), sent.path.clone(), sent.body.clone());
                let b = self.bearer_of(who, None)?;
                Ok(Some(self.request(m, &p, b, None, Some(body)).await?))
            }
            Op::Http {
                who,
                operator,
                admin_token,
                method,
                path,
                body,
                raw,
                oversized,
                content_type,
            } => {
                let method = parse_method(method.as_deref().unwrap_or("GET"))?;
                let path = self.text(path)?;
                let bearer = match who {
                    Some(w) => self.bearer_of(w, None)?,
                    None => None,
                };
                let admin = match (admin_token, operator) {
                    (Some(t), _) => Some(self.text(t)?),
                    (None, true) => self.operator.clone(),
                    (None, false) => None,
                };
                let body = if *oversized {
                    let max = self
                        .hub
                        .limits
                        .get("max_body_bytes")
                        .and_then(Value::as_u64)
                        .unwrap_or(65536) as usize;
                    Some(format!("\"{}\"", "x".repeat(max - 1)))
                } else if let Some(r) = raw {
                    Some(r.clone())
                } else {
                    body.as_ref()
                        .map(|b| self.fill(b))
                        .transpose()?
                        .map(|b| b.to_string())
                };
                let media_type = content_type.as_deref().unwrap_or("application/json");
                Ok(Some(
                    self.request_as(method, &path, bearer, admin, body, media_type)
                        .await?,
                ))
            }
            Op::Debts { eq, debts } => {
                self.check_debts(eq, debts).await?;
                Ok(None)
            }
            Op::Net { eq, net } => {
                let (code, p) = self.eq(eq)?;
                for (alias, want) in net {
                    let a = self.get(alias, api::balance::TOTALS.path).await?;
                    let got = a
                        .body
                        .as_array()
                        .and_then(|items| items.iter().find(|b| b["equivalent"] == code.as_str()))
                        .map(|b| b["net"].as_str().unwrap_or("").to_owned())
                        .unwrap_or_else(|| Self::zero(p));
                    if a.status != 200 || &got != want {
                        return Err(miss(
                            format!("net of {alias} in {code} is {want}"),
                            a.describe(),
                        ));
                    }
                }
                Ok(None)
            }
            Op::Capacity {
                who,
                to,
                eq,
                amount,
                max_hops,
            } => {
                let (payee, payee_hub) = self.payee(to)?;
                let query = api::CapacityQuery {
                    payee,
                    payee_hub,
                    equivalent: self.eq(eq)?.0.to_string(),
                    amount: amount.as_ref().map(|a| a.to_string()),
                    max_hops: *max_hops,
                    max_paths: None,
                };
                let path = api::payment::CAPACITY.path_with_query(&[], &query);
                Ok(Some(self.get(who, &path).await?))
            }
            Op::SetStatus { who, status } => {
                let pid = self.pid(who)?;
                let body = json!({ "status": status, "reason": "conformance" }).to_string();
                let path = api::operator::SET_STATUS.path_with(&[pid.as_str()]);
                Ok(Some(
                    self.request(Method::POST, &path, None, self.operator.clone(), Some(body))
                        .await?,
                ))
            }
            Op::Clear { eq } => {
                let path = api::clearing::RUN.path_with(&[&self.eq(eq)?.0.to_string()]);
                Ok(Some(
                    self.request(Method::POST, &path, None, self.operator.clone(), None)
                        .await?,
                ))
            }
            Op::Proposal {
                who,
                eq,
                proposal,
                total,
                required,
            } => {
                self.check_proposal(who, eq, proposal, total, required)
                    .await?;
                Ok(None)
            }
            Op::Receipt {
                who,
                tx,
                status,
                error_code,
            } => Ok(Some(
                self.check_receipt(who, tx, status, error_code.as_deref())
                    .await?,
            )),
            Op::Clearings {
                who,
                eq,
                count,
                total,
            } => {
                self.check_clearings(who, eq, *count, total).await?;
                Ok(None)
            }
            Op::Events {
                who,
                cursor,
                kinds,
                last,
            } => {
                let cursor = match cursor {
                    Some(c) => self.text(c)?,
                    None => "0".into(),
                };
                self.check_events(who, &cursor, kinds, last.as_deref())
                    .await?;
                Ok(None)
            }
            Op::Pages {
                who,
                path,
                limit,
                total,
            } => {
                let path = self.text(path)?;
                self.check_pages(who, &path, *limit, *total).await?;
                Ok(None)
            }
            Op::Sleep { seconds } => {
                tokio::time::sleep(Duration::from_secs_f64(*seconds)).await;
                Ok(None)
            }
            Op::SleepUntil { at, plus_seconds } => {
                let at = self.text(at)?;
                let at: f64 = at
                    .parse()
                    .map_err(|_| miss("a moment in unix seconds", at.clone()))?;
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs_f64())
                    .unwrap_or_default();
                let wait = (at + plus_seconds - now).max(0.0);
                if wait > 120.0 {
                    return Err(miss("a wait of at most 120 s", format!("{wait:.0} s")));
                }
                tokio::time::sleep(Duration::from_secs_f64(wait)).await;
                Ok(None)
            }
        }
    }

    async fn check_debts(
        &mut self,
        eq: &str,
        debts: &[(String, String, String)],
    ) -> StepResult<()> {
        let (code, p) = self.eq(eq)?;
        let mut want: HashMap<(String, String), String> = HashMap::new();
        for (d, c, amount) in debts {
            self.party(d)?;
            self.party(c)?;
            want.insert((d.clone(), c.clone()), amount.clone());
        }
        let people: Vec<String> = self
            .order
            .iter()
            .filter(|a| self.parties[*a].token.is_some())
            .cloned()
            .collect();
        // Each participant's own view: (counterparty PID) → (i_owe, owes_me).
        let mut views: HashMap<String, HashMap<String, (String, String)>> = HashMap::new();
        for x in &people {
            let a = self
                .get(x, &api::balance::DEBTS.path_with(&[&code.to_string()]))
                .await?;
            let items = a
                .body
                .as_array()
                .filter(|_| a.status == 200)
                .ok_or_else(|| miss(format!("{x}'s debts in {code}"), a.describe()))?;
            let mut view = HashMap::new();
            for i in items {
                let s = |k: &str| i[k].as_str().unwrap_or("").to_owned();
                view.insert(s("pid"), (s("i_owe"), s("owes_me")));
            }
            views.insert(x.clone(), view);
        }
        for x in &people {
            for y in people.iter().filter(|y| *y != x) {
                let expected = want
                    .get(&(x.clone(), y.clone()))
                    .cloned()
                    .unwrap_or_else(|| Self::zero(p));
                let (xp, yp) = (self.pid(x)?, self.pid(y)?);
                let zero = (Self::zero(p), Self::zero(p));
                let x_owes = views[x].get(&yp).unwrap_or(&zero).0.clone();
                let y_is_owed = views[y].get(&xp).unwrap_or(&zero).1.clone();
                if x_owes != expected || y_is_owed != expected {
                    return Err(miss(
                        format!("{x} owes {y} {expected} {code} (as both see it)"),
                        format!("{x} says it owes {x_owes}; {y} says it is owed {y_is_owed}"),
                    ));
                }
            }
        }
        Ok(())
    }

    async fn check_proposal(
        &mut self,
        who: &str,
        eq: &str,
        name: &str,
        total: &str,
        required: &[String],
    ) -> StepResult<()> {
        let (code, p) = self.eq(eq)?;
        let a = self.get(who, api::clearing::PROPOSALS.path).await?;
        let view = a
            .body
            .as_array()
            .and_then(|items| items.iter().find(|i| i["equivalent"] == code.as_str()))
            .cloned()
            .ok_or_else(|| {
                miss(
                    format!("an open clearing proposal in {code} visible to {who}"),
                    a.describe(),
                )
            })?;
        let msg = SignedMessage::<ClearingProposal>::from_value(view["proposal"].clone())
            .map_err(|e| miss("a well-formed hub-signed clearing_proposal", e.to_string()))?;
        msg.verify_signature(&self.hub.key)
            .map_err(|e| miss("the proposal verifies against the hub key", e.to_string()))?;
        let digest = msg.digest().to_string();
        if view["proposal_digest"] != digest.as_str() {
            return Err(miss(
                format!("proposal_digest {digest} (§5.3 digest)"),
                view["proposal_digest"].to_string(),
            ));
        }
        let payload = msg.payload();
        let mut sum = 0u64;
        for e in &payload.edges {
            sum += Self::minor(&e.amount.to_string(), p)?;
        }
        let want_total = Self::minor(total, p)?;
        if sum != want_total {
            return Err(miss(
                format!("the proposal sets off {total} in total"),
                format!(
                    "{} (edges {})",
                    Amount::from_minor(sum, p),
                    serde_json::to_string(&payload.edges).unwrap_or_default()
                ),
            ));
        }
        let mut want = BTreeSet::new();
        for r in required {
            want.insert(self.pid(r)?);
        }
        let got: BTreeSet<String> = payload
            .consent_required_from
            .iter()
            .map(|p| p.to_string())
            .collect();
        if want != got {
            return Err(miss(
                format!("consent required from {required:?}"),
                format!("{got:?}"),
            ));
        }
        self.proposals
            .insert(name.to_owned(), (payload.clearing_id.to_string(), digest));
        Ok(())
    }

    async fn check_receipt(
        &mut self,
        who: &str,
        tx: &str,
        status: &str,
        error_code: Option<&str>,
    ) -> StepResult<Answer> {
        let tx_id = self.tx(tx);
        let a = self
            .get(who, &api::payment::GET.path_with(&[&tx_id.to_string()]))
            .await?;
        if a.status != 200 || a.body["status"] != status {
            return Err(miss(format!("payment {tx} is {status}"), a.describe()));
        }
        let receipt = a
            .body
            .get("receipt")
            .cloned()
            .ok_or_else(|| miss("a receipt", a.describe()))?;
        let msg = SignedMessage::<PaymentReceipt>::from_value(receipt)
            .map_err(|e| miss("a well-formed payment_receipt", e.to_string()))?;
        msg.verify_signature(&self.hub.key)
            .map_err(|e| miss("the receipt verifies against the hub key", e.to_string()))?;
        let r = serde_json::to_value(msg.payload()).unwrap_or(Value::Null);
        let same = |k: &str, v: &Value| r.get(k) == Some(v);
        if !same("tx_id", &tx_id.clone().into())
            || !same("status", &status.into())
            || !same("amount", &a.body["amount"])
        {
            return Err(miss(
                "a receipt naming this tx_id, status and amount",
                r.to_string(),
            ));
        }
        if let Some(d) = self.request_digests.get(&tx_id) {
            if !same("request_digest", &d.clone().into()) {
                return Err(miss(
                    format!("request_digest {d} (digest of the signed request)"),
                    r.to_string(),
                ));
            }
        }
        if r.get("error_code").and_then(Value::as_str) != error_code {
            return Err(miss(format!("error_code {error_code:?}"), r.to_string()));
        }
        if status == "committed" {
            let precision = Precision::new(
                a.body["amount"]
                    .as_str()
                    .and_then(|t| t.split_once('.'))
                    .map_or(0, |(_, f)| f.len() as u8),
            )
            .map_err(|e| miss("a canonical amount", e.to_string()))?;
            let routes = r["routes"].as_array().cloned().unwrap_or_default();
            let mut sum = 0;
            for route in &routes {
                sum += Self::minor(route["amount"].as_str().unwrap_or(""), precision)?;
            }
            let amount = Self::minor(a.body["amount"].as_str().unwrap_or(""), precision)?;
            if routes.is_empty() || sum != amount {
                return Err(miss(
                    "routes whose amounts sum to the payment's amount",
                    r.to_string(),
                ));
            }
        }
        Ok(a)
    }

    async fn check_clearings(
        &mut self,
        who: &str,
        eq: &str,
        count: usize,
        total: &str,
    ) -> StepResult<()> {
        let (code, p) = self.eq(eq)?;
        let a = self
            .get(
                who,
                &api::clearing::LIST.path_with_query(
                    &[],
                    &api::PageQuery {
                        limit: Some(200),
                        cursor: None,
                    },
                ),
            )
            .await?;
        let items: Vec<Value> = a.body["items"]
            .as_array()
            .map(|i| {
                i.iter()
                    .filter(|c| c["equivalent"] == code.as_str())
                    .cloned()
                    .collect()
            })
            .ok_or_else(|| miss("a page of clearings", a.describe()))?;
        if items.len() != count {
            return Err(miss(
                format!("{count} clearing(s) in {code} for {who}"),
                a.describe(),
            ));
        }
        let mut sum = 0;
        for i in &items {
            let msg = SignedMessage::<ClearingReceipt>::from_value(i["receipt"].clone())
                .map_err(|e| miss("a well-formed clearing_receipt", e.to_string()))?;
            msg.verify_signature(&self.hub.key).map_err(|e| {
                miss(
                    "the clearing receipt verifies against the hub key",
                    e.to_string(),
                )
            })?;
            let edges: u64 = msg
                .payload()
                .edges
                .iter()
                .map(|e| Self::minor(&e.amount.to_string(), p))
                .sum::<StepResult<u64>>()?;
            let t = Self::minor(&msg.payload().total.to_string(), p)?;
            if t != edges {
                return Err(miss(
                    "a receipt total equal to the sum of its edges",
                    format!("{t} vs {edges}"),
                ));
            }
            sum += t;
        }
        if sum != Self::minor(total, p)? {
            return Err(miss(
                format!("clearings totalling {total}"),
                Amount::from_minor(sum, p).to_string(),
            ));
        }
        Ok(())
    }

    async fn check_events(
        &mut self,
        who: &str,
        cursor: &str,
        kinds: &[String],
        last: Option<&str>,
    ) -> StepResult<()> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        use tokio_tungstenite::tungstenite::Message;
        let url = format!(
            "{}/events?cursor={cursor}",
            self.api.replacen("http", "ws", 1)
        );
        let mut req = url
            .clone()
            .into_client_request()
            .map_err(|e| bad_scenario(e.to_string()))?;
        let token = self.party(who)?.token.clone().unwrap_or_default();
        req.headers_mut().insert(
            "authorization",
            format!("Bearer {token}")
                .parse()
                .map_err(|_| bad_scenario("token"))?,
        );
        let (mut ws, _) = tokio::time::timeout(
            Duration::from_secs(10),
            tokio_tungstenite::connect_async(req),
        )
        .await
        .map_err(|_| miss("the event stream opens", "timed out"))?
        .map_err(|e| miss("the event stream opens", e.to_string()))?;
        let start: u64 = cursor.parse().unwrap_or(0);
        let mut got: Vec<(u64, String)> = Vec::new();
        let mut hello = false;
        loop {
            // Wait for what is expected, then a little longer to see that nothing more comes.
            let wait = if got.len() >= kinds.len() && hello {
                600
            } else {
                10_000
            };
            let frame = match tokio::time::timeout(Duration::from_millis(wait), ws.next()).await {
                Err(_) => break,
                Ok(None) => break,
                Ok(Some(Err(e))) => return Err(miss("a readable event stream", e.to_string())),
                Ok(Some(Ok(f))) => f,
            };
            let Message::Text(text) = frame else { continue };
            let v: Value = serde_json::from_str(text.as_str())
                .map_err(|e| miss("JSON event frames", e.to_string()))?;
            match v["type"].as_str() {
                Some("hello") => hello = true,
                Some("event") => {
                    let id = v["id"]
                        .as_u64()
                        .ok_or_else(|| miss("events with numeric ids", v.to_string()))?;
                    if v["kind"] == "clearing_committed" {
                        // §8.5: a clearing event carries its hub-signed receipt.
                        expect::verify_receipt("clearing", &v["data"]["receipt"], &self.hub.key)
                            .map_err(|why| {
                                miss("a clearing_committed event with a valid receipt", why)
                            })?;
                    }
                    got.push((id, v["kind"].as_str().unwrap_or("").to_owned()));
                }
                _ => {}
            }
        }
        let _ = ws.close(None).await;
        let mut prev = start;
        for (id, _) in &got {
            if *id <= prev {
                return Err(miss(
                    format!("event ids increasing from the cursor {start}"),
                    format!("{got:?}"),
                ));
            }
            prev = *id;
        }
        let seen: Vec<&str> = got.iter().map(|(_, k)| k.as_str()).collect();
        if seen != kinds.iter().map(String::as_str).collect::<Vec<_>>() || !hello {
            return Err(miss(
                format!("hello, then exactly the events {kinds:?} after cursor {cursor}"),
                format!("hello: {hello}, events {seen:?}"),
            ));
        }
        if let Some(var) = last {
            self.vars.insert(var.to_owned(), prev.to_string().into());
        }
        Ok(())
    }

    async fn check_pages(
        &mut self,
        who: &str,
        path: &str,
        limit: u32,
        total: usize,
    ) -> StepResult<()> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut cursor: Option<String> = None;
        let mut seen = BTreeSet::new();
        let mut count = 0;
        for _ in 0..1000 {
            let page = match &cursor {
                None => format!("{path}{sep}limit={limit}"),
                Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
            };
            let a = self.get(who, &page).await?;
            let items = a.body["items"]
                .as_array()
                .filter(|_| a.status == 200)
                .ok_or_else(|| miss(format!("a page from {page}"), a.describe()))?;
            if items.len() > limit as usize {
                return Err(miss(
                    format!("at most {limit} items per page"),
                    a.describe(),
                ));
            }
            for i in items {
                let key = ["id", "tx_id", "pid", "clearing_id"]
                    .iter()
                    .find_map(|k| i.get(*k).map(Value::to_string))
                    .unwrap_or_else(|| i.to_string());
                if !seen.insert(key.clone()) {
                    return Err(miss(
                        "every item exactly once across pages",
                        format!("{key} repeated"),
                    ));
                }
                count += 1;
            }
            match a.body.get("next_cursor").and_then(Value::as_str) {
                Some(c) if !items.is_empty() => cursor = Some(c.to_owned()),
                Some(_) => return Err(miss("no next_cursor after an empty page", a.describe())),
                None => break,
            }
        }
        if count != total {
            return Err(miss(
                format!("{total} items in all pages of {path}"),
                format!("{count} items"),
            ));
        }
        Ok(())
    }
}

fn parse_method(m: &str) -> StepResult<reqwest::Method> {
    reqwest::Method::from_bytes(m.as_bytes()).map_err(|_| bad_scenario(format!("method {m}")))
}

fn seed(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
