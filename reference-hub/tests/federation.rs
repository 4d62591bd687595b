//! Federation, as far as the hub builds it (`spec/federation.md` §1): the hub's own account, who
//! may register as a hub, and the linked hubs of the discovery document.

mod support;

use geo_protocol::geo_uri::{HubUrl, ParticipantAddress};
use geo_protocol::*;
use serde_json::{json, Value};
use support::*;

async fn register_as(hub: &TestHub, id: &Identity, kind: ParticipantKind) -> Answer {
    let c = Client::new(hub, id.clone());
    let msg = c.sign(ParticipantRegister {
        public_key: id.public_key(),
        display_name: "Hub B".into(),
        kind,
        profile: None,
    });
    c.post(geo_api::participant::REGISTER.path, &msg).await
}

both_backends!(
    linked_hubs_register_as_hubs_and_discovery_lists_them,
    |backend| async move {
        let b = Identity::from_seed(&[0x0b; 32]);
        let link = ParticipantAddress {
            hub: HubUrl::parse("http://127.0.0.1:9/geo").unwrap(),
            pid: b.pid(),
        };
        let mut hub = TestHub::start_with(backend, |s| {
            s.federation_links = vec![link.to_string()];
        })
        .await;
        let info: Value = reqwest::get(hub.api_url("/hub"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            info["linked_hubs"],
            json!([{"hub_pid": b.pid().as_str(), "url": "http://127.0.0.1:9/geo"}])
        );

        // The hub is a participant of its own ledger, of kind hub, under its own key.
        let carol = hub.participant("Carol").await;
        let own = carol.get(&format!("/participants/{}", hub.hub_pid)).await;
        assert_eq!(own.0, 200, "{}", own.1);
        assert_eq!(own.1["kind"], "hub");
        assert_eq!(own.1["public_key"], info["public_key"]);

        // A hub nobody linked may not register as one, and nothing is recorded.
        let stranger = Identity::from_seed(&[0x0c; 32]);
        let refused = register_as(&hub, &stranger, ParticipantKind::Hub).await;
        assert_problem(&refused, 403, "E_FORBIDDEN");
        let absent = carol
            .get(&format!("/participants/{}", stranger.pid()))
            .await;
        assert_eq!(absent.0, 404, "{}", absent.1);
        // The same key may still register as what it is not claiming to be: a business.
        let business = register_as(&hub, &stranger, ParticipantKind::Business).await;
        assert_eq!(business.0, 201, "{}", business.1);

        // The linked hub registers with its hub key.
        let linked = register_as(&hub, &b, ParticipantKind::Hub).await;
        assert_eq!(linked.0, 201, "{}", linked.1);
        assert_eq!(linked.1["kind"], "hub");

        // A restart finds the own account registered (no second registration, no refusal).
        hub.restart().await;
        let dave = hub.participant("Dave").await;
        let hubs = dave.get("/participants?kind=hub").await;
        assert_eq!(hubs.0, 200, "{}", hubs.1);
        let mut pids: Vec<&str> = hubs.1["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["pid"].as_str().unwrap())
            .collect();
        pids.sort();
        let b_pid = b.pid();
        let mut want = vec![hub.hub_pid.as_str(), b_pid.as_str()];
        want.sort();
        assert_eq!(pids, want);
    }
);

#[test]
fn a_link_that_is_not_a_geo_address_is_refused_at_start() {
    let mut s = reference_hub::config::Settings {
        federation_links: vec!["https://b.example".into()],
        ..Default::default()
    };
    let e = s.validate().unwrap_err().to_string();
    assert!(e.contains("federation_links"), "{e}");
    let pid = Identity::from_seed(&[1; 32]).pid();
    let link = format!("geo:participant?hub=https://b.example&pid={pid}");
    s.federation_links = vec![link.clone(), link.replace("b.example", "c.example")];
    assert!(s.validate().unwrap_err().to_string().contains("twice"));
    s.federation_links = vec![link];
    assert!(s.validate().is_ok());
    s.federation_margin_seconds = 1;
    assert!(s.validate().is_err());
}

/// A signed answer of the hub under test, checked with its key: the reject's code.
fn rejected(hub_key: &PublicKey, to: &Pid, answer: &Answer) -> String {
    assert_eq!(answer.0, 200, "{}", answer.1);
    let reject = SignedMessage::<HubReject>::from_value(answer.1.clone())
        .unwrap_or_else(|e| panic!("not a hub_reject ({e}): {}", answer.1));
    let policy = VerifyPolicy::new(reference_hub::writer::now(), Some(to.clone()));
    reject.verify(hub_key, &policy).unwrap();
    assert_eq!(reject.payload().stage, HubRejectStage::Prepare);
    reject.payload().code.as_str().to_owned()
}

fn fulfilled(hub_key: &PublicKey, to: &Pid, answer: &Answer) -> SignedMessage<HubFulfil> {
    assert_eq!(answer.0, 200, "{}", answer.1);
    let fulfil = SignedMessage::<HubFulfil>::from_value(answer.1.clone())
        .unwrap_or_else(|e| panic!("not a hub_fulfil ({e}): {}", answer.1));
    let policy = VerifyPolicy::new(reference_hub::writer::now(), Some(to.clone()));
    fulfil.verify(hub_key, &policy).unwrap();
    fulfil
}

// The hub under test is the payee's hub B; the test plays hub A, signing with A's key
// (federation.md §6, downstream).
both_backends!(
    the_payee_hub_fulfils_a_linked_hubs_prepare_once,
    |backend| async move {
        let a = Identity::from_seed(&[0x0a; 32]);
        let link = ParticipantAddress {
            hub: HubUrl::parse("http://127.0.0.1:9").unwrap(),
            pid: a.pid(),
        };
        let mut hub = TestHub::start_with(backend, |s| {
            s.federation_links = vec![link.to_string()];
        })
        .await;
        let b: Identity = (*hub.hub().state.hub).clone();
        let b_key = b.public_key();
        assert_eq!(register_as(&hub, &a, ParticipantKind::Hub).await.0, 201);
        let bob = hub.participant("Bob").await;
        // The inter-hub line in B's ledger (B trusts A, signed with B's key), and Bob trusts B.
        let mut b_own = Client::new(&hub, b.clone());
        b_own.login().await;
        assert_eq!(b_own.trust_in(&a.pid(), "UAH", "100.00").await.0, 200);
        assert_eq!(bob.trust_in(&b.pid(), "UAH", "100.00").await.0, 200);
        let a_hub = Client::new(&hub, a.clone());
        let alice_at_a = Identity::from_seed(&[0xa1; 32]).pid();

        let condition_of = |tx: TxId| {
            format!(
                "/federation/condition?payer_hub={}&tx_id={tx}&payee={}&equivalent=UAH",
                a.pid(),
                bob.pid()
            )
        };
        let condition = |answer: Answer| {
            assert_eq!(answer.0, 200, "{}", answer.1);
            Digest::parse(answer.1["condition"].as_str().unwrap()).unwrap()
        };
        let prepare = |tx: TxId, amount: &str, condition: Digest, hold: i64| HubPrepare {
            tx_id: tx,
            payer: alice_at_a.clone(),
            payee: bob.pid(),
            equivalent: "UAH".parse().unwrap(),
            amount: amount.parse().unwrap(),
            condition,
            hold_until: reference_hub::writer::now().plus_seconds(hold),
            request_digest: Digest::of(b"alice's payment_request"),
            description: Some("honey".into()),
        };
        let path = geo_api::federation::PREPARE.path;

        // Happy path: the condition, then the prepare, answered with the preimage and B's receipt.
        let tx = TxId::random();
        let c = condition(a_hub.get(&condition_of(tx)).await);
        let msg = a_hub.sign(prepare(tx, "25.00", c, 30));
        let first = a_hub.post(path, &msg).await;
        let fulfil = fulfilled(&b_key, &a.pid(), &first);
        fulfil.payload().preimage.fulfils(&c).unwrap();
        let receipt = fulfil.payload().decode_receipt().unwrap();
        receipt.verify_signature(&b_key).unwrap();
        let r = receipt.payload();
        assert_eq!(
            (&r.payer, &r.payee, r.amount.as_str()),
            (&a.pid(), &bob.pid(), "25.00")
        );
        assert_eq!(r.status, PaymentStatus::Committed);
        assert_eq!(r.request_digest, msg.digest());
        assert_eq!(r.routes[0].path, vec![a.pid(), b.pid(), bob.pid()]);
        assert_eq!(bob.balance().await["net"], "25.00");
        assert_eq!(bob.position(&b_own).await, ("0.00".into(), "25.00".into()));

        // The same prepare again, as sent or re-signed, gets the same preimage and receipt.
        let again = fulfilled(&b_key, &a.pid(), &a_hub.post(path, &msg).await);
        let resigned = a_hub.sign(msg.payload().clone());
        let third = fulfilled(&b_key, &a.pid(), &a_hub.post(path, &resigned).await);
        for f in [&again, &third] {
            assert_eq!(f.payload().preimage, fulfil.payload().preimage);
            assert_eq!(f.payload().receipt, fulfil.payload().receipt);
        }
        assert_eq!(bob.balance().await["net"], "25.00", "paid once");

        // Refusals, each a signed hub_reject, none changing anything.
        let changed = a_hub.sign(prepare(tx, "26.00", c, 30));
        assert_eq!(
            rejected(&b_key, &a.pid(), &a_hub.post(path, &changed).await),
            "E_TX_ID_CONFLICT"
        );
        let tx2 = TxId::random();
        let lying = a_hub.sign(prepare(tx2, "1.00", c, 30));
        assert_eq!(
            rejected(&b_key, &a.pid(), &a_hub.post(path, &lying).await),
            "E_CONDITION_MISMATCH"
        );
        let c2 = condition(a_hub.get(&condition_of(tx2)).await);
        let short = a_hub.sign(prepare(tx2, "1.00", c2, 10));
        assert_eq!(
            rejected(&b_key, &a.pid(), &a_hub.post(path, &short).await),
            "E_EXPIRY_TOO_SHORT"
        );
        let long = a_hub.sign(prepare(tx2, "1.00", c2, 130));
        assert_eq!(
            rejected(&b_key, &a.pid(), &a_hub.post(path, &long).await),
            "E_VALIDATION"
        );
        let places = a_hub.sign(prepare(tx2, "1.001", c2, 30));
        assert_eq!(
            rejected(&b_key, &a.pid(), &a_hub.post(path, &places).await),
            "E_INVALID_AMOUNT"
        );
        // More than the inter-hub line carries: a routed refusal, stored under its tx_id.
        let too_much = a_hub.sign(prepare(tx2, "75.01", c2, 30));
        assert_eq!(
            rejected(&b_key, &a.pid(), &a_hub.post(path, &too_much).await),
            "E_INSUFFICIENT_CAPACITY"
        );
        assert_eq!(
            rejected(&b_key, &a.pid(), &a_hub.post(path, &too_much).await),
            "E_INSUFFICIENT_CAPACITY"
        );
        // A registered participant that is not a linked hub.
        let carol = hub.participant("Carol").await;
        let from_carol = carol.sign(prepare(TxId::random(), "1.00", c2, 30));
        assert_eq!(
            rejected(&b_key, &carol.pid(), &carol.post(path, &from_carol).await),
            "E_HUB_NOT_LINKED"
        );
        // A signer with no key here is refused before anything is signed.
        let stranger = Client::new(&hub, Identity::from_seed(&[0x5e; 32]));
        let unknown = stranger.sign(prepare(TxId::random(), "1.00", c2, 30));
        assert_problem(
            &stranger.post(path, &unknown).await,
            422,
            "E_UNKNOWN_PARTICIPANT",
        );
        assert_eq!(
            bob.balance().await["net"],
            "25.00",
            "no refusal changed anything"
        );

        // The condition endpoint's refusals.
        let q = |payer_hub: &str, tx: &str, payee: &str| {
            format!("/federation/condition?payer_hub={payer_hub}&tx_id={tx}&payee={payee}&equivalent=UAH")
        };
        let (ap, bp, t) = (
            a.pid().to_string(),
            bob.pid().to_string(),
            TxId::random().to_string(),
        );
        let cp = carol.pid().to_string();
        assert_problem(&a_hub.get(&q(&cp, &t, &bp)).await, 422, "E_HUB_NOT_LINKED");
        assert_problem(&a_hub.get(&q(&ap, "nope", &bp)).await, 422, "E_VALIDATION");
        let nobody = Identity::from_seed(&[0x5f; 32]).pid().to_string();
        assert_problem(
            &a_hub.get(&q(&ap, &t, &nobody)).await,
            422,
            "E_UNKNOWN_PARTICIPANT",
        );

        // After a restart the journal answers the same prepare with the same fulfil.
        hub.restart().await;
        let a_hub = Client::new(&hub, a.clone());
        let after = fulfilled(&b_key, &a.pid(), &a_hub.post(path, &msg).await);
        assert_eq!(after.payload().preimage, fulfil.payload().preimage);
        assert_eq!(after.payload().receipt, fulfil.payload().receipt);
    }
);
