//! The SQL both backends run, written once. Every statement here is portable between SQLite and
//! PostgreSQL (`$n` placeholders, BIGINT / TEXT / BLOB-or-BYTEA columns); a backend gets all of
//! them by naming its migrations and how to ask whether a migration table exists
//! (`impl Queries for …` in `sqlite.rs` and `postgres.rs`). Only the batch writers differ per
//! backend (`sqlite/writer.rs`, `postgres/projector.rs`): they are where the engines' bulk-write
//! and locking behaviour differ.

use std::str::FromStr;

use futures_util::TryStreamExt;
use geo_protocol::{Digest, Nonce, Pid, Timestamp, TxId};
use sqlx::migrate::{Migrate, Migrator};
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

use super::{
    parse_record, schema, CheckpointHead, HistoryDirection, HistoryQuery, NewCheckpoint,
    StorageError, StoredEvent,
};
use crate::engine::journal::{JournalEntry, JournalEvent};
use crate::engine::records::PaymentRecord;

/// A journal row as read back ([`Queries::journal_row`]).
pub struct JournalRow {
    /// Its position.
    pub seq: u64,
    /// When it was recorded.
    pub at: Timestamp,
    /// The entry's text as stored (what its hash covers).
    pub body: String,
    /// The entry's event, decoded from `body`.
    pub event: JournalEvent,
}

/// Decodes the digest in `column` of the journal row at `seq`.
fn journal_digest<DB: Database>(
    row: &DB::Row,
    column: &'static str,
    seq: u64,
) -> Result<Digest, StorageError>
where
    for<'q> String: Decode<'q, DB> + Type<DB>,
    &'static str: ColumnIndex<DB::Row>,
{
    Digest::from_str(&row.try_get::<String, _>(column)?).map_err(|e| StorageError::Corrupt {
        seq,
        why: e.to_string(),
    })
}

