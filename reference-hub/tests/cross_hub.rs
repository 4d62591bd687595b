//! Two communities, one payment (`spec/federation.md` §6), with two real `geo-hub` processes on
//! loopback: hub A on SQLite, hub B on PostgreSQL, each with its own data folder and port. A member
//! of A pays a member of B over the inter-hub line; then the faults: a refusal by B, B down, a
//! duplicated prepare, a hub that lies about its fulfilment, a late fulfilment, either hub killed
//! mid-payment; 100 payments racing for the inter-hub line; a debt cycle through both hubs.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use geo_api as api;
use geo_protocol::federation::Preimage;
use geo_protocol::geo_uri::{HubUrl, ParticipantAddress};
use geo_protocol::*;
use serde_json::{json, Value};
use support::outage::{self, HubProcess};
use support::*;

/// One hub run by the binary: its root URL, key, process and the operator's client of itself.
struct Hub {
    root: String,
    key: Identity,
    process: Option<HubProcess>,
    /// The arguments it was started with (a restart uses them again).
    args: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Hub {
    /// A hub that does not exist (to build a request to a member of one's own hub).
    fn none() -> Hub {
        Hub {
            root: "http://127.0.0.1:9".into(),
            key: Identity::from_seed(&[0; 32]),
            process: None,
            args: Vec::new(),
            _dir: tempfile::tempdir().unwrap(),
        }
    }

    fn url(&self) -> HubUrl {
        HubUrl::parse(&self.root).unwrap()
    }

    fn address(&self) -> ParticipantAddress {
        ParticipantAddress {
            hub: self.url(),
            pid: self.key.pid(),
        }
    }

    /// A client of this hub signing as `id` (not logged in).
    fn client(&self, id: &Identity) -> Client {
        Client {
            id: id.clone(),
            base: format!("{}{}", self.root, api::BASE),
            hub_pid: self.key.pid(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            token: None,
            refresh: None,
        }
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut r = reqwest::Client::new()
            .request(method, format!("{}{}{path}", self.root, api::BASE))
            .header("x-admin-token", outage::ADMIN);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        let status = r.status();
        let body = r.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// The operator's answer to `GET` of `endpoint`.
    async fn read(&self, endpoint: &api::Endpoint) -> Value {
        self.admin(reqwest::Method::GET, endpoint.path, None).await
    }

    async fn integrity_holds(&self) {
        let v = self
            .admin(reqwest::Method::GET, api::operator::INTEGRITY.path, None)
            .await;
        assert_eq!(v["status"], "ok", "integrity of {}: {v}", self.root);
        assert_eq!(v["problems"], json!([]), "integrity of {}: {v}", self.root);
    }

    /// Stops it at once, as a crash would (SIGKILL).
    fn stop(&mut self) {
        self.process.take();
    }

    /// Starts it again on its data and port.
    async fn restart(&mut self) {
        assert!(self.process.is_none(), "stop it first");
        self.process = Some(spawn(&self.args));
        outage::ready(&reqwest::Client::new(), &self.root, Duration::from_secs(60)).await;
    }
}

fn spawn(args: &[String]) -> HubProcess {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_geo-hub"));
    command.args(args);
    outage::spawn(command)
}

/// Starts a hub with key `seed` on `port`, linked to `links`.
async fn start(seed: u8, port: u16, database_url: Option<String>, links: &[String]) -> Hub {
    let dir = tempfile::tempdir().unwrap();
    let key = Identity::from_seed(&[seed; 32]);
    let hex: String = key.seed().iter().map(|b| format!("{b:02x}")).collect();
    let key_file = dir.path().join("hub.key");
    std::fs::write(&key_file, hex).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut args = outage::hub_args(dir.path(), port);
    for (flag, value) in [
        ("--federation-links", links.join(",")),
        ("--federation-margin-seconds", "2".into()),
        ("--clearing-interval-seconds", "0".into()),
    ] {
        args.extend([flag.to_owned(), value]);
    }
    if let Some(url) = database_url {
        args.extend(["--database-url".to_owned(), url]);
    }
    args.push("serve".into());
    let mut hub = Hub {
        root: format!("http://127.0.0.1:{port}"),
        key,
        process: None,
        args,
        _dir: dir,
    };
    hub.restart().await;
    hub.admin(
        reqwest::Method::PUT,
        &api::equivalent::SET.path_with(&["UAH"]),
        Some(json!({ "precision": 2, "description": "hryvnia" })),
    )
    .await;
    hub
}

/// `who`, a hub, registers at `at` as kind hub and logs in there.
async fn register_hub(at: &Hub, who: &Identity) -> Client {
    let mut c = at.client(who);
    let msg = c.sign(ParticipantRegister {
        public_key: who.public_key(),
        display_name: "linked hub".into(),
        kind: ParticipantKind::Hub,
        profile: None,
    });
    let r = c.post(api::participant::REGISTER.path, &msg).await;
    assert_eq!(r.0, 201, "{}", r.1);
    c.login().await;
    c
}

async fn member(at: &Hub, name: &str) -> Client {
    let mut c = at.client(&Identity::generate());
    let r = c.register(name).await;
    assert_eq!(r.0, 201, "{}", r.1);
    c.login().await;
    c
}

async fn operator(at: &Hub) -> Client {
    let mut c = at.client(&at.key);
    c.login().await;
    c
}

fn ok(answer: Answer) -> Value {
    assert!(answer.0 < 300, "{}: {}", answer.0, answer.1);
    answer.1
}

fn to(payer: &Client, payee: &Pid, at: &Hub, amount: &str, hold: Option<u32>) -> PaymentRequest {
    PaymentRequest {
        tx_id: TxId::random(),
        payee: payee.clone(),
        payee_hub: Some(at.url()),
        equivalent: "UAH".parse().unwrap(),
        amount: amount.parse().unwrap(),
        description: Some(format!("from {}", payer.pid())),
        constraints: None,
        hold_seconds: hold,
        invoice_id: None,
    }
}

async fn published_key(hub: &Hub) -> PublicKey {
    let info: api::HubInfo = reqwest::get(format!("{}{}/hub", hub.root, api::BASE))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    PublicKey::from_base64(&info.public_key).unwrap()
}

fn receipt(text: &Value, key: &PublicKey) -> SignedMessage<PaymentReceipt> {
    let msg = SignedMessage::<PaymentReceipt>::from_value(text.clone()).expect("a receipt");
    msg.verify_signature(key).expect("the receipt verifies");
    msg
}

/// Two hubs linked to each other: A (SQLite, also linked to `more`) and B (PostgreSQL), each
/// registered at the other, with the inter-hub lines signed by both operators in both ledgers:
/// B trusts A up to `b_trusts_a` as `(in A's ledger, in B's)`, A trusts B up to 50.
struct Pair {
    a: Hub,
    b: Hub,
    a_at_a: Client,
    b_at_b: Client,
    a_at_b: Client,
    b_at_a: Client,
}

const SEED_A: u8 = 0xa1;
const SEED_B: u8 = 0xb2;

fn address_of(seed: u8, port: u16) -> String {
    ParticipantAddress {
        hub: HubUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        pid: Identity::from_seed(&[seed; 32]).pid(),
    }
    .to_string()
}

async fn linked_pair(more: &[String], b_trusts_a: (&str, &str)) -> Pair {
    let port_b = outage::free_port();
    linked_pair_via(port_b, port_b, more, b_trusts_a).await
}

/// As [`linked_pair`], with A reaching B at `via` (a proxy of the test's) instead of B's `port_b`.
async fn linked_pair_via(port_b: u16, via: u16, more: &[String], b_trusts_a: (&str, &str)) -> Pair {
    let port_a = outage::free_port();
    let mut links = vec![address_of(SEED_B, via)];
    links.extend_from_slice(more);
    let a = start(SEED_A, port_a, None, &links).await;
    let pg = fresh_postgres_url().await;
    let b = start(SEED_B, port_b, Some(pg), &[address_of(SEED_A, port_a)]).await;
    assert_eq!(a.address().to_string(), address_of(SEED_A, port_a));
    let (a_at_a, b_at_b) = (operator(&a).await, operator(&b).await);
    let a_at_b = register_hub(&b, &a.key).await;
    let b_at_a = register_hub(&a, &b.key).await;
    let (ka, kb) = (a.key.pid(), b.key.pid());
    for (creditor, debtor, limit) in [
        (&b_at_a, &ka, b_trusts_a.0),
        (&b_at_b, &ka, b_trusts_a.1),
        (&a_at_a, &kb, "50"),
        (&a_at_b, &kb, "50"),
    ] {
        ok(creditor.trust_in(debtor, "UAH", limit).await);
    }
    Pair {
        a,
        b,
        a_at_a,
        b_at_b,
        a_at_b,
        b_at_a,
    }
}

/// Two linked hubs where A reaches B only through the test's proxy; Alice of A (trusted 100 by A)
/// and Bob of B (trusting B 100); and B as A's members address it, at the proxy.
struct Scene {
    p: Pair,
    alice: Client,
    bob: Client,
    b_seen_by_a: Hub,
    proxy: tokio::task::JoinHandle<()>,
}

/// The scene with a proxy that behaves as `mode` says.
async fn scene_through(mode: Mode) -> Scene {
    let (port_b, port_proxy) = (outage::free_port(), outage::free_port());
    let proxy = tokio::spawn(network(port_proxy, port_b, mode));
    let p = linked_pair_via(port_b, port_proxy, &[], ("50", "50")).await;
    let alice = member(&p.a, "Alice").await;
    let bob = member(&p.b, "Bob").await;
    ok(p.a_at_a.trust_in(&alice.pid(), "UAH", "100").await);
    ok(bob.trust_in(&p.b.key.pid(), "UAH", "100").await);
    let b_seen_by_a = Hub {
        root: format!("http://127.0.0.1:{port_proxy}"),
        key: p.b.key.clone(),
        process: None,
        args: Vec::new(),
        _dir: tempfile::tempdir().unwrap(),
    };
    Scene {
        p,
        alice,
        bob,
        b_seen_by_a,
        proxy,
    }
}

/// The scene with a proxy whose link starts cut, and its switch.
async fn cut_scene() -> (Scene, Arc<AtomicBool>) {
    let cut = Arc::new(AtomicBool::new(true));
    (scene_through(Mode::Cut(cut.clone())).await, cut)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_member_of_one_hub_pays_a_member_of_another() {
    // C is a hub that lies (served by this test below); A is linked to B and to C.
    let port_c = outage::free_port();
    let kc = Identity::from_seed(&[0xc3; 32]);
    let Pair {
        a,
        mut b,
        a_at_a,
        b_at_b,
        a_at_b,
        b_at_a,
    } = linked_pair(&[address_of(0xc3, port_c)], ("50", "50")).await;
    let (ka, kb) = (a.key.clone(), b.key.clone());
    let alice = member(&a, "Alice").await;
    let bob = member(&b, "Bob").await;
    ok(a_at_a.trust_in(&alice.pid(), "UAH", "100").await);
    ok(bob.trust_in(&kb.pid(), "UAH", "100").await);

    // Alice pays Bob 10.00, naming him by his geo: address.
    let request = alice.sign(to(&alice, &bob.pid(), &b, "10.00", None));
    let paid = ok(alice.post(api::payment::PAY.path, &request).await);
    assert_eq!(paid["status"], "committed", "{paid}");
    let (key_a, key_b) = (published_key(&a).await, published_key(&b).await);
    let mine = receipt(&paid["receipt"], &key_a);
    let theirs = receipt(&paid["peer_receipt"], &key_b);
    assert_eq!(mine.payload().tx_id, request.payload().tx_id);
    assert_eq!(theirs.payload().tx_id, request.payload().tx_id);
    assert_eq!(
        (&mine.payload().payer, &mine.payload().payee),
        (&alice.pid(), &kb.pid())
    );
    assert_eq!(
        (&theirs.payload().payer, &theirs.payload().payee),
        (&ka.pid(), &bob.pid())
    );
    assert_eq!(theirs.payload().amount.as_str(), "10.00");
    assert_eq!(theirs.payload().status, PaymentStatus::Committed);
    // The preimage B released is the one of the condition B gives for this payment.
    let condition_query = api::federation::ConditionQuery {
        payer_hub: ka.pid().to_string(),
        tx_id: request.payload().tx_id.to_string(),
        payee: bob.pid().to_string(),
        equivalent: "UAH".into(),
    };
    let condition: api::federation::Condition = reqwest::get(format!(
        "{}{}{}",
        b.root,
        api::BASE,
        api::federation::CONDITION.path_with_query(&[], &condition_query)
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let preimage = Preimage::parse(paid["preimage"].as_str().unwrap()).unwrap();
    preimage.fulfils(&condition.condition).unwrap();

    // Balances: Alice owes A, A owes B (in both ledgers), B owes Bob.
    let positions = || async {
        (
            alice.position(&a_at_a).await.0,
            a_at_a.position(&b_at_a).await.0,
            b_at_b.position(&a_at_b).await.1,
            bob.position(&b_at_b).await.1,
        )
    };
    let after_one = (
        "10.00".to_owned(),
        "10.00".to_owned(),
        "10.00".to_owned(),
        "10.00".to_owned(),
    );
    assert_eq!(positions().await, after_one);

    // The same request again: the same outcome, with B's receipt asked again; nothing twice.
    let again = ok(alice.post(api::payment::PAY.path, &request).await);
    assert_eq!(again["journal_seq"], paid["journal_seq"]);
    assert_eq!(again["receipt"], paid["receipt"]);
    assert_eq!(again["peer_receipt"], paid["peer_receipt"]);
    // A duplicated prepare (re-signed with a new nonce, as A resends it) gets B's stored fulfil.
    let prepare = HubPrepare {
        tx_id: request.payload().tx_id,
        payer: alice.pid(),
        payee: bob.pid(),
        equivalent: "UAH".parse().unwrap(),
        amount: "10.00".parse().unwrap(),
        condition: condition.condition,
        hold_until: Timestamp::parse(paid["hold_expires_at"].as_str().unwrap()).unwrap(),
        request_digest: request.digest(),
        description: request.payload().description.clone(),
    };
    let hub_a_at_b = b.client(&ka);
    for _ in 0..2 {
        let answer = ok(hub_a_at_b
            .post(
                api::federation::PREPARE.path,
                &hub_a_at_b.sign(prepare.clone()),
            )
            .await);
        let fulfil = SignedMessage::<HubFulfil>::from_value(answer).expect("B's stored fulfil");
        assert_eq!(fulfil.payload().preimage, preimage);
    }
    // The same tx_id with another payload is a conflict, and changes nothing.
    let other = HubPrepare {
        amount: "11.00".parse().unwrap(),
        ..prepare.clone()
    };
    let answer = ok(hub_a_at_b
        .post(api::federation::PREPARE.path, &hub_a_at_b.sign(other))
        .await);
    let reject = SignedMessage::<HubReject>::from_value(answer).expect("a reject");
    assert_eq!(reject.payload().code, ErrorCode::TxIdConflict);
    assert_eq!(positions().await, after_one);

    // A member of B that does not exist: B refuses, A applies nothing and says why.
    let stranger = Identity::generate().pid();
    let refused = alice
        .pay_request(to(&alice, &stranger, &b, "1.00", None))
        .await;
    assert_problem(&refused, 422, "E_UNKNOWN_PARTICIPANT");
    // More than the inter-hub line carries: refused at A before B is asked.
    let too_much = alice
        .pay_request(to(&alice, &bob.pid(), &b, "45.00", None))
        .await;
    assert_problem(&too_much, 422, "E_INSUFFICIENT_CAPACITY");
    // A hub that is not linked.
    let mut unlinked = to(&alice, &bob.pid(), &b, "1.00", None);
    unlinked.payee_hub = Some(HubUrl::parse("http://127.0.0.1:9").unwrap());
    assert_problem(&alice.pay_request(unlinked).await, 422, "E_HUB_NOT_LINKED");
    assert_eq!(positions().await, after_one);

    // A hub that lies: C gives a condition, then "fulfils" with another preimage, signed.
    let c_at_a = register_hub(&a, &kc).await;
    ok(c_at_a.trust_in(&ka.pid(), "UAH", "50").await);
    let lie = Arc::new(std::sync::Mutex::new(Lie::Preimage));
    let liar = tokio::spawn(lying_hub(kc.clone(), ka.pid(), port_c, lie));
    let c = Hub {
        root: format!("http://127.0.0.1:{port_c}"),
        key: kc.clone(),
        process: None,
        args: Vec::new(),
        _dir: tempfile::tempdir().unwrap(),
    };
    let lie = alice
        .pay_request(to(&alice, &bob.pid(), &c, "3.00", Some(5)))
        .await;
    assert_problem(&lie, 422, "E_CONDITION_MISMATCH");
    assert_eq!(alice.position(&a_at_a).await.0, "10.00");
    assert_eq!(a_at_a.position(&c_at_a).await.0, "0.00");
    liar.abort();

    b.integrity_holds().await;

    // B is down: the hold expires, nothing is applied, and the payer is told so.
    b.stop();
    let started = std::time::Instant::now();
    let down = alice
        .pay_request(to(&alice, &bob.pid(), &b, "5.00", Some(3)))
        .await;
    assert_problem(&down, 502, "E_PEER_HUB_UNAVAILABLE");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "held until its deadline"
    );
    assert_eq!(alice.position(&a_at_a).await.0, "10.00");
    assert_eq!(a_at_a.position(&b_at_a).await.0, "10.00");
    a.integrity_holds().await;
    let _ = &c;
}

/// What a lying hub lies about in its fulfil (each signed by its key unless said otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lie {
    /// A preimage that is not the condition's; the rest true.
    Preimage,
    /// The right preimage, with a receipt for another amount.
    Amount,
    /// The right preimage, with a receipt paying someone else.
    Payee,
    /// The right preimage, with a receipt whose payer is not the payer's hub.
    Payer,
    /// The right preimage, with a receipt of another payment.
    TxId,
    /// The right preimage and a true receipt, both signed by a key that is not the hub's.
    Key,
}

/// A hub that answers every prepare with a fulfil that lies as `lie` says, so that only A's
/// checks give it away.
async fn lying_hub(key: Identity, payer_hub: Pid, port: u16, lie: Arc<std::sync::Mutex<Lie>>) {
    use axum::routing::{get, post};
    let right = Preimage::from_bytes([7; 32]);
    let condition = right.condition();
    let k2 = key.clone();
    let app = axum::Router::new()
        .route(
            &format!("{}{}", api::BASE, api::federation::CONDITION.path),
            get(move || async move { axum::Json(json!({ "condition": condition })) }),
        )
        .route(
            &format!("{}{}", api::BASE, api::federation::PREPARE.path),
            post(move |body: String| {
                let lie = *lie.lock().unwrap();
                let key = match lie {
                    Lie::Key => Identity::from_seed(&[0xee; 32]),
                    _ => k2.clone(),
                };
                let payer_hub = payer_hub.clone();
                let right = right.clone();
                async move {
                    let prepare = SignedMessage::<HubPrepare>::from_json(&body).unwrap();
                    let p = prepare.payload();
                    let amount: DecimalAmount = match lie {
                        Lie::Amount => "0.01".parse().unwrap(),
                        _ => p.amount.clone(),
                    };
                    let payee = match lie {
                        Lie::Payee => Identity::from_seed(&[0xdd; 32]).pid(),
                        _ => p.payee.clone(),
                    };
                    let payer = match lie {
                        Lie::Payer => Identity::from_seed(&[0xcc; 32]).pid(),
                        _ => payer_hub.clone(),
                    };
                    let tx_id = match lie {
                        Lie::TxId => TxId::random(),
                        _ => p.tx_id,
                    };
                    let receipt = signed_by(
                        &key,
                        &payer_hub,
                        PaymentReceipt {
                            tx_id,
                            payer: payer.clone(),
                            payee: payee.clone(),
                            equivalent: p.equivalent.clone(),
                            amount: amount.clone(),
                            status: PaymentStatus::Committed,
                            request_digest: prepare.digest(),
                            routes: vec![RoutePath {
                                path: vec![payer, payee],
                                amount,
                            }],
                            error_code: None,
                            decided_at: reference_hub::writer::now(),
                            journal_seq: None,
                        },
                    );
                    let preimage = match lie {
                        Lie::Preimage => Preimage::from_bytes([8; 32]),
                        _ => right,
                    };
                    let fulfil = signed_by(
                        &key,
                        &payer_hub,
                        HubFulfil {
                            tx_id: p.tx_id,
                            preimage,
                            receipt: receipt.to_json(),
                        },
                    );
                    axum::Json(fulfil.to_value())
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    axum::serve(listener, app).await.unwrap();
}

/// A hub that lies in a fulfil that carries the right preimage (federation.md §6 upstream steps 3
/// and 6): a receipt for another amount, payee or payer is B's signed lie, so A aborts at once
/// with `E_CONDITION_MISMATCH`; a fulfil that is not B's word (signed by another key) or not a
/// valid message (a receipt of another payment) is no answer, so A's hold runs out with
/// `E_PEER_HUB_UNAVAILABLE`. Either way A commits nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lying_hub_with_the_right_preimage_is_caught_and_nothing_commits() {
    let port_c = outage::free_port();
    let kc = Identity::from_seed(&[0xc3; 32]);
    let a = start(
        SEED_A,
        outage::free_port(),
        None,
        &[address_of(0xc3, port_c)],
    )
    .await;
    let a_at_a = operator(&a).await;
    let c_at_a = register_hub(&a, &kc).await;
    ok(c_at_a.trust_in(&a.key.pid(), "UAH", "50").await);
    let alice = member(&a, "Alice").await;
    ok(a_at_a.trust_in(&alice.pid(), "UAH", "100").await);
    let lie = Arc::new(std::sync::Mutex::new(Lie::Amount));
    let liar = tokio::spawn(lying_hub(kc.clone(), a.key.pid(), port_c, lie.clone()));
    let c = Hub {
        root: format!("http://127.0.0.1:{port_c}"),
        key: kc.clone(),
        process: None,
        args: Vec::new(),
        _dir: tempfile::tempdir().unwrap(),
    };
    let carol = Identity::from_seed(&[0xca; 32]).pid();
    let mut lied = Vec::new();
    for (told, status, code) in [
        (Lie::Amount, 422, "E_CONDITION_MISMATCH"),
        (Lie::Payee, 422, "E_CONDITION_MISMATCH"),
        (Lie::Payer, 422, "E_CONDITION_MISMATCH"),
        (Lie::TxId, 502, "E_PEER_HUB_UNAVAILABLE"),
        (Lie::Key, 502, "E_PEER_HUB_UNAVAILABLE"),
    ] {
        *lie.lock().unwrap() = told;
        let request = to(&alice, &carol, &c, "3.00", Some(3));
        let tx_id = request.tx_id;
        let answer = alice.pay_request(request).await;
        assert_problem(&answer, status, code);
        assert_eq!(alice.position(&a_at_a).await.0, "0.00", "{told:?}");
        assert_eq!(a_at_a.position(&c_at_a).await.0, "0.00", "{told:?}");
        let (_, payment) = alice
            .get(&api::payment::GET.path_with(&[&tx_id.to_string()]))
            .await;
        assert_eq!(payment["status"], "aborted", "{told:?}: {payment}");
        assert_eq!(payment["error_code"], code, "{told:?}: {payment}");
        if code == "E_CONDITION_MISMATCH" {
            lied.push(tx_id.to_string());
        }
    }
    // A keeps the signed lies it refused, for its operator (federation.md §7).
    let refused = a.read(&api::federation::REFUSED_PEER_FULFILMENTS).await;
    let listed: Vec<(String, String, String)> = refused
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["tx_id"].as_str().unwrap().to_owned(),
                r["peer"].as_str().unwrap().to_owned(),
                r["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = lied
        .into_iter()
        .map(|tx| (tx, kc.pid().to_string(), "E_CONDITION_MISMATCH".to_owned()))
        .collect();
    assert_eq!(listed, want);
    a.integrity_holds().await;
    liar.abort();
}

fn signed_by<P: Message>(key: &Identity, to: &Pid, payload: P) -> SignedMessage<P> {
    Envelope::new(
        key.pid(),
        Some(to.clone()),
        fresh_nonce(),
        reference_hub::writer::now(),
        300,
        payload,
    )
    .sign(key)
    .unwrap()
}

/// 100 cross-hub payments race for an inter-hub line whose two copies differ (A's 30.00, B's
/// 25.00): exactly as many commit as the smaller copy carries, the rest abort with nothing
/// applied, and in both ledgers the inter-hub debt is the sum of the committed payments.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_cross_hub_payments_race_for_the_inter_hub_line() {
    let p = linked_pair(&[], ("30", "25")).await;
    let bob = member(&p.b, "Bob").await;
    ok(bob.trust_in(&p.b.key.pid(), "UAH", "1000").await);
    let mut payers = Vec::new();
    for n in 0..10 {
        let payer = member(&p.a, &format!("Payer {n}")).await;
        ok(p.a_at_a.trust_in(&payer.pid(), "UAH", "100").await);
        payers.push(payer);
    }
    let mut tasks = Vec::new();
    for k in 0..100 {
        let payer = payers[k % payers.len()].clone();
        let request = to(&payer, &bob.pid(), &p.b, "1.00", None);
        tasks.push(tokio::spawn(
            async move { payer.pay_request(request).await },
        ));
    }
    let (mut committed, mut refused) = (0, 0);
    for t in tasks {
        let (status, body) = t.await.unwrap();
        if status == 200 {
            assert_eq!(body["status"], "committed", "{body}");
            assert!(body["peer_receipt"].is_object(), "{body}");
            committed += 1;
        } else {
            assert_problem(&(status, body), 422, "E_INSUFFICIENT_CAPACITY");
            refused += 1;
        }
    }
    assert_eq!((committed, refused), (25, 75));
    // The inter-hub debt is the sum of the committed payments, in both ledgers; the payers owe
    // A as much, B owes Bob as much.
    assert_eq!(p.a_at_a.position(&p.b_at_a).await.0, "25.00");
    assert_eq!(p.b_at_b.position(&p.a_at_b).await.1, "25.00");
    assert_eq!(bob.position(&p.b_at_b).await.1, "25.00");
    let mut owed = 0u64;
    for payer in &payers {
        let debt = payer.position(&p.a_at_a).await.0;
        owed += Amount::parse(&debt, Precision::new(2).unwrap())
            .unwrap()
            .minor();
    }
    assert_eq!(owed, 2500);
    p.a.integrity_holds().await;
    p.b.integrity_holds().await;
}

/// A debt cycle through both communities (federation.md §8): Alice (A) pays Bob (B), Bob pays
/// Carol at B, Carol pays Alice back across the hubs. Each payment nets on the lines it crosses,
/// the inter-hub line included in both ledgers, so the cycle clears as the last one commits: every
/// debt is zero on both hubs, with no clearing round (both hubs run with clearing off).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_debt_cycle_through_both_hubs_clears_on_the_inter_hub_line() {
    let p = linked_pair(&[], ("50", "50")).await;
    let alice = member(&p.a, "Alice").await;
    let bob = member(&p.b, "Bob").await;
    let carol = member(&p.b, "Carol").await;
    ok(p.a_at_a.trust_in(&alice.pid(), "UAH", "100").await);
    ok(bob.trust_in(&p.b.key.pid(), "UAH", "100").await);
    ok(carol.trust_in(&p.b.key.pid(), "UAH", "100").await);
    let paid = ok(alice
        .pay_request(to(&alice, &bob.pid(), &p.b, "12.00", None))
        .await);
    assert_eq!(paid["status"], "committed", "{paid}");
    assert_eq!(p.b_at_b.position(&p.a_at_b).await.1, "12.00");
    assert_eq!(p.a_at_a.position(&p.b_at_a).await.0, "12.00");
    let paid = ok(bob.pay(&carol, "12.00").await);
    assert_eq!(paid["status"], "committed", "{paid}");
    assert_eq!(carol.position(&p.b_at_b).await.1, "12.00");
    // Carol pays Alice: B holds Carol → B → A, A routes A → Alice.
    let paid = ok(carol
        .pay_request(to(&carol, &alice.pid(), &p.a, "12.00", None))
        .await);
    assert_eq!(paid["status"], "committed", "{paid}");
    receipt(&paid["peer_receipt"], &published_key(&p.a).await);
    let zero = ("0.00".to_owned(), "0.00".to_owned());
    assert_eq!(alice.position(&p.a_at_a).await, zero);
    assert_eq!(p.a_at_a.position(&p.b_at_a).await, zero);
    assert_eq!(p.b_at_b.position(&p.a_at_b).await, zero);
    assert_eq!(bob.position(&p.b_at_b).await, zero);
    assert_eq!(carol.position(&p.b_at_b).await, zero);
    p.a.integrity_holds().await;
    p.b.integrity_holds().await;
}

/// A fulfilment that reaches the payer's hub after its hold's deadline (federation.md §7): the
/// network between the hubs (a proxy of the test's) delays B's answer to the prepare past it. A
/// aborts (`E_PEER_HUB_UNAVAILABLE`, nothing applied) and refuses the fulfilment; B keeps the
/// payment and records the refusal against the link, once however often it is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_late_fulfilment_is_refused_and_recorded_against_the_link() {
    let Scene {
        p,
        alice,
        bob,
        b_seen_by_a,
        proxy,
    } = scene_through(Mode::Slow).await;
    let request = to(&alice, &bob.pid(), &b_seen_by_a, "7.00", Some(3));
    let tx_id = request.tx_id;
    let late = alice.pay_request(request).await;
    assert_problem(&late, 502, "E_PEER_HUB_UNAVAILABLE");
    // A applied nothing; B committed: its copy of the line records 7.00 more owed by A.
    assert_eq!(alice.position(&p.a_at_a).await.0, "0.00");
    assert_eq!(p.a_at_a.position(&p.b_at_a).await.0, "0.00");
    assert_eq!(p.b_at_b.position(&p.a_at_b).await.1, "7.00");
    assert_eq!(bob.position(&p.b_at_b).await.1, "7.00");
    // B lists the payment as refused by A, with the amount the operators settle.
    let listed = p.b.read(&api::federation::REFUSED_FULFILMENTS).await;
    let want = json!([{
        "tx_id": tx_id.to_string(), "peer": p.a.key.pid().as_str(), "code": "E_FULFILMENT_LATE",
        "amount": "7.00", "equivalent": "UAH",
        "journal_seq": listed[0]["journal_seq"], "recorded_at": listed[0]["recorded_at"],
    }]);
    assert_eq!(listed, want);
    // A lists it too, as a fulfilment it refused, with B as the peer; B's own list is not A's.
    let refused_by_a = p.a.read(&api::federation::REFUSED_PEER_FULFILMENTS).await;
    assert_eq!(
        refused_by_a.as_array().map(Vec::len),
        Some(1),
        "{refused_by_a}"
    );
    assert_eq!(refused_by_a[0]["tx_id"], tx_id.to_string());
    assert_eq!(refused_by_a[0]["peer"], p.b.key.pid().as_str());
    assert_eq!(refused_by_a[0]["code"], "E_FULFILMENT_LATE");
    assert_eq!(refused_by_a[0]["amount"], "7.00");
    let b_refused_by_itself = p.b.read(&api::federation::REFUSED_PEER_FULFILMENTS).await;
    assert_eq!(b_refused_by_itself, json!([]));
    // The same refusal again (re-signed): the same record, nothing journaled twice.
    let refusal = HubReject {
        tx_id,
        stage: HubRejectStage::Fulfil,
        code: ErrorCode::FulfilmentLate,
        reason: None,
    };
    let a_at_b_hub = p.b.client(&p.a.key);
    for _ in 0..2 {
        let again = ok(a_at_b_hub
            .post(
                api::federation::REJECT.path,
                &a_at_b_hub.sign(refusal.clone()),
            )
            .await);
        assert_eq!(again, listed[0]);
    }
    // A refusal of a payment B did not commit for A is refused, and so is any other stage.
    let unknown = HubReject {
        tx_id: TxId::random(),
        ..refusal.clone()
    };
    let answer = a_at_b_hub
        .post(api::federation::REJECT.path, &a_at_b_hub.sign(unknown))
        .await;
    assert_problem(&answer, 404, "E_NOT_FOUND");
    let prepare_stage = HubReject {
        stage: HubRejectStage::Prepare,
        ..refusal
    };
    let answer = a_at_b_hub
        .post(
            api::federation::REJECT.path,
            &a_at_b_hub.sign(prepare_stage),
        )
        .await;
    assert_problem(&answer, 422, "E_VALIDATION");
    let after = p.b.read(&api::federation::REFUSED_FULFILMENTS).await;
    assert_eq!(after, listed);
    p.a.integrity_holds().await;
    p.b.integrity_holds().await;
    proxy.abort();
}

/// A payer's hub that crashes while it holds a payment B has committed: restarted, it finds the
/// hold in its journal, prepares again, receives B's stored fulfil and commits, so both ledgers
/// agree (federation.md §6, crash recovery).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_payer_hub_that_crashes_while_holding_completes_from_its_journal() {
    let (
        Scene {
            mut p,
            mut alice,
            bob,
            b_seen_by_a,
            proxy,
        },
        cut,
    ) = cut_scene().await;
    let request = alice.sign(to(&alice, &bob.pid(), &b_seen_by_a, "7.00", Some(60)));
    let tx_id = request.payload().tx_id;
    let (http, url, token) = (
        reqwest::Client::new(),
        format!("{}{}", alice.base, api::payment::PAY.path),
        alice.token.clone().unwrap(),
    );
    let body = request.to_json();
    let payer = tokio::spawn(async move {
        // The answer never comes: A crashes first.
        let _ = http
            .post(url)
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
    });
    // B commits (its answer is lost on the way back), then A crashes.
    until_b_committed(&bob, &p, Duration::from_secs(30)).await;
    p.a.stop();
    payer.abort();
    cut.store(false, Ordering::SeqCst);
    p.a.restart().await;
    // Access tokens do not outlive a process.
    alice.login().await;
    p.a_at_a.login().await;
    let started = std::time::Instant::now();
    let paid = loop {
        let (_, v) = alice
            .get(&api::payment::GET.path_with(&[&tx_id.to_string()]))
            .await;
        if v["status"] == "committed" {
            break v;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "A never committed: {v}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    receipt(&paid["receipt"], &published_key(&p.a).await);
    assert_eq!(alice.position(&p.a_at_a).await.0, "7.00");
    assert_eq!(p.a_at_a.position(&p.b_at_a).await.0, "7.00");
    assert_eq!(p.b_at_b.position(&p.a_at_b).await.1, "7.00");
    assert_eq!(bob.position(&p.b_at_b).await.1, "7.00");
    p.a.integrity_holds().await;
    p.b.integrity_holds().await;
    proxy.abort();
}

/// A payer's hub that crashes while holding and stays down past the hold's deadline, while B has
/// committed: restarted, it aborts the hold (nothing applied at A), asks B once, and refuses B's
/// fulfilment as late, so B records the difference against the link (federation.md §6, §7).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_payer_hub_back_after_its_deadline_refuses_the_fulfilment_as_late() {
    let (
        Scene {
            mut p,
            mut alice,
            bob,
            b_seen_by_a,
            proxy,
        },
        cut,
    ) = cut_scene().await;
    let request = to(&alice, &bob.pid(), &b_seen_by_a, "7.00", Some(4));
    let tx_id = request.tx_id;
    let payer = {
        let alice = alice.clone();
        tokio::spawn(async move { alice.pay_request(request).await })
    };
    until_b_committed(&bob, &p, Duration::from_secs(4)).await;
    p.a.stop();
    payer.abort();
    // A stays down until well past the hold's deadline.
    tokio::time::sleep(Duration::from_secs(5)).await;
    cut.store(false, Ordering::SeqCst);
    p.a.restart().await;
    // Access tokens do not outlive a process.
    alice.login().await;
    p.a_at_a.login().await;
    let started = std::time::Instant::now();
    let listed = loop {
        let listed = p.b.read(&api::federation::REFUSED_FULFILMENTS).await;
        if listed != json!([]) {
            break listed;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "A never refused B's fulfilment"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(listed[0]["tx_id"], tx_id.to_string());
    assert_eq!(listed[0]["code"], "E_FULFILMENT_LATE");
    assert_eq!(listed[0]["amount"], "7.00");
    let (_, v) = alice
        .get(&api::payment::GET.path_with(&[&tx_id.to_string()]))
        .await;
    assert_eq!(v["status"], "aborted", "{v}");
    assert_eq!(v["error_code"], "E_PEER_HUB_UNAVAILABLE", "{v}");
    assert_eq!(alice.position(&p.a_at_a).await.0, "0.00");
    assert_eq!(p.a_at_a.position(&p.b_at_a).await.0, "0.00");
    assert_eq!(p.b_at_b.position(&p.a_at_b).await.1, "7.00");
    assert_eq!(bob.position(&p.b_at_b).await.1, "7.00");
    p.a.integrity_holds().await;
    p.b.integrity_holds().await;
    proxy.abort();
}

/// The payee's hub crashes after committing and before its answer reaches A (the network loses
/// it): restarted, it answers A's resent prepare from its journal, A commits, and the payer gets
/// both receipts (federation.md §6, crash recovery).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_payee_hub_that_crashes_after_committing_answers_from_its_journal() {
    let (
        Scene {
            mut p,
            alice,
            mut bob,
            b_seen_by_a,
            proxy,
        },
        cut,
    ) = cut_scene().await;
    let request = to(&alice, &bob.pid(), &b_seen_by_a, "7.00", Some(60));
    let tx_id = request.tx_id;
    let payer = {
        let alice = alice.clone();
        tokio::spawn(async move { alice.pay_request(request).await })
    };
    until_b_committed(&bob, &p, Duration::from_secs(30)).await;
    assert!(
        !payer.is_finished(),
        "A answered before B's fulfil reached it"
    );
    p.b.stop();
    p.b.restart().await;
    // Access tokens do not outlive a process.
    bob.login().await;
    p.b_at_b.login().await;
    cut.store(false, Ordering::SeqCst);
    let paid = ok(tokio::time::timeout(Duration::from_secs(50), payer)
        .await
        .expect("A answers before the hold's deadline")
        .unwrap());
    assert_eq!(paid["status"], "committed", "{paid}");
    let mine = receipt(&paid["receipt"], &published_key(&p.a).await);
    let theirs = receipt(&paid["peer_receipt"], &published_key(&p.b).await);
    assert_eq!(mine.payload().tx_id, tx_id);
    assert_eq!(theirs.payload().tx_id, tx_id);
    assert_eq!(theirs.payload().status, PaymentStatus::Committed);
    assert_eq!(alice.position(&p.a_at_a).await.0, "7.00");
    assert_eq!(p.a_at_a.position(&p.b_at_a).await.0, "7.00");
    assert_eq!(p.b_at_b.position(&p.a_at_b).await.1, "7.00");
    assert_eq!(bob.position(&p.b_at_b).await.1, "7.00");
    p.a.integrity_holds().await;
    p.b.integrity_holds().await;
    proxy.abort();
}

/// Waits, at most `within`, until B has committed the 7.00 Bob is paid in the crash tests.
async fn until_b_committed(bob: &Client, p: &Pair, within: Duration) {
    let started = std::time::Instant::now();
    while bob.position(&p.b_at_b).await.1 != "7.00" {
        assert!(started.elapsed() < within, "B never committed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What the network between A and B does to B's answers to prepares.
#[derive(Clone)]
enum Mode {
    /// Holds each until 300 ms after the prepare's `hold_until`.
    Slow,
    /// Loses each while the switch is on.
    Cut(Arc<AtomicBool>),
}

/// The network between A and B: passes every request on to B at `port_b`, and B's answers back
/// as `mode` says.
async fn network(port: u16, port_b: u16, mode: Mode) {
    let http = reqwest::Client::new();
    let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
        let (http, mode) = (http.clone(), mode.clone());
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
            let url = format!("http://127.0.0.1:{port_b}{}", parts.uri);
            let mut out = http.request(parts.method.clone(), url).body(body.to_vec());
            if let Some(t) = parts.headers.get("content-type") {
                out = out.header("content-type", t.as_bytes());
            }
            // B down: a gateway's answer, as a real network in between would give.
            let (status, text) = match out.send().await {
                Ok(answer) => (answer.status().as_u16(), answer.text().await.unwrap()),
                Err(_) => (502, String::new()),
            };
            let is_prepare = parts.uri.path().ends_with(api::federation::PREPARE.path);
            if let (true, Mode::Cut(cut)) = (is_prepare, &mode) {
                if cut.load(Ordering::SeqCst) {
                    std::future::pending::<()>().await;
                }
            }
            if let (true, Mode::Slow) = (is_prepare, &mode) {
                let prepare =
                    SignedMessage::<HubPrepare>::from_json(std::str::from_utf8(&body).unwrap())
                        .unwrap();
                let now_ms = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_millis() as i64;
                let late_by = prepare.payload().hold_until.unix() * 1000 + 300 - now_ms;
                tokio::time::sleep(Duration::from_millis(late_by.max(0) as u64)).await;
            }
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [("content-type", "application/json")],
                text,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    axum::serve(listener, app).await.unwrap();
}

/// `GET /payments/capacity` of `who` to `payee` at `at` (its PID and hub URL, as a `geo:` address
/// names it), optionally with an amount.
async fn preview(who: &Client, payee: &Pid, at: &Hub, amount: Option<&str>) -> Answer {
    let q = api::CapacityQuery {
        payee: payee.to_string(),
        payee_hub: Some(at.url().as_str().to_owned()),
        equivalent: "UAH".into(),
        amount: amount.map(str::to_owned),
        ..Default::default()
    };
    who.get(&api::payment::CAPACITY.path_with_query(&[], &q))
        .await
}

/// A capacity preview to a member of the other hub (federation.md §12) is the smaller of what
/// each hub routes, exactly what a payment carries: paying it commits, one minor unit more is
/// refused and changes nothing, whichever hub's part is the smaller. The member learns only that
/// smaller amount; B answers only a linked hub's account, and only what that account's prepares
/// could carry; an unlinked hub, an unknown member and B down each have their code, and B is not
/// asked when A's part is nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_capacity_preview_across_hubs_is_what_a_payment_carries() {
    let Pair {
        a,
        mut b,
        a_at_a,
        b_at_b,
        a_at_b,
        b_at_a,
    } = linked_pair(&[], ("50", "50")).await;
    let alice = member(&a, "Alice").await;
    let bob = member(&b, "Bob").await;
    ok(a_at_a.trust_in(&alice.pid(), "UAH", "100").await);
    ok(bob.trust_in(&b.key.pid(), "UAH", "30").await);
    let positions = || async {
        (
            alice.position(&a_at_a).await.0,
            a_at_a.position(&b_at_a).await.0,
            b_at_b.position(&a_at_b).await.1,
            bob.position(&b_at_b).await.1,
        )
    };
    let nothing = || {
        (
            "0.00".to_owned(),
            "0.00".into(),
            "0.00".into(),
            "0.00".into(),
        )
    };

    // B's part is the smaller: Bob trusts B 30, the line carries 50.
    let seen = ok(preview(&alice, &bob.pid(), &b, Some("30.01")).await);
    assert_eq!(seen["payee"], bob.pid().as_str(), "{seen}");
    assert_eq!(seen["max_amount"], "30.00", "{seen}");
    assert_eq!(seen["can_pay"], false, "{seen}");
    let refused = alice
        .pay_request(to(&alice, &bob.pid(), &b, "30.01", None))
        .await;
    assert_problem(&refused, 422, "E_INSUFFICIENT_CAPACITY");
    assert_eq!(positions().await, nothing());
    let paid = ok(alice
        .pay_request(to(&alice, &bob.pid(), &b, "30.00", None))
        .await);
    assert_eq!(paid["status"], "committed", "{paid}");
    let thirty = || {
        (
            "30.00".to_owned(),
            "30.00".into(),
            "30.00".into(),
            "30.00".into(),
        )
    };
    assert_eq!(positions().await, thirty());
    let seen = ok(preview(&alice, &bob.pid(), &b, None).await);
    assert_eq!(seen["max_amount"], "0.00", "{seen}");
    assert_eq!(seen.get("can_pay"), None, "{seen}");

    // Bob trusts B more: now A's part is the smaller, the line's 50 less the 30 used.
    ok(bob.trust_in(&b.key.pid(), "UAH", "100").await);
    let seen = ok(preview(&alice, &bob.pid(), &b, Some("20")).await);
    assert_eq!(
        (&seen["max_amount"], &seen["can_pay"]),
        (&json!("20.00"), &json!(true))
    );
    let refused = alice
        .pay_request(to(&alice, &bob.pid(), &b, "20.01", None))
        .await;
    assert_problem(&refused, 422, "E_INSUFFICIENT_CAPACITY");
    assert_eq!(positions().await, thirty());

    // What B tells A's account: what A's prepares could carry to Bob (20 left on B's copy of the
    // line), and only to a linked hub's account: Bob asking is refused.
    let q = api::federation::PeerCapacityQuery {
        payee: bob.pid().to_string(),
        equivalent: "UAH".into(),
    };
    let path = api::federation::CAPACITY.path_with_query(&[], &q);
    let told = ok(a_at_b.get(&path).await);
    assert_eq!(told["max_amount"], "20.00", "{told}");
    assert_problem(&bob.get(&path).await, 422, "E_HUB_NOT_LINKED");

    // The privacy rule (protocol §8.6): Carol, whom A trusts 5, learns 5, not B's 20.
    let carol = member(&a, "Carol").await;
    ok(a_at_a.trust_in(&carol.pid(), "UAH", "5").await);
    let seen = ok(preview(&carol, &bob.pid(), &b, None).await);
    assert_eq!(seen["max_amount"], "5.00", "{seen}");

    // Refusals: a member B does not know (B's code), a hub that is not linked, a bad hub URL.
    let stranger = Identity::generate().pid();
    assert_problem(
        &preview(&alice, &stranger, &b, None).await,
        422,
        "E_UNKNOWN_PARTICIPANT",
    );
    let unlinked = Hub {
        root: "http://127.0.0.1:9".into(),
        key: Identity::generate(),
        process: None,
        args: Vec::new(),
        _dir: tempfile::tempdir().unwrap(),
    };
    assert_problem(
        &preview(&alice, &bob.pid(), &unlinked, None).await,
        422,
        "E_HUB_NOT_LINKED",
    );
    let bad_url = api::CapacityQuery {
        payee: bob.pid().to_string(),
        payee_hub: Some("ftp://nope/".into()),
        equivalent: "UAH".into(),
        ..Default::default()
    };
    assert_problem(
        &alice
            .get(&api::payment::CAPACITY.path_with_query(&[], &bad_url))
            .await,
        422,
        "E_VALIDATION",
    );

    // B down: a clear code, at once; Dave, whom A does not trust, is told 0 without asking B.
    let dave = member(&a, "Dave").await;
    b.stop();
    let started = std::time::Instant::now();
    assert_problem(
        &preview(&alice, &bob.pid(), &b, None).await,
        502,
        "E_PEER_HUB_UNAVAILABLE",
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let seen = ok(preview(&dave, &bob.pid(), &b, None).await);
    assert_eq!(seen["max_amount"], "0.00", "{seen}");
    // B back: its tokens did not outlive its process, so A logs in again.
    b.restart().await;
    let seen = ok(preview(&alice, &bob.pid(), &b, Some("20")).await);
    assert_eq!(
        (&seen["max_amount"], &seen["can_pay"]),
        (&json!("20.00"), &json!(true))
    );
    // Nothing changed by the previews (B's tokens did not outlive it either).
    let (mut bob, mut b_at_b, mut a_at_b) = (bob.clone(), b_at_b.clone(), a_at_b.clone());
    for c in [&mut bob, &mut b_at_b, &mut a_at_b] {
        c.login().await;
    }
    assert_eq!(alice.position(&a_at_a).await.0, "30.00");
    assert_eq!(b_at_b.position(&a_at_b).await.1, "30.00");
    assert_eq!(bob.position(&b_at_b).await.1, "30.00");
    a.integrity_holds().await;
    b.integrity_holds().await;
}

/// A cross-hub payment read back by its payer (`GET /payments/{tx_id}`) carries the payee's hub's
/// receipt, its key and the preimage, as the payment's answer did, from A's journal: the same after
/// A restarts, on SQLite (A) and, with the roles swapped, on PostgreSQL (B).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cross_hub_payment_read_back_carries_the_peer_receipt() {
    let Pair {
        mut a,
        mut b,
        mut a_at_a,
        mut b_at_b,
        a_at_b,
        b_at_a,
    } = linked_pair(&[], ("50", "50")).await;
    let mut alice = member(&a, "Alice").await;
    let mut bob = member(&b, "Bob").await;
    ok(a_at_a.trust_in(&alice.pid(), "UAH", "100").await);
    ok(bob.trust_in(&b.key.pid(), "UAH", "100").await);
    ok(b_at_b.trust_in(&bob.pid(), "UAH", "100").await);
    ok(alice.trust_in(&a.key.pid(), "UAH", "100").await);
    let (key_a, key_b) = (published_key(&a).await, published_key(&b).await);
    // Alice (A, SQLite) pays Bob; Bob (B, PostgreSQL) pays Alice.
    let there = alice.sign(to(&alice, &bob.pid(), &b, "10.00", None));
    let paid_there = ok(alice.post(api::payment::PAY.path, &there).await);
    let back = bob.sign(to(&bob, &alice.pid(), &a, "4.00", None));
    let paid_back = ok(bob.post(api::payment::PAY.path, &back).await);
    for (payer, paid, peer_key) in [(&alice, &paid_there, &key_b), (&bob, &paid_back, &key_a)] {
        assert_eq!(paid["status"], "committed", "{paid}");
        let (status, read) = payer
            .get(&api::payment::GET.path_with(&[paid["tx_id"].as_str().unwrap()]))
            .await;
        assert_eq!(status, 200, "{read}");
        for member in ["receipt", "peer_receipt", "peer_hub_key", "preimage"] {
            assert_eq!(read[member], paid[member], "{member}: {read}");
        }
        receipt(&read["peer_receipt"], peer_key);
    }
    // A local payment carries none of them.
    let local = ok(alice
        .pay_request(PaymentRequest {
            payee_hub: None,
            ..to(&alice, &a.key.pid(), &a, "1.00", None)
        })
        .await);
    let (_, read) = alice
        .get(&api::payment::GET.path_with(&[local["tx_id"].as_str().unwrap()]))
        .await;
    assert_eq!(read["status"], "committed", "{read}");
    assert_eq!(read.get("peer_receipt"), None, "{read}");
    // Read from the journal, so a restart keeps them.
    a.stop();
    a.restart().await;
    b.stop();
    b.restart().await;
    alice.login().await;
    bob.login().await;
    a_at_a.login().await;
    b_at_b.login().await;
    for (payer, paid) in [(&alice, &paid_there), (&bob, &paid_back)] {
        let (_, read) = payer
            .get(&api::payment::GET.path_with(&[paid["tx_id"].as_str().unwrap()]))
            .await;
        assert_eq!(read["peer_receipt"], paid["peer_receipt"], "{read}");
        assert_eq!(read["preimage"], paid["preimage"], "{read}");
    }
    let _ = (&a_at_b, &b_at_a);
    a.integrity_holds().await;
    b.integrity_holds().await;
}

/// `/admin/integrity` compares the live ledger with the journal replayed at the same entry, also
/// while payments are being written: the writer applies a batch in memory before it is durable and
/// goes on while the replay reads, and a check that compared "stored now" with "live now" reported
/// a healthy hub as violated (500) whenever a write fell in between; the cross-hub tests saw it
/// when a refusal, visible in memory, was not yet durable at B (PostgreSQL).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn integrity_holds_while_payments_are_written() {
    let p = linked_pair(&[], ("50", "50")).await;
    let bob = member(&p.b, "Bob").await;
    let carol = member(&p.b, "Carol").await;
    ok(bob.trust_in(&carol.pid(), "UAH", "1000").await);
    ok(carol.trust_in(&bob.pid(), "UAH", "1000").await);
    let stop = Arc::new(AtomicBool::new(false));
    let payers: Vec<_> = [(bob.clone(), carol.pid()), (carol.clone(), bob.pid())]
        .into_iter()
        .map(|(payer, payee)| {
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut paid = 0;
                while !stop.load(Ordering::SeqCst) {
                    let request = PaymentRequest {
                        payee_hub: None,
                        ..to(&payer, &payee, &Hub::none(), "1.00", None)
                    };
                    assert_eq!(payer.pay_request(request).await.0, 200);
                    paid += 1;
                }
                paid
            })
        })
        .collect();
    let mut checked = 0;
    while checked < 40 {
        let r = reqwest::Client::new()
            .get(format!(
                "{}{}{}",
                p.b.root,
                api::BASE,
                api::operator::INTEGRITY.path
            ))
            .header("x-admin-token", outage::ADMIN)
            .send()
            .await
            .unwrap();
        let (status, body) = (r.status(), r.text().await.unwrap());
        assert_eq!(status, 200, "integrity check {checked}: {body}");
        checked += 1;
    }
    stop.store(true, Ordering::SeqCst);
    let mut paid = 0;
    for payer in payers {
        paid += payer.await.unwrap();
    }
    assert!(paid > 0, "payments were written meanwhile");
    p.b.integrity_holds().await;
}
