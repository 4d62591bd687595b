//! What each layer may not do (ARCHITECTURE.md), checked on the source: `api/` reads the engine only
//! through its query methods, the engine speaks no HTTP, and `api/` is not imported from below it.

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    assert!(!out.is_empty(), "no sources under {dir}");
    out
}

fn offenders(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources(dir) {
        for (n, line) in text.lines().enumerate() {
            for f in forbidden {
                if line.contains(f) {
                    found.push(format!("{}:{}: {f}", path.display(), n + 1));
                }
            }
        }
    }
    found
}

#[test]
fn the_api_reads_the_engine_only_through_queries() {
    // The one read lock: `AppState::query`, held for one query method call.
    let locks = offenders("api", &["engine.read()"]);
    assert_eq!(locks.len(), 1, "{locks:?}");
    assert!(locks[0].contains("mod.rs"), "{locks:?}");
    let found = offenders(
        "api",
        &[
            "engine.write()",
            ".ledger",
            "engine::state",
            ".books",
            "by_pid",
            "geo_routing",
            "geo_clearing::",
        ],
    );
    assert!(
        found.is_empty(),
        "api/ reaches into the engine:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_engine_speaks_no_http() {
    let found = offenders(
        "engine",
        &["axum", "HubError", "crate::api", "tokio", "StatusCode"],
    );
    assert!(
        found.is_empty(),
        "the engine depends on the HTTP layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_layer_below_the_api_imports_it() {
    for dir in ["engine", "storage"] {
        let found = offenders(dir, &["crate::api", "crate::app"]);
        assert!(
            found.is_empty(),
            "{dir}/ imports a layer above it:\n{}",
            found.join("\n")
        );
    }
    for file in [
        "writer.rs",
        "clearing_runner.rs",
        "integrity.rs",
        "storage.rs",
    ] {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(file))
                .unwrap();
        for f in ["crate::api", "crate::app"] {
            assert!(!text.contains(f), "{file} imports {f}");
        }
    }
}
