//! Property tests: amounts and canonical JSON round-trip exactly; decoding signed envelopes never
//! panics and never accepts a changed message.

use geo_protocol::canonical;
use geo_protocol::*;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn precision() -> impl Strategy<Value = Precision> {
    (0u8..=8).prop_map(|p| Precision::new(p).unwrap())
}

proptest! {
    #[test]
    fn amount_text_round_trips(minor in any::<u64>(), p in precision()) {
        let a = Amount::from_minor(minor, p);
        let text = a.to_string();
        prop_assert_eq!(Amount::parse(&text, p), Ok(a));
        prop_assert_eq!(DecimalAmount::parse(&text).unwrap().to_amount(p), Ok(a));
        // Trailing zeros in the fraction do not change the value.
        if p.places() > 0 && p.places() < 8 {
            let padded = format!("{text}0");
            prop_assert!(Amount::parse(&padded, p).is_err(), "more places than the precision");
        }
    }

    #[test]
    fn amount_parsing_is_total_and_exact(text in "[-+0-9.eE ]{0,24}", p in precision()) {
        // Never panics; when it parses, the value re-parses from its canonical text.
        if let Ok(a) = Amount::parse(&text, p) {
            prop_assert_eq!(Amount::parse(&a.to_string(), p), Ok(a));
            prop_assert!(!text.starts_with('+') && !text.starts_with('-') && !text.contains('e'));
        }
    }

    #[test]
    fn amount_arithmetic_matches_integers(a in any::<u64>(), b in any::<u64>(), p in precision()) {
        let (x, y) = (Amount::from_minor(a, p), Amount::from_minor(b, p));
        match a.checked_add(b) {
            Some(sum) => prop_assert_eq!(x.checked_add(y).unwrap().minor(), sum),
            None => prop_assert_eq!(x.checked_add(y), Err(AmountError::Overflow)),
        }
        match a.checked_sub(b) {
            Some(diff) => prop_assert_eq!(x.checked_sub(y).unwrap().minor(), diff),
            None => prop_assert_eq!(x.checked_sub(y), Err(AmountError::Negative)),
        }
    }
}

/// Arbitrary JSON inside the signable subset (no floats, no null, safe integers).
fn signable() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        (-(canonical::MAX_SAFE_INTEGER as i64)..=canonical::MAX_SAFE_INTEGER as i64)
            .prop_map(|n| Value::Number(n.into())),
        any::<String>().prop_map(Value::String),
        "[\\x00-\\x1f\"\\\\a-zé€😀\u{2028}]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #[test]
    fn canonical_json_round_trips(v in signable()) {
        let text = canonical::to_canonical_string(&v).unwrap();
        let parsed = canonical::parse_strict(&text).unwrap();
        prop_assert_eq!(&parsed, &v);
        // Idempotent, and independent of the input's formatting.
        prop_assert_eq!(canonical::canonicalize(&text).unwrap(), text.clone());
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        prop_assert_eq!(canonical::canonicalize(&pretty).unwrap(), text.clone());
        // No insignificant white space outside strings; every control character is escaped.
        prop_assert!(!text.bytes().any(|b| b < 0x20));
    }

    #[test]
    fn strict_parsing_never_panics(text in "\\PC{0,64}") {
        let _ = canonical::parse_strict(&text);
        let _ = SignedMessage::<PaymentRequest>::from_json(&text);
    }
}

fn fixture() -> (Identity, Identity, SignedMessage<PaymentRequest>) {
    let alice = Identity::from_seed(&[1; 32]);
    let hub = Identity::from_seed(&[9; 32]);
    let request = PaymentRequest {
        tx_id: TxId::parse("00000000-0000-4000-8000-000000000001").unwrap(),
        payee: Identity::from_seed(&[2; 32]).pid(),
        payee_hub: None,
        equivalent: "UAH".parse().unwrap(),
        amount: "10.50".parse().unwrap(),
        description: Some("coffee".into()),
        constraints: Some(PaymentConstraints {
            max_hops: Some(4),
            max_paths: None,
            avoid: vec![],
        }),
        hold_seconds: None,
        invoice_id: None,
    };
    let now = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
    let signed = Envelope::new(
        alice.pid(),
        Some(hub.pid()),
        Nonce::parse("AAAAAAAAAAAAAAAAAAAAAA").unwrap(),
        now,
        300,
        request,
    )
    .sign(&alice)
    .unwrap();
    (alice, hub, signed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Fuzz of the envelope decoder: any one-character change to a valid signed message is either
    /// refused or means exactly the same message (the same signed bytes).
    #[test]
    fn mutated_envelopes_never_verify_as_something_else(index in any::<prop::sample::Index>(), replacement in any::<char>()) {
        let (alice, hub, signed) = fixture();
        let text = signed.to_json();
        let chars: Vec<char> = text.chars().collect();
        let i = index.index(chars.len());
        let mut mutated: String = chars[..i].iter().collect();
        mutated.push(replacement);
        mutated.extend(&chars[i + 1..]);
        let policy = VerifyPolicy::new(Timestamp::parse("2026-11-24T10:01:00Z").unwrap(), Some(hub.pid()));
        if let Ok(m) = SignedMessage::<PaymentRequest>::from_json(&mutated) {
            if m.verify(&alice.public_key(), &policy).is_ok() {
                prop_assert_eq!(m.signed_bytes(), signed.signed_bytes());
                prop_assert_eq!(m.to_json(), text);
            }
        }
    }

    /// Random bytes spliced into a valid envelope never panic the decoder.
    #[test]
    fn spliced_garbage_never_panics(at in any::<prop::sample::Index>(), garbage in "\\PC{0,12}") {
        let (_, _, signed) = fixture();
        let text = signed.to_json();
        let mut cut = at.index(text.len());
        while !text.is_char_boundary(cut) { cut -= 1; }
        let spliced = format!("{}{}{}", &text[..cut], garbage, &text[cut..]);
        let _ = SignedMessage::<PaymentRequest>::from_json(&spliced);
    }
}

#[test]
fn serde_deserialize_path_is_as_strict_as_from_json() {
    let (_, _, signed) = fixture();
    let text = signed.to_json();
    let back: SignedMessage<PaymentRequest> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, signed);
    let dup = text.replacen('{', "{\"nonce\":\"BBBBBBBBBBBBBBBBBBBBBB\",", 1);
    assert!(serde_json::from_str::<SignedMessage<PaymentRequest>>(&dup).is_err());
}
