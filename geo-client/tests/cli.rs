//! The `geo` command-line tool end to end against a real hub started in this process.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{Backend, TestHub};

struct Geo {
    hub: String,
    key_file: PathBuf,
}

struct Run {
    ok: bool,
    /// The exit status.
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    /// The `--json` error object, which goes to stderr.
    fn error(&self) -> Value {
        assert!(!self.ok, "expected a failure: {}", self.stdout);
        assert!(self.stdout.is_empty(), "nothing on stdout: {}", self.stdout);
        let v: Value = serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not one JSON object ({e}): {}", self.stderr));
        v["error"].clone()
    }
}

impl Geo {
    fn new(hub: &str, dir: &Path, name: &str) -> Geo {
        Geo {
            hub: hub.to_owned(),
            key_file: dir.join(format!("{name}.json")),
        }
    }

    async fn run(&self, args: &[&str], password: &str, extra_env: &[(&str, &str)]) -> Run {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_geo"));
        cmd.args(args)
            .env("GEO_HUB", &self.hub)
            .env("GEO_KEY_FILE", &self.key_file)
            .env("GEO_PASSWORD", password)
            .env_remove("GEO_MNEMONIC");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let out = tokio::task::spawn_blocking(move || cmd.output().expect("geo runs"))
            .await
            .unwrap();
        Run {
            ok: out.status.success(),
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Starts a long-running command (`watch`) whose output lines are read as they come.
    fn watch(&self, args: &[&str]) -> Watch {
        use std::io::BufRead as _;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_geo"))
            .args(args)
            .env("GEO_HUB", &self.hub)
            .env("GEO_KEY_FILE", &self.key_file)
            .env("GEO_PASSWORD", "pw")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("geo starts");
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = child.stderr.take().unwrap();
        let (etx, erx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if etx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch {
            child,
            lines: rx,
            errors: erx,
        }
    }

    /// Runs with `--json` and the right password; asserts success.
    async fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let r = self.run(&all, "pw", &[]).await;
        assert!(r.ok, "geo {args:?} failed: {}{}", r.stdout, r.stderr);
        r.json()
    }
}

/// A running `geo watch`.
struct Watch {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    errors: std::sync::mpsc::Receiver<String>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watch {
    /// The lines printed until one satisfies `done` (that one included); panics after 30 s.
    async fn until(&mut self, done: impl Fn(&str) -> bool) -> Vec<String> {
        Self::read_until(&self.lines, &self.errors, done).await
    }

    /// The same on stderr (progress lines).
    async fn until_stderr(&mut self, done: impl Fn(&str) -> bool) -> Vec<String> {
        Self::read_until(&self.errors, &self.lines, done).await
    }

    async fn read_until(
        lines: &std::sync::mpsc::Receiver<String>,
        other: &std::sync::mpsc::Receiver<String>,
        done: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        let mut seen = Vec::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            match lines.try_recv() {
                Ok(line) => {
                    let stop = done(&line);
                    seen.push(line);
                    if stop {
                        return seen;
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    let rest: Vec<String> = other.try_iter().collect();
                    panic!("geo watch ended; printed {seen:?}; the other stream {rest:?}")
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    if std::time::Instant::now() > deadline {
                        let rest: Vec<String> = other.try_iter().collect();
                        panic!(
                            "no matching line in 30 s; printed {seen:?}; the other stream {rest:?}"
                        );
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            }
        }
    }

    /// Waits until the hub has greeted the stream (`geo watch` says from which event it shows).
    async fn connected(&mut self) -> String {
        self.until_stderr(|l| l.starts_with("watching events after #"))
            .await
            .pop()
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn init_register_trust_pay_and_read_back() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        Geo::new(&hub.url, dir.path(), "a"),
        Geo::new(&hub.url, dir.path(), "b"),
        Geo::new(&hub.url, dir.path(), "c"),
    );
    let mut pids = Vec::new();
    let mut a_words = String::new();
    for (g, name) in [(&a, "A"), (&b, "B"), (&c, "C")] {
        let init = g.json(&["init"]).await;
        let pid = init["pid"].as_str().unwrap().to_owned();
        assert_eq!(init["mnemonic"].as_str().unwrap().split(' ').count(), 24);
        if name == "A" {
            a_words = init["mnemonic"].as_str().unwrap().to_owned();
        }
        let reg = g.json(&["register", "--name", name]).await;
        assert_eq!(reg["pid"], pid.as_str());
        pids.push(pid);
    }
    let (pa, pb, pc) = (&pids[0], &pids[1], &pids[2]);
    // Human output by default.
    let r = b.run(&["trust", "set", pa, "UAH", "100"], "pw", &[]).await;
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("may owe you up to 100.00 UAH"),
        "{}",
        r.stdout
    );
    c.json(&["trust", "set", pb, "UAH", "100"]).await;

    let paid = a
        .json(&["pay", pc, "UAH", "25.50", "--description", "books", "--yes"])
        .await;
    assert_eq!(paid["status"], "committed");
    assert_eq!(paid["amount"], "25.50");
    assert_eq!(paid["routes"][0]["path"].as_array().unwrap().len(), 3);
    let tx = paid["tx_id"].as_str().unwrap().to_owned();

    let status = c.json(&["status", &tx]).await;
    assert_eq!(status["status"], "committed");
    assert_eq!(status["description"], "books");
    let balance = c.json(&["balance"]).await;
    assert_eq!(balance[0]["net"], "25.50");
    let debts = b.json(&["balance", "--equivalent", "UAH"]).await;
    assert_eq!(debts.as_array().unwrap().len(), 2);
    let history = a.json(&["history"]).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["tx_id"], tx.as_str());
    let lines = b.json(&["trust", "list", "--direction", "outgoing"]).await;
    assert_eq!(lines.as_array().unwrap().len(), 1);
    let watched = c
        .run(
            &["--json", "watch", "--from-start", "--count", "2"],
            "pw",
            &[],
        )
        .await;
    let kinds: Vec<String> = watched
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds, ["trust_line_changed", "payment_received"]);
    assert!(a
        .json(&["clearing", "proposals"])
        .await
        .as_array()
        .unwrap()
        .is_empty());
    assert!(a
        .json(&["clearing", "history"])
        .await
        .as_array()
        .unwrap()
        .is_empty());

    // Refusals show the stable code and the hub's detail, as JSON and as text, on stderr; with
    // what the refusal carries: the most that can be paid now, the aborted payment and the hub's
    // signed receipt of it.
    let r = a
        .run(&["--json", "pay", pc, "UAH", "500", "--yes"], "pw", &[])
        .await;
    let e = r.error();
    assert_eq!(e["code"], "E_INSUFFICIENT_CAPACITY");
    assert_eq!(e["status"], 422);
    assert_eq!(r.status, 3, "refused by the hub");
    assert_eq!(e["max_amount"], "74.50", "100 - 25.50 can still reach C");
    assert_eq!(e["payment"]["status"], "aborted");
    assert_eq!(e["payment"]["amount"], "500.00");
    assert!(
        e["payment"]["receipt"]["signature"].is_string(),
        "the receipt is a JSON object: {e}"
    );
    let r = a.run(&["pay", pc, "UAH", "500", "--yes"], "pw", &[]).await;
    assert!(!r.ok);
    assert_eq!(r.status, 3);
    assert!(r.stderr.contains("at most 74.50 UAH"), "{}", r.stderr);
    assert!(
        r.stderr.contains("aborted: nothing changed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("signed receipt (verified): {"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("connecting to") && r.stderr.contains("paying 500 UAH to"),
        "people see progress: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("error E_INSUFFICIENT_CAPACITY:"),
        "{}",
        r.stderr
    );
    let r = b.run(&["trust", "close", pa, "UAH"], "pw", &[]).await;
    assert!(r.stderr.contains("E_DEBT_OUTSTANDING"), "{}", r.stderr);

    // A wrong password is a typed error; nothing reaches the hub.
    let r = a.run(&["--json", "balance"], "not the password", &[]).await;
    assert_eq!(r.error()["code"], "E_WRONG_PASSWORD");
    assert_eq!(r.status, 5, "authentication");
    // init refuses to overwrite; --restore rebuilds the same identity from the 24 words.
    assert!(!a.run(&["init"], "pw", &[]).await.ok);
    let restored = Geo::new(&hub.url, dir.path(), "a-restored");
    let r = restored
        .run(
            &["--json", "init", "--restore"],
            "pw2",
            &[("GEO_MNEMONIC", &a_words)],
        )
        .await;
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(r.json()["pid"], pa.as_str());
    let who = restored.run(&["--json", "whoami"], "pw2", &[]).await;
    assert_eq!(who.json()["display_name"], "A");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_key_file_and_an_unreachable_hub_are_reported() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let a = Geo::new(&hub.url, dir.path(), "a");
    a.json(&["init"]).await;
    let mut file: Value =
        serde_json::from_str(&std::fs::read_to_string(&a.key_file).unwrap()).unwrap();
    file["ciphertext"] = Value::String("AAAA".into());
    std::fs::write(&a.key_file, file.to_string()).unwrap();
    let r = a.run(&["--json", "whoami"], "pw", &[]).await;
    assert_eq!(r.error()["code"], "E_KEY_FILE_TAMPERED");

    let b = Geo::new("http://127.0.0.1:9", dir.path(), "b");
    b.json(&["init"]).await;
    let r = b.run(&["--json", "whoami"], "pw", &[]).await;
    assert_eq!(r.error()["code"], "E_TRANSPORT");
    assert_eq!(r.error()["retryable"], true);
    assert_eq!(r.status, 4, "network");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn consent_from_the_command_line() {
    use geo_client::{
        keyfile, HubClient, Identity, ParticipantKind, PaymentOrder, TrustLinePolicy,
    };
    let hub = TestHub::start_with(Backend::Sqlite, |s| s.clearing_cycle_len = 0).await;
    let dir = tempfile::tempdir().unwrap();
    // A's key is in a key file the CLI uses; the SDK sets the scene with the same key.
    let geo_a = Geo::new(&hub.url, dir.path(), "a");
    let id = Identity::generate();
    keyfile::save(&geo_a.key_file, &id, "pw").unwrap();
    let a = HubClient::connect(&hub.url, id).await.unwrap();
    a.register("A", ParticipantKind::Person, None)
        .await
        .unwrap();
    let (b, c) = (hub.participant("B").await, hub.participant("C").await);
    b.set_trust_line(&a.pid(), "UAH", "100", None)
        .await
        .unwrap();
    c.set_trust_line(&b.pid(), "UAH", "100", None)
        .await
        .unwrap();
    let manual = TrustLinePolicy {
        auto_clearing: false,
        ..Default::default()
    };
    a.set_trust_line(&c.pid(), "UAH", "100", Some(manual))
        .await
        .unwrap();
    a.pay(PaymentOrder::new(b.pid(), "UAH", "5")).await.unwrap();
    b.pay(PaymentOrder::new(c.pid(), "UAH", "5")).await.unwrap();
    c.pay(PaymentOrder::new(a.pid(), "UAH", "5")).await.unwrap();
    let run = hub.admin.run_clearing("UAH").await.unwrap();
    let id = run.proposal.expect("a proposal for A");

    let open = geo_a.json(&["clearing", "proposals"]).await;
    assert_eq!(open[0]["clearing_id"], id.as_str());
    // People see what they consent to: each debt and the amount set off, with names.
    let r = geo_a.run(&["clearing", "proposals"], "pw", &[]).await;
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(
        r.stdout.matches("5.00 UAH set off").count(),
        3,
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("B ("), "{}", r.stdout);
    assert!(r.stdout.contains("your consent is needed"), "{}", r.stdout);
    let r = geo_a
        .run(&["clearing", "consent", &id, "maybe"], "pw", &[])
        .await;
    assert!(r.stderr.contains("E_VALIDATION"), "{}", r.stderr);
    let done = geo_a.json(&["clearing", "consent", &id, "accept"]).await;
    assert_eq!(done["clearing_id"], id.as_str());
    let history = geo_a.json(&["clearing", "history"]).await;
    assert_eq!(history[0]["clearing_id"], id.as_str());
    assert_eq!(history[0]["edges"].as_array().unwrap().len(), 3);
    assert!(history[0]["receipt"]["signature"].is_string());

    // Every event is one JSON object of the API's Event shape; a receipt is an object in it.
    let mut watch = geo_a.watch(&["--json", "watch", "--from-start"]);
    let committed = watch.until(|l| l.contains("clearing_committed")).await;
    for line in &committed {
        let e: Value = serde_json::from_str(line).unwrap();
        let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["data", "id", "journal_seq", "kind"], "{line}");
        assert!(e["data"].is_object(), "{line}");
    }
    let last: Value = serde_json::from_str(committed.last().unwrap()).unwrap();
    assert_eq!(last["data"]["clearing_id"], id.as_str());
    assert!(
        last["data"]["receipt"]["signature"].is_string(),
        "the receipt is a JSON object, not a string: {last}"
    );
}

/// Three participants through the CLI, A → B → C lines (B trusts A, C trusts B), named A, B, C.
async fn chain_of_three(hub: &TestHub, dir: &Path) -> (Geo, Geo, Geo, Vec<String>) {
    let (a, b, c) = (
        Geo::new(&hub.url, dir, "a"),
        Geo::new(&hub.url, dir, "b"),
        Geo::new(&hub.url, dir, "c"),
    );
    let mut pids = Vec::new();
    for (g, name) in [(&a, "A"), (&b, "B"), (&c, "C")] {
        pids.push(g.json(&["init"]).await["pid"].as_str().unwrap().to_owned());
        g.json(&["register", "--name", name]).await;
    }
    b.json(&["trust", "set", "A", "UAH", "100"]).await;
    c.json(&["trust", "set", "B", "UAH", "100"]).await;
    (a, b, c, pids)
}

/// The README's command-line story, exactly as written there (its `sh` block), against a fresh
/// hub: `geo` is the binary under test on PATH, the password comes from GEO_PASSWORD.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_readme_story_runs_as_written() {
    let readme = include_str!("../../README.md");
    let start = "```sh\n# geo: a first payment from the command line\n";
    let from = readme.find(start).expect("the README has the CLI story") + "```sh\n".len();
    let len = readme[from..].find("```").expect("the block ends");
    let story = &readme[from..from + len];
    assert!(story.lines().filter(|l| l.starts_with("geo ")).count() >= 10);

    let hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_geo"), bin.join("geo")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("bash");
    cmd.args(["-euo", "pipefail", "-c", story])
        .current_dir(dir.path())
        .env("PATH", path)
        .env("HOME", dir.path())
        .env("GEO_HUB", &hub.url)
        .env("GEO_PASSWORD", "a long passphrase")
        .env_remove("GEO_KEY_FILE")
        .env_remove("GEO_MNEMONIC")
        .stdin(std::process::Stdio::null());
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    for expected in [
        "registered Carol as",
        "Alice (",
        "may owe you up to 100.00 UAH",
        "paid 10.50 UAH to Carol (",
        "UAH: net -10.50",
        "relayed 10.50 UAH from Alice (",
        "received 10.50 UAH from Alice (",
        "refused: exit status 3",
    ] {
        assert!(
            stdout.contains(expected),
            "{expected:?} in:\n{stdout}\nstderr:\n{stderr}"
        );
    }
    assert!(
        stdout.contains(" 1. ") && stdout.contains("24. "),
        "numbered words: {stdout}"
    );
    assert!(stderr.contains("error E_INSUFFICIENT_CAPACITY"), "{stderr}");
    assert!(stderr.contains("at most 89.50 UAH"), "{stderr}");
    assert!(stderr.contains("signed receipt (verified)"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn people_are_found_by_name_and_contacts_and_shown_by_name() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b, _c, pids) = chain_of_three(&hub, dir.path()).await;
    // By display name, any case.
    let paid = a.json(&["pay", "c", "UAH", "5", "--yes"]).await;
    assert_eq!(paid["payee"], pids[2].as_str());
    // Two participants called "Dup": refused, listing both.
    for _ in 0..2 {
        hub.participant("Dup").await;
    }
    let r = a
        .run(&["--json", "pay", "Dup", "UAH", "1", "--yes"], "pw", &[])
        .await;
    let e = r.error();
    assert_eq!(e["code"], "E_AMBIGUOUS_NAME");
    assert_eq!(e["candidates"].as_array().unwrap().len(), 2, "{e}");
    assert_eq!(r.status, 2, "usage");
    let r = a
        .run(&["pay", "Nobody", "UAH", "1", "--yes"], "pw", &[])
        .await;
    assert!(r.stderr.contains("E_UNKNOWN_NAME"), "{}", r.stderr);
    // A contact is a local name for a PID.
    let added = a.json(&["contacts", "add", "carol", &pids[2]]).await;
    assert_eq!(added["display_name"], "C");
    let paid = a.json(&["pay", "carol", "UAH", "1", "--yes"]).await;
    assert_eq!(paid["payee"], pids[2].as_str());
    let listed = a.json(&["contacts", "list"]).await;
    assert_eq!(listed[0]["name"], "carol");
    // Names beside PIDs: pay, trust list, history.
    let r = a
        .run(&["pay", "carol", "UAH", "1", "--yes"], "pw", &[])
        .await;
    assert!(
        r.stdout
            .contains(&format!("paid 1.00 UAH to carol ({})", pids[2])),
        "{}",
        r.stdout
    );
    let r = b.run(&["trust", "list"], "pw", &[]).await;
    assert!(
        r.stdout
            .contains(&format!("you let A ({}) owe up to 100.00 UAH", pids[0])),
        "{}",
        r.stdout
    );
    // Contacts live in the data directory (shared by the key files in it): B sees A's "carol".
    assert!(
        r.stdout
            .contains(&format!("carol ({}) lets you owe", pids[2])),
        "{}",
        r.stdout
    );
    let r = a.run(&["history"], "pw", &[]).await;
    assert!(
        r.stdout
            .contains(&format!("sent 5.00 UAH to carol ({})", pids[2])),
        "{}",
        r.stdout
    );
    // Without a terminal, paying needs --yes; nothing is sent.
    let r = a
        .run(&["--json", "pay", "carol", "UAH", "1"], "pw", &[])
        .await;
    assert_eq!(r.error()["code"], "E_NO_TERMINAL");
    assert_eq!(r.status, 2);
    assert_eq!(a.json(&["history"]).await.as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_shows_what_is_new_in_one_line_per_event_and_resumes() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, _b, c, _pids) = chain_of_three(&hub, dir.path()).await;
    a.json(&["pay", "C", "UAH", "1", "--yes"]).await;
    // The first watch starts from now: the earlier line and payment are not shown.
    let mut w = c.watch(&["watch"]);
    w.connected().await;
    a.json(&["pay", "C", "UAH", "2", "--yes"]).await;
    let seen = w.until(|l| l.contains("received")).await;
    assert_eq!(seen.len(), 1, "only the new event: {seen:?}");
    assert!(
        seen[0].starts_with('#') && seen[0].contains("received 2.00 UAH from A ("),
        "{seen:?}"
    );
    assert!(
        !seen[0].contains("Pid(") && !seen[0].contains('{'),
        "no Debug dumps: {seen:?}"
    );
    drop(w);
    // What happened while nobody watched is shown next time, and only that.
    a.json(&["pay", "C", "UAH", "3", "--yes"]).await;
    let r = c.run(&["watch", "--count", "1"], "pw", &[]).await;
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("received 3.00 UAH from A ("),
        "{}",
        r.stdout
    );
    // --from-start replays everything, as JSON objects of one shape.
    let r = c
        .run(
            &["--json", "watch", "--from-start", "--count", "4"],
            "pw",
            &[],
        )
        .await;
    let kinds: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            "trust_line_changed",
            "payment_received",
            "payment_received",
            "payment_received"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_says_when_the_stream_drops_and_when_it_is_back() {
    let mut hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, _b, _c, _pids) = chain_of_three(&hub, dir.path()).await;
    // The hub's graceful shutdown waits for open WebSockets, so C watches through a proxy that
    // drops its connections and refuses new ones while the hub restarts.
    let proxy = support::Proxy::start(hub.addr()).await;
    let c = Geo::new(&proxy.url, dir.path(), "c");
    let mut w = c.watch(&["watch"]);
    w.connected().await;
    proxy.set_down(true);
    proxy.cut();
    let lost = w
        .until_stderr(|l| l.starts_with("connection to the hub lost; reconnecting in "))
        .await;
    assert!(lost.last().unwrap().contains("(attempt "), "{lost:?}");
    hub.restart().await;
    proxy.set_down(false);
    let back = w
        .until_stderr(|l| l.starts_with("reconnected; showing events"))
        .await;
    assert!(
        back.iter().all(|l| !l.starts_with("watching events")),
        "a reconnect is not a new watch: {back:?}"
    );
    // The watch carries on with what is new.
    a.json(&["pay", "C", "UAH", "2", "--yes"]).await;
    let seen = w.until(|l| l.contains("received")).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("received 2.00 UAH from A ("), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_intermediary_sees_what_it_relayed_and_a_payee_no_aborted_attempts() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c, pids) = chain_of_three(&hub, dir.path()).await;
    let paid = a.json(&["pay", "C", "UAH", "30", "--yes"]).await;
    let tx = paid["tx_id"].as_str().unwrap().to_owned();
    let refused = a
        .run(&["--json", "pay", "C", "UAH", "500", "--yes"], "pw", &[])
        .await;
    let aborted = refused.error()["payment"]["tx_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let relayed = b.json(&["history"]).await;
    assert_eq!(relayed.as_array().unwrap().len(), 1, "{relayed}");
    assert_eq!(relayed[0]["tx_id"], tx.as_str());
    let r = b.run(&["history"], "pw", &[]).await;
    assert!(
        r.stdout.contains(&format!(
            "relayed 30.00 UAH from A ({}) to C ({})",
            pids[0], pids[2]
        )),
        "{}",
        r.stdout
    );
    assert_eq!(
        b.json(&["history", "--direction", "relayed"]).await,
        relayed
    );
    assert!(b
        .json(&["history", "--direction", "sent"])
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let status = b.json(&["status", &tx]).await;
    assert_eq!(status["status"], "committed");
    // The aborted attempt never reached Bob's or Carol's debts: neither sees it.
    let r = b.run(&["--json", "status", &aborted], "pw", &[]).await;
    assert_eq!(r.error()["code"], "E_NOT_FOUND");
    let received = c.json(&["history"]).await;
    assert_eq!(received.as_array().unwrap().len(), 1, "{received}");
    assert_eq!(received[0]["tx_id"], tx.as_str());
    // The payer still sees both.
    assert_eq!(a.json(&["history"]).await.as_array().unwrap().len(), 2);
}

/// `geo init` on a real pseudo-terminal (python3's `pty`), answering the backup check as `mode`
/// says (see tests/terminal.py): the exit code, the word numbers asked, what the terminal showed.
fn init_on_a_terminal(key_file: &Path, mode: &str) -> (i64, Vec<u64>, String) {
    let out = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/terminal.py"))
        .args([mode, env!("CARGO_BIN_EXE_geo"), "init"])
        .env("GEO_HUB", "http://127.0.0.1:9")
        .env("GEO_KEY_FILE", key_file)
        .env("GEO_PASSWORD", "pw")
        .env_remove("GEO_MNEMONIC")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let asked = v["asked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    (
        v["code"].as_i64().unwrap(),
        asked,
        v["shown"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn the_backup_check_on_a_real_terminal_takes_three_words_back_and_refuses_a_wrong_one() {
    let dir = tempfile::tempdir().unwrap();
    // Right words (typed in capitals): three distinct positions asked, the key saved.
    let key = dir.path().join("right.json");
    let (code, asked, shown) = init_on_a_terminal(&key, "right");
    assert_eq!(code, 0, "{shown}");
    assert_eq!(asked.len(), 3, "{shown}");
    assert!(asked.windows(2).all(|w| w[0] < w[1]) && asked.iter().all(|&n| (1..=24).contains(&n)));
    assert!(shown.contains("Write down these 24 words"), "{shown}");
    assert!(shown.contains("24. "), "numbered: {shown}");
    assert!(key.exists(), "{shown}");
    // A slip is pointed out and may be corrected.
    let key = dir.path().join("miss.json");
    let (code, asked, shown) = init_on_a_terminal(&key, "miss");
    assert_eq!(code, 0, "{shown}");
    assert_eq!(asked.len(), 6, "each word asked again once: {asked:?}");
    assert!(
        shown.contains(&format!("that is not word {}", asked[0])),
        "{shown}"
    );
    assert!(key.exists());
    // A wrong word, three times: refused, and nothing is saved.
    let key = dir.path().join("wrong.json");
    let (code, asked, shown) = init_on_a_terminal(&key, "wrong");
    assert_ne!(code, 0, "{shown}");
    assert_eq!(asked.len(), 3, "three tries at the first word: {asked:?}");
    assert!(asked.iter().all(|&n| n == asked[0]));
    assert!(
        shown.contains("does not match: nothing was saved"),
        "{shown}"
    );
    assert!(!key.exists(), "no key file after a failed check");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backup_phrase_is_numbered_shown_again_and_restores_in_any_case() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let a = Geo::new(&hub.url, dir.path(), "a");
    let r = a.run(&["init"], "pw", &[]).await;
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains(" 1. ") && r.stdout.contains("24. "),
        "{}",
        r.stdout
    );
    let init = a.run(&["--json", "backup-phrase"], "pw", &[]).await.json();
    let words = init["mnemonic"].as_str().unwrap().to_owned();
    assert_eq!(words.split(' ').count(), 24);
    let shown = a.run(&["backup-phrase"], "pw", &[]).await;
    let first = words.split(' ').next().unwrap();
    assert!(
        shown.stdout.contains(&format!(" 1. {first}")),
        "{}",
        shown.stdout
    );
    assert_eq!(
        a.run(&["backup-phrase"], "wrong", &[]).await.status,
        5,
        "the password first"
    );
    // Typed back from paper: capitalised, extra spaces.
    let typed: Vec<String> = words
        .split(' ')
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect();
    let typed = format!("  {}  ", typed.join("   "));
    let restored = Geo::new(&hub.url, dir.path(), "restored");
    let r = restored
        .run(
            &["--json", "init", "--restore"],
            "pw",
            &[("GEO_MNEMONIC", &typed)],
        )
        .await;
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(r.json()["pid"], init["pid"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_are_reused_and_errors_are_clear() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b, _c, _pids) = chain_of_three(&hub, dir.path()).await;
    let store = &hub.hub.as_ref().unwrap().state.store;
    let before = store.count("refresh_tokens").await.unwrap();
    for _ in 0..5 {
        a.json(&["balance"]).await;
    }
    assert_eq!(
        store.count("refresh_tokens").await.unwrap(),
        before,
        "each command renews the stored session instead of logging in again"
    );
    // No terminal and no GEO_PASSWORD: a clear error, not "os error 6".
    let out = std::process::Command::new("setsid")
        .arg(env!("CARGO_BIN_EXE_geo"))
        .args(["--json", "balance"])
        .env("GEO_HUB", &hub.url)
        .env("GEO_KEY_FILE", &a.key_file)
        .env_remove("GEO_PASSWORD")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["code"], "E_NO_TERMINAL", "{e}");
    assert!(
        e["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("GEO_PASSWORD"),
        "{e}"
    );
    assert_eq!(out.status.code(), Some(2));
    // Codes are shown once; amounts as decimals.
    let r = a
        .run(&["register", "--name", "X", "--kind", "robot"], "pw", &[])
        .await;
    assert_eq!(r.stderr.matches("E_VALIDATION").count(), 1, "{}", r.stderr);
    assert_eq!(r.status, 2);
    a.json(&["pay", "C", "UAH", "26", "--yes"]).await;
    let r = b.run(&["trust", "set", "A", "UAH", "10"], "pw", &[]).await;
    assert!(r.stderr.contains("E_LIMIT_BELOW_DEBT"), "{}", r.stderr);
    assert!(r.stderr.contains("26.00 UAH"), "{}", r.stderr);
    assert!(!r.stderr.contains("minor units"), "{}", r.stderr);
    // A usage error is exit status 2, with examples in --help.
    assert_eq!(a.run(&["pay", "C"], "pw", &[]).await.status, 2);
    let help = a.run(&["--help"], "pw", &[]).await;
    assert!(help.stdout.contains("Examples:") && help.stdout.contains("Exit status"));
    // HTTPS is built in: a TLS handshake is attempted (and fails against this plain HTTP hub).
    let tls = Geo::new(&hub.url.replace("http://", "https://"), dir.path(), "a");
    let r = tls.run(&["--json", "whoami"], "pw", &[]).await;
    let e = r.error();
    assert_eq!(e["code"], "E_TRANSPORT", "{e}");
    assert!(
        !e["detail"].as_str().unwrap().contains("scheme"),
        "https is supported: {e}"
    );
}
