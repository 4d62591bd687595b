//! Forged, expired, replayed and malformed requests are refused with the right code and change nothing.

mod support;

use geo_protocol::*;
use serde_json::{json, Value};
use support::{assert_problem, fresh_nonce, sign_value, Client, TestHub};

/// A trust line from the signer to `debtor` in UAH.
fn set(debtor: &Client, limit: &str) -> TrustLineSet {
    TrustLineSet {
        debtor: debtor.pid(),
        equivalent: "UAH".parse().unwrap(),
        limit: limit.parse().unwrap(),
        policy: None,
    }
}

/// Nothing at all happened between A and B: no lines either way, no debts, no payments.
async fn untouched(a: &Client, b: &Client) {
    assert!(a.lines("").await.is_empty(), "A has no lines");
    assert!(b.lines("").await.is_empty(), "B has no lines");
    assert_eq!(a.position(b).await, ("0.00".into(), "0.00".into()));
    let (s, h) = a.get("/payments").await;
    assert_eq!(
        (s, h["items"].clone()),
        (200, json!([])),
        "A has no payments"
    );
    let (_, h) = b.get("/payments").await;
    assert_eq!(h["items"], json!([]), "B has no payments");
}

fn now_plus(seconds: i64) -> Timestamp {
    reference_hub::writer::now().plus_seconds(seconds)
}

both_backends!(forged_and_tampered_signatures, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);

    // Says it is A's, signed with B's key.
    let unsigned = a.unsigned(set(&b, "999"));
    let forged = sign_value(&b.id, MessageType::TrustLineSet, &unsigned);
    assert_problem(
        &a.post_raw("/trust-lines", forged.to_string()).await,
        400,
        "E_INVALID_SIGNATURE",
    );
    // A's genuine message with the limit changed after signing.
    let genuine = a.sign(set(&b, "10"));
    let mut tampered = genuine.to_value();
    tampered["payload"]["limit"] = json!("1000");
    assert_problem(
        &a.post_raw("/trust-lines", tampered.to_string()).await,
        400,
        "E_INVALID_SIGNATURE",
    );
    // A payment signed by B's key in A's name.
    let unsigned = a.unsigned(a.payment(&b, "5"));
    let forged = sign_value(&b.id, MessageType::PaymentRequest, &unsigned);
    assert_problem(
        &a.post_raw("/payments", forged.to_string()).await,
        400,
        "E_INVALID_SIGNATURE",
    );
    untouched(&a, &b).await;
    // The refusals did not burn the genuine message's nonce.
    let (s, line) = a.post("/trust-lines", &genuine).await;
    assert_eq!((s, line["limit"].as_str()), (200, Some("10.00")), "{line}");
});

both_backends!(audience_and_validity_window, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    let envelope = |audience: Option<Pid>, created: Timestamp, ttl: i64, p: PaymentRequest| {
        Envelope::new(a.pid(), audience, fresh_nonce(), created, ttl, p)
            .sign(&a.id)
            .unwrap()
    };
    let now = reference_hub::writer::now();
    let req = a.payment(&b, "5");

    let other_hub = Some(Identity::generate().pid());
    let r = a
        .post("/payments", &envelope(other_hub, now, 300, req.clone()))
        .await;
    assert_problem(&r, 400, "E_WRONG_AUDIENCE");
    let r = a
        .post("/payments", &envelope(None, now, 300, req.clone()))
        .await;
    assert_problem(&r, 400, "E_WRONG_AUDIENCE");

    let r = a
        .post("/payments", &a.sign_at(req.clone(), now_plus(-1200), 300))
        .await;
    assert_problem(&r, 400, "E_EXPIRED");
    let r = a
        .post("/payments", &a.sign_at(req.clone(), now_plus(300), 300))
        .await;
    assert_problem(&r, 400, "E_NOT_YET_VALID");
    let r = a.post("/payments", &a.sign_at(req.clone(), now, 601)).await;
    assert_problem(&r, 400, "E_VALIDITY_TOO_LONG");
    let r = a.post("/payments", &a.sign_at(req.clone(), now, 0)).await;
    assert_problem(&r, 400, "E_VALIDITY_TOO_LONG");
    // The same checks guard trust lines.
    let r = a
        .post(
            "/trust-lines",
            &a.sign_at(set(&b, "1"), now_plus(-1200), 300),
        )
        .await;
    assert_problem(&r, 400, "E_EXPIRED");

    // Nothing happened: no debt, no payment, no line from A; and the tx_id is still free.
    assert_eq!(a.position(&b).await, ("0.00".into(), "0.00".into()));
    assert_eq!(a.get("/payments").await.1["items"], json!([]));
    assert_problem(
        &a.get(&format!("/payments/{}", req.tx_id)).await,
        404,
        "E_NOT_FOUND",
    );
    assert!(a.lines("direction=outgoing").await.is_empty());
    let (s, p) = a.pay_request(req).await;
    assert_eq!((s, p["status"].as_str()), (200, Some("committed")), "{p}");
    // A window of exactly the maximum is accepted.
    let (s, p) = a
        .post("/payments", &a.sign_at(a.payment(&b, "1"), now, 600))
        .await;
    assert_eq!(s, 200, "{p}");
});

