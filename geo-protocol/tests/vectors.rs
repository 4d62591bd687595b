//! Runs the cross-language vectors in `spec/vectors/` against this implementation.
//! The same files are meant for every other implementation and for the bindings.

use geo_protocol::canonical;
use geo_protocol::*;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/../spec/vectors/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn seed(text: &str) -> [u8; 32] {
    unhex(text).try_into().unwrap()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key} in {v}"))
}

#[test]
fn identity_vectors() {
    let v = load("identity");
    let keys = v["keys"].as_array().unwrap();
    assert!(keys.len() >= 5);
    for k in keys {
        let id = Identity::from_seed(&seed(s(k, "seed_hex")));
        assert_eq!(id.public_key().to_base64(), s(k, "public_key"));
        assert_eq!(id.pid().as_str(), s(k, "pid"));
        assert_eq!(
            PublicKey::from_base64(s(k, "public_key"))
                .unwrap()
                .pid()
                .as_str(),
            s(k, "pid")
        );
        assert_eq!(id.mnemonic().as_str(), s(k, "mnemonic"));
        assert_eq!(
            Identity::from_mnemonic(s(k, "mnemonic")).unwrap().pid(),
            id.pid()
        );
    }
    for bad in v["invalid_public_keys"].as_array().unwrap() {
        assert!(
            PublicKey::from_base64(s(bad, "public_key")).is_err(),
            "{}",
            s(bad, "why")
        );
    }
    for bad in v["invalid_pids"].as_array().unwrap() {
        assert!(Pid::parse(s(bad, "pid")).is_err(), "{}", s(bad, "why"));
    }
}

#[test]
fn canonical_json_vectors() {
    let v = load("canonical_json");
    for case in v["cases"].as_array().unwrap() {
        let input = s(case, "input");
        match case.get("canonical") {
            Some(expected) => {
                let out = canonical::canonicalize(input).unwrap();
                assert_eq!(out, expected.as_str().unwrap(), "{input}");
                assert_eq!(
                    Digest::of(out.as_bytes()).to_string(),
                    s(case, "canonical_sha256")
                );
            }
            None => {
                let kind = match canonical::canonicalize(input).unwrap_err() {
                    CanonicalJsonError::DuplicateKey(_) => "duplicate_key",
                    CanonicalJsonError::Float => "float",
                    CanonicalJsonError::Null => "null",
                    CanonicalJsonError::UnsafeInteger(_) => "unsafe_integer",
                    CanonicalJsonError::Syntax(_) => "syntax",
                };
                assert_eq!(kind, s(case, "error"), "{input}");
            }
        }
    }
}

#[test]
fn amount_vectors() {
    let v = load("amounts");
    let mut valid = 0;
    for case in v["cases"].as_array().unwrap() {
        let text = s(case, "text");
        let precision = Precision::new(case["precision"].as_u64().unwrap() as u8).unwrap();
        let result = Amount::parse(text, precision);
        match case.get("error") {
            None => {
                valid += 1;
                let a = result.unwrap();
                assert_eq!(a.minor().to_string(), s(case, "minor_units"), "{text}");
                assert_eq!(a.to_string(), s(case, "canonical"), "{text}");
            }
            Some(kind) => {
                let actual = match result.unwrap_err() {
                    AmountError::Format(_) => "format",
                    AmountError::TooPrecise { .. } => "too_precise",
                    AmountError::Overflow => "overflow",
                    other => panic!("{other:?}"),
                };
                assert_eq!(actual, kind.as_str().unwrap(), "{text}");
            }
        }
    }
    assert!(valid >= 10);
}

