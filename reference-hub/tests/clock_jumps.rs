//! The hub's clock stepped backward and forward under the writer (a `ManualClock` made monotone, as
//! the hub's own wall clock is, and a memory journal): journal times, payments' creation and
//! decision times (what receipts carry) never run backwards; a hold never lapses early when the
//! clock steps back (the hub's time stands still until the wall clock passes its last reading);
//! a forward step is taken at once, and due holds lapse at the next batch. And through a real hub:
//! request validity windows are read on that same monotone time.

mod support;

use std::collections::HashMap;
use std::sync::Arc;

use geo_protocol::*;
use reference_hub::clock::{Clock, ManualClock, Monotone};
use reference_hub::engine::journal::JournalEvent;
use reference_hub::engine::ledger::Ledger;
use reference_hub::engine::records::{PaymentRecord, PaymentState};
use reference_hub::engine::{Command, Engine, EngineLimits, Moment, Reply};
use reference_hub::storage::MemoryJournal;
use reference_hub::writer::{self, WriterConfig, WriterHandle};
use tokio::sync::{broadcast, RwLock};

struct World {
    clock: Arc<Monotone<ManualClock>>,
    store: MemoryJournal,
    engine: Arc<RwLock<Engine>>,
    handle: WriterHandle,
    a: Identity,
    b: Identity,
    n: u64,
}

const START: i64 = 1_900_000_000_000;

impl World {
    /// A writer on a monotone manual clock at [`START`], with UAH, two participants and a line
    /// from `b` to `a`.
    async fn new() -> World {
        let clock = Arc::new(Monotone::new(ManualClock::new(Moment::from_unix_millis(
            START,
        ))));
        let store = MemoryJournal::new();
        let engine = Arc::new(RwLock::new(Engine::new(
            Ledger::new(),
            EngineLimits::default(),
            Identity::from_seed(&[9; 32]),
        )));
        let (events, _) = broadcast::channel(64);
        let (handle, _task) = writer::spawn(
            clock.clone(),
            engine.clone(),
            store.clone(),
            Arc::new(std::sync::RwLock::new(HashMap::new())),
            events,
            0,
            WriterConfig {
                max_batch: 16,
                queue: 64,
                checkpoint_every: 0,
                last_checkpoint: 0,
            },
        );
        let mut w = World {
            clock,
            store,
            engine,
            handle,
            a: Identity::from_seed(&[1; 32]),
            b: Identity::from_seed(&[2; 32]),
            n: 0,
        };
        w.handle
            .submit(Command::SetEquivalent {
                code: "UAH".parse().unwrap(),
                precision: Precision::new(2).unwrap(),
                description: "hryvnia".into(),
                active: true,
            })
            .await
            .unwrap();
        for id in [w.a.clone(), w.b.clone()] {
            let register = ParticipantRegister {
                public_key: id.public_key(),
                display_name: "someone".into(),
                kind: ParticipantKind::Person,
                profile: None,
            };
            let msg = w.sign(&id, register);
            w.handle.submit(Command::Register(msg)).await.unwrap();
        }
        let line = TrustLineSet {
            debtor: w.a.pid(),
            equivalent: "UAH".parse().unwrap(),
            limit: "1000".parse().unwrap(),
            policy: None,
        };
        let msg = w.sign(&w.b.clone(), line);
        w.handle.submit(Command::SetTrustLine(msg)).await.unwrap();
        w
    }

    /// Signed by `id` at the wall clock's second (what a client with that clock does), valid 2 h.
    fn sign<P: Message>(&mut self, id: &Identity, payload: P) -> SignedMessage<P> {
        self.n += 1;
        let hub = Identity::from_seed(&[9; 32]).pid();
        let nonce = Nonce::parse(&format!("clock-jump-{:010}", self.n)).unwrap();
        let at = self.clock.source().now();
        Envelope::new(id.pid(), Some(hub), nonce, at, 7200, payload)
            .sign(id)
            .unwrap()
    }

    /// `a` pays `b` one hryvnia, held for `hold` seconds if given.
    async fn pay(&mut self, hold: Option<u32>) -> PaymentRecord {
        let pay = PaymentRequest {
            tx_id: TxId::from_random_bytes(rand_bytes(self.n)),
            payee: self.b.pid(),
            payee_hub: None,
            equivalent: "UAH".parse().unwrap(),
            amount: "1".parse().unwrap(),
            description: None,
            constraints: None,
            hold_seconds: hold,
            invoice_id: None,
        };
        let msg = self.sign(&self.a.clone(), pay);
        match self.handle.submit(Command::Pay(msg)).await.unwrap() {
            Reply::Payment(record, _) => *record,
            other => panic!("not a payment: {other:?}"),
        }
    }

    /// Sets the wall clock to `START` plus `seconds` (negative: before it).
    fn wall(&self, seconds: i64) {
        self.clock
            .source()
            .set(Moment::from_unix_millis(START + seconds * 1000));
    }

