//! A database written by an older hub is upgraded once at start-up, on SQLite and on PostgreSQL:
//! payment rows stored before receipts were kept in them get the receipt the old hub served, and
//! reads then serve stored receipts only.

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
