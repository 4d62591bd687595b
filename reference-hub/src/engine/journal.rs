//! Journal events: the durable record of every state change, in order. State is the fold of them.

use geo_protocol::{
    canonical_writer, Digest, EquivalentCode, ErrorCode, Nonce, ParticipantKind, Pid, Profile,
    PublicKey, Timestamp, TxId,
};
use serde::{Deserialize, Serialize};

use super::ledger::{LinePolicy, ParticipantStatus};

/// One hop-path of a payment in journal form: participants from payer to payee and minor units carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPath {
    /// Payer first, payee last.
    pub path: Vec<Pid>,
    /// Minor units carried.
    #[serde(with = "minor")]
    pub amount: u64,
}

/// A debt set off by a clearing, in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalSetOff {
    /// Who owed.
    pub debtor: Pid,
    /// Who was owed.
    pub creditor: Pid,
    /// Minor units set off.
    #[serde(with = "minor")]
    pub amount: u64,
}

/// Every kind of state change. Participant-signed changes keep the signed message as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JournalEvent {
    /// The operator created or changed an equivalent.
    EquivalentSet {
        /// Its code.
        code: EquivalentCode,
        /// Decimal places (fixed once trust lines exist).
        precision: u8,
        /// Human description.
        description: String,
        /// Whether new trust lines and payments may use it.
        active: bool,
    },
    /// A participant registered (self-signed message kept).
    ParticipantRegistered {
        /// Its PID.
        pid: Pid,
        /// Its key.
        public_key: PublicKey,
        /// Display name.
        display_name: String,
        /// Person, business or hub.
        participant_kind: ParticipantKind,
        /// Public profile.
        profile: Profile,
        /// The signed registration.
        message: String,
    },
    /// A participant changed its name or profile.
    ParticipantUpdated {
        /// Whose.
        pid: Pid,
        /// New name, if changed.
        display_name: Option<String>,
        /// New profile, if changed.
        profile: Option<Profile>,
        /// The signed update.
        message: String,
    },
    /// The operator suspended, reactivated or retired a participant.
    ParticipantStatusSet {
        /// Whose.
        pid: Pid,
        /// The new status.
        status: ParticipantStatus,
        /// Why (operator's note).
        reason: String,
    },
    /// A creditor created or changed a trust line.
    TrustLineSet {
        /// The line's id (new when the line is created).
        line_id: TxId,
        /// Owner of the line.
        creditor: Pid,
        /// Who may owe.
        debtor: Pid,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// Limit in minor units.
        #[serde(with = "minor")]
        limit: u64,
        /// Policy.
        policy: LinePolicy,
        /// The signed message.
        message: String,
    },
    /// A creditor closed a trust line.
    TrustLineClosed {
        /// The line's id.
        line_id: TxId,
        /// Owner.
        creditor: Pid,
        /// Debtor.
        debtor: Pid,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// The signed message.
        message: String,
    },
    /// A payment reserved capacity on all its paths and waits for the payer's commit or abort.
    PaymentPrepared {
        /// The payment.
        tx_id: TxId,
        /// Payer.
        payer: Pid,
        /// Payee.
        payee: Pid,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// Minor units.
        #[serde(with = "minor")]
        amount: u64,
        /// Reserved paths.
        paths: Vec<JournalPath>,
        /// When the reservation lapses.
        expires_at: Timestamp,
        /// Digest of the signed request payload (idempotency).
        payload_digest: Digest,
        /// Digest of the signed request message (for the receipt).
        request_digest: Digest,
        /// The signed request.
        request: String,
        /// The payer's note (absent in entries written before it was journaled here).
        #[serde(default)]
        description: Option<String>,
    },
    /// A payment was applied on every hop of every path.
    PaymentCommitted {
        /// The payment.
        tx_id: TxId,
        /// Payer.
        payer: Pid,
        /// Payee.
        payee: Pid,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// Minor units.
        #[serde(with = "minor")]
        amount: u64,
        /// Applied paths.
        paths: Vec<JournalPath>,
        /// Digest of the signed request payload.
        payload_digest: Digest,
        /// The signed request (absent when it was journaled by `PaymentPrepared`).
        request: Option<String>,
        /// Digest of the signed request message (for the receipt).
        request_digest: Digest,
        /// The payer's note (absent in entries written before it was journaled here).
        #[serde(default)]
        description: Option<String>,
        /// The payee's invoice the payment names (§6.4), shown to both parties.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invoice_id: Option<Nonce>,
        /// The linked hub's signed `hub_fulfil` that released a cross-hub hold
        /// (`spec/federation.md` §6 upstream step 4), as its JSON text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fulfil: Option<String>,
    },
    /// A payment ended with nothing applied (refused, aborted by the payer, or expired).
    PaymentAborted {
        /// The payment.
        tx_id: TxId,
        /// Payer.
        payer: Pid,
        /// Payee.
        payee: Pid,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// Minor units.
        #[serde(with = "minor")]
        amount: u64,
        /// Why.
        error_code: ErrorCode,
        /// Digest of the signed request payload.
        payload_digest: Digest,
        /// The signed request (absent when journaled by `PaymentPrepared`).
        request: Option<String>,
        /// Digest of the signed request message (for the receipt).
        request_digest: Digest,
        /// The payer's note (absent in entries written before it was journaled here).
        #[serde(default)]
        description: Option<String>,
    },
    /// The hub proposed a clearing that needs consent from some creditors.
    ClearingProposed {
        /// The proposal (and the clearing's id if it commits).
        clearing_id: TxId,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// What would be set off.
        set_offs: Vec<JournalSetOff>,
        /// Creditors who must accept.
        consent_required_from: Vec<Pid>,
        /// When the proposal lapses.
        expires_at: Timestamp,
    },
    /// A creditor accepted or rejected a proposal (signed message kept).
    ClearingConsented {
        /// The proposal.
        clearing_id: TxId,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// Who answered.
        pid: Pid,
        /// Accepted (true) or rejected.
        accepted: bool,
        /// The signed consent.
        message: String,
    },
    /// A proposal ended without effect.
    ClearingProposalClosed {
        /// The proposal.
        clearing_id: TxId,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// Why: rejected, expired, or a debt changed.
        reason: ErrorCode,
    },
    /// A clearing set off debts around cycles.
    ClearingCommitted {
        /// The clearing.
        clearing_id: TxId,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// What was set off.
        set_offs: Vec<JournalSetOff>,
    },
    /// The payer's hub refused this hub's fulfilment of a payment it committed as the payee's hub
    /// (`spec/federation.md` §7): the inter-hub line's copies differ by its amount.
    FulfilmentRefused {
        /// The payment.
        tx_id: TxId,
        /// The hub that refused (the payment's payer here).
        peer: Pid,
        /// Why: `E_FULFILMENT_LATE` or `E_CONDITION_MISMATCH`.
        code: ErrorCode,
        /// Its signed `hub_reject`, as JSON text.
        message: String,
        /// True when this hub, the payer's, refused the peer's fulfilment (§7 upstream; `peer` is
        /// then the payment's payee); absent when the peer refused this hub's.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        by_this_hub: bool,
    },
}

