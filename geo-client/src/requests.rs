//! Sans-I/O requests: every API call as a method, path and body, with participant-signed messages
//! built and signed locally. A transport sends them and hands the answers to [`parse`].

use std::sync::Arc;

use geo_api::{auth, clearing, discovery, participant, payment, trust_line};
use geo_api::{Access, ChallengeRequest, Endpoint, RefreshRequest};
use geo_protocol::geo_uri::{HubUrl, ParticipantAddress};
use geo_protocol::{
    ClearingConsent, ClearingDecision, Digest, Envelope, Identity, Login, Message, Nonce,
    ParticipantKind, ParticipantRegister, ParticipantUpdate, PaymentAbort, PaymentCommit,
    PaymentConstraints, PaymentRequest, Pid, Profile, SignedMessage, Timestamp, TrustLineClose,
    TrustLinePolicy, TrustLineSet, TxId,
};
use serde::de::DeserializeOwned;

use crate::error::{GeoError, GeoResult};

pub use geo_api::query::encode;
pub use geo_api::Method;

/// One API call, ready for any transport: `path` is below `/api/v1` and includes the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// Method.
    pub method: Method,
    /// Path and query, e.g. `/payments?limit=50`.
    pub path: String,
    /// JSON body.
    pub body: Option<String>,
    /// Whether it needs the bearer token.
    pub authenticated: bool,
}

impl ApiRequest {
    /// A call of `endpoint` at a concrete `path` (from [`Endpoint::path_with`]), with an optional body.
    fn to(endpoint: &Endpoint, path: String, body: Option<String>) -> ApiRequest {
        ApiRequest {
            method: endpoint.method,
            path,
            body,
            authenticated: endpoint.access == Access::Bearer,
        }
    }

    /// A call of an endpoint without path parameters.
    fn at(endpoint: &Endpoint, body: Option<String>) -> ApiRequest {
        ApiRequest::to(endpoint, endpoint.path_with(&[]), body)
    }
}

/// Signs messages for one hub with a participant's identity; the keys never leave it.
#[derive(Clone)]
pub struct Signer {
    identity: Arc<Identity>,
    hub: Pid,
    validity_seconds: i64,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("pid", &self.identity.pid())
            .field("hub", &self.hub)
            .finish()
    }
}

impl Signer {
    /// A signer for messages addressed to `hub`, each valid for `validity_seconds` (1..=600).
    pub fn new(identity: Arc<Identity>, hub: Pid, validity_seconds: i64) -> Signer {
        Signer {
            identity,
            hub,
            validity_seconds: validity_seconds.clamp(1, 600),
        }
    }

    /// The signer's PID.
    pub fn pid(&self) -> Pid {
        self.identity.pid()
    }

    /// The identity (for key export).
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Signs a payload for the hub with a fresh random nonce, valid from `now`.
    pub fn sign<P: Message>(&self, payload: P, now: Timestamp) -> GeoResult<SignedMessage<P>> {
        Ok(Envelope::new(
            self.identity.pid(),
            Some(self.hub.clone()),
            Nonce::random(),
            now,
            self.validity_seconds,
            payload,
        )
        .sign(&self.identity)?)
    }

    /// `POST /participants`: self-signed registration.
    pub fn register(
        &self,
        display_name: &str,
        kind: ParticipantKind,
        profile: Option<Profile>,
        now: Timestamp,
    ) -> GeoResult<ApiRequest> {
        let msg = self.sign(
            ParticipantRegister {
                public_key: self.identity.public_key(),
                display_name: display_name.to_owned(),
                kind,
                profile,
            },
            now,
        )?;
        Ok(ApiRequest::at(&participant::REGISTER, Some(msg.to_json())))
    }

    /// `POST /auth/challenge`.
    pub fn challenge(&self) -> ApiRequest {
        let body = ChallengeRequest {
            pid: self.pid().to_string(),
        };
        ApiRequest::at(&auth::CHALLENGE, Some(json(&body)))
    }

