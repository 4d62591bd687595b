//! Trust lines and the routing policies they carry, over HTTP, on SQLite and on PostgreSQL.

mod support;

use geo_protocol::*;
use serde_json::{json, Value};
use support::{assert_problem, sign_value, Client, TestHub};

fn zero() -> (String, String) {
    ("0.00".into(), "0.00".into())
}

fn policy(can_be_intermediate: bool, blocked: Vec<Pid>) -> Option<TrustLinePolicy> {
    Some(TrustLinePolicy {
        auto_clearing: true,
        can_be_intermediate,
        blocked_participants: blocked,
    })
}

fn constrained(req: PaymentRequest, c: PaymentConstraints) -> PaymentRequest {
    PaymentRequest {
        constraints: Some(c),
        ..req
    }
}

fn pids(items: &[Value], member: &str) -> Vec<Value> {
    items.iter().map(|l| l[member].clone()).collect()
}

both_backends!(create_update_get_and_list, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    let (s, line) = a.trust(&b, "100").await;
    assert_eq!(s, 200, "{line}");
    assert_eq!(
        (&line["creditor"], &line["debtor"], &line["equivalent"]),
        (&json!(a.pid()), &json!(b.pid()), &json!("UAH"))
    );
    assert_eq!(
        (
            line["limit"].as_str(),
            line["used"].as_str(),
            line["available"].as_str(),
            line["status"].as_str()
        ),
        (Some("100.00"), Some("0.00"), Some("100.00"), Some("active"))
    );
    assert_eq!(
        line["policy"],
        json!({ "auto_clearing": true, "can_be_intermediate": true, "blocked_participants": [] })
    );
    let id = line["id"].as_str().unwrap().to_owned();

    // Update: same line, new limit and the whole policy replaced.
    let (s, up) = a
        .trust_with(&b, "150.5", policy(false, vec![c.pid()]))
        .await;
    assert_eq!(s, 200, "{up}");
    assert_eq!(
        (up["id"].as_str(), up["limit"].as_str()),
        (Some(id.as_str()), Some("150.50"))
    );
    assert_eq!(up["policy"]["can_be_intermediate"], false);
    assert_eq!(up["policy"]["blocked_participants"], json!([c.pid()]));
    let (_, up) = a.trust(&b, "150.5").await;
    assert_eq!(
        up["policy"],
        json!({ "auto_clearing": true, "can_be_intermediate": true, "blocked_participants": [] }),
        "a set without a policy restores every default"
    );

    // By id: both parties see it, a third party cannot learn it exists.
    let (s, got) = a.get(&format!("/trust-lines/{id}")).await;
    assert_eq!((s, got["limit"].as_str()), (200, Some("150.50")), "{got}");
    assert_eq!(b.get(&format!("/trust-lines/{id}")).await.0, 200);
    assert_problem(
        &c.get(&format!("/trust-lines/{id}")).await,
        404,
        "E_NOT_FOUND",
    );
    assert_problem(
        &a.get(&format!("/trust-lines/{}", TxId::random())).await,
        404,
        "E_NOT_FOUND",
    );

    // Directions.
    assert_eq!(
        pids(&a.lines("direction=outgoing").await, "debtor"),
        [json!(b.pid())]
    );
    assert!(a.lines("direction=incoming").await.is_empty());
    assert_eq!(
        pids(&b.lines("direction=incoming").await, "creditor"),
        [json!(a.pid())]
    );
    assert!(b.lines("direction=outgoing").await.is_empty());
    c.trust(&a, "5").await;
    assert_eq!(
        pids(&a.lines("direction=incoming").await, "creditor"),
        [json!(c.pid())]
    );
    assert_eq!(a.lines("direction=all").await.len(), 2);
    assert_eq!(a.lines("").await.len(), 2, "all is the default");
    assert_problem(
        &a.get("/trust-lines?direction=sideways").await,
        422,
        "E_VALIDATION",
    );

    // Equivalent filter.
    hub.set_equivalent("HOUR", 0).await;
    assert_eq!(a.trust_in(&c.pid(), "HOUR", "8").await.0, 200);
    let hours = a.lines("direction=outgoing&equivalent=HOUR").await;
    assert_eq!(hours.len(), 1);
    assert_eq!(
        (hours[0]["debtor"].clone(), hours[0]["limit"].clone()),
        (json!(c.pid()), json!("8"))
    );
    let uah = a.lines("direction=outgoing&equivalent=UAH").await;
    assert_eq!(pids(&uah, "debtor"), [json!(b.pid())]);
    assert_eq!(a.lines("direction=outgoing").await.len(), 2);

    // Pagination over five more outgoing lines.
    let mut debtors = vec![json!(b.pid())];
    for i in 0..5 {
        let d = hub.participant(&format!("D{i}")).await;
        assert_eq!(a.trust(&d, "1").await.0, 200);
        debtors.push(json!(d.pid()));
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for page_no in 0.. {
        assert!(page_no < 5, "pagination does not end");
        let q = match &cursor {
            None => "direction=outgoing&equivalent=UAH&limit=2".to_owned(),
            Some(c) => format!("direction=outgoing&equivalent=UAH&limit=2&cursor={c}"),
        };
        let (s, page) = a.get(&format!("/trust-lines?{q}")).await;
        assert_eq!(s, 200, "{page}");
        for l in page["items"].as_array().unwrap() {
            assert!(!seen.contains(&l["id"]), "pages overlap");
            seen.push(l["id"].clone());
        }
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => {
                assert!(page.get("next_cursor").is_none(), "absent, not null");
                assert_eq!(
                    page["items"].as_array().unwrap().len(),
                    2,
                    "6 lines in pages of 2"
                );
                break;
            }
        }
    }
    assert_eq!(seen.len(), 6);
    let mut all = pids(
        &a.lines("direction=outgoing&equivalent=UAH&limit=200").await,
        "debtor",
    );
    all.sort_by_key(|v| v.to_string());
    debtors.sort_by_key(|v| v.to_string());
    assert_eq!(all, debtors);
});

