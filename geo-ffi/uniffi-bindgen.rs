//! The workspace's `uniffi-bindgen`: generates Kotlin, Swift and Python from the built `geo-ffi`
//! library (`cargo run -p geo-ffi --features cli --bin uniffi-bindgen -- generate --library …`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
