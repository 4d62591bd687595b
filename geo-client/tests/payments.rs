//! Payments through the SDK: multi-hop with verified receipts, safe retries, typed refusals,
//! holds, status and history.

mod support;

use futures_util::StreamExt;
use geo_client::{
    GeoError, HistoryFilter, HubClient, PaymentConstraints, PaymentOrder, PaymentState,
};
use geo_protocol::ErrorCode;
use support::{net, position, Backend, Proxy, TestHub};

/// A → B → C: C trusts B, B trusts A, so A can pay C through B.
async fn chain(hub: &TestHub) -> (HubClient, HubClient, HubClient) {
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    b.set_trust_line(&a.pid(), "UAH", "100", None)
        .await
        .unwrap();
    c.set_trust_line(&b.pid(), "UAH", "100", None)
        .await
        .unwrap();
    (a, b, c)
}

both_backends!(
    multi_hop_payment_with_a_verified_receipt,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b, c) = chain(&hub).await;
        let cap = a
            .capacity(&c.pid().into(), "UAH", Some("40"))
            .await
            .unwrap();
        assert_eq!(
            (cap.max_amount.as_str(), cap.can_pay),
            ("100.00", Some(true))
        );

        let receipt = a
            .pay(PaymentOrder::new(c.pid(), "UAH", "40").description("dinner"))
            .await
            .unwrap();
        assert_eq!(receipt.status, PaymentState::Committed);
        assert_eq!(receipt.amount, "40.00");
        assert_eq!(receipt.routes.len(), 1);
        assert_eq!(receipt.routes[0].path, vec![a.pid(), b.pid(), c.pid()]);
        // The receipt is the hub's signature over exactly this outcome.
        let signed: geo_protocol::SignedMessage<geo_protocol::PaymentReceipt> =
            a.hub().verify_message(&receipt.json).unwrap();
        assert_eq!(signed.signer(), &hub.hub_pid());

        assert_eq!(position(&a, &b).await, ("40.00".into(), "0.00".into()));
        assert_eq!(position(&c, &b).await, ("0.00".into(), "40.00".into()));
        assert_eq!(net(&b).await, "0.00");

        // The payee reads the same payment and receipt back.
        let seen = c.payment(&receipt.tx_id).await.unwrap();
        assert_eq!(seen.payment.status, PaymentState::Committed);
        assert_eq!(seen.payment.description.as_deref(), Some("dinner"));
        assert_eq!(seen.receipt.unwrap().json, receipt.json);
        // The same genuine receipt with one byte changed, or checked against another hub's key, fails.
        let mut tampered = seen.payment.clone();
        tampered.receipt = Some(receipt.json.replace("40.00", "4.00"));
        tampered.amount = "4.00".into();
        let e = a.hub().verify_payment(&tampered, &[]).unwrap_err();
        assert!(matches!(e, GeoError::InvalidSignature { .. }), "{e}");
        let mut other_hub = a.hub().clone();
        let impostor = geo_client::Identity::generate();
        other_hub.key = impostor.public_key();
        assert!(other_hub.verify_payment(&seen.payment, &[]).is_err());
        // A stranger cannot see it.
        let d = hub.participant("D").await;
        let e = d.payment(&receipt.tx_id).await.unwrap_err();
        assert_eq!(e.hub_code(), Some(ErrorCode::NotFound));
    }
);

