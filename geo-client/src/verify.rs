//! Who the hub is, and checking what it signs: payment receipts, clearing proposals and clearing
//! receipts are verified against the key the hub publishes, and that key against the hub's PID.

use geo_protocol::{
    verify_signed, ClearingProposal as ProposalMessage, ClearingReceipt as ClearingReceiptMessage,
    Digest, ErrorCode, Message, MessageType, PaymentReceipt, PaymentStatus, Pid, PublicKey,
    Signature, SignedMessage,
};

use crate::error::{GeoError, GeoResult};
use crate::types::{Clearing, ClearingProposal, HubInfo, Payment, PaymentState};

/// The hub's verified identity: its PID (the audience of every signed request) and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubIdentity {
    /// The hub's PID.
    pub pid: Pid,
    /// The key it signs with.
    pub key: PublicKey,
    /// What discovery said.
    pub info: HubInfo,
}

impl HubIdentity {
    /// Accepts a discovery document: the protocol must be `geo/1` and the published key must hash to
    /// the published PID (and to `expected_pid`, when the caller pinned one).
    pub fn from_info(info: HubInfo, expected_pid: Option<&Pid>) -> GeoResult<HubIdentity> {
        if info.protocol != geo_protocol::PROTOCOL_VERSION {
            return Err(GeoError::Protocol {
                message: format!(
                    "the hub speaks {:?}, this SDK {:?}",
                    info.protocol,
                    geo_protocol::PROTOCOL_VERSION
                ),
            });
        }
        let key = PublicKey::from_base64(&info.public_key)
            .map_err(|e| GeoError::invalid(format!("the hub's public key: {e}")))?;
        if key.pid() != info.hub_pid {
            return Err(GeoError::InvalidSignature {
                message: format!(
                    "the hub's published key belongs to {}, not to its PID {}",
                    key.pid(),
                    info.hub_pid
                ),
            });
        }
        if let Some(expected) = expected_pid {
            if expected != &info.hub_pid {
                return Err(GeoError::InvalidSignature {
                    message: format!("expected hub {expected}, found {}", info.hub_pid),
                });
            }
        }
        Ok(HubIdentity {
            pid: info.hub_pid.clone(),
            key,
            info,
        })
    }

    /// Decodes a hub-signed message and checks its signature and signer (steps 1–5 of §5.4; records
    /// stay valid after they expire).
    pub fn verify_message<P: Message>(&self, json: &str) -> GeoResult<SignedMessage<P>> {
        let msg = SignedMessage::<P>::from_json_of_type(json);
        let msg = msg.map_err(|e| GeoError::InvalidSignature {
            message: format!("undecodable {}: {e}", P::TYPE),
        })?;
        self.check_hub_signed(P::TYPE, msg.signer(), msg.signed_bytes(), msg.signature())?;
        Ok(msg)
    }

    /// The part of [`Self::verify_message`] that is the same for every message type.
    fn check_hub_signed(
        &self,
        t: MessageType,
        signer: &Pid,
        bytes: &[u8],
        signature: &Signature,
    ) -> GeoResult<()> {
        if signer != &self.pid {
            return Err(GeoError::InvalidSignature {
                message: format!("{t} signed by {signer}, not the hub"),
            });
        }
        verify_signed(&self.key, signer, bytes, signature).map_err(|e| GeoError::InvalidSignature {
            message: format!("{t}: {e}"),
        })
    }

