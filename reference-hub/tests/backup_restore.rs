//! `geo-hub backup` / `geo-hub restore` (the real binary): a backup of a live SQLite hub, restored
//! into a new folder, replays to the same journal head hash, and a hub started there (with the old
//! `hub.key`) is the same hub with the same totals. Overwrites are refused; PostgreSQL gets pg_dump
//! guidance.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{Backend, TestHub};

const BIN: &str = env!("CARGO_BIN_EXE_geo-hub");

fn hub_cmd(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env_remove("DATABASE_URL")
        .env_remove("GEO_CONFIG")
        .args(["--data-dir", data_dir.to_str().unwrap()])
        .args(args)
        .output()
        .expect("geo-hub runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The head hash printed by `check` or `backup`.
fn head(line: &str) -> String {
    line.rsplit("head ")
        .next()
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_live_backup_restores_to_the_same_journal_head() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let (a, b) = (hub.participant("A").await, hub.participant("B").await);
    b.trust(&a, "100").await;
    for _ in 0..5 {
        assert_eq!(a.pay(&b, "1.25").await.0, 200);
    }
    let live_dir = hub.settings.data_dir.clone();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("hub-backup.db");

    // While the hub runs, and keeps taking payments.
    let payer = {
        let (a, b) = (a.clone(), b.clone());
        tokio::spawn(async move {
            for _ in 0..10 {
                assert_eq!(a.pay(&b, "0.01").await.0, 200);
            }
        })
    };
    let o = {
        let (d, f) = (live_dir.clone(), file.clone());
        tokio::task::spawn_blocking(move || hub_cmd(&d, &["backup", f.to_str().unwrap()]))
            .await
            .unwrap()
    };
    payer.await.unwrap();
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.starts_with("backup written: "), "{out}");
    assert!(file.is_file());
    assert!(!work.path().join("hub-backup.db.partial").exists());
    let backed_up_head = head(&out);

    // Never over an existing file.
    let o = hub_cmd(&live_dir, &["backup", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("already exists"), "{}", text(&o).1);

    // Restore into a new folder: same head as the backup, and `check` agrees.
    let new_dir = work.path().join("restored");
    let o = hub_cmd(&new_dir, &["restore", file.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(head(&out), backed_up_head);
    assert!(err.contains("hub.key is missing"), "{err}");
    let o = hub_cmd(&new_dir, &["check"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.starts_with("ok: "), "{out}");
    assert_eq!(head(&out), backed_up_head);
    // Restoring again over the restored database is refused.
    let o = hub_cmd(&new_dir, &["restore", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("already exists"), "{}", text(&o).1);

    // The backup holds at least the five payments made before it (and at most all fifteen).
    let stats = |url: String, token: String| async move {
        let r = reqwest::Client::new()
            .get(format!("{url}/api/v1/admin/stats"))
            .header("x-admin-token", token)
            .send()
            .await
            .unwrap();
        r.json::<geo_api::HubStats>().await.unwrap()
    };
    std::fs::copy(live_dir.join("hub.key"), new_dir.join("hub.key")).unwrap();
    let mut settings = support::test_settings(&new_dir, String::new());
    settings.admin_token = "restored".into();
    let restored = reference_hub::app::start(settings).await.unwrap();
    assert_eq!(
        restored.state.hub.pid(),
        hub.hub_pid,
        "same hub.key, same hub"
    );
    let s = stats(restored.url(), "restored".into()).await;
    assert!((5..=15).contains(&s.payments_committed), "{s:?}");
    let head_now = restored.state.query(|e| e.head_hash()).await.unwrap();
    assert_eq!(head_now, backed_up_head);
    restored.shutdown().await.unwrap();
}

#[test]
fn postgres_gets_pg_dump_guidance() {
    let dir = tempfile::tempdir().unwrap();
    let o = hub_cmd(
        dir.path(),
        &[
            "--database-url",
            "postgres://nobody@127.0.0.1:1/geo",
            "backup",
            "x.db",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o).1;
    assert!(
        err.contains("pg_dump") && err.contains("pg_restore"),
        "{err}"
    );
    assert!(!dir.path().join("x.db").exists());
}