both_backends!(resending_a_signed_payment_pays_once, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, _b, c) = chain(&hub).await;
    let signed = a
        .sign_payment(&PaymentOrder::new(c.pid(), "UAH", "10"))
        .unwrap();
    let first = a.submit_payment(&signed).await.unwrap();
    let second = a.submit_payment(&signed).await.unwrap();
    assert_eq!(first.receipt, second.receipt, "the same receipt again");
    assert_eq!(net(&c).await, "10.00", "applied once");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_answer_is_retried_with_the_same_request_and_pays_once() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let (_a, _b, c) = chain(&hub).await;
    let proxy = Proxy::start(hub.addr()).await;
    // P talks to the hub through the lossy proxy.
    let p = HubClient::builder(&proxy.url, geo_client::Identity::generate())
        .retry(geo_client::RetryPolicy {
            attempts: 5,
            base_delay: std::time::Duration::from_millis(20),
            max_delay: std::time::Duration::from_millis(100),
        })
        .connect()
        .await
        .unwrap();
    p.register("P", geo_client::ParticipantKind::Person, None)
        .await
        .unwrap();
    c.set_trust_line(&p.pid(), "UAH", "50", None).await.unwrap();
    // The hub commits the payment but its answer never arrives; the SDK resends the same signed
    // request and gets the stored outcome.
    proxy.lose_next_answers(1);
    let receipt = p.pay(PaymentOrder::new(c.pid(), "UAH", "7")).await.unwrap();
    assert_eq!(proxy.lost.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(receipt.status, PaymentState::Committed);
    assert_eq!(net(&c).await, "7.00", "applied exactly once");
    assert_eq!(net(&p).await, "-7.00");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refusal_with_retry_after_is_waited_out_and_the_same_signed_bytes_resent() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let (_a, _b, c) = chain(&hub).await;
    // P reaches the hub through a front that answers 503 and 429 itself, as a busy hub would.
    let front = support::Refuser::start(hub.addr()).await;
    let p = HubClient::connect(&front.url, geo_client::Identity::generate())
        .await
        .unwrap();
    p.register("P", geo_client::ParticipantKind::Person, None)
        .await
        .unwrap();
    c.set_trust_line(&p.pid(), "UAH", "50", None).await.unwrap();
    front.refuse_next(&[(503, 1), (429, 2)]);
    let receipt = p.pay(PaymentOrder::new(c.pid(), "UAH", "7")).await.unwrap();
    assert_eq!(receipt.status, PaymentState::Committed);
    let sent: Vec<support::Seen> = front
        .seen()
        .into_iter()
        .filter(|s| s.request_line.starts_with("POST /api/v1/payments "))
        .collect();
    assert_eq!(
        sent.iter().map(|s| s.refused).collect::<Vec<_>>(),
        [Some(503), Some(429), None],
        "refused twice, then passed on"
    );
    assert!(
        sent.iter().all(|s| s.body == sent[0].body),
        "every attempt carries the same signed bytes"
    );
    // Each resend waited at least what the hub asked, and at most a tenth longer (the jitter)
    // plus scheduling slack: not the client's own 5 s cap.
    for (pair, asked) in sent.windows(2).zip([1_000u128, 2_000]) {
        let waited = (pair[1].at - pair[0].at).as_millis();
        assert!(
            waited >= asked && waited < asked + asked / 10 + 500,
            "waited {waited} ms for Retry-After {asked} ms"
        );
    }
    assert_eq!(net(&c).await, "7.00", "applied once");
}

both_backends!(
    insufficient_capacity_is_typed_and_changes_nothing,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b, c) = chain(&hub).await;
        let before = (net(&a).await, net(&b).await, net(&c).await);
        let e = a
            .pay(PaymentOrder::new(c.pid(), "UAH", "150"))
            .await
            .unwrap_err();
        assert_eq!(e.hub_code(), Some(ErrorCode::InsufficientCapacity), "{e}");
        assert_eq!(e.code(), "E_INSUFFICIENT_CAPACITY");
        assert!(matches!(e, GeoError::Hub { status: 422, .. }));
        assert!(!e.is_retryable());
        assert_eq!(
            e.problem_member("max_amount")
                .and_then(|v| v.as_str().map(str::to_owned)),
            Some("100.00".to_owned())
        );
        assert_eq!(before, (net(&a).await, net(&b).await, net(&c).await));
        // Constraints are honoured: one hop cannot reach C.
        let e = a
            .pay(
                PaymentOrder::new(c.pid(), "UAH", "1").constraints(PaymentConstraints {
                    max_hops: Some(1),
                    ..Default::default()
                }),
            )
            .await
            .unwrap_err();
        assert_eq!(e.hub_code(), Some(ErrorCode::InsufficientCapacity));
        // The aborted payments are in the history with their receipts.
        let aborted: Vec<_> = a
            .history(HistoryFilter {
                status: Some("aborted".into()),
                ..Default::default()
            })
            .collect()
            .await;
        assert_eq!(aborted.len(), 2);
        assert!(aborted
            .iter()
            .all(|p| p.as_ref().unwrap().status == PaymentState::Aborted));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_commit_and_abort() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let (a, b, c) = chain(&hub).await;
    let held = a
        .hold(PaymentOrder::new(c.pid(), "UAH", "60"), 60)
        .await
        .unwrap();
    assert_eq!(held.status, PaymentState::Prepared);
    assert!(held.hold_expires_at.is_some());
    // The reservation takes capacity: another 60 cannot pass while the hold lives.
    let e = a
        .pay(PaymentOrder::new(c.pid(), "UAH", "60"))
        .await
        .unwrap_err();
    assert_eq!(e.hub_code(), Some(ErrorCode::InsufficientCapacity));
    assert_eq!(net(&c).await, "0.00", "nothing applied while held");
    let receipt = a.commit(&held.tx_id).await.unwrap();
    assert_eq!(receipt.status, PaymentState::Committed);
    assert_eq!(net(&c).await, "60.00");
    // Committing again returns the same outcome.
    assert_eq!(a.commit(&held.tx_id).await.unwrap().json, receipt.json);

    let second = a
        .hold(PaymentOrder::new(c.pid(), "UAH", "5"), 60)
        .await
        .unwrap();
    let aborted = a.abort(&second.tx_id, "changed my mind").await.unwrap();
    assert_eq!(aborted.status, PaymentState::Aborted);
    assert_eq!(aborted.error_code, Some(ErrorCode::Aborted));
    assert_eq!(net(&c).await, "60.00", "the aborted hold applied nothing");
    let status = a.payment(&second.tx_id).await.unwrap();
    assert_eq!(status.payment.status, PaymentState::Aborted);
    // Pay refuses orders that ask for a hold (use hold()).
    assert!(a
        .pay(PaymentOrder::new(c.pid(), "UAH", "1").hold(10))
        .await
        .is_err());
    let _ = b;
}