both_backends!(replayed_messages, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    let first = a.sign(set(&b, "10"));
    assert_eq!(a.post("/trust-lines", &first).await.0, 200);
    assert_problem(&a.post("/trust-lines", &first).await, 409, "E_REPLAYED");
    // A raises the limit; replaying the old message must not roll it back.
    assert_eq!(a.trust(&b, "20").await.0, 200);
    assert_problem(&a.post("/trust-lines", &first).await, 409, "E_REPLAYED");
    let lines = a.lines("direction=outgoing").await;
    assert_eq!(
        (lines.len(), lines[0]["limit"].as_str()),
        (1, Some("20.00"))
    );
    // A close replayed after the line was set again.
    let close = a.sign(TrustLineClose {
        debtor: b.pid(),
        equivalent: "UAH".parse().unwrap(),
    });
    assert_eq!(a.post("/trust-lines/close", &close).await.0, 200);
    assert_eq!(a.trust(&b, "30").await.0, 200);
    assert_problem(
        &a.post("/trust-lines/close", &close).await,
        409,
        "E_REPLAYED",
    );
    let lines = a.lines("direction=outgoing").await;
    assert_eq!(
        (lines.len(), lines[0]["limit"].as_str()),
        (1, Some("30.00"))
    );
});

both_backends!(wrong_type_and_malformed_bodies, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    let line_msg = a.sign(set(&b, "10"));
    assert_problem(
        &a.post("/payments", &line_msg).await,
        400,
        "E_WRONG_MESSAGE_TYPE",
    );
    let pay_msg = a.sign(a.payment(&b, "1"));
    assert_problem(
        &a.post("/trust-lines", &pay_msg).await,
        400,
        "E_WRONG_MESSAGE_TYPE",
    );

    let text = line_msg.to_json();
    assert!(text.contains(r#""limit":"10""#), "{text}");
    let malformed = [
        "{".to_owned(),
        String::new(),
        "[]".to_owned(),
        "not json".to_owned(),
        format!("{text} {{}}"),
        // Duplicate member names (the later one would raise the limit).
        text.replacen(r#""payload":{"#, r#""payload":{"limit":"5000","#, 1),
        text.replacen(
            r#""protocol":"geo/1""#,
            r#""protocol":"geo/1","protocol":"geo/1""#,
            1,
        ),
        // Floats and exponents anywhere.
        text.replacen(r#""limit":"10""#, r#""limit":10.5"#, 1),
        text.replacen(r#""limit":"10""#, r#""limit":1e3"#, 1),
        // null, even for an optional member.
        text.replacen(r#""payload":{"#, r#""payload":{"policy":null,"#, 1),
        text.replacen(
            r#""protocol":"geo/1""#,
            r#""protocol":"geo/1","audience2":null"#,
            1,
        ),
    ];
    for body in malformed {
        let r = a.post_raw("/trust-lines", body.clone()).await;
        assert_eq!(
            (r.0, r.1["code"].as_str()),
            (400, Some("E_MALFORMED")),
            "{body}: {}",
            r.1
        );
    }
    // Validly signed but of the wrong shape: an unknown member, a missing member.
    let mut extra = a.unsigned(set(&b, "10"));
    extra["extra"] = json!("x");
    let r = a
        .post_raw(
            "/trust-lines",
            sign_value(&a.id, MessageType::TrustLineSet, &extra).to_string(),
        )
        .await;
    assert_problem(&r, 400, "E_MALFORMED");
    let mut missing = a.unsigned(set(&b, "10"));
    missing.as_object_mut().unwrap().remove("nonce");
    let r = a
        .post_raw(
            "/trust-lines",
            sign_value(&a.id, MessageType::TrustLineSet, &missing).to_string(),
        )
        .await;
    assert_problem(&r, 400, "E_MALFORMED");

    // Amounts that are not canonical decimal strings, validly signed.
    for bad in ["1e3", "01", "-1", " 1", "1.", ".5", "+1"] {
        let mut v = a.unsigned(set(&b, "10"));
        v["payload"]["limit"] = json!(bad);
        let r = a
            .post_raw(
                "/trust-lines",
                sign_value(&a.id, MessageType::TrustLineSet, &v).to_string(),
            )
            .await;
        assert_problem(&r, 422, "E_INVALID_AMOUNT");
        let mut v = a.unsigned(a.payment(&b, "1"));
        v["payload"]["amount"] = json!(bad);
        let r = a
            .post_raw(
                "/payments",
                sign_value(&a.id, MessageType::PaymentRequest, &v).to_string(),
            )
            .await;
        assert_problem(&r, 422, "E_INVALID_AMOUNT");
    }
    // A zero payment.
    let mut v = a.unsigned(a.payment(&b, "1"));
    v["payload"]["amount"] = json!("0");
    let r = a
        .post_raw(
            "/payments",
            sign_value(&a.id, MessageType::PaymentRequest, &v).to_string(),
        )
        .await;
    assert_problem(&r, 422, "E_INVALID_AMOUNT");
    untouched(&a, &b).await;
    // Every refused message left its nonce unused: the original is still accepted.
    assert_eq!(a.post("/trust-lines", &line_msg).await.0, 200);
});

both_backends!(oversized_bodies, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    // A genuine message padded with white space past 64 KiB.
    let msg = a.sign(set(&b, "10")).to_json();
    let padded = format!("{}{msg}", " ".repeat(64 * 1024));
    let r = a.post_raw("/trust-lines", padded).await;
    assert_problem(&r, 413, "E_PAYLOAD_TOO_LARGE");
    let huge = json!({ "pid": "x".repeat(70 * 1024) }).to_string();
    let anon = a.with_token(None);
    assert_problem(
        &anon.post_raw("/auth/challenge", huge.clone()).await,
        413,
        "E_PAYLOAD_TOO_LARGE",
    );
    assert_problem(
        &anon.post_raw("/participants", huge).await,
        413,
        "E_PAYLOAD_TOO_LARGE",
    );
    untouched(&a, &b).await;
});

both_backends!(
    signed_by_someone_else_than_the_caller,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let (a, b, c) = (
            hub.participant("A").await,
            hub.participant("B").await,
            hub.participant("C").await,
        );
        b.trust(&a, "100").await;
        let req = a.payment(&b, "10");
        let by_a = a.sign(req.clone());
        // B (or anyone holding A's signed message) cannot submit it under its own token.
        assert_problem(&b.post("/payments", &by_a).await, 403, "E_WRONG_SIGNER");
        assert_problem(&c.post("/payments", &by_a).await, 403, "E_WRONG_SIGNER");
        let line_by_a = a.sign(set(&c, "10"));
        assert_problem(
            &c.post("/trust-lines", &line_by_a).await,
            403,
            "E_WRONG_SIGNER",
        );
        assert_eq!(a.position(&b).await, ("0.00".into(), "0.00".into()));
        assert_problem(
            &a.get(&format!("/payments/{}", req.tx_id)).await,
            404,
            "E_NOT_FOUND",
        );
        assert_eq!(b.get("/payments").await.1["items"], json!([]));
        assert!(a.lines("direction=outgoing").await.is_empty());
        // A itself can.
        let (s, p) = a.post("/payments", &by_a).await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(a.position(&b).await.0, "10.00");
    }
);

both_backends!(
    unknown_endpoints_are_problem_documents,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        // Outside `/api` an extensionless path is one of the web wallet's own pages (client-side
        // routes, `api::web`); a missing file there is still a problem document.
        for path in [
            "/api/v1/nope",
            "/api/nope",
            "/nope.json",
            "/admin/missing.js",
            "/api/v1/payments/x/y/z",
            "/api/v2/hub",
        ] {
            let r = hub
                .http
                .get(format!("{}{path}", hub.url))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 404, "{path}");
            assert_eq!(
                r.headers()["content-type"].to_str().unwrap(),
                "application/problem+json",
                "{path}"
            );
            let body: Value = r.json().await.unwrap();
            assert_eq!(
                (body["code"].as_str(), body["status"].as_u64()),
                (Some("E_NOT_FOUND"), Some(404))
            );
        }
    }
);

both_backends!(
    unserved_method_is_a_problem_document,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        // A known path with a method it does not serve is refused with a problem document too.
        let r = hub
            .http
            .delete(format!("{}/api/v1/trust-lines", hub.url))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert!((400..500).contains(&status), "{status}");
        assert_eq!(
            r.headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned()),
            Some("application/problem+json".to_owned()),
            "status {status}: every refusal is an RFC 9457 document with a stable code"
        );
    }
);

