//! Start-to-ready time of a hub on a large journal, with and without a ledger checkpoint.
//!
//! The journal is made fast by driving the engine directly (signed registrations, trust lines on a
//! ring, and signed payments of 1 to 12 places along it, so 1 to 3 hops, in both directions) and
//! appending its entries to storage in large batches, with the payment rows, notifications and
//! nonces the writer would store beside them (`--journal-only`: the entries alone); no HTTP. Then
//! `app::start` (open the store, take the writer lock, rebuild the ledger, load nonces, bind the
//! socket) is timed three ways on the same database: full replay (no checkpoint), a checkpoint
//! `--tail` entries before the end plus the tail, and a checkpoint at the end; and the last start's
//! steps are timed one by one.
//!
//! `cargo bench -p reference-hub --bench startup -- [--payments N] [--participants N] [--tail N]
//!  [--database-url URL] [--journal-only] [--quick]`

#[path = "support/args.rs"]
mod bench_args;

use std::time::{Duration, Instant};

use geo_protocol::*;
use reference_hub::app;
use reference_hub::config::Settings;
use reference_hub::engine::event_body::data_text;
use reference_hub::engine::ledger::{Ledger, Touched};
use reference_hub::engine::{Command, Effects, Engine, EngineLimits, Moment};
use reference_hub::recovery::{self, checkpoint_at, CHECKPOINTS_KEPT};
use reference_hub::storage::{PersistBatch, Store, StoredEvent};

struct Args {
    participants: usize,
    payments: usize,
    tail: usize,
    database_url: Option<String>,
    journal_only: bool,
}

fn args() -> Args {
    let a = bench_args::BenchArgs::parse(
        &["--participants", "--payments", "--tail", "--database-url"],
        &["--journal-only"],
    );
    Args {
        participants: a.number("--participants", 1000, 50),
        payments: a.number("--payments", 200_000, 2_000),
        tail: a.number("--tail", 50_000, 500),
        database_url: a.text("--database-url"),
        journal_only: a.flag("--journal-only"),
    }
}

/// Makes the journal: the engine applies signed commands, as the writer would.
struct Maker {
    engine: Engine,
    hub: Pid,
    people: Vec<Identity>,
    nonce: u64,
    at: Moment,
    /// What the next flush stores (`journal_only`: its entries alone).
    pending: PersistBatch,
    journal_only: bool,
    next_event_id: u64,
}

impl Maker {
    fn sign<P: Message>(&mut self, who: usize, payload: P) -> SignedMessage<P> {
        self.nonce += 1;
        let nonce = Nonce::parse(&format!("startup-{:016}", self.nonce)).unwrap();
        Envelope::new(
            self.people[who].pid(),
            Some(self.hub.clone()),
            nonce,
            self.at.timestamp(),
            600,
            payload,
        )
        .sign(&self.people[who])
        .unwrap()
    }

    fn run(&mut self, command: Command) {
        let mut fx = Effects::default();
        self.engine
            .execute(command, self.at, &mut fx)
            .expect("a valid command");
        self.pending.entries.extend(fx.entries);
        if self.journal_only {
            return;
        }
        self.pending.payments.extend(fx.payments);
        self.pending.nonces.extend(fx.nonces);
        for (seq, t) in fx.touched {
            if let Touched::Told(pid, event) = t {
                self.next_event_id += 1;
                self.pending.events.push(StoredEvent {
                    id: self.next_event_id,
                    pid,
                    kind: event.name().to_owned(),
                    journal_seq: seq,
                    data: data_text(&event).into(),
                });
            }
        }
    }
}

async fn flush(store: &Store, maker: &mut Maker) {
    let batch = std::mem::take(&mut maker.pending);
    let (_, result) = store.persist(batch).await;
    result.unwrap();
}

fn settings(dir: &std::path::Path, url: &str) -> Settings {
    Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        database_url: url.to_owned(),
        admin_token: "bench".into(),
        checkpoint_every_entries: 0,
        clearing_interval_seconds: 0,
        ..Settings::default()
    }
}

