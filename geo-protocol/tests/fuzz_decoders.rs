//! Fuzz targets as bounded property tests. `cargo fuzz` needs a nightly toolchain, which this
//! project's machines do not have, so every decoder a hub or client feeds untrusted text to is
//! driven here by proptest instead: arbitrary bytes, and structure-aware mutations of the published
//! vectors (`spec/vectors/messages.json`, one or more per message type). For each input:
//! - the decoder never panics;
//! - what decodes re-encodes to text that decodes to the same thing (decode ∘ encode is a fixpoint);
//! - a mutation that still verifies under the signer's key means the very same signed bytes;
//! - every refusal is a typed error whose code is a stable `E_…` of the catalogue and a 4xx.
//!
//! CI runs a few hundred cases per target; a long run sets `PROPTEST_CASES`, e.g.
//! `PROPTEST_CASES=200000 cargo nextest run -p geo-protocol --test fuzz_decoders --release`.
//! A failure is shrunk and stored in `fuzz_decoders.proptest-regressions` beside this file, which
//! is committed so it is replayed first on every run.

use std::sync::OnceLock;

use geo_protocol::canonical;
use geo_protocol::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value};

/// One published vector: its type, its signed text and its signer's key.
struct Vector {
    kind: MessageType,
    text: String,
    key: PublicKey,
    now: Timestamp,
    audience: Pid,
}

fn vectors() -> &'static [Vector] {
    static VECTORS: OnceLock<Vec<Vector>> = OnceLock::new();
    VECTORS.get_or_init(|| {
        let file: Value =
            serde_json::from_str(include_str!("../../spec/vectors/messages.json")).unwrap();
        let federation: Value =
            serde_json::from_str(include_str!("../../spec/vectors/federation.json")).unwrap();
        let mut out = Vec::new();
        for file in [&file, &federation["messages"]] {
            let now = Timestamp::parse(file["now"].as_str().unwrap()).unwrap();
            for c in file["cases"].as_array().unwrap() {
                // messages.json names one audience for all; federation.json's are per message.
                let audience = file["audience"]
                    .as_str()
                    .or(c["unsigned"]["audience"].as_str())
                    .unwrap();
                out.push(Vector {
                    kind: serde_json::from_value(c["type"].clone()).unwrap(),
                    text: c["signed_json"].as_str().unwrap().to_owned(),
                    key: PublicKey::from_base64(c["signer_public_key"].as_str().unwrap()).unwrap(),
                    now,
                    audience: Pid::parse(audience).unwrap(),
                });
            }
        }
        out
    })
}

/// What a decoded message is, as far as these properties care.
#[derive(Debug, PartialEq)]
struct Decoded {
    json: String,
    signed_bytes: Vec<u8>,
}

/// Decodes `text` as a signed message of `kind` (the one decoder per type every caller uses).
fn decode(kind: MessageType, text: &str) -> Result<Decoded, EnvelopeError> {
    fn one<P: Message>(text: &str) -> Result<Decoded, EnvelopeError> {
        SignedMessage::<P>::from_json(text).map(|m| Decoded {
            json: m.to_json(),
            signed_bytes: m.signed_bytes().to_vec(),
        })
    }
    match kind {
        MessageType::ParticipantRegister => one::<ParticipantRegister>(text),
        MessageType::ParticipantUpdate => one::<ParticipantUpdate>(text),
        MessageType::Login => one::<Login>(text),
        MessageType::TrustLineSet => one::<TrustLineSet>(text),
        MessageType::TrustLineClose => one::<TrustLineClose>(text),
        MessageType::PaymentRequest => one::<PaymentRequest>(text),
        MessageType::ClearingConsent => one::<ClearingConsent>(text),
        MessageType::ClearingProposal => one::<ClearingProposal>(text),
        MessageType::PaymentReceipt => one::<PaymentReceipt>(text),
        MessageType::ClearingReceipt => one::<ClearingReceipt>(text),
        MessageType::PaymentPrepare => one::<PaymentPrepare>(text),
        MessageType::PaymentPrepareAck => one::<PaymentPrepareAck>(text),
        MessageType::PaymentCommit => one::<PaymentCommit>(text),
        MessageType::PaymentAbort => one::<PaymentAbort>(text),
        MessageType::Invoice => one::<Invoice>(text),
        MessageType::HubPrepare => one::<HubPrepare>(text),
        MessageType::HubFulfil => one::<HubFulfil>(text),
        MessageType::HubReject => one::<HubReject>(text),
    }
}

