//! `HubClient`: the SDK's one object. Discovery on connect, login with automatic token renewal,
//! every API call, safe payment retries, and verified hub signatures.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_core::Stream;
use geo_api::BASE;
use geo_protocol::{
    ClearingDecision, Identity, ParticipantKind, PaymentRequest, Pid, Profile, SignedMessage,
    Timestamp, TrustLinePolicy, TxId,
};
use serde::de::DeserializeOwned;

use super::http::{self, Answer, Credential};
use crate::error::{GeoError, GeoResult};
use crate::paging::Pager;
use crate::policy::{self, Action, Backoff, Call, Exchange, Jitter, PaymentCall, Renewal, Resend};
use crate::requests::{
    self, read, ApiRequest, HistoryFilter, Payee, PaymentOrder, Signer, TrustLineFilter,
};
use crate::types::*;
use crate::verify::{HubIdentity, Receipt};

/// How often and how patiently to resend requests that may succeed later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all (1: never resend).
    pub attempts: u32,
    /// Delay before the first resend; doubles each time.
    pub base_delay: Duration,
    /// Longest delay between attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl From<RetryPolicy> for Backoff {
    fn from(p: RetryPolicy) -> Backoff {
        Backoff {
            attempts: p.attempts,
            base_ms: p.base_delay.as_millis().try_into().unwrap_or(u64::MAX),
            max_ms: p.max_delay.as_millis().try_into().unwrap_or(u64::MAX),
        }
    }
}

/// A jitter seeded from the operating system, so no two clients wait alike.
pub(crate) fn jitter() -> Jitter {
    let mut seed = [0u8; 8];
    // Without entropy the waits are merely not spread; nothing else depends on it.
    let _ = getrandom::getrandom(&mut seed);
    Jitter::seeded(u64::from_le_bytes(seed))
}

/// Client settings.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Per-request time limit.
    pub request_timeout: Duration,
    /// Resending of retryable failures.
    pub retry: RetryPolicy,
    /// Validity window of signed messages, seconds.
    pub validity_seconds: i64,
    /// Refuse a hub whose PID is not this one (pinning).
    pub expected_hub: Option<Pid>,
    /// Longest wait between event stream reconnects.
    pub max_reconnect_delay: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            request_timeout: Duration::from_secs(15),
            retry: RetryPolicy::default(),
            validity_seconds: 300,
            expected_hub: None,
            max_reconnect_delay: Duration::from_secs(10),
        }
    }
}

#[derive(Default)]
struct Session {
    access: Option<String>,
    refresh: Option<String>,
    generation: u64,
}

pub(crate) struct Inner {
    pub(crate) base: String,
    http: reqwest::Client,
    pub(crate) signer: Signer,
    pub(crate) hub: HubIdentity,
    session: Mutex<Session>,
    auth: tokio::sync::Mutex<()>,
    pub(crate) config: ClientConfig,
    clock_offset: i64,
}

/// A participant's connection to one hub. Cheap to clone (clones share the session), `Send + Sync`.
///
/// Keys stay in the process: every change is signed here and the hub only ever sees signatures.
#[derive(Clone)]
pub struct HubClient {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for HubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubClient")
            .field("hub", &self.inner.base)
            .field("pid", &self.inner.signer.pid())
            .finish()
    }
}

/// The current time as a protocol timestamp.
pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Timestamp::from_unix(secs).unwrap_or_else(|_| Timestamp::from_unix(0).expect("epoch is valid"))
}

