//! Canonical JSON for signing: RFC 8785 (JCS) over the subset GEO allows in signed data.
//!
//! Signed data contains objects, arrays, strings, booleans and integers in ±(2^53 − 1). Floats, `null`,
//! duplicate object keys and larger integers are refused, so every signed value has exactly one byte form:
//! members sorted by the UTF-16 code units of their names, no insignificant white space, strings escaped
//! only where JSON requires (`"`, `\`, and control characters; `\b \f \n \r \t` short, others `\u00xx`).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The largest integer magnitude allowed in signed data (2^53 − 1, exact in every JSON implementation).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Why a JSON text or value is not acceptable as signed data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalJsonError {
    /// Not syntactically valid JSON (or nested too deeply).
    #[error("malformed JSON: {0}")]
    Syntax(String),
    /// The same member name twice in one object.
    #[error("duplicate object key {0:?}")]
    DuplicateKey(String),
    /// A number with a fraction or exponent.
    #[error("floating-point numbers are not allowed in signed data")]
    Float,
    /// An integer outside ±(2^53 − 1).
    #[error("integer {0} is outside ±(2^53-1)")]
    UnsafeInteger(String),
    /// `null` anywhere: optional members are omitted instead.
    #[error("null is not allowed in signed data; omit the member instead")]
    Null,
}

impl CanonicalJsonError {
    /// The stable machine code for this error.
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::Malformed
    }
}

/// Parses JSON text into a value, refusing anything that has no canonical form (see module docs).
///
/// Precedence (§5.1): text that is not JSON at all is [`CanonicalJsonError::Syntax`] whatever else it
/// contains; otherwise the first fault in reading order decides (a duplicate key at its second
/// occurrence, before that member's value).
pub fn parse_strict(text: &str) -> Result<Value, CanonicalJsonError> {
    let fault = Cell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = de
        .deserialize_any(StrictVisitor { fault: &fault })
        .and_then(|v| de.end().map(|()| v));
    match (parsed, fault.take()) {
        (Ok(v), _) => Ok(v),
        (Err(e), None) => Err(CanonicalJsonError::Syntax(e.to_string())),
        (Err(_), Some(found)) => {
            // A subset fault was met first; the text may still be broken further on.
            match serde_json::from_str::<de::IgnoredAny>(text) {
                Err(e) => Err(CanonicalJsonError::Syntax(e.to_string())),
                Ok(_) => Err(found),
            }
        }
    }
}

/// Deserialises any serde input into a value under the same rules as [`parse_strict`].
pub fn deserialize_strict<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    let fault = Cell::new(None);
    d.deserialize_any(StrictVisitor { fault: &fault })
}

/// Builds the JSON value, recording the first subset fault in `fault` (typed) and stopping there.
#[derive(Clone, Copy)]
struct StrictVisitor<'f> {
    fault: &'f Cell<Option<CanonicalJsonError>>,
}

impl StrictVisitor<'_> {
    fn refuse<E: de::Error>(self, fault: CanonicalJsonError) -> E {
        let err = E::custom(&fault);
        self.fault.set(Some(fault));
        err
    }
}

