//! Canonical JSON written straight from a `Serialize` value, without building a `serde_json::Value`
//! first: the same bytes as [`canonical::to_canonical_bytes`] of `serde_json::to_value`, for a
//! fraction of the allocations (a value tree allocates every name, every string and every map
//! node, and is then walked again to be written). Members are written as they come, then put in
//! canonical order once per object.
//!
//! Anything this writer does not handle itself (floats, integers beyond ±(2^53 − 1), `null` where
//! it is not allowed, byte strings, embedded raw JSON, unusual map keys) takes the value-tree way,
//! so the result, and the error, are always exactly that way's.

use std::ops::Range;

use serde::ser::{self, Impossible, Serialize};

use crate::canonical::{self, write_string, CanonicalJsonError, MAX_SAFE_INTEGER};

/// Canonical form of a serialisable value (RFC 8785 over GEO's subset, see [`canonical`]).
pub fn to_canonical_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CanonicalJsonError> {
    write_or_fall_back(value, false)
}

/// The same, with object members whose value is `null` left out (absent options in stored
/// records); `null` anywhere else is still refused.
pub fn to_canonical_vec_without_null_members<T: Serialize + ?Sized>(
    value: &T,
) -> Result<Vec<u8>, CanonicalJsonError> {
    write_or_fall_back(value, true)
}

fn write_or_fall_back<T: Serialize + ?Sized>(
    value: &T,
    drop_null_members: bool,
) -> Result<Vec<u8>, CanonicalJsonError> {
    let mut out = Vec::with_capacity(512);
    let writer = Writer {
        out: &mut out,
        drop_null_members,
        null_allowed: false,
    };
    if value.serialize(writer).is_ok() {
        return Ok(out);
    }
    let mut tree =
        serde_json::to_value(value).map_err(|e| CanonicalJsonError::Syntax(e.to_string()))?;
    if drop_null_members {
        drop_nulls(&mut tree);
    }
    canonical::to_canonical_bytes(&tree)
}

fn drop_nulls(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Why the direct way gave up (the value-tree way then decides).
#[derive(Debug)]
struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not written directly")
    }
}

impl std::error::Error for GiveUp {}

impl ser::Error for GiveUp {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

/// Writes one value at the end of `out`.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
    drop_null_members: bool,
    /// This value is an object member's that may be `null` (then left out by the object).
    null_allowed: bool,
}

impl<'a> Writer<'a> {
    fn integer(self, negative: bool, magnitude: u64) -> Result<(), GiveUp> {
        if magnitude > MAX_SAFE_INTEGER {
            return Err(GiveUp);
        }
        canonical::write_integer(negative, magnitude, self.out);
        Ok(())
    }

    fn object(self) -> Object<'a> {
        let start = self.out.len();
        Object {
            out: self.out,
            drop_null_members: self.drop_null_members,
            start,
            members: Vec::new(),
            key: None,
        }
    }

    /// `{"variant":…}` around what `inner` writes.
    fn variant(
        self,
        variant: &str,
        inner: impl FnOnce(Writer<'_>) -> Result<(), GiveUp>,
    ) -> Result<(), GiveUp> {
        self.out.push(b'{');
        write_string(variant, self.out);
        self.out.push(b':');
        let drop_null_members = self.drop_null_members;
        inner(Writer {
            out: &mut *self.out,
            drop_null_members,
            null_allowed: false,
        })?;
        self.out.push(b'}');
        Ok(())
    }
}

/// An array being written.
struct Array<'a> {
    out: &'a mut Vec<u8>,
    drop_null_members: bool,
    first: bool,
    /// Close with `]}` (a tuple variant's array inside its one-member object).
    in_variant: bool,
}

impl Array<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        value.serialize(Writer {
            out: &mut *self.out,
            drop_null_members: self.drop_null_members,
            null_allowed: false,
        })
    }

    fn close(self) -> Result<(), GiveUp> {
        self.out.push(b']');
        if self.in_variant {
            self.out.push(b'}');
        }
        Ok(())
    }
}

/// An object being written: member values go to the end of `out` as they come; `end` puts them in
/// canonical order.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    drop_null_members: bool,
    start: usize,
    members: Vec<(Name, Range<usize>)>,
    /// A map's key waiting for its value.
    key: Option<String>,
}