    /// Verifies a payment's receipt and that it says what the payment view says. `request_digests`
    /// are the digests of the signed requests this client sent for it (empty: not checked).
    pub fn verify_payment(
        &self,
        payment: &Payment,
        request_digests: &[Digest],
    ) -> GeoResult<Receipt> {
        let json = payment.receipt.as_deref().ok_or_else(|| {
            GeoError::invalid(format!("payment {} has no receipt", payment.tx_id))
        })?;
        let msg = self.verify_message::<PaymentReceipt>(json)?;
        let r = msg.payload();
        let mismatch = |what: &str| GeoError::InvalidSignature {
            message: format!("the signed receipt disagrees with the hub's answer on {what}"),
        };
        if r.tx_id.to_string() != payment.tx_id {
            return Err(mismatch("tx_id"));
        }
        if r.payer != payment.payer || r.payee != payment.payee {
            return Err(mismatch("payer or payee"));
        }
        if r.equivalent != payment.equivalent || r.amount.as_str() != payment.amount {
            return Err(mismatch("equivalent or amount"));
        }
        let state = match r.status {
            PaymentStatus::Committed => PaymentState::Committed,
            PaymentStatus::Aborted => PaymentState::Aborted,
        };
        if state != payment.status {
            return Err(mismatch("status"));
        }
        let routes: Vec<(Vec<Pid>, String)> = r
            .routes
            .iter()
            .map(|p| (p.path.clone(), p.amount.as_str().to_owned()))
            .collect();
        let shown: Vec<(Vec<Pid>, String)> = payment
            .routes
            .iter()
            .map(|p| (p.path.clone(), p.amount.clone()))
            .collect();
        if state == PaymentState::Committed && routes != shown {
            return Err(mismatch("routes"));
        }
        if !request_digests.is_empty() && !request_digests.contains(&r.request_digest) {
            return Err(GeoError::InvalidSignature {
                message: "the receipt is for another signed request than the one sent".into(),
            });
        }
        let mut receipt = receipt_of(&msg, json);
        receipt.peer_receipt = self.verify_peer_receipt(payment, r)?.map(Box::new);
        Ok(receipt)
    }

    /// The payee's hub's receipt of a payment to another hub's member (`spec/federation.md` §6),
    /// verified with that hub's key, which must hash to the payee this hub's receipt `own` names,
    /// and checked to be its part of the same payment: the same `tx_id`, equivalent and amount
    /// (by value), paid by this hub, committed.
    fn verify_peer_receipt(
        &self,
        payment: &Payment,
        own: &PaymentReceipt,
    ) -> GeoResult<Option<Receipt>> {
        let Some(json) = payment.peer_receipt.as_deref() else {
            return Ok(None);
        };
        let bad = |message: String| GeoError::InvalidSignature { message };
        let key = payment
            .peer_hub_key
            .as_deref()
            .ok_or_else(|| bad("the payee's hub's receipt comes without its key".into()))
            .and_then(|k| {
                PublicKey::from_base64(k).map_err(|e| bad(format!("the payee's hub's key: {e}")))
            })?;
        if key.pid() != own.payee {
            return Err(bad(format!(
                "the payee's hub's key belongs to {}, not to the payee {} of the hub's receipt",
                key.pid(),
                own.payee
            )));
        }
        let peer = HubIdentity {
            pid: key.pid(),
            key,
            info: self.info.clone(),
        };
        let msg = peer.verify_message::<PaymentReceipt>(json)?;
        let p = msg.payload();
        let finest = geo_protocol::Precision::new(geo_protocol::MAX_PRECISION).expect("the finest");
        let same_amount = matches!(
            (p.amount.to_amount(finest), own.amount.to_amount(finest)),
            (Ok(x), Ok(y)) if x == y
        );
        if p.tx_id != own.tx_id
            || p.payer != self.pid
            || p.equivalent != own.equivalent
            || !same_amount
            || p.status != PaymentStatus::Committed
        {
            return Err(bad(
                "the payee's hub's receipt is not its part of this payment".into(),
            ));
        }
        Ok(Some(receipt_of(&msg, json)))
    }

    /// Verifies an open proposal's hub signature, that it says what the listing says, and that the
    /// listed digest is the digest of the signed message (what a consent signs over).
    pub fn verify_proposal(
        &self,
        p: &ClearingProposal,
    ) -> GeoResult<SignedMessage<ProposalMessage>> {
        let msg = self.verify_message::<ProposalMessage>(&p.proposal)?;
        if msg.digest().to_string() != p.proposal_digest {
            return Err(GeoError::InvalidSignature {
                message: "proposal_digest is not the digest of the signed proposal".into(),
            });
        }
        if msg.payload().clearing_id.to_string() != p.clearing_id
            || msg.payload().equivalent != p.equivalent
            || msg.payload().consent_required_from != p.consent_required_from
        {
            return Err(GeoError::InvalidSignature {
                message: "the signed proposal disagrees with the listing".into(),
            });
        }
        Ok(msg)
    }

    /// Verifies a hub-signed clearing receipt (JSON text).
    pub fn verify_clearing_receipt(
        &self,
        json: &str,
    ) -> GeoResult<SignedMessage<ClearingReceiptMessage>> {
        self.verify_message::<ClearingReceiptMessage>(json)
    }