both_backends!(
    operator_endpoints_need_the_admin_token,
    |backend| async move {
        let hub = TestHub::start(backend).await;
        let a = hub.participant("A").await;
        let bearer = a.token.clone().unwrap();
        let base = format!("{}/api/v1/admin", hub.url);
        // (Surrounding white space is not part of an HTTP field value, so it is no "wrong token" case.)
        let tokens: [Option<&str>; 5] = [
            None,
            Some(""),
            Some("wrong"),
            Some("test-admin-toke"),
            Some("TEST-ADMIN-TOKEN"),
        ];
        for token in tokens {
            let with = |rb: reqwest::RequestBuilder| {
                let rb = rb.bearer_auth(&bearer);
                match token {
                    Some(t) => rb.header("x-admin-token", t),
                    None => rb,
                }
            };
            let answers = [
                with(hub.http.put(format!("{base}/equivalents/EUR")))
                    .json(&json!({ "precision": 2 }))
                    .send()
                    .await
                    .unwrap(),
                with(
                    hub.http
                        .post(format!("{base}/participants/{}/status", a.pid())),
                )
                .json(&json!({ "status": "suspended" }))
                .send()
                .await
                .unwrap(),
                with(hub.http.get(format!("{base}/integrity")))
                    .send()
                    .await
                    .unwrap(),
                with(hub.http.get(format!("{base}/stats")))
                    .send()
                    .await
                    .unwrap(),
            ];
            // No token (an empty field is none) and a wrong one are both unauthenticated (401),
            // told apart by the detail.
            let detail = match token {
                None | Some("") => "operator token required",
                Some(_) => "wrong operator token",
            };
            for r in answers {
                assert_eq!(r.status(), 401, "token {token:?}");
                let body: Value = r.json().await.unwrap();
                assert_eq!(body["code"], "E_UNAUTHORIZED", "token {token:?}");
                assert!(body["detail"].as_str().unwrap().contains(detail), "{body}");
            }
        }
        // Nothing changed: no EUR, A still active and acting.
        let (_, eqs) = a.get("/equivalents").await;
        assert!(
            eqs.as_array().unwrap().iter().all(|e| e["code"] != "EUR"),
            "{eqs}"
        );
        assert_eq!(a.get("/participants/me").await.1["status"], "active");
        let b = hub.participant("B").await;
        assert_eq!(a.trust(&b, "1").await.0, 200);
    }
);

