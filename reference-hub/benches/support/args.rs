//! Command-line options of the hub's benches, read one way for all of them: `--name value`
//! options, bare flags, and `--quick` (the small scale CI runs), whose defaults each option gives
//! beside its full-scale one. Cargo passes `--bench`, which is accepted and ignored. An option the
//! bench does not know, or a value that does not parse, stops the bench with a message.

// Each bench includes this file and uses only the methods its options need.
#![allow(dead_code)]

use std::collections::HashMap;
use std::str::FromStr;

/// The options given on the command line, checked against the names a bench knows.
pub struct BenchArgs {
    values: HashMap<String, String>,
    flags: Vec<String>,
    /// `--quick`: run at the small scale CI uses.
    pub quick: bool,
}

impl BenchArgs {
    /// Reads `std::env::args()`. `options` take a value; `flags` stand alone.
    pub fn parse(options: &[&str], flags: &[&str]) -> BenchArgs {
        let mut parsed = BenchArgs {
            values: HashMap::new(),
            flags: Vec::new(),
            quick: false,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--quick" => parsed.quick = true,
                "--bench" => {}
                name if options.contains(&name) => {
                    let value = it.next().unwrap_or_else(|| panic!("{name} needs a value"));
                    parsed.values.insert(arg, value);
                }
                name if flags.contains(&name) => parsed.flags.push(arg),
                other => panic!("unknown argument {other}"),
            }
        }
        parsed
    }

    /// The value of `name`, else `full` (or `quick` under `--quick`).
    pub fn number<T: FromStr>(&self, name: &str, full: T, quick: T) -> T {
        match self.values.get(name) {
            Some(v) => v
                .parse()
                .unwrap_or_else(|_| panic!("{name}: cannot read {v:?}")),
            None if self.quick => quick,
            None => full,
        }
    }

    /// The text given for `name`, if any.
    pub fn text(&self, name: &str) -> Option<String> {
        self.values.get(name).cloned()
    }

    /// Whether the flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}
