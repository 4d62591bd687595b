//! A payment's life as a state machine: the signed request is resent byte for byte while the hub
//! may not have answered; it is re-signed (same payload, same `tx_id`) only once its validity window
//! has passed; the answer's receipt is verified against the hub's key and the requests sent.

use geo_api::{PaymentBatchResults, PaymentResult};
use geo_protocol::{Digest, ErrorCode, PaymentRequest, SignedMessage, Timestamp};

use crate::error::{GeoError, GeoResult};
use crate::policy::{Action, Backoff, Call, Exchange, Jitter, Resend};
use crate::requests::{self, ApiRequest, Signer};
use crate::types::{Payment, PaymentState};
use crate::verify::{HubIdentity, Receipt};

/// A payment as the hub shows it, with its verified receipt once it ended (the SDK's
/// `PaymentRecord`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "PaymentRecord"))]
pub struct PaymentOutcome {
    /// The hub's view.
    pub payment: Payment,
    /// The verified hub-signed receipt, once the payment ended.
    pub receipt: Option<Receipt>,
}

/// What the transport must do next for a payment.
pub type PaymentAction = Action<PaymentOutcome>;

/// Submits one signed payment request until the hub answers.
#[derive(Debug, Clone)]
pub struct PaymentCall {
    signer: Signer,
    hub: HubIdentity,
    current: SignedMessage<PaymentRequest>,
    digests: Vec<Digest>,
    call: Call,
}

impl PaymentCall {
    /// Starts submitting `signed` (made with [`Signer::payment`]; keep it to submit it again later);
    /// resends wait per `backoff`, spread by `jitter`.
    pub fn new(
        signer: Signer,
        hub: HubIdentity,
        signed: SignedMessage<PaymentRequest>,
        backoff: Backoff,
        jitter: Jitter,
    ) -> PaymentCall {
        PaymentCall {
            digests: vec![signed.digest()],
            call: Call::new(requests::pay(&signed), Resend::Retryable, backoff, jitter),
            current: signed,
            signer,
            hub,
        }
    }

    /// The signed request currently being sent.
    pub fn signed(&self) -> &SignedMessage<PaymentRequest> {
        &self.current
    }

    /// Digests of every signed request sent for this payment (the receipt must name one).
    pub fn digests(&self) -> &[Digest] {
        &self.digests
    }

    /// The next thing to do at time `now` (the hub's clock): a resend after the signed request's
    /// validity ended carries the same payload re-signed at `now`.
    pub fn next_action(&mut self, now: Timestamp) -> PaymentAction {
        match self.call.next_action() {
            Action::Send(req) => {
                if self.current.envelope().expires_at <= now {
                    match self.resign(now) {
                        Ok(req) => Action::Send(req),
                        Err(e) => Action::Done(Err(e)),
                    }
                } else {
                    Action::Send(req)
                }
            }
            Action::Wait(ms) => Action::Wait(ms),
            Action::Renew => Action::Renew,
            Action::Done(Ok(body)) => Action::Done(self.outcome(&body)),
            Action::Done(Err(e)) => Action::Done(Err(self.explain(e))),
        }
    }

    /// Reports the hub's answer. A refusal as expired (the request sat too long on the way) is
    /// answered by one re-signed resend.
    pub fn on_response(
        &mut self,
        status: u16,
        body: String,
        retry_after: Option<u64>,
        now: Timestamp,
    ) {
        if status == 422 || status == 400 || status == 401 {
            let e = GeoError::from_problem(status, &body);
            if e.hub_code() == Some(ErrorCode::Expired) && self.digests.len() == 1 {
                match self.resign(now) {
                    Ok(_) => {
                        // Re-queue a send of the re-signed request.
                        self.call.on_failure(GeoError::Transport {
                            message: "expired on the way; re-signed".into(),
                        });
                    }
                    Err(err) => self.call.fail(err),
                }
                return;
            }
        }
        self.call.on_response(status, body, retry_after);
    }

    /// Reports that no answer came.
    pub fn on_failure(&mut self, error: GeoError) {
        self.call.on_failure(error);
    }

    /// Reports a token renewal's outcome.
    pub fn on_renewed(&mut self, result: GeoResult<()>) {
        self.call.on_renewed(result);
    }

