//! Payments over HTTP against a started hub, on SQLite and on PostgreSQL.

mod support;

use geo_protocol::*;
use serde_json::json;
use support::{verify_receipt, TestHub};

both_backends!(direct_multi_hop_and_receipts, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    assert_eq!(b.trust(&a, "100").await.0, 200); // B trusts A: A can pay B
    assert_eq!(c.trust(&b, "50").await.0, 200);
    let (s, p) = a.pay(&b, "10.5").await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(
        (p["status"].as_str(), p["amount"].as_str()),
        (Some("committed"), Some("10.50"))
    );
    let receipt = verify_receipt(&hub, &p["receipt"]);
    assert_eq!(receipt.payload().status, PaymentStatus::Committed);
    assert_eq!(receipt.payload().payer, a.pid());
    // Multi-hop A → B → C.
    let (s, p) = a.pay(&c, "20").await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["routes"][0]["path"], json!([a.pid(), b.pid(), c.pid()]));
    assert_eq!(a.position(&b).await, ("30.50".into(), "0.00".into()));
    assert_eq!(b.position(&c).await, ("20.00".into(), "0.00".into()));
    // B is an intermediate: its net position is what A paid it directly.
    assert_eq!(b.balance().await["net"], "10.50");
    assert_eq!(c.balance().await["net"], "20.00");
    assert_eq!(a.balance().await["net"], "-30.50");
    // Payer, payee and the intermediary whose debts it changed can read it; nobody else can
    // learn it exists.
    let tx = p["tx_id"].as_str().unwrap();
    assert_eq!(c.get(&format!("/payments/{tx}")).await.0, 200);
    assert_eq!(b.get(&format!("/payments/{tx}")).await.0, 200);
    let (_, relayed) = b.get("/payments?direction=relayed").await;
    assert_eq!(relayed["items"][0]["tx_id"], tx, "{relayed}");
    assert_eq!(
        relayed["items"].as_array().map(Vec::len),
        Some(1),
        "{relayed}"
    );
    let outsider = hub.participant("D").await;
    assert_eq!(outsider.get(&format!("/payments/{tx}")).await.0, 404);
    let (_, nothing) = outsider.get("/payments").await;
    assert_eq!(nothing["items"], json!([]));
    assert_eq!(hub.integrity().await["status"], "ok");
});

both_backends!(combining_paths_and_reverse_debt, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c, d) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
        hub.participant("D").await,
    );
    // Two disjoint routes A → B → D and A → C → D, 60 each: 100 needs both.
    b.trust(&a, "60").await;
    d.trust(&b, "60").await;
    c.trust(&a, "60").await;
    d.trust(&c, "60").await;
    let (s, cap) = a
        .get(&format!(
            "/payments/capacity?payee={}&equivalent=UAH&amount=100",
            d.pid()
        ))
        .await;
    assert_eq!(
        (s, cap["can_pay"].as_bool(), cap["max_amount"].as_str()),
        (200, Some(true), Some("120.00")),
        "{cap}"
    );
    let mut one_path = a.payment(&d, "100");
    one_path.constraints = Some(PaymentConstraints {
        max_paths: Some(1),
        ..Default::default()
    });
    let (s, p) = a.pay_request(one_path).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (422, Some("E_INSUFFICIENT_CAPACITY")),
        "{p}"
    );
    assert_eq!(p["max_amount"], "60.00");
    let (s, p) = a.pay(&d, "100").await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["routes"].as_array().unwrap().len(), 2);
    // D never trusted anyone to pay it back... but B owes D, so D can pay B with no line D→B... wait: D
    // trusting B lets B pay D; D paying B uses B's debt to D (reverse debt) as capacity.
    let owed_by_b = b.position(&d).await.0;
    assert_ne!(owed_by_b, "0.00");
    let (s, p) = d.pay(&b, &owed_by_b).await;
    assert_eq!(s, 200, "reverse debt must be routable: {p}");
    assert_eq!(b.position(&d).await, ("0.00".into(), "0.00".into()));
    let (s, p) = d.pay(&b, "0.01").await;
    assert_eq!(
        (s, p["code"].as_str()),
        (422, Some("E_INSUFFICIENT_CAPACITY")),
        "no line B→D and no debt left"
    );
});

both_backends!(
    insufficient_capacity_changes_nothing,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b) = (hub.participant("A").await, hub.participant("B").await);
        b.trust(&a, "5").await;
        let (s, p) = a.pay(&b, "10").await;
        assert_eq!(
            (s, p["code"].as_str()),
            (422, Some("E_INSUFFICIENT_CAPACITY")),
            "{p}"
        );
        assert_eq!(p["max_amount"], "5.00");
        let receipt = verify_receipt(&hub, &p["receipt"]);
        assert_eq!(receipt.payload().status, PaymentStatus::Aborted);
        assert_eq!(
            receipt.payload().error_code,
            Some(ErrorCode::InsufficientCapacity)
        );
        assert_eq!(a.position(&b).await, ("0.00".into(), "0.00".into()));
        let (_, line) = b.get("/trust-lines?direction=outgoing").await;
        assert_eq!(line["items"][0]["used"], "0.00");
        assert_eq!(line["items"][0]["available"], "5.00");
    }
);

