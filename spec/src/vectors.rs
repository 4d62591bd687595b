//! The cross-language test vectors. Each expected outcome is written here on purpose (it is the
//! spec's intent) and the generator asserts that `geo-protocol` agrees before writing anything.

use geo_protocol::canonical;
use geo_protocol::messages::DebtEdge;
use geo_protocol::*;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

mod federation;

const RFC8032_TEST1_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex32(text: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

/// A canonical point of order 8·L: `identity`'s key plus a point of order 8 (§3 refuses it).
fn mixed_order_key(identity: &Identity) -> [u8; 32] {
    let point = curve25519_dalek::edwards::CompressedEdwardsY(identity.public_key().to_bytes())
        .decompress()
        .unwrap();
    (point + curve25519_dalek::constants::EIGHT_TORSION[1])
        .compress()
        .to_bytes()
}

/// A named test seed: sha256("GEO test vector seed: " + name).
fn seed(name: &str) -> [u8; 32] {
    Sha256::digest(format!("GEO test vector seed: {name}").as_bytes()).into()
}

struct Cast {
    alice: Identity,
    bob: Identity,
    carol: Identity,
    hub: Identity,
    mallory: Identity,
    seeds: Vec<(&'static str, [u8; 32])>,
}

fn cast() -> Cast {
    let seeds = vec![
        ("alice", unhex32(RFC8032_TEST1_SEED)),
        ("bob", seed("bob")),
        ("carol", seed("carol")),
        ("hub", seed("hub")),
        ("mallory", seed("mallory")),
    ];
    let id = |i: usize| Identity::from_seed(&seeds[i].1);
    Cast {
        alice: id(0),
        bob: id(1),
        carol: id(2),
        hub: id(3),
        mallory: id(4),
        seeds,
    }
}

fn ts(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

const CREATED: &str = "2026-11-24T10:00:00Z";
const NOW: &str = "2026-11-24T10:01:00Z";

fn nonce(n: u32) -> Nonce {
    Nonce::parse(&format!("vector-nonce-{n:010}")).unwrap()
}

pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        ("identity", identity()),
        ("canonical_json", canonical_json()),
        ("amounts", amounts()),
        ("messages", messages().0),
        ("verification", verification()),
        ("invoices", invoices()),
        ("records", records()),
        ("federation", federation::federation()),
    ]
}

fn identity() -> Value {
    let c = cast();
    let mut keys = Vec::new();
    let mut all_seeds: Vec<(String, [u8; 32])> =
        c.seeds.iter().map(|(n, s)| (n.to_string(), *s)).collect();
    all_seeds.push(("all-zero seed".into(), [0u8; 32]));
    all_seeds.push(("all-ones seed".into(), [0xffu8; 32]));
    for (name, s) in all_seeds {
        let id = Identity::from_seed(&s);
        keys.push(json!({
            "name": name,
            "seed_hex": hex(&s),
            "public_key": id.public_key().to_base64(),
            "pid": id.pid().as_str(),
            "mnemonic": id.mnemonic().as_str(),
        }));
    }
    // Keys that must be refused.
    let mut small_order = [0u8; 32];
    small_order[0] = 1;
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xed;
    non_canonical[31] = 0x7f;
    let b64 = |b: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    };
    let mut non_canonical_large = non_canonical;
    non_canonical_large[0] = 0xf0;
    let alice_b64 = c.alice.public_key().to_base64();
    let invalid_keys = vec![
        (
            "mixed order: alice's key plus a point of order 8 (not in the prime-order subgroup)",
            b64(&mixed_order_key(&c.alice)),
        ),
        ("small-order point (the identity)", b64(&small_order)),
        ("non-canonical y coordinate (y = p)", b64(&non_canonical)),
        (
            "non-canonical encoding of a large-order point (y = p + 3)",
            b64(&non_canonical_large),
        ),
        ("not padded", alice_b64.trim_end_matches('=').to_owned()),
        (
            "url-safe alphabet instead of standard",
            alice_b64.replace('/', "_"),
        ),
        ("31 bytes", b64(&c.alice.public_key().to_bytes()[..31])),
        ("non-zero trailing bits", alice_b64.replace("URo=", "URp=")),
    ];
    for (why, text) in &invalid_keys {
        assert!(PublicKey::from_base64(text).is_err(), "{why}");
    }
    let invalid_pids = vec![
        (
            "contains 0, outside the base58 alphabet",
            "0HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW",
        ),
        (
            "decodes to 37 bytes (a Bitcoin WIF, GEOv0's wrong example)",
            "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ",
        ),
        ("empty", ""),
        ("too short", "3HhGPB6ht33n51YFaocqBtGePb3xqT4Vgnj"),
    ];
    for (why, text) in &invalid_pids {
        assert!(Pid::parse(text).is_err(), "{why}");
    }
    json!({
        "description": "Seed (32 bytes, RFC 8032 private key) -> Ed25519 public key (standard padded base64) -> PID = base58btc(sha256(public key)); mnemonic = BIP-39 English encoding of the seed as entropy (24 words).",
        "keys": keys,
        "invalid_public_keys": invalid_keys.iter().map(|(w, t)| json!({"why": w, "public_key": t})).collect::<Vec<_>>(),
        "invalid_pids": invalid_pids.iter().map(|(w, t)| json!({"why": w, "pid": t})).collect::<Vec<_>>(),
    })
}

