//! An event body as an outbox row left by an older hub holds it, so that the row still applies:
//! the body's JSON embedded in the row as it is, or, in rows from before that, as a string escaped
//! inside the row's JSON; both read as the same body. A hub now writes each body once, to
//! `event_bodies` in the acknowledged transaction, and none into its outbox rows.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// One journal entry's event body (a JSON object's text), kept in a batch's projection rows.
#[derive(Debug)]
pub(crate) struct OutboxBody(Box<RawValue>);

impl OutboxBody {
    /// A body as the writer made it (`engine::event_body::data_text`).
    #[cfg(test)]
    pub(crate) fn new(data: &str) -> Self {
        OutboxBody(RawValue::from_string(data.to_owned()).expect("event bodies are JSON"))
    }

    /// The body's JSON text, byte for byte as made.
    pub(crate) fn as_str(&self) -> &str {
        self.0.get()
    }
}

impl Serialize for OutboxBody {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for OutboxBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        if !raw.get().starts_with('"') {
            return Ok(OutboxBody(raw));
        }
        // An older row: the body's text as a JSON string.
        let text: String = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
        RawValue::from_string(text)
            .map(OutboxBody)
            .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Row {
        bodies: Vec<(u64, OutboxBody)>,
    }

    const BODY: &str =
        r#"{"amount":"1.50","description":"rent \"May\" \\ é","receipt":{"a":[1,2]}}"#;

    #[test]
    fn a_body_is_embedded_as_its_json_and_read_back_byte_for_byte() {
        let row = Row {
            bodies: vec![(7, OutboxBody::new(BODY))],
        };
        let text = serde_json::to_string(&row).unwrap();
        assert_eq!(text, format!("{{\"bodies\":[[7,{BODY}]]}}"));
        let back: Row = serde_json::from_str(&text).unwrap();
        assert_eq!(back.bodies[0].0, 7);
        assert_eq!(back.bodies[0].1.as_str(), BODY);
    }

    #[test]
    fn a_body_an_older_hub_wrote_as_a_string_reads_as_the_same_body() {
        let older = serde_json::json!({ "bodies": [[7, BODY]] }).to_string();
        assert!(older.contains(r#"\"amount\""#), "{older}");
        let back: Row = serde_json::from_str(&older).unwrap();
        assert_eq!(back.bodies[0].1.as_str(), BODY);
        // A string that is not JSON text is a corrupt row, not a body.
        let bad = serde_json::json!({ "bodies": [[7, "{not json"]] }).to_string();
        assert!(serde_json::from_str::<Row>(&bad).is_err());
    }
}