    /// `POST /auth/login` with the signed challenge.
    pub fn login(&self, challenge: &str, now: Timestamp) -> GeoResult<ApiRequest> {
        let msg = self.sign(
            Login {
                challenge: challenge.to_owned(),
            },
            now,
        )?;
        Ok(ApiRequest::at(&auth::LOGIN, Some(msg.to_json())))
    }

    /// `POST /auth/refresh`.
    pub fn refresh(refresh_token: &str) -> ApiRequest {
        let body = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        ApiRequest::at(&auth::REFRESH, Some(json(&body)))
    }

    /// `PATCH /participants/me` with a signed `participant_update`.
    pub fn update_profile(
        &self,
        display_name: Option<String>,
        profile: Option<Profile>,
        now: Timestamp,
    ) -> GeoResult<ApiRequest> {
        let msg = self.sign(
            ParticipantUpdate {
                display_name,
                profile,
            },
            now,
        )?;
        Ok(ApiRequest::at(&participant::UPDATE_ME, Some(msg.to_json())))
    }

    /// `POST /trust-lines`: the signer (creditor) lets `debtor` owe it up to `limit`.
    pub fn set_trust_line(
        &self,
        debtor: &Pid,
        equivalent: &str,
        limit: &str,
        policy: Option<TrustLinePolicy>,
        now: Timestamp,
    ) -> GeoResult<ApiRequest> {
        let msg = self.sign(
            TrustLineSet {
                debtor: debtor.clone(),
                equivalent: equivalent.parse()?,
                limit: limit.parse()?,
                policy,
            },
            now,
        )?;
        Ok(ApiRequest::at(&trust_line::SET, Some(msg.to_json())))
    }

    /// `POST /trust-lines/close`.
    pub fn close_trust_line(
        &self,
        debtor: &Pid,
        equivalent: &str,
        now: Timestamp,
    ) -> GeoResult<ApiRequest> {
        let msg = self.sign(
            TrustLineClose {
                debtor: debtor.clone(),
                equivalent: equivalent.parse()?,
            },
            now,
        )?;
        Ok(ApiRequest::at(&trust_line::CLOSE, Some(msg.to_json())))
    }

    /// Signs a payment request (keep it: resending exactly it is the safe retry).
    pub fn payment(
        &self,
        order: &PaymentOrder,
        tx_id: TxId,
        now: Timestamp,
    ) -> GeoResult<SignedMessage<PaymentRequest>> {
        let constraints = order
            .constraints
            .clone()
            .filter(|c| c.max_hops.is_some() || c.max_paths.is_some() || !c.avoid.is_empty());
        self.sign(
            PaymentRequest {
                tx_id,
                payee: order.payee.clone(),
                payee_hub: order.payee_hub.clone(),
                equivalent: order.equivalent.parse()?,
                amount: order.amount.parse()?,
                description: order.description.clone(),
                constraints,
                hold_seconds: order.hold_seconds,
                invoice_id: order.invoice_id.clone(),
            },
            now,
        )
    }

    /// `POST /payments/{tx_id}/commit`.
    pub fn commit(&self, tx_id: TxId, now: Timestamp) -> GeoResult<ApiRequest> {
        let msg = self.sign(PaymentCommit { tx_id }, now)?;
        let path = payment::COMMIT.path_with(&[&tx_id.to_string()]);
        Ok(ApiRequest::to(&payment::COMMIT, path, Some(msg.to_json())))
    }

    /// `POST /payments/{tx_id}/abort`.
    pub fn abort(&self, tx_id: TxId, reason: &str, now: Timestamp) -> GeoResult<ApiRequest> {
        let msg = self.sign(
            PaymentAbort {
                tx_id,
                reason: reason.to_owned(),
            },
            now,
        )?;
        let path = payment::ABORT.path_with(&[&tx_id.to_string()]);
        Ok(ApiRequest::to(&payment::ABORT, path, Some(msg.to_json())))
    }

