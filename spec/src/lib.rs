//! Generates the spec's machine-readable files from `geo-protocol`: JSON Schemas (`schemas/`) and
//! cross-language test vectors (`vectors/`). Everything is deterministic (fixed seeds, nonces and
//! times), so regenerating gives byte-identical files and a test can tell when they are stale.

#![deny(missing_docs)]

mod vectors;

use std::path::Path;

/// One generated file: its path relative to `spec/` and its exact contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path, e.g. `vectors/identity.json`.
    pub path: String,
    /// Exact file contents (pretty JSON with a trailing newline).
    pub contents: String,
}

/// Pretty JSON with sorted keys and a trailing newline: the on-disk form of every generated file.
pub fn to_file_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values always serialise");
    text.push('\n');
    text
}

/// Every generated file.
pub fn generate() -> Vec<GeneratedFile> {
    let mut files: Vec<GeneratedFile> = geo_protocol::json_schemas()
        .into_iter()
        .map(|(name, schema)| GeneratedFile {
            path: format!("schemas/{name}.json"),
            contents: to_file_text(&schema),
        })
        .collect();
    for (name, value) in vectors::all() {
        files.push(GeneratedFile {
            path: format!("vectors/{name}.json"),
            contents: to_file_text(&value),
        });
    }
    files
}

/// Paths under `spec_dir` whose contents differ from what [`generate`] produces (missing files included).
pub fn stale_files(spec_dir: &Path) -> Vec<String> {
    generate()
        .into_iter()
        .filter(|f| {
            std::fs::read_to_string(spec_dir.join(&f.path))
                .ok()
                .as_deref()
                != Some(f.contents.as_str())
        })
        .map(|f| f.path)
        .collect()
}

/// Writes every generated file under `spec_dir`, creating folders as needed.
pub fn write_all(spec_dir: &Path) -> std::io::Result<usize> {
    let files = generate();
    for f in &files {
        let path = spec_dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &f.contents)?;
    }
    Ok(files.len())
}
