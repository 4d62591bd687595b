//! One writer per database: a second hub on a running hub's database is refused and changes nothing,
//! and `geo-hub check` reads beside the running hub without disturbing it (it used to apply and
//! delete the live hub's projection outbox, after which the live hub answered 500).

mod support;

use reference_hub::app;
use support::TestHub;

/// A hub whose projections wait (a long flush interval) so that its outbox holds rows.
async fn hub_with_pending_projections(backend: support::Backend) -> TestHub {
    TestHub::start_with(backend, |s| s.projection_flush_ms = 600_000).await
}

fn check(hub: &TestHub) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_geo-hub"));
    cmd.arg("check")
        .arg("--data-dir")
        .arg(&hub.settings.data_dir);
    if !hub.settings.database_url.is_empty() {
        cmd.arg("--database-url").arg(&hub.settings.database_url);
    }
    cmd.output().unwrap()
}

both_backends!(
    a_second_hub_is_refused_and_check_reads_beside_the_writer,
    |backend| async move {
        let hub = hub_with_pending_projections(backend).await;
        let (a, b) = (hub.participant("A").await, hub.participant("B").await);
        b.trust(&a, "100").await;
        let request = a.payment(&b, "7");
        let first = a.pay_request(request.clone()).await;
        assert_eq!(first.0, 200, "{}", first.1);

        // A second hub on the same database is refused at start, before it touches anything.
        let second = app::start(hub.settings.clone()).await;
        let err = second.err().expect("a second writer must be refused");
        assert!(
            err.to_string().contains("another hub is writing"),
            "unexpected refusal: {err}"
        );

        // `check` runs beside the live hub, read-only, and reports the journal head.
        let out = check(&hub);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "check failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("ok: "), "{stdout}");
        assert!(stdout.contains("head "), "{stdout}");

        // The live hub still answers reads that need its pending projections, and an idempotent
        // resend of the acknowledged payment gets the stored result (these answered 500 before).
        let again = a.pay_request(request).await;
        assert_eq!(again.0, 200, "{}", again.1);
        assert_eq!(again.1["tx_id"], first.1["tx_id"]);
        let (status, history) = a.get("/payments").await;
        assert_eq!(status, 200, "{history}");
        assert_eq!(history["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(a.position(&b).await.0, "7.00");
        assert_eq!(hub.integrity().await["status"], "ok");
    }
);

both_backends!(
    the_lock_is_released_by_a_clean_shutdown,
    |backend| async move {
        let mut hub = TestHub::start(backend).await;
        hub.restart().await;
        let (a, b) = (hub.participant("A").await, hub.participant("B").await);
        assert_eq!(b.trust(&a, "5").await.0, 200);
    }
);

#[tokio::test]
async fn check_refuses_a_missing_database_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_geo-hub"))
        .arg("check")
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no hub database"), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn a_database_written_by_a_newer_hub_is_refused_with_that_reason() {
    let mut hub = TestHub::start(support::Backend::Sqlite).await;
    let settings = hub.settings.clone();
    hub.hub.take().unwrap().shutdown().await.unwrap();
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&settings.effective_database_url())
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', true, x'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let err = app::start(settings.clone()).await.err().expect("refused");
    assert!(err.to_string().contains("newer geo-hub"), "{err}");
    let out = check(&hub);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("newer geo-hub"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
