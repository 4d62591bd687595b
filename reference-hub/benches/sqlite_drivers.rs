//! The hub's SQLite write path on its two drivers, side by side in one process at the same time:
//! why the batch writer (`storage/sqlite/writer.rs`) is on rusqlite while reads and migrations are on
//! sqlx (`storage/queries.rs`, shared with PostgreSQL).
//!
//! Each run writes the same rows into a fresh database made by the hub's own migrations, with the
//! writer's settings (WAL, `synchronous=FULL`): batches of `--batch` journal entries, one nonce each
//! and one outbox row per batch in one `BEGIN IMMEDIATE` transaction (the acknowledged write), and
//! every `--flush` batches the payments' projection rows upserted in one transaction (the flush).
//! Three writers are compared, rotating their order every round:
//!
//! - `rusqlite`: cached prepared statements bound row by row on the calling thread (the hub's writer);
//! - `sqlx rows`: the same statements row by row through sqlx (cached too), awaited on a runtime;
//! - `sqlx multi-row`: one multi-row `INSERT … VALUES (…), (…)` per table per batch through sqlx
//!   (what the hub did before the rusqlite writer).
//!
//! Reported per journal entry: wall time and this process's CPU time (all threads, from `/proc`).
//!
//! `cargo bench -p reference-hub --bench sqlite_drivers -- [--batches N] [--batch N] [--flush N]
//!  [--rounds N] [--quick]`

#[path = "support/args.rs"]
mod bench_args;

use std::path::Path;
use std::time::Instant;

use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};

struct Args {
    batches: usize,
    batch: usize,
    flush: usize,
    rounds: usize,
}

fn args() -> Args {
    let a = bench_args::BenchArgs::parse(&["--batches", "--batch", "--flush", "--rounds"], &[]);
    Args {
        batches: a.number("--batches", 400, 20),
        batch: a.number("--batch", 64, 64),
        flush: a.number("--flush", 16, 16),
        rounds: a.number("--rounds", 3, 1),
    }
}

/// One journal entry's rows, sized like a committed payment's.
struct Entry {
    seq: i64,
    at: i64,
    body: String,
    prev_hash: String,
    hash: String,
    signer: String,
    nonce: String,
    tx_id: String,
    payer: String,
    payee: String,
    record: String,
}

fn hex(n: u64) -> String {
    format!("{:064x}", u128::from(n) * 0x9e37_79b9_7f4a_7c15)
}

