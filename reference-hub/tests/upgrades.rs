//! A database written by an older hub is upgraded once at start-up, on SQLite and on PostgreSQL:
//! payment rows stored before receipts were kept in them get the receipt the old hub served, event
//! rows stored before bodies were kept get the bodies the writer makes, and reads then serve stored
//! receipts and bodies only.

mod support;

use serde_json::Value;
use sqlx::Connection;
use support::{verify_receipt, Backend, TestHub};

/// Runs statements on the hub's database, as an older hub or an operator would.
async fn sql(backend: Backend, url: &str, statements: &[&str]) {
    match backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            for s in statements {
                sqlx::query(s).execute(&mut c).await.unwrap();
            }
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            for s in statements {
                sqlx::query(s).execute(&mut c).await.unwrap();
            }
        }
    }
}

/// `(tx_id, record)` of every payment row.
async fn payment_rows(backend: Backend, url: &str) -> Vec<(String, String)> {
    let q = "SELECT tx_id, record FROM payments ORDER BY tx_id";
    match backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_as(q).fetch_all(&mut c).await.unwrap()
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_as(q).fetch_all(&mut c).await.unwrap()
        }
    }
}

async fn pending_upgrades(backend: Backend, url: &str) -> i64 {
    let q = "SELECT COUNT(*) FROM pending_upgrades";
    match backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_scalar(q).fetch_one(&mut c).await.unwrap()
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(q).fetch_one(&mut c).await.unwrap()
        }
    }
}

both_backends!(
    payment_rows_without_receipts_get_theirs_once_at_start,
    |backend| async move {
        let mut hub = TestHub::start(backend).await;
        let url = hub.settings.effective_database_url();
        let (a, b) = (hub.participant("A").await, hub.participant("B").await);
        b.trust(&a, "10").await;
        let (s, committed) = a.pay(&b, "4").await;
        assert_eq!(s, 200, "{committed}");
        let (s, aborted) = a.pay(&b, "50").await;
        assert_eq!(s, 422, "{aborted}");
        let tx_ids = [
            committed["tx_id"].as_str().unwrap().to_owned(),
            aborted["payment"]["tx_id"].as_str().unwrap().to_owned(),
        ];
        let served: Vec<Value> = vec![committed["receipt"].clone(), aborted["receipt"].clone()];
        hub.hub.take().unwrap().shutdown().await.unwrap();
        assert_eq!(
            pending_upgrades(backend, &url).await,
            0,
            "a new database has nothing left"
        );

        // Make it the database of a hub from before receipts were kept: rows as that hub wrote
        // them (no `receipt_signature` member), and migration 5 not applied yet.
        let rows = payment_rows(backend, &url).await;
        assert_eq!(rows.len(), 2);
        let mut statements = vec![
            "DROP TABLE pending_upgrades".to_owned(),
            "DELETE FROM _sqlx_migrations WHERE version = 5".to_owned(),
        ];
        for (tx_id, record) in &rows {
            let mut old: Value = serde_json::from_str(record).unwrap();
            assert!(old
                .as_object_mut()
                .unwrap()
                .remove("receipt_signature")
                .is_some());
            statements.push(format!(
                "UPDATE payments SET record = '{}' WHERE tx_id = '{tx_id}'",
                old.to_string().replace('\'', "''")
            ));
        }
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        sql(backend, &url, &statements).await;
        for (_, record) in payment_rows(backend, &url).await {
            assert!(!record.contains("\"receipt_signature\""), "{record}");
        }

        hub.restart_stopped().await;
        let mut a = support::Client::new(&hub, a.id.clone());
        a.login().await;
        // The start filled every row once, with the receipt the old hub served.
        assert_eq!(pending_upgrades(backend, &url).await, 0);
        let rows = payment_rows(backend, &url).await;
        for (tx_id, receipt) in tx_ids.iter().zip(&served) {
            let (_, record) = rows.iter().find(|(t, _)| t == tx_id).unwrap();
            let record: Value = serde_json::from_str(record).unwrap();
            assert_eq!(
                record["receipt_signature"], receipt["signature"],
                "the stored receipt is the one served before"
            );
            let (s, p) = a.get(&format!("/payments/{tx_id}")).await;
            assert_eq!(s, 200, "{p}");
            assert_eq!(&p["receipt"], receipt);
            verify_receipt(&hub, &p["receipt"]);
        }
    }
);