#[test]
fn message_vectors_sign_and_verify_byte_for_byte() {
    let v = load("messages");
    let now = Timestamp::parse(s(&v, "now")).unwrap();
    let cases = v["cases"].as_array().unwrap();
    let types: std::collections::BTreeSet<&str> = cases.iter().map(|c| s(c, "type")).collect();
    let non_hub = MessageType::ALL.iter().filter(|t| !t.is_hub_to_hub());
    assert_eq!(
        types.len(),
        non_hub.count(),
        "a vector for every message type (hub-to-hub ones are in federation.json)"
    );
    for case in cases {
        let ty: MessageType = serde_json::from_value(case["type"].clone()).unwrap();
        let id = Identity::from_seed(&seed(s(case, "signer_seed_hex")));
        assert_eq!(id.public_key().to_base64(), s(case, "signer_public_key"));
        let bytes = signing_bytes(ty, &case["unsigned"]).unwrap();
        assert_eq!(bytes, unhex(s(case, "signing_bytes_hex")), "{ty}");
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            s(case, "signing_input")
        );
        assert_eq!(
            id.sign_raw(&bytes).to_base64(),
            s(case, "signature"),
            "{ty}: Ed25519 is deterministic"
        );
        assert_eq!(Digest::of(&bytes).to_string(), s(case, "digest"));
        let payload = canonical::to_canonical_bytes(&case["unsigned"]["payload"]).unwrap();
        assert_eq!(Digest::of(&payload).to_string(), s(case, "payload_digest"));
        // The wire text decodes, verifies, and round-trips to the same bytes.
        let policy = VerifyPolicy::new(now, None);
        verify_json(
            ty,
            s(case, "signed_json"),
            Some(&id.public_key()),
            &policy,
            &mut ReplayGuard::new(),
        )
        .unwrap_or_else(|e| panic!("{ty}: {e}"));
        let mut signed = case["unsigned"].clone();
        signed["signature"] = case["signature"].clone();
        assert_eq!(
            canonical::to_canonical_string(&signed).unwrap(),
            s(case, "signed_json")
        );
        // Signing the unsigned object through the decoder gives the vector's signed text.
        assert_eq!(
            sign_json(ty, case["unsigned"].clone(), &id).unwrap_or_else(|e| panic!("{ty}: {e}")),
            s(case, "signed_json"),
            "{ty}: sign_json"
        );
        let other = Identity::from_seed(&[9; 32]);
        assert!(
            sign_json(ty, case["unsigned"].clone(), &other).is_err(),
            "{ty}: not the signer"
        );
        let mut extra = case["unsigned"].clone();
        extra["payload"]["colour"] = "red".into();
        assert_eq!(
            check_unsigned_json(ty, &extra).unwrap_err().code(),
            ErrorCode::Malformed,
            "{ty}: an unknown member, checked without a key"
        );
        assert_eq!(
            sign_json(ty, extra, &id).unwrap_err().code(),
            ErrorCode::Malformed,
            "{ty}: an unknown member"
        );
        check_unsigned_json(ty, &case["unsigned"]).unwrap_or_else(|e| panic!("{ty}: {e}"));
    }
}

#[test]
fn verification_scenarios() {
    let v = load("verification");
    let scenarios = v["scenarios"].as_array().unwrap();
    let mut codes_seen = std::collections::BTreeSet::new();
    for sc in scenarios {
        let ty: MessageType = serde_json::from_value(sc["expected_type"].clone()).unwrap();
        let ver = &sc["verifier"];
        let mut policy = VerifyPolicy::new(
            Timestamp::parse(s(ver, "now")).unwrap(),
            ver["audience"].as_str().map(|a| Pid::parse(a).unwrap()),
        );
        policy.max_clock_skew_seconds = ver["max_clock_skew_seconds"].as_i64().unwrap();
        policy.max_validity_seconds = ver["max_validity_seconds"].as_i64().unwrap();
        // No key: the verifier knows no key for the signer (§5.4 step 5).
        let key = ver["public_key"]
            .as_str()
            .map(|k| PublicKey::from_base64(k).unwrap());
        let mut guard = ReplayGuard::new();
        for step in sc["steps"].as_array().unwrap() {
            let actual = match verify_json(ty, s(step, "json"), key.as_ref(), &policy, &mut guard) {
                Ok(()) => "ok".to_owned(),
                Err(e) => e.code().as_str().to_owned(),
            };
            assert_eq!(actual, s(step, "expect"), "scenario {:?}", s(sc, "name"));
            codes_seen.insert(actual);
        }
    }
    for code in [
        "ok",
        "E_INVALID_SIGNATURE",
        "E_MALFORMED",
        "E_EXPIRED",
        "E_NOT_YET_VALID",
        "E_VALIDITY_TOO_LONG",
        "E_WRONG_AUDIENCE",
        "E_REPLAYED",
        "E_WRONG_MESSAGE_TYPE",
        "E_UNSUPPORTED_PROTOCOL",
        "E_INVALID_AMOUNT",
        "E_SELF_PAYMENT",
        "E_SELF_TRUST",
        "E_VALIDATION",
        "E_UNKNOWN_PARTICIPANT",
    ] {
        assert!(codes_seen.contains(code), "no scenario reaches {code}");
    }
}

