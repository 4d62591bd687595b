//! Typed decoding of a strictly parsed JSON value into a message type (§5.4 steps 1 and 4).
//!
//! A serde `Deserializer` over [`serde_json::Value`] whose errors are typed, so no caller has to
//! classify an error by its message. It knows what it decodes into, and sorts every fault into the
//! class §5.4 gives it:
//! - the value cannot be decoded into the type (missing or unknown member, wrong JSON type, a text form
//!   of §3/§4.2 broken, a key that is not a valid point): `E_MALFORMED`, decoding stops;
//! - amount text that breaks §4.1: `E_INVALID_AMOUNT`, still step 1 but after every `E_MALFORMED`,
//!   so decoding goes on with a stand-in amount;
//! - a value outside its allowed list (an enumeration): `E_VALIDATION`, answered first at step 4, so
//!   decoding goes on with a stand-in value;
//! - an integer beyond its member's type: decoded as the type's maximum, which the member's range
//!   rule of §6 refuses at step 4 (`E_VALIDATION`) in its written order.

use std::cell::RefCell;
use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::amount::{DecimalAmount, AMOUNT_WIRE_NAME};
use crate::envelope::ValidationError;
use crate::ErrorCode;

/// The value cannot be decoded into the message type (`E_MALFORMED`), at a member's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed {
    /// Where (`payload.constraints.max_hops`); `None` until the member that raised it is known.
    path: Option<String>,
    /// What is wrong, for people.
    message: String,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path.as_deref() {
            Some(path) if !path.is_empty() => write!(f, "{path}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Malformed {}

impl de::Error for Malformed {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Malformed {
            path: None,
            message: msg.to_string(),
        }
    }
}

/// Faults found while decoding that do not stop it: they are answered after every `E_MALFORMED`.
#[derive(Debug, Default)]
pub(crate) struct Deferred {
    /// The first amount text that breaks §4.1 (step 1, `E_INVALID_AMOUNT`).
    pub amount: Option<ValidationError>,
    /// The first value outside its list or range (step 4, `E_VALIDATION`).
    pub validation: Option<ValidationError>,
}

/// Decodes `value` as `T`: `Err` for `E_MALFORMED`, otherwise the value and the deferred faults.
pub(crate) fn decode<T: for<'de> Deserialize<'de>>(
    value: &Value,
    path: &str,
) -> Result<(T, Deferred), Malformed> {
    let deferred = RefCell::new(Deferred::default());
    let decoder = Decoder {
        value,
        path: path.to_owned(),
        deferred: &deferred,
    };
    let out = T::deserialize(decoder)?;
    Ok((out, deferred.into_inner()))
}

struct Decoder<'a> {
    value: &'a Value,
    path: String,
    deferred: &'a RefCell<Deferred>,
}

impl<'a> Decoder<'a> {
    fn child(&self, value: &'a Value, segment: fmt::Arguments<'_>) -> Decoder<'a> {
        Decoder {
            value,
            path: format!("{}{segment}", self.path),
            deferred: self.deferred,
        }
    }

    fn malformed(&self, what: impl fmt::Display) -> Malformed {
        Malformed {
            path: Some(self.path.clone()),
            message: what.to_string(),
        }
    }

    fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    fn defer_validation(&self, message: String) {
        let mut d = self.deferred.borrow_mut();
        if d.validation.is_none() {
            d.validation = Some(ValidationError::new(self.path.clone(), message));
        }
    }

    /// An unsigned integer member whose type holds at most `max`. A larger value is a range fault,
    /// not a form fault: it stands in as `max`, which every range rule of §6 refuses at step 4 in
    /// its written order (no member's range reaches its type's maximum).
    fn unsigned<'de, V: Visitor<'de>>(self, max: u64, visitor: V) -> Result<V::Value, Malformed> {
        match self.value.as_u64() {
            Some(n) if n > max => visitor.visit_u64(max),
            Some(n) => visitor.visit_u64(n),
            None => Err(self.malformed(format_args!(
                "expected a non-negative integer, found {}",
                self.kind()
            ))),
        }
    }
}

