//! The PostgreSQL write path: one transaction per batch with one statement per table, each binding
//! whole columns as arrays (`INSERT … SELECT * FROM UNNEST(…)`). The statement text does not depend
//! on the batch size, so the server parses and plans it once per connection, and a batch costs a
//! handful of round trips however many rows it has.

use sqlx::PgPool;

use super::{last_per_key, PersistBatch, StorageError};

/// Writes one batch atomically and durably.
pub async fn persist(pool: &PgPool, b: &PersistBatch) -> Result<(), StorageError> {
    let mut tx = pool.begin().await?;
    if !b.entries.is_empty() {
        let e = &b.entries;
        sqlx::query(
            "INSERT INTO journal (seq, recorded_at, kind, body, prev_hash, hash) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])",
        )
        .bind(e.iter().map(|e| e.seq as i64).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.at.unix()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.event.kind()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.body()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.prev_hash.to_string()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.hash.to_string()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    if !b.nonces.is_empty() {
        let n = &b.nonces;
        sqlx::query(
            "INSERT INTO nonces (signer, nonce, expires_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[]) ON CONFLICT (signer, nonce) DO NOTHING",
        )
        .bind(n.iter().map(|(s, _, _)| s.as_str()).collect::<Vec<_>>())
        .bind(n.iter().map(|(_, n, _)| n.as_str()).collect::<Vec<_>>())
        .bind(n.iter().map(|(_, _, e)| e.unix()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let payments = last_per_key(&b.payments, |p| p.tx_id);
    if !payments.is_empty() {
        let p = &payments;
        sqlx::query(
            "INSERT INTO payments (tx_id, payer, payee, equivalent, status, created_at, journal_seq, record) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], \
             $7::bigint[], $8::text[]) ON CONFLICT (tx_id) DO UPDATE SET status = excluded.status, \
             journal_seq = excluded.journal_seq, record = excluded.record",
        )
        .bind(p.iter().map(|p| p.tx_id.to_string()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.payer.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.payee.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.equivalent.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.status.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.created_at.unix()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.journal_seq as i64).collect::<Vec<_>>())
        .bind(
            p.iter()
                .map(|p| serde_json::to_string(p).expect("records serialise"))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await?;
    }
    if !b.events.is_empty() {
        let e = &b.events;
        sqlx::query(
            "INSERT INTO events (id, pid, kind, journal_seq) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[])",
        )
        .bind(e.iter().map(|e| e.id as i64).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.pid.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.journal_seq as i64).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let participants = last_per_key(&b.participants, |p| p.pid.clone());
    if !participants.is_empty() {
        let p = &participants;
        sqlx::query(
            "INSERT INTO participants (pid, public_key, display_name, kind, status, profile, journal_seq) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::bigint[]) ON CONFLICT (pid) DO UPDATE SET display_name = excluded.display_name, \
             status = excluded.status, profile = excluded.profile, journal_seq = excluded.journal_seq",
        )
        .bind(p.iter().map(|p| p.pid.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.public_key.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.display_name.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.status.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.profile.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.journal_seq as i64).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let lines = last_per_key(&b.trust_lines, |l| l.id.clone());
    if !lines.is_empty() {
        let l = &lines;
        sqlx::query(
            "INSERT INTO trust_lines (id, creditor, debtor, equivalent, credit_limit, policy, status, journal_seq) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::text[], $8::bigint[]) ON CONFLICT (id) DO UPDATE SET credit_limit = excluded.credit_limit, \
             policy = excluded.policy, status = excluded.status, journal_seq = excluded.journal_seq",
        )
        .bind(l.iter().map(|l| l.id.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.creditor.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.debtor.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.equivalent.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.limit.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.policy.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.status.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.journal_seq as i64).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let debts = last_per_key(&b.debts, |d| (d.equivalent.clone(), d.pair.clone()));
    let (live, gone): (Vec<_>, Vec<_>) = debts.into_iter().partition(|d| d.debt.is_some());
    if !live.is_empty() {
        let d = &live;
        let debt = |d: &super::DebtRow| d.debt.clone().expect("partitioned");
        sqlx::query(
            "INSERT INTO debts (equivalent, pair_lo, pair_hi, debtor, creditor, amount, journal_seq) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::bigint[]) ON CONFLICT (equivalent, pair_lo, pair_hi) DO UPDATE SET debtor = excluded.debtor, \
             creditor = excluded.creditor, amount = excluded.amount, journal_seq = excluded.journal_seq",
        )
        .bind(d.iter().map(|d| d.equivalent.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.pair.0.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.pair.1.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| debt(d).0).collect::<Vec<_>>())
        .bind(d.iter().map(|d| debt(d).1).collect::<Vec<_>>())
        .bind(d.iter().map(|d| debt(d).2).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.journal_seq as i64).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    if !gone.is_empty() {
        let d = &gone;
        sqlx::query(
            "DELETE FROM debts d USING UNNEST($1::text[], $2::text[], $3::text[]) AS g(equivalent, lo, hi) \
             WHERE d.equivalent = g.equivalent AND d.pair_lo = g.lo AND d.pair_hi = g.hi",
        )
        .bind(d.iter().map(|d| d.equivalent.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.pair.0.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.pair.1.as_str()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
