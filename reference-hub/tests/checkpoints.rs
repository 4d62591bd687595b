//! Ledger checkpoints on both backends: a start from the newest checkpoint plus the journal after it
//! rebuilds exactly the ledger a full replay does (same snapshot bytes, same head hash); a damaged or
//! stale checkpoint is ignored (an older one, or the full journal, is used instead) and `check`
//! names it; a hub on such a database still starts and serves.

mod support;

use geo_protocol::{PaymentAbort, PaymentCommit, PaymentRequest};
use reference_hub::engine::ledger::Ledger;
use reference_hub::recovery::{self, RecoveryError};
use reference_hub::storage::Store;
use support::{Backend, TestHub};

/// Runs SQL with one bound byte string against the hub's database (as damage from outside would).
async fn execute(url: &str, sql: &str, bytes: Option<Vec<u8>>) {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let q = sqlx::query(sql);
        let q = match bytes {
            Some(b) => q.bind(b),
            None => q,
        };
        q.execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let q = sqlx::query(sql);
        let q = match bytes {
            Some(b) => q.bind(b),
            None => q,
        };
        q.execute(&pool).await.unwrap();
        pool.close().await;
    }
}

fn same(a: &Ledger, b: &Ledger) -> bool {
    a.last_hash == b.last_hash && a.last_seq == b.last_seq && a.snapshot() == b.snapshot()
}

/// Some history: lines, committed and held payments, a suspension.
async fn history(hub: &TestHub, rounds: usize) {
    let a = hub.participant("A").await;
    let b = hub.participant("B").await;
    let c = hub.participant("C").await;
    assert_eq!(b.trust(&a, "500").await.0, 200);
    assert_eq!(c.trust(&b, "500").await.0, 200);
    assert_eq!(a.trust(&c, "100").await.0, 200);
    for _ in 0..rounds {
        assert_eq!(a.pay(&c, "1.50").await.0, 200);
        assert_eq!(c.pay(&a, "0.25").await.0, 200);
    }
    let mut held = a.payment(&b, "2");
    held.hold_seconds = Some(300);
    assert_eq!(a.pay_request(held).await.0, 200);
}

async fn stop(hub: &mut TestHub) {
    hub.hub.take().unwrap().shutdown().await.unwrap();
}

both_backends!(
    a_start_from_a_checkpoint_equals_a_full_replay,
    |backend: Backend| async move {
        let mut hub = TestHub::start_with(backend, |s| s.checkpoint_every_entries = 10).await;
        history(&hub, 12).await;
        stop(&mut hub).await;
        let url = hub.settings.effective_database_url();
        let store = Store::open_read_only(&url).await.unwrap();
        let heads = store.checkpoints().await.unwrap();
        assert_eq!(heads.len(), 2, "the newest two are kept: {heads:?}");
        let full = recovery::replay(&store).await.unwrap();
        assert_eq!(
            heads[0].seq, full.last_seq,
            "a graceful stop checkpoints the end"
        );
        let restored = recovery::restore(&store).await.unwrap();
        assert_eq!(restored.checkpoint, Some(full.last_seq));
        assert_eq!(restored.replayed, 0);
        assert!(restored.ignored.is_empty());
        assert!(same(&restored.ledger, &full));
        let checked = recovery::check(&store).await.unwrap();
        assert_eq!(checked.checkpoints, 2);
        assert!(same(&checked.ledger, &full));

        // More entries with checkpoints off: the next start loads the old checkpoint and replays the tail.
        hub.settings.checkpoint_every_entries = 0;
        hub.restart_stopped().await;
        let d = hub.participant("D").await;
        let e = hub.participant("E").await;
        assert_eq!(e.trust(&d, "10").await.0, 200);
        assert_eq!(d.pay(&e, "3").await.0, 200);
        stop(&mut hub).await;
        let full = recovery::replay(&store).await.unwrap();
        let restored = recovery::restore(&store).await.unwrap();
        assert_eq!(restored.checkpoint, Some(heads[0].seq));
        assert_eq!(restored.replayed, full.last_seq - heads[0].seq);
        assert!(restored.replayed >= 4, "{}", restored.replayed);
        assert!(same(&restored.ledger, &full));

        // The hub started from it serves the same state, and its integrity check agrees.
        hub.settings.checkpoint_every_entries = 10;
        hub.restart_stopped().await;
        assert_eq!(hub.integrity().await["status"], "ok");
        let mut d = support::Client::new(&hub, d.id.clone());
        d.login().await;
        let mut e = support::Client::new(&hub, e.id.clone());
        e.login().await;
        assert_eq!(d.pay(&e, "1").await.0, 200);
        assert_eq!(e.position(&d).await.1, "4.00");
        stop(&mut hub).await;
        store.close().await.unwrap();
    }
);

