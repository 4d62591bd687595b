//! `vectors/federation.json` (`federation.md` §11): hub-to-hub messages, conditions, the expiry rule,
//! `geo:` addresses, and verification scenarios of hub-to-hub messages.

use geo_protocol::federation::{commit_deadline, Preimage};
use geo_protocol::geo_uri::ParticipantAddress;
use geo_protocol::*;
use serde_json::{json, Value};

use super::{cast, hex, resign, scenario_at, seed, sign_case, text_of, ts, Signed, CREATED, NOW};

/// The payer's hub is the cast's `hub` (A); the payee's hub is B.
struct Hubs {
    a: Identity,
    b: Identity,
    alice: Identity,
    bob: Identity,
}

fn hubs() -> Hubs {
    let c = cast();
    Hubs {
        a: c.hub,
        b: Identity::from_seed(&seed("hub b")),
        alice: c.alice,
        bob: c.bob,
    }
}

const SECRET: [u8; 32] = [0x42; 32];

fn tx(n: u32) -> TxId {
    TxId::parse(&format!("00000000-0000-4000-8000-{n:012}")).unwrap()
}

pub fn federation() -> Value {
    let (messages, signed) = messages();
    json!({
        "description": "Hub-to-hub payments (federation.md). `messages`: one signed message per hub-to-hub type, built as in messages.json (signing_input, signature, digest, payload_digest); each verifies at `now` for the verifier whose PID is its `audience`. `conditions`: condition = SHA-256(preimage), both 64 lowercase hex; `fulfilments` check a preimage text against a condition (ok, E_CONDITION_MISMATCH, or E_MALFORMED for text that is not 64 lowercase hex); `derivation` is the reference hub's way to make a preimage (informative: any unpredictable, deterministic derivation conforms). `expiry`: the downstream hub's commit deadline = hold_until - margin, refused with E_EXPIRY_TOO_SHORT when not after now and E_VALIDATION when hold_until is more than 120 s after now. `uris`: geo:participant addresses -> hub URL, PID and canonical text, or the refusal's kind (all E_MALFORMED). `verification`: scenarios as in verification.json.",
        "messages": messages,
        "conditions": conditions(),
        "expiry": expiry(),
        "uris": uris(),
        "verification": verification(&signed),
    })
}

fn prepare(h: &Hubs) -> HubPrepare {
    HubPrepare {
        tx_id: tx(21),
        payer: h.alice.pid(),
        payee: h.bob.pid(),
        equivalent: "UAH".parse().unwrap(),
        amount: DecimalAmount::parse("25.00").unwrap(),
        condition: Preimage::derive(&SECRET, &h.a.pid(), &tx(21)).condition(),
        hold_until: ts(CREATED).plus_seconds(30),
        request_digest: Digest::of(b"alice's signed payment_request"),
        description: Some("Мед".into()),
    }
}

/// B's receipt of its part: from A's account through B's own account to the payee.
fn receipt(h: &Hubs, request_digest: Digest) -> SignedMessage<PaymentReceipt> {
    let amount = DecimalAmount::parse("25.00").unwrap();
    let payload = PaymentReceipt {
        tx_id: tx(21),
        payer: h.a.pid(),
        payee: h.bob.pid(),
        equivalent: "UAH".parse().unwrap(),
        amount: amount.clone(),
        status: PaymentStatus::Committed,
        request_digest,
        routes: vec![RoutePath {
            path: vec![h.a.pid(), h.b.pid(), h.bob.pid()],
            amount,
        }],
        error_code: None,
        decided_at: ts(CREATED),
        journal_seq: Some(3),
    };
    let nonce = record_nonce(MessageType::PaymentReceipt, &tx(21));
    Envelope::new(h.b.pid(), None, nonce, ts(CREATED), 600, payload)
        .sign(&h.b)
        .unwrap()
}