fn canonical_json() -> Value {
    let ok = [
        r#"{"b":1,"a":{"y":2,"x":1}}"#,
        r#" { "z" : [ 3 , 2 , 1 ] , "a" : "" } "#,
        r#"{"amount":"100.00","small":"0.01","zero":"0"}"#,
        r#"{"esc":"quote\" backslash\\ slash\/ tab\t nl\n cr\r bs\b ff\f nul\u0000 us\u001f del"}"#,
        "{\"text\":\"Кава ☕ \\u00e9 \\ud83d\\ude00\"}",
        "{\"\\u20ac\":1,\"\\r\":2,\"\\ud83d\\ude00\":3,\"\\ufb01\":4,\"1\":5,\"\\u0080\":6,\"\\u00f6\":7}",
        r#"[true,false,0,-1,9007199254740991,-9007199254740991,{},[]]"#,
        r#"{"line":"\u2028\u2029"}"#,
    ];
    let bad: [(&str, &str); 15] = [
        (r#"{"a":1,"a":2}"#, "duplicate_key"),
        (r#"{"x":{"k":1,"k":1}}"#, "duplicate_key"),
        (r#"{"amount":1.5}"#, "float"),
        (r#"{"amount":1.0}"#, "float"),
        (r#"[1e3]"#, "float"),
        (r#"{"a":null}"#, "null"),
        (r#"[9007199254740992]"#, "unsafe_integer"),
        (r#"{"a":1} trailing"#, "syntax"),
        (r#"["\ud800"]"#, "syntax"),
        // `-0` is the floating-point negative zero: JSON parsers read it as a float.
        (r#"[-0]"#, "float"),
        (r#"{"a":-0}"#, "float"),
        // Precedence: text that is not JSON is `syntax` whatever it also contains …
        (r#"[1.5,}"#, "syntax"),
        (r#"{"a":null,"a":1"#, "syntax"),
        // … otherwise the first fault in reading order (a duplicate at its second name).
        (r#"{"a":1,"a":[1.5]}"#, "duplicate_key"),
        (r#"[null,1.5]"#, "null"),
    ];
    let mut cases = Vec::new();
    for input in ok {
        let out = canonical::canonicalize(input).unwrap();
        cases.push(json!({
            "input": input,
            "canonical": out,
            "canonical_sha256": hex(&Sha256::digest(out.as_bytes())),
        }));
    }
    for (input, kind) in bad {
        let err = canonical::canonicalize(input).unwrap_err();
        let actual = match err {
            CanonicalJsonError::DuplicateKey(_) => "duplicate_key",
            CanonicalJsonError::Float => "float",
            CanonicalJsonError::Null => "null",
            CanonicalJsonError::UnsafeInteger(_) => "unsafe_integer",
            CanonicalJsonError::Syntax(_) => "syntax",
        };
        assert_eq!(actual, kind, "{input}");
        cases.push(json!({ "input": input, "error": kind }));
    }
    json!({
        "description": "RFC 8785 canonical JSON over GEO's signable subset. `canonical` is the exact output text (UTF-8); `error` names why an input has no canonical form: duplicate_key, float, null, unsafe_integer (beyond +-(2^53-1)) or syntax.",
        "cases": cases,
    })
}

fn amounts() -> Value {
    let valid: [(&str, u8, u64, &str); 13] = [
        ("0", 0, 0, "0"),
        ("0", 2, 0, "0.00"),
        ("10", 2, 1000, "10.00"),
        ("10.5", 2, 1050, "10.50"),
        ("10.50", 2, 1050, "10.50"),
        ("0.01", 2, 1, "0.01"),
        ("0.00000001", 8, 1, "0.00000001"),
        ("123.4", 1, 1234, "123.4"),
        ("7", 0, 7, "7"),
        ("18446744073709551615", 0, u64::MAX, "18446744073709551615"),
        (
            "184467440737.09551615",
            8,
            u64::MAX,
            "184467440737.09551615",
        ),
        ("0.10", 8, 10_000_000, "0.10000000"),
        ("1000000000000", 0, 1_000_000_000_000, "1000000000000"),
    ];
    let invalid: [(&str, u8, &str); 22] = [
        ("", 2, "format"),
        ("01", 2, "format"),
        ("00", 2, "format"),
        ("1.", 2, "format"),
        (".5", 2, "format"),
        ("+1", 2, "format"),
        ("-1", 2, "format"),
        ("1e3", 2, "format"),
        ("1E-3", 2, "format"),
        (" 1", 2, "format"),
        ("1 ", 2, "format"),
        ("NaN", 2, "format"),
        ("Infinity", 2, "format"),
        ("1,5", 2, "format"),
        ("1.000000001", 8, "format"),
        // 21 integer digits: above 2^64-1 at every precision, so refused as form, without p.
        ("100000000000000000000", 0, "format"),
        ("1.234", 2, "too_precise"),
        ("1.0", 0, "too_precise"),
        ("0.001", 2, "too_precise"),
        ("18446744073709551616", 0, "overflow"),
        ("184467440737.09551616", 8, "overflow"),
        ("1000000000000", 8, "overflow"),
    ];
    let mut cases = Vec::new();
    for (text, p, minor, canonical) in valid {
        let a = Amount::parse(text, Precision::new(p).unwrap()).unwrap();
        assert_eq!(
            (a.minor(), a.to_string().as_str()),
            (minor, canonical),
            "{text}"
        );
        cases.push(json!({"text": text, "precision": p, "minor_units": minor.to_string(), "canonical": canonical}));
    }
    for (text, p, kind) in invalid {
        let err = Amount::parse(text, Precision::new(p).unwrap()).unwrap_err();
        let actual = match err {
            AmountError::Format(_) => "format",
            AmountError::TooPrecise { .. } => "too_precise",
            AmountError::Overflow => "overflow",
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(actual, kind, "{text}");
        cases.push(json!({"text": text, "precision": p, "error": kind}));
    }
    json!({
        "description": "Amount text at an equivalent precision (0..8) -> integer minor units (as a decimal string, since they can exceed 2^53) and canonical output text (exactly `precision` fraction digits). Errors: format (syntax, checked without the precision: the pattern with p = 8 and at most 20 integer digits), too_precise (more fraction digits than the precision), overflow (minor units above 2^64-1).",
        "cases": cases,
    })
}

struct Signed {
    message_type: MessageType,
    signer: Identity,
    json: String,
    value: Value,
}

/// Builds, signs and describes one message.
fn sign_case<P: Message>(
    signer: &Identity,
    audience: Option<&Identity>,
    n: u32,
    payload: P,
    cases: &mut Vec<Value>,
    out: &mut Vec<Signed>,
) -> SignedMessage<P> {
    let envelope = Envelope::new(
        signer.pid(),
        audience.map(Identity::pid),
        nonce(n),
        ts(CREATED),
        300,
        payload,
    );
    let bytes = envelope.signing_bytes().unwrap();
    let signed = envelope.clone().sign(signer).unwrap();
    let mut unsigned = signed.to_value();
    unsigned.as_object_mut().unwrap().remove("signature");
    cases.push(json!({
        "type": P::TYPE.as_str(),
        "signer_seed_hex": hex(&*signer.seed()),
        "signer_public_key": signer.public_key().to_base64(),
        "unsigned": unsigned,
        "signing_input": String::from_utf8(bytes.clone()).unwrap(),
        "signing_bytes_hex": hex(&bytes),
        "signature": signed.signature().to_base64(),
        "signed_json": signed.to_json(),
        "digest": signed.digest().to_string(),
        "payload_digest": signed.payload_digest().to_string(),
    }));
    out.push(Signed {
        message_type: P::TYPE,
        signer: signer.clone(),
        json: signed.to_json(),
        value: signed.to_value(),
    });
    signed
}

fn messages() -> (Value, Vec<Signed>) {
    let c = cast();
    let uah: EquivalentCode = "UAH".parse().unwrap();
    let amount = |t: &str| DecimalAmount::parse(t).unwrap();
    let tx = |n: u32| TxId::parse(&format!("00000000-0000-4000-8000-{n:012}")).unwrap();
    let mut cases = Vec::new();
    let mut signed = Vec::new();
    let (s, cs) = (&mut signed, &mut cases);

    let mut profile = std::collections::BTreeMap::new();
    profile.insert("city".to_owned(), "Київ".to_owned());
    sign_case(
        &c.alice,
        Some(&c.hub),
        1,
        ParticipantRegister {
            public_key: c.alice.public_key(),
            display_name: "Alice".into(),
            kind: ParticipantKind::Person,
            profile: Some(Profile(profile)),
        },
        cs,
        s,
    );
    sign_case(
        &c.alice,
        Some(&c.hub),
        2,
        ParticipantUpdate {
            display_name: Some("Alice K.".into()),
            profile: None,
        },
        cs,
        s,
    );
    sign_case(
        &c.alice,
        Some(&c.hub),
        3,
        Login {
            challenge: "q3Jm0pZ7h2W8p0Xy0c3w9v8u7t6s5r4q3p2o1n0m9lk".into(),
        },
        cs,
        s,
    );
    sign_case(
        &c.bob,
        Some(&c.hub),
        4,
        TrustLineSet {
            debtor: c.alice.pid(),
            equivalent: uah.clone(),
            limit: amount("1000.00"),
            policy: Some(TrustLinePolicy {
                auto_clearing: true,
                can_be_intermediate: false,
                blocked_participants: vec![c.mallory.pid()],
            }),
        },
        cs,
        s,
    );
    sign_case(
        &c.bob,
        Some(&c.hub),
        5,
        TrustLineClose {
            debtor: c.alice.pid(),
            equivalent: uah.clone(),
        },
        cs,
        s,
    );
    let request = sign_case(
        &c.alice,
        Some(&c.hub),
        6,
        PaymentRequest {
            tx_id: tx(1),
            payee: c.carol.pid(),
            payee_hub: None,
            equivalent: uah.clone(),
            amount: amount("100.50"),
            description: Some("Кава ☕ \"double\"\n".into()),
            constraints: Some(PaymentConstraints {
                max_hops: Some(4),
                max_paths: Some(2),
                avoid: vec![c.mallory.pid()],
            }),
            hold_seconds: None,
            invoice_id: None,
        },
        cs,
        s,
    );
    sign_case(
        &c.alice,
        Some(&c.hub),
        16,
        PaymentRequest {
            tx_id: tx(6),
            payee: c.bob.pid(),
            payee_hub: None,
            equivalent: uah.clone(),
            amount: amount("7"),
            description: None,
            constraints: None,
            hold_seconds: Some(120),
            invoice_id: None,
        },
        cs,
        s,
    );
    let edges = vec![
        DebtEdge {
            debtor: c.alice.pid(),
            creditor: c.bob.pid(),
            amount: amount("10.00"),
        },
        DebtEdge {
            debtor: c.bob.pid(),
            creditor: c.carol.pid(),
            amount: amount("10.00"),
        },
        DebtEdge {
            debtor: c.carol.pid(),
            creditor: c.alice.pid(),
            amount: amount("10.00"),
        },
    ];
    let proposal = sign_case(
        &c.hub,
        None,
        7,
        ClearingProposal {
            clearing_id: tx(2),
            equivalent: uah.clone(),
            edges: edges.clone(),
            consent_required_from: vec![c.bob.pid()],
        },
        cs,
        s,
    );
    sign_case(
        &c.bob,
        Some(&c.hub),
        8,
        ClearingConsent {
            clearing_id: tx(2),
            proposal_digest: proposal.digest(),
            decision: ClearingDecision::Accept,
        },
        cs,
        s,
    );
    sign_case(
        &c.hub,
        None,
        9,
        PaymentReceipt {
            tx_id: tx(1),
            payer: c.alice.pid(),
            payee: c.carol.pid(),
            equivalent: uah.clone(),
            amount: amount("100.50"),
            status: PaymentStatus::Committed,
            request_digest: request.digest(),
            routes: vec![
                RoutePath {
                    path: vec![c.alice.pid(), c.carol.pid()],
                    amount: amount("60.00"),
                },
                RoutePath {
                    path: vec![c.alice.pid(), c.bob.pid(), c.carol.pid()],
                    amount: amount("40.50"),
                },
            ],
            error_code: None,
            decided_at: ts("2026-11-24T10:00:01Z"),
            journal_seq: Some(42),
        },
        cs,
        s,
    );
    sign_case(
        &c.hub,
        None,
        10,
        PaymentReceipt {
            tx_id: tx(3),
            payer: c.alice.pid(),
            payee: c.carol.pid(),
            equivalent: uah.clone(),
            amount: amount("5000.00"),
            status: PaymentStatus::Aborted,
            request_digest: Digest::of(b"another request"),
            routes: vec![],
            error_code: Some(ErrorCode::InsufficientCapacity),
            decided_at: ts("2026-11-24T10:00:02Z"),
            journal_seq: None,
        },
        cs,
        s,
    );
    sign_case(
        &c.hub,
        None,
        11,
        ClearingReceipt {
            clearing_id: tx(2),
            equivalent: uah.clone(),
            edges: edges.clone(),
            total: amount("30.00"),
            committed_at: ts("2026-11-24T10:00:03Z"),
            journal_seq: 43,
        },
        cs,
        s,
    );
    sign_case(
        &c.hub,
        Some(&c.bob),
        12,
        PaymentPrepare {
            tx_id: tx(4),
            equivalent: uah.clone(),
            effects: vec![
                DebtEdge {
                    debtor: c.alice.pid(),
                    creditor: c.bob.pid(),
                    amount: amount("5.00"),
                },
                DebtEdge {
                    debtor: c.bob.pid(),
                    creditor: c.carol.pid(),
                    amount: amount("5.00"),
                },
            ],
            reserve_until: ts("2026-11-24T10:00:30Z"),
        },
        cs,
        s,
    );
    sign_case(
        &c.bob,
        Some(&c.hub),
        13,
        PaymentPrepareAck {
            tx_id: tx(4),
            accepted: true,
            reason: None,
        },
        cs,
        s,
    );
    sign_case(
        &c.hub,
        Some(&c.bob),
        14,
        PaymentCommit { tx_id: tx(4) },
        cs,
        s,
    );
    sign_case(
        &c.hub,
        Some(&c.bob),
        15,
        PaymentAbort {
            tx_id: tx(5),
            reason: "a hop refused".into(),
        },
        cs,
        s,
    );
    sign_case(
        &c.bob,
        Some(&c.hub),
        17,
        Invoice {
            public_key: c.bob.public_key(),
            equivalent: uah.clone(),
            amount: amount("120.50"),
            description: Some("Мед, 2 банки".into()),
        },
        cs,
        s,
    );
    sign_case(
        &c.alice,
        Some(&c.hub),
        18,
        PaymentRequest {
            tx_id: tx(7),
            payee: c.bob.pid(),
            payee_hub: None,
            equivalent: uah.clone(),
            amount: amount("120.50"),
            description: Some("Мед, 2 банки".into()),
            constraints: None,
            hold_seconds: None,
            invoice_id: Some(Nonce::parse("invoice-vector-0000000001").unwrap()),
        },
        cs,
        s,
    );
    assert_eq!(
        cases.len(),
        MessageType::ALL
            .iter()
            .filter(|t| !t.is_hub_to_hub())
            .count()
            + 3,
        "one vector per message type (plus an aborted receipt, a held payment and a payment of an invoice)"
    );

    let value = json!({
        "description": "One signed message per type. signing_input = \"GEO/1 signed message\\n\" + type + \"\\n\" + canonical JSON of `unsigned` (the envelope without `signature`); signature = Ed25519(seed, signing bytes) in standard padded base64; digest = sha256(signing bytes); payload_digest = sha256(canonical JSON of the payload). All are valid at verification time `now` for verifier `audience` unless audience is omitted.",
        "created_at": CREATED,
        "now": NOW,
        "audience": c.hub.pid().as_str(),
        "cases": cases,
    });
    (value, signed)
}

/// A verification scenario: a verifier (clock, audience, key) and messages checked in order.
fn scenario(
    name: &str,
    expected: MessageType,
    key: &Identity,
    audience: Option<&Identity>,
    steps: Vec<(String, &str)>,
) -> Value {
    scenario_at(name, NOW, expected, Some(key), audience, steps)
}

/// [`scenario`] at another clock, or with no key for the signer (`key: None`).
fn scenario_at(
    name: &str,
    now: &str,
    expected: MessageType,
    key: Option<&Identity>,
    audience: Option<&Identity>,
    steps: Vec<(String, &str)>,
) -> Value {
    let policy = VerifyPolicy::new(ts(now), audience.map(Identity::pid));
    let mut guard = ReplayGuard::new();
    let public_key = key.map(Identity::public_key);
    for (text, expect) in &steps {
        let actual = match verify_json(expected, text, public_key.as_ref(), &policy, &mut guard) {
            Ok(()) => "ok".to_owned(),
            Err(e) => e.code().as_str().to_owned(),
        };
        assert_eq!(&actual, expect, "scenario {name}: {text}");
    }
    json!({
        "name": name,
        "expected_type": expected.as_str(),
        "verifier": {
            "now": now,
            "audience": audience.map(|a| a.pid().as_str().to_owned()),
            "public_key": public_key.map(|k| k.to_base64()),
            "max_clock_skew_seconds": policy.max_clock_skew_seconds,
            "max_validity_seconds": policy.max_validity_seconds,
        },
        "steps": steps.iter().map(|(t, e)| json!({"json": t, "expect": e})).collect::<Vec<_>>(),
    })
}

fn text_of(v: &Value) -> String {
    canonical::to_canonical_string(v).unwrap()
}

/// Re-signs an edited unsigned envelope correctly (so only the edited property is wrong).
fn resign(
    signer: &Identity,
    mut value: Value,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> String {
    let obj = value.as_object_mut().unwrap();
    obj.remove("signature");
    edit(obj);
    let ty: MessageType = serde_json::from_value(obj["type"].clone()).unwrap();
    let bytes = signing_bytes(ty, &value).unwrap();
    let sig = signer.sign_raw(&bytes);
    value
        .as_object_mut()
        .unwrap()
        .insert("signature".into(), json!(sig.to_base64()));
    text_of(&value)
}

fn verification() -> Value {
    let c = cast();
    let (_, signed) = messages();
    let find = |t: MessageType| signed.iter().find(|s| s.message_type == t).unwrap();
    let pay = find(MessageType::PaymentRequest);
    let mut scenarios = Vec::new();

    // Every valid vector verifies, and only once.
    for s in &signed {
        let audience = s.value.get("audience").map(|_| {
            if s.signer.pid() == c.hub.pid() {
                &c.bob
            } else {
                &c.hub
            }
        });
        if s.message_type.is_record() {
            // Records are checked at steps 1-5 only: read twice, and after they expire, they verify.
            scenarios.push(scenario(
                &format!(
                    "valid {} read twice (a record: steps 1-5 only)",
                    s.message_type
                ),
                s.message_type,
                &s.signer,
                None,
                vec![(s.json.clone(), "ok"), (s.json.clone(), "ok")],
            ));
            scenarios.push(scenario_at(
                &format!("{} read a day after its expires_at", s.message_type),
                "2026-11-25T10:00:00Z",
                s.message_type,
                Some(&s.signer),
                None,
                vec![(s.json.clone(), "ok")],
            ));
        } else {
            scenarios.push(scenario(
                &format!("valid {} then replayed", s.message_type),
                s.message_type,
                &s.signer,
                audience,
                vec![(s.json.clone(), "ok"), (s.json.clone(), "E_REPLAYED")],
            ));
        }
    }

    let pay_key = &pay.signer;
    let mut tampered = pay.value.clone();
    tampered["payload"]["amount"] = json!("1000.50");
    let mut forged_by_mallory = pay.value.clone();
    {
        let obj = forged_by_mallory.as_object_mut().unwrap();
        obj.remove("signature");
        let bytes =
            signing_bytes(MessageType::PaymentRequest, &Value::Object(obj.clone())).unwrap();
        obj.insert(
            "signature".into(),
            json!(c.mallory.sign_raw(&bytes).to_base64()),
        );
    }
    let wrong_domain = |tag: &[u8]| {
        let mut v = pay.value.clone();
        let obj = v.as_object_mut().unwrap();
        obj.remove("signature");
        let mut bytes = tag.to_vec();
        bytes.extend(canonical::to_canonical_bytes(&Value::Object(obj.clone())).unwrap());
        obj.insert(
            "signature".into(),
            json!(pay_key.sign_raw(&bytes).to_base64()),
        );
        text_of(&v)
    };
    let non_canonical_s = {
        let sig = Signature::from_base64(pay.value["signature"].as_str().unwrap()).unwrap();
        let mut bytes = sig.to_bytes();
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = bytes[32 + i] as u16 + L[i] as u16 + carry;
            bytes[32 + i] = sum as u8;
            carry = sum >> 8;
        }
        let mut v = pay.value.clone();
        v["signature"] = json!(Signature::from_bytes(&bytes).to_base64());
        text_of(&v)
    };
    let mut unpadded = pay.value.clone();
    unpadded["signature"] = json!(pay.value["signature"]
        .as_str()
        .unwrap()
        .trim_end_matches('='));
    let duplicate_key =
        pay.json
            .replacen('{', &format!("{{\"signer\":\"{}\",", c.mallory.pid()), 1);
    let with_member = |edit: &dyn Fn(&mut Value)| {
        resign(
            pay_key,
            {
                let mut v = pay.value.clone();
                edit(&mut v);
                v
            },
            |_| {},
        )
    };
    let float_in_payload = with_member(&|v| v["payload"]["constraints"]["max_hops"] = json!(4))
        .replace("\"max_hops\":4", "\"max_hops\":4.0");
    let null_in_payload = with_member(&|v| v["payload"]["description"] = json!("x"))
        .replace("\"description\":\"x\"", "\"description\":null");
    let unknown_member = resign(pay_key, pay.value.clone(), |o| {
        o.get_mut("payload")
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert("fee".into(), json!("1.00"));
    });
    let time = |created: &str, expires: &str| {
        resign(pay_key, pay.value.clone(), |o| {
            o.insert("created_at".into(), json!(created));
            o.insert("expires_at".into(), json!(expires));
        })
    };

    let payload_edit = |edit: &dyn Fn(&mut Value)| {
        resign(pay_key, pay.value.clone(), |o| {
            edit(o.get_mut("payload").unwrap())
        })
    };
    let many_pids = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| {
                Identity::from_seed(&seed(&format!("listed {i}")))
                    .pid()
                    .as_str()
                    .to_owned()
            })
            .collect()
    };
    let steps: Vec<(&str, String, &str)> = vec![
        (
            "tampered payload (amount changed after signing)",
            text_of(&tampered),
            "E_INVALID_SIGNATURE",
        ),
        (
            "signed by another key than the signer's",
            text_of(&forged_by_mallory),
            "E_INVALID_SIGNATURE",
        ),
        (
            "signature over bare canonical JSON without the domain tag",
            wrong_domain(b""),
            "E_INVALID_SIGNATURE",
        ),
        (
            "signature made with another message type's domain tag",
            wrong_domain(b"GEO/1 signed message\ntrust_line_set\n"),
            "E_INVALID_SIGNATURE",
        ),
        (
            "non-canonical signature scalar (s + L)",
            non_canonical_s,
            "E_INVALID_SIGNATURE",
        ),
        (
            "unpadded base64 signature",
            text_of(&unpadded),
            "E_MALFORMED",
        ),
        ("duplicate envelope member", duplicate_key, "E_MALFORMED"),
        ("float in payload", float_in_payload, "E_MALFORMED"),
        ("null in payload", null_in_payload, "E_MALFORMED"),
        ("unknown payload member", unknown_member, "E_MALFORMED"),
        (
            "expired (expires_at before now)",
            time("2026-11-24T09:55:00Z", "2026-11-24T10:00:59Z"),
            "E_EXPIRED",
        ),
        (
            "created too far in the future",
            time("2026-11-24T10:02:01Z", "2026-11-24T10:05:00Z"),
            "E_NOT_YET_VALID",
        ),
        (
            "created within the allowed clock skew",
            time("2026-11-24T10:02:00Z", "2026-11-24T10:05:00Z"),
            "ok",
        ),
        (
            "validity window longer than 600 s",
            time("2026-11-24T10:00:00Z", "2026-11-24T10:10:01Z"),
            "E_VALIDITY_TOO_LONG",
        ),
        (
            "expires_at not after created_at",
            time("2026-11-24T10:01:00Z", "2026-11-24T10:01:00Z"),
            "E_VALIDITY_TOO_LONG",
        ),
        (
            "addressed to another hub",
            resign(pay_key, pay.value.clone(), |o| {
                o.insert("audience".into(), json!(c.mallory.pid().as_str()));
            }),
            "E_WRONG_AUDIENCE",
        ),
        (
            "no audience where one is required",
            resign(pay_key, pay.value.clone(), |o| {
                o.remove("audience");
            }),
            "E_WRONG_AUDIENCE",
        ),
        (
            "unsupported protocol version",
            resign(pay_key, pay.value.clone(), |o| {
                o.insert("protocol".into(), json!("geo/2"));
            }),
            "E_UNSUPPORTED_PROTOCOL",
        ),
        (
            "unsupported protocol version and a payload missing a member: decoding comes first",
            resign(pay_key, pay.value.clone(), |o| {
                o.insert("protocol".into(), json!("geo/2"));
                o.get_mut("payload")
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("tx_id");
            }),
            "E_MALFORMED",
        ),
        (
            "named as another type whose members the payload does not fit: decoding comes first",
            resign(pay_key, pay.value.clone(), |o| {
                o.insert("type".into(), json!("trust_line_set"));
            }),
            "E_MALFORMED",
        ),
        (
            "amount in exponent form",
            resign(pay_key, pay.value.clone(), |o| {
                o.get_mut("payload").unwrap()["amount"] = json!("1e3");
            }),
            "E_INVALID_AMOUNT",
        ),
        (
            "zero amount",
            resign(pay_key, pay.value.clone(), |o| {
                o.get_mut("payload").unwrap()["amount"] = json!("0.00");
            }),
            "E_INVALID_AMOUNT",
        ),
        (
            "payment to oneself",
            resign(pay_key, pay.value.clone(), |o| {
                o.get_mut("payload").unwrap()["payee"] = json!(pay_key.pid().as_str());
            }),
            "E_SELF_PAYMENT",
        ),
        (
            "max_hops above 8",
            resign(pay_key, pay.value.clone(), |o| {
                o.get_mut("payload").unwrap()["constraints"]["max_hops"] = json!(9);
            }),
            "E_VALIDATION",
        ),
        (
            "an amount of 10^12 whole units: a verifier that does not know the precision accepts it",
            payload_edit(&|p| p["amount"] = json!("1000000000000")),
            "ok",
        ),
        (
            "an amount with 21 integer digits is refused without knowing the precision",
            payload_edit(&|p| p["amount"] = json!("100000000000000000000")),
            "E_INVALID_AMOUNT",
        ),
        (
            "a bad amount and an unknown member: E_MALFORMED comes before E_INVALID_AMOUNT",
            payload_edit(&|p| {
                p["amount"] = json!("1e3");
                p["fee"] = json!("1.00");
            }),
            "E_MALFORMED",
        ),
        (
            "a bad amount read before a member of the wrong type: E_MALFORMED still wins",
            payload_edit(&|p| {
                p["amount"] = json!("1e3");
                p["description"] = json!(7);
            }),
            "E_MALFORMED",
        ),
        (
            "a bad amount and max_hops of 9: step 1 (E_INVALID_AMOUNT) before step 4",
            payload_edit(&|p| {
                p["amount"] = json!("-5");
                p["constraints"]["max_hops"] = json!(9);
            }),
            "E_INVALID_AMOUNT",
        ),
        (
            "a payment to oneself of zero: the first rule in §6 order (payee) decides",
            payload_edit(&|p| {
                p["payee"] = json!(pay_key.pid().as_str());
                p["amount"] = json!("0");
            }),
            "E_SELF_PAYMENT",
        ),
        (
            "max_hops of 300 (beyond every integer range of the member) is a range fault",
            payload_edit(&|p| p["constraints"]["max_hops"] = json!(300)),
            "E_VALIDATION",
        ),
        (
            "a payment to oneself with max_hops of 300: the first rule in §6 order (payee) decides",
            payload_edit(&|p| {
                p["payee"] = json!(pay_key.pid().as_str());
                p["constraints"]["max_hops"] = json!(300);
            }),
            "E_SELF_PAYMENT",
        ),
        (
            "a negative max_hops is not of the member's form",
            payload_edit(&|p| p["constraints"]["max_hops"] = json!(-1)),
            "E_MALFORMED",
        ),
        (
            "max_hops given as a string",
            payload_edit(&|p| p["constraints"]["max_hops"] = json!("4")),
            "E_MALFORMED",
        ),
        (
            "an avoid list of 65 distinct PIDs",
            payload_edit(&|p| p["constraints"]["avoid"] = json!(many_pids(65))),
            "E_VALIDATION",
        ),
        (
            "an avoid list of 64 distinct PIDs",
            payload_edit(&|p| p["constraints"]["avoid"] = json!(many_pids(64))),
            "ok",
        ),
        (
            "an avoid list naming one PID twice",
            payload_edit(&|p| {
                p["constraints"]["avoid"] = json!([c.mallory.pid().as_str(), c.mallory.pid().as_str()])
            }),
            "E_VALIDATION",
        ),
        (
            "a description with NUL",
            payload_edit(&|p| p["description"] = json!("a\u{0}b")),
            "E_VALIDATION",
        ),
        (
            "a description with ESC (a terminal escape)",
            payload_edit(&|p| p["description"] = json!("\u{1b}[31mred")),
            "E_VALIDATION",
        ),
        (
            "a description with DEL",
            payload_edit(&|p| p["description"] = json!("a\u{7f}")),
            "E_VALIDATION",
        ),
        (
            "a description with a tab",
            payload_edit(&|p| p["description"] = json!("a\tb")),
            "E_VALIDATION",
        ),
        (
            "a description of 500 characters with line feeds and U+2028",
            payload_edit(&|p| p["description"] = json!(format!("{}\n\u{2028}", "ї".repeat(498)))),
            "ok",
        ),
        (
            "a description of 501 characters",
            payload_edit(&|p| p["description"] = json!("x".repeat(501))),
            "E_VALIDATION",
        ),
        (
            "created_at with second 60 (no leap seconds)",
            resign(pay_key, pay.value.clone(), |o| {
                o.insert("created_at".into(), json!("2026-11-24T10:00:60Z"));
            }),
            "E_MALFORMED",
        ),
        (
            "created_at on 31 November",
            resign(pay_key, pay.value.clone(), |o| {
                o.insert("created_at".into(), json!("2026-11-31T10:00:00Z"));
            }),
            "E_MALFORMED",
        ),
        (
            "an amount written -0",
            payload_edit(&|p| p["amount"] = json!("-0")),
            "E_INVALID_AMOUNT",
        ),
        (
            "a valid re-signed request with a fresh nonce",
            resign(pay_key, pay.value.clone(), |o| {
                o.insert("nonce".into(), json!("vector-nonce-fresh-000001"));
            }),
            "ok",
        ),
    ];
    for (name, text, expect) in steps {
        scenarios.push(scenario(
            name,
            MessageType::PaymentRequest,
            pay_key,
            Some(&c.hub),
            vec![(text, expect)],
        ));
    }
    scenarios.push(scenario(
        "a payment request presented where a trust line set is expected",
        MessageType::TrustLineSet,
        pay_key,
        Some(&c.hub),
        vec![(pay.json.clone(), "E_WRONG_MESSAGE_TYPE")],
    ));
    let register = find(MessageType::ParticipantRegister);
    scenarios.push(scenario(
        "registration whose signer is not the PID of its public key",
        MessageType::ParticipantRegister,
        &c.mallory,
        Some(&c.hub),
        vec![(
            resign(&c.mallory, register.value.clone(), |o| {
                o.insert("signer".into(), json!(c.mallory.pid().as_str()));
            }),
            "E_VALIDATION",
        )],
    ));
    let trust = find(MessageType::TrustLineSet);
    scenarios.push(scenario(
        "trust line to oneself",
        MessageType::TrustLineSet,
        &trust.signer,
        Some(&c.hub),
        vec![(
            resign(&trust.signer, trust.value.clone(), |o| {
                o.get_mut("payload").unwrap()["debtor"] = json!(trust.signer.pid().as_str());
            }),
            "E_SELF_TRUST",
        )],
    ));

    // One scenario per rule of §5.4 and §6 that implementations have answered differently.
    let b64 = |b: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    };
    let mut small_order = [0u8; 32];
    small_order[0] = 1;
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xed;
    non_canonical[31] = 0x7f;
    non_canonical[0] = 0xf0; // y = p + 3: a large-order point, encoded non-canonically
    let reg_key = &register.signer;
    let reg_edit = |edit: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        resign(reg_key, register.value.clone(), |o| edit(o))
    };
    let reg_payload =
        |edit: &dyn Fn(&mut Value)| reg_edit(&|o| edit(o.get_mut("payload").unwrap()));
    let register_cases: Vec<(&str, String, &str)> = vec![
        (
            "public_key of small order (the identity point)",
            reg_payload(&|p| p["public_key"] = json!(b64(&small_order))),
            "E_MALFORMED",
        ),
        (
            "public_key not canonically encoded (y = p + 3)",
            reg_payload(&|p| p["public_key"] = json!(b64(&non_canonical))),
            "E_MALFORMED",
        ),
        (
            "public_key of mixed order (a torsion component)",
            reg_payload(&|p| p["public_key"] = json!(b64(&mixed_order_key(reg_key)))),
            "E_MALFORMED",
        ),
        (
            "kind outside its list",
            reg_payload(&|p| p["kind"] = json!("robot")),
            "E_VALIDATION",
        ),
        (
            "kind outside its list under protocol geo/2: step 2 comes before step 4",
            reg_edit(&|o| {
                o.insert("protocol".into(), json!("geo/2"));
                o.get_mut("payload").unwrap()["kind"] = json!("robot");
            }),
            "E_UNSUPPORTED_PROTOCOL",
        ),
        (
            "kind given as a number",
            reg_payload(&|p| p["kind"] = json!(1)),
            "E_MALFORMED",
        ),
        (
            "display_name of 101 characters",
            reg_payload(&|p| p["display_name"] = json!("A".repeat(101))),
            "E_VALIDATION",
        ),
        (
            "display_name of 100 non-ASCII characters",
            reg_payload(&|p| p["display_name"] = json!("Ї".repeat(100))),
            "ok",
        ),
        (
            "display_name with a line feed",
            reg_payload(&|p| p["display_name"] = json!("Alice\nBob")),
            "E_VALIDATION",
        ),
        (
            "display_name with a leading space",
            reg_payload(&|p| p["display_name"] = json!(" Alice")),
            "E_VALIDATION",
        ),
        (
            "display_name ending in a no-break space (Unicode white space)",
            reg_payload(&|p| p["display_name"] = json!("Alice\u{a0}")),
            "E_VALIDATION",
        ),
        (
            "display_name empty",
            reg_payload(&|p| p["display_name"] = json!("")),
            "E_VALIDATION",
        ),
        (
            "profile value with a line feed",
            reg_payload(&|p| p["profile"] = json!({"bio": "line one\nline two"})),
            "ok",
        ),
        (
            "profile value with ESC",
            reg_payload(&|p| p["profile"] = json!({"bio": "\u{1b}[2J"})),
            "E_VALIDATION",
        ),
        (
            "profile key outside its pattern",
            reg_payload(&|p| p["profile"] = json!({"City": "Kyiv"})),
            "E_VALIDATION",
        ),
        (
            "profile with 17 members",
            reg_payload(&|p| {
                p["profile"] =
                    Value::Object((0..17).map(|i| (format!("k{i}"), json!("v"))).collect())
            }),
            "E_VALIDATION",
        ),
    ];
    for (name, text, expect) in register_cases {
        scenarios.push(scenario(
            name,
            MessageType::ParticipantRegister,
            reg_key,
            Some(&c.hub),
            vec![(text, expect)],
        ));
    }
    let login = find(MessageType::Login);
    scenarios.push(scenario(
        "login challenge of 42 characters (outside its pattern)",
        MessageType::Login,
        &login.signer,
        Some(&c.hub),
        vec![(
            resign(&login.signer, login.value.clone(), |o| {
                o.get_mut("payload").unwrap()["challenge"] = json!("A".repeat(42));
            }),
            "E_VALIDATION",
        )],
    ));
    let consent = find(MessageType::ClearingConsent);
    scenarios.push(scenario(
        "clearing consent decision outside its list",
        MessageType::ClearingConsent,
        &consent.signer,
        Some(&c.hub),
        vec![(
            resign(&consent.signer, consent.value.clone(), |o| {
                o.get_mut("payload").unwrap()["decision"] = json!("maybe");
            }),
            "E_VALIDATION",
        )],
    ));
    let trust_edit = |edit: &dyn Fn(&mut Value)| {
        resign(&trust.signer, trust.value.clone(), |o| {
            edit(o.get_mut("payload").unwrap())
        })
    };
    for (name, text, expect) in [
        (
            "trust line policy given as an empty object (every default)",
            trust_edit(&|p| p["policy"] = json!({})),
            "ok",
        ),
        (
            "trust line policy blocking one PID twice",
            trust_edit(&|p| {
                p["policy"]["blocked_participants"] =
                    json!([c.mallory.pid().as_str(), c.mallory.pid().as_str()])
            }),
            "E_VALIDATION",
        ),
        (
            "trust line policy blocking 65 PIDs",
            trust_edit(&|p| p["policy"]["blocked_participants"] = json!(many_pids(65))),
            "E_VALIDATION",
        ),
        (
            "trust line policy with an unknown member",
            trust_edit(&|p| p["policy"]["max_debt"] = json!("1")),
            "E_MALFORMED",
        ),
        (
            "trust line limit of zero",
            trust_edit(&|p| p["limit"] = json!("0")),
            "ok",
        ),
    ] {
        scenarios.push(scenario(
            name,
            MessageType::TrustLineSet,
            &trust.signer,
            Some(&c.hub),
            vec![(text, expect)],
        ));
    }
    let proposal = find(MessageType::ClearingProposal);
    let proposal_edit = |edit: &dyn Fn(&mut Value)| {
        resign(&proposal.signer, proposal.value.clone(), |o| {
            edit(o.get_mut("payload").unwrap())
        })
    };
    for (name, text, expect) in [
        (
            "clearing proposal with a single edge",
            proposal_edit(&|p| {
                let first = p["edges"][0].clone();
                p["edges"] = json!([first]);
            }),
            "E_VALIDATION",
        ),
        (
            "clearing proposal requiring one participant's consent twice",
            proposal_edit(&|p| {
                p["consent_required_from"] = json!([c.bob.pid().as_str(), c.bob.pid().as_str()])
            }),
            "E_VALIDATION",
        ),
        (
            "clearing proposal with an edge from a participant to itself",
            proposal_edit(&|p| p["edges"][0]["creditor"] = p["edges"][0]["debtor"].clone()),
            "E_VALIDATION",
        ),
    ] {
        scenarios.push(scenario(
            name,
            MessageType::ClearingProposal,
            &proposal.signer,
            None,
            vec![(text, expect)],
        ));
    }
    let receipt = find(MessageType::PaymentReceipt);
    scenarios.push(scenario(
        "a receipt with a status outside its list and a zero amount: the list comes first at step 4",
        MessageType::PaymentReceipt,
        &receipt.signer,
        None,
        vec![(
            resign(&receipt.signer, receipt.value.clone(), |o| {
                let p = o.get_mut("payload").unwrap();
                p["status"] = json!("pending");
                p["amount"] = json!("0.00");
            }),
            "E_VALIDATION",
        )],
    ));
    scenarios.push(scenario_at(
        "a signer the verifier knows no key for (step 5)",
        NOW,
        MessageType::PaymentRequest,
        None,
        Some(&c.hub),
        vec![(pay.json.clone(), "E_UNKNOWN_PARTICIPANT")],
    ));
    scenarios.push(scenario_at(
        "an unknown signer addressed to another hub: step 5 comes before step 6",
        NOW,
        MessageType::PaymentRequest,
        None,
        Some(&c.hub),
        vec![(
            resign(pay_key, pay.value.clone(), |o| {
                o.insert("audience".into(), json!(c.mallory.pid().as_str()));
            }),
            "E_UNKNOWN_PARTICIPANT",
        )],
    ));

    json!({
        "description": "Verification scenarios. For each scenario a verifier with clock `now`, required `audience` (null: any), the signer's `public_key`, and the given skew and window limits checks the steps in order, remembering nonces across steps; `expect` is \"ok\" or the stable error code. Order of checks: strict JSON decoding (E_MALFORMED), protocol (E_UNSUPPORTED_PROTOCOL), type (E_WRONG_MESSAGE_TYPE), payload rules (E_VALIDATION, E_INVALID_AMOUNT, E_SELF_*), signature (E_INVALID_SIGNATURE; E_UNKNOWN_PARTICIPANT when the verifier has no key for the signer: `public_key` is null), audience (E_WRONG_AUDIENCE), window (E_VALIDITY_TOO_LONG), skew (E_NOT_YET_VALID), expiry (E_EXPIRED), replay (E_REPLAYED). Hub-signed records (payment_receipt, clearing_receipt, clearing_proposal) are checked at steps 1-5 only.",
        "scenarios": scenarios,
    })
}

/// Reads `link` as a payer would and returns the outcome's code (`ok` or `E_…`).
fn read_outcome(link: &str, expected_hub: Option<&Pid>, now: &str) -> String {
    match SignedInvoice::read(link, expected_hub, ts(now)) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code().as_str().to_owned(),
    }
}

fn link_of(json_text: &str) -> String {
    use base64::Engine as _;
    format!(
        "{INVOICE_LINK_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json_text)
    )
}

/// Invoices (§6.4): one signed by the payee and read back from its link, then every refusal.
fn invoices() -> Value {
    let c = cast();
    let hub = c.hub.pid();
    const MADE: &str = "2026-11-24T10:00:00Z";
    const EXPIRES: &str = "2026-12-01T10:00:00Z";
    let order = InvoiceOrder {
        hub: hub.clone(),
        equivalent: "UAH".parse().unwrap(),
        amount: "120.50".parse().unwrap(),
        description: Some("Мед, 2 банки".into()),
        expires_at: ts(EXPIRES),
    };
    let invoice_id = Nonce::parse("invoice-vector-0000000001").unwrap();
    let signed = order.sign(&c.bob, invoice_id, ts(MADE)).unwrap();
    let json_text = signed.message().to_json();
    let value = signed.message().to_value();
    let link = signed.to_link();
    assert_eq!(link, link_of(&json_text));

    let mut cases = Vec::new();
    let mut case = |name: &str, link: &str, expected: Option<&Pid>, now: &str, expect: &str| {
        let actual = read_outcome(link, expected, now);
        assert_eq!(actual, expect, "invoice case {name}");
        cases.push(json!({
            "name": name,
            "link": link,
            "expected_hub": expected.map(|p| p.as_str().to_owned()),
            "now": now,
            "expect": expect,
        }));
    };
    let bob = &c.bob;
    let resigned = |signer: &Identity, edit: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        link_of(&resign(signer, value.clone(), edit))
    };
    let mallory = c.mallory.pid();

    case("read at its hub", &link, Some(&hub), NOW, "ok");
    case("read with no hub expected", &link, None, NOW, "ok");
    case(
        "the scheme is case-insensitive",
        &link.replacen("geo:", "GEO:", 1),
        Some(&hub),
        NOW,
        "ok",
    );
    case("read at the instant it expires", &link, None, EXPIRES, "ok");
    case(
        "one second after it expires",
        &link,
        None,
        "2026-12-01T10:00:01Z",
        "E_EXPIRED",
    );
    case(
        "created 60 s after the reader's clock (the skew allowed)",
        &link,
        None,
        "2026-11-24T09:59:00Z",
        "ok",
    );
    case(
        "created 61 s after the reader's clock",
        &link,
        None,
        "2026-11-24T09:58:59Z",
        "E_NOT_YET_VALID",
    );
    case(
        "payable at another hub than the reader's",
        &link,
        Some(&mallory),
        NOW,
        "E_WRONG_AUDIENCE",
    );
    case(
        "another hub, read after expiry: the hub is checked first",
        &link,
        Some(&mallory),
        "2027-01-01T00:00:00Z",
        "E_WRONG_AUDIENCE",
    );
    let no_hub = resigned(bob, &|o| {
        o.remove("audience");
    });
    case("names no hub", &no_hub, None, NOW, "E_WRONG_AUDIENCE");
    case(
        "names no hub, reader expects one",
        &no_hub,
        Some(&hub),
        NOW,
        "E_WRONG_AUDIENCE",
    );
    let tampered = json_text.replace("\"120.50\"", "\"12.50\"");
    assert_ne!(tampered, json_text);
    case(
        "amount changed after signing",
        &link_of(&tampered),
        None,
        NOW,
        "E_INVALID_SIGNATURE",
    );
    let mut forged = value.clone();
    forged["signature"] = json!(c
        .mallory
        .sign_raw(signed.message().signed_bytes())
        .to_base64());
    case(
        "signed by another key than the payee's",
        &link_of(&text_of(&forged)),
        None,
        NOW,
        "E_INVALID_SIGNATURE",
    );
    case(
        "the key is not the signer's",
        &resigned(&c.mallory, &|o| {
            o["payload"]["public_key"] = json!(c.mallory.public_key().to_base64());
        }),
        None,
        NOW,
        "E_VALIDATION",
    );
    case(
        "valid for exactly 30 days",
        &resigned(bob, &|o| {
            o.insert("expires_at".into(), json!("2026-12-24T10:00:00Z"));
        }),
        None,
        NOW,
        "ok",
    );
    case(
        "valid for 30 days and 1 s",
        &resigned(bob, &|o| {
            o.insert("expires_at".into(), json!("2026-12-24T10:00:01Z"));
        }),
        None,
        NOW,
        "E_VALIDITY_TOO_LONG",
    );
    case(
        "expires when it is made",
        &resigned(bob, &|o| {
            o.insert("expires_at".into(), json!(MADE));
        }),
        None,
        MADE,
        "E_VALIDITY_TOO_LONG",
    );
    case(
        "amount zero",
        &resigned(bob, &|o| {
            o["payload"]["amount"] = json!("0");
        }),
        None,
        NOW,
        "E_INVALID_AMOUNT",
    );
    case(
        "amount as a JSON number",
        &resigned(bob, &|o| {
            o["payload"]["amount"] = json!(120);
        }),
        None,
        NOW,
        "E_MALFORMED",
    );
    case(
        "a control character in the description",
        &resigned(bob, &|o| {
            o["payload"]["description"] = json!("Мед\u{7}");
        }),
        None,
        NOW,
        "E_VALIDATION",
    );
    case(
        "an unknown payload member",
        &resigned(bob, &|o| {
            o["payload"]["payee"] = json!(bob.pid().as_str());
        }),
        None,
        NOW,
        "E_MALFORMED",
    );
    case(
        "another message type in the link",
        &resigned(bob, &|o| {
            o.insert("type".into(), json!("payment_commit"));
            o.insert(
                "payload".into(),
                json!({"tx_id": "00000000-0000-4000-8000-000000000001"}),
            );
        }),
        None,
        NOW,
        "E_WRONG_MESSAGE_TYPE",
    );
    for (name, bad) in [
        (
            "a location (RFC 5870), not an invoice",
            "geo:50.4501,30.5234".to_owned(),
        ),
        ("another scheme", "https://example.org/invoice".to_owned()),
        ("no m parameter", "geo:invoice?x=1".to_owned()),
        ("padded base64", format!("{link}=")),
        (
            "standard base64 alphabet",
            format!("geo:invoice?m={}", "A+/A"),
        ),
        ("an extra parameter", format!("{link}&n=1")),
        (
            "base64url of bytes that are not UTF-8",
            link_of_bytes(&[0xff, 0xfe]),
        ),
        ("base64url of text that is not JSON", link_of("not json")),
    ] {
        case(name, &bad, None, NOW, "E_MALFORMED");
    }

    let mut unsigned = value.clone();
    unsigned.as_object_mut().unwrap().remove("signature");
    json!({
        "description": "Invoices (protocol §6.4). `signed` is one invoice signed by the payee with Ed25519 (deterministic: an implementation must produce the same `signed_json` and `link` from `unsigned` and `signer_seed_hex`; link = link_prefix + base64url without padding of the UTF-8 `signed_json`). Each case reads `link` as a payer's wallet does at clock `now`, requiring the hub `expected_hub` (null: any hub, but one must be named), and expects \"ok\" or the stable code. Order: the link (E_MALFORMED), §5.4 steps 1-4 (E_MALFORMED, E_UNSUPPORTED_PROTOCOL, E_WRONG_MESSAGE_TYPE, E_VALIDATION, E_INVALID_AMOUNT), signature under the invoice's own public_key (E_INVALID_SIGNATURE), hub named and expected (E_WRONG_AUDIENCE), window of 1 s to max_validity_seconds (E_VALIDITY_TOO_LONG), skew (E_NOT_YET_VALID), expiry (E_EXPIRED); nothing is remembered between reads.",
        "link_prefix": INVOICE_LINK_PREFIX,
        "max_validity_seconds": MAX_INVOICE_VALIDITY_SECONDS,
        "max_clock_skew_seconds": INVOICE_CLOCK_SKEW_SECONDS,
        "signed": {
            "signer_seed_hex": hex(&*c.bob.seed()),
            "unsigned": unsigned,
            "signed_json": json_text,
            "link": link,
            "invoice": {
                "invoice_id": signed.invoice_id().as_str(),
                "payee": signed.payee().as_str(),
                "hub": signed.hub().as_str(),
                "equivalent": signed.terms().equivalent.as_str(),
                "amount": signed.terms().amount.as_str(),
                "description": signed.terms().description,
                "created_at": MADE,
                "expires_at": EXPIRES,
            },
        },
        "cases": cases,
    })
}

fn link_of_bytes(bytes: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "{INVOICE_LINK_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The nonce of a hub-signed record, computed here from its definition (spec §6.2.1) so the
/// generator checks `geo_protocol::record_nonce` against the text rather than against itself.
fn record_nonce_by_definition(record: &str, id: &TxId) -> (String, String) {
    use base64::Engine as _;
    let input = format!("geo/1 record nonce\n{record}\n{id}");
    let digest = Sha256::digest(input.as_bytes());
    let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
    (input, nonce)
}

/// A record signed the way a hub signs it: the derived nonce, valid from `created` for `ttl`.
fn record_case<P: Message>(
    hub: &Identity,
    id: &TxId,
    created: &str,
    ttl: i64,
    payload: P,
) -> Value {
    let (input, nonce) = record_nonce_by_definition(P::TYPE.as_str(), id);
    let derived = record_nonce(P::TYPE, id);
    assert_eq!(
        derived.as_str(),
        nonce,
        "geo-protocol derives the nonce of §6.2.1"
    );
    let signed = Envelope::new(hub.pid(), None, derived, ts(created), ttl, payload)
        .sign(hub)
        .unwrap();
    let again = Envelope::new(
        hub.pid(),
        None,
        record_nonce(P::TYPE, id),
        ts(created),
        ttl,
        signed.payload().clone(),
    )
    .sign(hub)
    .unwrap();
    assert_eq!(
        again.to_json(),
        signed.to_json(),
        "signing a record twice gives the same bytes"
    );
    json!({
        "type": P::TYPE.as_str(),
        "id": id.to_string(),
        "nonce_input": input,
        "nonce": nonce,
        "signed_json": signed.to_json(),
        "digest": signed.digest().to_string(),
    })
}

fn records() -> Value {
    let c = cast();
    let uah: EquivalentCode = "UAH".parse().unwrap();
    let amount = |t: &str| DecimalAmount::parse(t).unwrap();
    let tx = |n: u32| TxId::parse(&format!("00000000-0000-4000-8000-{n:012}")).unwrap();
    let edges = vec![
        DebtEdge {
            debtor: c.alice.pid(),
            creditor: c.bob.pid(),
            amount: amount("10.00"),
        },
        DebtEdge {
            debtor: c.bob.pid(),
            creditor: c.alice.pid(),
            amount: amount("10.00"),
        },
    ];
    let cases = vec![
        record_case(
            &c.hub,
            &tx(11),
            "2026-11-24T10:00:01Z",
            600,
            PaymentReceipt {
                tx_id: tx(11),
                payer: c.alice.pid(),
                payee: c.bob.pid(),
                equivalent: uah.clone(),
                amount: amount("12.34"),
                status: PaymentStatus::Committed,
                request_digest: Digest::of(b"the payer's signed request"),
                routes: vec![RoutePath {
                    path: vec![c.alice.pid(), c.bob.pid()],
                    amount: amount("12.34"),
                }],
                error_code: None,
                decided_at: ts("2026-11-24T10:00:01Z"),
                journal_seq: Some(7),
            },
        ),
        record_case(
            &c.hub,
            &tx(12),
            "2026-11-24T10:00:02Z",
            600,
            ClearingReceipt {
                clearing_id: tx(12),
                equivalent: uah.clone(),
                edges: edges.clone(),
                total: amount("20.00"),
                committed_at: ts("2026-11-24T10:00:02Z"),
                journal_seq: 8,
            },
        ),
        record_case(
            &c.hub,
            &tx(13),
            "2026-11-24T10:00:03Z",
            3600,
            ClearingProposal {
                clearing_id: tx(13),
                equivalent: uah,
                edges,
                consent_required_from: vec![c.bob.pid()],
            },
        ),
    ];
    json!({
        "description": "Hub-signed records (spec §6.2.1). A hub signs each payment_receipt, clearing_receipt and clearing_proposal with the nonce derived from the record's type and id: nonce = base64url without padding of the first 16 bytes of SHA-256(nonce_input), nonce_input = \"geo/1 record nonce\" LF type LF id. The signer is the hub (`hub_seed_hex`), there is no audience, created_at is decided_at / committed_at / the proposal's creation, expires_at is 600 s later for receipts and the proposal's expiry for a proposal. Signing is deterministic, so `signed_json` is exact; `digest` is sha256 of the signed bytes (§5.3), and for a proposal it is the proposal_digest a clearing_consent names.",
        "hub_seed_hex": hex(&*c.hub.seed()),
        "hub_public_key": c.hub.public_key().to_base64(),
        "cases": cases,
    })
}