    /// Verifies a listed clearing: it carries a receipt signed by the hub, and the receipt is for
    /// this clearing, in this equivalent, at this journal position, with exactly these set-offs.
    pub fn verify_clearing(
        &self,
        c: &Clearing,
    ) -> GeoResult<SignedMessage<ClearingReceiptMessage>> {
        let json = c.receipt.as_deref().ok_or_else(|| {
            GeoError::invalid(format!("clearing {} has no receipt", c.clearing_id))
        })?;
        let r = self.verify_clearing_receipt(json)?;
        let p = r.payload();
        let edges = p
            .edges
            .iter()
            .map(|e| (&e.debtor, &e.creditor, e.amount.to_string()));
        let listed = c
            .edges
            .iter()
            .map(|e| (&e.debtor, &e.creditor, e.amount.clone()));
        if p.clearing_id.to_string() != c.clearing_id
            || p.equivalent != c.equivalent
            || p.journal_seq != c.journal_seq
            || !edges.eq(listed)
        {
            return Err(GeoError::InvalidSignature {
                message: format!(
                    "the receipt of clearing {} says something else than the listing",
                    c.clearing_id
                ),
            });
        }
        Ok(r)
    }
}

/// A verified receipt's fields, with its text as received.
fn receipt_of(msg: &SignedMessage<PaymentReceipt>, json: &str) -> Receipt {
    let r = msg.payload();
    Receipt {
        tx_id: r.tx_id.to_string(),
        payer: r.payer.clone(),
        payee: r.payee.clone(),
        equivalent: r.equivalent.to_string(),
        amount: r.amount.as_str().to_owned(),
        status: match r.status {
            PaymentStatus::Committed => PaymentState::Committed,
            PaymentStatus::Aborted => PaymentState::Aborted,
        },
        error_code: r.error_code,
        routes: r
            .routes
            .iter()
            .map(|p| crate::types::Route {
                path: p.path.clone(),
                amount: p.amount.as_str().to_owned(),
            })
            .collect(),
        request_digest: r.request_digest.to_string(),
        decided_at: r.decided_at.to_string(),
        journal_seq: r.journal_seq,
        json: json.to_owned(),
        peer_receipt: None,
    }
}

/// A verified, hub-signed payment receipt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Receipt {
    /// Payment id.
    pub tx_id: String,
    /// Payer.
    pub payer: Pid,
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: String,
    /// Amount (canonical decimal text).
    pub amount: String,
    /// Committed or aborted.
    pub status: PaymentState,
    /// Why it aborted.
    pub error_code: Option<ErrorCode>,
    /// Paths (committed payments).
    pub routes: Vec<crate::types::Route>,
    /// Digest of the payer's signed request (hex).
    pub request_digest: String,
    /// When decided.
    pub decided_at: String,
    /// Journal position.
    pub journal_seq: Option<u64>,
    /// The signed receipt as received (keep it: it proves the outcome).
    pub json: String,
    /// A payment to another hub's member (`spec/federation.md` §6): the payee's hub's receipt of
    /// its part (its account of this hub to the payee), verified with that hub's key.
    pub peer_receipt: Option<Box<Receipt>>,
}