impl JournalEvent {
    /// The event's kind tag as stored in the database.
    pub fn kind(&self) -> &'static str {
        match self {
            JournalEvent::EquivalentSet { .. } => "equivalent_set",
            JournalEvent::ParticipantRegistered { .. } => "participant_registered",
            JournalEvent::ParticipantUpdated { .. } => "participant_updated",
            JournalEvent::ParticipantStatusSet { .. } => "participant_status_set",
            JournalEvent::TrustLineSet { .. } => "trust_line_set",
            JournalEvent::TrustLineClosed { .. } => "trust_line_closed",
            JournalEvent::PaymentPrepared { .. } => "payment_prepared",
            JournalEvent::PaymentCommitted { .. } => "payment_committed",
            JournalEvent::PaymentAborted { .. } => "payment_aborted",
            JournalEvent::ClearingProposed { .. } => "clearing_proposed",
            JournalEvent::ClearingConsented { .. } => "clearing_consented",
            JournalEvent::ClearingProposalClosed { .. } => "clearing_proposal_closed",
            JournalEvent::ClearingCommitted { .. } => "clearing_committed",
            JournalEvent::FulfilmentRefused { .. } => "fulfilment_refused",
        }
    }
}

/// A journal entry: sequence number, time, event, and the hash chain link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    /// Position, from 1, without gaps.
    pub seq: u64,
    /// When it was recorded.
    pub at: Timestamp,
    /// What happened.
    pub event: JournalEvent,
    /// Hash of the previous entry (all zeros for the first).
    pub prev_hash: Digest,
    /// `sha256(prev_hash ‖ seq (8 bytes, big-endian) ‖ at (8 bytes, big-endian) ‖ canonical JSON of event)`.
    pub hash: Digest,
    /// The event's canonical JSON (hashed and stored; computed once).
    body: String,
}

