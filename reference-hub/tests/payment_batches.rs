//! `POST /payments/batch` on SQLite and PostgreSQL: each payment of a batch gets what
//! `POST /payments` would have answered for it alone, in order; the batch is bounded and charged
//! to the caller's rate budget per payment.

mod support;

use geo_api as api;
use geo_protocol::*;
use serde_json::{json, Value};
use support::{assert_problem, sign_value, verify_receipt, Answer, Client, TestHub};

/// Sends a batch of wire texts (signed payment requests or anything else) as `caller`.
async fn batch(caller: &Client, items: &[String]) -> Answer {
    let items: Vec<Value> = items
        .iter()
        .map(|t| serde_json::from_str(t).expect("items are JSON"))
        .collect();
    caller
        .post_raw(
            api::payment::PAY_BATCH.path,
            json!({ "payments": items }).to_string(),
        )
        .await
}

/// The results of a batch's 200 answer, each as the status and document the single endpoint uses:
/// `(200, payment)` or `(problem status, problem)`.
fn results(answer: &Answer) -> Vec<Answer> {
    assert_eq!(answer.0, 200, "{}", answer.1);
    let parsed: api::PaymentBatchResults =
        serde_json::from_value(answer.1.clone()).expect("a batch answer");
    parsed
        .results
        .into_iter()
        .map(|r| match r {
            api::PaymentResult::Payment(p) => (200, serde_json::to_value(p).unwrap()),
            api::PaymentResult::Problem(p) => (p.status, serde_json::to_value(p).unwrap()),
        })
        .collect()
}

both_backends!(
    each_payment_gets_what_the_single_endpoint_answers,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b, c, d) = (
            hub.participant("A").await,
            hub.participant("B").await,
            hub.participant("C").await,
            hub.participant("D").await,
        );
        b.trust(&a, "100").await; // A may pay B
        c.trust(&b, "50").await; // B may pay C (and A through B)
        d.trust(&a, "10").await; // A may pay D up to 10
        let earlier = a.sign(a.payment(&b, "5"));
        let (s, earlier_answer) = a.post(api::payment::PAY.path, &earlier).await;
        assert_eq!(s, 200, "{earlier_answer}");

        let good = a.sign(a.payment(&b, "10.00"));
        let other_payer = b.sign(b.payment(&c, "20"));
        let too_much = a.sign(a.payment(&d, "50"));
        // Signed as it is, though the payload names the payer as payee.
        let mut to_self = a.unsigned(a.payment(&b, "1"));
        to_self["payload"]["payee"] = json!(a.pid());
        let to_self = sign_value(&a.id, MessageType::PaymentRequest, &to_self).to_string();
        let mut conflicting = a.payment(&b, "11");
        conflicting.tx_id = good.payload().tx_id;
        let conflicting = a.sign(conflicting);
        let tampered = good.to_json().replace("\"10.00\"", "\"90.00\"");
        assert_ne!(tampered, good.to_json(), "the amount was changed");
        let not_a_payment = json!({ "hello": "world" }).to_string();
        let items = vec![
            good.to_json(),
            other_payer.to_json(),
            too_much.to_json(),
            not_a_payment.clone(),
            tampered.clone(),
            good.to_json(),    // the same payment again in the same batch
            earlier.to_json(), // acknowledged before
            to_self,
            conflicting.to_json(),
        ];
        let answer = batch(&a, &items).await;
        let r = results(&answer);
        assert_eq!(r.len(), items.len(), "{}", answer.1);

        // Committed, each signed by its own payer, with receipts naming their own requests.
        for (i, msg) in [(0, &good), (1, &other_payer)] {
            assert_eq!(
                (r[i].0, r[i].1["status"].as_str()),
                (200, Some("committed")),
                "{i}: {}",
                r[i].1
            );
            let receipt = verify_receipt(&hub, &r[i].1["receipt"]);
            assert_eq!(receipt.payload().request_digest, msg.digest(), "{i}");
            assert_eq!(&receipt.payload().payer, msg.signer(), "{i}");
        }
        assert_problem(&r[2], 422, "E_INSUFFICIENT_CAPACITY");
        assert_eq!(r[2].1["max_amount"], "10.00");
        let aborted = verify_receipt(&hub, &r[2].1["receipt"]);
        assert_eq!(aborted.payload().status, PaymentStatus::Aborted);
        assert_eq!(
            r[2].1["payment"]["tx_id"],
            too_much.payload().tx_id.to_string()
        );
        // The same payment again answers its stored outcome: the same receipt, no second effect.
        assert_eq!(r[5], r[0], "a duplicate in the batch answers as the first");
        assert_eq!(
            r[6],
            (200, earlier_answer.clone()),
            "a resend answers the stored outcome"
        );
        assert_problem(&r[7], 422, "E_SELF_PAYMENT");
        assert_problem(&r[8], 409, "E_TX_ID_CONFLICT");

        // Every refusal is exactly the single endpoint's, text for text; every decided payment,
        // resent alone by its payer, answers what the batch answered.
        for (i, text) in items.iter().enumerate() {
            let payer = if i == 1 { &b } else { &a };
            let alone = payer.post_raw(api::payment::PAY.path, text.clone()).await;
            assert_eq!(alone, r[i], "item {i} alone");
        }
        assert_eq!(r[3].1["code"], "E_MALFORMED");
        assert_eq!(r[4].1["code"], "E_INVALID_SIGNATURE");

        // Invariants: only the good payments moved money, once each.
        assert_eq!(a.position(&b).await, ("15.00".into(), "0.00".into()));
        assert_eq!(b.position(&c).await, ("20.00".into(), "0.00".into()));
        assert_eq!(a.position(&d).await, ("0.00".into(), "0.00".into()));
        assert_eq!(a.balance().await["net"], "-15.00");
        assert_eq!(c.balance().await["net"], "20.00");
        assert_eq!(d.balance().await["net"], "0.00");
        let (_, sent) = a.get("/payments?direction=sent").await;
        let states: Vec<(&str, &str)> = sent["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["amount"].as_str().unwrap(), p["status"].as_str().unwrap()))
            .collect();
        assert_eq!(
            states,
            vec![
                ("50.00", "aborted"),
                ("10.00", "committed"),
                ("5.00", "committed")
            ],
            "A's payments, newest first"
        );
        assert_eq!(hub.integrity().await["status"], "ok");
    }
);

