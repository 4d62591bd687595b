//! The committed schemas and vectors must be exactly what the generator produces now.

#[test]
fn schemas_and_vectors_are_current() {
    let spec_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let stale = geo_spec::stale_files(spec_dir);
    assert!(
        stale.is_empty(),
        "stale spec files, run `cargo run -p geo-spec -- write`: {stale:?}"
    );
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(geo_spec::generate(), geo_spec::generate());
}
