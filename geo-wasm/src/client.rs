//! `HubClient` over the host's `fetch`: every SDK operation as a Promise. The transport loop only
//! carries what geo-client's policy state machines decide (resend, re-sign, renew, verify).

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use geo_client::policy::{
    self, Action, Backoff, Call, Exchange, PaymentCall, PaymentOutcome, Renewal, Resend,
};
use geo_client::requests::{self, read, ApiRequest, Signer};
use geo_client::{
    ClearingProposal, ClosedLine, ConsentOutcome, Equivalent, GeoError, GeoResult, HubIdentity,
    HubInfo, Page, Participant, Payment, Tokens, TrustLine,
};
use geo_protocol::{
    ClearingDecision, ParticipantKind, PaymentRequest, Pid, Profile, SignedMessage, Timestamp,
    TrustLinePolicy, TxId,
};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::error::{IntoJs, JsResult};
use crate::identity::Identity;
use crate::js::{self, host_now};
use crate::transport::{boxed, jitter, send};
use crate::types::{ClientOptions, PaymentOrder};

/// A transport future behind a pointer (see [`Inner::body`]).
type Transport<'a, T> = Pin<Box<dyn Future<Output = GeoResult<T>> + 'a>>;

#[derive(Default)]
struct Session {
    access: Option<String>,
    refresh: Option<String>,
    generation: u64,
}

pub(crate) struct Inner {
    pub(crate) base: String,
    pub(crate) signer: Signer,
    pub(crate) hub: HubIdentity,
    /// The discovery document as the hub sent it (checked as `HubInfo`, its key as its PID's).
    info_json: String,
    session: RefCell<Session>,
    pub(crate) backoff: Backoff,
    timeout_ms: u64,
    clock_offset: i64,
}

fn base_url(url: &str) -> GeoResult<String> {
    let base = url.trim_end_matches('/');
    let base = base.strip_suffix("/api/v1").unwrap_or(base).to_owned();
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(GeoError::Validation {
            code: "E_VALIDATION".into(),
            message: format!("the hub URL must start with http:// or https://, got {base:?}"),
        });
    }
    Ok(base)
}

fn parse_valid<T: DeserializeOwned>(body: &str) -> GeoResult<T> {
    requests::parse(200, body)
}

impl Inner {
    fn now(&self) -> Timestamp {
        let t = host_now();
        Timestamp::from_unix(t.unix() + self.clock_offset).unwrap_or(t)
    }

    fn call(&self, req: ApiRequest, resend: Resend) -> Call {
        Call::new(req, resend, self.backoff, jitter())
    }

    fn token(&self) -> Option<(String, u64)> {
        let s = self.session.borrow();
        s.access.clone().map(|t| (t, s.generation))
    }

    async fn login(&self) -> GeoResult<Participant> {
        let t = self
            .drive(Renewal::login(self.signer.clone(), self.backoff, jitter()))
            .await?;
        self.store(&t);
        Ok(t.participant)
    }

    fn store(&self, t: &Tokens) {
        let mut s = self.session.borrow_mut();
        s.access = Some(t.access_token.clone());
        s.refresh = Some(t.refresh_token.clone());
        s.generation += 1;
    }

    /// Fresh tokens after generation `failed` stopped working ([`Renewal`] decides how).
    pub(crate) async fn renew(&self, failed: Option<u64>) -> GeoResult<()> {
        let (current, refresh) = {
            let s = self.session.borrow();
            (s.access.as_ref().map(|_| s.generation), s.refresh.clone())
        };
        if current.is_some() && current != failed {
            return Ok(()); // renewed meanwhile by another call
        }
        let renewal = Renewal::new(
            self.signer.clone(),
            refresh.as_deref(),
            self.backoff,
            jitter(),
        );
        let t = self.drive(renewal).await?;
        self.store(&t);
        Ok(())
    }

