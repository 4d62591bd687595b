//! `geo-spec write` regenerates `spec/schemas` and `spec/vectors`; `geo-spec check` exits non-zero
//! when any of them is stale.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let spec_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    match std::env::args().nth(1).as_deref() {
        Some("write") => match geo_spec::write_all(&spec_dir) {
            Ok(n) => {
                println!("wrote {n} files under {}", spec_dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("geo-spec: cannot write: {e}");
                ExitCode::FAILURE
            }
        },
        Some("check") => {
            let stale = geo_spec::stale_files(&spec_dir);
            if stale.is_empty() {
                println!("spec files are current");
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "stale (run `cargo run -p geo-spec -- write`): {}",
                    stale.join(", ")
                );
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: geo-spec write | check");
            ExitCode::from(2)
        }
    }
}