impl<'de> de::DeserializeSeed<'de> for StrictVisitor<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        if v.unsigned_abs() > MAX_SAFE_INTEGER {
            return Err(self.refuse(CanonicalJsonError::UnsafeInteger(v.to_string())));
        }
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        if v > MAX_SAFE_INTEGER {
            return Err(self.refuse(CanonicalJsonError::UnsafeInteger(v.to_string())));
        }
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        // Also `-0`, which JSON parsers read as the floating-point negative zero.
        Err(self.refuse(CanonicalJsonError::Float))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Err(self.refuse(CanonicalJsonError::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Err(self.refuse(CanonicalJsonError::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(self.refuse(CanonicalJsonError::DuplicateKey(key)));
            }
            let v = map.next_value_seed(self)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Checks that an in-memory value is inside the signable subset (no floats, nulls or unsafe integers).
pub fn check_value(value: &Value) -> Result<(), CanonicalJsonError> {
    match value {
        Value::Null => Err(CanonicalJsonError::Null),
        Value::Bool(_) | Value::String(_) => Ok(()),
        Value::Number(n) => check_number(n),
        Value::Array(items) => items.iter().try_for_each(check_value),
        Value::Object(map) => map.values().try_for_each(check_value),
    }
}

fn check_number(n: &Number) -> Result<(), CanonicalJsonError> {
    if let Some(u) = n.as_u64() {
        if u > MAX_SAFE_INTEGER {
            return Err(CanonicalJsonError::UnsafeInteger(u.to_string()));
        }
        Ok(())
    } else if let Some(i) = n.as_i64() {
        if i.unsigned_abs() > MAX_SAFE_INTEGER {
            return Err(CanonicalJsonError::UnsafeInteger(i.to_string()));
        }
        Ok(())
    } else {
        Err(CanonicalJsonError::Float)
    }
}

/// Serialises a value in canonical form (RFC 8785), after checking it is signable.
pub fn to_canonical_bytes(value: &Value) -> Result<Vec<u8>, CanonicalJsonError> {
    check_value(value)?;
    let mut out = Vec::with_capacity(256);
    write_value(value, &mut out);
    Ok(out)
}

/// Canonical form of a value, as a string (it is always valid UTF-8).
pub fn to_canonical_string(value: &Value) -> Result<String, CanonicalJsonError> {
    Ok(String::from_utf8(to_canonical_bytes(value)?).expect("canonical JSON is UTF-8"))
}

/// Parses text strictly and returns its canonical form.
pub fn canonicalize(text: &str) -> Result<String, CanonicalJsonError> {
    to_canonical_string(&parse_strict(text)?)
}

fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            if in_canonical_order(map) {
                write_members(map.iter(), out);
            } else {
                let mut members: Vec<(&String, &Value)> = map.iter().collect();
                members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
                write_members(members.into_iter(), out);
            }
        }
    }
}

fn write_members<'a>(members: impl Iterator<Item = (&'a String, &'a Value)>, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (k, v)) in members.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(k, out);
        out.push(b':');
        write_value(v, out);
    }
    out.push(b'}');
}

/// Whether the map already iterates in canonical member order, so it need not be sorted: names
/// strictly increasing by bytes, and none with a character from U+E000 up (UTF-8 lead byte 0xEE or
/// more), below which UTF-8 byte order and UTF-16 code-unit order agree.
fn in_canonical_order(map: &Map<String, Value>) -> bool {
    let mut previous: Option<&str> = None;
    map.keys().all(|k| {
        let fine = k.bytes().all(|b| b < 0xEE) && previous.is_none_or(|p| p < k.as_str());
        previous = Some(k);
        fine
    })
}

/// Integers in decimal (the only numbers signable data holds), floats as `serde_json` writes them.
fn write_number(n: &Number, out: &mut Vec<u8>) {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => write_integer(false, u, out),
        (None, Some(i)) => write_integer(i < 0, i.unsigned_abs(), out),
        (None, None) => out.extend_from_slice(n.to_string().as_bytes()),
    }
}

