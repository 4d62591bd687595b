//! Decoding of an [`Envelope`] with the members every message shares (protocol, type, signer,
//! audience, nonce, times) read by code that does not depend on the payload type: derived, that
//! part was compiled again for each of the 15 message types, 40 % of the npm package's module.
//! It answers exactly as `#[derive(Deserialize)] #[serde(deny_unknown_fields)]` would: members in
//! any order, the first unknown or repeated member is the error, then missing members in
//! declaration order (`payload` last), an absent `audience` is `None`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::envelope::Envelope;
use crate::identity::Pid;
use crate::ids::{Nonce, Timestamp};
use crate::messages::MessageType;

/// The members of an envelope, in declaration order (the derive's `FIELDS`).
const FIELDS: &[&str] = &[
    "protocol",
    "type",
    "signer",
    "audience",
    "nonce",
    "created_at",
    "expires_at",
    "payload",
];

/// A member name.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Protocol,
    Type,
    Signer,
    Audience,
    Nonce,
    CreatedAt,
    ExpiresAt,
    Payload,
}

/// The members other than the payload, as read so far.
#[derive(Default)]
struct Header {
    protocol: Option<String>,
    message_type: Option<MessageType>,
    signer: Option<Pid>,
    audience: Option<Option<Pid>>,
    nonce: Option<Nonce>,
    created_at: Option<Timestamp>,
    expires_at: Option<Timestamp>,
}

/// Stores the value of `slot`'s member, or refuses a second one.
fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    slot: &mut Option<T>,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl Header {
    /// Reads the value of a member other than `payload`.
    #[inline(never)]
    fn read<'de, A: MapAccess<'de>>(&mut self, field: Field, map: &mut A) -> Result<(), A::Error> {
        match field {
            Field::Protocol => once(&mut self.protocol, "protocol", map),
            Field::Type => once(&mut self.message_type, "type", map),
            Field::Signer => once(&mut self.signer, "signer", map),
            Field::Audience => once(&mut self.audience, "audience", map),
            Field::Nonce => once(&mut self.nonce, "nonce", map),
            Field::CreatedAt => once(&mut self.created_at, "created_at", map),
            Field::ExpiresAt => once(&mut self.expires_at, "expires_at", map),
            Field::Payload => unreachable!("the payload is read by the envelope's visitor"),
        }
    }
}

/// The members other than the payload, all present.
struct Complete {
    protocol: String,
    message_type: MessageType,
    signer: Pid,
    audience: Option<Pid>,
    nonce: Nonce,
    created_at: Timestamp,
    expires_at: Timestamp,
}

impl Header {
    /// The first missing member in declaration order is the error.
    #[inline(never)]
    fn complete<E: de::Error>(self) -> Result<Complete, E> {
        Ok(Complete {
            protocol: self.protocol.ok_or_else(|| E::missing_field("protocol"))?,
            message_type: self.message_type.ok_or_else(|| E::missing_field("type"))?,
            signer: self.signer.ok_or_else(|| E::missing_field("signer"))?,
            audience: self.audience.unwrap_or_default(),
            nonce: self.nonce.ok_or_else(|| E::missing_field("nonce"))?,
            created_at: self
                .created_at
                .ok_or_else(|| E::missing_field("created_at"))?,
            expires_at: self
                .expires_at
                .ok_or_else(|| E::missing_field("expires_at"))?,
        })
    }
}

struct EnvelopeVisitor<P>(PhantomData<P>);

impl<'de, P: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<P> {
    type Value = Envelope<P>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct Envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<P>, A::Error> {
        let mut header = Header::default();
        let mut payload: Option<P> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Payload => once(&mut payload, "payload", &mut map)?,
                other => header.read(other, &mut map)?,
            }
        }
        let h = header.complete::<A::Error>()?;
        let payload = payload.ok_or_else(|| de::Error::missing_field("payload"))?;
        Ok(Envelope {
            protocol: h.protocol,
            message_type: h.message_type,
            signer: h.signer,
            audience: h.audience,
            nonce: h.nonce,
            created_at: h.created_at,
            expires_at: h.expires_at,
            payload,
        })
    }
}

impl<'de, P: Deserialize<'de>> Deserialize<'de> for Envelope<P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("Envelope", FIELDS, EnvelopeVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::decode::decode;
    use crate::envelope::Envelope;
    use crate::messages::TrustLineClose;

    fn sample() -> serde_json::Value {
        json!({
            "protocol": "geo/1", "type": "trust_line_close",
            "signer": "11111111111111111111111111111111",
            "nonce": "AAAAAAAAAAAAAAAAAAAAAA",
            "created_at": "2026-11-24T10:00:00Z", "expires_at": "2026-11-24T10:05:00Z",
            "payload": {"debtor": "11111111111111111111111111111111", "equivalent": "UAH"}
        })
    }

    fn error(v: &serde_json::Value) -> String {
        decode::<Envelope<TrustLineClose>>(v, "")
            .map(drop)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn members_in_any_order_and_an_absent_audience() {
        let (e, _) = decode::<Envelope<TrustLineClose>>(&sample(), "").unwrap();
        assert_eq!(e.audience, None);
        assert_eq!(e.payload.equivalent.as_str(), "UAH");
        assert_eq!(e.created_at.to_string(), "2026-11-24T10:00:00Z");
    }

    #[test]
    fn refusals_read_as_the_derived_ones() {
        let mut v = sample();
        v["extra"] = json!(1);
        assert!(
            error(&v).starts_with("unknown field `extra`, expected one of `protocol`, `type`"),
            "{}",
            error(&v)
        );
        let mut v = sample();
        v.as_object_mut().unwrap().remove("nonce");
        v.as_object_mut().unwrap().remove("payload");
        assert_eq!(
            error(&v),
            "missing field `nonce`",
            "declaration order, payload last"
        );
        let mut v = sample();
        v.as_object_mut().unwrap().remove("payload");
        assert_eq!(error(&v), "missing field `payload`");
        let mut v = sample();
        v["audience"] = json!(null);
        assert_eq!(error(&v), "audience: null is not allowed; omit the member");
        let mut v = sample();
        v["payload"]["debtor"] = json!(7);
        assert!(error(&v).starts_with("payload.debtor: "), "{}", error(&v));
    }
}
