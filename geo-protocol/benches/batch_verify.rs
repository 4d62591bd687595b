//! What checking a batch's signatures costs per signature: one by one (`PublicKey::verify`, the
//! single endpoint's check), with `batch::verify_batch` (the batch endpoint's: strict pre-checks
//! of each `R`, then one equation), and with ed25519-dalek's bare `verify_batch` (no pre-checks;
//! not what the hub may use, see `geo_protocol::batch`). Prints µs per signature.
//!
//!     cargo bench -p geo-protocol --bench batch_verify -- [MODE] [SIZE] [ROUNDS]
//!
//! MODE is `all` (default), `single`, `batch` or `bare`; one mode at a time suits
//! `valgrind --tool=callgrind` (instructions per signature = total / (SIZE × ROUNDS)).

use std::hint::black_box;
use std::time::Instant;

use geo_protocol::batch::verify_batch;
use geo_protocol::{Identity, PublicKey, Signature};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mode = args.first().map(String::as_str).unwrap_or("all").to_owned();
    let size: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    let rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(500);
    // Messages of a signed payment request's size (about 400 bytes of signed text).
    let items: Vec<(PublicKey, Vec<u8>, Signature)> = (0..size)
        .map(|i| {
            let id = Identity::from_seed(&[i as u8 + 1; 32]);
            let msg = format!("{i:0>400}").into_bytes();
            let sig = id.sign_raw(&msg);
            (id.public_key(), msg, sig)
        })
        .collect();
    let refs: Vec<(&PublicKey, &[u8], &Signature)> =
        items.iter().map(|(k, m, s)| (k, &m[..], s)).collect();
    let dalek_keys: Vec<ed25519_dalek::VerifyingKey> = items
        .iter()
        .map(|(k, _, _)| ed25519_dalek::VerifyingKey::from_bytes(&k.to_bytes()).unwrap())
        .collect();
    let dalek_sigs: Vec<ed25519_dalek::Signature> = items
        .iter()
        .map(|(_, _, s)| ed25519_dalek::Signature::from_bytes(&s.to_bytes()))
        .collect();
    let messages: Vec<&[u8]> = items.iter().map(|(_, m, _)| &m[..]).collect();

    let time = |name: &str, f: &dyn Fn() -> bool| {
        if mode != "all" && mode != name {
            return;
        }
        assert!(f(), "{name}: every signature is good");
        let start = Instant::now();
        for _ in 0..rounds {
            assert!(black_box(f()));
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * size) as f64;
        println!("{name:>6}: {per:.2} µs per signature ({size} per batch, {rounds} rounds)");
    };
    time("single", &|| {
        refs.iter()
            .all(|(k, m, s)| k.verify(black_box(m), s).is_ok())
    });
    time("batch", &|| verify_batch(black_box(&refs)));
    time("bare", &|| {
        ed25519_dalek::verify_batch(black_box(&messages), &dalek_sigs, &dalek_keys).is_ok()
    });
}