both_backends!(refused_sets_change_nothing, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    hub.set_equivalent("HOUR", 0).await;

    // Self-trust (the client library refuses to sign it, so sign the raw envelope).
    let unsigned = a.unsigned(TrustLineSet {
        debtor: a.pid(),
        equivalent: "UAH".parse().unwrap(),
        limit: "10".parse().unwrap(),
        policy: None,
    });
    let msg = sign_value(&a.id, MessageType::TrustLineSet, &unsigned);
    assert_problem(
        &a.post_raw("/trust-lines", msg.to_string()).await,
        422,
        "E_SELF_TRUST",
    );

    assert_problem(
        &a.trust_in(&b.pid(), "EUR", "10").await,
        422,
        "E_UNKNOWN_EQUIVALENT",
    );
    assert_problem(
        &a.trust_in(&Identity::generate().pid(), "UAH", "10").await,
        422,
        "E_UNKNOWN_PARTICIPANT",
    );
    // More places than the equivalent's precision.
    assert_problem(
        &a.trust_in(&b.pid(), "UAH", "1.234").await,
        422,
        "E_INVALID_AMOUNT",
    );
    assert_problem(
        &a.trust_in(&b.pid(), "HOUR", "1.5").await,
        422,
        "E_INVALID_AMOUNT",
    );
    assert_problem(
        &a.trust_in(&b.pid(), "HOUR", "2.0").await,
        422,
        "E_INVALID_AMOUNT",
    );
    assert!(
        a.lines("").await.is_empty(),
        "no refused set created a line"
    );
    assert!(b.lines("").await.is_empty());

    let (s, l) = a.trust_in(&b.pid(), "HOUR", "2").await;
    assert_eq!((s, l["limit"].as_str()), (200, Some("2")), "{l}");
    let (s, l) = a.trust_in(&b.pid(), "UAH", "0").await;
    assert_eq!(
        (s, l["limit"].as_str()),
        (200, Some("0.00")),
        "a zero limit is allowed: {l}"
    );
    assert_eq!(a.lines("direction=outgoing").await.len(), 2);
});

