//! Sending pre-signed payments: open loop (Poisson arrivals at a fixed rate) or closed loop.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::value::RawValue;
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

/// One request of a run: one payment (`POST /payments`) or several (`POST /payments/batch`).
#[derive(Debug, Clone)]
struct Request {
    /// The payer whose bearer token it goes with (a batch's first payment's).
    token: usize,
    /// The body, built before the run.
    body: String,
    /// Payments it carries; 0 for a single payment's own request.
    batch: usize,
}

/// What a run sends, every body built before the timed phase.
#[derive(Debug, Clone)]
pub struct Plan {
    url: String,
    requests: Vec<Request>,
}

impl Plan {
    /// Each payment in its own request to `api_base`'s `/payments`.
    pub fn single(api_base: &str, work: Vec<Signed>) -> Plan {
        Plan {
            url: format!("{api_base}{}", geo_api::payment::PAY.path),
            requests: work
                .into_iter()
                .map(|w| Request {
                    token: w.payer,
                    body: w.body,
                    batch: 0,
                })
                .collect(),
        }
    }

    /// Consecutive payments `size` at a time to `api_base`'s `/payments/batch` (the last batch may
    /// be smaller), each batch sent with its first payer's token.
    pub fn batched(api_base: &str, work: Vec<Signed>, size: usize) -> Plan {
        let requests = work
            .chunks(size.max(1))
            .map(|chunk| {
                let batch = geo_api::PaymentBatch {
                    payments: chunk
                        .iter()
                        .map(|w| RawValue::from_string(w.body.clone()).expect("signed JSON"))
                        .collect(),
                };
                Request {
                    token: chunk[0].payer,
                    body: serde_json::to_string(&batch).expect("batches are JSON"),
                    batch: chunk.len(),
                }
            })
            .collect();
        Plan {
            url: format!("{api_base}{}", geo_api::payment::PAY_BATCH.path),
            requests,
        }
    }

    /// Payments the plan sends.
    pub fn payments(&self) -> usize {
        self.requests.iter().map(|r| r.batch.max(1)).sum()
    }
}

/// A batch answer read only as far as the load generator needs: each result's kind and, for a
/// refusal, its status (the wire form of `geo_api::PaymentBatchResults`, not decoded whole so
/// that the generator stays cheap).
#[derive(serde::Deserialize)]
struct BatchAnswer {
    results: Vec<BatchItem>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum BatchItem {
    Payment(serde::de::IgnoredAny),
    Problem(ItemStatus),
}

#[derive(serde::Deserialize)]
struct ItemStatus {
    status: u16,
}

/// Sends one request and reads its whole answer (a payment is not answered until its body
/// arrived): one `(outcome, status)` per payment it carries.
async fn send(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    req: &Request,
) -> Vec<(Outcome, u16)> {
    let count = req.batch.max(1);
    let failed = |status| vec![(Outcome::Failed, status); count];
    let sent = http
        .post(url)
        .header("content-type", "application/json")
        .bearer_auth(token)
        .body(req.body.clone())
        .send()
        .await;
    let Ok(resp) = sent else { return failed(0) };
    let status = resp.status().as_u16();
    let Ok(body) = resp.bytes().await else {
        return failed(0);
    };
    let show = || {
        if std::env::var_os("GEO_LOAD_SHOW_FAILURES").is_some() {
            eprintln!("{status}: {}", String::from_utf8_lossy(&body));
        }
    };
    if req.batch == 0 || status != 200 {
        let outcome = if req.batch == 0 {
            Outcome::of_status(status)
        } else {
            Outcome::Failed
        };
        if outcome == Outcome::Failed {
            show();
        }
        return vec![(outcome, status); count];
    }
    match serde_json::from_slice::<BatchAnswer>(&body) {
        Ok(a) if a.results.len() == count => a
            .results
            .into_iter()
            .map(|item| {
                let status = match item {
                    BatchItem::Payment(_) => 200,
                    BatchItem::Problem(p) => p.status,
                };
                (Outcome::of_status(status), status)
            })
            .collect(),
        _ => {
            show();
            failed(status)
        }
    }
}

/// Sends every request of `plan` and reports what happened to each payment (a batch's payments
/// share its send time and latency). In open loop, `rate` counts payments: batches of `n` arrive
/// at `rate / n` per second.
pub async fn run(http: &reqwest::Client, plan: Plan, tokens: &[String], mode: Mode) -> Report {
    let per_request = plan.payments() as f64 / plan.requests.len().max(1) as f64;
    let requests = Arc::new(plan.requests);
    let tokens: Arc<Vec<String>> = Arc::new(tokens.to_vec());
    let url: Arc<str> = Arc::from(plan.url.as_str());
    let start = Instant::now();
    let mut samples = Vec::with_capacity(requests.len());
    let each = |at: Duration, latency: Duration, answers: Vec<(Outcome, u16)>| {
        answers.into_iter().map(move |(outcome, status)| Sample {
            sent: at,
            outcome,
            status,
            latency,
        })
    };
    match mode {
        Mode::Open { rate, seed } => {
            let offsets = poisson_offsets(requests.len(), rate / per_request, seed);
            let mut tasks = Vec::with_capacity(requests.len());
            for (i, at) in offsets.into_iter().enumerate() {
                let intended = start + at;
                tokio::time::sleep_until(intended).await;
                let (http, url, tokens, requests) =
                    (http.clone(), url.clone(), tokens.clone(), requests.clone());
                tasks.push(tokio::spawn(async move {
                    let r = &requests[i];
                    let answers = send(&http, &url, &tokens[r.token], r).await;
                    (at, intended.elapsed(), answers)
                }));
            }
            for t in tasks {
                let (at, latency, answers) = t.await.expect("sender task");
                samples.extend(each(at, latency, answers));
            }
        }
        Mode::Closed { clients } => {
            let next = Arc::new(AtomicUsize::new(0));
            let mut tasks = Vec::with_capacity(clients);
            for _ in 0..clients.max(1) {
                let (http, url, tokens, requests, next) = (
                    http.clone(),
                    url.clone(),
                    tokens.clone(),
                    requests.clone(),
                    next.clone(),
                );
                tasks.push(tokio::spawn(async move {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(r) = requests.get(i) else { break };
                        let sent = Instant::now();
                        let answers = send(&http, &url, &tokens[r.token], r).await;
                        mine.push((sent - start, sent.elapsed(), answers));
                    }
                    mine
                }));
            }
            for t in tasks {
                for (at, latency, answers) in t.await.expect("client task") {
                    samples.extend(each(at, latency, answers));
                }
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