    /// [`Inner::renew`] behind a pointer: renewing drives calls itself.
    fn renew_boxed(
        &self,
        failed: Option<u64>,
    ) -> Pin<Box<dyn Future<Output = GeoResult<()>> + '_>> {
        Box::pin(self.renew(failed))
    }

    pub(crate) async fn access_token(&self) -> GeoResult<(String, u64)> {
        if let Some(t) = self.token() {
            return Ok(t);
        }
        self.renew_boxed(None).await?;
        self.token().ok_or_else(|| GeoError::Protocol {
            message: "no token after logging in".into(),
        })
    }

    /// Carries a policy machine's requests until it is done: it decides resends, waits,
    /// re-signing and renewals; this only sends, sleeps and gets tokens.
    async fn drive<E: Exchange>(&self, exchange: E) -> GeoResult<E::Output> {
        let mut kept = Kept {
            exchange,
            result: None,
        };
        self.run(&mut kept).await?;
        kept.result.unwrap_or_else(|| {
            Err(GeoError::Protocol {
                message: "a policy machine ended without its result".into(),
            })
        })
    }

    /// [`Inner::drive`]'s loop, one future for every kind of policy machine.
    fn run<'a>(
        &'a self,
        exchange: &'a mut dyn Exchange<Output = ()>,
    ) -> Pin<Box<dyn Future<Output = GeoResult<()>> + 'a>> {
        Box::pin(async move {
            let mut generation = None;
            loop {
                match exchange.next_action(self.now()) {
                    Action::Send(req) => {
                        let token = match req.authenticated {
                            true => Some(self.access_token().await?),
                            false => None,
                        };
                        generation = token.as_ref().map(|(_, g)| *g);
                        let token = token.as_ref().map(|(t, _)| t.as_str());
                        match send(&self.base, &req, token, None, self.timeout_ms).await {
                            Ok(a) => {
                                exchange.on_response(a.status, a.body, a.retry_after, self.now())
                            }
                            Err(e) => exchange.on_failure(e),
                        }
                    }
                    Action::Wait(ms) => js::sleep(ms).await,
                    Action::Renew => {
                        let r = self.renew_boxed(generation).await;
                        exchange.on_renewed(r);
                    }
                    Action::Done(r) => return r,
                }
            }
        })
    }

    /// The body of the answer to one request: one future behind a pointer for every method, so
    /// the transport loop is not copied into each method's own future.
    fn body(&self, req: ApiRequest, resend: Resend) -> Transport<'_, String> {
        Box::pin(self.drive(self.call(req, resend)))
    }

    fn submit(&self, signed: SignedMessage<PaymentRequest>) -> Transport<'_, PaymentOutcome> {
        let call = PaymentCall::new(
            self.signer.clone(),
            self.hub.clone(),
            signed,
            self.backoff,
            jitter(),
        );
        Box::pin(self.drive(call))
    }
}

/// A policy machine whose result is kept aside, so that one loop ([`Inner::run`]) drives every
/// kind of machine.
struct Kept<E: Exchange> {
    exchange: E,
    result: Option<GeoResult<E::Output>>,
}

impl<E: Exchange> Exchange for Kept<E> {
    type Output = ();

    fn next_action(&mut self, now: Timestamp) -> Action<()> {
        match self.exchange.next_action(now) {
            Action::Send(req) => Action::Send(req),
            Action::Wait(ms) => Action::Wait(ms),
            Action::Renew => Action::Renew,
            Action::Done(r) => {
                self.result = Some(r);
                Action::Done(Ok(()))
            }
        }
    }

    fn on_response(&mut self, status: u16, body: String, retry_after: Option<u64>, now: Timestamp) {
        self.exchange.on_response(status, body, retry_after, now)
    }

    fn on_failure(&mut self, error: GeoError) {
        self.exchange.on_failure(error)
    }

    fn on_renewed(&mut self, result: GeoResult<()>) {
        self.exchange.on_renewed(result)
    }
}

/// A participant's connection to one hub. Every method returns a Promise; failures reject with
/// a `GeoError`.
#[wasm_bindgen]
pub struct HubClient {
    inner: Rc<Inner>,
}

type P = js_sys::Promise;

/// An optional object argument (`p?: T` in the `.d.ts`).
type Opt = Option<js_sys::Object>;

/// What a method makes of the body of the hub's 2xx answer: checks it as its type, verifies what
/// it carries, and gives the value its Promise resolves to. The methods differ only in their
/// request and in this, so all of them await one future (a state machine per method would copy
/// the transport, the error path and the type's checks into each).
type Finish = fn(&Inner, &str) -> GeoResult<JsValue>;

/// The request for one page of a list, from its cursor (`None`: the first page).
type PageRequest = Box<dyn Fn(Option<&str>) -> ApiRequest>;

fn promise<F>(f: F) -> P
where
    F: std::future::Future<Output = GeoResult<JsValue>> + 'static,
{
    future_to_promise(boxed(async move { f.await.js() }))
}