both_backends!(
    damaged_or_stale_checkpoints_are_ignored_and_named,
    |backend: Backend| async move {
        let mut hub = TestHub::start_with(backend, |s| s.checkpoint_every_entries = 8).await;
        history(&hub, 10).await;
        stop(&mut hub).await;
        let url = hub.settings.effective_database_url();
        let store = Store::open_read_only(&url).await.unwrap();
        let heads = store.checkpoints().await.unwrap();
        assert_eq!(heads.len(), 2);
        let (newest, older) = (heads[0].seq, heads[1].seq);
        let full = recovery::replay(&store).await.unwrap();

        // One flipped byte in the newest snapshot: its hash no longer matches; the older one is used.
        let mut bytes = store.checkpoint_snapshot(newest).await.unwrap().unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        execute(
            &url,
            &format!("UPDATE checkpoints SET snapshot = $1 WHERE seq = {newest}"),
            Some(bytes),
        )
        .await;
        let restored = recovery::restore(&store).await.unwrap();
        assert_eq!(restored.checkpoint, Some(older));
        assert_eq!(restored.ignored.len(), 1);
        assert!(
            restored.ignored[0].1.contains("corrupt"),
            "{:?}",
            restored.ignored
        );
        assert!(same(&restored.ledger, &full));
        let err = recovery::check(&store).await.unwrap_err();
        assert!(
            matches!(&err, RecoveryError::Integrity(m) if m.contains(&format!("checkpoint at {newest}"))),
            "{err}"
        );

        // The older one is stale (it names another journal hash): nothing is trusted, the whole
        // journal is replayed.
        execute(
            &url,
            &format!(
                "UPDATE checkpoints SET journal_hash = '{}' WHERE seq = {older}",
                "0".repeat(64)
            ),
            None,
        )
        .await;
        let restored = recovery::restore(&store).await.unwrap();
        assert_eq!(restored.checkpoint, None);
        assert_eq!(restored.replayed, full.last_seq);
        assert!(
            restored.ignored[1].1.contains("stale"),
            "{:?}",
            restored.ignored
        );
        assert!(same(&restored.ledger, &full));

        // A hub on this database starts by full replay, serves, drops the two unusable checkpoints and
        // leaves a good one when it stops; `check` then finds nothing to name.
        hub.restart_stopped().await;
        assert_eq!(hub.integrity().await["status"], "ok");
        stop(&mut hub).await;
        let heads = store.checkpoints().await.unwrap();
        assert_eq!(
            heads.iter().map(|h| h.seq).collect::<Vec<_>>(),
            vec![full.last_seq]
        );
        let checked = recovery::check(&store).await.unwrap();
        assert_eq!(checked.checkpoints, 1);
        assert!(same(&checked.ledger, &full));
        store.close().await.unwrap();
    }
);

both_backends!(
    a_payment_made_long_before_the_checkpoint_is_resent_after_a_restart,
    |backend: Backend| async move {
        let mut hub = TestHub::start_with(backend, |s| s.checkpoint_every_entries = 10).await;
        let a = hub.participant("A").await;
        let b = hub.participant("B").await;
        assert_eq!(b.trust(&a, "500").await.0, 200);
        let request = a.payment(&b, "4.25");
        let signed = a.sign(request.clone());
        let (s, first) = a.post("/payments", &signed).await;
        assert_eq!(
            (s, first["status"].as_str()),
            (200, Some("committed")),
            "{first}"
        );
        let mut held = a.payment(&b, "1");
        held.hold_seconds = Some(300);
        let (s, p) = a.pay_request(held.clone()).await;
        assert_eq!((s, p["status"].as_str()), (200, Some("prepared")), "{p}");
        for _ in 0..15 {
            assert_eq!(a.pay(&b, "0.10").await.0, 200);
        }
        stop(&mut hub).await;

        // The hub starts from the checkpoint its stop left, which is well past the first payment:
        // the engine no longer holds a payment index, so the resends are decided from storage.
        hub.restart_stopped().await;
        let url = hub.settings.effective_database_url();
        let store = Store::open_read_only(&url).await.unwrap();
        let heads = store.checkpoints().await.unwrap();
        store.close().await.unwrap();
        let seq = first["journal_seq"].as_u64().unwrap();
        assert!(heads[0].seq >= seq + 15, "{heads:?} after {seq}");
        let engine = hub.hub().state.engine.read().await;
        assert_eq!(engine.remembered_payments().count(), 0);
        drop(engine);
        let mut a = support::Client::new(&hub, a.id.clone());
        a.login().await;
        let b = support::Client::new(&hub, b.id.clone());

        // The very same signed message, and the same request signed again: the stored outcome.
        let (s, again) = a.post("/payments", &signed).await;
        assert_eq!(s, 200, "{again}");
        assert_eq!(
            again["receipt"], first["receipt"],
            "the same signed receipt"
        );
        let (s, resigned) = a.pay_request(request.clone()).await;
        assert_eq!(s, 200, "{resigned}");
        assert_eq!(resigned["journal_seq"], first["journal_seq"]);
        // Anything else under its id is refused, and changes nothing.
        let (s, p) = a
            .pay_request(PaymentRequest {
                amount: "4.26".parse().unwrap(),
                ..request.clone()
            })
            .await;
        assert_eq!(
            (s, p["code"].as_str()),
            (409, Some("E_TX_ID_CONFLICT")),
            "{p}"
        );
        // The hold made before the checkpoint commits once; a second commit gets the stored result
        // and an abort is refused.
        let tx = held.tx_id;
        let (s, p) = a
            .post(
                &format!("/payments/{tx}/commit"),
                &a.sign(PaymentCommit { tx_id: tx }),
            )
            .await;
        assert_eq!((s, p["status"].as_str()), (200, Some("committed")), "{p}");
        stop(&mut hub).await;
        hub.restart_stopped().await;
        let mut a = support::Client::new(&hub, a.id.clone());
        a.login().await;
        let (s, p) = a
            .post(
                &format!("/payments/{tx}/commit"),
                &a.sign(PaymentCommit { tx_id: tx }),
            )
            .await;
        assert_eq!((s, p["status"].as_str()), (200, Some("committed")), "{p}");
        let (s, p) = a
            .post(
                &format!("/payments/{tx}/abort"),
                &a.sign(PaymentAbort {
                    tx_id: tx,
                    reason: "late".into(),
                }),
            )
            .await;
        assert_eq!(s, 409, "{p}");
        let (s, p) = a.post("/payments", &signed).await;
        assert_eq!((s, &p["receipt"]), (200, &first["receipt"]), "{p}");
        // Applied once each: 4.25 + 1.00 + 15 × 0.10.
        assert_eq!(a.position(&b).await.0, "6.75");
        stop(&mut hub).await;
    }
);
