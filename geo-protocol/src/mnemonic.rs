//! The 24-word paper backup of a seed (BIP-39, English list): the 32-byte seed is the entropy and
//! the first byte of its SHA-256 the checksum, 264 bits read as 24 words of 11 bits. Written over
//! the crate's own SHA-256 (the bip39 crate's code links a second SHA-256, 8 KiB of the npm
//! package's wasm) and over the English list as text, one word a line (the bip39 crate's list is
//! a table of 2,048 string pointers besides the words: 4.6 KB more of the wasm, gzipped).

use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

/// Words in a GEO backup phrase.
const WORDS: usize = 24;

/// The BIP-39 English word list, in its order, one word a line (checked against the bip39
/// crate's list by a test).
const ENGLISH: &str = include_str!("bip39-english.txt");

/// The word at `index` (< 2048) of the list.
fn word(index: usize) -> &'static str {
    ENGLISH.lines().nth(index).unwrap_or_default()
}

/// Where `word` is in the list.
fn index_of(word: &str) -> Option<usize> {
    ENGLISH.lines().position(|w| w == word)
}

/// The phrase of a seed: 24 lower-case words separated by single spaces.
pub(crate) fn encode(seed: &[u8; 32]) -> Zeroizing<String> {
    let mut bits = Zeroizing::new([0u8; 33]);
    bits[..32].copy_from_slice(seed);
    bits[32] = Sha256::digest(seed)[0];
    let mut out = Zeroizing::new(String::with_capacity(WORDS * 9));
    for i in 0..WORDS {
        let index = (0..11).fold(0usize, |v, b| {
            let at = i * 11 + b;
            (v << 1) | usize::from((bits[at / 8] >> (7 - at % 8)) & 1)
        });
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word(index));
    }
    out
}

/// The seed of a phrase of lower-case words separated by single spaces; why not, in words.
pub(crate) fn decode(phrase: &str) -> Result<Zeroizing<[u8; 32]>, String> {
    let count = phrase.split(' ').count();
    if count != WORDS {
        return Err(format!("a GEO backup phrase has 24 words, not {count}"));
    }
    let mut bits = Zeroizing::new([0u8; 33]);
    for (i, word) in phrase.split(' ').enumerate() {
        let index = index_of(word)
            .ok_or_else(|| format!("word {} is not in the BIP-39 English list", i + 1))?;
        for b in 0..11 {
            if (index >> (10 - b)) & 1 == 1 {
                let at = i * 11 + b;
                bits[at / 8] |= 1 << (7 - at % 8);
            }
        }
    }
    let mut seed = Zeroizing::new([0u8; 32]);
    seed.copy_from_slice(&bits[..32]);
    if Sha256::digest(&seed[..])[0] != bits[32] {
        return Err("the checksum does not match: a word is wrong or out of place".into());
    }
    Ok(seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_list_is_bip39s_english_list() {
        let theirs = bip39::Language::English.word_list();
        let ours: Vec<&str> = ENGLISH.lines().collect();
        assert_eq!(ours.len(), 2048);
        assert_eq!(ours.as_slice(), theirs.as_slice());
        for (i, w) in theirs.iter().enumerate() {
            assert_eq!(word(i), *w);
            assert_eq!(index_of(w), Some(i));
        }
        assert_eq!(index_of("bitcoinz"), None);
        assert_eq!(index_of(""), None);
    }

    /// The 256-bit vectors of the BIP-39 reference (trezor/python-mnemonic `vectors.json`).
    const VECTORS: &[([u8; 32], &str)] = &[
        (
            [0x00; 32],
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon \
             abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon \
             abandon abandon abandon art",
        ),
        (
            [0x7f; 32],
            "legal winner thank year wave sausage worth useful legal winner thank year wave \
             sausage worth useful legal winner thank year wave sausage worth title",
        ),
        (
            [0x80; 32],
            "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd \
             amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless",
        ),
        (
            [0xff; 32],
            "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo \
             zoo zoo vote",
        ),
    ];

    #[test]
    fn reference_vectors_encode_and_decode() {
        for (seed, phrase) in VECTORS {
            assert_eq!(encode(seed).as_str(), *phrase);
            assert_eq!(*decode(phrase).unwrap(), *seed);
        }
    }

    #[test]
    fn wrong_count_unknown_word_and_bad_checksum_are_refused() {
        let phrase = VECTORS[1].1;
        assert!(decode(&phrase.replacen("legal ", "", 1))
            .unwrap_err()
            .contains("24 words"));
        assert!(decode(&phrase.replacen("winner", "winnre", 1))
            .unwrap_err()
            .contains("word 2"));
        // The last word carries the checksum: another valid word there breaks it.
        let swapped = phrase.replace("title", "zoo");
        assert!(decode(&swapped).unwrap_err().contains("checksum"));
    }
}