fn messages() -> (Value, Vec<Signed>) {
    let h = hubs();
    let mut cases = Vec::new();
    let mut signed = Vec::new();
    let (s, cs) = (&mut signed, &mut cases);
    let prepared = sign_case(&h.a, Some(&h.b), 101, prepare(&h), cs, s);
    sign_case(
        &h.b,
        Some(&h.a),
        102,
        HubFulfil {
            tx_id: tx(21),
            preimage: Preimage::derive(&SECRET, &h.a.pid(), &tx(21)),
            receipt: receipt(&h, prepared.digest()).to_json(),
        },
        cs,
        s,
    );
    sign_case(
        &h.b,
        Some(&h.a),
        103,
        HubReject {
            tx_id: tx(22),
            stage: HubRejectStage::Prepare,
            code: ErrorCode::ExpiryTooShort,
            reason: Some("hold_until leaves less than the 10 s margin".into()),
        },
        cs,
        s,
    );
    sign_case(
        &h.a,
        Some(&h.b),
        104,
        HubReject {
            tx_id: tx(21),
            stage: HubRejectStage::Fulfil,
            code: ErrorCode::FulfilmentLate,
            reason: None,
        },
        cs,
        s,
    );
    let types: std::collections::BTreeSet<_> = signed.iter().map(|s| s.message_type).collect();
    assert_eq!(types.len(), 3, "one vector per hub-to-hub type");
    let value = json!({
        "now": NOW,
        "hub_a_seed_hex": hex(&*h.a.seed()),
        "hub_b_seed_hex": hex(&*h.b.seed()),
        "cases": cases,
    });
    (value, signed)
}

fn conditions() -> Value {
    let h = hubs();
    let zero = Preimage::from_bytes([0; 32]);
    let derived = Preimage::derive(&SECRET, &h.a.pid(), &tx(21));
    let condition = derived.condition();
    let fulfilment = |name: &str, preimage: &str, expect: &str| {
        let actual = match Preimage::parse(preimage) {
            Err(_) => "E_MALFORMED".to_owned(),
            Ok(p) => match p.fulfils(&condition) {
                Ok(()) => "ok".to_owned(),
                Err(e) => e.code().as_str().to_owned(),
            },
        };
        assert_eq!(actual, expect, "fulfilment {name}");
        json!({"name": name, "condition": condition.to_string(), "preimage": preimage, "expect": expect})
    };
    let upper = derived.to_string().to_uppercase();
    json!({
        "pairs": [
            {"preimage": zero.to_string(), "condition": zero.condition().to_string()},
            {"preimage": derived.to_string(), "condition": condition.to_string()},
        ],
        "fulfilments": [
            fulfilment("the preimage of the condition", &derived.to_string(), "ok"),
            fulfilment("another preimage (a lying hub)", &zero.to_string(), "E_CONDITION_MISMATCH"),
            fulfilment("the condition itself as preimage", &condition.to_string(), "E_CONDITION_MISMATCH"),
            fulfilment("uppercase hex", &upper, "E_MALFORMED"),
            fulfilment("31 bytes", &derived.to_string()[..62], "E_MALFORMED"),
        ],
        "derivation": {
            "secret_hex": hex(&SECRET),
            "payer_hub": h.a.pid().as_str(),
            "tx_id": tx(21).to_string(),
            "input": format!("geo/1 fulfilment\n{}\n{}\n{}", hex(&SECRET), h.a.pid(), tx(21)),
            "preimage": derived.to_string(),
        },
    })
}

fn expiry() -> Value {
    let now = "2026-11-24T10:00:00Z";
    let case = |hold_until: &str, margin: i64, expect: &str| {
        let actual = match commit_deadline(ts(hold_until), ts(now), margin) {
            Ok(d) => d.to_string(),
            Err(e) => e.code().as_str().to_owned(),
        };
        assert_eq!(actual, expect, "expiry {hold_until} margin {margin}");
        json!({"now": now, "hold_until": hold_until, "margin_seconds": margin, "expect": expect})
    };
    json!([
        case("2026-11-24T10:00:30Z", 10, "2026-11-24T10:00:20Z"),
        case("2026-11-24T10:00:11Z", 10, "2026-11-24T10:00:01Z"),
        case("2026-11-24T10:00:10Z", 10, "E_EXPIRY_TOO_SHORT"),
        case("2026-11-24T10:00:03Z", 2, "2026-11-24T10:00:01Z"),
        case("2026-11-24T09:59:59Z", 2, "E_EXPIRY_TOO_SHORT"),
        case("2026-11-24T10:02:00Z", 10, "2026-11-24T10:01:50Z"),
        case("2026-11-24T10:02:01Z", 10, "E_VALIDATION"),
    ])
}