fn out<T: serde::Serialize>(v: &T) -> GeoResult<JsValue> {
    js::to_js(v).map_err(|e| GeoError::Protocol {
        message: js::describe(&e),
    })
}

fn raw(body: &str) -> GeoResult<JsValue> {
    js_sys::JSON::parse(body).map_err(|_| GeoError::InvalidResponse {
        message: "not JSON".into(),
    })
}

/// An answer checked as `T` (every member the API promises, of its type), handed on as the hub
/// sent it.
fn checked<T: DeserializeOwned>(_: &Inner, body: &str) -> GeoResult<JsValue> {
    parse_valid::<T>(body)?;
    raw(body)
}

fn arg<T: DeserializeOwned>(v: &JsValue, what: &str) -> GeoResult<T> {
    js::from_js(v, what)
}

fn opt_arg<T: DeserializeOwned>(v: &Option<js_sys::Object>, what: &str) -> GeoResult<Option<T>> {
    match v {
        Some(o) if !o.is_undefined() && !o.is_null() => arg(o, what).map(Some),
        _ => Ok(None),
    }
}

fn member(o: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(o, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

impl HubClient {
    /// One request (or the error that stopped it being made), its answer finished by `finish`;
    /// with `login`, logs in after it.
    fn request(
        &self,
        req: GeoResult<ApiRequest>,
        resend: Resend,
        finish: Finish,
        login: bool,
    ) -> P {
        let i = self.inner.clone();
        promise(async move {
            let body = i.body(req?, resend).await?;
            let value = finish(&i, &body)?;
            if login {
                i.login().await?;
            }
            Ok(value)
        })
    }

    /// A read, resent while the failure is retryable.
    fn read(&self, req: GeoResult<ApiRequest>, finish: Finish) -> P {
        self.request(req, Resend::Retryable, finish, false)
    }

    /// A signed change other than a payment, resent only while the hub did no work.
    fn change(&self, req: GeoResult<ApiRequest>, finish: Finish) -> P {
        self.request(req, Resend::RefusedBeforeWork, finish, false)
    }

    /// The items of every page (`page(cursor)` asks for one), each page finished by `finish`.
    fn pages(&self, page: PageRequest, finish: Finish) -> P {
        let i = self.inner.clone();
        promise(async move {
            let mut pager = geo_client::paging::Pager::new();
            let out = js_sys::Array::new();
            while let Some(cursor) = pager.next() {
                let body = i.body(page(cursor), Resend::Retryable).await?;
                let p = finish(&i, &body)?;
                for item in js_sys::Array::from(&member(&p, "items")).iter() {
                    out.push(&item);
                }
                pager.advance(member(&p, "next_cursor").as_string())?;
            }
            Ok(out.into())
        })
    }

    /// A signed payment request (or the error that stopped it being signed), submitted until the
    /// hub answers; its outcome finished by `finish`.
    fn submit_then(
        &self,
        signed: GeoResult<SignedMessage<PaymentRequest>>,
        finish: fn(PaymentOutcome) -> GeoResult<JsValue>,
    ) -> P {
        let i = self.inner.clone();
        promise(async move { finish(i.submit(signed?).await?) })
    }
}

#[wasm_bindgen]
impl HubClient {
    /// Fetches the hub's discovery document, checks that its key belongs to its PID (and to
    /// `options.expected_hub`), and returns a client (it logs in on the first call that needs it).
    #[wasm_bindgen(unchecked_return_type = "Promise<HubClient>")]
    pub fn connect(
        url: String,
        identity: &Identity,
        #[wasm_bindgen(unchecked_param_type = "ClientOptions | undefined")] options: Opt,
    ) -> P {
        let identity = identity.clone_inner();
        future_to_promise(boxed(async move {
            let o: ClientOptions = opt_arg(&options, "options").js()?.unwrap_or_default();
            let base = base_url(&url).js()?;
            let timeout_ms = o.request_timeout_ms.unwrap_or(15_000);
            let d = Backoff::default();
            let backoff = Backoff {
                attempts: o.attempts.unwrap_or(d.attempts).max(1),
                base_ms: o.base_delay_ms.unwrap_or(d.base_ms),
                max_ms: o.max_delay_ms.unwrap_or(d.max_ms),
            };
            let mut call = Call::new(read::hub(), Resend::Retryable, backoff, jitter());
            let mut date = None;
            let body = loop {
                match call.next_action() {
                    Action::Send(req) => match send(&base, &req, None, None, timeout_ms).await {
                        Ok(a) => {
                            date = a.date.clone();
                            call.on_response(a.status, a.body, a.retry_after)
                        }
                        Err(e) => call.on_failure(e),
                    },
                    Action::Wait(ms) => js::sleep(ms).await,
                    Action::Renew => call.on_renewed(Err(GeoError::Protocol {
                        message: "discovery needs no token".into(),
                    })),
                    Action::Done(r) => break r.js()?,
                }
            };
            let info: HubInfo = parse_valid(&body).js()?;
            let hub = HubIdentity::from_info(info, o.expected_hub.as_ref()).js()?;
            let validity = o
                .validity_seconds
                .unwrap_or(300)
                .min(hub.info.limits.max_validity_seconds);
            let signer = Signer::new(std::sync::Arc::new(identity), hub.pid.clone(), validity);
            let clock_offset = date
                .as_deref()
                .and_then(geo_client::clock::parse_http_date)
                .map_or(0, |t| geo_client::clock::offset(t, host_now(), 5));
            Ok(HubClient {
                inner: Rc::new(Inner {
                    base,
                    signer,
                    hub,
                    info_json: body,
                    session: RefCell::new(Session::default()),
                    backoff,
                    timeout_ms,
                    clock_offset,
                }),
            }
            .into())
        }))
    }

    /// This participant's PID.
    #[wasm_bindgen(getter)]
    pub fn pid(&self) -> String {
        self.inner.signer.pid().to_string()
    }

    /// The hub's PID (verified against its key).
    #[wasm_bindgen(getter, js_name = hubPid)]
    pub fn hub_pid(&self) -> String {
        self.inner.hub.pid.to_string()
    }

    /// The hub's discovery document.
    #[wasm_bindgen(getter, js_name = hubInfo, unchecked_return_type = "HubInfo")]
    pub fn hub_info(&self) -> JsValue {
        raw(&self.inner.info_json).unwrap_or(JsValue::NULL)
    }

    /// Registers this identity (self-signed) and logs in.
    #[wasm_bindgen(unchecked_return_type = "Promise<Participant>")]
    pub fn register(
        &self,
        display_name: String,
        #[wasm_bindgen(unchecked_param_type = "ParticipantKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Profile | undefined")] profile: Opt,
    ) -> P {
        let i = &self.inner;
        let req = (|| {
            let kind: ParticipantKind = arg(&kind, "kind")?;
            let profile: Option<Profile> = opt_arg(&profile, "profile")?;
            i.signer.register(&display_name, kind, profile, i.now())
        })();
        self.request(req, Resend::RefusedBeforeWork, checked::<Participant>, true)
    }

    /// Logs in (signed challenge); later calls renew the token by themselves.
    #[wasm_bindgen(unchecked_return_type = "Promise<Participant>")]
    pub fn login(&self) -> P {
        let i = self.inner.clone();
        promise(async move { out(&i.login().await?) })
    }

    /// This participant's profile.
    #[wasm_bindgen(unchecked_return_type = "Promise<Participant>")]
    pub fn profile(&self) -> P {
        self.read(Ok(read::me()), checked::<Participant>)
    }

    /// Changes the display name and/or replaces the profile (signed).
    #[wasm_bindgen(js_name = updateProfile, unchecked_return_type = "Promise<Participant>")]
    pub fn update_profile(
        &self,
        display_name: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "Profile | undefined")] profile: Opt,
    ) -> P {
        let i = &self.inner;
        let req = opt_arg::<Profile>(&profile, "profile")
            .and_then(|p| i.signer.update_profile(display_name, p, i.now()));
        self.change(req, checked::<Participant>)
    }

    /// Another participant's public profile.
    #[wasm_bindgen(unchecked_return_type = "Promise<Participant>")]
    pub fn participant(&self, pid: String) -> P {
        let req = Pid::parse(&pid).map(|p| read::participant(&p));
        self.read(req.map_err(Into::into), checked::<Participant>)
    }

    /// Members whose display name contains `q` or whose PID starts with it (first page).
    #[wasm_bindgen(js_name = searchParticipants, unchecked_return_type = "Promise<Participant[]>")]
    pub fn search_participants(&self, q: String, limit: Option<u32>) -> P {
        self.read(Ok(read::search_participants(&q, limit, None)), |i, body| {
            Ok(member(&checked::<Page<Participant>>(i, body)?, "items"))
        })
    }

    /// The hub's units of account.
    #[wasm_bindgen(unchecked_return_type = "Promise<Equivalent[]>")]
    pub fn equivalents(&self) -> P {
        self.read(Ok(read::equivalents()), checked::<Vec<Equivalent>>)
    }

    /// Lets `debtor` owe this participant up to `limit` (a decimal string) in `equivalent`.
    #[wasm_bindgen(js_name = setTrustLine, unchecked_return_type = "Promise<TrustLine>")]
    pub fn set_trust_line(
        &self,
        debtor: String,
        equivalent: String,
        limit: String,
        #[wasm_bindgen(unchecked_param_type = "TrustLinePolicy | undefined")] policy: Opt,
    ) -> P {
        let i = &self.inner;
        let req = (|| {
            let debtor = Pid::parse(&debtor)?;
            let policy: Option<TrustLinePolicy> = opt_arg(&policy, "policy")?;
            i.signer
                .set_trust_line(&debtor, &equivalent, &limit, policy, i.now())
        })();
        self.change(req, checked::<TrustLine>)
    }

    /// Closes the line this participant extends to `debtor` (refused while debt remains).
    #[wasm_bindgen(js_name = closeTrustLine, unchecked_return_type = "Promise<ClosedLine>")]
    pub fn close_trust_line(&self, debtor: String, equivalent: String) -> P {
        let i = &self.inner;
        let req = Pid::parse(&debtor)
            .map_err(Into::into)
            .and_then(|d| i.signer.close_trust_line(&d, &equivalent, i.now()));
        self.change(req, checked::<ClosedLine>)
    }

    /// One page of trust lines.
    #[wasm_bindgen(js_name = trustLinesPage, unchecked_return_type = "Promise<TrustLinePage>")]
    pub fn trust_lines_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TrustLineFilter | undefined")] filter: Opt,
        cursor: Option<String>,
    ) -> P {
        let req = trust_filter(&filter).map(|f| read::trust_lines(&f, cursor.as_deref()));
        self.read(req, checked::<Page<TrustLine>>)
    }

    /// Every trust line matching the filter (follows all pages).
    #[wasm_bindgen(js_name = trustLines, unchecked_return_type = "Promise<TrustLine[]>")]
    pub fn trust_lines(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TrustLineFilter | undefined")] filter: Opt,
    ) -> P {
        match trust_filter(&filter) {
            Ok(f) => self.pages(
                Box::new(move |c| read::trust_lines(&f, c)),
                checked::<Page<TrustLine>>,
            ),
            Err(e) => promise(async move { Err(e) }),
        }
    }

    /// One trust line by id.
    #[wasm_bindgen(js_name = trustLine, unchecked_return_type = "Promise<TrustLine>")]
    pub fn trust_line(&self, id: String) -> P {
        self.read(Ok(read::trust_line(&id)), checked::<TrustLine>)
    }

    /// Signs a payment request with a fresh `tx_id` and returns its JSON text: keep it to resend it
    /// with `submitPayment` after a lost answer (the hub applies a `tx_id` at most once).
    #[wasm_bindgen(js_name = signPayment)]
    pub fn sign_payment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PaymentOrder")] order: JsValue,
    ) -> JsResult<String> {
        Ok(self.sign(&order, None).js()?.to_json())
    }

    /// Sends a signed payment request (from `signPayment`) until the hub answers: resent byte for
    /// byte on network errors, 429 and 503; re-signed once its validity passed; the receipt verified.
    #[wasm_bindgen(js_name = submitPayment, unchecked_return_type = "Promise<PaymentRecord>")]
    pub fn submit_payment(&self, signed_json: String) -> P {
        let signed = SignedMessage::<PaymentRequest>::from_json_of_type(&signed_json)
            .map_err(GeoError::from)
            .and_then(|s| match s.signer() == &self.inner.signer.pid() {
                true => Ok(s),
                false => Err(GeoError::Validation {
                    code: "E_VALIDATION".into(),
                    message: "the payment request is signed by someone else".into(),
                }),
            });
        self.submit_then(signed, |o| out(&o))
    }

    /// Pays and returns the verified hub-signed receipt. A refusal such as
    /// `E_INSUFFICIENT_CAPACITY` rejects with a `GeoError`; nothing changed then.
    #[wasm_bindgen(unchecked_return_type = "Promise<Receipt>")]
    pub fn pay(&self, #[wasm_bindgen(unchecked_param_type = "PaymentOrder")] order: JsValue) -> P {
        self.submit_then(self.sign(&order, None), |o| {
            out(&o.receipt.ok_or_else(|| GeoError::InvalidResponse {
                message: "a committed payment without a receipt".into(),
            })?)
        })
    }

    /// Pays an invoice (an `Invoice` from `readInvoice`, or its `geo:invoice` link): reads its link
    /// again at the hub's time, refusing it unless it is payable at this hub (`E_WRONG_AUDIENCE`),
    /// unexpired and signed by its payee; then pays its amount to its payee with its description,
    /// naming its id. The payment and its verified receipt.
    #[wasm_bindgen(js_name = payInvoice, unchecked_return_type = "Promise<PaymentRecord>")]
    pub fn pay_invoice(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Invoice | string")] invoice: JsValue,
    ) -> P {
        let i = &self.inner;
        let signed = (|| {
            let invoice = geo_client::read_invoice(
                &crate::invoice::uri_of(&invoice)?,
                Some(&i.hub.pid),
                i.now(),
            )?;
            i.signer
                .payment(&invoice.payment_order()?, TxId::random(), i.now())
        })();
        self.submit_then(signed, |o| out(&o))
    }

    /// Prepares a payment and holds it for `seconds`; finish it with `commit` or `abort`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Payment>")]
    pub fn hold(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PaymentOrder")] order: JsValue,
        seconds: u32,
    ) -> P {
        self.submit_then(self.sign(&order, Some(seconds)), |o| out(&o.payment))
    }

    /// Commits a held payment; its verified receipt.
    #[wasm_bindgen(unchecked_return_type = "Promise<Receipt>")]
    pub fn commit(&self, tx_id: String) -> P {
        let i = &self.inner;
        let req = tx_id
            .parse()
            .map_err(Into::into)
            .and_then(|t| i.signer.commit(t, i.now()));
        self.change(req, finished)
    }

    /// Aborts a held payment; the verified receipt of the abort.
    #[wasm_bindgen(unchecked_return_type = "Promise<Receipt>")]
    pub fn abort(&self, tx_id: String, reason: String) -> P {
        let i = &self.inner;
        let req = tx_id
            .parse()
            .map_err(Into::into)
            .and_then(|t| i.signer.abort(t, &reason, i.now()));
        self.change(req, finished)
    }

    /// A payment's status, with its verified receipt once it ended.
    #[wasm_bindgen(unchecked_return_type = "Promise<PaymentRecord>")]
    pub fn payment(&self, tx_id: String) -> P {
        self.read(Ok(read::payment(&tx_id)), |i, body| {
            out(&policy::verify_read(&i.hub, parse_valid(body)?)?)
        })
    }

    /// One page of payment history (newest first); every receipt on it is verified.
    #[wasm_bindgen(js_name = historyPage, unchecked_return_type = "Promise<PaymentPage>")]
    pub fn history_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HistoryFilter | undefined")] filter: Opt,
        cursor: Option<String>,
    ) -> P {
        let req = opt_arg::<geo_client::HistoryFilter>(&filter, "filter")
            .map(|f| read::history(&f.unwrap_or_default(), cursor.as_deref()));
        self.read(req, |i, body| {
            let page: Page<Payment> = parse_valid(body)?;
            for p in page.items {
                policy::verify_read(&i.hub, p)?;
            }
            raw(body)
        })
    }

    /// The most that can be paid to `payee` now (and whether `amount` can).
    #[wasm_bindgen(unchecked_return_type = "Promise<Capacity>")]
    pub fn capacity(&self, payee: String, equivalent: String, amount: Option<String>) -> P {
        let req =
            Pid::parse(&payee).map(|p| read::capacity(&p.into(), &equivalent, amount.as_deref()));
        self.read(req.map_err(Into::into), checked::<geo_client::Capacity>)
    }

    /// Totals per equivalent.
    #[wasm_bindgen(unchecked_return_type = "Promise<Balance[]>")]
    pub fn balance(&self) -> P {
        self.read(Ok(read::balance()), checked::<Vec<geo_client::Balance>>)
    }

    /// Position with each counterparty in one equivalent.
    #[wasm_bindgen(unchecked_return_type = "Promise<Counterparty[]>")]
    pub fn debts(&self, equivalent: String) -> P {
        self.read(
            Ok(read::debts(&equivalent)),
            checked::<Vec<geo_client::Counterparty>>,
        )
    }

    /// The trust network around this participant in one equivalent, `depth` hops (default 2, at
    /// most 3): members, the lines between them, amounts on its own lines only (spec §8.7).
    #[wasm_bindgen(unchecked_return_type = "Promise<Neighbourhood>")]
    pub fn network(&self, equivalent: String, depth: Option<u8>) -> P {
        self.read(
            Ok(read::network(&equivalent, depth)),
            checked::<geo_client::Neighbourhood>,
        )
    }

    /// Open clearing proposals involving this participant, each verified against the hub's key.
    #[wasm_bindgen(js_name = clearingProposals, unchecked_return_type = "Promise<ClearingProposal[]>")]
    pub fn clearing_proposals(&self) -> P {
        self.read(Ok(read::proposals()), |i, body| {
            let list: Vec<ClearingProposal> = parse_valid(body)?;
            for p in &list {
                i.hub.verify_proposal(p)?;
            }
            raw(body)
        })
    }

    /// Accepts or rejects a proposal (from `clearingProposals`), signing over its verified digest.
    #[wasm_bindgen(unchecked_return_type = "Promise<ConsentOutcome>")]
    pub fn consent(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ClearingProposal")] proposal: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ClearingDecision")] decision: JsValue,
    ) -> P {
        let i = &self.inner;
        let req = (|| {
            let p: ClearingProposal = arg(&proposal, "proposal")?;
            let decision: ClearingDecision = arg(&decision, "decision")?;
            let msg = i.hub.verify_proposal(&p)?;
            i.signer
                .consent(msg.payload().clearing_id, msg.digest(), decision, i.now())
        })();
        self.change(req, checked::<ConsentOutcome>)
    }

    /// Every applied clearing that touched this participant (newest first), receipts verified.
    #[wasm_bindgen(unchecked_return_type = "Promise<Clearing[]>")]
    pub fn clearings(&self) -> P {
        self.pages(Box::new(|c| read::clearings(None, c)), |i, body| {
            let page: Page<geo_client::Clearing> = parse_valid(body)?;
            for c in &page.items {
                i.hub.verify_clearing(c)?;
            }
            raw(body)
        })
    }

    /// The live event stream after event id `after` (0: from the start): an async iterator that
    /// reconnects and resumes from its cursor, never delivering an event twice.
    pub fn events(&self, after: Option<f64>) -> crate::events::EventStream {
        crate::events::EventStream::start(self.inner.clone(), after.unwrap_or(0.0) as u64)
    }
}