both_backends!(idempotent_retry_and_tx_id_conflict, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let req = a.payment(&b, "7");
    let signed = a.sign(req.clone());
    let first = a.post("/payments", &signed).await;
    assert_eq!(first.0, 200);
    // The very same message, and the same request re-signed: the stored outcome, applied once.
    let again = a.post("/payments", &signed).await;
    let resigned = a.pay_request(req.clone()).await;
    assert_eq!((again.0, resigned.0), (200, 200));
    assert_eq!(
        again.1["receipt"], first.1["receipt"],
        "the same signed receipt"
    );
    assert_eq!(resigned.1["journal_seq"], first.1["journal_seq"]);
    assert_eq!(a.position(&b).await.0, "7.00");
    // Same tx_id, another amount.
    let (s, p) = a
        .pay_request(PaymentRequest {
            amount: "8".parse().unwrap(),
            ..req.clone()
        })
        .await;
    assert_eq!((s, p["code"].as_str()), (409, Some("E_TX_ID_CONFLICT")));
    // Same tx_id from another payer.
    b.trust(&a, "100").await;
    a.trust(&b, "100").await;
    let (s, p) = b
        .pay_request(PaymentRequest {
            payee: a.pid(),
            ..req
        })
        .await;
    assert_eq!((s, p["code"].as_str()), (409, Some("E_TX_ID_CONFLICT")));
    assert_eq!(a.position(&b).await.0, "7.00");
});

both_backends!(holds_commit_abort_and_expire, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let mut held = a.payment(&b, "70");
    held.hold_seconds = Some(60);
    let (s, p) = a.pay_request(held.clone()).await;
    assert_eq!((s, p["status"].as_str()), (200, Some("prepared")), "{p}");
    assert!(p.get("receipt").is_none(), "no receipt until it ends");
    // The reservation holds the capacity.
    assert_eq!(
        a.pay(&b, "30.01").await.1["code"],
        "E_INSUFFICIENT_CAPACITY"
    );
    let (_, line) = b.get("/trust-lines?direction=outgoing").await;
    assert_eq!(
        (
            line["items"][0]["reserved"].as_str(),
            line["items"][0]["available"].as_str()
        ),
        (Some("70.00"), Some("30.00"))
    );
    let tx = held.tx_id;
    let (s, p) = a
        .post(
            &format!("/payments/{tx}/commit"),
            &a.sign(PaymentCommit { tx_id: tx }),
        )
        .await;
    assert_eq!((s, p["status"].as_str()), (200, Some("committed")), "{p}");
    verify_receipt(&hub, &p["receipt"]);
    assert_eq!(a.position(&b).await.0, "70.00");
    // Abort by the payer.
    let mut h2 = a.payment(&b, "10");
    h2.hold_seconds = Some(60);
    a.pay_request(h2.clone()).await;
    let (s, p) = a
        .post(
            &format!("/payments/{}/abort", h2.tx_id),
            &a.sign(PaymentAbort {
                tx_id: h2.tx_id,
                reason: "no".into(),
            }),
        )
        .await;
    assert_eq!(
        (s, p["status"].as_str(), p["error_code"].as_str()),
        (200, Some("aborted"), Some("E_ABORTED")),
        "{p}"
    );
    // Another participant cannot commit someone else's hold.
    let mut h3 = a.payment(&b, "10");
    h3.hold_seconds = Some(1);
    a.pay_request(h3.clone()).await;
    let (s, _) = b
        .post(
            &format!("/payments/{}/commit", h3.tx_id),
            &b.sign(PaymentCommit { tx_id: h3.tx_id }),
        )
        .await;
    assert_eq!(s, 404);
    // Expiry: after its time nothing is reserved and a commit is refused.
    tokio::time::sleep(std::time::Duration::from_millis(2600)).await;
    let (_, line) = b.get("/trust-lines?direction=outgoing").await;
    assert_eq!(
        line["items"][0]["reserved"], "0.00",
        "expired holds release their reservation"
    );
    let (s, p) = a
        .post(
            &format!("/payments/{}/commit", h3.tx_id),
            &a.sign(PaymentCommit { tx_id: h3.tx_id }),
        )
        .await;
    assert_eq!(s, 409, "{p}");
    let (_, got) = a.get(&format!("/payments/{}", h3.tx_id)).await;
    assert_eq!(
        (got["status"].as_str(), got["error_code"].as_str()),
        (Some("aborted"), Some("E_RESERVATION_EXPIRED"))
    );
    assert_eq!(a.position(&b).await.0, "70.00");
});

