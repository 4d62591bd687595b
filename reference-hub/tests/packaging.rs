//! Packaging stays true to the code: the Dockerfile and the systemd unit name binaries, packages
//! and settings that exist; the image is multi-stage, runs as a non-root user with a data volume;
//! the licence files match the workspace's `license`; both binaries answer `--version`.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_geo-hub");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `[[bin]]` names declared by a crate's manifest.
fn bins(manifest: &str) -> Vec<String> {
    let doc: toml::Table = read(manifest).parse().unwrap();
    doc.get("bin")
        .and_then(|b| b.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|b| b.get("name")?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn package_name(manifest: &str) -> String {
    let doc: toml::Table = read(manifest).parse().unwrap();
    doc["package"]["name"].as_str().unwrap().to_owned()
}

fn help() -> String {
    let o = Command::new(BIN).arg("--help").output().unwrap();
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn dockerfile_builds_real_binaries_and_runs_unprivileged() {
    let docker = read("Dockerfile");
    let from: Vec<&str> = docker.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert!(from.len() >= 2, "multi-stage: {from:?}");
    assert!(from[0].contains(" AS build"), "{from:?}");
    // Every `cargo build -p P --bin B` names a package and one of its binaries.
    let crates = [
        ("reference-hub/Cargo.toml", "geo-hub"),
        ("geo-client/Cargo.toml", "geo"),
    ];
    for (manifest, bin) in crates {
        let p = package_name(manifest);
        assert!(
            bins(manifest).contains(&bin.to_owned()),
            "{manifest} has no bin {bin}"
        );
        assert!(
            docker.contains(&format!("-p {p} ")) && docker.contains(&format!("--bin {bin}")),
            "the Dockerfile builds {p}/{bin}"
        );
        assert!(
            docker.contains(&format!("target/release/{bin} ")),
            "the Dockerfile copies target/release/{bin}"
        );
        assert!(
            docker.contains(&format!("/out/{bin}")),
            "{bin} reaches the image"
        );
    }
    // The toolchain is at least the workspace's rust-version.
    let ws: toml::Table = read("Cargo.toml").parse().unwrap();
    let msrv = ws["workspace"]["package"]["rust-version"].as_str().unwrap();
    let image = from[0].split_whitespace().nth(1).unwrap();
    let version = image.trim_start_matches("rust:").split('-').next().unwrap();
    let parse = |v: &str| -> Vec<u32> { v.split('.').map(|x| x.parse().unwrap()).collect() };
    assert!(
        parse(version) >= parse(msrv),
        "{image} is older than {msrv}"
    );
    // Non-root, with the data folder a volume and the setting pointing at it.
    let user = docker
        .lines()
        .rfind(|l| l.starts_with("USER "))
        .expect("a USER line");
    assert!(!user.contains("root") && !user.contains(" 0"), "{user}");
    let volume = docker
        .lines()
        .find(|l| l.starts_with("VOLUME "))
        .expect("a VOLUME");
    assert!(volume.contains("\"/var/lib/geo\""), "{volume}");
    assert!(docker.contains("GEO_DATA_DIR=/var/lib/geo"));
    // Every GEO_ setting the image sets is one the hub reads.
    let help = help();
    for var in ["GEO_DATA_DIR", "GEO_LISTEN", "GEO_LOG_FORMAT"] {
        assert!(docker.contains(&format!("{var}=")));
        assert!(help.contains(&format!("env: {var}")), "the hub reads {var}");
    }
    assert!(docker.contains("CMD [\"serve\"]"));
    let ignore = read(".dockerignore");
    assert!(
        ignore.lines().any(|l| l.trim() == "target"),
        "the build context skips target/"
    );
}

#[test]
fn systemd_unit_runs_the_hub_binary_on_its_state_directory() {
    let unit = read("packaging/geo-hub.service");
    let value = |key: &str| -> Vec<String> {
        unit.lines()
            .filter_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(str::to_owned)
            .collect()
    };
    let exec = value("ExecStart");
    assert_eq!(exec.len(), 1);
    let mut words = exec[0].split_whitespace();
    let program = words.next().unwrap();
    assert_eq!(Path::new(program).file_name().unwrap(), "geo-hub");
    assert!(bins("reference-hub/Cargo.toml").contains(&"geo-hub".to_owned()));
    let args: Vec<&str> = words.collect();
    let o = Command::new(BIN)
        .args(&args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(o.status.success(), "geo-hub {args:?} is a real command");
    let state = value("StateDirectory");
    assert_eq!(state, vec!["geo".to_owned()]);
    assert!(value("Environment").contains(&"GEO_DATA_DIR=/var/lib/geo".to_owned()));
    assert_eq!(
        value("KillSignal"),
        vec!["SIGTERM".to_owned()],
        "graceful shutdown"
    );
    let help = help();
    for env in value("Environment") {
        let var = env.split('=').next().unwrap();
        assert!(help.contains(&format!("env: {var}")), "the hub reads {var}");
    }
}

#[test]
fn licence_files_match_the_workspace_licence() {
    let ws: toml::Table = read("Cargo.toml").parse().unwrap();
    let license = ws["workspace"]["package"]["license"].as_str().unwrap();
    assert_eq!(license, "MIT OR Apache-2.0");
    assert!(read("LICENSE-MIT").contains("Permission is hereby granted, free of charge"));
    assert!(read("LICENSE-APACHE").contains("Apache License"));
    assert!(read("LICENSE-APACHE").contains("Version 2.0, January 2004"));
}

#[test]
fn geo_hub_answers_version() {
    let o = Command::new(BIN).arg("--version").output().unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8(o.stdout).unwrap().trim(),
        format!("geo-hub {}", env!("CARGO_PKG_VERSION"))
    );
}
