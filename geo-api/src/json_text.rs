//! Embedded JSON documents (hub-signed receipts and proposals) held as text, so they cross FFI
//! boundaries as strings and verify byte-exactly, and written into answers verbatim, not re-parsed.

use serde::{Deserialize, Deserializer, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// Writes the text as the JSON it contains.
pub fn serialize<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    let raw = RawValue::from_string(text.to_owned()).map_err(serde::ser::Error::custom)?;
    serde::Serialize::serialize(&raw, s)
}

/// Reads any JSON value as its text.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Value::deserialize(d)?.to_string())
}

/// The same for optional members (`null` and absent are `None`).
pub mod opt {
    use super::*;

    /// Writes `Some(text)` as its JSON, `None` as `null`.
    pub fn serialize<S: Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match text {
            Some(t) => super::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    /// Reads any JSON value as its text; `null` is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<Value>::deserialize(d)?
            .filter(|v| !v.is_null())
            .map(|v| v.to_string()))
    }
}

/// The schema of an embedded document: any JSON object.
pub fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "object" })
}