/// A signed payment's wire text with its signature's 64 bytes changed by `change`.
fn resigned(msg: &SignedMessage<PaymentRequest>, change: impl FnOnce(&mut [u8; 64])) -> String {
    let mut bytes = msg.signature().to_bytes();
    change(&mut bytes);
    let mut wire: Value = serde_json::from_str(&msg.to_json()).unwrap();
    wire["signature"] = json!(Signature::from_bytes(&bytes).to_base64());
    wire.to_string()
}

/// `s + ℓ`: the same signature with its scalar not reduced, which strict verification refuses.
fn unreduced(signature: &mut [u8; 64]) {
    const ELL: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for (byte, l) in signature[32..].iter_mut().zip(ELL) {
        let sum = *byte as u16 + l as u16 + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
}

// The signatures of a batch are checked with one equation and, when it fails, one by one: every
// item still gets its own answer, whichever of its neighbours are bad.
both_backends!(
    several_bad_signatures_each_get_the_single_answer,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b) = (hub.participant("A").await, hub.participant("B").await);
        b.trust(&a, "100").await;
        let good: Vec<_> = (1..=5)
            .map(|n| a.sign(a.payment(&b, &n.to_string())))
            .collect();
        let victims: Vec<_> = (0..4).map(|_| a.sign(a.payment(&b, "7"))).collect();
        let mut elsewhere = a.unsigned(a.payment(&b, "1"));
        elsewhere["audience"] = json!(b.pid());
        let elsewhere = sign_value(&a.id, MessageType::PaymentRequest, &elsewhere).to_string();
        let now = reference_hub::writer::now().unix();
        let expired = a
            .sign_at(
                a.payment(&b, "1"),
                Timestamp::from_unix(now - 1_000).unwrap(),
                300,
            )
            .to_json();
        let batches = [
            // Every signature good: the equation holds, and the audience and time are still
            // judged per payment.
            vec![good[0].to_json(), elsewhere, good[1].to_json(), expired],
            // Several bad signatures among good ones.
            vec![
                good[2].to_json(),
                resigned(&victims[0], unreduced),
                resigned(&victims[1], |s| s[40] ^= 1),
                good[3].to_json(),
                resigned(&victims[2], |s| *s = good[0].signature().to_bytes()),
                resigned(&victims[3], |s| s[3] ^= 0x10),
                good[4].to_json(),
            ],
            // Only bad ones.
            vec![
                resigned(&victims[0], |s| s[63] ^= 1),
                resigned(&victims[1], unreduced),
            ],
        ];
        let mut codes = Vec::new();
        for items in &batches {
            let r = results(&batch(&a, items).await);
            assert_eq!(r.len(), items.len());
            for (i, text) in items.iter().enumerate() {
                let alone = a.post_raw(api::payment::PAY.path, text.clone()).await;
                assert_eq!(alone, r[i], "item {i} alone");
                codes.push(r[i].1["code"].as_str().unwrap_or("committed").to_owned());
            }
        }
        let (bad, committed) = ("E_INVALID_SIGNATURE", "committed");
        assert_eq!(
            codes[..4],
            [committed, "E_WRONG_AUDIENCE", committed, "E_EXPIRED"]
        );
        assert_eq!(
            codes[4..],
            [committed, bad, bad, committed, bad, bad, committed, bad, bad]
        );
        assert_eq!(a.balance().await["net"], "-15.00");
        assert_eq!(hub.integrity().await["status"], "ok");
    }
);

