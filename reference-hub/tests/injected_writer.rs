//! The writer driven with injected time and storage (what a seeded simulation does): journal times
//! and hold expiry follow the `ManualClock`, checkpoints reach the `MemoryJournal` and load back to
//! the replayed ledger, receipts are signed before the answer, and an injected storage failure stops the writer without acknowledging.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use geo_protocol::*;
use reference_hub::clock::{Clock, ManualClock};
use reference_hub::engine::journal::JournalEvent;
use reference_hub::engine::ledger::Ledger;
use reference_hub::engine::receipt;
use reference_hub::engine::records::PaymentState;
use reference_hub::engine::{Command, Engine, EngineLimits, Moment, Reply};
use reference_hub::storage::MemoryJournal;
use reference_hub::writer::{self, WriterConfig};
use tokio::sync::{broadcast, RwLock};

fn sign<P: Message>(id: &Identity, n: &mut u64, at: Timestamp, payload: P) -> SignedMessage<P> {
    *n += 1;
    let hub = Identity::from_seed(&[9; 32]).pid();
    let nonce = Nonce::parse(&format!("injected-{:010}", *n)).unwrap();
    Envelope::new(id.pid(), Some(hub), nonce, at, 600, payload)
        .sign(id)
        .unwrap()
}

fn register(id: &Identity, n: &mut u64, at: Timestamp) -> Command {
    Command::Register(sign(
        id,
        n,
        at,
        ParticipantRegister {
            public_key: id.public_key(),
            display_name: "someone".into(),
            kind: ParticipantKind::Person,
            profile: None,
        },
    ))
}

#[tokio::test]
async fn the_writer_runs_on_a_manual_clock_and_a_memory_journal() {
    let start = Moment::from_unix_millis(1_900_000_000_000);
    let clock = Arc::new(ManualClock::new(start));
    let store = MemoryJournal::new();
    let engine = Arc::new(RwLock::new(Engine::new(
        Ledger::new(),
        EngineLimits::default(),
        Identity::from_seed(&[9; 32]),
    )));
    let (events, _) = broadcast::channel(64);
    let (handle, task) = writer::spawn(
        clock.clone(),
        engine.clone(),
        store.clone(),
        Arc::new(std::sync::RwLock::new(HashMap::new())),
        events,
        0,
        WriterConfig {
            max_batch: 16,
            queue: 64,
            checkpoint_every: 5,
            last_checkpoint: 0,
        },
    );
    let t0 = start.timestamp();
    let (a, b) = (Identity::from_seed(&[1; 32]), Identity::from_seed(&[2; 32]));
    let mut n = 0;
    handle
        .submit(Command::SetEquivalent {
            code: "UAH".parse().unwrap(),
            precision: Precision::new(2).unwrap(),
            description: "hryvnia".into(),
            active: true,
        })
        .await
        .unwrap();
    handle.submit(register(&a, &mut n, t0)).await.unwrap();
    handle.submit(register(&b, &mut n, t0)).await.unwrap();
    let line = TrustLineSet {
        debtor: a.pid(),
        equivalent: "UAH".parse().unwrap(),
        limit: "100".parse().unwrap(),
        policy: None,
    };
    handle
        .submit(Command::SetTrustLine(sign(&b, &mut n, t0, line)))
        .await
        .unwrap();
    let pay = PaymentRequest {
        tx_id: TxId::from_random_bytes([5; 16]),
        payee: b.pid(),
        payee_hub: None,
        equivalent: "UAH".parse().unwrap(),
        amount: "10".parse().unwrap(),
        description: None,
        constraints: None,
        hold_seconds: Some(1),
        invoice_id: None,
    };
    let Reply::Payment(held, _) = handle
        .submit(Command::Pay(sign(&a, &mut n, t0, pay)))
        .await
        .unwrap()
    else {
        panic!("not a payment")
    };
    assert_eq!(held.hold_expires_at, Some(t0.plus_seconds(1)));
    assert!(
        store.entries().iter().all(|e| e.at == t0),
        "journal time is the clock's"
    );

    // Real time hardly moves; the clock moves 2 s and the next batch expires the hold first.
    clock.advance(Duration::from_secs(2));
    handle
        .submit(register(&Identity::from_seed(&[3; 32]), &mut n, t0))
        .await
        .unwrap();
    let entries = store.entries();
    let aborted = entries
        .iter()
        .find(|e| matches!(e.event, JournalEvent::PaymentAborted { .. }))
        .expect("the hold expired");
    assert_eq!(aborted.at, clock.now());

    // Checkpoints (every 5 entries) load back to the ledger replayed up to them.
    let checkpoints = store.checkpoints();
    assert!(!checkpoints.is_empty());
    for c in &checkpoints {
        let mut replayed = Ledger::new();
        for e in &entries[..c.head.seq as usize] {
            replayed.apply(e);
        }
        assert_eq!(
            Ledger::from_snapshot(&c.snapshot).unwrap().snapshot(),
            replayed.snapshot()
        );
        assert_eq!(Some(c.head.journal_hash), replayed.last_hash);
    }

    // A decided payment is answered with its receipt's signature, made by the writer's signing
    // stage (the engine leaves it empty): the receipt served from it is the hub's, unchanged.
    let pay = PaymentRequest {
        tx_id: TxId::from_random_bytes([6; 16]),
        payee: b.pid(),
        payee_hub: None,
        equivalent: "UAH".parse().unwrap(),
        amount: "7".parse().unwrap(),
        description: None,
        constraints: None,
        hold_seconds: None,
        invoice_id: None,
    };
    let Reply::Payment(paid, _) = handle
        .submit(Command::Pay(sign(&a, &mut n, t0, pay)))
        .await
        .unwrap()
    else {
        panic!("not a payment")
    };
    assert_eq!(paid.status, PaymentState::Committed);
    let hub = Identity::from_seed(&[9; 32]);
    let kept = paid
        .receipt_signature
        .expect("signed before it was answered");
    let served = receipt::kept_payment_receipt(&hub, &paid).unwrap();
    let receipt = SignedMessage::<PaymentReceipt>::from_json(&served).unwrap();
    assert_eq!(receipt.signature(), &kept);
    receipt.verify_signature(&hub.public_key()).unwrap();
    assert_eq!(receipt.payload().journal_seq, Some(paid.journal_seq));
    assert_eq!(held.receipt_signature, None, "a hold has no receipt yet");
    let entries = store.entries();

    // A storage failure: nothing more is acknowledged, and the writer stops.
    store.fail_writes();
    let refused = handle
        .submit(register(&Identity::from_seed(&[4; 32]), &mut n, t0))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Unavailable);
    assert!(handle.has_failed());
    assert_eq!(store.entries().len(), entries.len());
    drop(handle);
    assert!(task.await.unwrap().is_err());
}