/// An integer in decimal, without a sign for zero.
pub(crate) fn write_integer(negative: bool, magnitude: u64, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = magnitude;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if negative && magnitude != 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

/// Writes a string, escaping only `"`, `\\` and control characters; the runs between them are
/// copied whole (every byte of a multi-byte character is 0x80 or more, so none is escaped).
pub(crate) fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                let hex = [HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]];
                out.extend_from_slice(&bytes[run..i]);
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&hex);
                run = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..i]);
        out.extend_from_slice(short);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_members_and_removes_white_space() {
        assert_eq!(
            canonicalize(r#"{"b":1, "a":{"y":2,"x":1}}"#).unwrap(),
            r#"{"a":{"x":1,"y":2},"b":1}"#
        );
        assert_eq!(
            canonicalize(" [ 1 , true , \"x\" ] ").unwrap(),
            r#"[1,true,"x"]"#
        );
    }

    #[test]
    fn sorts_by_utf16_code_units_not_code_points() {
        // U+1F600 is D83D DE00 in UTF-16, which sorts before U+FB01 (FB01) although its code point is larger.
        let text = "{\"\u{fb01}\":1,\"\u{1f600}\":2}";
        assert_eq!(
            canonicalize(text).unwrap(),
            "{\"\u{1f600}\":2,\"\u{fb01}\":1}"
        );
    }

    #[test]
    fn escapes_only_what_json_requires() {
        let v = Value::String("q\"b\\\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}/é\u{2028}".into());
        assert_eq!(
            to_canonical_string(&v).unwrap(),
            "\"q\\\"b\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}/é\u{2028}\""
        );
        assert_eq!(canonicalize(r#""\u00e9\/""#).unwrap(), "\"é/\"");
    }

    #[test]
    fn writes_every_character_and_integer_as_the_rules_say() {
        // Each character alone, between others and in member names, against the rule itself.
        let rule = |c: char| match c {
            '"' => "\\\"".to_owned(),
            '\\' => "\\\\".to_owned(),
            '\u{8}' => "\\b".to_owned(),
            '\u{c}' => "\\f".to_owned(),
            '\n' => "\\n".to_owned(),
            '\r' => "\\r".to_owned(),
            '\t' => "\\t".to_owned(),
            c if (c as u32) < 0x20 => format!("\\u{:04x}", c as u32),
            c => c.to_string(),
        };
        let chars = (0u32..0x250)
            .chain([
                0x2028, 0xd7ff, 0xe000, 0xfb01, 0xffff, 0x1_0000, 0x1_f600, 0x10_ffff,
            ])
            .filter_map(char::from_u32);
        for c in chars {
            let text = format!("a{c}b{c}");
            let expected = format!("\"a{}b{}\"", rule(c), rule(c));
            assert_eq!(
                to_canonical_string(&Value::String(text.clone())).unwrap(),
                expected
            );
            let object = Value::Object([(text, Value::Bool(true))].into_iter().collect());
            assert_eq!(
                to_canonical_string(&object).unwrap(),
                format!("{{{expected}:true}}")
            );
        }
        for n in [
            0i64,
            1,
            -1,
            9,
            10,
            -10,
            4_294_967_296,
            9_007_199_254_740_991,
            -9_007_199_254_740_991,
        ] {
            assert_eq!(to_canonical_string(&Value::from(n)).unwrap(), n.to_string());
        }
    }

    #[test]
    fn sorts_names_whatever_order_they_come_in() {
        // Names that byte order already sorts, and names from U+E000 up, where it does not.
        let names = [
            "",
            "a",
            "aa",
            "ab",
            "b",
            "\u{7f}",
            "é",
            "\u{d7ff}",
            "\u{e000}",
            "\u{fb01}",
            "\u{1f600}",
        ];
        let mut sorted: Vec<&str> = names.to_vec();
        sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        let expected = format!(
            "{{{}}}",
            sorted
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{}:{i}", to_canonical_string(&Value::from(*n)).unwrap()))
                .collect::<Vec<_>>()
                .join(",")
        );
        let object: Map<String, Value> = sorted
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| (n.to_string(), Value::from(i)))
            .collect();
        assert_eq!(
            to_canonical_string(&Value::Object(object)).unwrap(),
            expected
        );
    }

    #[test]
    fn refuses_what_has_no_canonical_form() {
        assert_eq!(
            parse_strict(r#"{"a":1,"a":2}"#),
            Err(CanonicalJsonError::DuplicateKey("a".into()))
        );
        assert_eq!(
            parse_strict(r#"{"x":{"a":1,"a":1}}"#),
            Err(CanonicalJsonError::DuplicateKey("a".into()))
        );
        assert_eq!(parse_strict(r#"{"a":1.0}"#), Err(CanonicalJsonError::Float));
        assert_eq!(parse_strict("[1e3]"), Err(CanonicalJsonError::Float));
        assert_eq!(parse_strict(r#"{"a":null}"#), Err(CanonicalJsonError::Null));
        assert_eq!(
            parse_strict("9007199254740992"),
            Err(CanonicalJsonError::UnsafeInteger("9007199254740992".into()))
        );
        assert!(parse_strict("-9007199254740991").is_ok());
        // `-0` is the floating-point negative zero, not an integer.
        assert_eq!(parse_strict("[-0]"), Err(CanonicalJsonError::Float));
        // Precedence: broken text is `syntax` whatever came before; otherwise reading order.
        assert!(matches!(
            parse_strict("[1.5, }"),
            Err(CanonicalJsonError::Syntax(_))
        ));
        assert_eq!(
            parse_strict(r#"{"a":1,"a":[1.5]}"#),
            Err(CanonicalJsonError::DuplicateKey("a".into()))
        );
        assert_eq!(parse_strict("[null,1.5]"), Err(CanonicalJsonError::Null));
        assert!(matches!(
            parse_strict("{\"a\":1} x"),
            Err(CanonicalJsonError::Syntax(_))
        ));
        assert!(matches!(
            parse_strict("[\"\\ud800\"]"),
            Err(CanonicalJsonError::Syntax(_))
        ));
        assert!(matches!(
            parse_strict(&"[".repeat(200)),
            Err(CanonicalJsonError::Syntax(_))
        ));
    }
}