    fn resign(&mut self, now: Timestamp) -> GeoResult<ApiRequest> {
        self.current = self.signer.sign(self.current.payload().clone(), now)?;
        self.digests.push(self.current.digest());
        let req = requests::pay(&self.current);
        self.call.replace_request(req.clone());
        Ok(req)
    }

    fn outcome(&self, body: &str) -> GeoResult<PaymentOutcome> {
        let payment: Payment = requests::parse(200, body)?;
        if payment.tx_id != self.current.payload().tx_id.to_string() {
            return Err(GeoError::invalid("the hub answered for another payment"));
        }
        let receipt = match payment.status {
            PaymentState::Prepared => None,
            _ => Some(self.hub.verify_payment(&payment, &self.digests)?),
        };
        let peer = receipt.as_ref().and_then(|r| r.peer_receipt.as_ref());
        if peer.is_some_and(|p| p.payee != self.current.payload().payee) {
            return Err(GeoError::InvalidSignature {
                message: "the payee's hub's receipt names another payee than the one paid".into(),
            });
        }
        Ok(PaymentOutcome { payment, receipt })
    }

    /// An aborted payment's problem carries the payment and its signed receipt: a bad receipt
    /// replaces the refusal; a lost answer says how to find out what happened.
    fn explain(&self, e: GeoError) -> GeoError {
        let tx = self.current.payload().tx_id;
        match e {
            GeoError::Timeout { message } => GeoError::Timeout {
                message: format!("{message}; payment {tx} may have been applied: read it back by tx_id"),
            },
            GeoError::Transport { message } => GeoError::Transport {
                message: format!("{message}; payment {tx} may have been applied: read it back by tx_id or resend the same signed request"),
            },
            e => {
                let Some(payment) = e
                    .problem_member("payment")
                    .and_then(|p| geo_api::tree::decode::<Payment>(&p).ok())
                else {
                    return e;
                };
                match self.hub.verify_payment(&payment, &self.digests) {
                    Ok(_) => e,
                    Err(bad) => bad,
                }
            }
        }
    }
}

impl Exchange for PaymentCall {
    type Output = PaymentOutcome;

    fn next_action(&mut self, now: Timestamp) -> PaymentAction {
        PaymentCall::next_action(self, now)
    }

    fn on_response(&mut self, status: u16, body: String, retry_after: Option<u64>, now: Timestamp) {
        PaymentCall::on_response(self, status, body, retry_after, now)
    }

    fn on_failure(&mut self, error: GeoError) {
        PaymentCall::on_failure(self, error)
    }

    fn on_renewed(&mut self, result: GeoResult<()>) {
        PaymentCall::on_renewed(self, result)
    }
}

/// Reads the hub's answer to a batch of `signed` requests: one result per request, in order, each
/// what [`PaymentCall`] would give for it alone (the payment with its verified receipt, or the
/// refusal, whose payment and receipt, if it carries them, must verify too). An answer with another
/// number of results, or a result for another payment, is not the hub's answer to this batch.
pub fn batch_outcomes(
    hub: &HubIdentity,
    signed: &[SignedMessage<PaymentRequest>],
    answer: PaymentBatchResults,
) -> GeoResult<Vec<GeoResult<PaymentOutcome>>> {
    if answer.results.len() != signed.len() {
        return Err(GeoError::invalid(format!(
            "the hub answered {} results to a batch of {} payments",
            answer.results.len(),
            signed.len()
        )));
    }
    let outcome = |msg: &SignedMessage<PaymentRequest>, result| -> GeoResult<PaymentOutcome> {
        let digests = [msg.digest()];
        let (payment, refusal) = match result {
            PaymentResult::Payment(p) => (Some(*p), None),
            PaymentResult::Problem(problem) => {
                let text = serde_json::to_string(&problem).expect("problems are JSON");
                let payment = problem
                    .extensions
                    .get("payment")
                    .and_then(|p| serde_json::from_value::<Payment>(p.clone()).ok());
                (payment, Some(GeoError::from_problem(problem.status, &text)))
            }
        };
        let Some(payment) = payment else {
            return Err(refusal.expect("a result is a payment or a problem"));
        };
        if payment.tx_id != msg.payload().tx_id.to_string() {
            return Err(GeoError::invalid("the hub answered for another payment"));
        }
        let receipt = match payment.status {
            PaymentState::Prepared => None,
            _ => Some(hub.verify_payment(&payment, &digests)?),
        };
        match refusal {
            Some(e) => Err(e),
            None => Ok(PaymentOutcome { payment, receipt }),
        }
    };
    Ok(signed
        .iter()
        .zip(answer.results)
        .map(|(msg, result)| outcome(msg, result))
        .collect())
}

