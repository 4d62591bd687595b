//! `geo --version` names the tool and the workspace version (packagers and bug reports rely on it).

#[test]
fn geo_answers_version() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_geo"))
        .arg("--version")
        .output()
        .expect("geo runs");
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8(o.stdout).unwrap().trim(),
        format!("geo {}", env!("CARGO_PKG_VERSION"))
    );
}
