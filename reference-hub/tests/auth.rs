//! Registration, login, tokens and participant profiles over HTTP, on SQLite and on PostgreSQL.

mod support;

use base64::Engine as _;
use geo_protocol::*;
use serde_json::{json, Value};
use sha2::Digest as _;
use support::{assert_problem, sign_value, Answer, Client, TestHub};

/// Bitcoin-style base58, written out here so the PID rule is checked independently of the protocol crate.
fn base58(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut digits: Vec<u8> = Vec::new(); // little-endian base-58 digits
    for &b in bytes {
        let mut carry = b as u32;
        for d in digits.iter_mut() {
            carry += (*d as u32) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let mut s = "1".repeat(zeros);
    s.extend(digits.iter().rev().map(|&d| ALPHABET[d as usize] as char));
    s
}

async fn challenge(c: &Client, pid: &Pid) -> Answer {
    c.post_raw("/auth/challenge", json!({ "pid": pid }).to_string())
        .await
}

/// A login attempt that may be refused.
async fn try_login(c: &Client) -> Answer {
    let (s, ch) = challenge(c, &c.pid()).await;
    assert_eq!(s, 200, "{ch}");
    let msg = c.sign(Login {
        challenge: ch["challenge"].as_str().unwrap().into(),
    });
    c.post("/auth/login", &msg).await
}

async fn patch_me(c: &Client, msg: &SignedMessage<ParticipantUpdate>) -> Answer {
    c.send(
        reqwest::Method::PATCH,
        "/participants/me",
        Some(msg.to_json()),
    )
    .await
}

both_backends!(registration, |backend| async move {
    let hub = TestHub::start(backend).await;
    let id = Identity::generate();
    let mut alice = Client::new(&hub, id.clone());
    let (s, v) = alice.register("Alice").await;
    assert_eq!(s, 201, "{v}");
    // The PID is base58(sha256(the 32 raw key bytes)), recomputed here from the key the hub returns.
    let raw = base64::engine::general_purpose::STANDARD
        .decode(v["public_key"].as_str().unwrap())
        .unwrap();
    assert_eq!(raw, id.public_key().to_bytes());
    let expected = base58(&sha2::Sha256::digest(&raw));
    assert_eq!(v["pid"], json!(expected));
    assert_eq!(alice.pid().as_str(), expected);
    assert_eq!(
        (
            v["display_name"].as_str(),
            v["status"].as_str(),
            v["kind"].as_str()
        ),
        (Some("Alice"), Some("active"), Some("person"))
    );

    // The same key again, freshly signed: refused, and the first registration stands.
    let dup = alice.register("Alice again").await;
    assert_problem(&dup, 409, "E_ALREADY_EXISTS");

    // A registration whose signer is not the PID of the key it registers (signed by that key).
    let key_owner = Identity::generate();
    let claimed = Client::new(&hub, Identity::generate());
    let unsigned = claimed.unsigned(ParticipantRegister {
        public_key: key_owner.public_key(),
        display_name: "Mallory".into(),
        kind: ParticipantKind::Person,
        profile: None,
    });
    let forged = sign_value(&key_owner, MessageType::ParticipantRegister, &unsigned);
    let r = claimed.post_raw("/participants", forged.to_string()).await;
    assert_problem(&r, 422, "E_VALIDATION");
    // Neither identity got registered.
    assert_problem(
        &challenge(&claimed, &claimed.pid()).await,
        422,
        "E_UNKNOWN_PARTICIPANT",
    );
    assert_problem(
        &challenge(&claimed, &key_owner.pid()).await,
        422,
        "E_UNKNOWN_PARTICIPANT",
    );

    alice.login().await;
    let (s, me) = alice.get("/participants/me").await;
    assert_eq!((s, me["display_name"].as_str()), (200, Some("Alice")));
});

both_backends!(challenge_and_login, |backend| async move {
    let hub = TestHub::start(backend).await;
    let mut a = Client::new(&hub, Identity::generate());
    assert_eq!(a.register("A").await.0, 201);
    let b = hub.participant("B").await;

    // Unknown participant.
    let stranger = Identity::generate().pid();
    assert_problem(
        &challenge(&a, &stranger).await,
        422,
        "E_UNKNOWN_PARTICIPANT",
    );

    // Happy path.
    let (s, ch) = challenge(&a, &a.pid()).await;
    assert_eq!(s, 200, "{ch}");
    let text = ch["challenge"].as_str().unwrap().to_owned();
    assert_eq!(text.len(), 43, "32 bytes of base64url without padding");
    assert!(text
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    let (s, t) = a
        .post(
            "/auth/login",
            &a.sign(Login {
                challenge: text.clone(),
            }),
        )
        .await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["participant"]["pid"], json!(a.pid()));
    a.token = Some(t["access_token"].as_str().unwrap().into());
    let (s, me) = a.get("/participants/me").await;
    assert_eq!((s, me["pid"].clone()), (200, json!(a.pid())));

    // The same challenge again (a new, valid login message): single use.
    let again = a
        .post(
            "/auth/login",
            &a.sign(Login {
                challenge: text.clone(),
            }),
        )
        .await;
    assert_problem(&again, 401, "E_CHALLENGE_INVALID");

    // A challenge issued for A, used by B.
    let (_, ch) = challenge(&a, &a.pid()).await;
    let for_a = ch["challenge"].as_str().unwrap().to_owned();
    let stolen = b
        .post(
            "/auth/login",
            &b.sign(Login {
                challenge: for_a.clone(),
            }),
        )
        .await;
    assert_problem(&stolen, 401, "E_CHALLENGE_INVALID");
    // B's failed attempt did not use up A's challenge.
    let (s, t) = a
        .post("/auth/login", &a.sign(Login { challenge: for_a }))
        .await;
    assert_eq!(s, 200, "{t}");

    // A challenge the hub never issued.
    let made_up = a
        .post(
            "/auth/login",
            &a.sign(Login {
                challenge: "A".repeat(43),
            }),
        )
        .await;
    assert_problem(&made_up, 401, "E_CHALLENGE_INVALID");

    // No token, a garbage token, another scheme.
    for token in [None, Some("garbage"), Some("")] {
        let r = a.with_token(token).get("/participants/me").await;
        assert_problem(&r, 401, "E_UNAUTHORIZED");
    }
    let r = hub
        .http
        .get(format!("{}/api/v1/participants/me", hub.url))
        .header("authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "E_UNAUTHORIZED");
});

both_backends!(refresh_rotates, |backend| async move {
    let hub = TestHub::start(backend).await;
    let a = hub.participant("A").await;
    let old_refresh = a.refresh.clone().unwrap();
    let (s, t) = a
        .post_raw(
            "/auth/refresh",
            json!({ "refresh_token": old_refresh }).to_string(),
        )
        .await;
    assert_eq!(s, 200, "{t}");
    let new_access = t["access_token"].as_str().unwrap().to_owned();
    let new_refresh = t["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(new_refresh, old_refresh);
    assert_ne!(Some(new_access.clone()), a.token);
    let a2 = a.with_token(Some(&new_access));
    let (s, me) = a2.get("/participants/me").await;
    assert_eq!((s, me["pid"].clone()), (200, json!(a.pid())));

    // The old refresh token is spent.
    let r = a
        .post_raw(
            "/auth/refresh",
            json!({ "refresh_token": old_refresh }).to_string(),
        )
        .await;
    assert_problem(&r, 401, "E_TOKEN_EXPIRED");
    // The new one works, once.
    let body = json!({ "refresh_token": new_refresh }).to_string();
    assert_eq!(a.post_raw("/auth/refresh", body.clone()).await.0, 200);
    assert_problem(
        &a.post_raw("/auth/refresh", body).await,
        401,
        "E_TOKEN_EXPIRED",
    );
    assert_problem(
        &a.post_raw(
            "/auth/refresh",
            json!({ "refresh_token": "never-issued" }).to_string(),
        )
        .await,
        401,
        "E_TOKEN_EXPIRED",
    );
});

both_backends!(profile_update, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    let profile = Profile([("city".to_owned(), "Kyiv".to_owned())].into());
    let msg = a.sign(ParticipantUpdate {
        display_name: Some("Alice".into()),
        profile: Some(profile.clone()),
    });
    let (s, v) = patch_me(&a, &msg).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["display_name"].clone(), v["profile"].clone()),
        (json!("Alice"), json!({ "city": "Kyiv" }))
    );
    // Others see the change.
    let (s, seen) = b.get(&format!("/participants/{}", a.pid())).await;
    assert_eq!(s, 200, "{seen}");
    assert_eq!(seen["display_name"], "Alice");
    assert_eq!(seen["profile"], json!({ "city": "Kyiv" }));

    // B's signed update sent with A's token: refused, nobody changes.
    let by_b = b.sign(ParticipantUpdate {
        display_name: Some("Hijacked".into()),
        profile: None,
    });
    assert_problem(&patch_me(&a, &by_b).await, 403, "E_WRONG_SIGNER");
    assert_eq!(a.get("/participants/me").await.1["display_name"], "Alice");
    assert_eq!(b.get("/participants/me").await.1["display_name"], "B");

    // The profile alone: replaced whole, the name kept.
    let msg = a.sign(ParticipantUpdate {
        display_name: None,
        profile: Some(Profile(
            [("site".to_owned(), "a.example".to_owned())].into(),
        )),
    });
    let (s, v) = patch_me(&a, &msg).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["display_name"].clone(), v["profile"].clone()),
        (json!("Alice"), json!({ "site": "a.example" }))
    );
});