/// The discovery document of a hub whose key is `hub`'s, for tests.
#[cfg(test)]
pub(crate) fn test_hub_info(hub: &geo_protocol::Identity) -> HubInfo {
    HubInfo {
        protocol: "geo/1".into(),
        hub_pid: hub.pid(),
        public_key: hub.public_key().to_base64(),
        version: "t".into(),
        backend: "sqlite".into(),
        features: vec![],
        limits: crate::types::HubLimits {
            max_hops: 6,
            max_paths: 16,
            max_hold_seconds: 300,
            max_validity_seconds: 600,
            max_clock_skew_seconds: 60,
            max_body_bytes: 65536,
            challenge_ttl_seconds: 120,
            max_batch_payments: 64,
        },
        linked_hubs: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_protocol::*;

    fn info(hub: &Identity) -> HubInfo {
        test_hub_info(hub)
    }

    #[test]
    fn a_key_that_does_not_hash_to_the_pid_is_refused() {
        let hub = Identity::from_seed(&[3; 32]);
        let other = Identity::from_seed(&[4; 32]);
        let mut i = info(&hub);
        assert!(HubIdentity::from_info(i.clone(), None).is_ok());
        i.public_key = other.public_key().to_base64();
        let e = HubIdentity::from_info(i, None).unwrap_err();
        assert_eq!(e.code(), "E_INVALID_SIGNATURE", "{e}");
        // A pinned PID that differs is refused too.
        let e = HubIdentity::from_info(info(&hub), Some(&other.pid())).unwrap_err();
        assert!(matches!(e, GeoError::InvalidSignature { .. }));
        let mut wrong_protocol = info(&hub);
        wrong_protocol.protocol = "geo/2".into();
        assert!(matches!(
            HubIdentity::from_info(wrong_protocol, None),
            Err(GeoError::Protocol { .. })
        ));
    }

    fn receipt_payment(hub: &Identity, payer: &Identity, payee: &Pid) -> (Payment, Digest) {
        let at = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        let request_digest = Digest::of(b"the request");
        let tx_id = TxId::parse("00000000-0000-4000-8000-000000000009").unwrap();
        let receipt = PaymentReceipt {
            tx_id,
            payer: payer.pid(),
            payee: payee.clone(),
            equivalent: "UAH".parse().unwrap(),
            amount: "10.00".parse().unwrap(),
            status: PaymentStatus::Committed,
            request_digest,
            routes: vec![RoutePath {
                path: vec![payer.pid(), payee.clone()],
                amount: "10.00".parse().unwrap(),
            }],
            error_code: None,
            decided_at: at,
            journal_seq: Some(7),
        };
        let signed = Envelope::new(
            hub.pid(),
            None,
            Nonce::parse("AAAAAAAAAAAAAAAAAAAAAA").unwrap(),
            at,
            600,
            receipt,
        )
        .sign(hub)
        .unwrap();
        let payment = Payment {
            tx_id: tx_id.to_string(),
            payer: payer.pid(),
            payee: payee.clone(),
            equivalent: "UAH".parse().unwrap(),
            amount: "10.00".into(),
            status: PaymentState::Committed,
            error_code: None,
            routes: vec![crate::types::Route {
                path: vec![payer.pid(), payee.clone()],
                amount: "10.00".into(),
            }],
            description: None,
            invoice_id: None,
            created_at: at.to_string(),
            decided_at: Some(at.to_string()),
            hold_expires_at: None,
            journal_seq: 7,
            receipt: Some(signed.to_json()),
            peer_receipt: None,
            peer_hub_key: None,
            preimage: None,
        };
        (payment, request_digest)
    }

    #[test]
    fn receipts_verify_and_tampering_is_detected() {
        let hub = Identity::from_seed(&[3; 32]);
        let alice = Identity::from_seed(&[1; 32]);
        let bob = Identity::from_seed(&[2; 32]).pid();
        let id = HubIdentity::from_info(info(&hub), None).unwrap();
        let (payment, digest) = receipt_payment(&hub, &alice, &bob);
        let r = id.verify_payment(&payment, &[digest]).unwrap();
        assert_eq!((r.amount.as_str(), r.journal_seq), ("10.00", Some(7)));

        // The amount inside the signed receipt changed: the signature no longer verifies.
        let mut forged = payment.clone();
        forged.receipt = Some(payment.receipt.as_ref().unwrap().replace("10.00", "99.00"));
        let e = id.verify_payment(&forged, &[]).unwrap_err();
        assert!(matches!(e, GeoError::InvalidSignature { .. }), "{e}");

        // The view lies about the amount while the receipt is genuine.
        let mut lying = payment.clone();
        lying.amount = "11.00".into();
        assert!(id.verify_payment(&lying, &[]).is_err());

        // A receipt for another request than the one we signed.
        let e = id
            .verify_payment(&payment, &[Digest::of(b"something else")])
            .unwrap_err();
        assert!(matches!(e, GeoError::InvalidSignature { .. }));

        // A receipt signed by another key than the hub's published one.
        let impostor = Identity::from_seed(&[5; 32]);
        let (other, _) = receipt_payment(&impostor, &alice, &bob);
        assert!(id.verify_payment(&other, &[]).is_err());

        // Garbage instead of a receipt is an error, not a panic.
        let mut garbage = payment;
        garbage.receipt = Some("{\"protocol\":1}".into());
        assert!(id.verify_payment(&garbage, &[]).is_err());
    }
}
