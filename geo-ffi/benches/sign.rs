//! Signing through the bindings' Rust surface (`geo_ffi::Identity::sign`): the baseline for the
//! same loop in Python and Kotlin (`geo-ffi/benches/sign_overhead.sh`). Prints µs per call.
//!
//!     cargo bench -p geo-ffi --bench sign -- [N]

use std::time::Instant;

fn main() {
    let n: u32 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20_000);
    let me = geo_ffi::Identity::from_seed(vec![7; 32]).expect("a 32-byte seed");
    let message = vec![0x42u8; 200];
    let mut last = String::new();
    for _ in 0..1_000 {
        last = me.sign(message.clone());
    }
    let start = Instant::now();
    for _ in 0..n {
        last = me.sign(std::hint::black_box(message.clone()));
    }
    let per_call = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    assert_eq!(last.len(), 88, "a base64 Ed25519 signature");
    println!("rust   sign: {per_call:.2} µs/call ({n} calls)");
}
