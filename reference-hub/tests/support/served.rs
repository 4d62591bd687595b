//! A hub run by the real `geo-hub` binary (as operators run it), with its output captured.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

/// A hub run by the binary, as an operator would: its output, with the address it listens on.
pub struct ServedHub {
    child: std::process::Child,
    /// Its base URL.
    pub url: String,
    log: std::sync::mpsc::Receiver<String>,
}

impl ServedHub {
    /// Starts `geo-hub serve` on `dir` with extra flags; returns once it listens.
    pub fn start(dir: &std::path::Path, extra: &[&str]) -> ServedHub {
        let mut child = Command::new(env!("CARGO_BIN_EXE_geo-hub"))
            .env_remove("GEO_ADMIN_TOKEN")
            .env("RUST_LOG", "info")
            .args([
                "--data-dir",
                dir.to_str().unwrap(),
                "--listen",
                "127.0.0.1:0",
            ])
            .args(["--clearing-interval-seconds", "0"])
            .args(extra)
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, log) = std::sync::mpsc::channel();
        let mut err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            let _ = tx2.send(s);
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("the hub prints its address").unwrap();
            if let Some(rest) = line.strip_prefix("GEO hub listening on ") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
            tx.send(line).unwrap();
        };
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        ServedHub { child, url, log }
    }

    /// Stops the hub and returns everything it logged.
    pub fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        let mut text = String::new();
        while let Ok(line) = self.log.recv_timeout(std::time::Duration::from_secs(5)) {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }
}