/// A sqlx database the hub's queries run on, with the column types they bind and read. The methods
/// without a comment here are documented at `Store`'s method of the same name.
pub trait Queries: Database
where
    for<'c> &'c mut <Self as Database>::Connection: Executor<'c, Database = Self>,
    for<'q> <Self as Database>::Arguments<'q>: IntoArguments<'q, Self>,
    for<'q> i64: Encode<'q, Self> + Decode<'q, Self> + Type<Self>,
    for<'q> bool: Decode<'q, Self> + Type<Self>,
    for<'q> String: Encode<'q, Self> + Decode<'q, Self> + Type<Self>,
    for<'q> &'q [u8]: Encode<'q, Self> + Type<Self>,
    for<'q> Vec<u8>: Decode<'q, Self> + Type<Self>,
    for<'q> &'q str: ColumnIndex<<Self as Database>::Row>,
    <Self as Database>::Connection: Migrate,
{
    /// This backend's migrations.
    fn migrator() -> Migrator;

    /// The number of rows a statement changed.
    fn rows_affected(result: &<Self as Database>::QueryResult) -> u64;

    /// A query answering whether the `_sqlx_migrations` table exists (one boolean column `present`).
    const HAS_MIGRATION_TABLE: &'static str;

    /// Decodes a `journal` row's `seq`, `recorded_at` and `body`: the one reader of journal rows
    /// (replay, reads by kind, the event-bodies upgrade); what does not decode is corrupt at `seq`.
    fn journal_row(row: &<Self as Database>::Row) -> Result<JournalRow, StorageError> {
        let seq = row.try_get::<i64, _>("seq")? as u64;
        let corrupt = |why: String| StorageError::Corrupt { seq, why };
        let at = Timestamp::from_unix(row.try_get("recorded_at")?)
            .map_err(|e| corrupt(e.to_string()))?;
        let body: String = row.try_get("body")?;
        let event = serde_json::from_str(&body).map_err(|e| corrupt(e.to_string()))?;
        Ok(JournalRow {
            seq,
            at,
            body,
            event,
        })
    }

    /// Refuses a database written by a newer hub, then applies this build's migrations.
    async fn migrate(pool: &Pool<Self>) -> Result<(), StorageError> {
        let migrator = Self::migrator();
        if let Some(applied) = Self::applied_migrations(pool).await? {
            schema::check(&applied, &migrator, true)?;
        }
        migrator.run(pool).await?;
        Ok(())
    }

    /// The versions of the migrations applied to the database; none when it has no
    /// migration table (a new or foreign database).
    async fn applied_migrations(pool: &Pool<Self>) -> Result<Option<Vec<i64>>, StorageError> {
        let present: bool = sqlx::query(Self::HAS_MIGRATION_TABLE)
            .fetch_one(pool)
            .await?
            .try_get("present")?;
        if !present {
            return Ok(None);
        }
        let rows =
            sqlx::query("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(pool)
                .await?;
        let versions = rows
            .iter()
            .map(|r| r.try_get("version"))
            .collect::<Result<_, _>>()?;
        Ok(Some(versions))
    }

    async fn replay(
        pool: &Pool<Self>,
        after: u64,
        mut prev: Digest,
        mut apply: impl FnMut(JournalEntry) -> Result<(), StorageError>,
    ) -> Result<u64, StorageError> {
        let mut rows = sqlx::query(
            "SELECT seq, recorded_at, body, prev_hash, hash FROM journal WHERE seq > $1 ORDER BY seq",
        )
        .bind(after as i64)
        .fetch(pool);
        let mut expected_seq = after + 1;
        while let Some(row) = rows.try_next().await? {
            let seq = row.try_get::<i64, _>("seq")? as u64;
            let corrupt = |why: String| StorageError::Corrupt { seq, why };
            if seq != expected_seq {
                return Err(corrupt(format!("expected seq {expected_seq}")));
            }
            let JournalRow {
                at, body, event, ..
            } = Self::journal_row(&row)?;
            let prev_hash = journal_digest::<Self>(&row, "prev_hash", seq)?;
            let hash = journal_digest::<Self>(&row, "hash", seq)?;
            if prev_hash != prev {
                return Err(corrupt("hash chain broken (prev_hash)".into()));
            }
            let entry = JournalEntry::seal(seq, at, event, prev_hash);
            if entry.hash != hash || entry.body() != body {
                return Err(corrupt("entry content does not match its hash".into()));
            }
            prev = hash;
            expected_seq += 1;
            apply(entry)?;
        }
        Ok(expected_seq - 1)
    }

    async fn journal_hash_at(pool: &Pool<Self>, seq: u64) -> Result<Option<Digest>, StorageError> {
        let hash: Option<String> = sqlx::query("SELECT hash FROM journal WHERE seq = $1")
            .bind(seq as i64)
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get("hash"))
            .transpose()?;
        hash.map(|h| {
            Digest::from_str(&h).map_err(|e| StorageError::Corrupt {
                seq,
                why: e.to_string(),
            })
        })
        .transpose()
    }

    async fn checkpoints(pool: &Pool<Self>) -> Result<Vec<CheckpointHead>, StorageError> {
        let rows = sqlx::query(
            "SELECT seq, journal_hash, format, hash FROM checkpoints ORDER BY seq DESC",
        )
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| {
                let seq = r.try_get::<i64, _>("seq")? as u64;
                let digest = |column: &str| -> Result<Digest, StorageError> {
                    Digest::from_str(&r.try_get::<String, _>(column)?).map_err(|e| {
                        StorageError::Corrupt {
                            seq,
                            why: format!("checkpoint {column}: {e}"),
                        }
                    })
                };
                Ok(CheckpointHead {
                    seq,
                    journal_hash: digest("journal_hash")?,
                    format: r.try_get::<i64, _>("format")?,
                    hash: digest("hash")?,
                })
            })
            .collect()
    }

    async fn checkpoint_snapshot(
        pool: &Pool<Self>,
        seq: u64,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(
            sqlx::query("SELECT snapshot FROM checkpoints WHERE seq = $1")
                .bind(seq as i64)
                .fetch_optional(pool)
                .await?
                .map(|r| r.try_get("snapshot"))
                .transpose()?,
        )
    }

    async fn write_checkpoint(
        pool: &Pool<Self>,
        c: &NewCheckpoint,
        keep: u32,
    ) -> Result<(), StorageError> {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO checkpoints (seq, journal_hash, format, hash, snapshot, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq) DO UPDATE SET \
             journal_hash = excluded.journal_hash, format = excluded.format, hash = excluded.hash, \
             snapshot = excluded.snapshot, created_at = excluded.created_at",
        )
        .bind(c.head.seq as i64)
        .bind(c.head.journal_hash.to_string())
        .bind(c.head.format)
        .bind(c.head.hash.to_string())
        .bind(&c.snapshot[..])
        .bind(c.created_at.unix())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM checkpoints WHERE seq NOT IN \
             (SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT $1)",
        )
        .bind(i64::from(keep))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_checkpoint(pool: &Pool<Self>, seq: u64) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM checkpoints WHERE seq = $1")
            .bind(seq as i64)
            .execute(pool)
            .await?;
        Ok(())
    }

    async fn nonces(
        pool: &Pool<Self>,
        now: Timestamp,
    ) -> Result<Vec<(Pid, Nonce, Timestamp)>, StorageError> {
        let rows =
            sqlx::query("SELECT signer, nonce, expires_at FROM nonces WHERE expires_at >= $1")
                .bind(now.unix())
                .fetch_all(pool)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (Ok(pid), Ok(nonce), Ok(exp)) = (
                Pid::parse(&r.try_get::<String, _>("signer")?),
                Nonce::parse(&r.try_get::<String, _>("nonce")?),
                Timestamp::from_unix(r.try_get("expires_at")?),
            ) else {
                continue;
            };
            out.push((pid, nonce, exp));
        }
        Ok(out)
    }

    async fn prune_nonces(pool: &Pool<Self>, now: Timestamp) -> Result<u64, StorageError> {
        let r = sqlx::query("DELETE FROM nonces WHERE expires_at < $1")
            .bind(now.unix())
            .execute(pool)
            .await?;
        Ok(Self::rows_affected(&r))
    }

    async fn last_journal_time(pool: &Pool<Self>) -> Result<Option<i64>, StorageError> {
        let row = sqlx::query("SELECT recorded_at FROM journal ORDER BY seq DESC LIMIT 1")
            .fetch_optional(pool)
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64, _>("recorded_at"))
            .transpose()?)
    }

    async fn max_event_id(pool: &Pool<Self>) -> Result<u64, StorageError> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS m FROM events")
            .fetch_one(pool)
            .await?;
        Ok(row.try_get::<i64, _>("m")? as u64)
    }

    async fn payment(
        pool: &Pool<Self>,
        tx_id: &TxId,
    ) -> Result<Option<PaymentRecord>, StorageError> {
        let row = sqlx::query("SELECT record FROM payments WHERE tx_id = $1")
            .bind(tx_id.to_string())
            .fetch_optional(pool)
            .await?;
        row.map(|r| parse_record(&r.try_get::<String, _>("record")?))
            .transpose()
    }

    /// The rows of the payments among `ids` (at most a few hundred: the caller sends chunks).
    async fn payments_by_id(
        pool: &Pool<Self>,
        ids: &[TxId],
    ) -> Result<Vec<PaymentRecord>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT record FROM payments WHERE tx_id IN ({})",
            list.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id.to_string());
        }
        let rows = q.fetch_all(pool).await?;
        rows.iter()
            .map(|r| parse_record(&r.try_get::<String, _>("record")?))
            .collect()
    }

    async fn history(
        pool: &Pool<Self>,
        pid: &Pid,
        h: &HistoryQuery,
    ) -> Result<Vec<PaymentRecord>, StorageError> {
        // The statement's text and its values, numbered in order (`$1`, `$2`, …).
        enum Value {
            Text(String),
            Int(i64),
        }
        let mut values = Vec::new();
        let mut bind = |v: Value| {
            values.push(v);
            format!("${}", values.len())
        };
        let me = || Value::Text(pid.as_str().to_owned());
        // A relayed payment is the one committed by the journal entry of a `payment_relayed`
        // event of the participant (one journal entry holds one event).
        let relayed = |bind: &mut dyn FnMut(Value) -> String| {
            format!(
                "journal_seq IN (SELECT journal_seq FROM events WHERE pid = {} \
                 AND kind = 'payment_relayed')",
                bind(me())
            )
        };
        let mut sql = String::from("SELECT record FROM payments WHERE ");
        match h.direction {
            HistoryDirection::Sent => sql += &format!("payer = {}", bind(me())),
            HistoryDirection::Received => {
                sql += &format!("payee = {} AND status <> 'aborted'", bind(me()))
            }
            HistoryDirection::Relayed => sql += &relayed(&mut bind),
            HistoryDirection::All => {
                sql += &format!(
                    "(payer = {} OR (payee = {} AND status <> 'aborted') OR ",
                    bind(me()),
                    bind(me())
                );
                sql += &relayed(&mut bind);
                sql += ")";
            }
        }
        if let Some(e) = &h.equivalent {
            sql += &format!(" AND equivalent = {}", bind(Value::Text(e.clone())));
        }
        if let Some(s) = &h.status {
            sql += &format!(" AND status = {}", bind(Value::Text(s.clone())));
        }
        if let Some(f) = h.from {
            sql += &format!(" AND created_at >= {}", bind(Value::Int(f)));
        }
        if let Some(t) = h.to {
            sql += &format!(" AND created_at <= {}", bind(Value::Int(t)));
        }
        if let Some(b) = h.before_seq {
            sql += &format!(" AND journal_seq < {}", bind(Value::Int(b as i64)));
        }
        sql += &format!(
            " ORDER BY journal_seq DESC LIMIT {}",
            bind(Value::Int(h.limit as i64))
        );
        let mut q = sqlx::query(&sql);
        for v in values {
            q = match v {
                Value::Text(t) => q.bind(t),
                Value::Int(i) => q.bind(i),
            };
        }
        let rows = q.fetch_all(pool).await?;
        rows.iter()
            .map(|r| parse_record(&r.try_get::<String, _>("record")?))
            .collect()
    }

    /// A stored event row, with its entry's body as stored.
    fn stored_event(r: &Self::Row, pid: &Pid) -> Result<StoredEvent, StorageError> {
        let id = r.try_get::<i64, _>("id")? as u64;
        let journal_seq = r.try_get::<i64, _>("journal_seq")? as u64;
        let data: Option<String> = r.try_get("data")?;
        Ok(StoredEvent {
            id,
            pid: pid.clone(),
            kind: r.try_get("kind")?,
            journal_seq,
            data: data
                .ok_or_else(|| StorageError::Corrupt {
                    seq: journal_seq,
                    why: format!("event {id} has no body"),
                })?
                .into(),
        })
    }

    async fn events_after(
        pool: &Pool<Self>,
        pid: &Pid,
        after: u64,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StorageError> {
        let rows = sqlx::query(
            "SELECT e.id, e.kind, e.journal_seq, b.data FROM events e \
             LEFT JOIN event_bodies b ON b.journal_seq = e.journal_seq \
             WHERE e.pid = $1 AND e.id > $2 ORDER BY e.id LIMIT $3",
        )
        .bind(pid.as_str().to_owned())
        .bind(after as i64)
        .bind(limit as i64)
        .fetch_all(pool)
        .await?;
        rows.iter().map(|r| Self::stored_event(r, pid)).collect()
    }

    async fn events_of_kind(
        pool: &Pool<Self>,
        pid: &Pid,
        kind: &str,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StorageError> {
        let rows = sqlx::query(
            "SELECT e.id, e.kind, e.journal_seq, b.data FROM events e \
             LEFT JOIN event_bodies b ON b.journal_seq = e.journal_seq \
             WHERE e.pid = $1 AND e.kind = $2 AND e.id < $3 ORDER BY e.id DESC LIMIT $4",
        )
        .bind(pid.as_str().to_owned())
        .bind(kind.to_owned())
        .bind(before.map(|b| b as i64).unwrap_or(i64::MAX))
        .bind(limit as i64)
        .fetch_all(pool)
        .await?;
        rows.iter().map(|r| Self::stored_event(r, pid)).collect()
    }

    /// The stored body of journal entry `seq`'s events (its `event_bodies` row, by key).
    async fn event_body(pool: &Pool<Self>, seq: u64) -> Result<Option<String>, StorageError> {
        let row = sqlx::query("SELECT data FROM event_bodies WHERE journal_seq = $1")
            .bind(seq as i64)
            .fetch_optional(pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("data")?),
            None => None,
        })
    }

    async fn journal_of_kind(
        pool: &Pool<Self>,
        kind: &str,
        before: u64,
        limit: u32,
    ) -> Result<Vec<(u64, Timestamp, JournalEvent)>, StorageError> {
        let rows = sqlx::query(
            "SELECT seq, recorded_at, body FROM journal WHERE kind = $1 AND seq < $2 \
             ORDER BY seq DESC LIMIT $3",
        )
        .bind(kind.to_owned())
        .bind(before.min(i64::MAX as u64) as i64)
        .bind(limit as i64)
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| {
                let JournalRow { seq, at, event, .. } = Self::journal_row(r)?;
                Ok((seq, at, event))
            })
            .collect()
    }

    /// The payment entries of the journal whose body contains `text`, in order (a scan of the
    /// journal: for the rare payment whose row is missing).
    async fn payment_entries_containing(
        pool: &Pool<Self>,
        text: &str,
    ) -> Result<Vec<(u64, Timestamp, JournalEvent)>, StorageError> {
        let rows = sqlx::query(
            "SELECT seq, recorded_at, body FROM journal WHERE kind IN \
             ('payment_prepared', 'payment_committed', 'payment_aborted') \
             AND body LIKE $1 ORDER BY seq",
        )
        .bind(format!("%{text}%"))
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| {
                let JournalRow { seq, at, event, .. } = Self::journal_row(r)?;
                Ok((seq, at, event))
            })
            .collect()
    }

    /// Whether a migration marked the upgrade step `name` pending (table `pending_upgrades`).
    async fn upgrade_pending(pool: &Pool<Self>, name: &str) -> Result<bool, StorageError> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM pending_upgrades WHERE name = $1")
            .bind(name.to_owned())
            .fetch_one(pool)
            .await?
            .try_get("n")?;
        Ok(n > 0)
    }

    /// Marks the upgrade step `name` done.
    async fn upgrade_done(pool: &Pool<Self>, name: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM pending_upgrades WHERE name = $1")
            .bind(name.to_owned())
            .execute(pool)
            .await?;
        Ok(())
    }

    /// Completes the upgrade step `payment_receipts` once (migration 0005 marks it pending): each
    /// decided payment whose row was stored before receipts were kept in it gets the receipt `sign`
    /// makes from the row, so reads only ever serve stored receipts. Returns how many rows it
    /// filled; nothing when the step is not pending.
    async fn fill_payment_receipts(
        pool: &Pool<Self>,
        sign: &(dyn Fn(&PaymentRecord) -> Option<geo_protocol::Signature> + Sync),
    ) -> Result<u64, StorageError> {
        if !Self::upgrade_pending(pool, "payment_receipts").await? {
            return Ok(0);
        }
        let mut filled = 0;
        let mut after = String::new();
        loop {
            let rows = sqlx::query(
                "SELECT tx_id, record FROM payments WHERE tx_id > $1 AND status <> 'prepared' \
                 ORDER BY tx_id LIMIT 1000",
            )
            .bind(after.clone())
            .fetch_all(pool)
            .await?;
            let Some(last) = rows.last() else {
                break;
            };
            after = last.try_get("tx_id")?;
            let mut tx = pool.begin().await?;
            for r in &rows {
                let mut record = parse_record(&r.try_get::<String, _>("record")?)?;
                if record.receipt_signature.is_some() {
                    continue;
                }
                record.receipt_signature = sign(&record);
                sqlx::query("UPDATE payments SET record = $1 WHERE tx_id = $2")
                    .bind(serde_json::to_string(&record).expect("records serialise"))
                    .bind(record.tx_id.to_string())
                    .execute(&mut *tx)
                    .await?;
                filled += 1;
            }
            tx.commit().await?;
        }
        Self::upgrade_done(pool, "payment_receipts").await?;
        Ok(filled)
    }

    /// Completes the upgrade step `event_bodies` once (migration 0007 marks it pending): the
    /// journal is walked in order, a page at a time, and the body `bodies` makes of each entry that
    /// tells anyone is stored, as the writer would have. Returns how many entries' bodies it stored.
    async fn fill_event_bodies(
        pool: &Pool<Self>,
        bodies: &mut super::EntryBody<'_>,
    ) -> Result<u64, StorageError> {
        if !Self::upgrade_pending(pool, "event_bodies").await? {
            return Ok(0);
        }
        let mut filled = 0;
        let mut after = 0i64;
        loop {
            let entries = sqlx::query(
                "SELECT seq, recorded_at, body, prev_hash FROM journal WHERE seq > $1 \
                 ORDER BY seq LIMIT 1000",
            )
            .bind(after)
            .fetch_all(pool)
            .await?;
            let Some(last) = entries.last() else {
                break;
            };
            after = last.try_get("seq")?;
            let mut made = Vec::new();
            for r in &entries {
                let JournalRow { seq, at, event, .. } = Self::journal_row(r)?;
                let prev = journal_digest::<Self>(r, "prev_hash", seq)?;
                if let Some(data) = bodies(&JournalEntry::seal(seq, at, event, prev)) {
                    made.push((seq as i64, data));
                }
            }
            // A page stored by a start that stopped half-way is kept as it is.
            let mut tx = pool.begin().await?;
            for (seq, data) in made {
                let r = sqlx::query(
                    "INSERT INTO event_bodies (journal_seq, data) VALUES ($1, $2) \
                     ON CONFLICT (journal_seq) DO NOTHING",
                )
                .bind(seq)
                .bind(data.to_string())
                .execute(&mut *tx)
                .await?;
                filled += Self::rows_affected(&r);
            }
            tx.commit().await?;
        }
        Self::upgrade_done(pool, "event_bodies").await?;
        Ok(filled)
    }

    async fn insert_refresh(
        pool: &Pool<Self>,
        hash: &str,
        pid: &Pid,
        expires_at: i64,
    ) -> Result<(), StorageError> {
        sqlx::query("INSERT INTO refresh_tokens (token_hash, pid, expires_at) VALUES ($1, $2, $3)")
            .bind(hash.to_owned())
            .bind(pid.as_str().to_owned())
            .bind(expires_at)
            .execute(pool)
            .await?;
        Ok(())
    }

    async fn take_refresh(
        pool: &Pool<Self>,
        hash: &str,
    ) -> Result<Option<(String, i64)>, StorageError> {
        let row = sqlx::query(
            "DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING pid, expires_at",
        )
        .bind(hash.to_owned())
        .fetch_optional(pool)
        .await?;
        Ok(match row {
            Some(r) => Some((r.try_get("pid")?, r.try_get("expires_at")?)),
            None => None,
        })
    }

    async fn ping(pool: &Pool<Self>) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(pool).await?;
        Ok(())
    }

    async fn count(pool: &Pool<Self>, table: &'static str) -> Result<u64, StorageError> {
        let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(pool)
            .await?;
        Ok(row.try_get::<i64, _>("n")? as u64)
    }
}