    /// `POST /clearing/proposals/{id}/consent`, signed over the proposal's digest (§8.4).
    pub fn consent(
        &self,
        clearing_id: TxId,
        proposal_digest: Digest,
        decision: ClearingDecision,
        now: Timestamp,
    ) -> GeoResult<ApiRequest> {
        let msg = self.sign(
            ClearingConsent {
                clearing_id,
                proposal_digest,
                decision,
            },
            now,
        )?;
        let path = clearing::CONSENT.path_with(&[&clearing_id.to_string()]);
        Ok(ApiRequest::to(
            &clearing::CONSENT,
            path,
            Some(msg.to_json()),
        ))
    }
}

/// `POST /payments` with an already signed request.
pub fn pay(signed: &SignedMessage<PaymentRequest>) -> ApiRequest {
    ApiRequest::at(&payment::PAY, Some(signed.to_json()))
}

/// `POST /payments/batch` with already signed requests, each its own payer's.
pub fn pay_batch(signed: &[SignedMessage<PaymentRequest>]) -> ApiRequest {
    let body = serde_json::to_string(&geo_api::PaymentBatch::of(signed)).expect("batches are JSON");
    ApiRequest::at(&payment::PAY_BATCH, Some(body))
}

/// Whom a payment or a capacity preview is for: a member of this hub (its PID) or of another
/// community (its PID and its hub, from a `geo:participant` address, federation.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    /// The member's PID.
    pub pid: Pid,
    /// The member's hub, when it is not this one.
    pub hub: Option<HubUrl>,
}

impl Payee {
    /// Reads a PID or a `geo:participant` address (`E_MALFORMED` for a bad address, with its kind
    /// in the message; `E_VALIDATION` for a bad PID).
    pub fn parse(text: &str) -> GeoResult<Payee> {
        if text
            .get(..4)
            .is_some_and(|s| s.eq_ignore_ascii_case("geo:"))
        {
            let to = ParticipantAddress::parse(text)
                .map_err(|e| GeoError::validation(e.code(), e.to_string()))?;
            return Ok(to.into());
        }
        let pid = Pid::parse(text).map_err(|e| {
            GeoError::validation(geo_protocol::ErrorCode::Validation, e.to_string())
        })?;
        Ok(pid.into())
    }
}

impl From<Pid> for Payee {
    fn from(pid: Pid) -> Payee {
        Payee { pid, hub: None }
    }
}

impl From<&Pid> for Payee {
    fn from(pid: &Pid) -> Payee {
        pid.clone().into()
    }
}

impl From<ParticipantAddress> for Payee {
    fn from(a: ParticipantAddress) -> Payee {
        Payee {
            pid: a.pid,
            hub: Some(a.hub),
        }
    }
}

/// What to pay: the SDK adds the `tx_id`, signs and sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOrder {
    /// Who receives.
    pub payee: Pid,
    /// The payee's hub, when the payee is a member of another community (federation.md §2).
    pub payee_hub: Option<HubUrl>,
    /// Unit of account code.
    pub equivalent: String,
    /// Amount as decimal text (`"10.50"`).
    pub amount: String,
    /// A note for the payee.
    pub description: Option<String>,
    /// Routing limits.
    pub constraints: Option<PaymentConstraints>,
    /// Prepare only and hold for this many seconds; finish with commit or abort.
    pub hold_seconds: Option<u32>,
    /// The payee's invoice this pays (§6.4), named so the payee can match it.
    pub invoice_id: Option<Nonce>,
}

impl PaymentOrder {
    /// A plain payment.
    pub fn new(payee: Pid, equivalent: &str, amount: &str) -> PaymentOrder {
        PaymentOrder {
            payee,
            payee_hub: None,
            equivalent: equivalent.to_owned(),
            amount: amount.to_owned(),
            description: None,
            constraints: None,
            hold_seconds: None,
            invoice_id: None,
        }
    }

    /// A payment to a member of another community, named by its `geo:participant` address
    /// (federation.md §2); this hub routes it through its link to that member's hub.
    pub fn to_address(to: &ParticipantAddress, equivalent: &str, amount: &str) -> PaymentOrder {
        PaymentOrder {
            payee_hub: Some(to.hub.clone()),
            ..PaymentOrder::new(to.pid.clone(), equivalent, amount)
        }
    }