#[test]
fn invoice_vectors() {
    let v = load("invoices");
    assert_eq!(v["link_prefix"], INVOICE_LINK_PREFIX);
    assert_eq!(v["max_validity_seconds"], MAX_INVOICE_VALIDITY_SECONDS);
    assert_eq!(v["max_clock_skew_seconds"], INVOICE_CLOCK_SKEW_SECONDS);
    // The payee's invoice, signed from its unsigned form, is exactly the published text and link.
    let signed = &v["signed"];
    let payee = Identity::from_seed(&seed(s(signed, "signer_seed_hex")));
    let unsigned = &signed["unsigned"];
    let bytes = signing_bytes(MessageType::Invoice, unsigned).unwrap();
    let mut wire = unsigned.clone();
    wire["signature"] = Value::String(payee.sign_raw(&bytes).to_base64());
    assert_eq!(
        canonical::to_canonical_string(&wire).unwrap(),
        s(signed, "signed_json")
    );
    let inv = &signed["invoice"];
    let now = Timestamp::parse(s(inv, "created_at")).unwrap();
    let read = SignedInvoice::read(s(signed, "link"), None, now).unwrap();
    assert_eq!(read.to_link(), s(signed, "link"));
    assert_eq!(read.message().to_json(), s(signed, "signed_json"));
    assert_eq!(read.invoice_id().as_str(), s(inv, "invoice_id"));
    assert_eq!(read.payee().as_str(), s(inv, "payee"));
    assert_eq!(read.hub().as_str(), s(inv, "hub"));
    assert_eq!(read.terms().amount.as_str(), s(inv, "amount"));
    assert_eq!(
        read.terms().description.as_deref(),
        inv["description"].as_str()
    );
    assert_eq!(read.expires_at().to_string(), s(inv, "expires_at"));

    let mut codes_seen = std::collections::BTreeSet::new();
    for case in v["cases"].as_array().unwrap() {
        let expected_hub = case["expected_hub"]
            .as_str()
            .map(|p| Pid::parse(p).unwrap());
        let now = Timestamp::parse(s(case, "now")).unwrap();
        let actual = match SignedInvoice::read(s(case, "link"), expected_hub.as_ref(), now) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code().as_str().to_owned(),
        };
        assert_eq!(
            actual,
            s(case, "expect"),
            "invoice case {:?}",
            s(case, "name")
        );
        codes_seen.insert(actual);
    }
    for code in [
        "ok",
        "E_MALFORMED",
        "E_INVALID_SIGNATURE",
        "E_WRONG_AUDIENCE",
        "E_EXPIRED",
        "E_NOT_YET_VALID",
        "E_VALIDITY_TOO_LONG",
        "E_VALIDATION",
        "E_INVALID_AMOUNT",
        "E_WRONG_MESSAGE_TYPE",
    ] {
        assert!(codes_seen.contains(code), "no invoice case reaches {code}");
    }
}

#[test]
fn records_carry_the_nonce_their_type_and_id_give() {
    let v = load("records");
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3, "one case per hub-signed record type");
    for case in cases {
        let ty = *MessageType::ALL
            .iter()
            .find(|t| t.as_str() == s(case, "type"))
            .unwrap();
        assert!(ty.is_record(), "{ty:?}");
        let id = TxId::parse(s(case, "id")).unwrap();
        assert_eq!(record_nonce(ty, &id).as_str(), s(case, "nonce"), "{case}");
        let signed: Value = serde_json::from_str(s(case, "signed_json")).unwrap();
        assert_eq!(signed["nonce"], s(case, "nonce"), "{case}");
    }
}

