//! Every setting works as a flag, an environment variable and a TOML field (one table row each;
//! a setting missing from the table fails), with flag over environment over file over default.

use clap::Parser;
use reference_hub::config::{Cli, Settings, SETTINGS};
use serde_json::{json, Value};

/// `(setting, text for the flag and the variable, expected value)`; each differs from the default.
fn table() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("listen", "127.0.0.1:9999", json!("127.0.0.1:9999")),
        ("data_dir", "/tmp/geo-layers", json!("/tmp/geo-layers")),
        (
            "database_url",
            "postgres://u@h/geo",
            json!("postgres://u@h/geo"),
        ),
        (
            "hub_key_file",
            "/etc/geo/hub.key",
            json!("/etc/geo/hub.key"),
        ),
        ("admin_token", "tok-1", json!("tok-1")),
        ("max_hops", "4", json!(4)),
        ("max_paths", "3", json!(3)),
        ("max_hold_seconds", "120", json!(120)),
        ("max_validity_seconds", "900", json!(900)),
        ("max_clock_skew_seconds", "30", json!(30)),
        ("challenge_ttl_seconds", "100", json!(100)),
        ("access_token_ttl_seconds", "60", json!(60)),
        ("refresh_token_ttl_seconds", "3600", json!(3600)),
        ("rate_limit_per_second", "7", json!(7)),
        ("rate_limit_burst", "9", json!(9)),
        ("max_body_bytes", "2048", json!(2048)),
        ("max_batch_payments", "16", json!(16)),
        ("request_timeout_ms", "1500", json!(1500)),
        ("header_read_timeout_ms", "2500", json!(2500)),
        ("standby", "true", json!(true)),
        ("standby_follow", "false", json!(false)),
        ("writer_lease_seconds", "30", json!(30)),
        ("max_client_connections", "77", json!(77)),
        (
            "cors_origins",
            "https://a.example,https://b.example",
            json!(["https://a.example", "https://b.example"]),
        ),
        ("max_batch", "64", json!(64)),
        ("max_connections", "3", json!(3)),
        ("projection_flush_ms", "50", json!(50)),
        ("checkpoint_every_entries", "2500", json!(2500)),
        ("log_format", "json", json!("json")),
        ("clearing_cycle_len", "4", json!(4)),
        ("clearing_interval_seconds", "5", json!(5)),
        ("clearing_proposal_ttl_seconds", "300", json!(300)),
        (
            "federation_links",
            "geo:participant?hub=https://b.example&pid=5yZhDFyiRsdE1JiGRLQA8JStKF3wf4qtZWSxD4MtKhR6",
            json!(["geo:participant?hub=https://b.example&pid=5yZhDFyiRsdE1JiGRLQA8JStKF3wf4qtZWSxD4MtKhR6"]),
        ),
        ("federation_margin_seconds", "5", json!(5)),
    ]
}

fn resolve(args: &[&str]) -> Value {
    let mut argv = vec!["geo-hub"];
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(argv).expect("parses");
    serde_json::to_value(Settings::resolve(&cli.overrides).expect("valid")).unwrap()
}

fn clear_environment() {
    for (_, env) in SETTINGS {
        std::env::remove_var(env);
    }
    std::env::remove_var("GEO_CONFIG");
}

#[test]
fn every_setting_as_flag_environment_and_toml() {
    clear_environment();
    let defaults = serde_json::to_value(Settings::default()).unwrap();
    let rows = table();
    let names: Vec<&str> = rows.iter().map(|r| r.0).collect();
    let declared: Vec<&str> = SETTINGS.iter().map(|s| s.0).collect();
    assert_eq!(names, declared, "one row per declared setting, in order");
    assert_eq!(
        defaults.as_object().unwrap().keys().count(),
        declared.len(),
        "every field of Settings is declared"
    );
    let dir = tempfile::tempdir().unwrap();
    for ((name, text, want), (_, env)) in rows.into_iter().zip(SETTINGS) {
        assert_ne!(
            defaults[name], want,
            "{name}: pick a value other than the default"
        );
        let flag = format!("--{}", name.replace('_', "-"));
        assert_eq!(resolve(&[&flag, text])[name], want, "{name} as {flag}");

        std::env::set_var(env, text);
        assert_eq!(resolve(&[])[name], want, "{name} as {env}");
        std::env::remove_var(env);

        let mut doc = toml::Table::new();
        doc.insert(name.to_owned(), toml::Value::try_from(&want).unwrap());
        let file = dir.path().join(format!("{name}.toml"));
        std::fs::write(&file, toml::to_string(&doc).unwrap()).unwrap();
        assert_eq!(
            resolve(&["--config", file.to_str().unwrap()])[name],
            want,
            "{name} in TOML"
        );
        assert_eq!(
            resolve(&[])[name],
            defaults[name],
            "{name} back to its default"
        );
    }
}

#[test]
fn flag_beats_environment_beats_file() {
    clear_environment();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.toml");
    std::fs::write(
        &file,
        "max_hops = 3\nmax_paths = 5\nmax_hold_seconds = 30\n",
    )
    .unwrap();
    let cfg = file.to_str().unwrap();
    std::env::set_var("GEO_MAX_HOPS", "4");
    std::env::set_var("GEO_MAX_PATHS", "7");
    let s = resolve(&["--config", cfg, "--max-hops", "5"]);
    assert_eq!(
        (&s["max_hops"], &s["max_paths"], &s["max_hold_seconds"]),
        (&json!(5), &json!(7), &json!(30))
    );
    // GEO_MAX_VALIDITY_SECONDS is read (it was once silently ignored), and checked.
    std::env::set_var("GEO_MAX_VALIDITY_SECONDS", "0");
    let cli = Cli::try_parse_from(["geo-hub"]).unwrap();
    assert!(Settings::resolve(&cli.overrides).is_err());
    clear_environment();
}