both_backends!(get_and_search_participants, |backend| async move {
    let hub = TestHub::start(backend).await;
    let a = hub.participant("A").await;
    let b = hub.participant("Bob").await;
    let (s, v) = a.get(&format!("/participants/{}", b.pid())).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["pid"].clone(), v["display_name"].clone()),
        (json!(b.pid()), json!("Bob"))
    );
    assert_eq!(v["public_key"], json!(b.id.public_key().to_base64()));
    let r = a
        .get(&format!("/participants/{}", Identity::generate().pid()))
        .await;
    assert_problem(&r, 404, "E_NOT_FOUND");

    let mut zephyrs = Vec::new();
    for i in 0..5 {
        zephyrs.push(hub.participant(&format!("zephyr {i}")).await.pid());
    }
    hub.participant("someone else").await;
    let mut seen: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            None => "/participants?q=zephyr&limit=2".to_owned(),
            Some(c) => format!("/participants?q=zephyr&limit=2&cursor={c}"),
        };
        let (s, page) = a.get(&path).await;
        assert_eq!(s, 200, "{page}");
        let items = page["items"].as_array().unwrap();
        pages += 1;
        assert!(items.len() <= 2);
        for it in items {
            assert!(!seen.contains(&it["pid"]), "pages overlap on {}", it["pid"]);
            seen.push(it["pid"].clone());
        }
        match page.get("next_cursor") {
            Some(Value::String(c)) => cursor = Some(c.clone()),
            None => {
                assert_eq!(items.len(), 1, "the last page holds the fifth");
                break;
            }
            Some(other) => panic!("next_cursor must be absent, not {other}"),
        }
        assert!(pages < 5, "pagination does not end");
    }
    assert_eq!(pages, 3);
    let mut want: Vec<Value> = zephyrs.iter().map(|p| json!(p)).collect();
    want.sort_by_key(|v| v.to_string());
    seen.sort_by_key(|v| v.to_string());
    assert_eq!(seen, want);
    let (_, none) = a.get("/participants?q=nobody-has-this-name").await;
    assert_eq!(none["items"], json!([]));
    assert!(none.get("next_cursor").is_none());
});