/// A writer whose engine keeps only a few payments in memory: older ones are looked up in storage
/// before each batch, so a resend still gets the stored outcome and a reused `tx_id` is refused.
#[tokio::test]
async fn the_writer_looks_up_payments_its_engine_forgot() {
    let start = Moment::from_unix_millis(1_900_000_000_000);
    let clock = Arc::new(ManualClock::new(start));
    let store = MemoryJournal::new();
    let engine = Arc::new(RwLock::new(Engine::new(
        Ledger::new(),
        EngineLimits {
            recent_payments: 4,
            ..EngineLimits::default()
        },
        Identity::from_seed(&[9; 32]),
    )));
    let (events, _) = broadcast::channel(1024);
    let (handle, task) = writer::spawn(
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
    let t0 = start.timestamp();
    let (a, b) = (Identity::from_seed(&[1; 32]), Identity::from_seed(&[2; 32]));
    let mut n = 0;
    handle
        .submit(Command::SetEquivalent {
            code: "UAH".parse().unwrap(),
            precision: Precision::new(2).unwrap(),
            description: "hryvnia".into(),
            active: true,
        })
        .await
        .unwrap();
    handle.submit(register(&a, &mut n, t0)).await.unwrap();
    handle.submit(register(&b, &mut n, t0)).await.unwrap();
    let line = TrustLineSet {
        debtor: a.pid(),
        equivalent: "UAH".parse().unwrap(),
        limit: "100".parse().unwrap(),
        policy: None,
    };
    handle
        .submit(Command::SetTrustLine(sign(&b, &mut n, t0, line)))
        .await
        .unwrap();
    let pay = |k: u8, amount: &str| PaymentRequest {
        tx_id: TxId::from_random_bytes([k; 16]),
        payee: b.pid(),
        payee_hub: None,
        equivalent: "UAH".parse().unwrap(),
        amount: amount.parse().unwrap(),
        description: None,
        constraints: None,
        hold_seconds: None,
        invoice_id: None,
    };
    let mut first = None;
    for k in 1..=12 {
        let reply = handle
            .submit(Command::Pay(sign(&a, &mut n, t0, pay(k, "1"))))
            .await
            .unwrap();
        let Reply::Payment(record, _) = reply else {
            panic!("not a payment")
        };
        first.get_or_insert(record);
    }
    let first = first.unwrap();
    let kept = engine.read().await.remembered_payments().count();
    assert!(kept <= 4, "{kept} payments in memory");
    assert!(engine
        .read()
        .await
        .remembered_payments()
        .all(|(tx, _)| *tx != first.tx_id));

    // The first payment again (a new envelope, the same payload): its stored outcome, not a second one.
    let again = handle
        .submit(Command::Pay(sign(&a, &mut n, t0, pay(1, "1"))))
        .await
        .unwrap();
    assert!(matches!(again, Reply::PaymentExisting(tx) if tx == first.tx_id));
    let conflict = handle
        .submit(Command::Pay(sign(&a, &mut n, t0, pay(1, "2"))))
        .await
        .unwrap_err();
    assert_eq!(conflict.code(), ErrorCode::TxIdConflict);
    let committed = store
        .entries()
        .iter()
        .filter(|e| matches!(e.event, JournalEvent::PaymentCommitted { .. }))
        .count();
    assert_eq!(committed, 12, "each payment applied once");
    drop(handle);
    task.await.unwrap().unwrap();
}
