//! Many signatures checked with one Ed25519 batch equation, giving for every item exactly the
//! verdict of the single check, [`PublicKey::verify`].
//!
//! The single check is ed25519-dalek's `verify_strict`: canonical `s`, a canonically encoded `R`
//! that is not of small order, and the *cofactorless* equation `R = sB − hA` on the bytes given.
//! Our keys are torsion-free by construction ([`PublicKey::from_bytes`]), so an `R` that passes it
//! is torsion-free too. ed25519-dalek's `verify_batch` checks `Σ zᵢ(Rᵢ − sᵢB + hᵢAᵢ) = 0`, also
//! cofactorless, with 128-bit `zᵢ` derived from the inputs; but it decodes `R` leniently
//! (a non-canonical encoding is reduced) and does not refuse an `R` with a small-order part. Such
//! an `R` fails the single check, yet a torsion term `zᵢT` vanishes whenever `zᵢ` is a multiple of
//! `T`'s order (2, 4 or 8): with coefficients derived from the inputs, a signer who grinds a nonce
//! gets such a signature through the bare batch equation within a few tries (the tests here do).
//! So before the batch equation every `R` is checked as the single check would judge it: a
//! canonical encoding, not of small order, no torsion part (`ℓR = 0`). With every point in the
//! prime-order group, a wrong item makes the sum vanish only with probability about 2⁻¹²⁸, so
//! "the batch holds" means "every item passes `verify_strict`".
//!
//! The pre-checks cost a decompression and a variable-base scalar multiplication per signature,
//! more than the batch saves: 16 signatures of a payment's size take 541k instructions each this
//! way against 412k one by one (64: 527k), while the bare batch equation would take 194k
//! (`benches/batch_verify.rs`, BENCHMARKS.md "Batched signature verification"). So the hub's batch
//! endpoint keeps checking one by one; this stays as the measured, exact form of the lever (and as
//! the warning that the bare equation is not the single check).

use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;

use crate::identity::{Pid, PublicKey, Signature};

/// Whether every `(key, message, signature)` passes [`PublicKey::verify`], decided with one batch
/// equation. `false` says only that at least one fails (or that an `R` is of a form the single
/// check refuses): verify each alone to learn which. An empty list holds.
pub fn verify_batch(items: &[(&PublicKey, &[u8], &Signature)]) -> bool {
    if !items.iter().all(|(_, _, sig)| strict_r(&sig.to_bytes())) {
        return false;
    }
    let messages: Vec<&[u8]> = items.iter().map(|(_, m, _)| *m).collect();
    let signatures: Vec<ed25519_dalek::Signature> = items.iter().map(|(_, _, s)| s.0).collect();
    let keys: Vec<ed25519_dalek::VerifyingKey> = items.iter().map(|(k, _, _)| k.0).collect();
    ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok()
}

/// Whether [`crate::envelope::verify_signed`] accepts every `(key, signer, signed bytes,
/// signature)`: each key is its signer's, and [`verify_batch`] holds.
pub fn verify_signed_batch(items: &[(&PublicKey, &Pid, &[u8], &Signature)]) -> bool {
    items
        .iter()
        .all(|(key, signer, _, _)| key.pid() == **signer)
        && verify_batch(
            &items
                .iter()
                .map(|(key, _, bytes, sig)| (*key, *bytes, *sig))
                .collect::<Vec<_>>(),
        )
}

/// `R` as `verify_strict` accepts it: decodes, encodes back to the same bytes, is not of small
/// order and has no torsion part.
fn strict_r(signature: &[u8; 64]) -> bool {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&signature[..32]);
    let encoded = CompressedEdwardsY(bytes);
    let Some(r) = encoded.decompress() else {
        return false;
    };
    r.compress() == encoded && !r.is_small_order() && torsion_free(&r)
}

