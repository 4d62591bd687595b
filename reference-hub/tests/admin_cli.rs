//! `geo-hub admin …`: the real binary against a live hub. An operator's day (equivalents,
//! participants by name, lines and payments with names beside PIDs, totals, clearing, integrity),
//! `--json` output, errors on standard error with one exit code per class, and — against a hub run
//! by the binary itself — the token read from the data folder, its rotation, and refusals in the
//! hub's log.

mod support;

use std::io::Read;
use std::process::{Command, Output};

use geo_api as api;
use serde_json::Value;
use support::served::ServedHub;
use support::TestHub;

const BIN: &str = env!("CARGO_BIN_EXE_geo-hub");

/// Runs `geo-hub admin ARGS` against `url` with `token` (none: only what the environment gives).
fn admin(url: &str, token: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.env_remove("GEO_ADMIN_TOKEN")
        .env_remove("GEO_HUB_URL")
        .env_remove("GEO_DATA_DIR")
        .env("NO_COLOR", "1")
        .args(["admin", "--hub", url]);
    if let Some(t) = token {
        // `=`: a base64url token may begin with `-`.
        c.arg(format!("--token={t}"));
    }
    c.args(args).output().expect("geo-hub runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn ok(o: Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    stdout(&o)
}

both_backends!(an_operators_day, |backend| async move {
    let hub = TestHub::start_with(backend, |s| {
        s.clearing_cycle_len = 0;
        s.clearing_interval_seconds = 0;
    })
    .await;
    let (url, token) = (hub.url.clone(), hub.admin.clone());
    let run = move |args: &'static [&'static str]| {
        let (url, token) = (url.clone(), token.clone());
        async move {
            tokio::task::spawn_blocking(move || admin(&url, Some(&token), args))
                .await
                .unwrap()
        }
    };

    // Equivalents: create, list, deactivate.
    let out = ok(run(&[
        "equivalents",
        "create",
        "EUR",
        "--precision",
        "2",
        "--description",
        "Euro",
    ])
    .await);
    assert!(out.contains("EUR") && out.contains("active"), "{out}");
    let out = ok(run(&["--json", "equivalents", "deactivate", "EUR"]).await);
    let eqs: Vec<api::Equivalent> = serde_json::from_str(&out).unwrap();
    assert_eq!((eqs[0].code.as_str(), eqs[0].active), ("EUR", false));
    let out = ok(run(&["--json", "equivalents", "list"]).await);
    let eqs: Vec<api::Equivalent> = serde_json::from_str(&out).unwrap();
    assert_eq!(
        eqs.iter()
            .map(|e| (e.code.to_string(), e.active))
            .collect::<Vec<_>>(),
        vec![("EUR".to_owned(), false), ("UAH".to_owned(), true)]
    );

    // A small community: a cycle of debts Alice → Bob → Carol → Alice.
    let (a, b, c) = (
        hub.participant("Alice").await,
        hub.participant("Bob").await,
        hub.participant("Carol").await,
    );
    b.trust(&a, "100").await;
    c.trust(&b, "100").await;
    a.trust(&c, "100").await;
    assert_eq!(a.pay(&b, "10").await.0, 200);
    assert_eq!(b.pay(&c, "10.50").await.0, 200);
    assert_eq!(c.pay(&a, "4").await.0, 200);

    let out = ok(run(&["participants", "list", "--search", "bo"]).await);
    assert!(
        out.contains("Bob") && out.contains(b.pid().as_str()),
        "{out}"
    );
    assert!(!out.contains("Alice"), "{out}");
    let out = ok(run(&["participants", "show", "alice"]).await);
    assert!(
        out.contains(a.pid().as_str()) && out.contains("active"),
        "{out}"
    );

    // Lines and payments name both sides, amounts as decimals.
    let out = ok(run(&["participants", "lines", "Alice"]).await);
    assert!(out.contains(&format!("Bob ({})", b.pid())), "{out}");
    assert!(out.contains(&format!("Alice ({})", a.pid())), "{out}");
    assert!(out.contains("100.00") && out.contains("10.00"), "{out}");
    let out = ok(run(&["participants", "payments", "Bob"]).await);
    assert!(
        out.contains("10.50 UAH") && out.contains("10.00 UAH"),
        "{out}"
    );
    assert!(out.contains(&format!("Carol ({})", c.pid())), "{out}");
    let out = ok(run(&["--json", "participants", "payments", "Carol"]).await);
    let payments: Vec<api::Payment> = serde_json::from_str(&out).unwrap();
    assert_eq!(payments.len(), 2);

    // Suspend and reactivate by name.
    let out = ok(run(&["participants", "suspend", "Carol", "--reason", "lost phone"]).await);
    assert!(out.contains("suspended"), "{out}");
    assert_eq!(c.get("/participants/me").await.1["status"], "suspended");
    ok(run(&["participants", "reactivate", "Carol"]).await);
    assert_eq!(c.get("/participants/me").await.1["status"], "active");

    // Totals, then a clearing, then its history with names.
    let out = ok(run(&["totals"]).await);
    assert!(out.contains("3 active") && out.contains("24.50"), "{out}");
    let out = ok(run(&["clearing", "run", "UAH"]).await);
    assert!(out.contains("cleared 12.00 UAH over 3 debts"), "{out}");
    let out = ok(run(&["--json", "totals"]).await);
    let stats: api::HubStats = serde_json::from_str(&out).unwrap();
    let uah = stats
        .equivalents
        .iter()
        .find(|e| e.equivalent.as_str() == "UAH")
        .unwrap();
    assert_eq!(
        (uah.debt_outstanding.as_str(), uah.cleared_to_date.as_str()),
        ("12.50", "12.00")
    );
    let out = ok(run(&["clearing", "history"]).await);
    assert!(
        out.contains(&format!(
            "Alice ({}) owed Bob ({}) 4.00 less",
            a.pid(),
            b.pid()
        )),
        "{out}"
    );
    let out = ok(run(&["--json", "clearing", "history", "--equivalent", "EUR"]).await);
    assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap().len(), 0);

    let out = ok(run(&["integrity"]).await);
    assert!(out.starts_with("ok: "), "{out}");

    // The token is set in this hub's configuration: rotation is refused (exit 3) and says why.
    let o = run(&["token", "rotate"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("E_CONFLICT"), "{}", stderr(&o));
});