/// `federation.json` (federation.md §11): hub-to-hub messages sign and verify byte for byte,
/// conditions, the expiry rule, `geo:` addresses and verification scenarios.
#[test]
fn federation_vectors() {
    use geo_protocol::federation::{commit_deadline, Preimage};
    use geo_protocol::geo_uri::ParticipantAddress;
    let v = load("federation");
    let messages = &v["messages"];
    let now = Timestamp::parse(s(messages, "now")).unwrap();
    let mut types = std::collections::BTreeSet::new();
    for case in messages["cases"].as_array().unwrap() {
        let ty: MessageType = serde_json::from_value(case["type"].clone()).unwrap();
        assert!(ty.is_hub_to_hub(), "{ty}");
        types.insert(ty);
        let id = Identity::from_seed(&seed(s(case, "signer_seed_hex")));
        let bytes = signing_bytes(ty, &case["unsigned"]).unwrap();
        assert_eq!(bytes, unhex(s(case, "signing_bytes_hex")), "{ty}");
        assert_eq!(
            id.sign_raw(&bytes).to_base64(),
            s(case, "signature"),
            "{ty}"
        );
        assert_eq!(Digest::of(&bytes).to_string(), s(case, "digest"));
        let audience = Pid::parse(case["unsigned"]["audience"].as_str().unwrap()).unwrap();
        let policy = VerifyPolicy::new(now, Some(audience));
        verify_json(
            ty,
            s(case, "signed_json"),
            Some(&id.public_key()),
            &policy,
            &mut ReplayGuard::new(),
        )
        .unwrap_or_else(|e| panic!("{ty}: {e}"));
    }
    let hub_types = MessageType::ALL.iter().filter(|t| t.is_hub_to_hub());
    assert_eq!(
        types.len(),
        hub_types.count(),
        "a vector per hub-to-hub type"
    );

    let conditions = &v["conditions"];
    for pair in conditions["pairs"].as_array().unwrap() {
        let p = Preimage::parse(s(pair, "preimage")).unwrap();
        assert_eq!(p.condition().to_string(), s(pair, "condition"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for case in conditions["fulfilments"].as_array().unwrap() {
        let condition = Digest::parse(s(case, "condition")).unwrap();
        let actual = match Preimage::parse(s(case, "preimage")) {
            Err(_) => "E_MALFORMED".to_owned(),
            Ok(p) => match p.fulfils(&condition) {
                Ok(()) => "ok".to_owned(),
                Err(e) => e.code().as_str().to_owned(),
            },
        };
        assert_eq!(actual, s(case, "expect"), "{}", s(case, "name"));
        seen.insert(actual);
    }
    assert_eq!(seen.len(), 3, "ok, mismatch and malformed are all reached");
    let d = &conditions["derivation"];
    let secret: [u8; 32] = unhex(s(d, "secret_hex")).try_into().unwrap();
    let derived = Preimage::derive(
        &secret,
        &Pid::parse(s(d, "payer_hub")).unwrap(),
        &TxId::parse(s(d, "tx_id")).unwrap(),
    );
    assert_eq!(derived.to_string(), s(d, "preimage"));

    for case in v["expiry"].as_array().unwrap() {
        let actual = match commit_deadline(
            Timestamp::parse(s(case, "hold_until")).unwrap(),
            Timestamp::parse(s(case, "now")).unwrap(),
            case["margin_seconds"].as_i64().unwrap(),
        ) {
            Ok(t) => t.to_string(),
            Err(e) => e.code().as_str().to_owned(),
        };
        assert_eq!(actual, s(case, "expect"), "{case}");
    }

    for case in v["uris"].as_array().unwrap() {
        let result = ParticipantAddress::parse(s(case, "text"));
        match case.get("error") {
            None => {
                let a = result.unwrap();
                assert_eq!(a.hub.as_str(), s(case, "hub"));
                assert_eq!(a.pid.as_str(), s(case, "pid"));
                assert_eq!(a.to_string(), s(case, "canonical"));
                assert_eq!(ParticipantAddress::parse(s(case, "canonical")).unwrap(), a);
            }
            Some(kind) => {
                let err = result.unwrap_err();
                assert_eq!(err.kind(), kind.as_str().unwrap(), "{}", s(case, "text"));
                assert_eq!(err.code(), ErrorCode::Malformed);
            }
        }
    }

    for sc in v["verification"].as_array().unwrap() {
        let ty: MessageType = serde_json::from_value(sc["expected_type"].clone()).unwrap();
        let ver = &sc["verifier"];
        let policy = VerifyPolicy::new(
            Timestamp::parse(s(ver, "now")).unwrap(),
            ver["audience"].as_str().map(|a| Pid::parse(a).unwrap()),
        );
        let key = ver["public_key"]
            .as_str()
            .map(|k| PublicKey::from_base64(k).unwrap());
        let mut guard = ReplayGuard::new();
        for step in sc["steps"].as_array().unwrap() {
            let actual = match verify_json(ty, s(step, "json"), key.as_ref(), &policy, &mut guard) {
                Ok(()) => "ok".to_owned(),
                Err(e) => e.code().as_str().to_owned(),
            };
            assert_eq!(actual, s(step, "expect"), "scenario {:?}", s(sc, "name"));
        }
    }
}
