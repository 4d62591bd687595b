//! Judges an HTTP answer against a step's expected outcome.

use geo_protocol::{ClearingReceipt, ErrorCode, PaymentReceipt, PublicKey, SignedMessage};
use serde_json::Value;

use crate::scenario::Expect;

/// An HTTP answer: status and body (JSON, or the text as a JSON string).
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Body.
    pub body: Value,
}

impl Answer {
    /// The problem document's `code`, if the body is one.
    pub fn code(&self) -> Option<&str> {
        self.body.get("code").and_then(Value::as_str)
    }

    /// A short rendering for reports.
    pub fn describe(&self) -> String {
        let mut body = self.body.to_string();
        if body.len() > 600 {
            let mut cut = 600;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            body.truncate(cut);
            body.push('…');
        }
        format!("HTTP {} {body}", self.status)
    }
}

/// A rendering of what was expected, for reports.
pub fn describe(e: &Expect) -> String {
    serde_json::to_string(e).unwrap_or_default()
}

/// `Ok` when the answer is what `e` (already filled in) describes; otherwise why not.
pub fn check(e: &Expect, answer: &Answer, hub_key: &PublicKey) -> Result<(), String> {
    if !e.any_of.is_empty() {
        let mut why = Vec::new();
        for alt in &e.any_of {
            match check(alt, answer, hub_key) {
                Ok(()) => return Ok(()),
                Err(w) => why.push(w),
            }
        }
        return Err(format!("none of the allowed outcomes: {}", why.join(" | ")));
    }
    let status = match (e.status, e.code.as_deref().and_then(ErrorCode::parse)) {
        (Some(s), _) => Some(s),
        (None, Some(code)) => Some(code.http_status()),
        (None, None) => None,
    };
    match status {
        Some(s) if s != answer.status => return Err(format!("status {s} expected")),
        None if !(200..300).contains(&answer.status) => return Err("success expected".into()),
        _ => {}
    }
    if let Some(code) = &e.code {
        if answer.body.get("code").and_then(Value::as_str) != Some(code) {
            return Err(format!("problem code {code} expected"));
        }
        if answer.body.get("status").and_then(Value::as_u64) != Some(answer.status as u64) {
            return Err("the problem document's status member must equal the HTTP status".into());
        }
    }
    if let Some(want) = &e.body {
        subset(want, &answer.body, "")?;
    }
    if let Some(p) = e.absent.iter().find(|p| answer.body.pointer(p).is_some()) {
        return Err(format!("{p} must be absent"));
    }
    if let Some(kind) = &e.receipt {
        let receipt = answer
            .body
            .get("receipt")
            .ok_or_else(|| "a receipt expected in the body".to_owned())?;
        verify_receipt(kind, receipt, hub_key)?;
    }
    Ok(())
}

/// Checks a hub-signed receipt (§5.4 steps 1–5 for records).
pub fn verify_receipt(kind: &str, receipt: &Value, hub_key: &PublicKey) -> Result<(), String> {
    let result = match kind {
        "payment" => SignedMessage::<PaymentReceipt>::from_value(receipt.clone())
            .and_then(|m| m.verify_signature(hub_key)),
        _ => SignedMessage::<ClearingReceipt>::from_value(receipt.clone())
            .and_then(|m| m.verify_signature(hub_key)),
    };
    result.map_err(|e| format!("the {kind} receipt does not verify against the hub key: {e}"))
}

/// Checks the linked hub's receipt in a payment answer (federation.md §6 step 4): `peer_hub_key`
/// is `peer_key`, `peer_receipt` verifies with it and is its part of the payment the answer shows:
/// the same `tx_id`, equivalent and amount (by value), paid by `hub` (the hub answering), committed.
pub fn verify_peer_receipt(body: &Value, hub: &str, peer_key: &PublicKey) -> Result<(), String> {
    if body.get("peer_hub_key").and_then(Value::as_str) != Some(peer_key.to_base64().as_str()) {
        return Err("peer_hub_key must be the linked hub's key".into());
    }
    let signed = body
        .get("peer_receipt")
        .ok_or_else(|| "a peer_receipt expected in the body".to_owned())
        .and_then(|r| {
            SignedMessage::<PaymentReceipt>::from_value(r.clone())
                .and_then(|m| m.verify_signature(peer_key).map(|()| m))
                .map_err(|e| {
                    format!("the peer receipt does not verify with the linked hub's key: {e}")
                })
        })?;
    let r = signed.payload();
    let finest = geo_protocol::Precision::new(geo_protocol::MAX_PRECISION).expect("the finest");
    let same_amount = body
        .get("amount")
        .and_then(Value::as_str)
        .and_then(|a| geo_protocol::DecimalAmount::parse(a).ok())
        .is_some_and(
            |a| match (a.to_amount(finest), r.amount.to_amount(finest)) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            },
        );
    if body.get("tx_id").and_then(Value::as_str) != Some(r.tx_id.to_string().as_str())
        || body.get("equivalent").and_then(Value::as_str) != Some(r.equivalent.as_str())
        || !same_amount
        || r.payer.as_str() != hub
        || r.status != geo_protocol::PaymentStatus::Committed
    {
        return Err(format!(
            "the peer receipt is not the linked hub's part of this payment: {:?}",
            r
        ));
    }
    Ok(())
}