/// Verifies a payment read back (status or history): its receipt, when it has ended.
pub fn verify_read(hub: &HubIdentity, payment: Payment) -> GeoResult<PaymentOutcome> {
    let receipt = match payment.status {
        PaymentState::Prepared => None,
        _ => Some(hub.verify_payment(&payment, &[])?),
    };
    Ok(PaymentOutcome { payment, receipt })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use geo_protocol::*;

    use super::*;
    use crate::requests::PaymentOrder;

    /// A payment call for `signed`, answered by a hub whose key is `hub`'s.
    fn payment_call(
        hub: &Identity,
        signer: Signer,
        signed: &SignedMessage<PaymentRequest>,
    ) -> PaymentCall {
        PaymentCall::new(
            signer,
            super::super::test_hub(hub),
            signed.clone(),
            Backoff::default(),
            Jitter::none(),
        )
    }

    /// The hub's answer to `signed`: the committed payment with a receipt naming `digest`.
    fn answer(hub: &Identity, signed: &SignedMessage<PaymentRequest>, digest: Digest) -> String {
        let p = signed.payload();
        let now = Timestamp::parse("2026-11-24T10:00:01Z").unwrap();
        let receipt = Envelope::new(
            hub.pid(),
            None,
            Nonce::random(),
            now,
            600,
            PaymentReceipt {
                tx_id: p.tx_id,
                payer: signed.signer().clone(),
                payee: p.payee.clone(),
                equivalent: p.equivalent.clone(),
                amount: p.amount.clone(),
                status: PaymentStatus::Committed,
                request_digest: digest,
                routes: vec![RoutePath {
                    path: vec![signed.signer().clone(), p.payee.clone()],
                    amount: p.amount.clone(),
                }],
                error_code: None,
                decided_at: now,
                journal_seq: Some(7),
            },
        )
        .sign(hub)
        .unwrap();
        serde_json::json!({
            "tx_id": p.tx_id.to_string(), "payer": signed.signer(), "payee": p.payee,
            "equivalent": p.equivalent, "amount": p.amount.as_str(), "status": "committed",
            "routes": [{"path": [signed.signer(), p.payee], "amount": p.amount.as_str()}],
            "created_at": "2026-11-24T10:00:00Z", "journal_seq": 7,
            "receipt": receipt.to_value(),
        })
        .to_string()
    }

    fn setup() -> (Identity, Signer, SignedMessage<PaymentRequest>, Timestamp) {
        let hub = Identity::from_seed(&[3; 32]);
        let signer = Signer::new(Arc::new(Identity::from_seed(&[1; 32])), hub.pid(), 60);
        let now = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        let order = PaymentOrder::new(Identity::from_seed(&[2; 32]).pid(), "UAH", "1.50");
        let signed = signer.payment(&order, TxId::random(), now).unwrap();
        (hub, signer, signed, now)
    }

    #[test]
    fn a_batch_answer_is_read_per_payment_and_must_match_the_batch() {
        let (hub, signer, signed, now) = setup();
        let other = signer
            .payment(
                &PaymentOrder::new(hub.pid(), "UAH", "2"),
                TxId::random(),
                now,
            )
            .unwrap();
        let paid: Payment = serde_json::from_str(&answer(&hub, &signed, signed.digest())).unwrap();
        let refused = geo_api::Problem::new(ErrorCode::SelfPayment, "no", serde_json::Map::new());
        let results = |r: Vec<PaymentResult>| PaymentBatchResults { results: r };
        let h = super::super::test_hub(&hub);
        let both = vec![signed.clone(), other.clone()];
        let out = batch_outcomes(
            &h,
            &both,
            results(vec![
                PaymentResult::Payment(Box::new(paid.clone())),
                PaymentResult::Problem(Box::new(refused.clone())),
            ]),
        )
        .unwrap();
        assert_eq!(
            out[0].as_ref().unwrap().receipt.as_ref().unwrap().amount,
            "1.50"
        );
        assert_eq!(
            out[1].as_ref().unwrap_err().hub_code(),
            Some(ErrorCode::SelfPayment)
        );
        // One result short, or results in another order: not this batch's answer.
        let short = results(vec![PaymentResult::Payment(Box::new(paid.clone()))]);
        assert!(batch_outcomes(&h, &both, short).is_err());
        let swapped = batch_outcomes(
            &h,
            &both,
            results(vec![
                PaymentResult::Problem(Box::new(refused)),
                PaymentResult::Payment(Box::new(paid)),
            ]),
        )
        .unwrap();
        assert!(
            swapped[1].is_err(),
            "a payment answered for another request"
        );
    }

    #[test]
    fn a_lost_answer_resends_the_same_bytes_and_the_receipt_is_verified() {
        let (hub, signer, signed, now) = setup();
        let mut call = payment_call(&hub, signer, &signed);
        let PaymentAction::Send(first) = call.next_action(now) else {
            panic!()
        };
        call.on_failure(GeoError::Transport {
            message: "connection reset".into(),
        });
        assert!(matches!(call.next_action(now), PaymentAction::Wait(_)));
        let PaymentAction::Send(again) = call.next_action(now) else {
            panic!()
        };
        assert_eq!(first, again, "the resend carries the same signed bytes");
        call.on_response(201, answer(&hub, &signed, signed.digest()), None, now);
        match call.next_action(now) {
            PaymentAction::Done(Ok(o)) => {
                let r = o.receipt.unwrap();
                assert_eq!(r.amount, "1.50");
                assert_eq!(r.request_digest, signed.digest().to_string());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_resend_after_the_window_is_re_signed_with_the_same_tx_id() {
        let (hub, signer, signed, now) = setup();
        let mut call = payment_call(&hub, signer, &signed);
        call.next_action(now);
        call.on_response(503, r#"{"code":"E_UNAVAILABLE"}"#.into(), Some(1), now);
        assert_eq!(call.next_action(now), PaymentAction::Wait(1_000));
        let later = now.plus_seconds(120);
        let PaymentAction::Send(req) = call.next_action(later) else {
            panic!()
        };
        assert_ne!(req.body.as_deref(), Some(signed.to_json().as_str()));
        assert_eq!(call.signed().payload(), signed.payload());
        assert_eq!(call.digests().len(), 2);
        let resigned = call.signed().clone();
        call.on_response(201, answer(&hub, &resigned, resigned.digest()), None, later);
        assert!(matches!(
            call.next_action(later),
            PaymentAction::Done(Ok(_))
        ));
    }

    #[test]
    fn a_receipt_for_another_request_or_by_another_key_is_refused() {
        let (hub, signer, signed, now) = setup();
        let mut call = payment_call(&hub, signer.clone(), &signed);
        call.next_action(now);
        let other = Digest::of(b"something else");
        call.on_response(201, answer(&hub, &signed, other), None, now);
        match call.next_action(now) {
            PaymentAction::Done(Err(e)) => assert_eq!(e.code(), "E_INVALID_SIGNATURE"),
            other => panic!("{other:?}"),
        }
        let mut call = payment_call(&hub, signer, &signed);
        call.next_action(now);
        let impostor = Identity::from_seed(&[9; 32]);
        call.on_response(201, answer(&impostor, &signed, signed.digest()), None, now);
        assert!(matches!(
            call.next_action(now),
            PaymentAction::Done(Err(GeoError::InvalidSignature { .. }))
        ));
    }

    #[test]
    fn a_refusal_is_final_and_typed() {
        let (hub, signer, signed, now) = setup();
        let mut call = payment_call(&hub, signer, &signed);
        call.next_action(now);
        call.on_response(
            422,
            r#"{"code":"E_INSUFFICIENT_CAPACITY","detail":"no"}"#.into(),
            None,
            now,
        );
        match call.next_action(now) {
            PaymentAction::Done(Err(e)) => {
                assert_eq!(e.code(), "E_INSUFFICIENT_CAPACITY");
                assert!(!e.is_retryable());
            }
            other => panic!("{other:?}"),
        }
    }
}
