//! Refusals: RFC 9457 problem documents with a stable machine code.

use geo_protocol::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An RFC 9457 `application/problem+json` document with a stable machine code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Problem {
    /// `urn:geo:error:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// The code's title.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// The stable machine code (`E_…`); text, so that codes newer than the reader still decode.
    #[schemars(with = "ErrorCode")]
    pub code: String,
    /// What happened, for people.
    pub detail: String,
    /// Extension members: `receipt` (the hub-signed `payment_receipt` of an aborted payment),
    /// `payment` (that payment), `max_amount` (the most the hub could route), `field` (the invalid
    /// member), `proposal_digest` (the open proposal's digest).
    #[serde(flatten)]
    pub extensions: Map<String, Value>,
}

impl Problem {
    /// The document for a code, a detail and extension members.
    pub fn new(code: ErrorCode, detail: impl Into<String>, extensions: Map<String, Value>) -> Self {
        Problem {
            type_uri: format!("urn:geo:error:{}", code.as_str()),
            title: code.title().into(),
            status: code.http_status(),
            code: code.as_str().into(),
            detail: detail.into(),
            extensions,
        }
    }

    /// The code, when this version knows it.
    pub fn known_code(&self) -> Option<ErrorCode> {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_sit_beside_the_standard_members() {
        let mut ext = Map::new();
        ext.insert("max_amount".into(), "1.00".into());
        let p = Problem::new(ErrorCode::InsufficientCapacity, "no", ext);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["code"], "E_INSUFFICIENT_CAPACITY");
        assert_eq!(v["type"], "urn:geo:error:E_INSUFFICIENT_CAPACITY");
        assert_eq!(v["max_amount"], "1.00");
        let back: Problem = serde_json::from_value(v).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.known_code(), Some(ErrorCode::InsufficientCapacity));
    }
}
