//! Sending pre-signed payments: open loop (Poisson arrivals at a fixed rate) or closed loop.

use std::ops::Range;
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
    /// Poisson arrivals of payments at `rate` per second, whatever the hub does: a request is sent
    /// at its intended time even if earlier ones are unanswered, and each payment's latency counts
    /// from its own arrival. With a batched plan, payments that arrive within `window` of the
    /// first one still waiting are sent together (up to the plan's batch size; a full batch goes
    /// at once), so a payment's latency includes its wait for the batch to close.
    Open {
        /// Mean payment arrivals per second.
        rate: f64,
        /// Seed of the arrival times.
        seed: u64,
        /// Longest wait of a batch for more payments (unused by unbatched plans).
        window: Duration,
    },
    /// `clients` clients, each sending its next request as soon as the previous one is answered
    /// (a batched plan's requests carry its batch size of consecutive payments).
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

/// Payments arriving at `arrivals` (increasing) gathered into batches: a batch opens with the
/// first payment not yet in one and takes those arriving within `window` of it, at most `size`;
/// it is sent when it is full (at its last payment's arrival) or when the window closes. Each
/// batch as its payments' index range and its send offset.
pub fn gather(
    arrivals: &[Duration],
    size: usize,
    window: Duration,
) -> Vec<(Range<usize>, Duration)> {
    let size = size.max(1);
    let mut batches = Vec::new();
    let mut first = 0;
    while first < arrivals.len() {
        let closes = arrivals[first] + window;
        let mut end = first + 1;
        while end < arrivals.len() && end - first < size && arrivals[end] <= closes {
            end += 1;
        }
        let due = if end - first == size {
            arrivals[end - 1]
        } else {
            closes
        };
        batches.push((first..end, due));
        first = end;
    }
    batches
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

/// What a run sends: signed payments, one per request or `batch` per request.
#[derive(Debug, Clone)]
pub struct Plan {
    api_base: String,
    work: Vec<Signed>,
    /// Most payments per request.
    batch: usize,
    /// Whether requests go to `/payments/batch` (else one payment each to `/payments`).
    batched: bool,
}

impl Plan {
    /// Each payment in its own request to `api_base`'s `/payments`.
    pub fn single(api_base: &str, work: Vec<Signed>) -> Plan {
        Plan {
            api_base: api_base.to_owned(),
            work,
            batch: 1,
            batched: false,
        }
    }

    /// Payments up to `size` at a time to `api_base`'s `/payments/batch`, each batch sent with its
    /// first payer's token: consecutive ones in closed loop (the last batch may be smaller),
    /// those arriving together in open loop ([`Mode::Open`]).
    pub fn batched(api_base: &str, work: Vec<Signed>, size: usize) -> Plan {
        Plan {
            api_base: api_base.to_owned(),
            work,
            batch: size.max(1),
            batched: true,
        }
    }

    /// Payments the plan sends.
    pub fn payments(&self) -> usize {
        self.work.len()
    }

    fn url(&self) -> String {
        let route = if self.batched {
            geo_api::payment::PAY_BATCH.path
        } else {
            geo_api::payment::PAY.path
        };
        format!("{}{route}", self.api_base)
    }

    /// The request carrying payments `range` (built before the timed phase).
    fn request(&self, range: Range<usize>) -> Request {
        let chunk = &self.work[range];
        if !self.batched {
            return Request {
                token: chunk[0].payer,
                body: chunk[0].body.clone(),
                batch: 0,
            };
        }
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

/// Sends every payment of `plan` and reports what happened to each.
pub async fn run(http: &reqwest::Client, plan: Plan, tokens: &[String], mode: Mode) -> Report {
    let tokens: Arc<Vec<String>> = Arc::new(tokens.to_vec());
    let url: Arc<str> = Arc::from(plan.url().as_str());
    let mut samples = Vec::with_capacity(plan.payments());
    match mode {
        Mode::Open { rate, seed, window } => {
            let arrivals = poisson_offsets(plan.payments(), rate, seed);
            let schedule: Vec<(Range<usize>, Duration, Request)> =
                gather(&arrivals, plan.batch, window)
                    .into_iter()
                    .map(|(range, due)| (range.clone(), due, plan.request(range)))
                    .collect();
            let start = Instant::now();
            let mut tasks = Vec::with_capacity(schedule.len());
            for (range, due, request) in schedule {
                tokio::time::sleep_until(start + due).await;
                let (http, url, tokens) = (http.clone(), url.clone(), tokens.clone());
                tasks.push(tokio::spawn(async move {
                    let answers = send(&http, &url, &tokens[request.token], &request).await;
                    (range, Instant::now(), answers)
                }));
            }
            for t in tasks {
                let (range, answered, answers) = t.await.expect("sender task");
                // Each payment from its own arrival, not from when its batch was sent.
                for (i, (outcome, status)) in range.zip(answers) {
                    samples.push(Sample {
                        sent: arrivals[i],
                        outcome,
                        status,
                        latency: answered - (start + arrivals[i]),
                    });
                }
            }
            Report::of(&samples, start.elapsed())
        }
        Mode::Closed { clients } => {
            let n = plan.payments();
            let requests: Arc<Vec<Request>> = Arc::new(
                (0..n)
                    .step_by(plan.batch)
                    .map(|i| plan.request(i..(i + plan.batch).min(n)))
                    .collect(),
            );
            let start = Instant::now();
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
                    samples.extend(answers.into_iter().map(|(outcome, status)| Sample {
                        sent: at,
                        outcome,
                        status,
                        latency,
                    }));
                }
            }
            Report::of(&samples, start.elapsed())
        }
    }
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

    fn ms(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn payments_arriving_together_are_gathered_up_to_the_batch_size() {
        let arrivals = ms(&[0, 1, 2, 10, 11, 12, 13, 14, 40]);
        let batches = gather(&arrivals, 3, Duration::from_millis(5));
        assert_eq!(
            batches,
            vec![
                (0..3, Duration::from_millis(2)),  // full at its third arrival
                (3..6, Duration::from_millis(12)), // full again
                (6..8, Duration::from_millis(18)), // 13 and 14; the window closes at 18
                (8..9, Duration::from_millis(45)), // alone: waits out its window
            ]
        );
        // One per batch: each payment goes at its own arrival, whatever the window.
        let alone = gather(&arrivals, 1, Duration::from_millis(5));
        assert_eq!(alone.len(), arrivals.len());
        assert!(alone
            .iter()
            .zip(&arrivals)
            .all(|((r, due), a)| r.len() == 1 && due == a));
        // Nothing is sent before it arrived, and every payment is sent once, in order.
        for size in [1, 2, 16] {
            let offsets = poisson_offsets(1_000, 2_000.0, 3);
            let b = gather(&offsets, size, Duration::from_millis(2));
            assert_eq!(b.iter().map(|(r, _)| r.len()).sum::<usize>(), 1_000);
            assert!(b.windows(2).all(|w| w[0].0.end == w[1].0.start));
            for (range, due) in &b {
                assert!(range.len() <= size);
                assert!(range.clone().all(|i| offsets[i] <= *due));
                assert!(*due <= offsets[range.start] + Duration::from_millis(2));
            }
        }
    }
}
