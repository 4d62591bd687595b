//! Key files on disk: save, load, wrong password, tampering; and the mnemonic backup.

use geo_client::{keyfile, GeoError, Identity};

#[test]
fn a_key_file_round_trips_on_disk_and_refuses_the_wrong_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("me.json");
    let me = Identity::generate();
    keyfile::save(&path, &me, "open sesame").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the owner may read it");
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], "geo-key");
    assert_eq!(v["version"], 1);
    assert_eq!(v["kdf"]["name"], "argon2id");
    assert_eq!(v["cipher"]["name"], "xchacha20poly1305");
    assert_eq!(keyfile::pid_of(&text).unwrap(), me.pid());

    assert_eq!(keyfile::load(&path, "open sesame").unwrap().pid(), me.pid());
    assert_eq!(
        keyfile::load(&path, "open sesame!").unwrap_err(),
        GeoError::WrongPassword
    );
    // Someone raises the KDF cost in the file: the checksum no longer matches.
    let mut t = v.clone();
    t["kdf"]["t_cost"] = 3.into();
    std::fs::write(&path, t.to_string()).unwrap();
    let e = keyfile::load(&path, "open sesame").unwrap_err();
    assert_eq!(e.code(), "E_KEY_FILE_TAMPERED");
    // A missing file is a storage error.
    let e = keyfile::load(&dir.path().join("nope.json"), "x").unwrap_err();
    assert!(matches!(e, GeoError::Storage { .. }));
}

#[test]
fn the_mnemonic_restores_the_same_participant() {
    let me = Identity::generate();
    let words = keyfile::mnemonic(&me);
    assert_eq!(keyfile::restore(&words).unwrap().pid(), me.pid());
    let mut wrong: Vec<&str> = words.split_whitespace().collect();
    wrong.swap(0, 1);
    // A swapped word breaks the checksum (or yields another key, never this one).
    match keyfile::restore(&wrong.join(" ")) {
        Err(e) => assert!(matches!(e, GeoError::Validation { .. }), "{e}"),
        Ok(other) => assert_ne!(other.pid(), me.pid()),
    }
}