/// `ℓP = 0`, in variable time (the points are public): `ℓP = (ℓ − 1)P + P`, and `ℓ − 1` is the
/// reduced scalar `−1`, multiplied as the integer it stands for.
fn torsion_free(p: &EdwardsPoint) -> bool {
    (EdwardsPoint::vartime_double_scalar_mul_basepoint(&-Scalar::ONE, p, &Scalar::ZERO) + p)
        .is_identity()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;
    use curve25519_dalek::constants::ED25519_BASEPOINT_POINT as B;
    use sha2::{Digest, Sha256, Sha512};

    fn signed(n: usize) -> Vec<(Identity, Vec<u8>, Signature)> {
        (0..n)
            .map(|i| {
                let id = Identity::from_seed(&Sha256::digest(i.to_le_bytes()).into());
                let msg = format!("payment {i}").into_bytes();
                let sig = id.sign_raw(&msg);
                (id, msg, sig)
            })
            .collect()
    }

    fn check(items: &[(PublicKey, Vec<u8>, Signature)]) -> bool {
        let refs: Vec<_> = items.iter().map(|(k, m, s)| (k, &m[..], s)).collect();
        verify_batch(&refs)
    }

    fn owned(v: &[(Identity, Vec<u8>, Signature)]) -> Vec<(PublicKey, Vec<u8>, Signature)> {
        v.iter()
            .map(|(id, m, s)| (id.public_key(), m.clone(), *s))
            .collect()
    }

    #[test]
    fn good_signatures_hold_and_one_bad_one_breaks_the_batch() {
        let items = owned(&signed(16));
        assert!(check(&items));
        assert!(check(&[]));
        for bad in [0, 7, 15] {
            let mut tampered = items.clone();
            tampered[bad].1.push(b'!');
            assert!(check(&tampered[..bad]), "the items before {bad} hold");
            assert!(!check(&tampered), "message {bad} changed");
            let mut swapped = items.clone();
            swapped[bad].2 = items[(bad + 1) % 16].2;
            assert!(!check(&swapped), "signature {bad} of another message");
        }
    }

    #[test]
    fn a_key_of_another_signer_breaks_the_batch() {
        let items = owned(&signed(3));
        let pids: Vec<Pid> = items.iter().map(|(k, _, _)| k.pid()).collect();
        let refs: Vec<_> = items
            .iter()
            .zip(&pids)
            .map(|((k, m, s), p)| (k, p, &m[..], s))
            .collect();
        assert!(verify_signed_batch(&refs));
        let mut wrong = refs.clone();
        wrong[1].1 = &pids[2];
        assert!(!verify_signed_batch(&wrong));
    }

    /// `2ᵏP`.
    fn doubled(p: EdwardsPoint, k: u32) -> EdwardsPoint {
        (0..k).fold(p, |q, _| q + q)
    }

    /// A point of exact order `order` (2, 4 or 8): the torsion part of points found by hashing.
    fn torsion_point(order: u32) -> EdwardsPoint {
        for i in 0u32.. {
            let y: [u8; 32] = Sha256::digest(i.to_le_bytes()).into();
            let Some(p) = CompressedEdwardsY(y).decompress() else {
                continue;
            };
            // ℓP keeps only the torsion part (ℓ is odd, so its order is the part's order).
            let t =
                EdwardsPoint::vartime_double_scalar_mul_basepoint(&-Scalar::ONE, &p, &Scalar::ZERO)
                    + p;
            let t = doubled(t, 3 - order.trailing_zeros());
            if !doubled(t, order.trailing_zeros() - 1).is_identity() {
                return t;
            }
        }
        unreachable!()
    }

    fn wide(digest: &[u8]) -> Scalar {
        let mut bytes = [0u8; 64];
        bytes.copy_from_slice(digest);
        Scalar::from_bytes_mod_order_wide(&bytes)
    }

    /// A signature whose `R = rB + T` carries the torsion point `T`, made with the secret `a`:
    /// `s = r + H(R‖A‖M)·a`. The cofactorless equation is off by exactly `T`.
    fn with_torsion(a: &Scalar, msg: &[u8], t: &EdwardsPoint) -> Signature {
        let r = wide(&Sha512::digest(msg));
        let big_r = (r * B + t).compress();
        let big_a = (a * B).compress();
        let mut h = Sha512::new();
        h.update(big_r.as_bytes());
        h.update(big_a.as_bytes());
        h.update(msg);
        let s = r + wide(&h.finalize()) * a;
        let mut bytes = [0u8; 64];
        bytes[..32].copy_from_slice(big_r.as_bytes());
        bytes[32..].copy_from_slice(s.as_bytes());
        Signature::from_bytes(&bytes)
    }

    /// The bare batch equation accepts, for some nonce, a signature with a small-order part in
    /// `R` that the single check refuses; ours refuses it as the single check does.
    #[test]
    fn a_torsion_part_in_r_passes_the_bare_batch_equation_but_not_this_one() {
        let a = Scalar::from_bytes_mod_order([7; 32]);
        let key = PublicKey::from_bytes((a * B).compress().as_bytes()).expect("a valid key");
        let others = owned(&signed(2));
        for order in [2, 4, 8] {
            let t = torsion_point(order);
            let mut bare_accepted = false;
            for nonce in 0..400u32 {
                let msg = format!("pay 10, nonce {nonce}").into_bytes();
                let sig = with_torsion(&a, &msg, &t);
                assert!(
                    key.verify(&msg, &sig).is_err(),
                    "the single check refuses it"
                );
                let mut items = others.clone();
                items.push((key, msg.clone(), sig));
                let messages: Vec<&[u8]> = items.iter().map(|(_, m, _)| &m[..]).collect();
                let sigs: Vec<_> = items.iter().map(|(_, _, s)| s.0).collect();
                let keys: Vec<_> = items.iter().map(|(k, _, _)| k.0).collect();
                if ed25519_dalek::verify_batch(&messages, &sigs, &keys).is_ok() {
                    bare_accepted = true;
                }
                assert!(!check(&items), "order {order}, nonce {nonce}");
            }
            assert!(
                bare_accepted,
                "order {order}: some nonce gets through the bare equation"
            );
        }
    }

    #[test]
    fn a_non_canonical_or_small_order_r_breaks_the_batch() {
        let items = owned(&signed(2));
        // R = the identity, once canonical and once with the sign bit set on x = 0.
        let mut identity = [0u8; 64];
        identity[0] = 1;
        assert!(!strict_r(&identity), "small order");
        identity[31] |= 0x80;
        assert!(!strict_r(&identity), "non-canonical");
        let mut forged = items.clone();
        forged[0].2 = Signature::from_bytes(&identity);
        assert!(!check(&forged));
        // An honest R passes the pre-checks.
        assert!(strict_r(&items[0].2.to_bytes()));
    }
}