fn entries(n: usize) -> Vec<Entry> {
    (0..n as u64)
        .map(|i| {
            let tx_id = uuid::Uuid::new_v4().to_string();
            let payer = format!("{:043}", i % 997);
            let payee = format!("{:043}", (i * 7 + 3) % 997);
            Entry {
                seq: i as i64 + 1,
                at: 1_800_000_000 + i as i64,
                body: format!(r#"{{"kind":"payment_committed","tx_id":"{tx_id}","payer":"{payer}","payee":"{payee}","request":"{}"}}"#, "x".repeat(700)),
                prev_hash: hex(i),
                hash: hex(i + 1),
                signer: payer.clone(),
                nonce: format!("{:022}", i),
                tx_id,
                payer,
                payee,
                record: format!(r#"{{"status":"committed","receipt":"{}"}}"#, "y".repeat(1400)),
            }
        })
        .collect()
}

fn outbox(batch: &[Entry]) -> String {
    batch
        .iter()
        .map(|e| e.record.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A fresh database file with the hub's schema.
fn fresh(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.db"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(include_str!("../migrations/sqlite/0001_init.sql"))
        .unwrap();
    conn.execute_batch(include_str!(
        "../migrations/sqlite/0002_projection_outbox.sql"
    ))
    .unwrap();
    path
}

const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA wal_autocheckpoint = 20000; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;";
const JOURNAL: &str = "INSERT INTO journal (seq, recorded_at, kind, body, prev_hash, hash) \
     VALUES ($1, $2, 'payment_committed', $3, $4, $5)";
const NONCE: &str = "INSERT INTO nonces (signer, nonce, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (signer, nonce) DO NOTHING";
const OUTBOX: &str = "INSERT INTO projection_outbox (rows) VALUES ($1)";
const PAYMENT: &str = "INSERT INTO payments (tx_id, payer, payee, equivalent, status, created_at, \
     journal_seq, record) VALUES ($1, $2, $3, 'UAH', 'committed', $4, $5, $6) ON CONFLICT (tx_id) \
     DO UPDATE SET status = excluded.status, journal_seq = excluded.journal_seq, record = excluded.record";

/// Wall and CPU seconds spent in the acknowledged writes and in the flushes.
#[derive(Default)]
struct Spent {
    ack_wall: f64,
    ack_cpu: f64,
    flush_wall: f64,
    flush_cpu: f64,
}

fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let rest = stat.rsplit_once(')').unwrap().1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    (f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()) as f64 / 100.0
}

/// Times `work` into the two counters.
fn timed<T>(wall: &mut f64, cpu: &mut f64, work: impl FnOnce() -> T) -> T {
    let (w, c) = (Instant::now(), cpu_seconds());
    let out = work();
    *wall += w.elapsed().as_secs_f64();
    *cpu += cpu_seconds() - c;
    out
}

fn rusqlite_run(path: &Path, all: &[Entry], a: &Args) -> Spent {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(PRAGMAS).unwrap();
    conn.set_prepared_statement_cache_capacity(32);
    let mut s = Spent::default();
    for (i, batch) in all.chunks(a.batch).enumerate() {
        timed(&mut s.ack_wall, &mut s.ack_cpu, || {
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .unwrap();
            {
                let mut j = tx.prepare_cached(JOURNAL).unwrap();
                for e in batch {
                    j.execute(rusqlite::params![e.seq, e.at, e.body, e.prev_hash, e.hash])
                        .unwrap();
                }
                let mut n = tx.prepare_cached(NONCE).unwrap();
                for e in batch {
                    n.execute(rusqlite::params![e.signer, e.nonce, e.at + 600])
                        .unwrap();
                }
                tx.prepare_cached(OUTBOX)
                    .unwrap()
                    .execute([outbox(batch)])
                    .unwrap();
            }
            tx.commit().unwrap();
        });
        if (i + 1) % a.flush == 0 {
            let from = (i + 1 - a.flush) * a.batch;
            timed(&mut s.flush_wall, &mut s.flush_cpu, || {
                let tx = conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .unwrap();
                {
                    let mut p = tx.prepare_cached(PAYMENT).unwrap();
                    for e in &all[from..(i + 1) * a.batch] {
                        p.execute(rusqlite::params![
                            e.tx_id, e.payer, e.payee, e.at, e.seq, e.record
                        ])
                        .unwrap();
                    }
                }
                tx.commit().unwrap();
            });
        }
    }
    s
}

async fn sqlx_run(path: &Path, all: &[Entry], a: &Args, multi_row: bool) -> Spent {
    let mut conn = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    sqlx::raw_sql(PRAGMAS).execute(&mut conn).await.unwrap();
    let mut s = Spent::default();
    for (i, batch) in all.chunks(a.batch).enumerate() {
        let (w, c) = (Instant::now(), cpu_seconds());
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.unwrap();
        if multi_row {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO journal (seq, recorded_at, kind, body, prev_hash, hash) ",
            );
            q.push_values(batch, |mut r, e| {
                r.push_bind(e.seq)
                    .push_bind(e.at)
                    .push_bind("payment_committed")
                    .push_bind(&e.body)
                    .push_bind(&e.prev_hash)
                    .push_bind(&e.hash);
            });
            q.build().execute(&mut *tx).await.unwrap();
            let mut q =
                QueryBuilder::<Sqlite>::new("INSERT INTO nonces (signer, nonce, expires_at) ");
            q.push_values(batch, |mut r, e| {
                r.push_bind(&e.signer)
                    .push_bind(&e.nonce)
                    .push_bind(e.at + 600);
            });
            q.push(" ON CONFLICT (signer, nonce) DO NOTHING");
            q.build().execute(&mut *tx).await.unwrap();
        } else {
            for e in batch {
                sqlx::query(JOURNAL)
                    .bind(e.seq)
                    .bind(e.at)
                    .bind(&e.body)
                    .bind(&e.prev_hash)
                    .bind(&e.hash)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            for e in batch {
                sqlx::query(NONCE)
                    .bind(&e.signer)
                    .bind(&e.nonce)
                    .bind(e.at + 600)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
        }
        sqlx::query(OUTBOX)
            .bind(outbox(batch))
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        s.ack_wall += w.elapsed().as_secs_f64();
        s.ack_cpu += cpu_seconds() - c;
        if (i + 1) % a.flush == 0 {
            let rows = &all[(i + 1 - a.flush) * a.batch..(i + 1) * a.batch];
            let (w, c) = (Instant::now(), cpu_seconds());
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.unwrap();
            if multi_row {
                // SQLite allows 32,766 bound values per statement: 6 per row.
                for chunk in rows.chunks(5000) {
                    let mut q = QueryBuilder::<Sqlite>::new(
                        "INSERT INTO payments (tx_id, payer, payee, equivalent, status, created_at, journal_seq, record) ",
                    );
                    q.push_values(chunk, |mut r, e| {
                        r.push_bind(&e.tx_id)
                            .push_bind(&e.payer)
                            .push_bind(&e.payee)
                            .push_bind("UAH")
                            .push_bind("committed")
                            .push_bind(e.at)
                            .push_bind(e.seq)
                            .push_bind(&e.record);
                    });
                    q.push(
                        " ON CONFLICT (tx_id) DO UPDATE SET status = excluded.status, \
                         journal_seq = excluded.journal_seq, record = excluded.record",
                    );
                    q.build().execute(&mut *tx).await.unwrap();
                }
            } else {
                for e in rows {
                    sqlx::query(PAYMENT)
                        .bind(&e.tx_id)
                        .bind(&e.payer)
                        .bind(&e.payee)
                        .bind(e.at)
                        .bind(e.seq)
                        .bind(&e.record)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                }
            }
            tx.commit().await.unwrap();
            s.flush_wall += w.elapsed().as_secs_f64();
            s.flush_cpu += cpu_seconds() - c;
        }
    }
    conn.close().await.unwrap();
    s
}

fn main() {
    let a = args();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let n = a.batches * a.batch;
    println!(
        "{} journal entries in batches of {}, a flush every {} batches, {} round(s)",
        n, a.batch, a.flush, a.rounds
    );
    println!("| writer | round | ack wall µs/entry | ack CPU µs/entry | flush wall µs/entry | flush CPU µs/entry |");
    println!("|---|---|---|---|---|---|");
    let names = ["rusqlite", "sqlx rows", "sqlx multi-row"];
    for round in 0..a.rounds {
        for k in 0..names.len() {
            let which = (round + k) % names.len();
            let dir = tempfile::tempdir().unwrap();
            let path = fresh(dir.path(), "bench");
            let all = entries(n);
            let s = match which {
                0 => rusqlite_run(&path, &all, &a),
                1 => rt.block_on(sqlx_run(&path, &all, &a, false)),
                _ => rt.block_on(sqlx_run(&path, &all, &a, true)),
            };
            let flushed = (a.batches / a.flush * a.flush * a.batch).max(1) as f64;
            let us = |x: f64, per: f64| x * 1e6 / per;
            println!(
                "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
                names[which],
                round + 1,
                us(s.ack_wall, n as f64),
                us(s.ack_cpu, n as f64),
                us(s.flush_wall, flushed),
                us(s.flush_cpu, flushed),
            );
        }
    }
}