// A 1 s hold prepared half-way through a second lasts a whole second (it used to lapse at the next
// whole second, 0.5 s after the prepare).
both_backends!(a_hold_lasts_its_whole_time, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let subsec = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_millis()
    };
    while !(400..500).contains(&subsec()) {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let sent = std::time::Instant::now();
    let mut held = a.payment(&b, "10");
    held.hold_seconds = Some(1);
    let (s, p) = a.pay_request(held.clone()).await;
    assert_eq!((s, p["status"].as_str()), (200, Some("prepared")), "{p}");
    tokio::time::sleep_until((sent + std::time::Duration::from_millis(700)).into()).await;
    let (s, p) = a
        .post(
            &format!("/payments/{}/commit", held.tx_id),
            &a.sign(PaymentCommit { tx_id: held.tx_id }),
        )
        .await;
    assert_eq!(
        (s, p["status"].as_str()),
        (200, Some("committed")),
        "0.7 s into a 1 s hold it is still held: {p}"
    );
});

both_backends!(
    concurrent_payments_race_for_one_bottleneck,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let sink = hub.participant("sink").await;
        let bottleneck = hub.participant("bottleneck").await;
        // Everyone pays the sink through one intermediate whose line to the sink allows 100.
        sink.trust(&bottleneck, "100").await;
        let mut payers = Vec::new();
        for i in 0..12 {
            let p = hub.participant(&format!("payer{i}")).await;
            bottleneck.trust(&p, "1000").await;
            payers.push(p);
        }
        let tasks: Vec<_> = payers
            .iter()
            .flat_map(|p| (0..3).map(move |_| p.clone()))
            .map(|p| {
                let sink = sink.clone();
                tokio::spawn(async move { p.pay(&sink, "10").await.0 })
            })
            .collect();
        let mut committed = 0;
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                200 => committed += 1,
                422 => refused += 1,
                other => panic!("unexpected status {other}"),
            }
        }
        assert_eq!(
            (committed, refused),
            (10, 26),
            "exactly the capacity commits"
        );
        assert_eq!(bottleneck.position(&sink).await.0, "100.00");
        assert_eq!(sink.balance().await["net"], "100.00");
        assert_eq!(bottleneck.balance().await["net"], "0.00");
        assert_eq!(hub.integrity().await["status"], "ok");
    }
);

both_backends!(restart_loses_nothing_acknowledged, |backend| async move {
    let mut hub = TestHub::start(backend).await;
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    b.trust(&a, "1000").await;
    c.trust(&b, "1000").await;
    let mut txs = Vec::new();
    for i in 1..=20 {
        let (s, p) = a.pay(&c, &format!("{i}")).await;
        assert_eq!(s, 200);
        txs.push(p["tx_id"].as_str().unwrap().to_owned());
    }
    let mut held = a.payment(&c, "1");
    held.hold_seconds = Some(120);
    assert_eq!(a.pay_request(held.clone()).await.0, 200);
    let before = (a.position(&b).await, b.position(&c).await);
    hub.restart().await;
    let mut a2 = support::Client::new(&hub, a.id.clone());
    a2.login().await;
    let mut b2 = support::Client::new(&hub, b.id.clone());
    b2.login().await;
    assert_eq!(
        (
            a2.position(&b2).await,
            b2.position(&support::Client::new(&hub, c.id.clone())).await
        ),
        before
    );
    for tx in &txs {
        assert_eq!(
            a2.get(&format!("/payments/{tx}")).await.1["status"],
            "committed"
        );
    }
    // The hold survived the restart with its reservation, and can still be committed.
    let (_, line) = b2.get("/trust-lines?direction=outgoing").await;
    assert_eq!(line["items"][0]["reserved"], "1.00");
    let (s, p) = a2
        .post(
            &format!("/payments/{}/commit", held.tx_id),
            &a2.sign(PaymentCommit { tx_id: held.tx_id }),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    // A refresh token issued before the restart still works.
    let (s, _) = a2
        .post_raw(
            "/auth/refresh",
            json!({ "refresh_token": a.refresh.clone().unwrap() }).to_string(),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(hub.integrity().await["status"], "ok");
});

// Totals are sums of amounts and may pass the largest amount (2^64 − 1 minor units): a creditor owed
// that twice sees exactly twice, in /balance and in the clearing preview, never a clamped value.
both_backends!(
    totals_beyond_the_largest_amount_are_exact,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b, c) = (
            hub.participant("A").await,
            hub.participant("B").await,
            hub.participant("C").await,
        );
        let max = "184467440737095516.15"; // 2^64 − 1 minor units at precision 2
        let twice = "368934881474191032.30";
        assert_eq!(c.trust(&a, max).await.0, 200);
        assert_eq!(c.trust(&b, max).await.0, 200);
        for payer in [&a, &b] {
            let (s, p) = payer.pay(&c, max).await;
            assert_eq!((s, p["status"].as_str()), (200, Some("committed")), "{p}");
        }
        let balance = c.balance().await;
        assert_eq!(
            (
                balance["credit"].as_str(),
                balance["net"].as_str(),
                balance["trust_given"].as_str()
            ),
            (Some(twice), Some(twice), Some(twice)),
            "{balance}"
        );
        let (s, preview) = c.get("/clearing/UAH/preview").await;
        assert_eq!(s, 200, "{preview}");
        assert_eq!(preview["total_debt"], twice, "{preview}");
        let payer_balance = a.balance().await;
        assert_eq!(payer_balance["net"], format!("-{max}"));
    }
);

