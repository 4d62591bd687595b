//! The 24-word backup: shown numbered, checked by asking for a few words back, read for a restore.

use crate::ask;
use crate::failure::{Failure, Outcome};

/// The words in four numbered columns, six rows, as written on paper.
pub fn numbered(phrase: &str) -> String {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    words
        .chunks(4)
        .enumerate()
        .map(|(row, chunk)| {
            chunk
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{:>2}. {w:<10}", row * 4 + i + 1))
                .collect::<Vec<_>>()
                .join(" ")
                .trim_end()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Three distinct word positions (0-based), from the platform's random source.
fn positions(count: usize) -> Vec<usize> {
    let mut picked = Vec::new();
    while picked.len() < 3.min(count) {
        let mut b = [0u8; 1];
        if getrandom::getrandom(&mut b).is_err() {
            b[0] = picked.len() as u8 * 7 + 3;
        }
        let i = b[0] as usize % count;
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.sort();
    picked
}

/// Asks for three random words back; the person gets three tries per word.
pub fn quiz(phrase: &str) -> Outcome<()> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    eprintln!("To check your copy, type three of the words back.");
    for i in positions(words.len()) {
        let mut tries = 0;
        loop {
            let typed = ask::line(&format!("word {}: ", i + 1))?;
            if typed.trim().eq_ignore_ascii_case(words[i]) {
                break;
            }
            tries += 1;
            if tries == 3 {
                return Err(Failure::Declined(format!(
                    "word {} does not match: nothing was saved; run `geo init` again and write the words down carefully",
                    i + 1
                )));
            }
            eprintln!("that is not word {}; look at your copy again", i + 1);
        }
    }
    Ok(())
}

/// The phrase to restore from: `GEO_MNEMONIC`, else a line on standard input.
pub fn read_phrase() -> Outcome<String> {
    match std::env::var("GEO_MNEMONIC") {
        Ok(p) => Ok(p),
        Err(_) => ask::line("The 24 words (any case, separated by spaces): "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_are_numbered_in_rows_of_four() {
        let phrase = (1..=24)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let text = numbered(&phrase);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6);
        assert!(lines[0].starts_with(" 1. w1"), "{text}");
        assert!(lines[5].contains("24. w24"), "{text}");
        let p = positions(24);
        assert_eq!(p.len(), 3);
        assert!(p.windows(2).all(|w| w[0] < w[1]) && p[2] < 24);
    }
}