impl<'de> de::Deserializer<'de> for Decoder<'de> {
    type Error = Malformed;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => Err(self.malformed("expected an integer, found a float")),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Seq {
                parent: &self,
                items: items.iter().enumerate(),
            }),
            Value::Object(map) => visitor.visit_map(Members {
                parent: &self,
                members: map.iter(),
                pending: None,
            }),
        }
        .map_err(|mut e| {
            // Errors a visitor raises (unknown or missing member, bad text form) are about this value.
            e.path.get_or_insert_with(|| self.path.clone());
            e
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        match self.value {
            Value::Null => Err(self.malformed("null is not allowed; omit the member")),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        self.unsigned(u8::MAX.into(), visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        self.unsigned(u16::MAX.into(), visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        self.unsigned(u32::MAX.into(), visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        self.unsigned(u64::MAX, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        let Value::String(s) = self.value else {
            return Err(self.malformed(format_args!("expected a string, found {}", self.kind())));
        };
        let chosen: &'de str = if variants.contains(&s.as_str()) {
            s
        } else {
            let first = variants
                .first()
                .ok_or_else(|| self.malformed("no value is allowed"))?;
            self.defer_validation(format!("must be one of {}", variants.join(", ")));
            first
        };
        let variant: StrDeserializer<'de, Malformed> = chosen.into_deserializer();
        visitor.visit_enum(variant)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        if name != AMOUNT_WIRE_NAME {
            return visitor.visit_newtype_struct(self);
        }
        let Value::String(text) = self.value else {
            return Err(self.malformed(format_args!("expected a string, found {}", self.kind())));
        };
        match DecimalAmount::parse(text) {
            Ok(_) => visitor.visit_newtype_struct(self),
            Err(e) => {
                let mut d = self.deferred.borrow_mut();
                if d.amount.is_none() {
                    d.amount = Some(
                        ValidationError::new(self.path.clone(), e.to_string())
                            .with_code(ErrorCode::InvalidAmount),
                    );
                }
                drop(d);
                let stand_in: StrDeserializer<'de, Malformed> = "1".into_deserializer();
                visitor.visit_newtype_struct(stand_in)
            }
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq
        tuple tuple_struct map struct identifier ignored_any
    }
}

struct Seq<'p, 'a, I> {
    parent: &'p Decoder<'a>,
    items: I,
}

impl<'de, I: Iterator<Item = (usize, &'de Value)>> de::SeqAccess<'de> for Seq<'_, 'de, I> {
    type Error = Malformed;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Malformed> {
        match self.items.next() {
            Some((i, v)) => seed
                .deserialize(self.parent.child(v, format_args!("[{i}]")))
                .map(Some),
            None => Ok(None),
        }
    }
}

struct Members<'p, 'a, I> {
    parent: &'p Decoder<'a>,
    members: I,
    pending: Option<(&'a String, &'a Value)>,
}

impl<'de, I: Iterator<Item = (&'de String, &'de Value)>> de::MapAccess<'de>
    for Members<'_, 'de, I>
{
    type Error = Malformed;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Malformed> {
        match self.members.next() {
            Some((k, v)) => {
                self.pending = Some((k, v));
                let key: StrDeserializer<'de, Malformed> = k.as_str().into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Malformed> {
        let (k, v) = self
            .pending
            .take()
            .ok_or_else(|| self.parent.malformed("a value without a member name"))?;
        let sep = if self.parent.path.is_empty() { "" } else { "." };
        seed.deserialize(self.parent.child(v, format_args!("{sep}{k}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{ParticipantKind, PaymentConstraints};
    use serde_json::json;

    #[test]
    fn enumeration_outside_its_list_is_deferred_to_validation() {
        let (kind, d) = decode::<ParticipantKind>(&json!("robot"), "payload.kind").unwrap();
        assert_eq!(
            kind,
            ParticipantKind::Person,
            "a stand-in lets decoding go on"
        );
        let v = d.validation.unwrap();
        assert_eq!(v.field, "payload.kind");
        assert_eq!(v.message, "must be one of person, business, hub");
        assert!(d.amount.is_none());
    }

    #[test]
    fn integer_beyond_its_type_is_a_range_fault_but_a_negative_one_is_malformed() {
        let (c, d) =
            decode::<PaymentConstraints>(&json!({"max_hops": 300}), "payload.constraints").unwrap();
        assert_eq!(
            c.max_hops,
            Some(u8::MAX),
            "left for the range rule of step 4"
        );
        assert!(d.validation.is_none());
        let err = decode::<PaymentConstraints>(&json!({"max_hops": -1}), "payload.constraints")
            .unwrap_err();
        assert!(
            err.to_string().starts_with("payload.constraints.max_hops:"),
            "{err}"
        );
    }

    #[test]
    fn bad_amount_text_is_deferred_and_a_missing_member_still_wins() {
        let (_, d) = decode::<crate::messages::DebtEdge>(
            &json!({"debtor": "11111111111111111111111111111111", "creditor": "11111111111111111111111111111111", "amount": "1e3"}),
            "e",
        )
        .unwrap();
        assert_eq!(d.amount.unwrap().code, ErrorCode::InvalidAmount);
        let err = decode::<crate::messages::DebtEdge>(&json!({"amount": "1e3"}), "e").unwrap_err();
        assert_eq!(err.to_string(), "e: missing field `debtor`");
    }

    #[test]
    fn unknown_members_and_wrong_types_are_malformed_with_their_path() {
        let err = decode::<PaymentConstraints>(&json!({"max_hops": "4"}), "payload.constraints")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload.constraints.max_hops: expected a non-negative integer, found a string"
        );
        let err =
            decode::<PaymentConstraints>(&json!({"fee": 1}), "payload.constraints").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("payload.constraints: unknown field `fee`"),
            "{err}"
        );
    }
}