/// Starts a hub on the database, returns how long it took to be ready, and stops it (writing no
/// checkpoint: `checkpoint_every_entries` is 0).
async fn time_start(dir: &std::path::Path, url: &str) -> (Duration, u64) {
    let started = Instant::now();
    let hub = app::start(settings(dir, url)).await.expect("hub starts");
    let ready = started.elapsed();
    let entries = hub.state.engine.read().await.ledger().last_seq;
    hub.shutdown().await.unwrap();
    (ready, entries)
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().unwrap();
    let url = a
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite:{}", dir.path().join("hub.db").display()));
    let store = Store::open(&url, 4, Duration::from_millis(500), None)
        .await
        .unwrap();
    let hub_key = Identity::generate();
    let hub = hub_key.pid();
    let mut m = Maker {
        engine: Engine::new(Ledger::new(), EngineLimits::default(), hub_key),
        hub,
        people: (0..a.participants)
            .map(|i| {
                let mut seed = [7u8; 32];
                seed[..8].copy_from_slice(&(i as u64).to_be_bytes());
                Identity::from_seed(&seed)
            })
            .collect(),
        nonce: 0,
        at: Moment::from_unix_millis(1_800_000_000_000),
        pending: PersistBatch::default(),
        journal_only: a.journal_only,
        next_event_id: 0,
    };
    let made = Instant::now();
    m.run(Command::SetEquivalent {
        code: "UAH".parse().unwrap(),
        precision: Precision::new(2).unwrap(),
        description: "bench".into(),
        active: true,
    });
    let n = a.participants;
    for i in 0..n {
        let payload = ParticipantRegister {
            public_key: m.people[i].public_key(),
            display_name: format!("P{i}"),
            kind: ParticipantKind::Person,
            profile: None,
        };
        let msg = m.sign(i, payload);
        m.run(Command::Register(msg));
    }
    for i in 0..n {
        for k in 1..=4 {
            for j in [(i + k) % n, (i + n - k) % n] {
                let payload = TrustLineSet {
                    debtor: m.people[j].pid(),
                    equivalent: "UAH".parse().unwrap(),
                    limit: "1000000".parse().unwrap(),
                    policy: None,
                };
                let msg = m.sign(i, payload);
                m.run(Command::SetTrustLine(msg));
            }
        }
    }
    flush(&store, &mut m).await;
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut rand = |below: u64| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % below
    };
    let mut checkpoint_bytes = None;
    let mut snapshot_time = Duration::ZERO;
    for p in 0..a.payments {
        if p == a.payments - a.tail.min(a.payments) {
            flush(&store, &mut m).await;
            let t = Instant::now();
            let bytes = m.engine.ledger().snapshot();
            snapshot_time = t.elapsed();
            let l = m.engine.ledger();
            checkpoint_bytes = Some(checkpoint_at(
                l.last_seq,
                l.last_hash.unwrap(),
                bytes,
                m.at.timestamp(),
            ));
        }
        let from = rand(n as u64) as usize;
        let step = 1 + rand(12) as usize;
        let to = if rand(2) == 0 {
            (from + step) % n
        } else {
            (from + n - step) % n
        };
        let request = PaymentRequest {
            tx_id: TxId::from_random_bytes((p as u128 + 1).to_be_bytes()),
            payee: m.people[to].pid(),
            payee_hub: None,
            equivalent: "UAH".parse().unwrap(),
            amount: format!("{}.{:02}", 1 + rand(50), rand(100))
                .parse()
                .unwrap(),
            description: None,
            constraints: None,
            hold_seconds: None,
            invoice_id: None,
        };
        let msg = m.sign(from, request);
        m.run(Command::Pay(msg));
        if p % 64 == 0 {
            m.at = Moment::from_unix_millis(m.at.unix_millis() + 10);
        }
        if m.pending.entries.len() >= 20_000 {
            flush(&store, &mut m).await;
        }
    }
    flush(&store, &mut m).await;
    let entries = m.engine.ledger().last_seq;
    let t = Instant::now();
    let end_snapshot = m.engine.ledger().snapshot();
    let end_snapshot_time = t.elapsed();
    let end = checkpoint_at(
        entries,
        m.engine.ledger().last_hash.unwrap(),
        end_snapshot,
        m.at.timestamp(),
    );
    let tail_checkpoint = checkpoint_bytes.expect("a tail checkpoint");
    store.close().await.unwrap();
    drop(store);
    drop(m);
    println!(
        "journal: {entries} entries ({} payments, {n} participants{}) made in {:.1} s on {}",
        a.payments,
        if a.journal_only {
            ", no projections"
        } else {
            ", with payment rows, events and nonces"
        },
        made.elapsed().as_secs_f64(),
        if url.starts_with("sqlite:") {
            "SQLite"
        } else {
            "PostgreSQL"
        },
    );
    if url.starts_with("sqlite:") {
        let bytes: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        println!("database files: {:.1} MB", bytes as f64 / 1e6);
    }

    let (full, replayed) = time_start(dir.path(), &url).await;
    assert_eq!(replayed, entries);
    let store = Store::open(&url, 2, Duration::from_millis(500), None)
        .await
        .unwrap();
    store
        .write_checkpoint(&tail_checkpoint, CHECKPOINTS_KEPT)
        .await
        .unwrap();
    store.close().await.unwrap();
    drop(store);
    let (with_tail, replayed) = time_start(dir.path(), &url).await;
    assert_eq!(replayed, entries);
    let store = Store::open(&url, 2, Duration::from_millis(500), None)
        .await
        .unwrap();
    store
        .write_checkpoint(&end, CHECKPOINTS_KEPT)
        .await
        .unwrap();
    store.close().await.unwrap();
    drop(store);
    let (at_end, replayed) = time_start(dir.path(), &url).await;
    assert_eq!(replayed, entries);
    println!(
        "snapshot: {} bytes, taken in {} ms at the end ({} ms {} entries earlier)",
        end.snapshot.len(),
        end_snapshot_time.as_millis(),
        snapshot_time.as_millis(),
        a.tail
    );
    println!(
        "start to ready, full replay of {entries} entries:   {:>8.3} s",
        full.as_secs_f64()
    );
    println!(
        "start to ready, checkpoint + {} entries of tail: {:>8.3} s",
        a.tail,
        with_tail.as_secs_f64()
    );
    println!(
        "start to ready, checkpoint at the end:           {:>8.3} s",
        at_end.as_secs_f64()
    );
    steps(&url, &end.snapshot).await;
}