enum Name {
    Static(&'static str),
    Owned(String),
}

impl Name {
    fn as_str(&self) -> &str {
        match self {
            Name::Static(s) => s,
            Name::Owned(s) => s,
        }
    }
}

impl Object<'_> {
    fn member<T: Serialize + ?Sized>(&mut self, name: Name, value: &T) -> Result<(), GiveUp> {
        let at = self.out.len();
        value.serialize(Writer {
            out: &mut *self.out,
            drop_null_members: self.drop_null_members,
            null_allowed: self.drop_null_members,
        })?;
        if self.drop_null_members && &self.out[at..] == b"null" {
            self.out.truncate(at);
            return Ok(());
        }
        self.members.push((name, at..self.out.len()));
        Ok(())
    }

    fn end(mut self) -> Result<(), GiveUp> {
        // A name twice (a map writing one again): the value tree keeps the last; so does it there.
        // Names without a character from U+E000 up sort the same by UTF-8 bytes as by UTF-16 code
        // units, so those are compared as bytes (checked once per object, not per comparison).
        let simple = self
            .members
            .iter()
            .all(|(n, _)| n.as_str().bytes().all(|b| b < 0xEE));
        if simple {
            self.members
                .sort_unstable_by(|(a, _), (b, _)| a.as_str().cmp(b.as_str()));
        } else {
            self.members.sort_unstable_by(|(a, _), (b, _)| {
                a.as_str().encode_utf16().cmp(b.as_str().encode_utf16())
            });
        }
        if self
            .members
            .windows(2)
            .any(|w| w[0].0.as_str() == w[1].0.as_str())
        {
            return Err(GiveUp);
        }
        let values = self.out.split_off(self.start);
        self.out.reserve(values.len() + self.members.len() * 16 + 2);
        self.out.push(b'{');
        for (i, (name, range)) in self.members.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            write_string(name.as_str(), self.out);
            self.out.push(b':');
            self.out
                .extend_from_slice(&values[range.start - self.start..range.end - self.start]);
        }
        self.out.push(b'}');
        Ok(())
    }
}

