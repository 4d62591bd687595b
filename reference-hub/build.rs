//! Embeds the built web wallet and operator console (`web-dist/`, built from `web/` by
//! `web/build.sh` and committed) in the binary, so `cargo run -p reference-hub` serves them with
//! only cargo on the machine. Writes `$OUT_DIR/web_assets.rs`: one `(url path, bytes)` per file,
//! sorted by path.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("web-dist");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut found = Vec::new();
    files(&root, &mut found);
    found.sort();
    let mut code = String::from("&[\n");
    for path in &found {
        println!("cargo:rerun-if-changed={}", path.display());
        let url = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    (\"/{url}\", include_bytes!({:?}).as_slice()),\n",
            path.display().to_string()
        ));
    }
    code.push(']');
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("web_assets.rs");
    fs::write(out, code).unwrap();
}