    /// Journal times never run backwards.
    fn assert_journal_in_order(&self) {
        let entries = self.store.entries();
        for pair in entries.windows(2) {
            assert!(
                pair[0].at <= pair[1].at,
                "journal time ran backwards at seq {}: {:?} then {:?}",
                pair[1].seq,
                pair[0].at,
                pair[1].at
            );
        }
    }

    fn expired(&self) -> usize {
        self.store
            .entries()
            .iter()
            .filter(|e| matches!(e.event, JournalEvent::PaymentAborted { .. }))
            .count()
    }
}

fn rand_bytes(n: u64) -> [u8; 16] {
    let mut b = [7u8; 16];
    b[..8].copy_from_slice(&n.to_be_bytes());
    b
}

fn t(seconds: i64) -> Timestamp {
    Timestamp::from_unix(START / 1000 + seconds).unwrap()
}

#[tokio::test]
async fn a_backward_step_never_runs_hub_time_back_nor_lapses_a_hold_early() {
    let mut w = World::new().await;
    let held = w.pay(Some(10)).await;
    assert_eq!(held.created_at, t(0));
    assert_eq!(held.hold_expires_at, Some(t(10)));

    // The wall clock steps back an hour; clients with the same clock sign at that time.
    w.wall(-3600);
    let paid = w.pay(None).await;
    assert_eq!(paid.status, PaymentState::Committed, "{paid:?}");
    assert_eq!(
        paid.created_at,
        t(0),
        "a payment is not dated before the last"
    );
    assert_eq!(paid.decided_at, Some(t(0)), "nor is its receipt");
    // 20 s pass on the wall: the hub's time has stood still, and the 10 s hold still holds.
    w.wall(-3580);
    w.pay(None).await;
    assert_eq!(w.expired(), 0, "a hold does not lapse early");
    assert_eq!(w.engine.read().await.next_hold_expiry(), Some(t(10)));
    // The wall clock passes the hub's last reading: time runs again, and the hold lapses on time.
    w.wall(11);
    let later = w.pay(None).await;
    assert_eq!(later.created_at, t(11));
    assert_eq!(w.expired(), 1, "the hold lapsed once its time came");
    w.assert_journal_in_order();
}

#[tokio::test]
async fn a_forward_step_is_taken_at_once_and_lapses_due_holds() {
    let mut w = World::new().await;
    let held = w.pay(Some(60)).await;
    assert_eq!(held.hold_expires_at, Some(t(60)));
    w.wall(3600);
    let paid = w.pay(None).await;
    assert_eq!(paid.created_at, t(3600));
    assert_eq!(
        w.expired(),
        1,
        "the hold is due in the new time: it lapsed first"
    );
    let aborted = w
        .store
        .entries()
        .into_iter()
        .find(|e| matches!(e.event, JournalEvent::PaymentAborted { .. }))
        .unwrap();
    assert_eq!(aborted.at, t(3600));
    assert!(w.engine.read().await.next_hold_expiry().is_none());
    // Stepped back again to the true time: the hub's time stays at its latest reading.
    w.wall(5);
    assert_eq!(w.pay(None).await.created_at, t(3600));
    assert_eq!(w.clock.now(), t(3600));
    w.assert_journal_in_order();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_validity_windows_are_read_on_the_hubs_monotone_time() {
    use reference_hub::clock::SystemClock;
    let hub = support::TestHub::start(support::Backend::Sqlite).await;
    hub.participant("before").await;
    // The machine's clock read an hour ahead, then was stepped back: the hub's time stays an hour
    // ahead (this test process's hub time is the only one it changes).
    let ahead = SystemClock.moment().unix_millis() + 3_600_000;
    reference_hub::clock::never_before(Moment::from_unix_millis(ahead));
    let id = Identity::generate();
    let client = support::Client::new(&hub, id.clone());
    let register = |at: Timestamp| {
        client.sign_at(
            ParticipantRegister {
                public_key: id.public_key(),
                display_name: "after".into(),
                kind: ParticipantKind::Person,
                profile: None,
            },
            at,
            300,
        )
    };
    // Signed on the stepped-back wall clock and valid 300 s: expired in the hub's time.
    let (status, problem) = client
        .post(
            geo_api::participant::REGISTER.path,
            &register(SystemClock.now()),
        )
        .await;
    assert_eq!(problem["code"], "E_EXPIRED", "{status} {problem}");
    // Signed at the hub's time: accepted, and journaled at it (never before the last entry).
    let at = Timestamp::from_unix(ahead / 1000).unwrap();
    let (status, body) = client
        .post(geo_api::participant::REGISTER.path, &register(at))
        .await;
    assert_eq!(status, 201, "{body}");
    let journal = hub.integrity().await;
    assert_eq!(journal["status"], "ok", "{journal}");
}
