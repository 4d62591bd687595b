//! Sending pre-signed payments: open loop (Poisson arrivals at a fixed rate) or closed loop.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::community::Rng;
use crate::report::{Outcome, Report, Sample};
use crate::setup::Signed;

/// How requests are paced.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// Poisson arrivals at `rate` per second, whatever the hub does: a request is sent at its
    /// intended time even if earlier ones are unanswered, and its latency counts from that time.
    Open {
        /// Mean arrivals per second.
        rate: f64,
        /// Seed of the arrival times.
        seed: u64,
    },
    /// `clients` clients, each sending its next payment as soon as the previous one is answered.
    Closed {
        /// Concurrent clients.
        clients: usize,
    },
}

/// Intended send offsets of `count` Poisson arrivals at `rate` per second (seeded).
pub fn poisson_offsets(count: usize, rate: f64, seed: u64) -> Vec<Duration> {
    let mut rng = Rng(seed);
    let mut t = 0.0f64;
    (0..count)
        .map(|_| {
            t += rng.exponential(rate);
            Duration::from_secs_f64(t)
        })
        .collect()
}

async fn send(http: &reqwest::Client, url: &str, token: &str, body: &str) -> (Outcome, u16) {
    let sent = http
        .post(url)
        .header("content-type", "application/json")
        .bearer_auth(token)
        .body(body.to_owned())
        .send()
        .await;
    match sent {
        Ok(resp) => {
            let status = resp.status().as_u16();
            // Read the whole answer: the payment is not answered until its body arrived.
            match resp.bytes().await {
                Ok(body) => {
                    let outcome = Outcome::of_status(status);
                    if outcome == Outcome::Failed
                        && std::env::var_os("GEO_LOAD_SHOW_FAILURES").is_some()
                    {
                        eprintln!("{status}: {}", String::from_utf8_lossy(&body));
                    }
                    (outcome, status)
                }
                Err(_) => (Outcome::Failed, 0),
            }
        }
        Err(_) => (Outcome::Failed, 0),
    }
}

/// Sends every payment to `payments_url` (`…/api/v1/payments`) and reports what happened.
pub async fn run(
    http: &reqwest::Client,
    payments_url: &str,
    tokens: &[String],
    work: Vec<Signed>,
    mode: Mode,
) -> Report {
    let work = Arc::new(work);
    let tokens: Arc<Vec<String>> = Arc::new(tokens.to_vec());
    let url: Arc<str> = Arc::from(payments_url);
    let start = Instant::now();
    let mut samples = Vec::with_capacity(work.len());
    match mode {
        Mode::Open { rate, seed } => {
            let offsets = poisson_offsets(work.len(), rate, seed);
            let mut tasks = Vec::with_capacity(work.len());
            for (i, at) in offsets.into_iter().enumerate() {
                let intended = start + at;
                tokio::time::sleep_until(intended).await;
                let (http, url, tokens, work) =
                    (http.clone(), url.clone(), tokens.clone(), work.clone());
                tasks.push(tokio::spawn(async move {
                    let w = &work[i];
                    let (outcome, status) = send(&http, &url, &tokens[w.payer], &w.body).await;
                    Sample {
                        sent: at,
                        outcome,
                        status,
                        latency: intended.elapsed(),
                    }
                }));
            }
            for t in tasks {
                samples.push(t.await.expect("sender task"));
            }
        }
        Mode::Closed { clients } => {
            let next = Arc::new(AtomicUsize::new(0));
            let mut tasks = Vec::with_capacity(clients);
            for _ in 0..clients.max(1) {
                let (http, url, tokens, work, next) = (
                    http.clone(),
                    url.clone(),
                    tokens.clone(),
                    work.clone(),
                    next.clone(),
                );
                tasks.push(tokio::spawn(async move {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(w) = work.get(i) else { break };
                        let sent = Instant::now();
                        let (outcome, status) = send(&http, &url, &tokens[w.payer], &w.body).await;
                        mine.push(Sample {
                            sent: sent - start,
                            outcome,
                            status,
                            latency: sent.elapsed(),
                        });
                    }
                    mine
                }));
            }
            for t in tasks {
                samples.extend(t.await.expect("client task"));
            }
        }
    }
    Report::of(&samples, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_offsets_have_the_rate_and_increase() {
        let o = poisson_offsets(20_000, 1000.0, 5);
        assert!(o.windows(2).all(|w| w[0] <= w[1]));
        let secs = o.last().unwrap().as_secs_f64();
        assert!(
            (19.0..21.0).contains(&secs),
            "20,000 arrivals at 1000/s took {secs} s"
        );
        assert_eq!(o, poisson_offsets(20_000, 1000.0, 5));
    }
}