both_backends!(rate_limited, |backend| async move {
    let hub = TestHub::start_with(backend, |s| {
        s.rate_limit_per_second = 1;
        s.rate_limit_burst = 3;
    })
    .await;
    // Starting the hub spent some of this address's budget: let it refill before registering.
    tokio::time::sleep(std::time::Duration::from_millis(2600)).await;
    let a = hub.participant("A").await;
    // A fresh token has a full budget of 3.
    for _ in 0..3 {
        assert_eq!(a.get("/participants/me").await.0, 200);
    }
    let rename = a.sign(ParticipantUpdate {
        display_name: Some("Renamed".into()),
        profile: None,
    });
    let r = a
        .http
        .patch(format!("{}/participants/me", a.base))
        .bearer_auth(a.token.clone().unwrap())
        .header("content-type", "application/json")
        .body(rename.to_json())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "E_RATE_LIMITED");
    // After waiting as told, the refused update had no effect.
    tokio::time::sleep(std::time::Duration::from_secs(retry)).await;
    let (s, me) = a.get("/participants/me").await;
    assert_eq!((s, me["display_name"].as_str()), (200, Some("A")));
});

both_backends!(
    rate_limit_is_not_reset_by_made_up_tokens,
    |backend| async move {
        let hub = TestHub::start_with(backend, |s| {
            s.rate_limit_per_second = 1;
            s.rate_limit_burst = 3;
        })
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(2600)).await;
        // One client presenting a new invented bearer token on every request must not get a new budget
        // each time (otherwise the limit on registration, challenges and logins is void).
        let mut statuses = Vec::new();
        for i in 0..5 {
            let r = hub
                .http
                .post(format!("{}/api/v1/auth/challenge", hub.url))
                .bearer_auth(format!("invented-{i}-{}", TxId::random()))
                .json(&json!({ "pid": Identity::generate().pid() }))
                .send()
                .await
                .unwrap();
            statuses.push(r.status().as_u16());
        }
        assert!(
            statuses.contains(&429),
            "five quick requests from one address with invented tokens: {statuses:?}"
        );
    }
);