both_backends!(history_streams_across_pages, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c) = chain(&hub).await;
    let mut sent = Vec::new();
    for i in 1..=7 {
        let r = a
            .pay(PaymentOrder::new(c.pid(), "UAH", &format!("{i}")))
            .await
            .unwrap();
        sent.push(r.tx_id);
    }
    // Someone else's payment is not in A's history.
    b.pay(PaymentOrder::new(c.pid(), "UAH", "1")).await.unwrap();
    // Pages of 2: four pages for seven payments, newest first, none twice.
    let filter = HistoryFilter {
        limit: Some(2),
        direction: Some("sent".into()),
        ..Default::default()
    };
    let page = a.history_page(&filter, None).await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(page.next_cursor.is_some());
    let all: Vec<String> = a.history(filter).map(|p| p.unwrap().tx_id).collect().await;
    let mut expected = sent.clone();
    expected.reverse();
    assert_eq!(all, expected);
    // The payee sees them as received.
    let received = c
        .history(HistoryFilter {
            direction: Some("received".into()),
            limit: Some(3),
            ..Default::default()
        })
        .count()
        .await;
    assert_eq!(received, 8);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_payments_are_resent_with_backoff() {
    // Five requests per second per participant (or address, before login), burst of five.
    let hub = TestHub::start_with(Backend::Sqlite, |s| {
        s.rate_limit_per_second = 5;
        s.rate_limit_burst = 5;
    })
    .await;
    // A client that never resends.
    let impatient = HubClient::builder(&hub.url, geo_client::Identity::generate())
        .retry(geo_client::RetryPolicy {
            attempts: 1,
            ..Default::default()
        })
        .connect()
        .await
        .unwrap();
    // Default clients: registration and login are resent after 429 too.
    let (a, _b, c) = chain(&hub).await;
    let mut refused = None;
    for _ in 0..20 {
        if let Err(e) = impatient.equivalents().await {
            refused = Some(e);
            break;
        }
    }
    let e = refused.expect("the rate limit applies");
    assert_eq!(e.hub_code(), Some(ErrorCode::RateLimited));
    assert!(e.is_retryable());
    // Ten payments in a row exceed the budget; the client backs off and each goes through once.
    for _ in 0..10 {
        a.pay(PaymentOrder::new(c.pid(), "UAH", "1")).await.unwrap();
    }
    assert_eq!(net(&c).await, "10.00");
}

