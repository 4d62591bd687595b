//! The per-participant event stream (`GET /events`, a WebSocket): its frames and typed events.
//!
//! Each text frame is `{"type":"hello","pid":…,"cursor":N}` once, then
//! `{"type":"event","id":…,"kind":…,"journal_seq":…,"data":{…}}` per event. The hub builds
//! [`EventKind`] values and serialises them here; clients decode the same type. A kind this version
//! does not know decodes as [`EventKind::Other`], so old clients keep working with newer hubs.

use geo_protocol::{EquivalentCode, ErrorCode, Pid};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::clearing::SetOff;
use crate::participant::ParticipantStatus;
use crate::query::{text, ToQuery};
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `GET /events` (WebSocket upgrade; the answer's schema is that of one frame).
pub const STREAM: Endpoint = Endpoint {
    method: Method::Get,
    path: "/events",
    access: Access::Bearer,
    summary: "WebSocket event stream; resume with ?cursor=<last id>. Authenticate with the header or subprotocols `bearer, <token>`",
    tag: "events",
    query: Some(schema::<StreamQuery>),
    body: Body::None,
    ok: 101,
    answer: Some(schema::<Frame>),
    // E_MALFORMED: a plain GET without the WebSocket upgrade; E_VALIDATION: a bad cursor.
    problems: &[ErrorCode::Malformed, ErrorCode::Validation],
};

/// The query of `GET /events`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StreamQuery {
    /// The id of the last event processed (0 or absent: from the beginning; beyond the newest
    /// event: from now, the greeting's `cursor` says which id that is).
    pub cursor: Option<u64>,
}

impl ToQuery for StreamQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![("cursor", text(&self.cursor))]
    }
}

/// A frame of the stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
// A frame is built, sent and dropped one at a time: its size in memory does not matter, and boxing
// the event would only add an allocation per frame.
#[allow(clippy::large_enum_variant)]
pub enum Frame {
    /// The greeting, with the cursor the hub resumes after.
    Hello {
        /// Who is subscribed.
        pid: Pid,
        /// Events after this id follow.
        cursor: u64,
    },
    /// An event.
    Event(Event),
}

/// One event for the subscribed participant.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub struct Event {
    /// Position in the participant's stream (resume after it).
    pub id: u64,
    /// The hub journal entry it comes from.
    pub journal_seq: u64,
    /// What happened (`kind` and `data` of the frame).
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A payment event's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentEvent {
    /// Payment id.
    pub tx_id: String,
    /// Payer.
    pub payer: Pid,
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Amount.
    pub amount: String,
    /// The payer's note, if the request carried one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When.
    pub at: String,
    /// The journal entry that committed it (committed payments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal_seq: Option<u64>,
    /// The payee's invoice it pays (protocol §6.4; committed payments that name one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
}

/// What happened: the frame's `kind`, and its `data`. Read by [`EventKind::from_data`], not a
/// derived `Deserialize`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum EventKind {
    /// A trust line the participant is party to was set or closed.
    TrustLineChanged {
        /// Line id.
        line_id: String,
        /// Owner.
        creditor: Pid,
        /// Debtor.
        debtor: Pid,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// New limit (absent when closed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<String>,
        /// `active` or `closed`.
        status: String,
        /// When.
        at: String,
    },
    /// A held payment was prepared.
    PaymentPrepared {
        /// The payment.
        #[serde(flatten)]
        payment: PaymentEvent,
        /// When the hold lapses.
        expires_at: String,
    },
    /// The participant's payment committed.
    PaymentSent(PaymentEvent),
    /// A payment to the participant committed.
    PaymentReceived(PaymentEvent),
    /// A payment passed through the participant.
    PaymentRelayed(PaymentEvent),
    /// The participant's payment aborted.
    PaymentAborted {
        /// The payment.
        #[serde(flatten)]
        payment: PaymentEvent,
        /// Why.
        error_code: Option<ErrorCode>,
    },
    /// A clearing proposal needs consent or involves the participant.
    ClearingProposed {
        /// Its id.
        clearing_id: String,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// Proposed set-offs.
        edges: Vec<SetOff>,
        /// Who must consent.
        consent_required_from: Vec<Pid>,
        /// When the proposal lapses.
        expires_at: String,
        /// When it was made.
        at: String,
    },
    /// A clearing touching the participant was applied.
    ClearingCommitted {
        /// Its id.
        clearing_id: String,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// What was set off.
        edges: Vec<SetOff>,
        /// When.
        at: String,
        /// The hub-signed `clearing_receipt` (JSON text), verified by the SDK before delivery.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::json_text::opt"
        )]
        #[schemars(schema_with = "crate::json_text::schema")]
        receipt: Option<String>,
    },
    /// The operator changed the participant's status.
    ParticipantStatusChanged {
        /// New status.
        status: ParticipantStatus,
        /// When.
        at: String,
    },
    /// A kind this version does not know yet (its data as JSON text).
    #[serde(skip)]
    Other {
        /// The kind.
        name: String,
        /// Its data.
        data: String,
    },
}