#[test]
fn errors_have_a_class_each() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let hub = rt.block_on(TestHub::start(support::Backend::Sqlite));
    // Wrong token: authentication (5), with the hub's code; JSON on stderr with --json, stdout empty.
    let o = admin(&hub.url, Some("not-the-token"), &["--json", "totals"]);
    assert_eq!(o.status.code(), Some(5));
    assert!(o.stdout.is_empty());
    let err: Value = serde_json::from_slice(&o.stderr).expect("JSON on stderr");
    assert_eq!(err["error"]["code"], "E_UNAUTHORIZED");
    assert_eq!(err["error"]["status"], 401);
    assert!(err["error"]["detail"]
        .as_str()
        .unwrap()
        .contains("wrong operator token"));
    // No token anywhere (an empty data folder): authentication, before any request.
    let empty = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .env_remove("GEO_ADMIN_TOKEN")
        .args(["--data-dir", empty.path().to_str().unwrap()])
        .args(["admin", "--hub", &hub.url, "totals"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("no operator token"), "{}", stderr(&o));
    // Refused by the hub: 3.
    let o = admin(
        &hub.url,
        Some(&hub.admin),
        &["participants", "show", "Nobody"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("E_NOT_FOUND"), "{}", stderr(&o));
    let o = admin(
        &hub.url,
        Some(&hub.admin),
        &["equivalents", "create", "X", "--precision", "9"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // Unreachable: 4 (a port nothing listens on: the hub's own, after it stopped).
    let url = hub.url.clone();
    rt.block_on(async move {
        let mut hub = hub;
        hub.hub.take().unwrap().shutdown().await.unwrap();
    });
    let o = admin(&url, Some("t"), &["totals"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot reach the hub"),
        "{}",
        stderr(&o)
    );
    // Usage: 2; help has examples.
    let o = admin(&url, Some("t"), &["equivalents", "create", "EUR"]);
    assert_eq!(o.status.code(), Some(2));
    let o = admin(&url, None, &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    assert!(
        help.contains("Examples:") && help.contains("Exit codes"),
        "{help}"
    );
}

#[test]
fn token_from_the_data_folder_rotates_and_refusals_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let hub = ServedHub::start(dir.path(), &[]);
    let data = dir.path().to_str().unwrap();
    let with_dir = |args: &[&str]| {
        Command::new(BIN)
            .env_remove("GEO_ADMIN_TOKEN")
            .env_remove("GEO_HUB_URL")
            .args(["--data-dir", data, "admin", "--hub", &hub.url])
            .args(args)
            .output()
            .unwrap()
    };
    // The CLI reads <data-dir>/admin.token by itself.
    let out = ok(with_dir(&["--json", "totals"]));
    let stats: api::HubStats = serde_json::from_str(&out).unwrap();
    assert_eq!(stats.journal_length, 0);
    let old = std::fs::read_to_string(dir.path().join("admin.token")).unwrap();
    // Rotation: the new token is printed and written to the file; the old one stops working.
    let out = ok(with_dir(&["--json", "token", "rotate"]));
    let new: api::operator::AdminToken = serde_json::from_str(&out).unwrap();
    assert_ne!(new.admin_token, old.trim());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("admin.token"))
            .unwrap()
            .trim(),
        new.admin_token
    );
    let o = admin(&hub.url, Some(old.trim()), &["totals"]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    ok(admin(&hub.url, Some(&new.admin_token), &["totals"]));
    ok(with_dir(&["totals"]));
    // No token at all: 401 from the hub.
    let addr = hub.url.trim_start_matches("http://").to_owned();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    std::io::Write::write_all(
        &mut conn,
        format!("GET /api/v1/admin/stats HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("E_UNAUTHORIZED"), "{answer}");
    let log = hub.stop();
    let refusals: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("operator access refused"))
        .collect();
    assert!(
        refusals
            .iter()
            .any(|l| l.contains("E_UNAUTHORIZED") && l.contains("/admin/stats")),
        "{log}"
    );
    assert!(
        refusals.iter().any(|l| l.contains("E_UNAUTHORIZED")),
        "{log}"
    );
    assert!(
        !log.contains(old.trim()) && !log.contains(&new.admin_token),
        "tokens never reach the log"
    );
    assert!(log.contains("operator token rotated"), "{log}");
}
