//! `HubClientBuilder` → `HubClient`: the SDK's client, one method per SDK operation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use geo_protocol::{PaymentRequest, SignedMessage};

use crate::error::GeoError;
use crate::events::EventStream;
use crate::history::PaymentHistory;
use crate::identity::Identity;
use crate::records::*;
use crate::types::{Amount, EquivalentCode, Pid, TxId};

/// How often and how patiently to resend requests that may succeed later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RetryPolicy {
    /// Attempts in all (1: never resend).
    pub attempts: u32,
    /// Delay before the first resend, milliseconds; doubles each time.
    pub base_delay_ms: u64,
    /// Longest delay between attempts, milliseconds.
    pub max_delay_ms: u64,
}

impl From<RetryPolicy> for geo_client::RetryPolicy {
    fn from(p: RetryPolicy) -> Self {
        geo_client::RetryPolicy {
            attempts: p.attempts,
            base_delay: Duration::from_millis(p.base_delay_ms),
            max_delay: Duration::from_millis(p.max_delay_ms),
        }
    }
}

/// Configures a [`HubClient`]: the hub's URL and the identity are required; pinning the hub's PID,
/// time-outs and the retry policy are optional. Setters return the builder for chaining.
#[derive(uniffi::Object)]
pub struct HubClientBuilder {
    url: String,
    identity: geo_protocol::Identity,
    config: Mutex<geo_client::ClientConfig>,
}