    /// A payment to `payee`: a PID (a member of this hub) or a `geo:participant` address (a
    /// member of another community).
    pub fn to_payee(payee: &str, equivalent: &str, amount: &str) -> GeoResult<PaymentOrder> {
        let to = Payee::parse(payee)?;
        Ok(PaymentOrder {
            payee_hub: to.hub,
            ..PaymentOrder::new(to.pid, equivalent, amount)
        })
    }

    /// Adds a note.
    pub fn description(mut self, text: &str) -> Self {
        self.description = Some(text.to_owned());
        self
    }

    /// Limits routing.
    pub fn constraints(mut self, c: PaymentConstraints) -> Self {
        self.constraints = Some(c);
        self
    }

    /// Holds the payment instead of committing it.
    pub fn hold(mut self, seconds: u32) -> Self {
        self.hold_seconds = Some(seconds);
        self
    }
}

/// A request body as JSON text.
fn json<T: serde::Serialize>(body: &T) -> String {
    serde_json::to_string(body).expect("request bodies serialise")
}

/// Which trust lines to list (the query of `GET /trust-lines`; `cursor` is set by paging).
pub use geo_api::TrustLineQuery as TrustLineFilter;

/// Which payments to list (the query of `GET /payments`; `cursor` is set by paging).
pub use geo_api::HistoryQuery as HistoryFilter;

/// Read-only requests (bearer token, no signature).
pub mod read {
    use super::*;
    use geo_api::{balance, equivalent, event, participant, payment};
    use geo_api::{HistoryQuery, PageQuery, TrustLineQuery};

    fn get(endpoint: &Endpoint, path: String) -> ApiRequest {
        ApiRequest::to(endpoint, path, None)
    }

    /// `GET /hub`.
    pub fn hub() -> ApiRequest {
        ApiRequest::at(&discovery::HUB, None)
    }
    /// `GET /participants/me`.
    pub fn me() -> ApiRequest {
        ApiRequest::at(&participant::ME, None)
    }
    /// `GET /participants/{pid}`.
    pub fn participant(pid: &Pid) -> ApiRequest {
        get(
            &participant::GET,
            participant::GET.path_with(&[pid.as_str()]),
        )
    }
    /// `GET /participants?q=` (one page): members whose name contains `query` or whose PID starts
    /// with it; `limit` per page (the hub's default when `None`).
    pub fn search_participants(
        query: &str,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> ApiRequest {
        let q = geo_api::ParticipantSearch {
            q: Some(query.to_owned()),
            kind: None,
            limit,
            cursor: cursor.map(str::to_owned),
        };
        let e = &participant::SEARCH;
        get(e, e.path_with_query(&[], &q))
    }
    /// `GET /equivalents`.
    pub fn equivalents() -> ApiRequest {
        ApiRequest::at(&equivalent::LIST, None)
    }
    /// `GET /trust-lines` (one page).
    pub fn trust_lines(f: &TrustLineFilter, cursor: Option<&str>) -> ApiRequest {
        let q = TrustLineQuery {
            cursor: cursor.map(str::to_owned),
            ..f.clone()
        };
        let e = &trust_line::LIST;
        get(e, e.path_with_query(&[], &q))
    }
    /// `GET /trust-lines/{id}`.
    pub fn trust_line(id: &str) -> ApiRequest {
        get(&trust_line::GET, trust_line::GET.path_with(&[id]))
    }
    /// `GET /payments/{tx_id}`.
    pub fn payment(tx_id: &str) -> ApiRequest {
        get(&payment::GET, payment::GET.path_with(&[tx_id]))
    }
    /// `GET /payments` (one page).
    pub fn history(f: &HistoryFilter, cursor: Option<&str>) -> ApiRequest {
        let q = HistoryQuery {
            cursor: cursor.map(str::to_owned),
            ..f.clone()
        };
        let e = &payment::HISTORY;
        get(e, e.path_with_query(&[], &q))
    }
    /// `GET /payments/capacity`, to a member of this hub or (with its hub) of a linked one.
    pub fn capacity(payee: &Payee, equivalent: &str, amount: Option<&str>) -> ApiRequest {
        let q = geo_api::CapacityQuery {
            payee: payee.pid.to_string(),
            payee_hub: payee.hub.as_ref().map(|h| h.as_str().to_owned()),
            equivalent: equivalent.to_owned(),
            amount: amount.map(str::to_owned),
            ..Default::default()
        };
        let e = &payment::CAPACITY;
        get(e, e.path_with_query(&[], &q))
    }
    /// `GET /balance`.
    pub fn balance() -> ApiRequest {
        ApiRequest::at(&balance::TOTALS, None)
    }
    /// `GET /balance/{equivalent}/debts`.
    pub fn debts(equivalent: &str) -> ApiRequest {
        get(&balance::DEBTS, balance::DEBTS.path_with(&[equivalent]))
    }
    /// `GET /network/{equivalent}?depth=`: the trust network around the caller (spec §8.7).
    pub fn network(equivalent: &str, depth: Option<u8>) -> ApiRequest {
        let e = &geo_api::network::NEIGHBOURHOOD;
        let q = geo_api::NeighbourhoodQuery { depth };
        get(e, e.path_with_query(&[equivalent], &q))
    }
    /// `GET /clearing/proposals`.
    pub fn proposals() -> ApiRequest {
        ApiRequest::at(&clearing::PROPOSALS, None)
    }
    /// `GET /clearings` (one page).
    pub fn clearings(limit: Option<u32>, cursor: Option<&str>) -> ApiRequest {
        let q = PageQuery {
            limit,
            cursor: cursor.map(str::to_owned),
        };
        let e = &clearing::LIST;
        get(e, e.path_with_query(&[], &q))
    }
    /// `GET /events?cursor=N` (the WebSocket upgrade).
    pub fn events(cursor: u64) -> ApiRequest {
        let q = event::StreamQuery {
            cursor: Some(cursor),
        };
        let e = &event::STREAM;
        get(e, e.path_with_query(&[], &q))
    }
}

/// Operator requests (the transport adds `X-Admin-Token`).
pub mod admin {
    use super::*;
    use geo_api::{clearing, equivalent, operator, EquivalentSettings};

