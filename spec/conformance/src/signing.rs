//! Builds signed envelopes from JSON (§5.2, §5.3) with optional tampering, so that the suite can send
//! both what a correct client sends and every malformed variant.

use geo_protocol::{Identity, Nonce, Timestamp};
use serde_json::{Map, Value};

use crate::scenario::Tamper;

/// The domain tag of §5.3.
pub const SIGNING_TAG: &str = "GEO/1 signed message";

/// The current time as the runner sees it (whole seconds).
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A timestamp text (§4.2) `offset` seconds from now.
pub fn timestamp(offset: i64) -> String {
    Timestamp::from_unix(now_unix() + offset)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// The bytes §5.3 defines for an unsigned envelope object, with the given domain tag.
pub fn signed_bytes(tag: &str, unsigned: &Value) -> Result<Vec<u8>, String> {
    let message_type = unsigned.get("type").and_then(Value::as_str).unwrap_or("");
    let canonical =
        geo_protocol::canonical::to_canonical_string(unsigned).map_err(|e| e.to_string())?;
    Ok(format!("{tag}\n{message_type}\n{canonical}").into_bytes())
}

/// Everything needed to sign one message.
pub struct Draft<'a> {
    /// The message type.
    pub message_type: &'a str,
    /// The payload object.
    pub payload: Value,
    /// PID in `signer`.
    pub signer: String,
    /// PID in `audience`.
    pub audience: String,
    /// The key that signs.
    pub key: &'a Identity,
}

/// Builds the wire text of a message: envelope, tampering before signing, signature, tampering after.
pub fn sign(draft: Draft<'_>, tamper: &Tamper) -> Result<String, String> {
    if let Some(raw) = &tamper.raw {
        return Ok(raw.clone());
    }
    let created = tamper.created_offset.unwrap_or(0);
    let ttl = tamper.ttl.unwrap_or(300);
    let mut env = Map::new();
    env.insert("protocol".into(), "geo/1".into());
    env.insert("type".into(), draft.message_type.into());
    env.insert("signer".into(), draft.signer.into());
    env.insert("audience".into(), draft.audience.into());
    env.insert("nonce".into(), Nonce::random().as_str().into());
    env.insert("created_at".into(), timestamp(created).into());
    env.insert("expires_at".into(), timestamp(created + ttl).into());
    env.insert("payload".into(), draft.payload);
    let mut env = Value::Object(env);
    for pointer in &tamper.omit {
        remove_pointer(&mut env, pointer)?;
    }
    for (pointer, value) in &tamper.set {
        set_pointer(&mut env, pointer, value.clone())?;
    }
    let forged;
    let key = if tamper.forge {
        forged = Identity::generate();
        &forged
    } else {
        draft.key
    };
    let tag = tamper.domain.as_deref().unwrap_or(SIGNING_TAG);
    // Data outside §5.1 (a null, a float) has no signed bytes; it is still sent, signed over its
    // plain text, for the hub to refuse at step 1.
    let bytes = signed_bytes(tag, &env).unwrap_or_else(|_| env.to_string().into_bytes());
    let signature = key.sign_raw(&bytes).to_base64();
    env.as_object_mut()
        .expect("built as an object")
        .insert("signature".into(), signature.into());
    for (pointer, value) in &tamper.after {
        set_pointer(&mut env, pointer, value.clone())?;
    }
    geo_protocol::canonical::to_canonical_string(&env).or_else(|_| Ok(env.to_string()))
}

fn split(pointer: &str) -> Result<(String, String), String> {
    let (parent, last) = pointer
        .rsplit_once('/')
        .ok_or_else(|| format!("bad JSON pointer {pointer:?}"))?;
    Ok((
        parent.to_owned(),
        last.replace("~1", "/").replace("~0", "~"),
    ))
}

/// Sets the member a JSON pointer names (its parent must exist).
pub fn set_pointer(v: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    let (parent, last) = split(pointer)?;
    match v.pointer_mut(&parent) {
        Some(Value::Object(m)) => {
            m.insert(last, value);
            Ok(())
        }
        Some(Value::Array(a)) => {
            let i: usize = last
                .parse()
                .map_err(|_| format!("bad index in {pointer}"))?;
            match a.get_mut(i) {
                Some(slot) => {
                    *slot = value;
                    Ok(())
                }
                None => Err(format!("no element {pointer}")),
            }
        }
        _ => Err(format!("no parent for {pointer}")),
    }
}

/// Removes the member a JSON pointer names.
pub fn remove_pointer(v: &mut Value, pointer: &str) -> Result<(), String> {
    let (parent, last) = split(pointer)?;
    match v.pointer_mut(&parent) {
        Some(Value::Object(m)) => {
            m.remove(&last);
            Ok(())
        }
        _ => Err(format!("no parent for {pointer}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runner's own signing bytes agree with the reference implementation's.
    #[test]
    fn signed_bytes_match_the_reference() {
        let key = Identity::generate();
        let other = Identity::generate();
        let text = sign(
            Draft {
                message_type: "trust_line_close",
                payload: serde_json::json!({"debtor": other.pid(), "equivalent": "UAH"}),
                signer: key.pid().to_string(),
                audience: key.pid().to_string(),
                key: &key,
            },
            &Tamper::default(),
        )
        .unwrap();
        let msg = geo_protocol::SignedMessage::<geo_protocol::TrustLineClose>::from_json(&text)
            .expect("decodes");
        msg.verify_signature(&key.public_key()).expect("verifies");
        let mut unsigned: Value = serde_json::from_str(&text).unwrap();
        unsigned.as_object_mut().unwrap().remove("signature");
        assert_eq!(
            signed_bytes(SIGNING_TAG, &unsigned).unwrap(),
            msg.signed_bytes()
        );
    }
}