fn uris() -> Value {
    let pid = hubs().bob.pid();
    let ok = |text: String, hub: &str| {
        let a = ParticipantAddress::parse(&text).unwrap();
        assert_eq!(a.hub.as_str(), hub);
        assert_eq!(a.pid, pid);
        json!({"text": text, "hub": hub, "pid": pid.as_str(), "canonical": a.to_string()})
    };
    let bad = |text: String, kind: &str| {
        let err = ParticipantAddress::parse(&text).unwrap_err();
        assert_eq!(err.kind(), kind, "{text}");
        json!({"text": text, "error": kind})
    };
    json!([
        ok(
            format!("geo:participant?hub=https%3A%2F%2Fhub.example.org&pid={pid}"),
            "https://hub.example.org"
        ),
        ok(
            format!("geo:participant?hub=https://hub.example.org&pid={pid}"),
            "https://hub.example.org"
        ),
        ok(
            format!("GEO:participant?pid={pid}&hub=http%3a%2f%2f127.0.0.1%3a8080%2fgeo"),
            "http://127.0.0.1:8080/geo"
        ),
        bad(
            format!("web+geo:participant?hub=https://a.org&pid={pid}"),
            "scheme"
        ),
        bad(format!("geo:invoice?hub=https://a.org&pid={pid}"), "path"),
        bad("geo:50.4501,30.5234".into(), "path"),
        bad("geo:participant?hub=https://a.org".into(), "parameter"),
        bad(
            format!("geo:participant?hub=https://a.org&pid={pid}&pid={pid}"),
            "parameter"
        ),
        bad(
            format!("geo:participant?hub=https://a.org&pid={pid}&amount=1"),
            "parameter"
        ),
        bad(
            format!("geo:participant?hub=https://a.org&pid={pid}#x"),
            "parameter"
        ),
        bad(
            format!("geo:participant?hub=https://a.org?x&pid={pid}"),
            "encoding"
        ),
        bad(
            format!("geo:participant?hub=https%3A%2F%2Fa.org%2&pid={pid}"),
            "encoding"
        ),
        bad(
            format!("geo:participant?hub=https://%C3%28.org&pid={pid}"),
            "encoding"
        ),
        bad(
            format!("geo:participant?hub=ftp://a.org&pid={pid}"),
            "hub_url"
        ),
        bad(
            format!("geo:participant?hub=https://Hub.org&pid={pid}"),
            "hub_url"
        ),
        bad(
            format!("geo:participant?hub=https://a.org/&pid={pid}"),
            "hub_url"
        ),
        bad(
            format!("geo:participant?hub=https://a.org:08080&pid={pid}"),
            "hub_url"
        ),
        bad(
            format!("geo:participant?hub=https://me%40a.org&pid={pid}"),
            "hub_url"
        ),
        bad(
            "geo:participant?hub=https://a.org&pid=not-a-pid".into(),
            "pid"
        ),
    ])
}

