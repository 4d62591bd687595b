//! Embeds the built web wallet and operator console (`web-dist/`, built from `web/` by
//! `web/build.sh` and committed) in the binary, so `cargo run -p reference-hub` serves them with
//! only cargo on the machine. Writes `$OUT_DIR/web_assets.rs`: one `Asset` per file (its URL path,
//! bytes, and the brotli and gzip forms built beside it), sorted by path.

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

/// The precompressed forms `web/build.sh` writes beside a file (`F.br`, `F.gz`): embedded as
/// encodings of `F`, never served under their own names.
const ENCODED: [&str; 2] = [".br", ".gz"];

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("web-dist");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut found = Vec::new();
    files(&root, &mut found);
    found.sort();
    let bytes = |p: &Path| format!("include_bytes!({:?}).as_slice()", p.display().to_string());
    let variant = |p: &Path, ext: &str| {
        let mut v = p.as_os_str().to_owned();
        v.push(ext);
        let v = PathBuf::from(v);
        if v.is_file() {
            format!("Some({})", bytes(&v))
        } else {
            "None".into()
        }
    };
    let mut code = String::from("&[\n");
    for path in &found {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.to_string_lossy();
        if ENCODED.iter().any(|e| name.ends_with(e)) {
            continue;
        }
        let url = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    Asset {{ path: \"/{url}\", body: {}, brotli: {}, gzip: {} }},\n",
            bytes(path),
            variant(path, ".br"),
            variant(path, ".gz"),
        ));
    }
    code.push(']');
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("web_assets.rs");
    fs::write(out, code).unwrap();
}