/// `(pid, id, kind, journal_seq, data)` of every event row, by id.
async fn event_rows(
    backend: Backend,
    url: &str,
) -> Vec<(String, i64, String, i64, Option<String>)> {
    let q = "SELECT e.pid, e.id, e.kind, e.journal_seq, b.data FROM events e \
             LEFT JOIN event_bodies b ON b.journal_seq = e.journal_seq ORDER BY e.id";
    match backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_as(q).fetch_all(&mut c).await.unwrap()
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_as(q).fetch_all(&mut c).await.unwrap()
        }
    }
}

/// The operator's clearings.
async fn admin_clearings(hub: &TestHub) -> Value {
    let r = hub
        .http
        .get(hub.api_url("/admin/clearings"))
        .header("x-admin-token", &hub.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

both_backends!(
    event_rows_without_bodies_get_theirs_once_at_start,
    |backend| async move {
        let mut hub = TestHub::start(backend).await;
        let url = hub.settings.effective_database_url();
        let (a, b, c) = (
            hub.participant("A").await,
            hub.participant("B").await,
            hub.participant("C").await,
        );
        // Every kind of event: lines set and closed, payments sent, received, relayed and
        // aborted, a clearing committed (the local pass closes the cycle) and a status change.
        b.trust(&a, "100").await;
        c.trust(&b, "100").await;
        a.trust(&c, "100").await;
        assert_eq!(a.pay(&c, "3").await.0, 200, "relayed by B");
        assert_eq!(a.pay(&b, "7").await.0, 200);
        assert_eq!(b.pay(&c, "7").await.0, 200);
        assert_eq!(c.pay(&a, "7").await.0, 200);
        assert_eq!(a.pay(&b, "500").await.0, 422);
        let d = hub.participant("D").await;
        d.trust(&a, "5").await;
        assert_eq!(d.close(&a.pid()).await.0, 200);
        hub.admin_status(&d.pid(), "suspended").await;
        let (s, clearings) = b.get("/clearings").await;
        assert_eq!(s, 200, "{clearings}");
        assert_eq!(
            clearings["items"].as_array().unwrap().len(),
            1,
            "{clearings}"
        );
        let operator = admin_clearings(&hub).await;
        assert_eq!(
            operator["items"][0]["receipt"], clearings["items"][0]["receipt"],
            "the operator is shown the receipt members got"
        );
        hub.hub.take().unwrap().shutdown().await.unwrap();
        let stored = event_rows(backend, &url).await;
        let kinds: std::collections::BTreeSet<&str> = stored.iter().map(|r| r.2.as_str()).collect();
        for kind in [
            "trust_line_changed",
            "payment_sent",
            "payment_received",
            "payment_relayed",
            "payment_aborted",
            "clearing_committed",
            "participant_status_changed",
        ] {
            assert!(kinds.contains(kind), "{kind} in {kinds:?}");
        }
        assert!(
            stored.iter().all(|r| r.4.is_some()),
            "a new hub stores every body"
        );

        // Make it the database of a hub from before bodies were kept: no `event_bodies`, and
        // migration 7 not applied yet.
        sql(
            backend,
            &url,
            &[
                "DROP TABLE event_bodies",
                "DELETE FROM pending_upgrades",
                "DELETE FROM _sqlx_migrations WHERE version = 7",
            ],
        )
        .await;

        hub.restart_stopped().await;
        assert_eq!(pending_upgrades(backend, &url).await, 0);
        assert_eq!(
            event_rows(backend, &url).await,
            stored,
            "the start made each body as the writer had (clearing receipts included)"
        );
        let mut b = support::Client::new(&hub, b.id.clone());
        b.login().await;
        assert_eq!(b.get("/clearings").await.1, clearings);
        assert_eq!(admin_clearings(&hub).await, operator);
        // A second start finds nothing left to do.
        hub.restart().await;
        assert_eq!(event_rows(backend, &url).await, stored);
    }
);