/// Carries a call that has no session to renew (discovery, the operator's calls) until it is done;
/// returns the body and the hub's clock from the last answer.
async fn drive_without_session(
    http: &reqwest::Client,
    base: &str,
    credential: Credential<'_>,
    timeout: Duration,
    mut call: Call,
) -> GeoResult<(String, Option<Timestamp>)> {
    let mut date = None;
    loop {
        match call.next_action() {
            Action::Send(req) => match http::send(http, base, &req, credential, timeout).await {
                Ok(a) => {
                    date = a.date;
                    call.on_response(a.status, a.body, a.retry_after);
                }
                Err(e) => call.on_failure(e),
            },
            Action::Wait(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Action::Renew => call.on_renewed(Err(GeoError::Protocol {
                message: "this call has no session to renew".into(),
            })),
            Action::Done(r) => return r.map(|body| (body, date)),
        }
    }
}

/// Configures and connects a [`HubClient`].
#[derive(Debug, Clone)]
pub struct HubClientBuilder {
    url: String,
    identity: Arc<Identity>,
    config: ClientConfig,
}

impl HubClientBuilder {
    /// Pins the hub: connecting fails unless the hub's PID is this one.
    pub fn expect_hub(mut self, pid: Pid) -> Self {
        self.config.expected_hub = Some(pid);
        self
    }

    /// Sets the per-request time limit.
    pub fn request_timeout(mut self, d: Duration) -> Self {
        self.config.request_timeout = d;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Sets every setting at once.
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.config = config;
        self
    }

    /// Fetches discovery, checks the hub's key against its PID, and returns the client (not yet
    /// logged in: the first authenticated call logs in).
    pub async fn connect(self) -> GeoResult<HubClient> {
        let base = self.url.trim_end_matches('/').to_owned();
        let base = base.strip_suffix(BASE).unwrap_or(&base).to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(GeoError::validation(
                geo_protocol::ErrorCode::Validation,
                format!("the hub URL must start with http:// or https://, got {base:?}"),
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(self.config.request_timeout)
            .build()
            .map_err(http::transport)?;
        let discovery = Call::new(
            read::hub(),
            Resend::Retryable,
            self.config.retry.into(),
            jitter(),
        );
        let timeout = self.config.request_timeout;
        let (body, hub_time) =
            drive_without_session(&http, &base, Credential::None, timeout, discovery).await?;
        let info: HubInfo = requests::parse(200, &body)?;
        let hub = HubIdentity::from_info(info, self.config.expected_hub.as_ref())?;
        let signer = Signer::new(
            self.identity,
            hub.pid.clone(),
            self.config
                .validity_seconds
                .min(hub.info.limits.max_validity_seconds),
        );
        // Date signed messages by the hub's clock when the local one is off by more than a few
        // seconds (the hub refuses messages from the future and expired ones).
        let clock_offset = hub_time.map_or(0, |t| crate::clock::offset(t, now(), 5));
        Ok(HubClient {
            inner: Arc::new(Inner {
                clock_offset,
                base,
                http,
                signer,
                hub,
                session: Mutex::new(Session::default()),
                auth: tokio::sync::Mutex::new(()),
                config: self.config,
            }),
        })
    }
}

/// A stream of items fetched page by page.
pub type PageStream<T> = Pin<Box<dyn Stream<Item = GeoResult<T>> + Send>>;

/// A payment with its verified receipt (absent while held).
pub type PaymentRecord = policy::PaymentOutcome;

impl HubClient {
    /// Starts configuring a client for the hub at `url` (e.g. `http://127.0.0.1:8080`).
    pub fn builder(url: &str, identity: Identity) -> HubClientBuilder {
        HubClientBuilder {
            url: url.to_owned(),
            identity: Arc::new(identity),
            config: ClientConfig::default(),
        }
    }

    /// Connects with default settings.
    pub async fn connect(url: &str, identity: Identity) -> GeoResult<HubClient> {
        Self::builder(url, identity).connect().await
    }

    /// This participant's PID.
    pub fn pid(&self) -> Pid {
        self.inner.signer.pid()
    }

    /// The hub's verified identity and discovery document.
    pub fn hub(&self) -> &HubIdentity {
        &self.inner.hub
    }

    /// The hub's base URL.
    pub fn url(&self) -> &str {
        &self.inner.base
    }

    /// Seconds the hub's clock is ahead of this device's (0 when they agree within 5 s); signed
    /// messages are dated by the hub's clock.
    pub fn clock_offset(&self) -> i64 {
        self.inner.clock_offset
    }

    /// The time signed messages carry: now by the hub's clock.
    fn signing_time(&self) -> Timestamp {
        let t = now();
        Timestamp::from_unix(t.unix() + self.inner.clock_offset).unwrap_or(t)
    }

    /// How many times tokens were obtained (login or refresh) by this client and its clones.
    pub fn token_generation(&self) -> u64 {
        self.session().generation
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.inner
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn access_token(&self) -> Option<(String, u64)> {
        let s = self.session();
        s.access.clone().map(|t| (t, s.generation))
    }

    /// The current refresh token (it rotates: each renewal replaces it). Keep it to resume the
    /// session in a later process with [`HubClient::resume_session`] instead of logging in again.
    pub fn refresh_token(&self) -> Option<String> {
        self.session().refresh.clone()
    }

    /// Resumes a session from a refresh token kept by an earlier process: the first authenticated
    /// call renews with it (and logs in afresh if the hub no longer accepts it).
    pub fn resume_session(&self, refresh_token: &str) {
        let mut s = self.session();
        if s.access.is_none() {
            s.refresh = Some(refresh_token.to_owned());
        }
    }

    fn store_tokens(&self, t: &Tokens) {
        let mut s = self.session();
        s.access = Some(t.access_token.clone());
        s.refresh = Some(t.refresh_token.clone());
        s.generation += 1;
    }

    fn backoff(&self) -> Backoff {
        self.inner.config.retry.into()
    }

    /// A call of `req` under this client's retry policy, waits spread by a fresh jitter.
    fn call(&self, req: &ApiRequest, resend: Resend) -> Call {
        Call::new(req.clone(), resend, self.backoff(), jitter())
    }

    /// Carries `exchange`'s requests until it is done: the policy machine decides resends, waits,
    /// re-signing and renewals; this only sends bytes, sleeps and gets tokens.
    async fn drive<E: Exchange>(&self, mut exchange: E) -> GeoResult<E::Output> {
        let mut generation = None;
        loop {
            match exchange.next_action(self.signing_time()) {
                Action::Send(req) => {
                    let token = match req.authenticated {
                        true => Some(self.token_or_login().await?),
                        false => None,
                    };
                    generation = token.as_ref().map(|(_, g)| *g);
                    let credential = match &token {
                        Some((t, _)) => Credential::Bearer(t),
                        None => Credential::None,
                    };
                    match self.send(&req, credential).await {
                        Ok(a) => exchange.on_response(
                            a.status,
                            a.body,
                            a.retry_after,
                            self.signing_time(),
                        ),
                        Err(e) => exchange.on_failure(e),
                    }
                }
                Action::Wait(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                Action::Renew => {
                    let r = self.renew_boxed(generation).await;
                    exchange.on_renewed(r);
                }
                Action::Done(r) => return r,
            }
        }
    }

    async fn send(&self, req: &ApiRequest, credential: Credential<'_>) -> GeoResult<Answer> {
        let timeout = self.inner.config.request_timeout;
        http::send(&self.inner.http, &self.inner.base, req, credential, timeout).await
    }

    /// The access token and its generation, logging in first when there is none.
    pub(crate) async fn token_or_login(&self) -> GeoResult<(String, u64)> {
        if let Some(t) = self.access_token() {
            return Ok(t);
        }
        self.renew_boxed(None).await?;
        self.access_token().ok_or_else(|| GeoError::Protocol {
            message: "no token after logging in".into(),
        })
    }

    /// [`HubClient::renew`] behind a pointer: renewing drives calls itself (refresh, login).
    fn renew_boxed(
        &self,
        failed_generation: Option<u64>,
    ) -> Pin<Box<dyn std::future::Future<Output = GeoResult<()>> + Send + '_>> {
        Box::pin(self.renew(failed_generation))
    }

    /// An unauthenticated call (registration, login): resent only when the hub refused it before
    /// doing anything (rate limit, unavailable).
    async fn public<T: DeserializeOwned>(&self, req: &ApiRequest) -> GeoResult<T> {
        let body = self
            .drive(self.call(req, Resend::RefusedBeforeWork))
            .await?;
        requests::parse(200, &body)
    }

    /// Registers this identity with the hub (self-signed) and logs in.
    pub async fn register(
        &self,
        display_name: &str,
        kind: ParticipantKind,
        profile: Option<Profile>,
    ) -> GeoResult<Participant> {
        let req = self
            .inner
            .signer
            .register(display_name, kind, profile, self.signing_time())?;
        let p: Participant = self.public(&req).await?;
        self.login().await?;
        Ok(p)
    }

    /// Logs in: asks for a challenge, signs it, stores the tokens.
    pub async fn login(&self) -> GeoResult<Participant> {
        let _guard = self.inner.auth.lock().await;
        self.login_locked().await
    }

    async fn login_locked(&self) -> GeoResult<Participant> {
        let renewal = Renewal::login(self.inner.signer.clone(), self.backoff(), jitter());
        let t = self.drive(renewal).await?;
        self.store_tokens(&t);
        Ok(t.participant)
    }

    /// Gets fresh tokens after `failed_generation` stopped working (the refresh token, else a new
    /// login: [`Renewal`] decides). Clones that hit the same expiry renew once.
    pub(crate) async fn renew(&self, failed_generation: Option<u64>) -> GeoResult<()> {
        let _guard = self.inner.auth.lock().await;
        let (current, refresh) = {
            let s = self.session();
            (s.access.as_ref().map(|_| s.generation), s.refresh.clone())
        };
        if current.is_some() && current != failed_generation {
            return Ok(()); // someone else renewed meanwhile
        }
        let renewal = Renewal::new(
            self.inner.signer.clone(),
            refresh.as_deref(),
            self.backoff(),
            jitter(),
        );
        let t = self.drive(renewal).await?;
        self.store_tokens(&t);
        Ok(())
    }

    /// A read (GET): resent on any retryable failure.
    async fn get<T: DeserializeOwned>(&self, req: &ApiRequest) -> GeoResult<T> {
        let body = self.drive(self.call(req, Resend::Retryable)).await?;
        requests::parse(200, &body)
    }

    /// A signed change other than a payment: resent only when the hub refused before doing anything
    /// (a replayed nonce would be refused otherwise).
    async fn change<T: DeserializeOwned>(&self, req: &ApiRequest) -> GeoResult<T> {
        let body = self
            .drive(self.call(req, Resend::RefusedBeforeWork))
            .await?;
        requests::parse(200, &body)
    }

    /// This participant's profile.
    pub async fn profile(&self) -> GeoResult<Participant> {
        self.get(&read::me()).await
    }

    /// Another participant's public profile.
    pub async fn participant(&self, pid: &Pid) -> GeoResult<Participant> {
        self.get(&read::participant(pid)).await
    }

    /// Every participant whose display name contains `query` (any case) or whose PID starts with
    /// it (follows all pages).
    pub async fn search_participants(&self, query: &str) -> GeoResult<Vec<Participant>> {
        let mut pager = Pager::new();
        let mut out = Vec::new();
        while let Some(cursor) = pager.next() {
            let page: Page<Participant> = self
                .get(&read::search_participants(query, Some(200), cursor))
                .await?;
            out.extend(page.items);
            pager.advance(page.next_cursor)?;
        }
        Ok(out)
    }

    /// Changes the display name and/or replaces the profile (signed).
    pub async fn update_profile(
        &self,
        display_name: Option<String>,
        profile: Option<Profile>,
    ) -> GeoResult<Participant> {
        let req = self
            .inner
            .signer
            .update_profile(display_name, profile, self.signing_time())?;
        self.change(&req).await
    }

    /// The hub's units of account.
    pub async fn equivalents(&self) -> GeoResult<Vec<Equivalent>> {
        self.get(&read::equivalents()).await
    }

    /// Lets `debtor` owe this participant up to `limit` in `equivalent` (creates or replaces the
    /// line and its whole policy; `None` means the default policy).
    pub async fn set_trust_line(
        &self,
        debtor: &Pid,
        equivalent: &str,
        limit: &str,
        policy: Option<TrustLinePolicy>,
    ) -> GeoResult<TrustLine> {
        let req = self.inner.signer.set_trust_line(
            debtor,
            equivalent,
            limit,
            policy,
            self.signing_time(),
        )?;
        self.change(&req).await
    }

    /// Closes the line this participant extends to `debtor` (refused while debt remains).
    pub async fn close_trust_line(&self, debtor: &Pid, equivalent: &str) -> GeoResult<ClosedLine> {
        let req = self
            .inner
            .signer
            .close_trust_line(debtor, equivalent, self.signing_time())?;
        self.change(&req).await
    }

    /// One page of trust lines.
    pub async fn trust_lines_page(
        &self,
        filter: &TrustLineFilter,
        cursor: Option<&str>,
    ) -> GeoResult<Page<TrustLine>> {
        self.get(&read::trust_lines(filter, cursor)).await
    }

    /// Every trust line matching the filter (follows all pages).
    pub async fn trust_lines(&self, filter: &TrustLineFilter) -> GeoResult<Vec<TrustLine>> {
        let mut pager = Pager::new();
        let mut out = Vec::new();
        while let Some(cursor) = pager.next() {
            let page = self.trust_lines_page(filter, cursor).await?;
            out.extend(page.items);
            pager.advance(page.next_cursor)?;
        }
        Ok(out)
    }

    /// One trust line by id.
    pub async fn trust_line(&self, id: &str) -> GeoResult<TrustLine> {
        self.get(&read::trust_line(id)).await
    }

    /// Signs a payment request with a fresh `tx_id`. Keep it to resend it later with
    /// [`HubClient::submit_payment`]: the hub applies a `tx_id` at most once.
    pub fn sign_payment(&self, order: &PaymentOrder) -> GeoResult<SignedMessage<PaymentRequest>> {
        self.inner
            .signer
            .payment(order, TxId::random(), self.signing_time())
    }

    /// Pays and returns the verified hub-signed receipt of the committed payment. The signed
    /// request is resent unchanged on network errors, time-outs, 429 and 503 (with backoff), so a
    /// lost answer never pays twice. A refusal such as `E_INSUFFICIENT_CAPACITY` is a
    /// [`GeoError::Hub`]; nothing changed then.
    pub async fn pay(&self, order: PaymentOrder) -> GeoResult<Receipt> {
        if order.hold_seconds.is_some() {
            return Err(GeoError::validation(
                geo_protocol::ErrorCode::Validation,
                "use hold() for payments with hold_seconds",
            ));
        }
        let signed = self.sign_payment(&order)?;
        let record = self.submit_payment(&signed).await?;
        record.receipt.ok_or_else(|| {
            GeoError::invalid(format!(
                "payment {} is {} without a receipt",
                record.payment.tx_id,
                record.payment.status.as_str()
            ))
        })
    }

    /// Signs an invoice asking to be paid `amount` of `equivalent` at this hub, payable for
    /// `valid_for_seconds` (at most 30 days); share its `uri` (a QR code) with the payer.
    pub fn sign_invoice(
        &self,
        equivalent: &str,
        amount: &str,
        description: Option<&str>,
        valid_for_seconds: i64,
    ) -> GeoResult<crate::Invoice> {
        let now = self.signing_time();
        let order = crate::InvoiceOrder {
            hub: self.inner.hub.pid.clone(),
            equivalent: equivalent.parse()?,
            amount: amount.parse()?,
            description: description.map(str::to_owned),
            expires_at: now.plus_seconds(valid_for_seconds),
        };
        crate::invoice::sign_invoice(self.inner.signer.identity(), &order, now)
    }

    /// Pays a `geo:invoice` link (§6.4): reads it at the hub's time, refusing it unless it is
    /// payable at this hub (`E_WRONG_AUDIENCE`), unexpired and signed by its payee, then pays its
    /// amount to its payee with its description, naming its id. Returns the verified receipt.
    pub async fn pay_invoice(&self, uri: &str) -> GeoResult<Receipt> {
        let hub = self.inner.hub.pid.clone();
        let invoice = crate::invoice::read_invoice(uri, Some(&hub), self.signing_time())?;
        self.pay(invoice.payment_order()?).await
    }

    /// Prepares a payment and holds it for `seconds`; finish it with [`HubClient::commit`] or
    /// [`HubClient::abort`].
    pub async fn hold(&self, order: PaymentOrder, seconds: u32) -> GeoResult<Payment> {
        let signed = self.sign_payment(&order.hold(seconds))?;
        Ok(self.submit_payment(&signed).await?.payment)
    }

    /// Sends a signed payment request, resending exactly it (or, if it expired on the way, the same
    /// payload re-signed: the hub deduplicates by `tx_id` and payload) until the hub answers.
    pub async fn submit_payment(
        &self,
        signed: &SignedMessage<PaymentRequest>,
    ) -> GeoResult<PaymentRecord> {
        let call = PaymentCall::new(
            self.inner.signer.clone(),
            self.inner.hub.clone(),
            signed.clone(),
            self.backoff(),
            jitter(),
        );
        self.drive(call).await
    }

    /// Sends several signed payment requests in one request (`POST /payments/batch`; each signed
    /// by its own payer, e.g. with [`HubClient::sign_payment`] of several clients) and returns one
    /// result per request, in order: what [`HubClient::submit_payment`] would give for it alone.
    /// The batch is resent unchanged on network errors, time-outs, 429 and 503 (the hub applies
    /// each `tx_id` at most once and answers a resent one with its stored outcome); unlike
    /// `submit_payment`, a request refused as expired is not re-signed (its payer's key need not
    /// be this client's). The whole batch is refused (`Err`) only when the hub refuses the request
    /// itself: not a batch, no session, over the rate budget. A list longer than the hub's
    /// published `max_batch_payments` goes as several batches, one after another; a batch refused
    /// whole then ends the call (`Err`) though the batches before it were applied (their payments,
    /// resent, answer their stored outcomes). An empty list sends nothing.
    pub async fn submit_payments(
        &self,
        signed: &[SignedMessage<PaymentRequest>],
    ) -> GeoResult<Vec<GeoResult<PaymentRecord>>> {
        let cap = match self.inner.hub.info.limits.max_batch_payments {
            0 => signed.len().max(1), // a hub that does not say: one request, as it is
            cap => cap as usize,
        };
        let mut outcomes = Vec::with_capacity(signed.len());
        for part in signed.chunks(cap) {
            let req = requests::pay_batch(part);
            let body = self.drive(self.call(&req, Resend::Retryable)).await?;
            outcomes.extend(policy::batch_outcomes(
                &self.inner.hub,
                part,
                requests::parse(200, &body)?,
            )?);
        }
        Ok(outcomes)
    }

    /// Commits a held payment; returns the verified receipt.
    pub async fn commit(&self, tx_id: &str) -> GeoResult<Receipt> {
        let tx: TxId = tx_id.parse()?;
        let req = self.inner.signer.commit(tx, self.signing_time())?;
        let payment: Payment = self.change(&req).await?;
        policy::verify_read(&self.inner.hub, payment)?
            .receipt
            .ok_or_else(|| GeoError::invalid("a committed hold without a receipt"))
    }

    /// Aborts a held payment; returns the verified receipt of the abort.
    pub async fn abort(&self, tx_id: &str, reason: &str) -> GeoResult<Receipt> {
        let tx: TxId = tx_id.parse()?;
        let req = self.inner.signer.abort(tx, reason, self.signing_time())?;
        let payment: Payment = self.change(&req).await?;
        policy::verify_read(&self.inner.hub, payment)?
            .receipt
            .ok_or_else(|| GeoError::invalid("an aborted hold without a receipt"))
    }

    /// A payment's status, with its verified receipt once it ended (its payer, its payee, and the
    /// intermediaries of a committed payment).
    pub async fn payment(&self, tx_id: &str) -> GeoResult<PaymentRecord> {
        let p: Payment = self.get(&read::payment(tx_id)).await?;
        policy::verify_read(&self.inner.hub, p)
    }

    /// One page of payment history (newest first).
    pub async fn history_page(
        &self,
        filter: &HistoryFilter,
        cursor: Option<&str>,
    ) -> GeoResult<Page<Payment>> {
        self.get(&read::history(filter, cursor)).await
    }

    /// The whole payment history as a stream that fetches pages as it is read; every receipt is
    /// verified (a bad one is yielded as an error).
    pub fn history(&self, filter: HistoryFilter) -> PageStream<Payment> {
        struct State {
            client: HubClient,
            filter: HistoryFilter,
            pager: Pager,
            buffer: VecDeque<Payment>,
        }
        let state = State {
            client: self.clone(),
            filter,
            pager: Pager::new(),
            buffer: VecDeque::new(),
        };
        Box::pin(futures_util::stream::unfold(state, |mut st| async move {
            loop {
                if let Some(p) = st.buffer.pop_front() {
                    let item = policy::verify_read(&st.client.inner.hub, p).map(|o| o.payment);
                    return Some((item, st));
                }
                let cursor = st.pager.next()?.map(str::to_owned);
                let page = st
                    .client
                    .history_page(&st.filter, cursor.as_deref())
                    .await
                    .and_then(|page| {
                        st.pager.advance(page.next_cursor.clone())?;
                        Ok(page)
                    });
                match page {
                    Ok(page) => st.buffer.extend(page.items),
                    Err(e) => {
                        // Stop after reporting: the same page would fail again.
                        while st.pager.next().is_some() {
                            let _ = st.pager.advance(None);
                        }
                        return Some((Err(e), st));
                    }
                }
            }
        }))
    }

    /// The most that can be paid to `payee` now (and whether `amount` can): a member of this hub,
    /// or of a linked one (`Payee::parse` of its `geo:` address), as far as both hubs carry it.
    pub async fn capacity(
        &self,
        payee: &Payee,
        equivalent: &str,
        amount: Option<&str>,
    ) -> GeoResult<Capacity> {
        self.get(&read::capacity(payee, equivalent, amount)).await
    }

    /// Totals per equivalent.
    pub async fn balance(&self) -> GeoResult<Vec<Balance>> {
        self.get(&read::balance()).await
    }

    /// Position with each counterparty in one equivalent.
    pub async fn debts(&self, equivalent: &str) -> GeoResult<Vec<Counterparty>> {
        self.get(&read::debts(equivalent)).await
    }

    /// The trust network around this participant, `depth` hops (default 2, at most 3); amounts
    /// only on its own lines (spec §8.7).
    pub async fn network(&self, equivalent: &str, depth: Option<u8>) -> GeoResult<Neighbourhood> {
        self.get(&read::network(equivalent, depth)).await
    }

    /// Open clearing proposals involving this participant, each verified against the hub's key.
    pub async fn clearing_proposals(&self) -> GeoResult<Vec<ClearingProposal>> {
        let list: Vec<ClearingProposal> = self.get(&read::proposals()).await?;
        for p in &list {
            self.inner.hub.verify_proposal(p)?;
        }
        Ok(list)
    }

    /// Accepts or rejects a proposal, signing over the digest of the verified hub-signed proposal.
    pub async fn consent(
        &self,
        proposal: &ClearingProposal,
        decision: ClearingDecision,
    ) -> GeoResult<ConsentOutcome> {
        let msg = self.inner.hub.verify_proposal(proposal)?;
        let req = self.inner.signer.consent(
            msg.payload().clearing_id,
            msg.digest(),
            decision,
            self.signing_time(),
        )?;
        self.change(&req).await
    }

    /// Every applied clearing that touched this participant (newest first), receipts verified.
    pub async fn clearings(&self) -> GeoResult<Vec<Clearing>> {
        let mut pager = Pager::new();
        let mut out = Vec::new();
        while let Some(cursor) = pager.next() {
            let page: Page<Clearing> = self.get(&read::clearings(None, cursor)).await?;
            for c in &page.items {
                self.inner.hub.verify_clearing(c)?;
            }
            out.extend(page.items);
            pager.advance(page.next_cursor)?;
        }
        Ok(out)
    }
}

/// The operator's client (`X-Admin-Token`): creates equivalents and runs clearing.
#[derive(Clone)]
pub struct AdminClient {
    base: String,
    token: String,
    http: reqwest::Client,
    timeout: Duration,
}

impl std::fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminClient")
            .field("hub", &self.base)
            .finish_non_exhaustive()
    }
}

impl AdminClient {
    /// An operator client for the hub at `url`.
    pub fn new(url: &str, admin_token: &str) -> AdminClient {
        let base = url.trim_end_matches('/');
        AdminClient {
            base: base.strip_suffix(BASE).unwrap_or(base).to_owned(),
            token: admin_token.to_owned(),
            http: reqwest::Client::new(),
            timeout: Duration::from_secs(30),
        }
    }

    /// One operator call: resent only when the hub refused it before doing anything.
    async fn send<T: DeserializeOwned>(&self, req: &ApiRequest) -> GeoResult<T> {
        let call = Call::new(
            req.clone(),
            Resend::RefusedBeforeWork,
            Backoff::default(),
            jitter(),
        );
        let token = Credential::Operator(&self.token);
        let (body, _) =
            drive_without_session(&self.http, &self.base, token, self.timeout, call).await?;
        requests::parse(200, &body)
    }

    /// Creates or changes an equivalent.
    pub async fn set_equivalent(
        &self,
        code: &str,
        precision: u8,
        description: &str,
    ) -> GeoResult<Equivalent> {
        self.send(&requests::admin::set_equivalent(
            code,
            precision,
            description,
        ))
        .await
    }

    /// Runs the optimal clearing of an equivalent now.
    pub async fn run_clearing(&self, code: &str) -> GeoResult<ClearingRun> {
        self.send(&requests::admin::run_clearing(code)).await
    }

    /// The hub's totals: participants by status, journal length, open holds, payments and, per
    /// equivalent, the debt outstanding and what clearing has set off.
    pub async fn stats(&self) -> GeoResult<HubStats> {
        self.send(&requests::admin::stats()).await
    }

    /// Every clearing applied (newest first; one equivalent or all), each receipt verified
    /// against the key the hub publishes and checked against its listing.
    pub async fn clearings(&self, equivalent: Option<&str>) -> GeoResult<Vec<Clearing>> {
        let info: HubInfo = self.send(&read::hub()).await?;
        let hub = HubIdentity::from_info(info, None)?;
        let mut pager = Pager::new();
        let mut out = Vec::new();
        while let Some(cursor) = pager.next() {
            let page: Page<Clearing> = self
                .send(&requests::admin::clearings(equivalent, None, cursor))
                .await?;
            for c in &page.items {
                hub.verify_clearing(c)?;
            }
            out.extend(page.items);
            pager.advance(page.next_cursor)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_policy_is_the_policy_machines_backoff() {
        let p: Backoff = RetryPolicy {
            attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
        }
        .into();
        assert_eq!(p.attempts, 10);
        assert_eq!(p.delay_ms(2), 100);
        assert_eq!(p.delay_ms(3), 200);
        assert_eq!(p.delay_ms(4), 350);
        assert_eq!(p.delay_ms(40), 350);
    }

    #[test]
    fn the_client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<HubClient>();
        assert_send_sync::<AdminClient>();
    }
}