// A payer learns what it could route to a payee, never the payee's own capacity: X is trusted for
// 1000 by Z, whom the payer P cannot reach, and for 10 by P's only route; P has 5000 it could spend
// elsewhere. The answer names 10 and nothing of the 1010 X could receive.
both_backends!(
    capacity_reveals_only_what_the_payer_can_route,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (p, x, y, z) = (
            hub.participant("P").await,
            hub.participant("X").await,
            hub.participant("Y").await,
            hub.participant("Z").await,
        );
        x.trust(&p, "10").await; // P can pay X 10 directly
        y.trust(&p, "5000").await; // P can pay Y 5000, and Y has no way to X
        x.trust(&z, "1000").await; // Z can pay X 1000: X's business, not P's
        let (s, cap) = p
            .get(&format!(
                "/payments/capacity?payee={}&equivalent=UAH&amount=11",
                x.pid()
            ))
            .await;
        assert_eq!(s, 200, "{cap}");
        let mut members: Vec<&str> = cap
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        members.sort();
        assert_eq!(
            members,
            ["can_pay", "equivalent", "max_amount", "payee"],
            "{cap}"
        );
        assert_eq!(
            (cap["max_amount"].as_str(), cap["can_pay"].as_bool()),
            (Some("10.00"), Some(false))
        );
        // The same as a refused payment reports.
        let (s, refused) = p.pay(&x, "11").await;
        assert_eq!(
            (s, refused["max_amount"].as_str()),
            (422, Some("10.00")),
            "{refused}"
        );
    }
);

both_backends!(a_payment_names_the_invoice_it_pays, |backend| async move {
    use futures_util::StreamExt;
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    assert_eq!(b.trust(&a, "100").await.0, 200);
    // A pays B's invoice (§6.4): the request names its id.
    let invoice_id = Nonce::parse("invoice-0123456789abcdef").unwrap();
    let (s, p) = a
        .pay_request(PaymentRequest {
            invoice_id: Some(invoice_id.clone()),
            description: Some("honey".into()),
            ..a.payment(&b, "12.5")
        })
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["invoice_id"], invoice_id.as_str());
    // Both parties see it on the payment, and in history.
    let tx = p["tx_id"].as_str().unwrap();
    let (_, seen) = b.get(&format!("/payments/{tx}")).await;
    assert_eq!(seen["invoice_id"], invoice_id.as_str());
    let (_, listed) = b.get("/payments?direction=received").await;
    assert_eq!(listed["items"][0]["invoice_id"], invoice_id.as_str());
    // A payment without one shows none (requests signed before invoices existed verify as before).
    let (s, plain) = a.pay(&b, "1").await;
    assert_eq!(s, 200, "{plain}");
    assert!(plain.get("invoice_id").is_none(), "{plain}");
    // It survives a restart (the journal and the stored payment carry it).
    let mut hub = hub;
    hub.restart().await;
    let mut b = support::Client::new(&hub, b.id.clone());
    b.login().await;
    let (_, again) = b.get(&format!("/payments/{tx}")).await;
    assert_eq!(again["invoice_id"], invoice_id.as_str());

    // B's event stream, replayed from the start, shows it on payment_received.
    let url = format!("{}/api/v1/events?cursor=0", hub.url.replace("http", "ws"));
    let mut req =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url)
            .unwrap();
    req.headers_mut().insert(
        "authorization",
        format!("Bearer {}", b.token.clone().unwrap())
            .parse()
            .unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let mut received = Vec::new();
    while received.len() < 2 {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next())
            .await
            .expect("payment events arrive")
            .unwrap()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(msg.to_text().unwrap()).unwrap();
        if v["kind"] == "payment_received" {
            received.push(v["data"].clone());
        }
    }
    assert_eq!(received[0]["tx_id"], tx);
    assert_eq!(received[0]["invoice_id"], invoice_id.as_str());
    assert!(received[1].get("invoice_id").is_none(), "{}", received[1]);
});