fn verification(signed: &[Signed]) -> Value {
    let h = hubs();
    let find = |t: MessageType| signed.iter().find(|s| s.message_type == t).unwrap();
    let audience_of = |s: &Signed| {
        if s.signer.pid() == h.a.pid() {
            h.b.clone()
        } else {
            h.a.clone()
        }
    };
    let mut scenarios = Vec::new();
    for s in signed {
        let aud = audience_of(s);
        scenarios.push(scenario_at(
            &format!(
                "valid {} from {}",
                s.message_type,
                if s.signer.pid() == h.a.pid() {
                    "hub A"
                } else {
                    "hub B"
                }
            ),
            NOW,
            s.message_type,
            Some(&s.signer),
            Some(&aud),
            vec![(s.json.clone(), "ok")],
        ));
    }
    let prep = find(MessageType::HubPrepare);
    let ful = find(MessageType::HubFulfil);
    let rej = find(MessageType::HubReject);
    let edit_prepare = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        resign(&h.a, prep.value.clone(), |o| f(o))
    };
    let edit_fulfil =
        |f: &dyn Fn(&mut serde_json::Map<String, Value>)| resign(&h.b, ful.value.clone(), |o| f(o));
    let one = |name: &str,
               s: &Signed,
               key: Option<&Identity>,
               aud: &Identity,
               text: String,
               expect: &str| {
        scenario_at(
            name,
            NOW,
            s.message_type,
            key,
            Some(aud),
            vec![(text, expect)],
        )
    };
    let other_receipt = {
        // The same receipt signed by hub A instead of B.
        let r: Value =
            serde_json::from_str(ful.value["payload"]["receipt"].as_str().unwrap()).unwrap();
        resign(&h.a, r, |o| {
            o.insert("signer".into(), json!(h.a.pid().as_str()));
        })
    };
    scenarios.extend([
        one(
            "hub_prepare to another hub",
            prep,
            Some(&h.a),
            &h.a,
            prep.json.clone(),
            "E_WRONG_AUDIENCE",
        ),
        one(
            "hub_prepare from a hub with no registered key",
            prep,
            None,
            &h.b,
            prep.json.clone(),
            "E_UNKNOWN_PARTICIPANT",
        ),
        one(
            "hub_prepare signed by the payee's hub key instead",
            prep,
            Some(&h.a),
            &h.b,
            {
                let mut v = prep.value.clone();
                let obj = v.as_object_mut().unwrap();
                obj.remove("signature");
                let bytes =
                    signing_bytes(MessageType::HubPrepare, &Value::Object(obj.clone())).unwrap();
                obj.insert("signature".into(), json!(h.b.sign_raw(&bytes).to_base64()));
                text_of(&v)
            },
            "E_INVALID_SIGNATURE",
        ),
        one(
            "hub_prepare to the payer itself",
            prep,
            Some(&h.a),
            &h.b,
            edit_prepare(&|o| {
                o.get_mut("payload").unwrap()["payee"] = json!(h.alice.pid().as_str());
            }),
            "E_SELF_PAYMENT",
        ),
        one(
            "hub_prepare of amount 0",
            prep,
            Some(&h.a),
            &h.b,
            edit_prepare(&|o| {
                o.get_mut("payload").unwrap()["amount"] = json!("0");
            }),
            "E_INVALID_AMOUNT",
        ),
        one(
            "hub_prepare with an uppercase condition",
            prep,
            Some(&h.a),
            &h.b,
            edit_prepare(&|o| {
                let c = o["payload"]["condition"].as_str().unwrap().to_uppercase();
                o.get_mut("payload").unwrap()["condition"] = json!(c);
            }),
            "E_MALFORMED",
        ),
        one(
            "hub_prepare without hold_until",
            prep,
            Some(&h.a),
            &h.b,
            edit_prepare(&|o| {
                o.get_mut("payload")
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("hold_until");
            }),
            "E_MALFORMED",
        ),
        one(
            "hub_prepare with a tab in its description",
            prep,
            Some(&h.a),
            &h.b,
            edit_prepare(&|o| {
                o.get_mut("payload").unwrap()["description"] = json!("a\tb");
            }),
            "E_VALIDATION",
        ),
        one(
            "hub_fulfil whose preimage is 31 bytes",
            ful,
            Some(&h.b),
            &h.a,
            edit_fulfil(&|o| {
                let p = o["payload"]["preimage"].as_str().unwrap()[..62].to_owned();
                o.get_mut("payload").unwrap()["preimage"] = json!(p);
            }),
            "E_MALFORMED",
        ),
        one(
            "hub_fulfil whose receipt is not JSON",
            ful,
            Some(&h.b),
            &h.a,
            edit_fulfil(&|o| {
                o.get_mut("payload").unwrap()["receipt"] = json!("{");
            }),
            "E_VALIDATION",
        ),
        one(
            "hub_fulfil whose receipt another hub signed",
            ful,
            Some(&h.b),
            &h.a,
            edit_fulfil(&|o| {
                o.get_mut("payload").unwrap()["receipt"] = json!(other_receipt.clone());
            }),
            "E_VALIDATION",
        ),
        one(
            "hub_fulfil whose receipt is of another payment",
            ful,
            Some(&h.b),
            &h.a,
            edit_fulfil(&|o| {
                o.get_mut("payload").unwrap()["tx_id"] = json!(tx(23).to_string());
            }),
            "E_VALIDATION",
        ),
        one(
            "hub_reject with a code outside the catalogue",
            rej,
            Some(&h.b),
            &h.a,
            resign(&h.b, rej.value.clone(), |o| {
                o.get_mut("payload").unwrap()["code"] = json!("E_NOPE");
            }),
            "E_VALIDATION",
        ),
        one(
            "hub_reject with a stage outside its list",
            rej,
            Some(&h.b),
            &h.a,
            resign(&h.b, rej.value.clone(), |o| {
                o.get_mut("payload").unwrap()["stage"] = json!("commit");
            }),
            "E_VALIDATION",
        ),
        one(
            "hub_reject with an empty reason",
            rej,
            Some(&h.b),
            &h.a,
            resign(&h.b, rej.value.clone(), |o| {
                o.get_mut("payload").unwrap()["reason"] = json!("");
            }),
            "E_VALIDATION",
        ),
    ]);
    // A fulfil checked where a prepare is expected.
    scenarios.push(scenario_at(
        "hub_fulfil where a hub_prepare is expected",
        NOW,
        MessageType::HubPrepare,
        Some(&h.b),
        Some(&h.a),
        vec![(ful.json.clone(), "E_WRONG_MESSAGE_TYPE")],
    ));
    scenarios.push(scenario_at(
        "hub_prepare after its expires_at",
        "2026-11-24T10:05:01Z",
        MessageType::HubPrepare,
        Some(&h.a),
        Some(&h.b),
        vec![(prep.json.clone(), "E_EXPIRED")],
    ));
    json!(scenarios)
}