/// The name of `serde_json`'s embedded raw JSON, which only the value tree reads.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = GiveUp;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = Array<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), GiveUp> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), GiveUp> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), GiveUp> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), GiveUp> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), GiveUp> {
        self.integer(v < 0, v.unsigned_abs())
    }
    fn serialize_u8(self, v: u8) -> Result<(), GiveUp> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), GiveUp> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), GiveUp> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), GiveUp> {
        self.integer(false, v)
    }
    fn serialize_f32(self, _: f32) -> Result<(), GiveUp> {
        Err(GiveUp)
    }
    fn serialize_f64(self, _: f64) -> Result<(), GiveUp> {
        Err(GiveUp)
    }
    fn serialize_char(self, v: char) -> Result<(), GiveUp> {
        write_string(v.encode_utf8(&mut [0; 4]), self.out);
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), GiveUp> {
        write_string(v, self.out);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), GiveUp> {
        Err(GiveUp)
    }
    fn serialize_none(self) -> Result<(), GiveUp> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), GiveUp> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), GiveUp> {
        if !self.null_allowed {
            return Err(GiveUp);
        }
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), GiveUp> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), GiveUp> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        if name == RAW_VALUE {
            return Err(GiveUp);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        self.variant(variant, |w| value.serialize(w))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'a>, GiveUp> {
        self.out.push(b'[');
        Ok(Array {
            out: self.out,
            drop_null_members: self.drop_null_members,
            first: true,
            in_variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Array<'a>, GiveUp> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Array<'a>, GiveUp> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Array<'a>, GiveUp> {
        self.out.push(b'{');
        write_string(variant, self.out);
        self.out.extend_from_slice(b":[");
        Ok(Array {
            out: self.out,
            drop_null_members: self.drop_null_members,
            first: true,
            in_variant: true,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, GiveUp> {
        Ok(self.object())
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Object<'a>, GiveUp> {
        if name == RAW_VALUE {
            return Err(GiveUp);
        }
        Ok(self.object())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Object<'a>, GiveUp> {
        // Rare enough in GEO's types to leave to the value tree.
        Err(GiveUp)
    }
}

impl ser::SerializeSeq for Array<'_> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.element(value)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close()
    }
}

impl ser::SerializeTuple for Array<'_> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.element(value)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Array<'_> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.element(value)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Array<'_> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.element(value)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close()
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), GiveUp> {
        self.key = Some(key.serialize(KeyWriter)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        let key = self.key.take().ok_or(GiveUp)?;
        self.member(Name::Owned(key), value)
    }
    fn end(self) -> Result<(), GiveUp> {
        Object::end(self)
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        self.member(Name::Static(name), value)
    }
    fn end(self) -> Result<(), GiveUp> {
        Object::end(self)
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        self.member(Name::Static(name), value)
    }
    fn end(self) -> Result<(), GiveUp> {
        Object::end(self)
    }
}

/// A map key: only strings (and unit variants, which are strings) are written directly.
struct KeyWriter;

impl ser::Serializer for KeyWriter {
    type Ok = String;
    type Error = GiveUp;
    type SerializeSeq = Impossible<String, GiveUp>;
    type SerializeTuple = Impossible<String, GiveUp>;
    type SerializeTupleStruct = Impossible<String, GiveUp>;
    type SerializeTupleVariant = Impossible<String, GiveUp>;
    type SerializeMap = Impossible<String, GiveUp>;
    type SerializeStruct = Impossible<String, GiveUp>;
    type SerializeStructVariant = Impossible<String, GiveUp>;

    fn serialize_str(self, v: &str) -> Result<String, GiveUp> {
        Ok(v.to_owned())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, GiveUp> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, GiveUp> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_i8(self, _: i8) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_i16(self, _: i16) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_i32(self, _: i32) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_i64(self, _: i64) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_u8(self, _: u8) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_u16(self, _: u16) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_u32(self, _: u32) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_u64(self, _: u64) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_f32(self, _: f32) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_f64(self, _: f64) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_char(self, _: char) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_none(self) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_unit(self) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, GiveUp> {
        Err(GiveUp)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{json, Value};

    use super::*;

    /// The value-tree way, which the direct way must always equal.
    fn by_tree<T: Serialize>(value: &T, drop: bool) -> Result<Vec<u8>, CanonicalJsonError> {
        let mut tree = serde_json::to_value(value).unwrap();
        if drop {
            drop_nulls(&mut tree);
        }
        canonical::to_canonical_bytes(&tree)
    }

    fn same<T: Serialize>(value: &T) {
        assert_eq!(to_canonical_vec(value), by_tree(value, false));
        assert_eq!(
            to_canonical_vec_without_null_members(value),
            by_tree(value, true)
        );
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Event {
        Paid {
            to: String,
            #[serde(rename = "\u{fb01}")]
            ligature: u8,
            #[serde(rename = "\u{1f600}")]
            smile: Option<i64>,
            note: Option<String>,
            paths: Vec<(String, u64)>,
        },
        Closed {
            why: Reason,
        },
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Reason {
        Expired,
        Code(String),
        Pair(u8, u8),
        Detail { at: u32 },
    }

    #[test]
    fn typed_values_are_written_as_their_value_tree_is() {
        for note in [None, Some("a \"note\"\n".to_owned())] {
            for smile in [None, Some(-5), Some(1 << 60)] {
                same(&Event::Paid {
                    to: "bob é".into(),
                    ligature: 7,
                    smile,
                    note: note.clone(),
                    paths: vec![("x".into(), 1), ("y".into(), 9_007_199_254_740_991)],
                });
            }
        }
        for why in [
            Reason::Expired,
            Reason::Code("E_X".into()),
            Reason::Pair(1, 2),
            Reason::Detail { at: 3 },
        ] {
            same(&Event::Closed { why });
        }
        same(
            &json!({"raw": serde_json::value::RawValue::from_string("{\"b\":1,\"a\":[2]}".into()).unwrap()}),
        );
        same(&json!({"f": 1.5}));
        same(&json!([null]));
        same(&json!({"a": null, "b": {"c": null, "d": [1, {"e": null}]}}));
        same(&std::collections::BTreeMap::from([(1u8, "one")]));
        same(&b"bytes".as_slice());
    }

    fn values() -> impl Strategy<Value = Value> {
        let name = prop::sample::select(vec![
            "",
            "a",
            "b",
            "ab",
            "\u{7f}",
            "é",
            "\u{e000}",
            "\u{fb01}",
            "\u{1f600}",
            "q\"\\",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1000i64..1000).prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((name.clone(), inner), 0..6).prop_map(|members| {
                    Value::Object(
                        members
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_value_is_written_as_by_the_value_tree(v in values()) {
            prop_assert_eq!(to_canonical_vec(&v), by_tree(&v, false));
            prop_assert_eq!(to_canonical_vec_without_null_members(&v), by_tree(&v, true));
        }
    }
}