both_backends!(limit_below_debt_and_closing, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    let (_, line) = b.trust(&a, "100").await;
    let id = line["id"].as_str().unwrap().to_owned();
    assert_eq!(a.pay(&b, "60").await.0, 200);

    // Lowering below the debt the line backs.
    let r = b.trust(&a, "59.99").await;
    assert_problem(&r, 409, "E_LIMIT_BELOW_DEBT");
    let (_, got) = b.get(&format!("/trust-lines/{id}")).await;
    assert_eq!(
        (got["limit"].as_str(), got["used"].as_str()),
        (Some("100.00"), Some("60.00"))
    );
    let (s, got) = b.trust(&a, "60").await;
    assert_eq!(
        (s, got["limit"].as_str()),
        (200, Some("60.00")),
        "down to the debt is allowed"
    );

    // Closing while the debtor owes the creditor.
    assert_problem(&b.close(&a.pid()).await, 409, "E_DEBT_OUTSTANDING");
    // Closing while the creditor owes the debtor: B pays A 80 over A's line to B.
    assert_eq!(a.trust(&b, "100").await.0, 200);
    let (s, p) = b.pay(&a, "80").await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(b.position(&a).await, ("20.00".into(), "0.00".into()));
    assert_problem(&b.close(&a.pid()).await, 409, "E_DEBT_OUTSTANDING");
    let (_, got) = b.get(&format!("/trust-lines/{id}")).await;
    assert_eq!(got["status"], "active", "refused closes change nothing");
    assert_eq!(b.position(&a).await, ("20.00".into(), "0.00".into()));

    // Repaid: the line closes and disappears.
    assert_eq!(a.pay(&b, "20").await.0, 200);
    assert_eq!(b.position(&a).await, zero());
    let (s, closed) = b.close(&a.pid()).await;
    assert_eq!(s, 200, "{closed}");
    assert!(b.lines("direction=outgoing").await.is_empty());
    assert_eq!(
        pids(&a.lines("direction=incoming").await, "creditor"),
        Vec::<Value>::new()
    );
    assert_problem(
        &b.get(&format!("/trust-lines/{id}")).await,
        404,
        "E_NOT_FOUND",
    );
    assert_problem(&a.pay(&b, "1").await, 422, "E_INSUFFICIENT_CAPACITY");
    // Closing again, or a line that never existed.
    assert_problem(&b.close(&a.pid()).await, 404, "E_NOT_FOUND");
    assert_problem(&c.close(&a.pid()).await, 404, "E_NOT_FOUND");

    // Set again: a new live line with a new id.
    let (s, again) = b.trust(&a, "5").await;
    assert_eq!(s, 200, "{again}");
    assert_ne!(again["id"].as_str(), Some(id.as_str()));
    assert_eq!(again["used"], "0.00");
    assert_eq!(a.pay(&b, "5").await.0, 200);
    assert_eq!(hub.integrity().await["status"], "ok");
});

both_backends!(can_be_intermediate_false, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    // B lets A owe it, but nothing entering B over that line may go on.
    assert_eq!(b.trust_with(&a, "100", policy(false, vec![])).await.0, 200);
    assert_eq!(c.trust(&b, "100").await.0, 200);
    assert_problem(&a.pay(&c, "10").await, 422, "E_INSUFFICIENT_CAPACITY");
    assert_eq!(
        (a.position(&b).await, b.position(&c).await),
        (zero(), zero())
    );
    // Paying the creditor itself is fine, and so is the creditor paying on.
    assert_eq!(a.pay(&b, "10").await.0, 200);
    assert_eq!(b.pay(&c, "10").await.0, 200);
    assert_eq!(a.position(&b).await.0, "10.00");
    // Default policy again: the same payment now routes through B.
    assert_eq!(b.trust(&a, "100").await.0, 200);
    let (s, p) = a.pay(&c, "10").await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["routes"][0]["path"], json!([a.pid(), b.pid(), c.pid()]));
});

both_backends!(blocked_participants, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c, d) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
        hub.participant("D").await,
    );
    // A → B → C → D, where D's line to C refuses B as an intermediate.
    b.trust(&a, "100").await;
    c.trust(&b, "100").await;
    assert_eq!(
        d.trust_with(&c, "100", policy(true, vec![b.pid()])).await.0,
        200
    );
    assert_problem(&a.pay(&d, "10").await, 422, "E_INSUFFICIENT_CAPACITY");
    assert_eq!(c.position(&d).await, zero());
    // Paths not using the hop C → D are unaffected, as is B paying D itself (B is then the payer).
    assert_eq!(a.pay(&c, "10").await.0, 200);
    let (s, p) = b.pay(&d, "10").await;
    assert_eq!(s, 200, "{p}");
    // Another way in, A → E → C → D, carries it.
    let e = hub.participant("E").await;
    e.trust(&a, "100").await;
    c.trust(&e, "100").await;
    let (s, p) = a.pay(&d, "10").await;
    assert_eq!(s, 200, "{p}");
    let routes = p["routes"].as_array().unwrap();
    assert!(routes
        .iter()
        .all(|r| !r["path"].as_array().unwrap().contains(&json!(b.pid()))));
    assert_eq!(
        routes[0]["path"],
        json!([a.pid(), e.pid(), c.pid(), d.pid()])
    );
});

