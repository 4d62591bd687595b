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
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
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
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
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
        .json(&["pay", pc, "UAH", "25.50", "--description", "books"])
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
    let watched = c.run(&["--json", "watch", "--count", "2"], "pw", &[]).await;
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

    // Refusals show the stable code and the hub's detail, as JSON and as text.
    let r = a.run(&["--json", "pay", pc, "UAH", "500"], "pw", &[]).await;
    assert!(!r.ok);
    let e = r.json();
    assert_eq!(e["error"]["code"], "E_INSUFFICIENT_CAPACITY");
    assert_eq!(e["error"]["status"], 422);
    assert!(
        !r.stderr.contains("paying"),
        "no progress lines with --json: {}",
        r.stderr
    );
    let r = a.run(&["pay", pc, "UAH", "500"], "pw", &[]).await;
    assert!(!r.ok);
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
    assert!(!r.ok);
    assert_eq!(r.json()["error"]["code"], "E_WRONG_PASSWORD");
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
    assert_eq!(r.json()["error"]["code"], "E_KEY_FILE_TAMPERED");

    let b = Geo::new("http://127.0.0.1:9", dir.path(), "b");
    b.json(&["init"]).await;
    let r = b.run(&["--json", "whoami"], "pw", &[]).await;
    assert!(!r.ok);
    assert_eq!(r.json()["error"]["code"], "E_TRANSPORT");
    assert_eq!(r.json()["error"]["retryable"], true);
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
}