/// A refusal a client can act on: a catalogued, stable code, and the sender's fault (4xx).
fn typed(code: ErrorCode) -> Result<(), TestCaseError> {
    prop_assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
    prop_assert!(
        (400..500).contains(&code.http_status()),
        "{} is not a refusal",
        code.as_str()
    );
    Ok(())
}

/// The properties every decoded-or-refused input must have.
fn check_message(
    kind: MessageType,
    text: &str,
    original: Option<&Vector>,
) -> Result<(), TestCaseError> {
    match decode(kind, text) {
        Ok(d) => {
            // Encoding what was decoded gives text that decodes to the same message.
            let again = decode(kind, &d.json);
            prop_assert_eq!(again.as_ref(), Ok(&d));
            if let Some(v) = original {
                let policy = VerifyPolicy::new(v.now, Some(v.audience.clone()));
                let verified =
                    verify_json(kind, text, Some(&v.key), &policy, &mut ReplayGuard::new());
                if verified.is_ok() {
                    let first = decode(kind, &v.text).unwrap();
                    prop_assert_eq!(
                        d.signed_bytes,
                        first.signed_bytes,
                        "a changed message still verifies"
                    );
                } else if let Err(e) = verified {
                    typed(e.code())?;
                }
            }
        }
        Err(e) => typed(e.code())?,
    }
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    c
}

/// Any JSON value, including what canonical JSON forbids (floats, nulls, huge integers).
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<u64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        any::<String>().prop_map(Value::String),
        "[0-9a-zA-Z:./+=_-]{0,70}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A structural change to a decoded vector.
#[derive(Debug, Clone)]
enum Mutation {
    /// Drop the member or element at this position (in depth-first order).
    Remove(prop::sample::Index),
    /// Replace the value at this position.
    Replace(prop::sample::Index, Value),
    /// Add a member to the object at this position.
    Add(prop::sample::Index, String, Value),
    /// Text level: change one character.
    Char(prop::sample::Index, char),
    /// Text level: repeat a slice (duplicate keys, doubled values).
    Repeat(prop::sample::Index, prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Remove),
        (any::<prop::sample::Index>(), any_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any::<prop::sample::Index>(), "[a-z_]{1,12}", any_json())
            .prop_map(|(i, k, v)| Mutation::Add(i, k, v)),
        (any::<prop::sample::Index>(), any::<char>()).prop_map(|(i, c)| Mutation::Char(i, c)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Mutation::Repeat(a, b)),
    ]
}