both_backends!(paying_an_invoice_link, |backend| async move {
    use base64::Engine as _;
    let hub = TestHub::start(backend).await;
    let (a, _b, c) = chain(&hub).await;
    let invoice = c.sign_invoice("UAH", "12.5", Some("honey"), 3600).unwrap();
    assert_eq!(
        (invoice.hub.clone(), invoice.payee.clone()),
        (hub.hub_pid(), c.pid())
    );

    // Refused before anything is sent: another hub's invoice, a tampered one.
    let now = geo_client::native::client::now();
    let elsewhere = geo_client::InvoiceOrder {
        hub: geo_client::Identity::generate().pid(),
        equivalent: "UAH".parse().unwrap(),
        amount: "12.5".parse().unwrap(),
        description: None,
        expires_at: now.plus_seconds(3600),
    };
    let payee = geo_client::Identity::generate();
    let foreign = geo_client::sign_invoice(&payee, &elsewhere, now).unwrap();
    let e = a.pay_invoice(&foreign.uri).await.unwrap_err();
    assert_eq!(e.code(), "E_WRONG_AUDIENCE", "{e}");
    let json = geo_protocol::link_to_json(&invoice.uri).unwrap();
    let tampered = json.replace("\"12.5\"", "\"1.5\"");
    assert_ne!(tampered, json);
    let link = format!(
        "{}{}",
        geo_protocol::INVOICE_LINK_PREFIX,
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tampered)
    );
    let e = a.pay_invoice(&link).await.unwrap_err();
    assert_eq!(e.code(), "E_INVALID_SIGNATURE", "{e}");
    assert_eq!(net(&a).await, "0.00", "nothing was paid");

    let receipt = a.pay_invoice(&invoice.uri).await.unwrap();
    assert_eq!(receipt.status, PaymentState::Committed);
    assert_eq!(
        (receipt.payee.clone(), receipt.amount.as_str()),
        (c.pid(), "12.50")
    );
    let seen = c.payment(&receipt.tx_id).await.unwrap();
    assert_eq!(seen.payment.description.as_deref(), Some("honey"));
    assert_eq!(
        seen.payment.invoice_id.as_deref(),
        Some(invoice.invoice_id.as_str())
    );
    assert_eq!(net(&a).await, "-12.50");
    assert_eq!(net(&c).await, "12.50");
});

both_backends!(
    a_batch_of_several_payers_payments_answers_each,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b, c) = chain(&hub).await;
        let signed = vec![
            a.sign_payment(&PaymentOrder::new(b.pid(), "UAH", "10"))
                .unwrap(),
            b.sign_payment(&PaymentOrder::new(c.pid(), "UAH", "20"))
                .unwrap(),
            a.sign_payment(&PaymentOrder::new(c.pid(), "UAH", "500"))
                .unwrap(),
        ];
        // One client sends them all; each payment's own signature authorises it.
        let results = c.submit_payments(&signed).await.unwrap();
        assert_eq!(results.len(), 3);
        let first = results[0].as_ref().unwrap();
        let second = results[1].as_ref().unwrap();
        let receipt = first.receipt.as_ref().unwrap();
        assert_eq!(
            (receipt.status, receipt.amount.as_str(), &receipt.payer),
            (PaymentState::Committed, "10.00", &a.pid())
        );
        assert_eq!(second.receipt.as_ref().unwrap().payer, b.pid());
        match &results[2] {
            Err(e) => assert_eq!(e.hub_code(), Some(ErrorCode::InsufficientCapacity), "{e}"),
            Ok(p) => panic!("500 cannot be routed: {p:?}"),
        }
        // Sent again, the batch answers the stored outcomes and changes nothing.
        let again = a.submit_payments(&signed[..2]).await.unwrap();
        assert_eq!(again[0].as_ref().unwrap(), first);
        assert_eq!(again[1].as_ref().unwrap(), second);
        assert_eq!(position(&a, &b).await, ("10.00".into(), "0.00".into()));
        assert_eq!(position(&b, &c).await, ("20.00".into(), "0.00".into()));
    }
);

/// A list longer than the hub's published cap goes as several batches: every payment answered,
/// in order, where one request would have been refused whole (`E_PAYLOAD_TOO_LARGE`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_longer_than_the_hubs_cap_goes_as_several_batches() {
    let hub = TestHub::start_with(Backend::Sqlite, |s| s.max_batch_payments = 2).await;
    let (a, b, _) = chain(&hub).await;
    assert_eq!(a.hub().info.limits.max_batch_payments, 2);
    let signed: Vec<_> = ["1", "2", "3", "4", "95"]
        .iter()
        .map(|amount| {
            a.sign_payment(&PaymentOrder::new(b.pid(), "UAH", amount))
                .unwrap()
        })
        .collect();
    let results = a.submit_payments(&signed).await.unwrap();
    assert_eq!(results.len(), 5);
    for (i, r) in results[..4].iter().enumerate() {
        let receipt = r.as_ref().unwrap().receipt.clone().unwrap();
        assert_eq!(receipt.tx_id, signed[i].payload().tx_id.to_string(), "{i}");
        assert_eq!(receipt.status, PaymentState::Committed, "{i}");
    }
    // 1 + 2 + 3 + 4 = 10 of the line's 100 are used: 95 cannot pass, and only it is refused.
    match &results[4] {
        Err(e) => assert_eq!(e.hub_code(), Some(ErrorCode::InsufficientCapacity), "{e}"),
        Ok(p) => panic!("95 cannot be routed: {p:?}"),
    }
    assert_eq!(net(&b).await, "10.00");
    assert!(a.submit_payments(&[]).await.unwrap().is_empty());
}