/// The kinds [`EventKind`] knows, as they appear in frames.
pub const KINDS: &[&str] = &[
    "trust_line_changed",
    "payment_prepared",
    "payment_sent",
    "payment_received",
    "payment_relayed",
    "payment_aborted",
    "clearing_proposed",
    "clearing_committed",
    "participant_status_changed",
];

impl EventKind {
    /// The frame's `kind`.
    pub fn name(&self) -> &str {
        match self {
            EventKind::TrustLineChanged { .. } => KINDS[0],
            EventKind::PaymentPrepared { .. } => KINDS[1],
            EventKind::PaymentSent(_) => KINDS[2],
            EventKind::PaymentReceived(_) => KINDS[3],
            EventKind::PaymentRelayed(_) => KINDS[4],
            EventKind::PaymentAborted { .. } => KINDS[5],
            EventKind::ClearingProposed { .. } => KINDS[6],
            EventKind::ClearingCommitted { .. } => KINDS[7],
            EventKind::ParticipantStatusChanged { .. } => KINDS[8],
            EventKind::Other { name, .. } => name,
        }
    }
}

impl EventKind {
    /// Reads the `data` of a kind in [`KINDS`] (`name`; any other is an error). Each variant's
    /// members are decoded by a plain struct of their own: serde's derive for this adjacently
    /// tagged enum buffered `data` through its `Content` type and read the flattened payment
    /// members through a second decoder (8 KB of the npm wallet module; BENCHMARKS.md).
    pub fn from_data(name: &str, data: &Value) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct TrustLine {
            line_id: String,
            creditor: Pid,
            debtor: Pid,
            equivalent: EquivalentCode,
            #[serde(default)]
            limit: Option<String>,
            status: String,
            at: String,
        }
        #[derive(Deserialize)]
        struct Expires {
            expires_at: String,
        }
        #[derive(Deserialize)]
        struct Aborted {
            error_code: Option<ErrorCode>,
        }
        #[derive(Deserialize)]
        struct Proposed {
            clearing_id: String,
            equivalent: EquivalentCode,
            edges: Vec<SetOff>,
            consent_required_from: Vec<Pid>,
            expires_at: String,
            at: String,
        }
        #[derive(Deserialize)]
        struct Committed {
            clearing_id: String,
            equivalent: EquivalentCode,
            edges: Vec<SetOff>,
            at: String,
            #[serde(default, with = "crate::json_text::opt")]
            receipt: Option<String>,
        }
        #[derive(Deserialize)]
        struct Status {
            status: ParticipantStatus,
            at: String,
        }
        let payment = || crate::tree::decode::<PaymentEvent>(data);
        Ok(match name {
            "trust_line_changed" => {
                let l = crate::tree::decode::<TrustLine>(data)?;
                EventKind::TrustLineChanged {
                    line_id: l.line_id,
                    creditor: l.creditor,
                    debtor: l.debtor,
                    equivalent: l.equivalent,
                    limit: l.limit,
                    status: l.status,
                    at: l.at,
                }
            }
            "payment_prepared" => EventKind::PaymentPrepared {
                payment: payment()?,
                expires_at: crate::tree::decode::<Expires>(data)?.expires_at,
            },
            "payment_sent" => EventKind::PaymentSent(payment()?),
            "payment_received" => EventKind::PaymentReceived(payment()?),
            "payment_relayed" => EventKind::PaymentRelayed(payment()?),
            "payment_aborted" => EventKind::PaymentAborted {
                payment: payment()?,
                error_code: crate::tree::decode::<Aborted>(data)?.error_code,
            },
            "clearing_proposed" => {
                let c = crate::tree::decode::<Proposed>(data)?;
                EventKind::ClearingProposed {
                    clearing_id: c.clearing_id,
                    equivalent: c.equivalent,
                    edges: c.edges,
                    consent_required_from: c.consent_required_from,
                    expires_at: c.expires_at,
                    at: c.at,
                }
            }
            "clearing_committed" => {
                let c = crate::tree::decode::<Committed>(data)?;
                EventKind::ClearingCommitted {
                    clearing_id: c.clearing_id,
                    equivalent: c.equivalent,
                    edges: c.edges,
                    at: c.at,
                    receipt: c.receipt,
                }
            }
            "participant_status_changed" => {
                let s = crate::tree::decode::<Status>(data)?;
                EventKind::ParticipantStatusChanged {
                    status: s.status,
                    at: s.at,
                }
            }
            other => {
                return Err(serde::de::Error::unknown_variant(other, KINDS));
            }
        })
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Known<'a> {
            id: u64,
            journal_seq: u64,
            #[serde(flatten)]
            kind: &'a EventKind,
        }
        #[derive(Serialize)]
        struct Unknown<'a> {
            id: u64,
            journal_seq: u64,
            kind: &'a str,
            #[serde(with = "crate::json_text")]
            data: &'a str,
        }
        match &self.kind {
            EventKind::Other { name, data } => Unknown {
                id: self.id,
                journal_seq: self.journal_seq,
                kind: name,
                data,
            }
            .serialize(s),
            kind => Known {
                id: self.id,
                journal_seq: self.journal_seq,
                kind,
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            id: u64,
            journal_seq: u64,
            kind: String,
            #[serde(default)]
            data: Value,
        }
        let raw = Raw::deserialize(d)?;
        let kind = if KINDS.contains(&raw.kind.as_str()) {
            EventKind::from_data(&raw.kind, &raw.data)
                .map_err(|e| serde::de::Error::custom(format!("event {}: {e}", raw.kind)))?
        } else {
            EventKind::Other {
                name: raw.kind,
                data: raw.data.to_string(),
            }
        };
        Ok(Event {
            id: raw.id,
            journal_seq: raw.journal_seq,
            kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PID: &str = "3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW";

    fn payment() -> PaymentEvent {
        PaymentEvent {
            tx_id: "t".into(),
            payer: PID.parse().unwrap(),
            payee: PID.parse().unwrap(),
            equivalent: "UAH".parse().unwrap(),
            amount: "1.00".into(),
            description: Some("rent".into()),
            at: "2026-01-01T00:00:00Z".into(),
            journal_seq: None,
            invoice_id: None,
        }
    }

    #[test]
    fn every_kind_round_trips_under_its_name() {
        let kinds = vec![
            EventKind::TrustLineChanged {
                line_id: "l".into(),
                creditor: PID.parse().unwrap(),
                debtor: PID.parse().unwrap(),
                equivalent: "UAH".parse().unwrap(),
                limit: None,
                status: "closed".into(),
                at: "2026-01-01T00:00:00Z".into(),
            },
            EventKind::PaymentPrepared {
                payment: payment(),
                expires_at: "2026-01-01T00:01:00Z".into(),
            },
            EventKind::PaymentSent(PaymentEvent {
                journal_seq: Some(4),
                ..payment()
            }),
            EventKind::PaymentReceived(payment()),
            EventKind::PaymentRelayed(payment()),
            EventKind::PaymentAborted {
                payment: payment(),
                error_code: Some(ErrorCode::InsufficientCapacity),
            },
            EventKind::ClearingProposed {
                clearing_id: "c".into(),
                equivalent: "UAH".parse().unwrap(),
                edges: vec![],
                consent_required_from: vec![PID.parse().unwrap()],
                expires_at: "2026-01-01T00:01:00Z".into(),
                at: "2026-01-01T00:00:00Z".into(),
            },
            EventKind::ClearingCommitted {
                clearing_id: "c".into(),
                equivalent: "UAH".parse().unwrap(),
                edges: vec![],
                at: "2026-01-01T00:00:00Z".into(),
                receipt: Some(r#"{"a":1}"#.into()),
            },
            EventKind::ParticipantStatusChanged {
                status: ParticipantStatus::Suspended,
                at: "2026-01-01T00:00:00Z".into(),
            },
            EventKind::Other {
                name: "future_thing".into(),
                data: r#"{"x":1}"#.into(),
            },
        ];
        assert_eq!(kinds.len(), KINDS.len() + 1, "one sample per kind");
        for (i, kind) in kinds.into_iter().enumerate() {
            let frame = Frame::Event(Event {
                id: i as u64 + 1,
                journal_seq: 7,
                kind,
            });
            let text = serde_json::to_string(&frame).unwrap();
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["type"], "event", "{text}");
            let Frame::Event(e) = &frame else {
                unreachable!()
            };
            assert_eq!(v["kind"], e.kind.name(), "{text}");
            assert!(v["data"].is_object(), "{text}");
            assert_eq!(
                serde_json::from_str::<Frame>(&text).unwrap(),
                frame,
                "{text}"
            );
        }
    }

    #[test]
    fn a_kinds_own_members_are_read_with_the_payments() {
        let frame = |kind: &str, data: &Value| {
            serde_json::from_str::<Frame>(&format!(
                r#"{{"type":"event","id":1,"journal_seq":1,"kind":"{kind}","data":{data}}}"#
            ))
        };
        let mut data = serde_json::to_value(payment()).unwrap();
        assert!(
            frame("payment_prepared", &data).is_err(),
            "a prepared payment needs its expires_at"
        );
        let Frame::Event(e) = frame("payment_aborted", &data).unwrap() else {
            panic!("not an event")
        };
        assert_eq!(
            e.kind,
            EventKind::PaymentAborted {
                payment: payment(),
                error_code: None
            }
        );
        data["error_code"] = "E_INSUFFICIENT_CAPACITY".into();
        data["expires_at"] = "x".into();
        let Frame::Event(e) = frame("payment_aborted", &data).unwrap() else {
            panic!("not an event")
        };
        assert_eq!(
            e.kind,
            EventKind::PaymentAborted {
                payment: payment(),
                error_code: Some(ErrorCode::InsufficientCapacity)
            }
        );
        assert!(frame("participant_status_changed", &Value::Null).is_err());
        assert!(EventKind::from_data("future_thing", &data).is_err());
    }

    #[test]
    fn wire_members_are_flat_and_closed_lines_have_no_limit() {
        let e = EventKind::PaymentPrepared {
            payment: payment(),
            expires_at: "x".into(),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["data"]["tx_id"], "t");
        assert_eq!(v["data"]["expires_at"], "x");
        assert!(v["data"].get("journal_seq").is_none());
        let hello: Frame =
            serde_json::from_str(&format!(r#"{{"type":"hello","pid":"{PID}","cursor":4}}"#))
                .unwrap();
        assert!(matches!(hello, Frame::Hello { cursor: 4, .. }));
        assert!(serde_json::from_str::<Frame>(r#"{"type":"event","id":"x"}"#).is_err());
        let bad =
            r#"{"type":"event","id":1,"journal_seq":1,"kind":"payment_sent","data":{"tx_id":1}}"#;
        assert!(
            serde_json::from_str::<Frame>(bad).is_err(),
            "a known kind must be well-formed"
        );
    }
}
