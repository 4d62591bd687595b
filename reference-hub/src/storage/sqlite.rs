//! SQLite: migrations and reads on the sqlx pool (the batch writer is `writer.rs`, on its own
//! rusqlite connection).

mod writer;

use super::*;
pub use writer::SqliteWriter;

type Pool = sqlx::Pool<sqlx::Sqlite>;

pub fn migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("./migrations/sqlite")
}

/// Refuses a database written by a newer hub, then applies this build's migrations.
pub async fn migrate(pool: &Pool) -> Result<(), StorageError> {
    let migrator = migrator();
    if let Some(applied) = applied_migrations(pool).await? {
        schema::check(&applied, &migrator, true)?;
    }
    migrator.run(pool).await?;
    Ok(())
}

/// The versions of the migrations applied to the database; none when it has no
/// migration table (a new or foreign database).
pub async fn applied_migrations(pool: &Pool) -> Result<Option<Vec<i64>>, StorageError> {
    let present: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')").fetch_one(pool).await?;
    if !present {
        return Ok(None);
    }
    let versions =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await?;
    Ok(Some(versions))
}

pub async fn replay(
    pool: &Pool,
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
        let at = Timestamp::from_unix(row.try_get("recorded_at")?)
            .map_err(|e| corrupt(e.to_string()))?;
        let body: String = row.try_get("body")?;
        let event: JournalEvent =
            serde_json::from_str(&body).map_err(|e| corrupt(e.to_string()))?;
        let prev_hash = Digest::from_str(&row.try_get::<String, _>("prev_hash")?)
            .map_err(|e| corrupt(e.to_string()))?;
        let hash = Digest::from_str(&row.try_get::<String, _>("hash")?)
            .map_err(|e| corrupt(e.to_string()))?;
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

pub async fn journal_hash_at(pool: &Pool, seq: u64) -> Result<Option<Digest>, StorageError> {
    let hash: Option<String> = sqlx::query_scalar("SELECT hash FROM journal WHERE seq = $1")
        .bind(seq as i64)
        .fetch_optional(pool)
        .await?;
    hash.map(|h| {
        Digest::from_str(&h).map_err(|e| StorageError::Corrupt {
            seq,
            why: e.to_string(),
        })
    })
    .transpose()
}

pub async fn checkpoints(pool: &Pool) -> Result<Vec<CheckpointHead>, StorageError> {
    let rows =
        sqlx::query("SELECT seq, journal_hash, format, hash FROM checkpoints ORDER BY seq DESC")
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

pub async fn checkpoint_snapshot(pool: &Pool, seq: u64) -> Result<Option<Vec<u8>>, StorageError> {
    Ok(
        sqlx::query_scalar("SELECT snapshot FROM checkpoints WHERE seq = $1")
            .bind(seq as i64)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn write_checkpoint(
    pool: &Pool,
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

pub async fn delete_checkpoint(pool: &Pool, seq: u64) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM checkpoints WHERE seq = $1")
        .bind(seq as i64)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn nonces(
    pool: &Pool,
    now: Timestamp,
) -> Result<Vec<(Pid, Nonce, Timestamp)>, StorageError> {
    let rows = sqlx::query("SELECT signer, nonce, expires_at FROM nonces WHERE expires_at >= $1")
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

pub async fn prune_nonces(pool: &Pool, now: Timestamp) -> Result<u64, StorageError> {
    let r = sqlx::query("DELETE FROM nonces WHERE expires_at < $1")
        .bind(now.unix())
        .execute(pool)
        .await?;
    Ok(r.rows_affected())
}

pub async fn max_event_id(pool: &Pool) -> Result<u64, StorageError> {
    let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS m FROM events")
        .fetch_one(pool)
        .await?;
    Ok(row.try_get::<i64, _>("m")? as u64)
}

pub async fn payment(pool: &Pool, tx_id: &TxId) -> Result<Option<PaymentRecord>, StorageError> {
    let row = sqlx::query("SELECT record FROM payments WHERE tx_id = $1")
        .bind(tx_id.to_string())
        .fetch_optional(pool)
        .await?;
    row.map(|r| parse_record(&r.try_get::<String, _>("record")?))
        .transpose()
}

/// The rows of the payments among `ids` (at most a few hundred).
pub async fn payments_by_id(pool: &Pool, ids: &[TxId]) -> Result<Vec<PaymentRecord>, StorageError> {
    let mut q = QueryBuilder::<sqlx::Sqlite>::new("SELECT record FROM payments WHERE tx_id IN (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(id.to_string());
    }
    list.push_unseparated(")");
    let rows = q.build().fetch_all(pool).await?;
    rows.iter()
        .map(|r| parse_record(&r.try_get::<String, _>("record")?))
        .collect()
}

pub async fn history(
    pool: &Pool,
    pid: &Pid,
    h: &HistoryQuery,
) -> Result<Vec<PaymentRecord>, StorageError> {
    let mut q = QueryBuilder::<sqlx::Sqlite>::new("SELECT record FROM payments WHERE ");
    let me = || pid.as_str().to_owned();
    // A relayed payment is the one committed by the journal entry of a `payment_relayed`
    // event of the participant (one journal entry holds one event).
    let relayed = |q: &mut QueryBuilder<'_, sqlx::Sqlite>| {
        q.push("journal_seq IN (SELECT journal_seq FROM events WHERE pid = ")
            .push_bind(me())
            .push(" AND kind = 'payment_relayed')");
    };
    match h.direction {
        HistoryDirection::Sent => {
            q.push("payer = ").push_bind(me());
        }
        HistoryDirection::Received => {
            q.push("payee = ")
                .push_bind(me())
                .push(" AND status <> 'aborted'");
        }
        HistoryDirection::Relayed => relayed(&mut q),
        HistoryDirection::All => {
            q.push("(payer = ").push_bind(me());
            q.push(" OR (payee = ")
                .push_bind(me())
                .push(" AND status <> 'aborted') OR ");
            relayed(&mut q);
            q.push(")");
        }
    }
    if let Some(e) = &h.equivalent {
        q.push(" AND equivalent = ").push_bind(e.clone());
    }
    if let Some(s) = &h.status {
        q.push(" AND status = ").push_bind(s.clone());
    }
    if let Some(f) = h.from {
        q.push(" AND created_at >= ").push_bind(f);
    }
    if let Some(t) = h.to {
        q.push(" AND created_at <= ").push_bind(t);
    }
    if let Some(b) = h.before_seq {
        q.push(" AND journal_seq < ").push_bind(b as i64);
    }
    q.push(" ORDER BY journal_seq DESC LIMIT ")
        .push_bind(h.limit as i64);
    let rows = q.build().fetch_all(pool).await?;
    rows.iter()
        .map(|r| parse_record(&r.try_get::<String, _>("record")?))
        .collect()
}

fn stored_event(
    r: &<sqlx::Sqlite as sqlx::Database>::Row,
    pid: &Pid,
) -> Result<StoredEvent, StorageError> {
    let seq = r.try_get::<i64, _>("journal_seq")? as u64;
    let at =
        Timestamp::from_unix(r.try_get("recorded_at")?).map_err(|e| StorageError::Corrupt {
            seq,
            why: e.to_string(),
        })?;
    let event: JournalEvent =
        serde_json::from_str(&r.try_get::<String, _>("body")?).map_err(|e| {
            StorageError::Corrupt {
                seq,
                why: e.to_string(),
            }
        })?;
    Ok(StoredEvent {
        id: r.try_get::<i64, _>("id")? as u64,
        pid: pid.clone(),
        kind: r.try_get("kind")?,
        journal_seq: seq,
        event: None,
        source: Some((at, event)),
    })
}

pub async fn events_after(
    pool: &Pool,
    pid: &Pid,
    after: u64,
    limit: u32,
) -> Result<Vec<StoredEvent>, StorageError> {
    let rows = sqlx::query(
        "SELECT e.id, e.kind, e.journal_seq, j.recorded_at, j.body FROM events e \
         JOIN journal j ON j.seq = e.journal_seq WHERE e.pid = $1 AND e.id > $2 ORDER BY e.id LIMIT $3",
    )
    .bind(pid.as_str().to_owned())
    .bind(after as i64)
    .bind(limit as i64)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| stored_event(r, pid)).collect()
}

pub async fn events_of_kind(
    pool: &Pool,
    pid: &Pid,
    kind: &str,
    before: Option<u64>,
    limit: u32,
) -> Result<Vec<StoredEvent>, StorageError> {
    let rows = sqlx::query(
        "SELECT e.id, e.kind, e.journal_seq, j.recorded_at, j.body FROM events e \
         JOIN journal j ON j.seq = e.journal_seq WHERE e.pid = $1 AND e.kind = $2 AND e.id < $3 \
         ORDER BY e.id DESC LIMIT $4",
    )
    .bind(pid.as_str().to_owned())
    .bind(kind.to_owned())
    .bind(before.map(|b| b as i64).unwrap_or(i64::MAX))
    .bind(limit as i64)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| stored_event(r, pid)).collect()
}

pub async fn journal_of_kind(
    pool: &Pool,
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
            let seq = r.try_get::<i64, _>("seq")? as u64;
            let corrupt = |why: String| StorageError::Corrupt { seq, why };
            let at = Timestamp::from_unix(r.try_get("recorded_at")?)
                .map_err(|e| corrupt(e.to_string()))?;
            let event: JournalEvent = serde_json::from_str(&r.try_get::<String, _>("body")?)
                .map_err(|e| corrupt(e.to_string()))?;
            Ok((seq, at, event))
        })
        .collect()
}

pub async fn insert_refresh(
    pool: &Pool,
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

pub async fn take_refresh(pool: &Pool, hash: &str) -> Result<Option<(String, i64)>, StorageError> {
    let row =
        sqlx::query("DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING pid, expires_at")
            .bind(hash.to_owned())
            .fetch_optional(pool)
            .await?;
    Ok(match row {
        Some(r) => Some((r.try_get("pid")?, r.try_get("expires_at")?)),
        None => None,
    })
}

pub async fn ping(pool: &Pool) -> Result<(), StorageError> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}

pub async fn count(pool: &Pool, table: &'static str) -> Result<u64, StorageError> {
    let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(pool)
        .await?;
    Ok(row.try_get::<i64, _>("n")? as u64)
}