impl HubClient {
    /// A payment request for the order `order` (a JS `PaymentOrder`), held for `hold` seconds when
    /// given, signed now with a fresh `tx_id`.
    fn sign(&self, order: &JsValue, hold: Option<u32>) -> GeoResult<SignedMessage<PaymentRequest>> {
        let o: PaymentOrder = arg(order, "order")?;
        let o = match hold {
            Some(s) => o.into_sdk().hold(s),
            None => o.into_sdk(),
        };
        self.inner
            .signer
            .payment(&o, TxId::random(), self.inner.now())
    }
}

/// A finished hold's answer: the payment verified, its receipt.
fn finished(i: &Inner, body: &str) -> GeoResult<JsValue> {
    let o = policy::verify_read(&i.hub, parse_valid(body)?)?;
    let r = o.receipt.ok_or_else(|| GeoError::InvalidResponse {
        message: "a finished hold without a receipt".into(),
    })?;
    out(&r)
}

fn trust_filter(v: &Option<js_sys::Object>) -> GeoResult<geo_client::TrustLineFilter> {
    Ok(opt_arg(v, "filter")?.unwrap_or_default())
}

impl Inner {
    pub(crate) fn ws_url(&self, path: &str) -> String {
        let base = if let Some(rest) = self.base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else {
            self.base.replacen("http://", "ws://", 1)
        };
        format!("{base}/api/v1{path}")
    }
}

impl Inner {
    pub(crate) fn token_now(&self) -> Option<String> {
        self.token().map(|(t, _)| t)
    }

    pub(crate) fn token_generation(&self) -> Option<u64> {
        self.token().map(|(_, g)| g)
    }
}
