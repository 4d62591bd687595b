//! A member of another community through the SDK (`spec/federation.md` §2): two hubs in this
//! process, A on SQLite and B on PostgreSQL, linked both ways; Alice at A pays Bob at B naming him
//! by his `geo:participant` address, as the CLI passes it on, reads the payment back with B's
//! receipt, and previews what she can pay him (`capacity`, SDK and CLI).

mod support;

use geo_client::{HubClient, Identity, ParticipantKind, Payee, PaymentOrder, PaymentState};
use geo_protocol::geo_uri::{HubUrl, ParticipantAddress};
use support::{position, Backend, TestHub};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn address(port: u16, key: &Identity) -> String {
    ParticipantAddress {
        hub: HubUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        pid: key.pid(),
    }
    .to_string()
}

/// A hub with key `key` on `port`, linked to `link`.
async fn hub(
    backend: Backend,
    key: &Identity,
    port: u16,
    link: String,
) -> (TestHub, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("hub.key");
    let hex: String = key.seed().iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(&key_file, hex).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let hub = TestHub::start_with(backend, |s| {
        s.listen = format!("127.0.0.1:{port}").parse().unwrap();
        s.hub_key_file = key_file.to_string_lossy().into_owned();
        s.federation_links = vec![link];
        s.federation_margin_seconds = 2;
        s.clearing_interval_seconds = 0;
    })
    .await;
    assert_eq!(hub.hub_pid(), key.pid());
    (hub, dir)
}

