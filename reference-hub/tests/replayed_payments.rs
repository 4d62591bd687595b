//! A payment journaled but missing from the `payments` table (its projection lost or lagging: a
//! batch an earlier writer committed after the next writer read the projection outbox) is still
//! known after a restart: the start notes every payment it replays, so a resend of it is never
//! taken for a new payment, and the payee is credited once; the resend is answered the stored
//! result, its receipt rebuilt from the journal.

mod support;

use geo_api as api;
use support::{Backend, TestHub};

#[tokio::test]
async fn a_resend_after_a_restart_is_not_paid_again_when_its_row_is_missing() {
    let mut hub = TestHub::start(Backend::Sqlite).await;
    let payer = hub.participant("payer").await;
    let payee = hub.participant("payee").await;
    assert_eq!(payee.trust(&payer, "100").await.0, 200);
    let signed = payer.sign(payer.payment(&payee, "5.00"));
    let tx_id = signed.payload().tx_id.to_string();
    let (s, v) = payer.post(api::payment::PAY.path, &signed).await;
    assert_eq!((s, v["status"].as_str()), (200, Some("committed")), "{v}");

    // Stopped as after a failure (no checkpoint at the journal's end), then the payment's row
    // removed, as if its projection had never been applied.
    let stopped = hub.hub.take().unwrap();
    let _ = stopped.abandon().await;
    let url = hub.settings.effective_database_url();
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let removed = sqlx::query("DELETE FROM payments WHERE tx_id = ?")
        .bind(&tx_id)
        .execute(&mut db)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(removed, 1);
    drop(db);
    hub.restart_stopped().await;

    let mut payer = support::Client::new(&hub, payer.id.clone());
    payer.login().await;
    let mut payee = support::Client::new(&hub, payee.id.clone());
    payee.login().await;
    let (s, again) = payer.post(api::payment::PAY.path, &signed).await;
    assert_eq!(
        (s, again["status"].as_str()),
        (200, Some("committed")),
        "the resend answers the stored result: {again}"
    );
    // The same receipt, byte for byte, rebuilt from the journal (the row is gone).
    assert!(v["receipt"]["signature"].is_string(), "{v}");
    assert_eq!(again["receipt"], v["receipt"]);
    assert_eq!(again["journal_seq"], v["journal_seq"]);
    let balance = payee.balance().await;
    assert_eq!(
        balance["net"], "5.00",
        "the payee is credited once: {balance}"
    );
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let journaled: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM journal WHERE kind = 'payment_committed' AND body LIKE ?",
    )
    .bind(format!("%{tx_id}%"))
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(journaled, 1, "the payment is journaled once");
}