impl HubClientBuilder {
    fn with(self: Arc<Self>, change: impl FnOnce(&mut geo_client::ClientConfig)) -> Arc<Self> {
        change(&mut self.config.lock().unwrap_or_else(|p| p.into_inner()));
        self
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl HubClientBuilder {
    /// Starts configuring a client of the hub at `url` (e.g. `http://127.0.0.1:8080`).
    #[uniffi::constructor]
    pub fn new(url: String, identity: Arc<Identity>) -> Arc<Self> {
        Arc::new(HubClientBuilder {
            url,
            identity: identity.inner.clone(),
            config: Mutex::new(geo_client::ClientConfig::default()),
        })
    }

    /// Refuses to connect unless the hub's PID is `hub` (pinning). (Fallible like every call that
    /// takes a PID: invalid PID text is a typed error.)
    pub fn expect_hub(self: Arc<Self>, hub: Pid) -> Result<Arc<Self>, GeoError> {
        Ok(self.with(|c| c.expected_hub = Some(hub)))
    }

    /// The time limit of one request, milliseconds.
    pub fn request_timeout_ms(self: Arc<Self>, millis: u64) -> Arc<Self> {
        self.with(|c| c.request_timeout = Duration::from_millis(millis))
    }

    /// The longest wait between event stream reconnects, milliseconds.
    pub fn max_reconnect_delay_ms(self: Arc<Self>, millis: u64) -> Arc<Self> {
        self.with(|c| c.max_reconnect_delay = Duration::from_millis(millis))
    }

    /// How retryable failures are resent.
    pub fn retry_policy(self: Arc<Self>, policy: RetryPolicy) -> Arc<Self> {
        self.with(|c| c.retry = policy.into())
    }

    /// Fetches the hub's discovery document, checks its key against its PID (and the pinned
    /// PID), and returns the client; the first authenticated call logs in.
    pub async fn connect(&self) -> Result<Arc<HubClient>, GeoError> {
        let config = self
            .config
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let inner = geo_client::HubClient::builder(&self.url, self.identity.clone())
            .config(config)
            .connect()
            .await?;
        Ok(Arc::new(HubClient { inner }))
    }
}

/// A payment request signed once, with its `tx_id` fixed: submit it again after a lost answer and
/// the hub applies it at most once.
#[derive(Debug, uniffi::Object)]
pub struct SignedPayment {
    inner: SignedMessage<PaymentRequest>,
}

#[uniffi::export]
impl SignedPayment {
    /// The payment's id.
    pub fn tx_id(&self) -> TxId {
        self.inner.payload().tx_id
    }

    /// The signed message as JSON text.
    pub fn json(&self) -> String {
        self.inner.to_json()
    }
}

/// A participant's connection to one hub (wraps [`geo_client::HubClient`]). Keys stay in the
/// process: every change is signed here and the hub only sees signatures.
#[derive(Debug, uniffi::Object)]
pub struct HubClient {
    inner: geo_client::HubClient,
}

#[uniffi::export(async_runtime = "tokio")]
impl HubClient {
    /// This participant's PID.
    pub fn pid(&self) -> Pid {
        self.inner.pid()
    }

    /// The hub's PID, checked against the key it publishes.
    pub fn hub_pid(&self) -> Pid {
        self.inner.hub().pid.clone()
    }

    /// The hub's base URL.
    pub fn url(&self) -> String {
        self.inner.url().to_owned()
    }

    /// Registers this identity with the hub and logs in.
    pub async fn register(
        &self,
        display_name: String,
        kind: ParticipantKind,
        profile: Option<HashMap<String, String>>,
    ) -> Result<Participant, GeoError> {
        let p = self
            .inner
            .register(
                &display_name,
                kind.into(),
                profile.map(crate::records::profile),
            )
            .await?;
        Ok(p.into())
    }

    /// Logs in (signs a fresh challenge); other calls do this by themselves when needed.
    pub async fn login(&self) -> Result<Participant, GeoError> {
        Ok(self.inner.login().await?.into())
    }

    /// This participant's profile.
    pub async fn profile(&self) -> Result<Participant, GeoError> {
        Ok(self.inner.profile().await?.into())
    }

    /// Another participant's public profile.
    pub async fn participant(&self, pid: Pid) -> Result<Participant, GeoError> {
        Ok(self.inner.participant(&pid).await?.into())
    }

    /// Changes the display name and/or replaces the profile.
    pub async fn update_profile(
        &self,
        display_name: Option<String>,
        profile: Option<HashMap<String, String>>,
    ) -> Result<Participant, GeoError> {
        let p = self
            .inner
            .update_profile(display_name, profile.map(crate::records::profile))
            .await?;
        Ok(p.into())
    }

    /// The hub's units of account.
    pub async fn equivalents(&self) -> Result<Vec<Equivalent>, GeoError> {
        let list = self.inner.equivalents().await?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// Lets `debtor` owe this participant up to `limit` (creates or replaces the line and its
    /// whole policy; none: the default policy).
    pub async fn set_trust_line(
        &self,
        debtor: Pid,
        equivalent: EquivalentCode,
        limit: Amount,
        policy: Option<TrustLinePolicy>,
    ) -> Result<TrustLine, GeoError> {
        let line = self
            .inner
            .set_trust_line(
                &debtor,
                equivalent.as_str(),
                limit.as_str(),
                policy.map(Into::into),
            )
            .await?;
        line.try_into()
    }

    /// Closes the line this participant extends to `debtor` (refused while debt remains).
    pub async fn close_trust_line(
        &self,
        debtor: Pid,
        equivalent: EquivalentCode,
    ) -> Result<ClosedLine, GeoError> {
        Ok(self
            .inner
            .close_trust_line(&debtor, equivalent.as_str())
            .await?
            .into())
    }

    /// Every trust line matching the filter (all pages).
    pub async fn trust_lines(&self, filter: TrustLineFilter) -> Result<Vec<TrustLine>, GeoError> {
        all(self.inner.trust_lines(&filter.into()).await?)
    }

    /// One trust line by id.
    pub async fn trust_line(&self, id: String) -> Result<TrustLine, GeoError> {
        self.inner.trust_line(&id).await?.try_into()
    }

    /// Pays and returns the verified receipt. The signed request is resent unchanged after
    /// network errors and time-outs, so a lost answer never pays twice; a refusal such as
    /// `E_INSUFFICIENT_CAPACITY` is a [`GeoError::Hub`] and changed nothing.
    pub async fn pay(&self, order: PaymentOrder) -> Result<Receipt, GeoError> {
        self.inner.pay(order.try_into()?).await?.try_into()
    }

    /// Pays a `geo:invoice` link: refused unless it is payable at this hub (`E_WRONG_AUDIENCE`),
    /// unexpired and signed by its payee; then pays its amount to its payee, naming its id.
    pub async fn pay_invoice(&self, uri: String) -> Result<Receipt, GeoError> {
        self.inner.pay_invoice(&uri).await?.try_into()
    }

    /// Signs an invoice asking to be paid `amount` of `equivalent` at this hub, payable for
    /// `valid_for_seconds` (at most 30 days); share its `uri` (a QR code).
    pub fn sign_invoice(
        &self,
        equivalent: EquivalentCode,
        amount: Amount,
        description: Option<String>,
        valid_for_seconds: u32,
    ) -> Result<crate::invoice::Invoice, GeoError> {
        self.inner
            .sign_invoice(
                equivalent.as_str(),
                amount.as_str(),
                description.as_deref(),
                i64::from(valid_for_seconds),
            )?
            .try_into()
    }

    /// Signs a payment with a fresh `tx_id` without sending it (send with
    /// [`HubClient::submit_payment`], as often as needed).
    pub fn sign_payment(&self, order: PaymentOrder) -> Result<Arc<SignedPayment>, GeoError> {
        let inner = self.inner.sign_payment(&order.try_into()?)?;
        Ok(Arc::new(SignedPayment { inner }))
    }

    /// Sends a signed payment; sending the same one again returns the stored outcome.
    pub async fn submit_payment(
        &self,
        signed: Arc<SignedPayment>,
    ) -> Result<PaymentRecord, GeoError> {
        self.inner.submit_payment(&signed.inner).await?.try_into()
    }

    /// Prepares a payment and holds it for `seconds`; finish with `commit` or `abort`.
    pub async fn hold(&self, order: PaymentOrder, seconds: u32) -> Result<Payment, GeoError> {
        self.inner
            .hold(order.try_into()?, seconds)
            .await?
            .try_into()
    }

    /// Commits a held payment; returns the verified receipt.
    pub async fn commit(&self, tx_id: TxId) -> Result<Receipt, GeoError> {
        self.inner.commit(&tx_id.to_string()).await?.try_into()
    }

    /// Aborts a held payment; returns the verified receipt of the abort.
    pub async fn abort(&self, tx_id: TxId, reason: String) -> Result<Receipt, GeoError> {
        self.inner
            .abort(&tx_id.to_string(), &reason)
            .await?
            .try_into()
    }

    /// Verifies a payment as the hub reported it (e.g. one kept from [`HubClient::payment`]): its
    /// receipt with this hub's key and, for a payment to another hub's member, that hub's receipt
    /// with the key it came with, which must be the payee's; `E_INVALID_SIGNATURE` otherwise.
    pub fn verify_payment(&self, payment: Payment) -> Result<Receipt, GeoError> {
        self.inner
            .hub()
            .verify_payment(&payment.try_into()?, &[])?
            .try_into()
    }

    /// A payment's status, with its verified receipt once it ended.
    pub async fn payment(&self, tx_id: TxId) -> Result<PaymentRecord, GeoError> {
        self.inner.payment(&tx_id.to_string()).await?.try_into()
    }

    /// The payment history (newest first) as a pager: `next()` fetches pages as it is read.
    pub fn history(&self, filter: HistoryFilter) -> Result<Arc<PaymentHistory>, GeoError> {
        Ok(PaymentHistory::new(self.inner.history(filter.into())))
    }

    /// The most that can be paid to `payee` now (and whether `amount` can). `payee` is a PID (a
    /// member of this hub) or a `geo:participant` address (a member of a linked hub), as
    /// `PaymentOrder.payee`.
    pub async fn capacity(
        &self,
        payee: String,
        equivalent: EquivalentCode,
        amount: Option<Amount>,
    ) -> Result<Capacity, GeoError> {
        self.inner
            .capacity(
                &geo_client::Payee::parse(&payee)?,
                equivalent.as_str(),
                amount.as_ref().map(|a| a.as_str()),
            )
            .await?
            .try_into()
    }

    /// Totals per equivalent.
    pub async fn balance(&self) -> Result<Vec<Balance>, GeoError> {
        all(self.inner.balance().await?)
    }

    /// Position with each counterparty in one equivalent.
    pub async fn debts(&self, equivalent: EquivalentCode) -> Result<Vec<Counterparty>, GeoError> {
        all(self.inner.debts(equivalent.as_str()).await?)
    }

    /// The trust network around this participant, `depth` hops (default 2, at most 3): members,
    /// the lines between them, amounts on its own lines only.
    pub async fn network(
        &self,
        equivalent: EquivalentCode,
        depth: Option<u8>,
    ) -> Result<Neighbourhood, GeoError> {
        self.inner
            .network(equivalent.as_str(), depth)
            .await?
            .try_into()
    }

    /// Open clearing proposals involving this participant, each verified.
    pub async fn clearing_proposals(&self) -> Result<Vec<ClearingProposal>, GeoError> {
        let list = self.inner.clearing_proposals().await?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// Accepts or rejects a proposal (signed over the digest of the verified proposal).
    pub async fn consent(
        &self,
        proposal: ClearingProposal,
        decision: ClearingDecision,
    ) -> Result<ConsentOutcome, GeoError> {
        let outcome = self
            .inner
            .consent(&proposal.into(), decision.into())
            .await?;
        Ok(outcome.into())
    }

    /// Every applied clearing that touched this participant (newest first), receipts verified.
    pub async fn clearings(&self) -> Result<Vec<Clearing>, GeoError> {
        all(self.inner.clearings().await?)
    }

    /// Live events after event id `after` (0: from the beginning), resumed after reconnects
    /// without loss or duplicates.
    pub async fn events(&self, after: u64) -> Arc<EventStream> {
        EventStream::new(self.inner.events(after))
    }
}