both_backends!(a_batch_is_bounded_and_refused_whole, |backend| async move {
    let hub = TestHub::start_with(backend, |s| s.max_batch_payments = 3).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let four: Vec<SignedMessage<PaymentRequest>> =
        (0..4).map(|_| a.sign(a.payment(&b, "1"))).collect();
    let texts: Vec<String> = four.iter().map(|m| m.to_json()).collect();
    let refused = batch(&a, &texts).await;
    assert_problem(&refused, 413, "E_PAYLOAD_TOO_LARGE");
    assert_eq!(refused.1["max_payments"], 3);
    assert_problem(&batch(&a, &[]).await, 422, "E_VALIDATION");
    let shapes = [
        json!({ "payments": 5 }).to_string(),
        json!({ "payments": [], "more": 1 }).to_string(),
        json!([texts[0]]).to_string(),
    ];
    for body in shapes {
        let answer = a.post_raw(api::payment::PAY_BATCH.path, body.clone()).await;
        assert_problem(&answer, 422, "E_VALIDATION");
    }
    let broken = a
        .post_raw(api::payment::PAY_BATCH.path, "{\"payments\": [".into())
        .await;
    assert_problem(&broken, 400, "E_MALFORMED");
    let anonymous = a.with_token(None);
    assert_problem(&batch(&anonymous, &texts[..1]).await, 401, "E_UNAUTHORIZED");
    // Nothing of a refused batch was applied: each payment is unknown, then pays alone.
    for m in &four {
        let tx = m.payload().tx_id;
        assert_eq!(a.get(&format!("/payments/{tx}")).await.0, 404);
    }
    assert_eq!(a.balance().await["net"], "0.00");
    let r = results(&batch(&a, &texts[..3]).await);
    assert!(
        r.iter()
            .all(|(s, p)| *s == 200 && p["status"] == "committed"),
        "{r:?}"
    );
    assert_eq!(a.balance().await["net"], "-3.00");
    assert_eq!(hub.integrity().await["status"], "ok");
});

/// `GET /hub` publishes the cap the hub enforces: a batch of exactly that many payments is
/// decided, one more is refused whole. A hub left at the default says 64.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_published_cap_is_the_one_enforced() {
    let default = TestHub::start(support::Backend::Sqlite).await;
    let (_, info) = default.participant("A").await.get("/hub").await;
    assert_eq!(info["limits"]["max_batch_payments"], 64, "{info}");
    drop(default);

    let hub = TestHub::start_with(support::Backend::Sqlite, |s| s.max_batch_payments = 5).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let (status, info) = a.get("/hub").await;
    assert_eq!(status, 200, "{info}");
    let published: api::HubInfo = serde_json::from_value(info).expect("a discovery document");
    let cap = published.limits.max_batch_payments as usize;
    assert_eq!(cap, 5);
    let texts: Vec<String> = (0..=cap)
        .map(|_| a.sign(a.payment(&b, "1")).to_json())
        .collect();
    let refused = batch(&a, &texts).await;
    assert_problem(&refused, 413, "E_PAYLOAD_TOO_LARGE");
    assert_eq!(refused.1["max_payments"], cap);
    let r = results(&batch(&a, &texts[..cap]).await);
    assert_eq!(r.len(), cap);
    assert!(
        r.iter()
            .all(|(s, p)| *s == 200 && p["status"] == "committed"),
        "{r:?}"
    );
    assert_eq!(a.balance().await["net"], "-5.00");
}

/// A batch takes one unit of the caller's rate budget per payment, not per request.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_batch_is_charged_per_payment() {
    let hub = TestHub::start_with(support::Backend::Sqlite, |s| {
        s.rate_limit_per_second = 1;
        s.rate_limit_burst = 20;
    })
    .await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let sign = |n: usize| -> Vec<SignedMessage<PaymentRequest>> {
        (0..n).map(|_| a.sign(a.payment(&b, "1"))).collect()
    };
    let texts = |ms: &[SignedMessage<PaymentRequest>]| -> Vec<String> {
        ms.iter().map(|m| m.to_json()).collect()
    };
    let (first, second) = (sign(20), sign(10));
    // A's own bucket is full (20): the first batch takes all of it.
    let r = results(&batch(&a, &texts(&first)).await);
    assert!(r.iter().all(|(s, _)| *s == 200), "{r:?}");
    let refused = batch(&a, &texts(&second)).await;
    assert_problem(&refused, 429, "E_RATE_LIMITED");
    // The payee reads with its own budget: none of the refused batch was applied.
    for m in &second {
        let tx = m.payload().tx_id;
        assert_eq!(b.get(&format!("/payments/{tx}")).await.0, 404, "{tx}");
    }
    assert_eq!(b.balance().await["net"], "20.00");
}