impl JournalEntry {
    /// Seals an event after `prev_hash`.
    pub fn seal(seq: u64, at: Timestamp, event: JournalEvent, prev_hash: Digest) -> Self {
        let body = event_body(&event);
        let hash = hash_of(seq, at, &body, &prev_hash);
        JournalEntry {
            seq,
            at,
            event,
            prev_hash,
            hash,
            body,
        }
    }

    /// The event as canonical JSON (its stored body).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Recomputes the hash from the content.
    pub fn compute_hash(
        seq: u64,
        at: Timestamp,
        event: &JournalEvent,
        prev_hash: &Digest,
    ) -> Digest {
        hash_of(seq, at, &event_body(event), prev_hash)
    }
}

fn hash_of(seq: u64, at: Timestamp, body: &str, prev_hash: &Digest) -> Digest {
    use sha2::Digest as _;
    // Hashed in pieces: the body (which holds the signed request) is not copied to be hashed.
    let mut hasher = sha2::Sha256::new();
    hasher.update(prev_hash.to_bytes());
    hasher.update(seq.to_be_bytes());
    hasher.update(at.unix().to_be_bytes());
    hasher.update(body.as_bytes());
    Digest::from_bytes(hasher.finalize().into())
}

/// Canonical JSON of an event (its stored body and hashed form), absent options left out.
pub fn event_body(event: &JournalEvent) -> String {
    let body = canonical_writer::to_canonical_vec_without_null_members(event)
        .expect("journal events are canonical-able");
    String::from_utf8(body).expect("canonical JSON is UTF-8")
}

/// The hash before the first entry.
pub fn genesis_hash() -> Digest {
    Digest::from_bytes([0; 32])
}

/// Minor units travel as decimal strings in stored JSON (they can exceed 2^53).
pub(crate) mod minor {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use geo_protocol::{canonical, Identity};

    use super::*;

    /// The body as a JSON value with its null members dropped, made canonical: what
    /// `event_body` writes directly.
    fn by_value_tree(event: &JournalEvent) -> String {
        fn drop_nulls(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::Object(map) => {
                    map.retain(|_, v| !v.is_null());
                    map.values_mut().for_each(drop_nulls);
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
                _ => {}
            }
        }
        let mut value = serde_json::to_value(event).unwrap();
        drop_nulls(&mut value);
        canonical::to_canonical_string(&value).unwrap()
    }

    #[test]
    fn bodies_are_the_canonical_form_of_the_event_without_its_absent_members() {
        let pid = |seed: u8| Identity::from_seed(&[seed; 32]).pid();
        let committed =
            |description: Option<&str>, request: Option<&str>| JournalEvent::PaymentCommitted {
                tx_id: "00000000-0000-4000-8000-000000000007".parse().unwrap(),
                payer: pid(1),
                payee: pid(2),
                equivalent: "UAH".parse().unwrap(),
                amount: 1_234,
                paths: vec![JournalPath {
                    path: vec![pid(1), pid(3), pid(2)],
                    amount: 1_234,
                }],
                payload_digest: Digest::of(b"payload"),
                request: request.map(str::to_owned),
                request_digest: Digest::of(b"request"),
                description: description.map(str::to_owned),
                invoice_id: None,
                fulfil: None,
            };
        let events = [
            committed(None, None),
            committed(
                Some("rent \"May\"\n é"),
                Some(r#"{"payload":{"a":"\"q\""}}"#),
            ),
            JournalEvent::ClearingCommitted {
                clearing_id: "00000000-0000-4000-8000-000000000008".parse().unwrap(),
                equivalent: "UAH".parse().unwrap(),
                set_offs: vec![JournalSetOff {
                    debtor: pid(1),
                    creditor: pid(2),
                    amount: 5,
                }],
            },
            JournalEvent::ParticipantUpdated {
                pid: pid(4),
                display_name: None,
                profile: None,
                message: "{}".into(),
            },
        ];
        for event in &events {
            let body = event_body(event);
            assert_eq!(body, by_value_tree(event));
            assert!(!body.contains("null"), "{body}");
        }
        assert!(event_body(&events[1]).contains(r#""description":"rent \"May\"\n é""#));
    }
}