    /// `PUT /admin/equivalents/{code}`: creates or changes an equivalent (active).
    pub fn set_equivalent(code: &str, precision: u8, description: &str) -> ApiRequest {
        let body = EquivalentSettings {
            precision,
            description: description.to_owned(),
            active: true,
        };
        let e = &equivalent::SET;
        ApiRequest::to(e, e.path_with(&[code]), Some(json(&body)))
    }

    /// `POST /admin/participants/{pid}/status`: suspends, reactivates or retires a participant.
    pub fn set_status(pid: &Pid, status: geo_api::ParticipantStatus, reason: &str) -> ApiRequest {
        let body = geo_api::StatusChange {
            status,
            reason: reason.to_owned(),
        };
        let e = &geo_api::operator::SET_STATUS;
        ApiRequest::to(e, e.path_with(&[pid.as_str()]), Some(json(&body)))
    }

    /// `GET /admin/participants?q=` (one page): participants of every status whose name
    /// contains `q` or whose PID starts with it.
    pub fn participants(q: &str, limit: Option<u32>) -> ApiRequest {
        let query = geo_api::ParticipantSearch {
            q: Some(q.to_owned()),
            kind: None,
            limit,
            cursor: None,
        };
        let e = &geo_api::operator::PARTICIPANTS;
        ApiRequest::to(e, e.path_with_query(&[], &query), None)
    }

    /// `GET /admin/integrity`: replays the journal and checks every invariant.
    pub fn integrity() -> ApiRequest {
        ApiRequest::at(&geo_api::operator::INTEGRITY, None)
    }

    /// `POST /admin/clearing/{equivalent}/run`: runs the optimal clearing now.
    pub fn run_clearing(code: &str) -> ApiRequest {
        let e = &clearing::RUN;
        ApiRequest::to(e, e.path_with(&[code]), None)
    }