/// Every value's position in depth-first order (the root first).
fn positions(v: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(k.clone());
                positions(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(i.to_string());
                positions(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(v, |v, seg| match v {
        Value::Object(m) => m.get_mut(seg).unwrap(),
        Value::Array(items) => &mut items[seg.parse::<usize>().unwrap()],
        _ => unreachable!("positions name containers"),
    })
}

fn apply(text: &str, m: &Mutation) -> String {
    // After a textual mutation the text may no longer be JSON: structural ones then change nothing.
    let Ok(mut value) = serde_json::from_str::<Value>(text) else {
        return text.to_owned();
    };
    let mut all = Vec::new();
    positions(&value, &mut Vec::new(), &mut all);
    match m {
        Mutation::Remove(i) => {
            let path = &all[i.index(all.len())];
            if let Some((last, parent)) = path.split_last() {
                match at(&mut value, parent) {
                    Value::Object(m) => {
                        m.remove(last);
                    }
                    Value::Array(items) => {
                        items.remove(last.parse::<usize>().unwrap());
                    }
                    _ => unreachable!(),
                }
            }
            serde_json::to_string(&value).unwrap()
        }
        Mutation::Replace(i, new) => {
            *at(&mut value, &all[i.index(all.len())]) = new.clone();
            serde_json::to_string(&value).unwrap()
        }
        Mutation::Add(i, key, new) => {
            if let Value::Object(m) = at(&mut value, &all[i.index(all.len())]) {
                m.insert(key.clone(), new.clone());
            }
            serde_json::to_string(&value).unwrap()
        }
        Mutation::Char(i, c) => {
            let chars: Vec<char> = text.chars().collect();
            let i = i.index(chars.len());
            chars[..i]
                .iter()
                .chain(std::iter::once(c))
                .chain(&chars[i + 1..])
                .collect()
        }
        Mutation::Repeat(a, b) => {
            let chars: Vec<char> = text.chars().collect();
            let (a, b) = (a.index(chars.len()), b.index(chars.len()));
            let (lo, hi) = (a.min(b), a.max(b));
            let slice: String = chars[lo..hi].iter().collect();
            let mut out: String = chars[..hi].iter().collect();
            out.push_str(&slice);
            out.extend(&chars[hi..]);
            out
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// Every published vector, mutated structurally or textually, is refused with a typed code or
    /// decodes to a message that round-trips and, if it still verifies, is the original.
    #[test]
    fn mutated_vectors_are_refused_typed_or_mean_the_same(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..3),
    ) {
        let v = &vectors()[which.index(vectors().len())];
        let mut text = v.text.clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        check_message(v.kind, &text, Some(v))?;
        // Every other decoder holds to the same rules on the same text.
        for kind in MessageType::ALL.iter().filter(|k| **k != v.kind) {
            check_message(*kind, &text, None)?;
        }
    }

    /// Arbitrary bytes, for every decoder.
    #[test]
    fn arbitrary_bytes_are_refused_with_a_typed_code(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let text = String::from_utf8_lossy(&bytes);
        for kind in MessageType::ALL {
            check_message(*kind, &text, None)?;
        }
        if let Err(e) = canonical::parse_strict(&text) {
            typed(e.code())?;
        }
        if let Err(e) = link_to_json(&text) {
            typed(e.code())?;
        }
        if let Err(e) = geo_protocol::geo_uri::ParticipantAddress::parse(&text) {
            typed(e.code())?;
        }
    }

    /// JSON-looking text: what parses strictly is canonicalised to a fixpoint; the rest is typed.
    #[test]
    fn canonical_json_decoding_is_total(v in any_json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        match canonical::parse_strict(&text) {
            Ok(parsed) => {
                let canon = canonical::canonicalize(&text).unwrap();
                prop_assert_eq!(canonical::canonicalize(&canon), Ok(canon.clone()));
                prop_assert_eq!(canonical::parse_strict(&canon).unwrap(), parsed);
            }
            Err(e) => typed(e.code())?,
        }
    }

    /// Amount text: what parses prints back to a text that parses to the same value; the rest is typed.
    #[test]
    fn amount_decoding_is_total(text in "[-+0-9.,eE_ ]{0,30}|\\PC{0,30}", places in 0u8..=8) {
        let p = Precision::new(places).unwrap();
        match DecimalAmount::parse(&text) {
            Ok(d) => {
                prop_assert_eq!(DecimalAmount::parse(d.as_str()), Ok(d.clone()));
                match d.to_amount(p) {
                    Ok(a) => prop_assert_eq!(Amount::parse(&a.to_string(), p), Ok(a)),
                    Err(e) => typed(e.code())?,
                }
            }
            Err(e) => typed(e.code())?,
        }
        match Amount::parse(&text, p) {
            Ok(a) => prop_assert_eq!(Amount::parse(&a.to_string(), p), Ok(a)),
            Err(e) => typed(e.code())?,
        }
    }

    /// Identifiers: each parses back from its own text, and refusals are typed.
    #[test]
    fn identifier_decoding_is_total(text in "[0-9a-zA-Z:_+/=-]{0,90}|\\PC{0,90}") {
        macro_rules! id {
            ($parse:expr, $show:expr) => {
                match $parse(&text) {
                    Ok(x) => prop_assert_eq!($parse(&$show(&x)).ok(), Some(x)),
                    Err(e) => typed(e.code())?,
                }
            };
        }
        id!(Pid::parse, |x: &Pid| x.to_string());
        id!(TxId::parse, |x: &TxId| x.to_string());
        id!(Nonce::parse, |x: &Nonce| x.to_string());
        id!(EquivalentCode::parse, |x: &EquivalentCode| x.to_string());
        id!(Timestamp::parse, |x: &Timestamp| x.to_string());
        id!(Digest::parse, |x: &Digest| x.to_string());
        match PublicKey::from_base64(&text) {
            Ok(k) => prop_assert_eq!(PublicKey::from_base64(&k.to_base64()).ok(), Some(k)),
            Err(e) => typed(e.code())?,
        }
        match Signature::from_base64(&text) {
            Ok(s) => prop_assert_eq!(Signature::from_base64(&s.to_base64()).ok(), Some(s)),
            Err(e) => typed(e.code())?,
        }
    }
}

#[test]
fn every_message_type_has_a_published_vector() {
    for kind in MessageType::ALL {
        assert!(
            vectors().iter().any(|v| v.kind == *kind),
            "no vector of {kind:?} to mutate"
        );
    }
    for v in vectors() {
        check_message(v.kind, &v.text, Some(v)).unwrap();
        assert!(
            decode(v.kind, &v.text).is_ok(),
            "vector of {:?} decodes",
            v.kind
        );
    }
}