both_backends!(suspended_participant, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    hub.admin_status(&a.pid(), "suspended").await;

    // Its live token no longer lets it act.
    assert_problem(&a.trust(&b, "10").await, 403, "E_PARTICIPANT_INACTIVE");
    assert_problem(&a.pay(&b, "1").await, 403, "E_PARTICIPANT_INACTIVE");
    let upd = a.sign(ParticipantUpdate {
        display_name: Some("Renamed".into()),
        profile: None,
    });
    assert_problem(&patch_me(&a, &upd).await, 403, "E_PARTICIPANT_INACTIVE");
    // Nor log in or refresh.
    assert_problem(&try_login(&a).await, 403, "E_PARTICIPANT_INACTIVE");
    let r = a
        .post_raw(
            "/auth/refresh",
            json!({ "refresh_token": a.refresh.clone().unwrap() }).to_string(),
        )
        .await;
    assert_problem(&r, 403, "E_PARTICIPANT_INACTIVE");
    // Nothing changed.
    let (_, seen) = b.get(&format!("/participants/{}", a.pid())).await;
    assert_eq!(
        (seen["status"].as_str(), seen["display_name"].as_str()),
        (Some("suspended"), Some("A"))
    );
    assert!(b.lines("direction=incoming").await.is_empty());
    assert_eq!(b.position(&a).await, ("0.00".into(), "0.00".into()));

    // Reactivated: logs in and acts again.
    hub.admin_status(&a.pid(), "active").await;
    let (s, t) = try_login(&a).await;
    assert_eq!(s, 200, "{t}");
    let a = a.with_token(t["access_token"].as_str());
    assert_eq!(a.trust(&b, "10").await.0, 200);
    assert_eq!(a.pay(&b, "1").await.0, 200);
    assert_eq!(b.position(&a).await, ("0.00".into(), "1.00".into()));
});