    /// `GET /admin/clearings` (one page, newest first; one equivalent or all).
    pub fn clearings(
        equivalent: Option<&str>,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> ApiRequest {
        let query = operator::ClearingHistoryQuery {
            equivalent: equivalent.map(str::to_owned),
            limit,
            cursor: cursor.map(str::to_owned),
        };
        let e = &operator::CLEARINGS;
        ApiRequest::to(e, e.path_with_query(&[], &query), None)
    }

    /// `GET /admin/stats`: the hub's totals.
    pub fn stats() -> ApiRequest {
        let e = &operator::STATS;
        ApiRequest::to(e, e.path_with(&[]), None)
    }
}

/// Interprets an answer: a 2xx body as `T` (bad data is [`GeoError::InvalidResponse`], never a
/// panic), anything else as the hub's problem document.
pub fn parse<T: DeserializeOwned>(status: u16, body: &str) -> GeoResult<T> {
    geo_api::tree::decode(&parse_value(status, body)?).map_err(|e| unexpected(&e, body))
}

/// [`parse`] up to the JSON tree: the status, the JSON parser and their errors, once for every
/// answer type (the wasm module would otherwise copy them into each type's `parse`); each type
/// only reads the tree.
fn parse_value(status: u16, body: &str) -> GeoResult<serde_json::Value> {
    if !(200..300).contains(&status) {
        return Err(GeoError::from_problem(status, body));
    }
    serde_json::from_str(body).map_err(|e| unexpected(&e, body))
}

fn unexpected(e: &serde_json::Error, body: &str) -> GeoError {
    GeoError::invalid(format!(
        "unexpected answer ({e}): {}",
        crate::error::truncate(body, 200)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer::new(
            Arc::new(Identity::from_seed(&[1; 32])),
            Identity::from_seed(&[3; 32]).pid(),
            300,
        )
    }

    #[test]
    fn queries_are_encoded_and_absent_members_omitted() {
        let f = HistoryFilter {
            from: Some("2026-01-01T00:00:00Z".into()),
            limit: Some(2),
            ..Default::default()
        };
        assert_eq!(
            read::history(&f, Some("17")).path,
            "/payments?from=2026-01-01T00%3A00%3A00Z&limit=2&cursor=17"
        );
        assert_eq!(
            read::trust_lines(&TrustLineFilter::default(), None).path,
            "/trust-lines"
        );
    }

    #[test]
    fn signed_requests_are_addressed_to_the_hub_and_verify() {
        let s = signer();
        let now = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        let order = PaymentOrder::new(Identity::from_seed(&[2; 32]).pid(), "UAH", "1.50");
        let signed = s.payment(&order, TxId::random(), now).unwrap();
        let hub = Identity::from_seed(&[3; 32]).pid();
        let policy = geo_protocol::VerifyPolicy::new(now, Some(hub));
        signed
            .verify(&Identity::from_seed(&[1; 32]).public_key(), &policy)
            .unwrap();
        assert!(signed.payload().constraints.is_none());
    }

    #[test]
    fn invalid_arguments_are_typed_before_anything_is_sent() {
        let s = signer();
        let now = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        let order = PaymentOrder::new(Identity::from_seed(&[2; 32]).pid(), "UAH", "1,5");
        let e = s.payment(&order, TxId::random(), now).unwrap_err();
        assert_eq!(e.code(), "E_INVALID_AMOUNT");
        let e = s
            .set_trust_line(&s.pid(), "uah", "1", None, now)
            .unwrap_err();
        assert!(matches!(e, GeoError::Validation { .. }));
    }

    #[test]
    fn bad_server_data_is_an_error_not_a_panic() {
        let e = parse::<crate::types::Balance>(200, "[1,2").unwrap_err();
        assert!(matches!(e, GeoError::InvalidResponse { .. }));
        let e = parse::<crate::types::Balance>(200, r#"{"equivalent":"bad code"}"#).unwrap_err();
        assert!(matches!(e, GeoError::InvalidResponse { .. }));
    }
}