/// Times the steps of a start from the checkpoint at the end, one by one (what `app::start` does).
async fn steps(url: &str, snapshot: &[u8]) {
    let t = Instant::now();
    let store = Store::open(url, 4, Duration::from_millis(500), None)
        .await
        .unwrap();
    let open = t.elapsed();
    let t = Instant::now();
    let restored = recovery::restore(&store).await.unwrap();
    let restore = t.elapsed();
    assert_eq!(restored.replayed, 0);
    let t = Instant::now();
    let nonces = store
        .nonces(reference_hub::writer::now())
        .await
        .unwrap()
        .len();
    let load_nonces = t.elapsed();
    let t = Instant::now();
    store.max_event_id().await.unwrap();
    let event_id = t.elapsed();
    store.close().await.unwrap();
    let t = Instant::now();
    let digest = Digest::of(snapshot);
    let hash = t.elapsed();
    let t = Instant::now();
    let ledger = Ledger::from_snapshot(snapshot).unwrap();
    let decode = t.elapsed();
    assert_eq!(ledger.last_seq, restored.ledger.last_seq);
    println!(
        "steps of a start from the checkpoint at the end: open the store {:.3} s; rebuild the ledger \
         {:.3} s (of which hashing the snapshot {:.3} s, decoding it and rebuilding the graphs {:.3} s); \
         load {nonces} nonces {:.3} s; the last event id {:.3} s",
        open.as_secs_f64(),
        restore.as_secs_f64(),
        hash.as_secs_f64(),
        decode.as_secs_f64(),
        load_nonces.as_secs_f64(),
        event_id.as_secs_f64(),
    );
    let _ = digest;
}