async fn client(hub: &TestHub, key: &Identity) -> HubClient {
    HubClient::connect(&hub.url, key.clone()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_member_of_another_community_is_paid_by_its_geo_address() {
    let (ka, kb) = (
        Identity::from_seed(&[0xa1; 32]),
        Identity::from_seed(&[0xb2; 32]),
    );
    let (port_a, port_b) = (free_port(), free_port());
    let (a, _ka_dir) = hub(Backend::Sqlite, &ka, port_a, address(port_b, &kb)).await;
    let (b, _kb_dir) = hub(Backend::Postgres, &kb, port_b, address(port_a, &ka)).await;
    // Each hub registers at the other as kind hub; both operators sign both inter-hub lines.
    let (a_at_a, b_at_b) = (client(&a, &ka).await, client(&b, &kb).await);
    a_at_a.login().await.unwrap();
    b_at_b.login().await.unwrap();
    let (a_at_b, b_at_a) = (client(&b, &ka).await, client(&a, &kb).await);
    a_at_b
        .register("A", ParticipantKind::Hub, None)
        .await
        .unwrap();
    b_at_a
        .register("B", ParticipantKind::Hub, None)
        .await
        .unwrap();
    for (creditor, debtor) in [
        (&a_at_a, &kb),
        (&b_at_a, &ka),
        (&b_at_b, &ka),
        (&a_at_b, &kb),
    ] {
        creditor
            .set_trust_line(&debtor.pid(), "UAH", "50", None)
            .await
            .unwrap();
    }
    let alice = a.participant("Alice").await;
    let bob = b.participant("Bob").await;
    a_at_a
        .set_trust_line(&alice.pid(), "UAH", "100", None)
        .await
        .unwrap();
    bob.set_trust_line(&kb.pid(), "UAH", "100", None)
        .await
        .unwrap();

    let bob_address = ParticipantAddress {
        hub: HubUrl::parse(&format!("http://127.0.0.1:{port_b}")).unwrap(),
        pid: bob.pid(),
    }
    .to_string();
    let order = PaymentOrder::to_payee(&bob_address, "UAH", "10").unwrap();
    assert_eq!(order.payee, bob.pid());
    let receipt = alice.pay(order).await.unwrap();
    assert_eq!(receipt.status, PaymentState::Committed);
    assert_eq!(receipt.amount, "10.00");
    // A's receipt names A's part: Alice to B's account.
    assert_eq!((&receipt.payer, &receipt.payee), (&alice.pid(), &kb.pid()));
    let signed: geo_protocol::SignedMessage<geo_protocol::PaymentReceipt> =
        alice.hub().verify_message(&receipt.json).unwrap();
    assert_eq!(signed.signer(), &ka.pid());
    // And B's receipt of its part, verified with B's key: A's account to Bob.
    let theirs = receipt.peer_receipt.as_deref().expect("B's receipt");
    assert_eq!((&theirs.payer, &theirs.payee), (&ka.pid(), &bob.pid()));
    assert_eq!(
        (theirs.tx_id.as_str(), theirs.amount.as_str()),
        (receipt.tx_id.as_str(), "10.00")
    );
    assert_eq!(theirs.status, PaymentState::Committed);
    let by_b: geo_protocol::SignedMessage<geo_protocol::PaymentReceipt> =
        geo_protocol::SignedMessage::from_json(&theirs.json).unwrap();
    assert_eq!(by_b.signer(), &kb.pid());
    by_b.verify_signature(&kb.public_key()).unwrap();
    let ten = ("10.00".to_owned(), "0.00".to_owned());
    assert_eq!(position(&alice, &a_at_a).await, ten);
    assert_eq!(position(&a_at_a, &b_at_a).await, ten);
    assert_eq!(position(&a_at_b, &b_at_b).await, ten);
    assert_eq!(position(&b_at_b, &bob).await, ten);
    // Bob sees the payment from A's account in his hub.
    let seen = bob.payment(&receipt.tx_id).await.unwrap();
    assert_eq!(seen.payment.status, PaymentState::Committed);
    // Alice reads it back with B's receipt, verified by the SDK as the payment's answer was.
    let read = alice.payment(&receipt.tx_id).await.unwrap();
    let read_theirs = read
        .receipt
        .as_ref()
        .and_then(|r| r.peer_receipt.as_deref())
        .expect("B's receipt read back");
    assert_eq!(read_theirs, theirs);

    // A capacity preview to Bob's geo: address: what both hubs carry, the line's 50 less the 10
    // paid; a PID of A's (here B's account) is previewed as before.
    let to_bob = Payee::parse(&bob_address).unwrap();
    assert_eq!((&to_bob.pid, to_bob.hub.is_some()), (&bob.pid(), true));
    let cap = alice.capacity(&to_bob, "UAH", Some("40")).await.unwrap();
    assert_eq!(
        (cap.payee.clone(), cap.max_amount.as_str(), cap.can_pay),
        (bob.pid(), "40.00", Some(true))
    );
    let cap = alice.capacity(&to_bob, "UAH", Some("40.01")).await.unwrap();
    assert_eq!(cap.can_pay, Some(false));
    let local = alice.capacity(&kb.pid().into(), "UAH", None).await.unwrap();
    assert_eq!(local.max_amount, "40.00");
    let unlinked: Payee = ParticipantAddress {
        hub: HubUrl::parse("http://127.0.0.1:9").unwrap(),
        pid: bob.pid(),
    }
    .into();
    let e = alice.capacity(&unlinked, "UAH", None).await.unwrap_err();
    assert_eq!(e.code(), "E_HUB_NOT_LINKED", "{e}");
    assert_eq!(
        Payee::parse("geo:participant?hub=nope").unwrap_err().code(),
        "E_MALFORMED"
    );

    // The hub's answer of another payment, as the SDK receives it: B's receipt tampered with,
    // signed by another key, or B's genuine receipt of another payment, fails verification with a
    // typed error.
    let order = PaymentOrder::to_payee(&bob_address, "UAH", "2").unwrap();
    let second = alice
        .submit_payment(&alice.sign_payment(&order).unwrap())
        .await
        .unwrap();
    let view = second.payment;
    assert!(
        view.peer_receipt.is_some() && view.peer_hub_key.is_some(),
        "{view:?}"
    );
    alice.hub().verify_payment(&view, &[]).unwrap();
    let mut tampered = view.clone();
    tampered.peer_receipt = Some(view.peer_receipt.as_ref().unwrap().replace("2.00", "20.00"));
    assert_ne!(tampered.peer_receipt, view.peer_receipt);
    let mut other_key = view.clone();
    other_key.peer_hub_key = Some(Identity::generate().public_key().to_base64());
    let mut other_payment = view.clone();
    other_payment.peer_receipt = Some(theirs.json.clone());
    let mut keyless = view.clone();
    keyless.peer_hub_key = None;
    for bad in [tampered, other_key, other_payment, keyless] {
        let e = alice.hub().verify_payment(&bad, &[]).unwrap_err();
        assert!(
            matches!(e, geo_client::GeoError::InvalidSignature { .. }),
            "{e}"
        );
        assert_eq!(e.code(), "E_INVALID_SIGNATURE");
    }
    let twelve = ("12.00".to_owned(), "0.00".to_owned());
    assert_eq!(position(&b_at_b, &bob).await, twelve);

    // The `geo` CLI pays the same geo: address and shows both receipts.
    let dir = tempfile::tempdir().unwrap();
    let geo = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_geo"))
            .args(args)
            .env("GEO_HUB", &a.url)
            .env("GEO_KEY_FILE", dir.path().join("dave.json"))
            .env("GEO_PASSWORD", "pw")
            .env_remove("GEO_MNEMONIC")
            .output()
            .expect("geo runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "geo {args:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    let init: serde_json::Value = serde_json::from_str(&geo(&["--json", "init"])).unwrap();
    let dave = geo_client::Pid::parse(init["pid"].as_str().unwrap()).unwrap();
    geo(&["--json", "register", "--name", "Dave"]);
    a_at_a
        .set_trust_line(&dave, "UAH", "100", None)
        .await
        .unwrap();
    let paid: serde_json::Value =
        serde_json::from_str(&geo(&["--json", "pay", &bob_address, "UAH", "3", "--yes"])).unwrap();
    assert_eq!(paid["status"], "committed", "{paid}");
    assert_eq!(paid["payee"], kb.pid().as_str());
    assert_eq!(paid["peer_receipt"]["signer"], kb.pid().as_str(), "{paid}");
    assert_eq!(paid["peer_receipt"]["payload"]["payee"], bob.pid().as_str());
    assert_eq!(paid["peer_receipt"]["payload"]["amount"], "3.00");
    let text = geo(&["pay", &bob_address, "UAH", "1", "--yes"]);
    assert!(text.contains("its receipt verified too"), "{text}");
    // `geo capacity` previews the same address: the line's 50 less the 16 paid.
    let cap: serde_json::Value = serde_json::from_str(&geo(&[
        "--json",
        "capacity",
        &bob_address,
        "UAH",
        "--amount",
        "35",
    ]))
    .unwrap();
    assert_eq!(
        (&cap["max_amount"], &cap["can_pay"], &cap["payee"]),
        (
            &serde_json::json!("34.00"),
            &serde_json::json!(false),
            &serde_json::json!(bob.pid().as_str())
        ),
        "{cap}"
    );
    let text = geo(&["capacity", &bob_address, "UAH"]);
    assert!(text.contains("up to 34.00 UAH"), "{text}");
    let sixteen = ("16.00".to_owned(), "0.00".to_owned());
    assert_eq!(position(&b_at_b, &bob).await, sixteen);

    // A malformed address is refused before anything is sent.
    let bad = PaymentOrder::to_payee("geo:participant?hub=nope", "UAH", "1");
    assert!(bad.is_err(), "{bad:?}");
    // More than the inter-hub line carries: a typed refusal, nothing applied.
    let too_much = alice
        .pay(PaymentOrder::to_payee(&bob_address, "UAH", "45").unwrap())
        .await
        .unwrap_err();
    assert_eq!(too_much.code(), "E_INSUFFICIENT_CAPACITY", "{too_much}");
    assert_eq!(position(&alice, &a_at_a).await, twelve);
    assert_eq!(position(&b_at_b, &bob).await, sixteen);
}