both_backends!(
    suspended_participants_are_not_routed,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b, c) = (
            hub.participant("A").await,
            hub.participant("B").await,
            hub.participant("C").await,
        );
        b.trust(&a, "100").await;
        c.trust(&b, "100").await;
        hub.admin_status(&b.pid(), "suspended").await;
        assert_problem(&a.pay(&c, "10").await, 422, "E_INSUFFICIENT_CAPACITY");
        assert_problem(&a.pay(&b, "10").await, 403, "E_PARTICIPANT_INACTIVE");
        hub.admin_status(&b.pid(), "active").await;
        hub.admin_status(&c.pid(), "suspended").await;
        assert_problem(&a.pay(&c, "10").await, 403, "E_PARTICIPANT_INACTIVE");
        assert_eq!(
            (a.position(&b).await, b.position(&c).await),
            (zero(), zero())
        );
        let (_, history) = a.get("/payments?status=committed").await;
        assert_eq!(history["items"], json!([]));
        hub.admin_status(&c.pid(), "active").await;
        let (s, p) = a.pay(&c, "10").await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(b.position(&c).await.0, "10.00");
    }
);

both_backends!(hop_limit, |backend| async move {
    let hub = TestHub::start(backend).await;
    let mut chain: Vec<Client> = Vec::new();
    for name in ["A", "B", "C", "D", "E"] {
        chain.push(hub.participant(name).await);
    }
    for w in chain.windows(2) {
        assert_eq!(w[1].trust(&w[0], "100").await.0, 200);
    }
    let (a, e) = (&chain[0], &chain[4]);
    let three = constrained(
        a.payment(e, "10"),
        PaymentConstraints {
            max_hops: Some(3),
            ..Default::default()
        },
    );
    assert_problem(&a.pay_request(three).await, 422, "E_INSUFFICIENT_CAPACITY");
    assert_eq!(a.position(&chain[1]).await, zero());
    let four = constrained(
        a.payment(e, "10"),
        PaymentConstraints {
            max_hops: Some(4),
            ..Default::default()
        },
    );
    let (s, p) = a.pay_request(four).await;
    assert_eq!(s, 200, "{p}");
    let path: Vec<Value> = chain.iter().map(|c| json!(c.pid())).collect();
    assert_eq!(p["routes"][0]["path"], Value::Array(path));
});

both_backends!(avoid_list, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c, d) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
        hub.participant("D").await,
    );
    b.trust(&a, "100").await;
    d.trust(&b, "100").await;
    c.trust(&a, "100").await;
    d.trust(&c, "100").await;
    let avoid = |pids: Vec<Pid>| PaymentConstraints {
        avoid: pids,
        ..Default::default()
    };
    let (s, p) = a
        .pay_request(constrained(a.payment(&d, "10"), avoid(vec![b.pid()])))
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["routes"].as_array().unwrap().len(), 1);
    assert_eq!(p["routes"][0]["path"], json!([a.pid(), c.pid(), d.pid()]));
    assert_eq!(b.position(&d).await, zero());
    let r = a
        .pay_request(constrained(
            a.payment(&d, "10"),
            avoid(vec![b.pid(), c.pid()]),
        ))
        .await;
    assert_problem(&r, 422, "E_INSUFFICIENT_CAPACITY");
    assert_eq!(c.position(&d).await.0, "10.00");
    // The payee is never an intermediate, so naming it in `avoid` does not stop the payment.
    let (s, p) = a
        .pay_request(constrained(a.payment(&d, "10"), avoid(vec![d.pid()])))
        .await;
    assert_eq!(s, 200, "{p}");
});