/// `want` is contained in `got`: objects as subsets, arrays element by element with equal length,
/// everything else equal.
pub fn subset(want: &Value, got: &Value, at: &str) -> Result<(), String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let path = format!("{at}/{k}");
                match g.get(k) {
                    Some(gv) => subset(wv, gv, &path)?,
                    None => return Err(format!("{path} missing")),
                }
            }
            Ok(())
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return Err(format!(
                    "{at}: {} elements expected, {} found",
                    w.len(),
                    g.len()
                ));
            }
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                subset(wv, gv, &format!("{at}/{i}"))?;
            }
            Ok(())
        }
        _ if want == got => Ok(()),
        _ => Err(format!("{at}: {want} expected, {got} found")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key() -> PublicKey {
        geo_protocol::Identity::generate().public_key()
    }

    #[test]
    fn problem_codes_imply_their_status() {
        let e = Expect {
            code: Some("E_SELF_TRUST".into()),
            ..Default::default()
        };
        let ok = Answer {
            status: 422,
            body: json!({"code": "E_SELF_TRUST", "status": 422}),
        };
        assert!(check(&e, &ok, &key()).is_ok());
        let wrong_status = Answer {
            status: 400,
            body: json!({"code": "E_SELF_TRUST", "status": 400}),
        };
        assert!(check(&e, &wrong_status, &key()).is_err());
        let wrong_code = Answer {
            status: 422,
            body: json!({"code": "E_VALIDATION", "status": 422}),
        };
        assert!(check(&e, &wrong_code, &key()).is_err());
    }

    #[test]
    fn bodies_match_as_subsets_and_any_of_takes_one() {
        let got = json!({"a": 1, "b": {"c": [1, 2]}, "d": "x"});
        assert!(subset(&json!({"b": {"c": [1, 2]}}), &got, "").is_ok());
        assert!(subset(&json!({"b": {"c": [1]}}), &got, "").is_err());
        assert!(subset(&json!({"e": 1}), &got, "").is_err());
        let e = Expect {
            any_of: vec![
                Expect {
                    code: Some("E_REPLAYED".into()),
                    ..Default::default()
                },
                Expect {
                    status: Some(200),
                    body: Some(json!({"d": "x"})),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        assert!(check(
            &e,
            &Answer {
                status: 200,
                body: got
            },
            &key()
        )
        .is_ok());
        assert!(check(
            &e,
            &Answer {
                status: 500,
                body: json!({})
            },
            &key()
        )
        .is_err());
        let absent = |p: &str| Expect {
            absent: vec![p.into()],
            ..Default::default()
        };
        let ok = Answer {
            status: 200,
            body: json!({"a": 1, "b": {"c": [1, 2]}}),
        };
        assert!(check(&absent("/b/c"), &ok, &key()).is_err());
        assert!(check(&absent("/receipt"), &ok, &key()).is_ok());
    }

    #[test]
    fn a_peer_receipt_verifies_with_the_linked_hubs_key_and_names_this_payment() {
        use geo_protocol::{Envelope, Identity, Nonce, PaymentStatus, Timestamp, TxId};
        let (home, peer, bob) = (
            Identity::generate(),
            Identity::generate(),
            Identity::generate(),
        );
        let tx_id = TxId::random();
        let at = Timestamp::parse("2026-12-07T10:00:00Z").unwrap();
        let signed = |by: &Identity, amount: &str| {
            let receipt = PaymentReceipt {
                tx_id,
                payer: home.pid(),
                payee: bob.pid(),
                equivalent: "UAH".parse().unwrap(),
                amount: amount.parse().unwrap(),
                status: PaymentStatus::Committed,
                request_digest: geo_protocol::Digest::of(b"prepare"),
                routes: vec![geo_protocol::RoutePath {
                    path: vec![home.pid(), bob.pid()],
                    amount: amount.parse().unwrap(),
                }],
                error_code: None,
                decided_at: at,
                journal_seq: Some(3),
            };
            Envelope::new(by.pid(), None, Nonce::random(), at, 600, receipt)
                .sign(by)
                .unwrap()
                .to_value()
        };
        let body = |receipt: Value, key: &Identity| {
            json!({
                "tx_id": tx_id.to_string(), "equivalent": "UAH", "amount": "10.00", "status": "committed",
                "peer_receipt": receipt, "peer_hub_key": key.public_key().to_base64(),
            })
        };
        let (hub, key) = (home.pid().to_string(), peer.public_key());
        assert_eq!(
            verify_peer_receipt(&body(signed(&peer, "10"), &peer), &hub, &key),
            Ok(()),
            "10 and 10.00 are the same amount"
        );
        for (what, bad) in [
            ("another amount", body(signed(&peer, "11"), &peer)),
            ("signed by another key", body(signed(&bob, "10"), &peer)),
            ("another key given", body(signed(&bob, "10"), &bob)),
            (
                "none",
                json!({"tx_id": tx_id.to_string(), "amount": "10.00"}),
            ),
        ] {
            assert!(verify_peer_receipt(&bad, &hub, &key).is_err(), "{what}");
        }
        assert!(
            verify_peer_receipt(
                &body(signed(&peer, "10"), &peer),
                &bob.pid().to_string(),
                &key
            )
            .is_err(),
            "paid by another hub"
        );
    }
}
